"""Beyond the quartiers: the MEL's périmètres d'attention (data/perimetres.yml) and, per contract,
the IRIS of its intercommunality under the declared threshold. The cells of the built pages are
compared with Insee's files read here independently (csv module, openpyxl)."""

import csv
import gzip
import io
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from observatory.errors import ObservatoryError
from observatory.inputs.config import load_config
from observatory.inputs.perimeters import Perimeter, check_iris, load_perimeters, unconfirmed
from observatory.numbers import format_number
from observatory.pages.perimeters import absent_iris

from .conftest import DEFAULT_CONFIG, ROOT, page_text
from .html_tables import cell, table

IRIS = ROOT / "data" / "extract" / "iris"
REFERENCES = ROOT / "data" / "extract" / "references"
NAMED = {  # the seven sectors the MEL contract names (§3.3), one page each
    "armentieres-salengro": "Armentières",
    "wattrelos": "Wattrelos",
    "tourcoing": "Tourcoing",
    "lille-catinat": "Lille",
    "houplines": "Houplines",
    "lomme": "Lille",
    "halluin": "Halluin",
}
MEDIAN_TABLE = "Revenu disponible médian annuel par unité de consommation — "


def _csv(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row[key]: row for row in csv.DictReader(handle, delimiter=";")}


def _plain(text: str) -> str:
    """As the parsed page reads it: thin and non-breaking spaces as spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _euros(text: str) -> str:
    return _plain(f"{format_number(float(text.replace(',', '.')))} €")


def _iris_2021() -> dict[str, dict[str, str]]:
    return _csv(IRIS / "BASE_TD_FILO_IRIS_2021_DISP.csv", "IRIS")


def _median_table(page: str):
    return next(t for t in (table(page, MEDIAN_TABLE),))


def test_each_named_sector_has_its_page_with_2021_medians_equal_to_insee(default_site):
    raw = _iris_2021()
    for slug, town in NAMED.items():
        page = page_text(default_site, f"perimetres/{slug}")
        chosen = _median_table(page)
        iris_rows = [label for label in chosen.row_headers if label.endswith("(IRIS)")]
        assert iris_rows, slug
        for label in iris_rows:
            code = label.split("(")[-2].rstrip(") ")
            shown = cell(page, MEDIAN_TABLE, label, "2021").removesuffix(" (sous le seuil)")
            value = raw[code]["DISP_MED21"]
            assert shown == (_euros(value) if value[:1].isdigit() else shown), (slug, code, shown, value)
        assert f"{town} (commune)" in chosen.row_headers, slug
        assert "BASE_TD_FILO_IRIS_2021_DISP.csv" in page and "Filosofi 2021" in page, slug


def test_salengro_three_millesimes_beside_the_mel_of_the_same_millesime(default_site):
    page = page_text(default_site, "perimetres/armentieres-salengro")
    row = "Quartier Salengro (590170103) (IRIS)"
    workbook = load_workbook(IRIS / "BASE_TD_FILO_DISP_IRIS_2019.xlsx", read_only=True, data_only=True)
    rows = [tuple(r) for r in workbook["IRIS_DISP"].iter_rows(values_only=True)]
    workbook.close()
    header = next(i for i, r in enumerate(rows) if "LIBIRIS" in r)
    y2019 = next(dict(zip(rows[header], r, strict=False)) for r in rows[header + 1 :] if r[0] == "590170103")
    y2020 = _csv(IRIS / "BASE_TD_FILO_DISP_IRIS_2020.csv", "IRIS")["590170103"]
    assert cell(page, MEDIAN_TABLE, row, "2019") == _euros(str(y2019["DISP_MED19"]))
    assert cell(page, MEDIAN_TABLE, row, "2020") == _euros(y2020["DISP_MED20"])
    assert cell(page, MEDIAN_TABLE, row, "2021") == _euros(_iris_2021()["590170103"]["DISP_MED21"])
    mel = _csv(REFERENCES / "cc_filosofi_2019_EPCI.csv", "CODGEO")["200093201"]
    assert cell(page, MEDIAN_TABLE, "Métropole Européenne de Lille (intercommunalité)", "2019") == _euros(mel["MED19"])
    # no file gives the MEL's median for 2020 or 2021: said, never taken from another year
    assert cell(page, MEDIAN_TABLE, "Métropole Européenne de Lille (intercommunalité)", "2021") == "non disponible"
    # the IRIS against itself, relative for euros: 17 050 € → 18 230 € = +6,9 %
    first, last = float(y2019["DISP_MED19"]), float(_iris_2021()["590170103"]["DISP_MED21"].replace(",", "."))
    change = cell(page, MEDIAN_TABLE, row, "Évolution 2019 → 2021 (en %)")
    assert change == _plain(f"+{format_number((last - first) / first * 100, 1)} %")
    assert "Liste d'IRIS à confirmer" in page


def test_an_iris_missing_from_a_millesime_is_said(default_site):
    """Houplines (8 000 inhabitants) is not in the 2019 file, which holds communes of 10 000 or more."""
    page = page_text(default_site, "perimetres/houplines")
    assert cell(page, MEDIAN_TABLE, "Ouest (593170101) (IRIS)", "2019") == (
        "IRIS absent du fichier 2019 (commune de moins de 10 000 habitants ?)"
    )
    assert cell(page, MEDIAN_TABLE, "Ouest (593170101) (IRIS)", "2021") == _euros(
        _iris_2021()["593170101"]["DISP_MED21"]
    )
    # an IRIS of a commune the 2019 file has (Tourcoing), without its own row: said as such
    page = page_text(default_site, "perimetres/tourcoing")
    assert cell(page, MEDIAN_TABLE, "Z.A. du Ferrain (595990103) (IRIS)", "2019") == (
        "IRIS absent du fichier 2019 (les autres IRIS de la commune y figurent)"
    )


def _mel_communes() -> set[str]:
    return {row["COM"].zfill(5) for row in _csv(REFERENCES / "EPCI.csv", "COM").values() if row["EPCI"] == "200093201"}


def test_sectors_page_lists_every_mel_iris_under_the_threshold(default_site):
    threshold = load_config(DEFAULT_CONFIG).iris_threshold.value
    communes = _mel_communes()
    expected = [
        (float(row["DISP_MED21"].replace(",", ".")), code)
        for code, row in _iris_2021().items()
        if code[:5] in communes
        and row["DISP_MED21"][:1].isdigit()
        and float(row["DISP_MED21"].replace(",", ".")) < threshold
    ]
    expected.sort()
    page = page_text(default_site, "perimetres/secteurs-mel")
    shown = table(page, "IRIS des communes de la MEL sous le seuil")
    codes = [label.split("(")[-1].rstrip(")") for label in shown.row_headers]
    assert codes == [code for _, code in expected] and len(codes) > 10
    download = gzip.decompress((default_site / "telechargements" / "perimetres" / "secteurs-mel.csv.gz").read_bytes())
    download = download.decode("utf-8")
    rows = list(csv.reader(io.StringIO(download)))
    assert [row[0] for row in rows[1:]] == codes
    assert _plain(rows[1][3]) == _euros(_iris_2021()[codes[0]]["DISP_MED21"])


def test_check_lists_the_unconfirmed_perimeters_with_their_line():
    config = load_config(DEFAULT_CONFIG)
    lines = unconfirmed(config.perimeters, load_perimeters(config))
    assert len(lines) == 7
    assert lines[0].startswith(f"{config.perimeters}, ligne 9 : périmètre « Armentières — Salengro »")


def test_an_iris_code_unknown_or_of_another_commune_is_refused_with_its_line(tmp_path, observatory):
    declared = tmp_path / "perimetres.yml"
    declared.write_text(
        "perimeters:\n"
        "  - id: faute\n    name: Faute\n    contract: mel\n    commune: '59017'\n"
        "    iris: ['590170103', '590179999', '593500303']\n"
        "    words: x\n    basis: y\n",
        encoding="utf-8",
    )
    config = replace(observatory.config, perimeters=declared)
    with pytest.raises(ObservatoryError) as error:
        check_iris(declared, load_perimeters(config), observatory.referential)
    text = str(error.value)
    assert "champ 'perimeters[0].iris[1]'" in text and "trouvé '590179999'" in text and "Ligne 6." in text
    assert "perimeters[0].iris[2]" in text and "IRIS de Lille" in text


def test_a_declaration_naming_an_unknown_contract_is_refused(tmp_path, observatory):
    declared = tmp_path / "perimetres.yml"
    declared.write_text(
        "perimeters:\n  - id: a\n    name: A\n    contract: lens\n    commune: '59017'\n"
        "    iris: commune\n    words: x\n    basis: y\n",
        encoding="utf-8",
    )
    with pytest.raises(ObservatoryError) as error:
        load_perimeters(replace(observatory.config, perimeters=declared))
    assert "perimeters[0].contract" in str(error.value) and "trouvé 'lens'" in str(error.value)


def test_check_names_a_declared_iris_missing_from_a_millesime(observatory):
    """An IRIS of Houplines declared by code: the 2019 file lacks it (communes of 10 000 or more)."""
    houplines = Perimeter(
        id="houplines-ouest",
        name="Houplines Ouest",
        contract="mel",
        commune="59317",
        iris=("593170101",),
        quartiers=(),
        words="x",
        basis="y",
        line=3,
    )
    lines = absent_iris(replace(observatory, perimeters=(houplines,)))
    assert len(lines) == 1
    assert lines[0].startswith(f"{observatory.config.perimeters}, ligne 3 : périmètre « Houplines Ouest », ")
    assert "IRIS absent du fichier 2019 (commune de moins de 10 000 habitants ?)" in lines[0]
    assert "BASE_TD_FILO_DISP_IRIS_2019.xlsx" in lines[0]
