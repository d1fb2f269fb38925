"""The readers registry (observatory.inputs.sources.READERS) says how every kind of input file is read."""

from dataclasses import replace

import pytest
import yaml

from observatory.inputs.sources import READERS
from observatory.inputs.sources.mappings import FILE_KINDS
from observatory.pipeline import load

from .conftest import FIXTURES, MINI_CONFIG, ROOT


def _kinds_used() -> set[str]:
    """The kinds the mappings of data/producers declare ("table" when a mapping says none)."""
    paths = (ROOT / "data" / "producers").glob("*.yml")
    return {yaml.safe_load(path.read_text(encoding="utf-8")).get("kind", "table") for path in paths}


def test_every_kind_a_mapping_declares_has_a_reader():
    assert _kinds_used() <= set(READERS), _kinds_used() - set(READERS)


@pytest.mark.parametrize("kind", sorted(READERS))
def test_every_reader_is_used_or_says_what_it_reads(kind):
    reader = READERS[kind]
    assert reader.description and "\n" not in reader.description  # one line
    if reader.files:  # read without a mapping: the figures transcribed from documents (data.figures)
        assert kind not in FILE_KINDS
        assert sorted((ROOT / "data" / "figures").glob(reader.files))
    else:
        assert kind in _kinds_used(), f"aucune table de data/producers n'a le type {kind}"


def test_the_registry_and_the_mappings_know_the_same_kinds():
    """A kind the mappings accept has a reader, and a producer reader reads a kind they accept."""
    assert {kind for kind, reader in READERS.items() if not reader.files} == set(FILE_KINDS)


def test_files_are_read_by_the_reader_of_their_kind(monkeypatch):
    """read_producer_file goes through the registry: no kind is read by an if/elif of its own."""
    read = {}
    for kind, reader in READERS.items():
        if not reader.files:

            def spy(source, accounting, kind=kind, original=reader.read):
                read[source.path.name] = kind
                return original(source, accounting)

            monkeypatch.setitem(READERS, kind, replace(reader, read=spy))
    load(MINI_CONFIG, data_dir=FIXTURES / "producers" / "valid")
    assert read["REVN_2022.csv"] == "table"
    assert read["qpv_correspondance_2024_2015.csv"] == "correspondence"
