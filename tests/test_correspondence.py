"""2015 → 2024 links from the ANCT's official table, its declared corrections, and the 2015
quartiers that left the geography — checked on the whole national table."""

import csv
import shutil
from pathlib import Path

import pytest

from observatory.cli import main
from observatory.errors import ObservatoryError
from observatory.figures.correspondence import doubtful_rows, link_quartiers
from observatory.inputs.territories import load_referential
from observatory.pipeline import load

from .conftest import ROOT, SHARED_DATA

pytestmark = pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data is not beside the project")
FRANCE = ROOT / "configs" / "france"
TABLE = SHARED_DATA / "qpv-2024" / "qpv_correspondance_2024_2015.csv"
CORRECTIONS = FRANCE / "correspondance_corrections.csv"


def _national(corrections: Path | None = CORRECTIONS, former: str = "all"):
    referential = load_referential(SHARED_DATA / "qpv-2024" / "qpv2024_simplified.geojson", FRANCE / "territories.csv")
    found = link_quartiers(referential, TABLE, corrections, SHARED_DATA, former)
    return referential, found


@pytest.fixture(scope="module")
def national():
    return _national()


def _official() -> dict[str, list[str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["qp2024"]: [row[f"qp2015_{n}"] for n in (1, 2, 3) if row[f"qp2015_{n}"]] for row in rows}


def test_every_2024_quartier_gets_exactly_the_predecessors_of_the_table(national):
    referential, _ = national
    official = _official()
    corrected = {"QN02611M": ["QP026011"], "QN02612M": ["QP026012"]}
    for quartier in referential.quartiers:
        expected = corrected.get(quartier.id, official.get(quartier.id, []))
        assert [link.qp2015 for link in referential.predecessors(quartier.id)] == expected, quartier.id


def test_no_series_reaches_a_quartier_the_table_does_not_link(national):
    referential, _ = national
    official = _official()
    for code, links in referential.qp2015.items():
        for link in links:
            if link.qn2024:
                assert code in official[link.qn2024] or link.correction, (code, link.qn2024)
            else:  # left the geography: in no row of the table
                assert all(code not in predecessors for predecessors in official.values())


def test_the_cases_that_name_matching_got_wrong(national):
    referential, _ = national
    assert [link.qp2015 for link in referential.predecessors("QN05925M")] == ["QP059025"]  # not Condé's QP059023
    assert [link.qp2015 for link in referential.predecessors("QN97421I")] == ["QP974021"]
    assert [link.qp2015 for link in referential.predecessors("QN09110M")] == ["QP091010"]


def test_statuses_say_how_a_series_passes(national):
    referential, _ = national
    unchanged = next(q for q, row in _rows().items() if row["statut"] == "INCHANGE" and row["qp2015_1"])
    link = referential.predecessors(unchanged)[0]
    assert referential.targets(link.qp2015)[0][2] == ""  # passes as is
    assert "inchangé" in link.note
    modified = referential.predecessors("QN05966M")[0]
    assert modified.qp2015 == "QP059067" and "périmètre modifié en 2024" in modified.note
    assert referential.targets("QP059067") == [("QN05966M", modified.note, "qp2015")]


def _rows() -> dict[str, dict]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["qp2024"]: row for row in csv.DictReader(handle)}


def test_several_predecessors_are_shown_apart_under_their_names(national):
    referential, _ = national
    links = referential.predecessors("QN09119M")
    assert [link.qp2015 for link in links] == ["QP091019", "QP091020", "QP091024"]
    for link in links:
        territory = referential.territories[link.qp2015]
        assert territory.kind == "quartier2015" and territory.related == ("QN09119M",)
        assert referential.targets(link.qp2015)[0][0] == link.qp2015  # never summed into QN09119M
        assert "réunit 3 quartiers 2015" in link.note


def test_a_split_2015_quartier_shows_its_series_on_each_successor(national):
    referential, _ = national
    targets = referential.targets("QP062061")
    assert sorted(territory for territory, _, _ in targets) == ["QN06259M", "QN06260M"]
    assert all("Ancien quartier partagé entre ce quartier et" in note for _, note, _ in targets)


