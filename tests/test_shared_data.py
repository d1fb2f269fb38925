"""Reads the real producer files of ../shared/data (present in CI beside the project)."""

from pathlib import Path

import pytest

from observatory.pipeline import load

from .conftest import DEFAULT_CONFIG, ROOT, page_text
from .html_tables import cell, figures, readable

SHARED = ROOT.parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")


@pytest.fixture(scope="module")
def real():
    return load(DEFAULT_CONFIG, data_dir=SHARED)


def test_all_real_files_read_without_problem_and_balance(real):
    assert len(real.accounts) >= 34  # 33 producer files and the CAF IRIS sample, which no mapping reads
    assert all(account.balanced for account in real.accounts if account.mapping)
    unrecognised = [Path(a.file).name for a in real.accounts if not a.mapping]
    # listed by `check`, not lost; each with why no mapping reads it yet
    assert unrecognised == [
        "data_CAF_2020_IRIS.csv",  # a layout sample of the CAF by IRIS
        # the COG 2022 commune table (the geography of Filosofi by IRIS 2021): the IRIS are named by
        # Insee's 2021 dictionary and placed in their commune by their code, no mapping reads it yet
        "table-appartenance-geo-communes-22.xlsx",
    ]


def _values(obs, territory, indicator):
    rows = obs.figures[(obs.figures["territory"] == territory) & (obs.figures["indicator"] == indicator)]
    return rows


def test_filosofi_2019_of_bizet_confirms_the_published_figure(real):
    rows = _values(real, "QN05968M", "taux-pauvrete-60")
    by_document = {(r["document"], r["period"]): r["value"] for _, r in rows.iterrows()}
    assert by_document[("armentieres-volet-communal-2024", "2019")] == 41.5  # the seeds' table
    assert by_document[("insee-filosofi-qp", "2019")] == 41.5  # Insee's file, QP059070
    assert sorted({p for (_, p) in by_document}) == ["2013", "2014", "2015", "2016", "2017", "2018", "2019"]


def test_a_figure_published_twice_is_kept_once_citing_both_files(real):
    rows = _values(real, "QN05968M", "taux-pauvrete-60")
    filo17 = rows[rows["period"] == "2017"]
    assert len(filo17) == 1
    assert "Chiffre identique dans : data_filo17_qp_revdis.csv" in filo17.iloc[0]["note"]


def test_reference_territories_get_their_files(real):
    mel = _values(real, "epci-200093201", "revenu-median-disponible-uc")
    assert set(mel["period"]) >= {"2019"}
    assert not _values(real, "fr-metro", "revenu-median-disponible-uc").empty
    neet = _values(real, "com-59017", "part-jeunes-non-inseres")
    assert list(neet.sort_values("period")["period"]) == ["2008", "2013", "2018"]


POVERTY = "Taux de pauvreté au seuil de 60 % (revenu disponible)"


def _section(lines: list[str], heading: str) -> list[str]:
    """The readable lines of a page under one heading, up to the next heading of its level or above."""
    start = lines.index(heading)
    level = heading.split(" ")[0]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].split(" ")[0] in {"#", "##", level}), len(lines))
    return lines[start:end]


