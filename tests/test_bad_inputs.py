"""Inputs that cannot be right are refused by `check` and by the build, in French, naming the file,
the line and the column; the site published before is left as it was (issue 12, item 5)."""

import re
import shutil
from pathlib import Path

import pytest

from observatory.cli import main
from observatory.sources.published import is_period

from .conftest import FIXTURES, ROOT, copy_mini

LAYER = ROOT / "data" / "extract" / "qpv-2024" / "qpv2024_simplified.geojson"
PRODUCERS = FIXTURES / "producers" / "valid"
BEFORE = "site publié avant"


def _refused(config: Path, capsys, data_dir: Path | None = None) -> str:
    """`check` and the build both exit 1 with the same message; returns it."""
    site = config.parent / "site"
    site.mkdir()
    (site / "index.html").write_text(BEFORE, encoding="utf-8")
    reading = [str(data_dir)] if data_dir else []
    check = ["check", *reading, "--config", str(config)]
    build = ["build", "--config", str(config), "--site-dir", str(site), *(["--data-dir", *reading] if data_dir else [])]
    messages = []
    for argv in (check, build):
        assert main(argv) == 1
        messages.append(capsys.readouterr().err)
    assert messages[0] == messages[1]
    assert "Traceback" not in messages[0]
    assert [path.name for path in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == BEFORE
    return messages[0]


def _point(config: Path, key: str, target: Path) -> None:
    """Make the setting `key` of the configuration (a data.* key, or a top-level one) name `target`."""
    text = config.read_text(encoding="utf-8")
    line = re.compile(rf"^(\s*){key}:.*$", re.MULTILINE)
    if line.search(text):
        text = line.sub(lambda match: f"{match.group(1)}{key}: {target}", text, count=1)
    else:
        text = text.replace("\ndata:\n", f"\ndata:\n  {key}: {target}\n", 1)
    config.write_text(text, encoding="utf-8")


def _figures(config: Path) -> Path:
    return config.parent / "figures" / "armentieres.csv"


def _add_row(path: Path, row: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")


def _row(period: str = "2019", value: str = "41,8", document: str = "armentieres-volet-communal-2024", where="x"):
    """A figure of QN05967M (its poverty rate in 2019 is 41,8 in the mini observatory's figures)."""
    return f"QN05967M;taux-pauvrete-60;{period};{value};;value;ok;Insee, Filosofi;{document};{where};non_precise;"


def test_a_figures_file_reduced_to_its_header_is_refused(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    figures = _figures(config)
    figures.write_text(figures.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    message = _refused(config, capsys)
    assert f"{figures}, ligne 2 : une ligne de chiffre après l'en-tête attendu, trouvé 'rien'." in message


def test_one_figure_given_two_values_by_one_document_is_refused(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    figures = _figures(config)
    _add_row(figures, _row(value="40,2", where="Enjeu 2, texte"))
    message = _refused(config, capsys)
    assert (
        f"{figures}, ligne 6, colonne 'value' : un seul chiffre par territoire, indicateur, période, statistique "
        "et document attendu, trouvé '40,2'. Chiffre : QN05967M, taux-pauvrete-60, 2019, value, "
        "armentieres-volet-communal-2024, qui vaut déjà 41,8 (ligne 3) : gardez une seule valeur."
    ) in message


@pytest.mark.parametrize(("value", "found"), [("40,2", "'40,2'"), ("41,8", "'doublon (armentieres.csv, ligne 3)'")])
def test_one_figure_given_twice_in_two_files_is_refused(tmp_path: Path, capsys, value: str, found: str):
    config = copy_mini(tmp_path)
    other = config.parent / "figures" / "autre.csv"
    header = _figures(config).read_text(encoding="utf-8").splitlines()[0]
    other.write_text(header + "\n" + _row(value=value, where="ailleurs") + "\n", encoding="utf-8")
    message = _refused(config, capsys)
    assert f"{other}, ligne 2" in message
    assert f"attendu, trouvé {found}." in message


def test_two_documents_may_give_two_values_of_one_figure(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    _add_row(_figures(config), _row(value="40,2", document="mel-appel-projets-2025"))
    assert main(["check", "--config", str(config)]) == 0


@pytest.mark.parametrize("period", ["deux mille dix-neuf", "2O19", "2019-2017", "31/02/2022", "2019 et 2020"])
def test_a_period_that_is_not_a_millesime_is_refused(tmp_path: Path, capsys, period: str):
    config = copy_mini(tmp_path)
    figures = _figures(config)
    _add_row(figures, _row(period=period))
    message = _refused(config, capsys)
    assert f"{figures}, ligne 6, colonne 'period' : un millésime sous une forme déclarée (" in message
    assert f"trouvé '{period}'." in message


@pytest.mark.parametrize("period", ["2099", "2020-2099", "2025", "31/12/2025"])
def test_a_period_after_the_edition_is_refused(tmp_path: Path, capsys, period: str):
    config = copy_mini(tmp_path)  # edition.date: 2024-06-30
    figures = _figures(config)
    _add_row(figures, _row(period=period))
    message = _refused(config, capsys)
    assert (
        f"{figures}, ligne 6, colonne 'period' : un millésime au plus tard en 2024, année de l'édition "
        f"(edition.date) attendu, trouvé '{period}'."
    ) in message


@pytest.mark.parametrize(
    "period", ["2019", "2009-2020", "31/12/2022", "septembre 2023", "base 2023", "rentrée 2022-2023", "non précisée"]
)
def test_the_declared_period_formats_are_accepted(period: str):
    assert is_period(period)


def _truncated_layer(tmp_path: Path) -> Path:
    text = LAYER.read_text(encoding="utf-8")
    layer = tmp_path / "qpv2024_tronque.geojson"
    layer.write_text(text[: len(text) // 2], encoding="utf-8")
    return layer


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("quartiers", "une couche GeoJSON de l'ANCT"), ("contours", "une couche GeoJSON des quartiers 2024")],
)
def test_a_truncated_layer_is_refused(tmp_path: Path, capsys, setting: str, expected: str):
    config = copy_mini(tmp_path)
    layer = _truncated_layer(tmp_path)
    _point(config, setting, layer)
    message = _refused(config, capsys)
    assert re.search(rf"{re.escape(str(layer))}, ligne 1, colonne \d+ : {re.escape(expected)} attendu", message)
    assert "(tronqué ?)" in message


def test_a_layer_feature_without_its_code_is_refused(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    layer = tmp_path / "qpv2024.geojson"
    layer.write_text(LAYER.read_text(encoding="utf-8").replace('"code_qp": "QN05967M"', '"code_qp": null'), "utf-8")
    _point(config, "quartiers", layer)
    message = _refused(config, capsys)
    assert re.search(rf"{re.escape(str(layer))}, champ 'features\[\d+\]\.properties\.code_qp' : une valeur", message)


def test_a_configuration_that_does_not_parse_is_refused(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('title: "Observatoire de test"', 'title: "Observatoire de test'), "utf-8")
    message = _refused(config, capsys)
    assert re.search(rf"{re.escape(str(config))}, ligne \d+, colonne \d+ : un fichier YAML valide attendu", message)


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copie" / source.name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return target


@pytest.mark.parametrize(
    ("key", "source", "broken"),
    [
        ("catalog", ROOT / "indicators", "taux-pauvrete-60.yml"),
        ("producers", ROOT / "data" / "producers", None),
        ("enjeux", ROOT / "data" / "enjeux.yml", None),
        ("glossary", ROOT / "data" / "glossaire.yml", None),
        ("sources", FIXTURES / "mini" / "sources.yml", None),
    ],
)
def test_a_yaml_input_that_does_not_parse_is_refused(tmp_path: Path, capsys, key: str, source: Path, broken):
    config = copy_mini(tmp_path)
    copy = _copy(source, tmp_path)
    _point(config, key, copy)
    path = copy / broken if broken else copy
    if path.is_dir():
        path = sorted(path.glob("*.yml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "  : mal indenté: [")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _refused(config, capsys, PRODUCERS if key == "producers" else None)
    assert re.search(rf"{re.escape(str(path))}, ligne \d+, colonne \d+ : un fichier YAML valide attendu", message)


def test_a_missing_configured_file_names_its_setting(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    absent = tmp_path / "glossaire-absent.yml"
    _point(config, "glossary", absent)
    message = _refused(config, capsys)
    assert f"{config}, champ 'data.glossary' : le fichier du glossaire attendu, trouvé '{absent}'." in message
