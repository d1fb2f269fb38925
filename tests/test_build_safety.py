"""Publishing safely (issue 29): readers always find a site, a failed or interrupted build says in
French what became of the previous site and leaves it byte for byte, and two builds of one site
folder never run together."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from observatory.publish import site as publishing
from observatory.publish.guard import MARKER, mark

from .conftest import ROOT, copy_mini


def _previous_site(tmp_path: Path) -> Path:
    """A site an earlier build published: its marker and a page only it has."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "ancienne.html").write_text("page de l'édition précédente", encoding="utf-8")
    mark(site)
    return site


def _is_built(site: Path) -> bool:
    return (site / MARKER).is_file() and (site / "quartiers" / "QN05967M" / "index.html").is_file()


def _no_work_left(parent: Path) -> bool:
    return not list(parent.glob(".site-build-*")) and not (parent / ".site-cache" / "staging").exists()


# --- 1. the swap: a reader finds the previous site or the new one, never nothing ------------------


def _folders(tmp_path: Path) -> tuple[Path, Path, int, int]:
    built, target = tmp_path / "work" / "site", tmp_path / "site"
    built.mkdir(parents=True)
    (built / "nouvelle.html").write_text("nouvelle", encoding="utf-8")
    target.mkdir()
    (target / "ancienne.html").write_text("ancienne", encoding="utf-8")
    return built, target, built.stat().st_ino, target.stat().st_ino


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_built_site_and_the_published_one_are_exchanged_in_one_step(tmp_path: Path, monkeypatch):
    built, target, new, old = _folders(tmp_path)
    renamed = []
    monkeypatch.setattr(Path, "rename", lambda *paths: renamed.append(paths))  # the two renames are not used
    publishing.swap_in(built, target)
    assert renamed == []
    assert target.stat().st_ino == new and (target / "nouvelle.html").is_file()
    assert built.stat().st_ino == old and (built / "ancienne.html").is_file()  # in the work folder, removed next


def test_where_the_system_cannot_exchange_two_renames_replace_the_site(tmp_path: Path, monkeypatch):
    built, target, new, _ = _folders(tmp_path)
    monkeypatch.setattr(publishing, "_exchange", lambda first, second: False)
    publishing.swap_in(built, target)
    assert target.stat().st_ino == new and (target / "nouvelle.html").is_file()
    assert (built.parent / "previous" / "ancienne.html").is_file()


KILLED_AT_THE_SWAP = """
import os, pathlib, signal, sys
from pathlib import Path
from observatory.pipeline import build
site = Path(sys.argv[2]).resolve()
rename = pathlib.Path.rename
def killed_after(self, target):
    moved = rename(self, target)
    if Path(self) == site:  # the published site moved away: the build is killed here
        os.kill(os.getpid(), signal.SIGKILL)
    return moved
pathlib.Path.rename = killed_after
build(Path(sys.argv[1]), site)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_a_build_killed_at_the_swap_never_leaves_readers_without_a_site(tmp_path: Path):
    config, site = copy_mini(tmp_path), _previous_site(tmp_path)
    run = subprocess.run([sys.executable, "-c", KILLED_AT_THE_SWAP, str(config), str(site)], cwd=ROOT)
    assert run.returncode == 0  # the published site was never moved away from site/
    assert _is_built(site) and not (site / "ancienne.html").exists()
    assert _no_work_left(tmp_path)
