"""The official 2024 contours of the quartiers (the ANCT's GeoJSON layer), read for the maps.

The layer is an input (found in --data-dir, or declared as data.contours); the project does not
carry it. Every feature is checked as the data are: a geometry that cannot be drawn, a ring that is
not closed, a missing or repeated code, coordinates outside France refuse the layer; a ring without
area (a closed ring of fewer than 3 distinct points, as simplification leaves a few) is not drawn and
`check` names it; a configured quartier the layer lacks (an older layer), or has no ring with an area
of, is not drawn, and `check` and the map page say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Protocol

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.data_folder import walk
from observatory.inputs.files import load_layer

Ring = tuple[tuple[float, float], ...]

CODE = "code_qp"  # the property of each feature that holds its quartier's code

#: Where the quartiers prioritaires lie, as (west, south, east, north) in degrees WGS 84, with a
#: margin: a layer written latitude then longitude, or in metres (Lambert 93), falls outside all of
#: them (a Lille quartier at (50.6, 3.06) instead of (3.06, 50.6) is in the Indian Ocean's latitudes
#: but no French territory's longitudes).
FRANCE = (
    (-5.5, 41.0, 10.0, 51.5),  # metropolitan France and Corsica
    (-63.5, 14.0, -60.5, 18.5),  # Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy
    (-54.8, 1.8, -51.3, 6.0),  # Guyane
    (55.0, -21.6, 56.0, -20.7),  # La Réunion
    (44.9, -13.2, 45.4, -12.5),  # Mayotte
    (-56.6, 46.6, -55.9, 47.3),  # Saint-Pierre-et-Miquelon
    (-155.0, -28.5, -134.0, -7.5),  # Polynésie française
    (163.0, -23.0, 169.0, -19.0),  # Nouvelle-Calédonie
    (-178.5, -14.5, -175.9, -13.0),  # Wallis-et-Futuna
)
ORDER = "longitude puis latitude, en degrés WGS 84"
FEATURE = "objet n°"  # a feature is located by its position in the layer, 1 for the first


@dataclass(frozen=True)
class Shape:
    code: str
    rings: tuple[Ring, ...]  # (lon, lat) rings, those without area left out
    number: int = 0  # the feature's position in the layer (1 for the first)
    degenerate: tuple[str, ...] = ()  # « polygone 2, anneau 1 (3 points, 2 distincts) »: rings not drawn


class Named(Protocol):
    id: str
    name: str


def find_contours(data_dir: Path | None, declared: Path | None) -> Path | None:
    """The declared layer, else the first 2024 QPV layer found in the producers' folder."""
    if declared is not None:
        return declared
    if data_dir is None or data_dir.is_file():
        return None
    found = [path for path in walk(data_dir)[0] if fnmatch(path.name, "qpv2024*.geojson")]
    return found[0] if found else None


def read_contours(path: Path, codes: set[str]) -> dict[str, Shape]:
    """The shapes of the quartiers `codes` the layer holds; every feature of the layer is checked
    and the layer refused, with every problem found, when one cannot be right."""
    features = load_layer(path, "une couche GeoJSON des quartiers 2024")["features"]
    if not features:
        problem = Problem(
            file=str(path),
            column="features",
            column_label="champ",
            expected="au moins un quartier",
            found="aucun objet",
            hint="La couche est vide : donnez la couche des quartiers prioritaires 2024 de l'ANCT.",
        )
        raise ObservatoryError([problem])
    problems: list[Problem] = []
    shapes = {}
    first: dict[str, int] = {}  # code → the position of its first feature
    for number, feature in enumerate(features, start=1):
        code, problem = _code(path, number, feature.get("properties"))
        if problem is not None:
            problems.append(problem)
        elif code in first:
            problems.append(_duplicate(path, number, code, first[code]))
        else:
            first[code] = number
        try:
            rings, degenerate = _rings(path, number, code, feature.get("geometry"))
        except ObservatoryError as error:
            problems.extend(error.problems)
            continue
        if code in codes:
            shapes[code] = Shape(code, rings, number, degenerate)
    if problems:
        raise ObservatoryError(problems)
    return shapes


def drawable(quartier_id: str, shapes: dict[str, Shape]) -> bool:
    """The layer has a contour of this quartier with at least one ring that has an area."""
    return quartier_id in shapes and bool(shapes[quartier_id].rings)


def undrawn(quartiers: Iterable[Named], shapes: dict[str, Shape]) -> list[str]:
    """« Le Parc (QN05991N) » for each of `quartiers` the layer has no drawable contour of."""
    return [f"{quartier.name} ({quartier.id})" for quartier in quartiers if not drawable(quartier.id, shapes)]


def _kind(value: object) -> str:
    """A JSON value's kind, as a person reading the file would name it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    return "une liste" if isinstance(value, list) else "un objet"


def _feature_problem(path: Path, number: int, field: str, expected: str, found: str, hint: str) -> Problem:
    """A problem of one field of the layer's feature n° `number`."""
    return Problem(
        file=str(path),
        row=number,
        row_label=FEATURE,
        column=field,
        column_label="champ",
        expected=expected,
        found=found,
        hint=hint,
    )


