"""The quartiers referential is the official ANCT 2024 layer's extract (reads ../shared/data)."""

from pathlib import Path

import pytest

from observatory.cli import main

from .conftest import ROOT

LAYER = ROOT.parent / "shared" / "data" / "qpv-2024" / "qpv2024_simplified.geojson"


@pytest.mark.skipif(not LAYER.exists(), reason="../shared/data is not beside the project")
def test_committed_referential_is_the_layer_extract(tmp_path: Path):
    out = tmp_path / "quartiers.csv"
    assert main(["referential", str(LAYER), "--epci", "200093201", "--epci", "246200364", "--out", str(out)]) == 0
    committed = ROOT / "data" / "referential" / "quartiers_2024.csv"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    rows = out.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == 48
    assert sum(",200093201," in row for row in rows) == 26
    shared = [row for row in rows if "|246200364" in row or "246200364|" in row]
    assert len(shared) == 4  # CALL quartiers shared with a neighbouring EPCI


def test_a_broken_layer_is_reported_in_french(tmp_path: Path, capsys):
    layer = tmp_path / "couche.geojson"
    layer.write_text("{pas du json", encoding="utf-8")
    assert main(["referential", str(layer), "--epci", "200093201", "--out", str(tmp_path / "q.csv")]) == 1
    assert "une couche GeoJSON de l'ANCT attendu" in capsys.readouterr().err