def test_2015_quartiers_without_successor_keep_a_territory(national):
    referential, _ = national
    former = [t for t in referential.territories.values() if t.kind == "quartier2015" and not t.related]
    assert len(former) == 53  # the 2015 quartiers of DEMO_2022 that no row of the table names
    residence = referential.territories["QP059068"]
    assert residence.name == "Résidence" and residence.commune_names == ("Villeneuve-d'Ascq",)
    assert "sorti de la géographie prioritaire en 2024" in referential.qp2015["QP059068"][0].note


def test_check_lists_the_crossed_pairs_and_the_corrections(national):
    referential, found = national
    lines = doubtful_rows(found, referential)
    elnon = [line for line in lines if line.startswith("QN05956M")]
    assert elnon and "aucun mot commun" in elnon[0]  # same commune: only the names can tell
    loriol = [line for line in lines if line.startswith("QN02611M")]
    assert loriol == []  # corrected: the predecessor's commune is now the quartier's
    uncorrected_referential, uncorrected = _national(corrections=None)
    crossed = [line for line in doubtful_rows(uncorrected, uncorrected_referential) if line.startswith("QN0261")]
    assert len(crossed) == 2 and all("communes différentes" in line for line in crossed)


def test_a_correction_needs_its_reason(tmp_path):
    bad = tmp_path / "corrections.csv"
    bad.write_text("qn2024;qp2015;qp2015_name;action;reason\nQN02611M;QP026011;Coeur De Loriol;remplace;\n")
    with pytest.raises(ObservatoryError) as error:
        _national(corrections=bad)
    assert str(bad) in str(error.value) and "ligne 2" in str(error.value) and "reason" in str(error.value)


def test_default_build_links_the_mel_and_call_through_the_table_and_keeps_residence():
    obs = load(ROOT / "observatory.yml")
    referential = obs.referential
    assert len([q for q in obs.quartiers() if referential.predecessors(q.id)]) == 47  # all but Le Parc
    assert referential.predecessors("QN05991N") == []
    residence = obs.figures[obs.figures["territory"] == "QP059068"]
    assert not residence.empty and set(residence["geography"]) == {"qp2015"}
    assert "QP059068" not in {t for q in obs.quartiers() for t in obs.references(q)}


def test_extract_keeps_the_rows_of_the_quartier_that_left(tmp_path):
    shutil.copytree(ROOT / "data" / "extract", tmp_path / "extract")
    demo = (tmp_path / "extract" / "qpv-2015" / "DEMO_2022.csv").read_text(encoding="utf-8-sig")
    assert "QP059068;Résidence;" in demo
    assert main(["check"]) == 0


def test_national_series_reach_exactly_the_linked_quartiers(tmp_path: Path):
    """The floor of the issue, on the whole table: every 2024 quartier whose predecessor is in the
    ANCT file has that series; no 2015 series reaches a quartier the table does not link."""
    data = tmp_path / "data"
    (data / "qpv-2015").mkdir(parents=True)
    (data / "qpv-2024").mkdir()
    for name in (
        "qpv-2015/DEMO_2022.csv",
        "qpv-2024/qpv_correspondance_2024_2015.csv",
        "qpv-2024/qpv2024_simplified.geojson",
    ):
        (data / name).symlink_to(SHARED_DATA / name)
    obs = load(FRANCE / "observatory.yml", site_dir=tmp_path / "site", data_dir=data)
    figures = obs.figures[obs.figures["document"] == "anct-demo"]
    demo = set(figures["territory"])
    in_file = {
        row["CODGEO"]
        for row in csv.DictReader(
            (SHARED_DATA / "qpv-2015" / "DEMO_2022.csv").open(encoding="utf-8-sig"), delimiter=";"
        )
    }
    for quartier in obs.quartiers():
        links = [link for link in obs.referential.predecessors(quartier.id) if link.qp2015 in in_file]
        places = {link.territory for link in links}
        assert places <= demo, quartier.id
        if not links:
            assert quartier.id not in demo, quartier.id
    assert len(demo & obs.quartier_ids()) == 1341  # 1 430 with predecessors − 13 merges (shown apart) − 76 outside DEMO