def _code(path: Path, number: int, properties: object) -> tuple[str, Problem | None]:
    """The feature's quartier code, or the problem that it has none."""
    if not isinstance(properties, dict):
        expected = f"un objet des propriétés du quartier (dont {CODE})"
        hint = f'Écrivez les propriétés entre accolades : {{"{CODE}": "QN…", …}}.'
        return "", _feature_problem(path, number, "properties", expected, _kind(properties), hint)
    code = properties.get(CODE)
    if isinstance(code, str) and code.strip():
        return code, None
    found = "rien" if code in (None, "") or isinstance(code, str) else str(code)
    hint = "Donnez à ce contour le code de son quartier, ou retirez cet objet de la couche."
    return "", _feature_problem(path, number, f"properties.{CODE}", "le code du quartier (QN…)", found, hint)


def _duplicate(path: Path, number: int, code: str, first: int) -> Problem:
    hint = (
        f"Ce code est déjà celui de l'objet n° {first} : gardez un seul des deux objets "
        "(un quartier en plusieurs morceaux est un seul MultiPolygon)."
    )
    return _feature_problem(path, number, f"properties.{CODE}", "un seul contour par quartier", code, hint)


def _rings(path: Path, number: int, code: str, geometry: object) -> tuple[tuple[Ring, ...], tuple[str, ...]]:
    """The (lon, lat) rings of a Polygon or MultiPolygon that have an area, and those that have
    none, described; every ring closed (its last point repeats its first), every point finite and
    in France; `code`: the feature's quartier ("" when it has none), named in the problem.

    A closed ring of fewer than 3 distinct points (a point or a line) has no area: simplifying
    the ANCT's layer left five such rings, three of them a quartier's whole contour (QN09105I,
    QN09113I, QN09503I: three times the same point). They are not refused, which would refuse
    the official layer: they are left out of the drawing, and `check` names each one."""

    def refused(expected: str, found: str, hint: str) -> ObservatoryError:
        whose = f"Quartier {code} : " if code else ""
        return ObservatoryError([_feature_problem(path, number, "geometry", expected, found, whose + hint)])

    redraw = "reprenez son contour dans la couche des quartiers 2024 de l'ANCT."
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        found = str(kind) if isinstance(geometry, dict) else _kind(geometry)
        raise refused("un contour Polygon ou MultiPolygon", found, redraw)
    polygons = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [polygons]
    try:
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for polygon in polygons for ring in polygon)
        empty = not polygons or not all(polygons) or not all(rings)
    except (TypeError, ValueError) as exc:
        found = str(geometry.get("coordinates"))[:80]
        raise refused("un polygone de points (longitude, latitude)", found, redraw) from exc
    if empty:
        raise refused("des anneaux de points (longitude, latitude)", "un polygone ou un anneau vide", redraw)
    points = [point for ring in rings for point in ring]
    for x, y in points:
        if not (math.isfinite(x) and math.isfinite(y)):
            raise refused("des coordonnées finies", f"{x}, {y}", f"chaque point s'écrit {ORDER} ; {redraw}")
    for x, y in points:
        if not any(west <= x <= east and south <= y <= north for west, south, east, north in FRANCE):
            hint = (
                f"les coordonnées s'écrivent {ORDER} (pas en mètres ni latitude d'abord) : "
                "reprojetez la couche en WGS 84 (EPSG:4326) ou remettez chaque point dans cet ordre."
            )
            raise refused("des coordonnées en France (métropole ou outre-mer)", f"{x}, {y}", hint)
    for where, points in _named(polygons, rings):
        if points[0] != points[-1]:
            found = f"{where} : {_count(len(points), 'point')}, le dernier différent du premier"
            hint = f"un anneau se referme sur son premier point (sa dernière position le répète) ; {redraw}"
            raise refused("un anneau fermé", found, hint)
    drawn = tuple(points for _, points in _named(polygons, rings) if len(set(points)) >= 3)
    degenerate = tuple(
        f"{where} ({_count(len(points), 'point')}, {_count(len(set(points)), 'distinct')})"
        for where, points in _named(polygons, rings)
        if len(set(points)) < 3
    )
    return drawn, degenerate


def _count(number: int, word: str) -> str:
    """« 1 point », « 3 points »."""
    return f"{number} {word}{'s' if number > 1 else ''}"


def _named(polygons: list, rings: tuple[Ring, ...]) -> list[tuple[str, Ring]]:
    """(« polygone 2, anneau 1 », its points) for each of `rings`, the rings of `polygons` in order."""
    where = [
        f"polygone {p}, anneau {r}" for p, polygon in enumerate(polygons, start=1) for r in range(1, len(polygon) + 1)
    ]
    return list(zip(where, rings, strict=True))
