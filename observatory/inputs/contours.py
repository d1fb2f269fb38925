"""The official 2024 contours of the quartiers (the ANCT's GeoJSON layer), read for the maps.

The layer is an input (found in --data-dir, or declared as data.contours); the project does not
carry it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.data_folder import walk
from observatory.inputs.files import load_layer


@dataclass(frozen=True)
class Shape:
    code: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings


def find_contours(data_dir: Path | None, declared: Path | None) -> Path | None:
    """The declared layer, else the first 2024 QPV layer found in the producers' folder."""
    if declared is not None:
        return declared
    if data_dir is None or data_dir.is_file():
        return None
    found = [path for path in walk(data_dir)[0] if fnmatch(path.name, "qpv2024*.geojson")]
    return found[0] if found else None


def read_contours(path: Path, codes: set[str]) -> dict[str, Shape]:
    features = load_layer(path, "une couche GeoJSON des quartiers 2024")["features"]
    shapes = {}
    for index, feature in enumerate(features):
        code = (feature.get("properties") or {}).get("code_qp")
        if code in codes:
            shapes[code] = Shape(code, _rings(path, index, feature.get("geometry") or {}))
    return shapes


def _rings(path: Path, index: int, geometry: dict) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The (lon, lat) rings of a Polygon or MultiPolygon."""
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    try:
        return tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for polygon in polygons for ring in polygon)
    except (TypeError, ValueError) as exc:
        problem = Problem(
            file=str(path),
            column=f"features[{index}].geometry",
            column_label="champ",
            expected="un polygone de points (longitude, latitude)",
            found=str(geometry.get("coordinates"))[:80],
        )
        raise ObservatoryError([problem]) from exc