def test_real_files_build_shows_producer_figures_on_quartier_pages(real_site: Path):
    lines = readable(page_text(real_site, "quartiers/QN05968M")).splitlines()
    # the 2015 quartier behind the series is named
    assert (
        "Séries des producteurs antérieures à 2024, par la table de correspondance de l'ANCT : Données du quartier "
        "2015 « Bizet - Briquetterie » (QP059070) : périmètre modifié en 2024." in lines
    )
    # Insee's file gives the figure in large, with its file and column, on the page of the enjeu 6
    html = page_text(real_site, "quartiers/QN05968M/revenus-pauvrete")
    lines = readable(html).splitlines()
    from_insee = [f for f in figures(html) if f.heading == POVERTY and "data_filo19_qp_revdis.csv" in f.source]
    assert [(f.value, f.period) for f in from_insee] == [("41,5 %", "chiffre de 2019")]
    assert from_insee[0].source.endswith("(data_filo19_qp_revdis.csv, colonne DISP_TP60_A19).")
    # the series over the millésimes: REVN_2017 to REVN_2022 (Filosofi 2013 to 2018), data_filo16 and 19
    series = "Taux de pauvreté : Bizet - Briqueterie et ses références au fil des millésimes"
    expected = {"2013": "35,3 %", "2014": "37,2 %", "2015": "37,0 %", "2016": "36,6 %", "2017": "39,3 %"}
    expected |= {"2018": "43,3 %", "2019": "41,5 %"}
    assert {year: cell(html, series, "Bizet - Briqueterie", year) for year in expected} == expected
    poverty = _section(lines, f"## {POVERTY}")
    # the gap's evolution, in points, measured as the comité measures it, and the series chart
    trend = "L'écart avec la MEL s'est creusé de 4,8 points entre 2015 et 2019 (+17,7 puis +22,5 points)."
    comite = "[Tous les quartiers du contrat au comité de pilotage](../../../comite/taux-pauvrete-60/#mel-QN05968M)"
    assert f"{trend} {comite}" in poverty
    assert f"graphique serie-taux-pauvrete-60 : {series}" in poverty


def test_real_files_build_at_least_four_editions_with_archives_saying_so(real_site: Path):
    archives = sorted(p.name for p in (real_site / "editions").iterdir() if p.is_dir())
    assert len(archives) >= 4
    archived = readable(page_text(real_site, f"editions/{archives[0]}/quartiers/QN05968M")).splitlines()
    banner = archived[archived.index("bandeau :") + 1 : archived.index("contenu :")]
    assert banner == [
        f"Vous consultez l'édition {archives[0]}, une archive.",
        "[Une édition plus récente existe : la consulter](../../../../).",
    ]
    changes_page = readable(page_text(real_site, "editions/2018/changements")).splitlines()
    new = _section(changes_page, "## Enjeu 6 — Grande précarité, accès aux droits")
    assert "Nouveaux millésimes :" in new
    assert f"[{POVERTY}](../indicateurs/taux-pauvrete-60/) : 2014" in new  # Filosofi 2014, REVN_2018
    committee = page_text(real_site, "comite/taux-pauvrete-60")
    caption = f"{POVERTY} — MEL : niveau et écart avec la MEL, par quartier"
    assert cell(committee, caption, "Bizet - Briqueterie", "Millésimes") == "2015 → 2019"
    assert cell(committee, caption, "Bizet - Briqueterie", "Niveau") == "37,0 % → 41,5 % (+4,5 points)"
    assert cell(committee, caption, "Bizet - Briqueterie", "Situation") == "dégradé"
    assert cell(committee, caption, "Bizet - Briqueterie", "Écart au début puis à la fin") == (
        "+17,7 points puis +22,5 points (+4,8 points)"
    )
    assert cell(committee, caption, "Bizet - Briqueterie", "Écart").startswith("creusé")


def test_the_producers_ensemble_row_covers_metropole_and_la_reunion_not_all_of_france(real):
    """DEMO_2017's « Ensemble » population is the sum of its quartiers of France métropolitaine and of
    La Réunion (QP974…), not of all QPV (5 353 790 in 1 436 quartiers, RP 2013): named for what it covers."""
    import csv

    with (SHARED / "qpv-2015" / "DEMO_2017.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    column = [name.strip() for name in rows[0]].index("POP_MUN")

    def population(row: list[str]) -> int:
        return int(row[column].replace("\u202f", "").replace("\u00a0", "").replace(" ", "") or 0)

    ensemble = next(population(row) for row in rows[1:] if row and row[0] == "Ensemble")
    metropole = sum(population(row) for row in rows[1:] if row and row[0].startswith("QP") and row[0][2:4] != "97")
    reunion = sum(population(row) for row in rows[1:] if row and row[0].startswith("QP974"))
    assert (ensemble, metropole, reunion) == (5_019_573, 4_856_046, 163_527)
    values = _values(real, "qpv-metro-reunion", "population")
    assert 5_019_573 in set(values["value"])
    assert real.territory("qpv-metro-reunion").name.startswith(
        "Ensemble des quartiers prioritaires de France métropolitaine et de La Réunion"
    )
    assert _values(real, "qpv-france", "population").empty  # « France » is left to documents that say so
