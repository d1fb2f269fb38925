"""Census counts by commune summed to EPCI, département and région: rates on the sums, never a
sum with a missing commune. Fixture written by hand in the comparateur's layout (made-up values)."""

from pathlib import Path

import pytest

from observatory.inputs.catalog import load_catalog
from observatory.inputs.sources.mappings import load_mappings
from observatory.inputs.sources.producers import read_producer_file
from observatory.inputs.territories import Referential, Territory

from .conftest import ROOT

HEADER = "CODGEO;P18_POP;P18_POP1564;P18_ACT1564;P18_CHOM1564;NBMENFISC19;PIMP19;MED19;TP6019\r\n"


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "EPCI.csv").write_text(
        "COM;LIBGEO;EPCI;LIBEPCI;DEP;REG\r\n"
        "62498;Lens;999999999;CA test;62;32\r\n"
        "62510;Liévin;999999999;CA test;62;32\r\n"
        "62001;Ablain;888888888;CC autre;62;32\r\n",
        encoding="utf-8",
    )
    (tmp_path / "base_cc_comparateur_RP2018_extract.CSV").write_text(
        HEADER
        + "62498;1000;600;400.5;100.5;500;30;17000;30\r\n"
        + "62510;3000;1900;1300;200;1400;35;18000;25\r\n"
        + "62001;;;;;;;;\r\n",  # counts not available, as for the communes of Mayotte
        encoding="utf-8",
    )
    return tmp_path


def _referential() -> Referential:
    territories = {
        "com-62498": Territory(id="com-62498", kind="commune", name="Lens"),
        "epci-999999999": Territory(id="epci-999999999", kind="epci", name="CA test"),
        "dep-62": Territory(id="dep-62", kind="departement", name="Pas-de-Calais"),
    }
    return Referential(territories=territories)


def test_counts_are_summed_and_the_rate_computed_on_the_sums(files: Path):
    catalog = load_catalog(ROOT / "indicators", {1, 2, 3, 4, 5, 6})
    mapping = next(m for m in load_mappings(ROOT / "data" / "producers", catalog) if m.id == "insee-rp-comparateur")
    path = files / "base_cc_comparateur_RP2018_extract.CSV"
    frame, problems, accounting = read_producer_file(path, mapping, mapping.match(path.name), _referential(), catalog)
    assert problems == []
    values = {(r.territory, r.indicator, r.period): r.value for r in frame.itertuples()}
    assert values[("epci-999999999", "population", "2018")] == 4000
    # (400,5 + 1 300 − 100,5 − 200) / (600 + 1 900) = 56 %, not the mean of the communes' rates
    assert values[("epci-999999999", "taux-emploi-15-64", "2018")] == pytest.approx(56.0)
    assert values[("com-62498", "taux-emploi-15-64", "2018")] == pytest.approx(50.0)
    assert values[("com-62498", "taux-pauvrete-60", "2019")] == 30  # Filosofi: the commune's own rate
    assert not any(territory == "dep-62" for territory, _, _ in values)  # Ablain has no counts: no sum
    assert any("dep-62 : 1 commune(s)" in warning for warning in accounting.warnings)
    location = frame[frame["territory"] == "epci-999999999"]["location"].iloc[0]
    assert "somme des 2 communes de la table EPCI.csv" in location
    assert accounting.balanced


def test_a_commune_given_twice_is_refused_never_summed_twice(files: Path):
    catalog = load_catalog(ROOT / "indicators", {1, 2, 3, 4, 5, 6})
    mapping = next(m for m in load_mappings(ROOT / "data" / "producers", catalog) if m.id == "insee-rp-comparateur")
    path = files / "base_cc_comparateur_RP2018_extract.CSV"
    path.write_text(
        path.read_text(encoding="utf-8") + "62498;1000;600;400.5;100.5;500;30;17000;30\r\n", encoding="utf-8"
    )
    frame, problems, accounting = read_producer_file(path, mapping, mapping.match(path.name), _referential(), catalog)
    assert [p.message().replace(f"{files}/", "") for p in problems] == [
        "base_cc_comparateur_RP2018_extract.CSV, ligne 5, colonne 'CODGEO' : une seule ligne par territoire attendu, "
        "trouvé '62498 (déjà ligne 2)'."
    ]
    population = frame[(frame["territory"] == "epci-999999999") & (frame["indicator"] == "population")]
    assert list(population["value"]) == [4000]  # Lens counted once
    assert accounting.reported["en erreur"] == 1 and accounting.balanced
