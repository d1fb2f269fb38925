"""The embedded extract (data/extract) is exactly what `observatory extract` makes from the
producers' files: re-extracted from ../shared/data when it is there, and compared byte for byte."""

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from observatory.cli import main

from .conftest import ROOT, copy_mini
from .test_bad_inputs import PRODUCERS, Corrupt
from .test_strict_reading import FOLDER_CASES

SHARED = ROOT.parent / "shared" / "data"
EXTRACT = ROOT / "data" / "extract"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_shared
def test_the_extract_is_what_the_command_makes_from_the_producers_files(tmp_path: Path):
    out = tmp_path / "extract"
    command = [sys.executable, "-m", "observatory", "extract", "--from", str(SHARED), "--out", str(out)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    made, committed = _files(out), _files(EXTRACT)
    assert sorted(made) == sorted(committed)
    different = [name for name in made if made[name] != committed[name]]
    assert different == [], f"refresh with: python -m observatory extract ({different})"


@needs_shared
def test_every_extracted_line_is_a_line_of_its_source_and_the_manifest_hashes_the_source():
    rows = list(csv.DictReader((EXTRACT / "MANIFEST.csv").open(encoding="utf-8"), delimiter=";"))
    assert len(rows) >= 70
    for row in rows:
        source = SHARED / row["fichier"]
        assert hashlib.sha256(source.read_bytes()).hexdigest() == row["sha256_source"]
        target = EXTRACT / row["fichier"]
        if row["fichier"].endswith((".geojson", ".xlsx")):  # rewritten, values unchanged (tests/test_iris.py)
            continue
        if int(row["lignes_gardees"]) == 0:
            assert not target.exists()
            continue
        source_lines = set(source.read_bytes().splitlines(keepends=True))
        kept = target.read_bytes().splitlines(keepends=True)
        assert all(line in source_lines for line in kept), row["fichier"]
        assert len(kept) >= int(row["lignes_gardees"]) + 1  # the header line(s) and the rows kept


def test_the_extract_holds_only_the_configured_territories():
    demo = (EXTRACT / "qpv-2015" / "DEMO_2022.csv").read_text(encoding="utf-8-sig").splitlines()
    codes = {line.split(";")[0] for line in demo[1:]}
    assert all(code.startswith(("QP059", "QP062")) or code == "Ensemble" for code in codes)
    assert "QP059070" in codes  # Bizet - Briquetterie, predecessor of QN05968M


def test_check_names_a_source_that_no_longer_matches_the_manifest(tmp_path: Path):
    from observatory.inputs.extract import stale_sources

    source = tmp_path / "source"
    (source / "qpv-2015").mkdir(parents=True)
    (source / "qpv-2015" / "DEMO_2022.csv").write_bytes(b"changed")
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "MANIFEST.csv").write_text(
        "fichier;sha256_source;lignes_source;lignes_gardees;regle\nqpv-2015/DEMO_2022.csv;00;1;1;test\n",
        encoding="utf-8",
    )
    problems = stale_sources(folder, source)
    assert len(problems) == 1
    assert problems[0].row == 2 and "la source a changé" in problems[0].found
    assert "python -m observatory extract" in problems[0].hint


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("corrupt", "expected"), FOLDER_CASES)
def test_extract_refuses_what_the_build_refuses_in_the_producers_folder(
    tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]
):
    """The extract walks the producers' folder as the build does (data_folder.walk): an old copy in
    a sub-folder, a folder or a looping link named like a producer file are refused with the
    build's message (tests/test_strict_reading.py), and the previous extract is left as it was."""
    config = copy_mini(tmp_path)
    out = tmp_path / "extrait"
    assert main(["extract", "--config", str(config), "--from", str(PRODUCERS), "--out", str(out)]) == 0
    before = _tree(out)
    capsys.readouterr()
    file, folder = corrupt(config, tmp_path)
    assert main(["extract", "--config", str(config), "--from", str(folder), "--out", str(out)]) == 1
    said = capsys.readouterr().err
    for part in expected:
        filled = part.replace("{file}", str(file)).replace("{folder}", str(folder))
        assert filled in said, f"{filled!r} not in:\n{said}"
    assert said.splitlines()[-1] == "Échec : l'extrait précédent (s'il existe) est laissé intact."
    assert "Traceback" not in said
    assert _tree(out) == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
