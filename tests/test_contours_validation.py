"""The contours layer is checked like the data (issue 29): a feature the map cannot draw, without a
code, with a code given twice, with coordinates outside France, or a layer without features is
refused by `check` and by the build, in French, naming the feature by its position (1 for the
first); a configured quartier the layer lacks is drawn by neither, and both say so."""

import csv
import json
import re
from pathlib import Path

import pytest

from observatory.cli import main
from observatory.inputs.contours import read_contours

from .conftest import SHARED_DATA, copy_mini
from .test_bad_inputs import _point, _refused

ATTARGETTE = [[[2.868, 50.687], [2.872, 50.687], [2.872, 50.691], [2.868, 50.691], [2.868, 50.687]]]
PIEGE = [[[2.885, 50.68], [2.889, 50.68], [2.889, 50.684], [2.885, 50.684], [2.885, 50.68]]]
REUNION = [[[55.45, -20.88], [55.46, -20.88], [55.46, -20.87], [55.45, -20.88]]]  # a ring of 3 positions
SHARED_LAYER = SHARED_DATA / "qpv-2024" / "qpv2024_simplified.geojson"
TAHITI = [[[-149.57, -17.54], [-149.56, -17.54], [-149.56, -17.53], [-149.57, -17.54]]]


def _feature(properties: object, geometry: object) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _quartier(code: str, rings: list, kind: str = "Polygon") -> dict:
    coordinates = rings if kind == "Polygon" else [rings]
    return _feature({"code_qp": code, "lib_qp": code}, {"type": kind, "coordinates": coordinates})


def _mini(*features: dict) -> list[dict]:
    """The mini observatory's two quartiers (QN05967M, then QN05999X), followed by `features`."""
    return [_quartier("QN05967M", ATTARGETTE), _quartier("QN05999X", PIEGE, "MultiPolygon"), *features]


def _swapped(rings: list) -> list:
    return [[[lat, lon] for lon, lat in ring] for ring in rings]


def _observatory(tmp_path: Path, features: list[dict]) -> tuple[Path, Path]:
    """A copy of the mini observatory whose data.contours is a layer of `features`: (config, layer)."""
    layer = tmp_path / "qpv2024_test.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    config = copy_mini(tmp_path)
    _point(config, "contours", layer)
    return config, layer


WHERE = "{file}, objet n° "
REDRAW = "reprenez son contour dans la couche des quartiers 2024 de l'ANCT."

