"""Every quartier page answers the contracts' question: the producers' figures with their
millésime, against the commune, the EPCI, the département and France of the same millésime."""

import csv
import importlib.util
import re
from pathlib import Path

import pytest

from observatory.pages.text import period_cell, plain_period

from .conftest import DEFAULT_CONFIG, ROOT, page_text

SHARED = ROOT.parent / "shared" / "data"
NBSP = "\u00a0"


def _raw(name: str, code: str) -> dict[str, str]:
    """One row of a producer file, read with the csv module alone (not the project's readers)."""
    path = next(SHARED.rglob(name))
    text = path.read_bytes().decode("utf-8-sig")
    for row in csv.DictReader(text.splitlines(), delimiter=";"):
        if row.get("CODGEO", row.get("codgeo")) == code:
            return {key.strip(): (value or "").strip() for key, value in row.items() if key}
    raise AssertionError(f"{code} absent de {name}")


def _number(text: str) -> float:
    return float(re.sub(r"[\s\u202f\u00a0]", "", text).replace(",", "."))


def _french(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _section(html: str, label: str) -> str:
    """The part of a quartier's section pages about one indicator (from its heading to the next one)."""
    parts = re.split(r"<h2 ", html)
    found = [part for part in parts if re.match(r'id="[^"]*"[^>]*>' + re.escape(label) + "<", part)]
    assert found, label
    return found[0]


def _series_cell(section: str, period: str) -> str | None:
    """The quartier's value under one millésime in the section's series table."""
    table = re.search(r'<table class="data series">.*?</table>', section, re.S)
    if not table:
        return None
    periods = re.findall(r'<th scope="col">([^<]*)</th>', table.group(0))[1:]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table.group(0), re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", first_row)
    return dict(zip(periods, cells, strict=False)).get(period)


def _shown(html: str, label: str, value: str, period: str) -> bool:
    """The figure next to its millésime in its indicator's section: as the headline, as a row of
    the earlier millésimes, or in the series table."""
    section = _section(html, label)
    bare = period.removeprefix("millésime ")
    headline = f'<span class="value">{value}</span> <span class="period">{plain_period(bare)}</span>'
    bare = period_cell(bare).replace("'", "&#39;")
    earlier = f'<tr><th scope="row">{bare}</th><td>{value}</td>'
    return headline in section or earlier in section or _series_cell(section, bare) == value


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")
def test_values_read_from_the_raw_files_are_on_bizet_page_with_their_millesime(real_site: Path):
    html = _sections(real_site, "QN05968M")  # Bizet - Briqueterie ← QP059070
    ipro, demo, revn = (
        _raw("IPRO_2022.csv", "QP059070"),
        _raw("DEMO_2022.csv", "QP059070"),
        _raw("REVN_2022.csv", "QP059070"),
    )
    filo = _raw("data_filo19_qp_revdis.csv", "QP059070")
    undated = "fichier publié en 2022, date d'observation non documentée"
    expected = [
        ("Taux d'emploi des 15-64 ans", ipro["TX_TOT_EMPL"] + NBSP + "%", "millésime 2019"),  # RP 2019
        (
            "Demandeurs d'emploi inscrits à France Travail (toutes catégories)",
            _french(_number(ipro["ABCDE"]), 0),
            "millésime 31/12/2021",
        ),
        ("Population", _french(_number(demo["POP_MUN"]), 0), "millésime 2018"),  # RP 2018
        ("Part des habitants de moins de 25 ans", demo["TX_TOT_0A24"] + NBSP + "%", undated),  # year not established
        (
            "Part des allocataires de la CAF percevant le RSA socle",
            _french(100 * _number(revn["ARSAS"]) / _number(revn["A"]), 1) + NBSP + "%",
            undated,
        ),
        (
            "Part des allocataires de la CAF percevant l'allocation aux adultes handicapés (AAH)",
            _french(100 * _number(revn["AAAH"]) / _number(revn["A"]), 1) + NBSP + "%",
            undated,
        ),
        (
            "Part des bénéficiaires de l'assurance maladie couverts par la complémentaire santé solidaire (C2S)",
            _french(100 * (_number(revn["C_C2SNP"]) + _number(revn["C_C2SP"])) / _number(revn["C"]), 1) + NBSP + "%",
            undated,
        ),
        ("Taux de pauvreté au seuil de 60 % (revenu disponible)", filo["DISP_TP60_A19"] + NBSP + "%", "millésime 2019"),
    ]
    missing = [(label, value, period) for label, value, period in expected if not _shown(html, label, value, period)]
    assert missing == []


def _sections(site: Path, code: str) -> str:
    """A quartier's section pages, one after the other: the detail of every figure it shows."""
    return "".join(
        page.read_text(encoding="utf-8") for page in sorted((site / "quartiers" / code).glob("*/index.html"))
    )


def test_counts_behind_a_share_are_named_with_their_denominator(default_site: Path):
    html = _sections(default_site, "QN05968M")
    assert re.search(r"Allocataires du RSA socle : \d+ ; allocataires de la CAF : \d[\d\u202f]* \(même fichier", html)


def _floors():
    spec = importlib.util.spec_from_file_location("measure_floors", ROOT / "scripts" / "measure_floors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_default_build_floors_30_indicators_and_20_compared_with_the_epci(default_site: Path):
    rows = _floors().measure(default_site, DEFAULT_CONFIG)
    assert len(rows) == 48
    with_series = [row for row in rows if row[0] != "QN05991N"]  # Le Parc, new in 2024
    assert min(row[2] for row in with_series) >= 30
    assert min(row[3] for row in with_series) >= 20
    le_parc = page_text(default_site, "quartiers/QN05991N")
    assert "ont pas de série pour lui" in le_parc


def test_committee_compares_each_contract_with_its_epci(default_site: Path):
    html = page_text(default_site, "comite")
    sections = re.findall(r"<h2[^>]*>(MEL|CALL) : \d+ quartiers face à la (MEL|CALL)", html)
    assert sections == [("MEL", "MEL"), ("CALL", "CALL")]
    poverty = page_text(default_site, "comite/taux-pauvrete-60")
    assert "Millésimes comparés : 2015 → 2019" in poverty


def test_epci_sums_of_communes_give_the_contracts_published_figures(observatory):
    call = observatory.rows_for("population", "epci-246200364")
    by_source = {row.document: row.value for row in call if row.period == "2018"}
    assert by_source["insee-rp-comparateur"] == 241703  # sum of the 36 communes
    assert by_source["call-contrat-2024"] == 241703  # the CALL contract's figure
    mel = [row for row in observatory.rows_for("taux-emploi-15-64", "epci-200093201") if row.period == "2018"]
    assert [round(row.value, 1) for row in mel if row.document == "insee-rp-comparateur"] == [59.6]
    former = [row for row in observatory.rows_for("taux-emploi-15-64", "epci-200093201") if row.period == "2017"]
    assert former and "245900410" in former[0].note  # the former perimeter is said on the figure


def test_collèges_of_the_commune_are_shown_as_such(default_site: Path):
    html = page_text(default_site, "quartiers/QN05968M/enfance-reussite-educative")
    assert "Collèges de la commune" in html
    assert "ce sont les collèges de la commune, pas « les collèges du quartier »" in html


def test_the_default_map_page_draws_the_quartiers_from_the_extracts_contours(default_site: Path):
    html = page_text(default_site, "carte")
    assert "qpv2024_simplified.geojson" in html  # the layer of the extract, not instructions to staff
    assert html.count("<svg") >= 2  # each contract's outline; each headline indicator on its own page
    assert "Taux de pauvreté" in html
    poverty = page_text(default_site, "carte/taux-pauvrete-60")
    assert poverty.count("<svg") >= 2  # its choropleth for each contract


def test_a_2015_series_is_compared_with_the_communes_of_the_2015_quartier_only(observatory):
    """QN06224M's 2015 quartier lay in Lens only (DEMO's LIB_COM), QN06234M's in Méricourt and
    Sallaumines: their 2015 figures are not set against Loos-en-Gohelle, Billy-Montigny or
    Noyelles-sous-Lens, communes the 2024 quartiers spread to; and over every quartier, no 2015
    figure is compared with a commune outside its 2015 quartier."""
    from observatory.names import fold
    from observatory.pages.views import quartier_blocks

    def compared(code: str) -> set[tuple[str, str]]:
        quartier = observatory.territory(code)
        return {
            (figure.figure.row.geography, comparison.reference.territory.name)
            for block in quartier_blocks(observatory, quartier)
            for figure in block.figures
            for comparison in figure.comparisons
            if comparison.reference.territory.kind == "commune" and not comparison.reason
        }

    assert observatory.communes_2015(observatory.territory("QN06224M")) == {fold("Lens")}
    lens = compared("QN06224M")
    assert ("qp2015", "Lens") in lens and ("qp2015", "Loos-en-Gohelle") not in lens
    south = compared("QN06234M")
    assert not {name for geography, name in south if geography == "qp2015"} & {"Billy-Montigny", "Noyelles-sous-Lens"}
    for quartier in observatory.quartiers():
        towns = observatory.communes_2015(quartier)
        for geography, name in compared(quartier.id):
            assert geography != "qp2015" or towns is None or fold(name) in towns, (quartier.id, name)


def test_a_rate_on_a_handful_of_people_is_flagged_and_never_a_contract_extreme(observatory):
    """Cité 10's foreigners are 0,1 % of its 1 529 inhabitants: its employment rate of foreigners
    (« 100,0 % », as published) says it rests on about 2 people, and is neither the highest nor the
    lowest of the CALL's quartiers; the flagged rates are not extremes anywhere."""
    from observatory.compare.small_numbers import small_base
    from observatory.pages.views import peer_extremes, quartier_blocks

    indicator = observatory.catalog["taux-emploi-etrangers-15-64"]
    cite_10 = observatory.territory("QN06232M")
    people = small_base(observatory, indicator, cite_10.id)
    assert people is not None and people < 20
    block = next(b for b in quartier_blocks(observatory, cite_10) if b.indicator.id == indicator.id)
    flagged = [f for f in block.figures if "Effectif très faible (environ 2 personnes)" in f.sentence]
    assert flagged and flagged[0].figure.value_text == "100,0\u00a0%"
    for figure in block.figures:
        _count, low, high = peer_extremes(observatory, indicator.id, figure.figure.period, cite_10)
        extremes = {item.territory for item in low + high}
        assert not any(small_base(observatory, indicator, code) for code in extremes)
        assert "QN06232M" not in extremes
