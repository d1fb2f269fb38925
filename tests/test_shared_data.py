"""Reads the real producer files of ../shared/data (present in CI beside the project)."""

from pathlib import Path

import pytest

from observatory.pipeline import load

from .conftest import DEFAULT_CONFIG, ROOT, page_text

SHARED = ROOT.parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")


@pytest.fixture(scope="module")
def real():
    return load(DEFAULT_CONFIG, data_dir=SHARED)


def test_all_real_files_read_without_problem_and_balance(real):
    assert len(real.accounts) >= 34  # 33 producer files and the CAF IRIS sample, which no mapping reads
    assert all(account.balanced for account in real.accounts if account.mapping)
    unrecognised = [Path(a.file).name for a in real.accounts if not a.mapping]
    assert unrecognised == ["data_CAF_2020_IRIS.csv"]  # a layout sample no mapping reads: listed, not lost


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


def test_real_files_build_shows_producer_figures_on_quartier_pages(real_site: Path):
    html = page_text(real_site, "quartiers/QN05968M")
    assert "QP059070" in html  # the 2015 quartier behind the series is named
    assert "data_filo19_qp_revdis.csv" in html
    assert "millésimes précédents" in html
    assert "L&#39;écart avec l&#39;ensemble des QPV de France s&#39;est" in html  # gap evolution sentence
    assert 'data-chart="serie-taux-pauvrete-60"' in html  # series chart


def test_real_files_build_at_least_four_editions_with_archives_saying_so(real_site: Path):
    archives = sorted(p.name for p in (real_site / "editions").iterdir() if p.is_dir())
    assert len(archives) >= 4
    archived = page_text(real_site, f"editions/{archives[0]}/quartiers/QN05968M")
    assert "une archive" in archived and "Une édition plus récente existe" in archived
    changes_page = page_text(real_site, "editions/2018/changements")
    assert "Nouveaux millésimes" in changes_page and "2014" in changes_page
    committee = page_text(real_site, "comite")
    assert "s&#39;améliore" in committee or "se dégrade" in committee
