"""Publishing safely (issue 29): readers always find a site, a failed or interrupted build says in
French what became of the previous site and leaves it byte for byte, and two builds of one site
folder never run together."""

from __future__ import annotations

import errno
import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from observatory.cli import main
from observatory.publish import site as publishing
from observatory.publish.guard import MARKER, mark

from .conftest import ROOT, copy_mini

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


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


# --- 2. what a failed build says of the previous site is true --------------------------------------


def _break_figures(config: Path) -> None:
    figures = config.parent / "figures" / "armentieres.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("QN05967M;", "QN00000X;"), encoding="utf-8")


def test_a_failed_first_build_says_no_site_was_built(tmp_path: Path, capsys):
    config, site = copy_mini(tmp_path), tmp_path / "site"
    _break_figures(config)
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"Échec : aucun site n'a été construit dans {site.resolve()}." in err
    assert "site précédent" not in err
    assert not site.exists()


def test_a_failed_build_says_where_the_previous_site_is_left_intact(tmp_path: Path, capsys):
    config, site = copy_mini(tmp_path), _previous_site(tmp_path)
    before = _hashes(site)
    _break_figures(config)
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 1
    assert f"Échec : le site précédent, dans {site.resolve()}, est laissé intact." in capsys.readouterr().err
    assert _hashes(site) == before


# --- 3. one build at a time per site folder --------------------------------------------------------

WAITING_IN_MKDOCS = """
import sys, time
from pathlib import Path
from observatory.cli import main
from observatory.publish import site
run_mkdocs, go = site.run_mkdocs, Path(sys.argv[3])
def waiting(*args, **kwargs):
    while not go.exists():
        time.sleep(0.05)
    return run_mkdocs(*args, **kwargs)
site.run_mkdocs = waiting
sys.exit(main(["build", "--config", sys.argv[1], "--site-dir", sys.argv[2]]))
"""


def _wait_until_held(lock: Path, first: subprocess.Popen) -> None:
    """Until the first build holds its site's lock (its pid written in the lock file)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if lock.exists() and lock.read_text(encoding="utf-8").startswith(f"{first.pid} "):
            return
        time.sleep(0.05)
    pytest.fail("la première construction n'a jamais pris le verrou du site")


@pytest.mark.skipif(fcntl is None, reason="no flock on this system")
def test_a_second_build_of_the_same_site_is_refused_while_the_first_runs(tmp_path: Path):
    config, site, go = copy_mini(tmp_path), _previous_site(tmp_path), tmp_path / "go"
    command = [sys.executable, "-c", WAITING_IN_MKDOCS, str(config), str(site), str(go)]
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_held(site.parent / f".{site.name}.lock", first)
        second = subprocess.run(
            [sys.executable, "-m", "observatory", "build", "--config", str(config), "--site-dir", str(site)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert second.returncode == 1
        assert f"Une construction est déjà en cours pour ce site (processus {first.pid}, commencée le " in second.stderr
        assert ") : attendez sa fin, puis relancez." in second.stderr
        assert "Traceback" not in second.stderr
        assert (site / "ancienne.html").is_file()  # the site is untouched while the first build runs
    finally:
        go.touch()
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert "Site construit dans" in out
    assert _is_built(site) and not (site / "ancienne.html").exists()
    assert _no_work_left(tmp_path)


# --- 4. the system's errors and Ctrl-C in French, no traceback, the previous site intact ------------


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "{path}"), "disque plein : libérez de la place"),
        (OSError(errno.EROFS, "Read-only file system", "{path}"), "dossier en lecture seule : choisissez"),
        (PermissionError(errno.EACCES, "Permission denied", "{path}"), "permission refusée : donnez"),
    ],
    ids=["disk-full", "read-only", "permission"],
)
def test_a_system_error_is_said_in_french_and_the_previous_site_is_intact(
    tmp_path: Path, capsys, monkeypatch, error: OSError, said: str
):
    config, site = copy_mini(tmp_path), _previous_site(tmp_path)
    before = _hashes(site)
    path = tmp_path / ".site-build-x" / "docs-test" / "index.md"

    def failing(*args, **kwargs):
        raise type(error)(error.errno, error.strerror, str(path))

    monkeypatch.setattr(publishing, "write_docs", failing)
    assert main(["build", "--config", str(config), "--site-dir", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"{path} : {said}" in err
    assert f"Échec : le site précédent, dans {site.resolve()}, est laissé intact." in err
    assert "Traceback" not in err
    assert _hashes(site) == before
    assert _no_work_left(tmp_path)


def test_ctrl_c_during_a_build_leaves_the_previous_site_intact(tmp_path: Path, capsys, monkeypatch):
    config, site = copy_mini(tmp_path), _previous_site(tmp_path)
    before = _hashes(site)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publishing, "run_mkdocs", interrupted)
    try:
        code = main(["build", "--config", str(config), "--site-dir", str(site)])
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C a traversé la commande : une trace Python au lieu d'un message")
    assert code == 130
    said = capsys.readouterr().err
    assert "Construction interrompue (Ctrl-C)." in said
    assert f"Échec : le site précédent, dans {site}, est laissé intact." in said
    assert _hashes(site) == before
    assert _no_work_left(tmp_path)