# (the layer's features, the lines the message must hold, "{file}" standing for the layer), by case id
REFUSED = [
    pytest.param(
        _mini(_feature({"code_qp": "QN05901A"}, None)),
        [
            f"{WHERE}3, champ 'geometry' : un contour Polygon ou MultiPolygon attendu, trouvé 'null'. "
            f"Quartier QN05901A : {REDRAW}"
        ],
        id="geometrie-nulle",
    ),
    pytest.param(
        [_feature({"code_qp": "QN05967M"}, {"type": "Point", "coordinates": [2.87, 50.69]}), *_mini()[1:]],
        [f"{WHERE}1, champ 'geometry' : un contour Polygon ou MultiPolygon attendu, trouvé 'Point'."],
        id="geometrie-point",
    ),
    pytest.param(
        _mini(_quartier("QN05901A", [[]])),
        [
            f"{WHERE}3, champ 'geometry' : des anneaux de points (longitude, latitude) attendu, "
            "trouvé 'un polygone ou un anneau vide'. Quartier QN05901A"
        ],
        id="anneau-vide",
    ),
    pytest.param(
        _mini(_quartier("QN05901A", [[[2.9, 50.7], [float("nan"), 50.7], [2.9, 50.71], [2.9, 50.7]]])),
        [
            f"{WHERE}3, champ 'geometry' : des coordonnées finies attendu, trouvé 'nan, 50.7'. Quartier QN05901A : "
            "chaque point s'écrit longitude puis latitude, en degrés WGS 84"
        ],
        id="coordonnee-nan",
    ),
    pytest.param(
        _mini(_feature(["QN05901A"], {"type": "Polygon", "coordinates": PIEGE})),
        [
            f"{WHERE}3, champ 'properties' : un objet des propriétés du quartier (dont code_qp) attendu, "
            "trouvé 'une liste'."
        ],
        id="proprietes-liste",
    ),
    pytest.param(
        _mini(_feature({"lib_qp": "Sans code"}, {"type": "Polygon", "coordinates": PIEGE})),
        [
            f"{WHERE}3, champ 'properties.code_qp' : le code du quartier (QN…) attendu, trouvé 'rien'. "
            "Donnez à ce contour le code de son quartier"
        ],
        id="code-absent",
    ),
    pytest.param(
        _mini(_feature({"code_qp": " "}, {"type": "Polygon", "coordinates": PIEGE})),
        [f"{WHERE}3, champ 'properties.code_qp' : le code du quartier (QN…) attendu, trouvé 'rien'."],
        id="code-vide",
    ),
    pytest.param(
        _mini(_quartier("QN05967M", PIEGE)),
        [
            f"{WHERE}3, champ 'properties.code_qp' : un seul contour par quartier attendu, trouvé 'QN05967M'. "
            "Ce code est déjà celui de l'objet n° 1"
        ],
        id="code-en-double",
    ),
    pytest.param(
        [_quartier("QN05967M", _swapped(ATTARGETTE)), *_mini()[1:]],
        [
            f"{WHERE}1, champ 'geometry' : des coordonnées en France (métropole ou outre-mer) attendu, "
            "trouvé '50.687, 2.868'. Quartier QN05967M : les coordonnées s'écrivent longitude puis latitude, "
            "en degrés WGS 84"
        ],
        id="latitude-longitude-inversees",
    ),
    pytest.param(
        [],
        ["{file}, champ 'features' : au moins un quartier attendu, trouvé 'aucun objet'."],
        id="couche-vide",
    ),
    pytest.param(
        _mini(_quartier("QN05901A", [[[2.9, 50.7], [2.91, 50.7], [2.91, 50.71]]])),
        [
            f"{WHERE}3, champ 'geometry' : un anneau fermé attendu, trouvé 'polygone 1, anneau 1 : 3 points, "
            "le dernier différent du premier'. Quartier QN05901A : un anneau se referme sur son premier point "
            f"(sa dernière position le répète) ; {REDRAW}"
        ],
        id="anneau-de-trois-points-ouvert",
    ),
    pytest.param(
        [*_mini()[:1], _quartier("QN05999X", [PIEGE[0], [[2.886, 50.681], [2.887, 50.681]]])],
        [f"{WHERE}2, champ 'geometry' : un anneau fermé attendu, trouvé 'polygone 1, anneau 2 : 2 points, le dernier"],
        id="anneau-de-deux-points",
    ),
]


@pytest.mark.parametrize(("features", "expected"), REFUSED)
def test_a_layer_that_cannot_be_right_is_refused_by_check_and_by_the_build(tmp_path, capsys, features, expected):
    config, layer = _observatory(tmp_path, features)
    message = _refused(config, capsys)
    for part in expected:
        assert part.replace("{file}", str(layer)) in message


# (the layer's features, the quartiers it lacks as the map page names them)
INCOMPLETE = [
    pytest.param(
        [_quartier("QN05999X", PIEGE), _quartier("QN97401A", REUNION), _quartier("QN98701A", TAHITI, "MultiPolygon")],
        "Quartier absent de la couche des contours, non dessiné : Attargette - Chanzy (QN05967M).",
        id="un-quartier-absent",
    ),
    pytest.param(
        [_quartier("QN97401A", REUNION)],
        "Quartiers absents de la couche des contours, non dessinés : Attargette - Chanzy (QN05967M), &lt;script&gt;",
        id="deux-quartiers-absents",
    ),
]


