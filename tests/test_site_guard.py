"""The site folder is the build's only victim (issue 29): a build or an extract refuses, in French and
before writing anything, an output folder that is the project, holds its inputs, is an ordinary file or a
folder it did not build — every file outside the site keeps its bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from observatory.cli import main
from observatory.publish.guard import MARKER
from tests.conftest import copy_mini


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the two-quartier observatory as a project: configuration, inputs, a .git and notes."""
    config = copy_mini(tmp_path)
    root = config.parent
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "notes.txt").write_text("à garder\n", encoding="utf-8")
    (tmp_path / "autre").mkdir()
    (tmp_path / "autre" / "tableau.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("site_dir", "found"),
    [
        (".", "il contient .git"),
        ("notes.txt", "un fichier ordinaire"),
        ("producers", "une entrée de la construction"),
        ("../autre", "un dossier qui n'a pas été construit par l'observatoire"),
    ],
    ids=["project-root", "ordinary-file", "inputs-folder", "foreign-folder"],
)
def test_a_build_never_replaces_what_is_not_its_site(project: Path, capsys, site_dir: str, found: str):
    before = _hashes(project.parent)
    data = ["--data-dir", str(project / "producers")]  # the two-quartier producer files
    code = main(["build", "--config", str(project / "observatory.yml"), *data, "--site-dir", str(project / site_dir)])
    assert code == 1
    err = capsys.readouterr().err
    assert "Le dossier de sortie n'est pas remplaçable" in err
    assert found in err
    assert "Rien n'a été écrit ni supprimé" in err
    assert _hashes(project.parent) == before


def test_a_built_site_carries_its_marker_and_is_replaced_by_the_next_build(project: Path):
    config, site = project / "observatory.yml", project.parent / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0
    assert (site / MARKER).is_file()
    (site / "vieux.html").write_text("ancienne page", encoding="utf-8")
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0
    assert not (site / "vieux.html").exists()  # a site it built is replaced whole


def test_an_empty_folder_is_a_valid_site_folder(project: Path):
    site = project.parent / "vide"
    site.mkdir()
    assert main(["build", "--config", str(project / "observatory.yml"), "--site-dir", str(site)]) == 0
    assert (site / MARKER).is_file()


def test_a_site_built_before_the_marker_existed_is_still_replaced(project: Path):
    config, site = project / "observatory.yml", project.parent / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0
    (site / MARKER).unlink()
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 0


def test_extract_never_replaces_the_project(project: Path, capsys):
    shared = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    before = _hashes(project.parent)
    code = main(["extract", "--config", str(project / "observatory.yml"), "--from", str(shared), "--out", str(project)])
    assert code == 1
    assert "il contient .git" in capsys.readouterr().err
    assert _hashes(project.parent) == before


def test_a_link_to_the_project_is_refused_as_the_project(project: Path, capsys):
    link = project.parent / "lien"
    link.symlink_to(project)
    before = _hashes(project)
    assert main(["build", "--config", str(project / "observatory.yml"), "--site-dir", str(link)]) == 1
    assert "il contient .git" in capsys.readouterr().err
    assert _hashes(project) == before
