"""One meaning per status, everywhere: secret only where the producer says so, non disponible for
an empty cell without reason, non publié where no file of the edition gives the indicator for a
quartier, hors champ where the indicator does not apply."""

import csv
import json
import re
import shutil
from pathlib import Path

from observatory.pipeline import load

from .conftest import MINI_CONFIG
from .test_producers import VALID


def _planted(tmp_path: Path, column: str, token: str) -> Path:
    """The valid producer files with one cell of Attargette (QP059069) in REVN_2022 replaced."""
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    path = folder / "REVN_2022.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    cells = lines[1].split(";")
    cells[header.index(column)] = token
    lines[1] = ";".join(cells)
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _status(folder: Path, indicator: str, period: str) -> tuple[str, str]:
    figures = load(MINI_CONFIG, data_dir=folder).figures
    row = figures[
        (figures["territory"] == "QN05967M") & (figures["indicator"] == indicator) & (figures["period"] == period)
    ].iloc[0]
    return row["status"], row["note"]


def test_the_token_s_is_secret(tmp_path: Path):
    assert _status(_planted(tmp_path, "TP60", "s"), "taux-pauvrete-60", "2018")[0] == "secret"


def test_an_empty_cell_whose_flag_is_zero_is_not_available(tmp_path: Path):
    status, note = _status(_planted(tmp_path, "TP60", ""), "taux-pauvrete-60", "2018")
    assert status == "non_disponible" and "qualité" not in note


def test_not_significant_is_not_published(tmp_path: Path):
    assert _status(_planted(tmp_path, "TP60", "ns"), "taux-pauvrete-60", "2018")[0] == "non_publie"


def _missing(site: Path, quartier: str) -> dict[str, str]:
    """{indicator id: status words} from the lists of indicators without figure of the quartier's
    section pages (each lists those of its theme)."""
    found = {}
    for page in sorted((site / "quartiers" / quartier).glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        if '<details class="missing"' not in html:
            continue
        block = html[html.index('<details class="missing"') :]
        block = block[: block.index("</details>")]
        for heading, items in re.findall(r'<h3 class="missing-status"[^>]*>(.*?)</h3>\s*<ul>(.*?)</ul>', block, re.S):
            word = heading.split(" :")[0].lower()
            found.update({indicator: word for indicator in re.findall(r'indicateurs/([^/]+)/"', items)})
    return found


def test_quartier_page_says_why_an_indicator_has_no_figure(default_site: Path, observatory):
    missing = _missing(default_site, "QN05968M")
    assert missing["ips-college"] == missing["va-taux-reussite-dnb"] == "hors champ"
    published = observatory.published_for_quartiers()
    for indicator, word in missing.items():
        if not observatory.catalog[indicator].applies("quartier"):
            assert word == "hors champ"
        else:
            assert word == ("non disponible" if indicator in published else "non publié"), indicator
    assert "non publié" in missing.values() and "non disponible" in missing.values()


def test_no_secret_without_the_producers_word(observatory):
    """Every 'secret statistique' read from a producer's file: its cell says « s », or the
    producer's quality flag marks it (said in the note)."""
    figures = observatory.figures
    secret = figures[(figures["status"] == "secret") & figures["file"].str.endswith((".csv", ".CSV"))]
    assert not secret.empty
    tables: dict[str, list[dict]] = {}
    for row in secret.itertuples():
        if "Indicateur de qualité" in row.note:
            continue
        if row.file not in tables:
            with open(row.file, encoding="utf-8-sig", newline="") as handle:
                tables[row.file] = list(csv.DictReader(handle, delimiter=";"))
        cells = tables[row.file][row.row - 2]
        named = [name for name in cells if name and re.search(rf"\b{re.escape(name)}\b", row.location)]
        assert any((cells[name] or "").strip().lower() == "s" for name in named), (row.file, row.row, row.location)


def test_the_data_package_declares_the_five_statuses(default_site: Path):
    package = json.loads((default_site / "telechargements" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for resource in package["resources"] for f in resource.get("schema", {}).get("fields", [])}
    assert fields["statut"]["constraints"]["enum"] == [
        "disponible",
        "secret statistique",
        "non publié",
        "non disponible",
        "hors champ",
    ]