@pytest.mark.parametrize(("features", "sentence"), INCOMPLETE)
def test_a_quartier_missing_from_the_layer_is_a_warning_and_the_map_page_names_it(tmp_path, capsys, features, sentence):
    config, layer = _observatory(tmp_path, features)
    assert main(["check", "--config", str(config)]) == 0
    said = capsys.readouterr().out
    assert re.search(
        rf"AVERTISSEMENT : {re.escape(str(layer))} n'a pas le contour de Attargette - Chanzy \(QN05967M\)", said
    )
    assert "Données valides" in said
    site = tmp_path / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0
    page = (site / "carte" / "index.html").read_text(encoding="utf-8")
    assert sentence in page
    assert "<script>alert" not in page


POINT = [[2.87, 50.69], [2.87, 50.69], [2.87, 50.69]]  # a ring closed on itself: 3 positions, 1 point
LINE = [[2.886, 50.681], [2.887, 50.681], [2.886, 50.681]]  # 3 positions, 2 points: a line
NO_AREA = "a des anneaux sans surface (moins de 3 points distincts), non dessinés : "

# (the layer's features, the warning of `check` after the quartier's code, whether its map draws it)
DEGENERATE = [
    pytest.param(
        [*_mini()[:1], _feature({"code_qp": "QN05999X"}, {"type": "MultiPolygon", "coordinates": [PIEGE, [LINE]]})],
        "objet n° 2 : le contour de {name} (QN05999X) " + NO_AREA + "polygone 2, anneau 1 (3 points, 2 distincts).",
        True,
        id="un-morceau-reduit-a-une-ligne",
    ),
    pytest.param(
        [_quartier("QN05967M", [POINT]), *_mini()[1:]],
        "objet n° 1 : le contour de Attargette - Chanzy (QN05967M) " + NO_AREA + "polygone 1, anneau 1 (3 points, "
        "1 distinct).",
        False,
        id="un-contour-reduit-a-un-point",
    ),
]


@pytest.mark.parametrize(("features", "warning", "drawn"), DEGENERATE)
def test_a_ring_without_area_is_named_and_not_drawn(tmp_path, capsys, features, warning, drawn):
    """A closed ring of fewer than 3 distinct points (what simplifying the ANCT's layer left of five
    rings) cannot be drawn but is no reason to refuse the layer: `check` names its quartier and
    ring, the build draws the quartier's other rings, and a quartier left with none is named by the
    map page as not drawn."""
    config, layer = _observatory(tmp_path, features)
    assert main(["check", "--config", str(config)]) == 0
    said = capsys.readouterr().out
    with (config.parent / "quartiers.csv").open(encoding="utf-8") as quartiers:
        name = next(row["name"] for row in csv.DictReader(quartiers) if row["code"] == "QN05999X")
    assert f"AVERTISSEMENT : {layer}, " + warning.replace("{name}", name) in said, said
    assert "Données valides" in said
    site = tmp_path / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0
    page = (site / "carte" / "index.html").read_text(encoding="utf-8")
    assert ("non dessiné" not in page) == drawn


@pytest.mark.skipif(not SHARED_LAYER.exists(), reason="../shared/data is not beside the project")
def test_the_official_layer_is_read_with_its_rings_without_area_named():
    """The ANCT's simplified layer holds five closed rings of 3 positions and 1 or 2 points: it is
    read (not refused), and they are the rings left out of the drawing."""
    codes = {feature["properties"]["code_qp"] for feature in json.loads(SHARED_LAYER.read_text())["features"]}
    shapes = read_contours(SHARED_LAYER, codes)
    assert len(shapes) == 1609
    assert {code: shape.degenerate for code, shape in shapes.items() if shape.degenerate} == {
        "QN09105I": ("polygone 1, anneau 1 (3 points, 1 distinct)",),
        "QN09113I": ("polygone 1, anneau 1 (3 points, 1 distinct)",),
        "QN09503I": ("polygone 1, anneau 1 (3 points, 1 distinct)",),
        "QN98772I": ("polygone 2, anneau 1 (3 points, 2 distincts)",),
        "QN98777M": ("polygone 2, anneau 1 (3 points, 2 distincts)",),
    }
    assert [code for code, shape in shapes.items() if not shape.rings] == ["QN09105I", "QN09113I", "QN09503I"]
