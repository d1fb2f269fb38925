"""Filosofi by IRIS: the figures of an IRIS equal Insee's files read here independently (csv
module, openpyxl), unpublished cells are statuses, and each quartier's « territoires liés » page
ranks the IRIS of its communes with their 2021 median income."""

import csv
import html as markup
import math
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from observatory.errors import ObservatoryError
from observatory.inputs.config import load_config
from observatory.numbers import format_number

from .conftest import DEFAULT_CONFIG, ROOT, page_text

SHARED = ROOT.parent / "shared" / "data" / "iris"
EXTRACT = ROOT / "data" / "extract" / "iris"
SALENGRO = "590170103"  # « Quartier Salengro », Armentières
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")


def _csv_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["IRIS"]: row for row in csv.DictReader(handle, delimiter=";")}


def _xlsx_rows(path: Path) -> tuple[list[tuple], dict[str, dict[str, object]]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = [tuple(row) for row in workbook["IRIS_DISP"].iter_rows(values_only=True)]
    workbook.close()
    header = next(i for i, row in enumerate(rows) if "LIBIRIS" in row)
    return rows, {str(row[0]): dict(zip(rows[header], row, strict=False)) for row in rows[header + 1 :] if row[0]}


def _number(cell: object) -> float:
    return float(cell) if isinstance(cell, (int, float)) else float(str(cell).replace(",", "."))


def _figure(obs, indicator: str, code: str, period: str):
    rows = [r for r in obs.rows_for(indicator, f"iris-{code}") if r.period == period]
    assert len(rows) == 1, (indicator, code, period, rows)
    return rows[0]


@needs_shared
def test_salengro_has_its_three_millesimes_equal_to_insee_files(observatory):
    raw = {
        "2019": _xlsx_rows(SHARED / "BASE_TD_FILO_DISP_IRIS_2019.xlsx")[1][SALENGRO],
        "2020": _csv_rows(SHARED / "BASE_TD_FILO_DISP_IRIS_2020.csv")[SALENGRO],
        "2021": _csv_rows(SHARED / "BASE_TD_FILO_IRIS_2021_DISP.csv")[SALENGRO],
    }
    assert raw["2019"]["LIBIRIS"] == "Quartier Salengro"
    assert observatory.territory(f"iris-{SALENGRO}").short_name == "Quartier Salengro"
    for period, row in raw.items():
        yy = period[2:]
        for indicator, column in (("revenu-median-disponible-uc", "DISP_MED"), ("taux-pauvrete-60", "DISP_TP60")):
            figure = _figure(observatory, indicator, SALENGRO, period)
            assert figure.status == "ok"
            assert figure.value == pytest.approx(_number(row[f"{column}{yy}"]))
            assert figure.producer == f"Insee-DGFiP-Cnaf-Cnav-CCMSA, Filosofi {period} par IRIS"
            assert figure.document == "insee-filosofi-iris"
    assert _figure(observatory, "revenu-median-disponible-uc", SALENGRO, "2021").value == 18230
    # the 2019 note DISP_NOTE19 = 1 is said beside the figure
    assert "DISP_NOTE19 = 1" in _figure(observatory, "revenu-median-disponible-uc", SALENGRO, "2019").note


@needs_shared
def test_unpublished_cells_are_statuses_never_zero(observatory):
    statuses = {"ns": "non_publie", "nd": "non_disponible", "s": "secret"}
    checked = set()
    for name, period in (("BASE_TD_FILO_DISP_IRIS_2020.csv", "2020"), ("BASE_TD_FILO_IRIS_2021_DISP.csv", "2021")):
        for code, row in _csv_rows(SHARED / name).items():
            if f"iris-{code}" not in observatory.referential.territories:
                continue
            for indicator, column in (("revenu-median-disponible-uc", "DISP_MED"), ("taux-pauvrete-60", "DISP_TP60")):
                cell = row[f"{column}{period[2:]}"]
                if cell in statuses:
                    figure = _figure(observatory, indicator, code, period)
                    assert figure.status == statuses[cell] and math.isnan(figure.value), (code, column)
                    checked.add(cell)
    assert checked == {"ns", "nd", "s"}


@needs_shared
def test_the_extracted_workbook_holds_rows_of_the_source_unchanged():
    source_rows, _ = _xlsx_rows(SHARED / "BASE_TD_FILO_DISP_IRIS_2019.xlsx")
    kept, by_code = _xlsx_rows(EXTRACT / "BASE_TD_FILO_DISP_IRIS_2019.xlsx")

    def trimmed(row: tuple) -> tuple:  # a title row's empty cells to the right are not written again
        return tuple(row[: max((i + 1 for i, cell in enumerate(row) if cell is not None), default=0)])

    source = {trimmed(row) for row in source_rows}
    assert all(trimmed(row) in source for row in kept)
    assert trimmed(kept[0]) == trimmed(source_rows[0])  # the title rows, « Année 2019 », kept
    assert SALENGRO in by_code and all(code[:2] in ("59", "62") for code in by_code)


def test_bizet_linked_territories_page_ranks_armentieres_iris(default_site):
    html = markup.unescape(page_text(default_site, "quartiers/QN05968M/territoires-lies"))
    assert "Les secteurs (IRIS) de la commune" in html
    section = html.split("Les secteurs (IRIS) de la commune", 1)[1]
    row = re.search(r"<tr><th scope=\"row\">Quartier Salengro \(590170103\).*?</tr>", section, re.S)
    assert row is not None
    assert f"<td>{format_number(18230)}\u00a0€</td>" in row.group(0)
    assert "Filosofi 2021" in section and "BASE_TD_FILO_IRIS_2021_DISP.csv" in section
    assert re.search(r"(Aucun secteur|\d+ secteurs?) d'Armentières (n'a|a|ont) un revenu médian inférieur", section)
    assert "peut couvrir une partie du quartier" in section
    assert "inférieur au seuil de pauvreté de 2021" in section


@pytest.mark.parametrize(
    ("threshold", "found"),
    [('{label: "seuil", value: "beaucoup", reason: "r"}', "beaucoup"), ('{label: "seuil", reason: "r"}', "value")],
)
def test_a_bad_iris_threshold_is_refused_with_its_file_and_line(tmp_path: Path, threshold: str, found: str):
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"iris:\n  threshold:\n(    .*\n|      .*\n)+", f"iris:\n  threshold: {threshold}\n", text)
    config = tmp_path / "observatory.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ObservatoryError) as error:
        load_config(config)
    message = str(error.value)
    assert "iris" in message and found in message and str(config) in message
    line = next(n for n, content in enumerate(text.splitlines(), 1) if content.startswith("  threshold:"))
    assert str(line) in message
