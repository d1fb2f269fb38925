"""Cache correctness: whatever the sequence of full and incremental builds and of changes to the
inputs, an incremental build writes the site a clean full build of the same inputs writes, byte
for byte; a killed build's work folder is removed by the next build."""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from observatory import hashing
from observatory.cli import main
from observatory.publish.site import UNLOCKED_LEFTOVER_AGE

from .conftest import ROOT, copy_mini

FIGURES = Path("figures") / "armentieres.csv"
QUARTIER, NAME, POVERTY = "QN05967M", "Attargette - Chanzy", "taux-pauvrete-60"
CAPTION = "Taux de pauvreté au seuil de 60 % (revenu disponible)"


def _build(config: Path, site: Path, incremental: bool = False) -> None:
    """A build as the command line runs it."""
    argv = ["build", "--config", str(config), "--site-dir", str(site)]
    assert main([*argv, "--incremental"] if incremental else argv) == 0


def _set_value(config: Path, territory: str, indicator: str, value: str) -> str:
    """Rewrite the value of one figure of the mini fixture's figures file; returns the former one."""
    path = config.parent / FIGURES
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines):
        cells = line.split(";")
        if cells[:2] == [territory, indicator]:
            former, cells[3] = cells[3], value
            lines[number] = ";".join(cells)
            path.write_text("\n".join(lines), encoding="utf-8")
            return former
    raise AssertionError(f"{territory} {indicator} absent de {path}")


class _Tables(HTMLParser):
    """Every table of a page: its caption and its rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in {"caption", "th", "td"} and self.tables:
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"caption", "th", "td"} or self._text is None:
            return
        text, self._text = "".join(self._text).strip(), None
        if tag == "caption":
            self.tables[-1] = (text, self.tables[-1][1])
        elif self.tables[-1][1]:
            self.tables[-1][1][-1].append(text)


def _shown_value(site: Path) -> str:
    """The quartier's poverty rate as its page of the enjeu 6 shows it: the « Valeur » cell of its own row in the
    comparison table of the indicator."""
    parser = _Tables()
    parser.feed((site / "quartiers" / QUARTIER / "precarite-acces-droits" / "index.html").read_text(encoding="utf-8"))
    rows = next(rows for caption, rows in parser.tables if caption.startswith(CAPTION) and "Valeur" in rows[0])
    column = rows[0].index("Valeur")
    return next(row[column] for row in rows[1:] if row[0] == NAME)


def _digests(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()
    }


def _mismatches(site: Path, expected: dict[str, str]) -> list[str]:
    """The files in which a site differs from a clean full build (by sha256 of their bytes)."""
    found = _digests(site)
    return sorted(name for name in found.keys() | expected.keys() if found.get(name) != expected.get(name))


def _clean_build(config: Path, folder: Path) -> dict[str, str]:
    """A full build of the current inputs into a fresh folder, as digests of its files."""
    shutil.rmtree(folder, ignore_errors=True)
    _build(config, folder / "site")
    return _digests(folder / "site")


def test_a_full_build_between_incremental_builds_leaves_no_stale_page(tmp_path: Path):
    """Issue 14: incremental build, one figure changed, full build, the figure put back,
    incremental build: the page showed the changed figure, the full build having left the cache
    of the first build beside a site it no longer described."""
    config, site = copy_mini(tmp_path), tmp_path / "site"
    _build(config, site, incremental=True)
    assert _shown_value(site) == "41,8\u00a0%"
    original = _set_value(config, QUARTIER, POVERTY, "48,3")
    _build(config, site)
    assert _shown_value(site) == "48,3\u00a0%"
    _set_value(config, QUARTIER, POVERTY, original)
    _build(config, site, incremental=True)

    assert _shown_value(site) == "41,8\u00a0%"
    assert _mismatches(site, _clean_build(config, tmp_path / "clean")) == []


def test_a_site_replaced_by_another_writer_is_not_taken_for_the_cached_one(tmp_path: Path):
    """The same sequence when the site in the middle is written by something that leaves the
    cache alone (an earlier version's full build, a copy): the published site no longer has the
    signature the manifest recorded, and the incremental build is a full one."""
    config, site = copy_mini(tmp_path), tmp_path / "site"
    _own_setting(config)  # a cheaper build: 19 pages
    _build(config, site, incremental=True)
    original = _set_value(config, QUARTIER, POVERTY, "48,3")
    _build(config, tmp_path / "elsewhere" / "site")
    shutil.rmtree(site)
    (tmp_path / "elsewhere" / "site").rename(site)
    _set_value(config, QUARTIER, POVERTY, original)
    _build(config, site, incremental=True)

    assert _shown_value(site) == "41,8\u00a0%"
    assert _mismatches(site, _clean_build(config, tmp_path / "clean")) == []


def test_every_cache_key_holds_the_code_and_library_versions(tmp_path: Path, monkeypatch):
    """Producer files read and pickled by one pandas are not read back by another; nor pages
    built by another version of the code or of any library."""
    before = hashing.code_version()
    real = hashing.version
    monkeypatch.setattr(hashing, "version", lambda name: "0.0" if name == "pandas" else real(name))
    assert hashing.code_version() != before
    assert "pandas" in hashing.LIBRARIES and "plotly" in hashing.LIBRARIES


# --- a seeded random walk of changes and builds ---------------------------------------------

# The seed is one whose walk holds the sequence several times (an incremental build, a
# full build of other inputs, the inputs put back, an incremental build): the test counts them.
SEED, STEPS = 43, 200
WEIGHTS = {"cell": 2, "template": 1, "revert": 3, "full": 2, "incremental": 2}
CELLS = {  # (territory, indicator): the values a change chooses from, the first being the fixture's
    (QUARTIER, POVERTY): ("41,8", "48,3", "12,5"),
    ("epci-200093201", POVERTY): ("19", "25"),
}
TEMPLATES = {  # a template of the copy: the endings a change chooses from, the first being none
    Path("pages") / "quartier.md.j2": ("", "\n\nVariante du gabarit des quartiers.\n"),
    Path("assets") / "stylesheets" / "observatoire.css": ("", "\n/* variante */\n"),
}
INDICATORS = (POVERTY, "part-allocataires-rsa-socle")  # those of the fixture's figures


def _inodes(site: Path) -> set[int]:
    return {path.stat().st_ino for path in site.rglob("*") if path.is_file()}


def _own_setting(config: Path) -> Path:
    """The copy gets its own templates (a changed template must be the copy's) and, to make a
    build cheap (19 pages instead of 160: most are indicator pages), a catalog of the
    indicators its figures give."""
    folder = config.parent
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "indicators").mkdir()
    for indicator in INDICATORS:
        shutil.copy(ROOT / "indicators" / f"{indicator}.yml", folder / "indicators")
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^templates: .*$", "templates: templates", text)
    text = re.sub(r"key_indicators: \[.*\]", f"key_indicators: [{POVERTY}]", text)  # of this catalog
    config.write_text(re.sub(r"(?m)^catalog: .*$", "catalog: indicators", text), encoding="utf-8")
    return folder / "templates"


def _inputs(folder: Path) -> str:
    """The state of the inputs: every file of the copy."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class _Walk:
    """The copy, its site, the changes not reverted yet, and the clean full build of each state
    of the inputs met (memoized: states repeat as changes are reverted)."""

    def __init__(self, tmp_path: Path, rng: random.Random) -> None:
        self.tmp_path, self.rng = tmp_path, rng
        self.config = copy_mini(tmp_path)
        self.templates = _own_setting(self.config)
        self.originals = {name: (self.templates / name).read_text(encoding="utf-8") for name in TEMPLATES}
        self.site, self.clean, self.undo, self.builds = tmp_path / "site", {}, [], []
        self.returns, self.last_incremental, self.full_since = 0, None, []

    def change(self, kind: str) -> None:
        """One figure, or the ending of one template, to another of its values."""
        table = CELLS if kind == "cell" else TEMPLATES
        key = self.rng.choice(sorted(table))
        if kind == "cell":
            path = self.config.parent / FIGURES
            rows = [line.split(";") for line in path.read_text(encoding="utf-8").split("\n")]
            current = next(cells[3] for cells in rows if cells[:2] == list(key))
        else:
            path = self.templates / key
            current = path.read_text(encoding="utf-8").removeprefix(self.originals[key])
        self.undo.append((path, path.read_bytes()))
        value = self.rng.choice([v for v in table[key] if v != current])
        if kind == "cell":
            _set_value(self.config, *key, value)
        else:
            path.write_text(self.originals[key] + value, encoding="utf-8")

    def revert(self) -> None:
        if self.undo:
            path, content = self.undo.pop()
            path.write_bytes(content)

    def build(self, kind: str, step: int) -> None:
        """A build, then the comparison with the clean full build of the same inputs."""
        before = _inodes(self.site)
        _build(self.config, self.site, incremental=kind == "incremental")
        state = _inputs(self.config.parent)
        if state not in self.clean:
            self.clean[state] = _clean_build(self.config, self.tmp_path / "clean")
        self.builds.append(kind if not before & _inodes(self.site) else "reused")  # files kept as links
        assert _mismatches(self.site, self.clean[state]) == [], f"étape {step} ({kind}), après {self.builds}"
        if kind == "full":
            self.full_since.append(state)
            return
        self.returns += self.last_incremental == state and any(other != state for other in self.full_since)
        self.last_incremental, self.full_since = state, []


def test_any_sequence_of_changes_and_builds_gives_the_clean_full_builds_site(tmp_path: Path):
    """After every build of a seeded random sequence of steps (a figure changed, a template
    changed, the last change reverted, a full build, an incremental build), the site equals, file
    for file and byte for byte (sha256), a clean full build of the same inputs."""
    rng = random.Random(SEED)
    walk = _Walk(tmp_path, rng)
    for step in range(STEPS):
        kind = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
        if kind in {"cell", "template"}:
            walk.change(kind)
        elif kind == "revert":
            walk.revert()
        else:
            walk.build(kind, step)
    builds = walk.builds  # "incremental": one that rebuilt everything (after a change of the
    # stylesheet, in the setting; a changed page template renders only its pages again, and a
    # full build leaves the manifest of its site, which the incremental build after it reuses)
    counts = {kind: builds.count(kind) for kind in ("reused", "incremental", "full")}
    assert counts["reused"] >= 10 and counts["incremental"] >= 3 and counts["full"] >= 15, counts
    assert walk.returns >= 3 and len(walk.clean) >= 5


# --- work folders left by killed builds ---------------------------------------------------------

KILLED_DURING_MKDOCS = """
import os, signal, sys
from pathlib import Path
from observatory.publish import site
site.run_mkdocs = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
from observatory.pipeline import build
build(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_build_killed_during_mkdocs_leaves_a_folder_the_next_build_removes(tmp_path: Path):
    config, site = copy_mini(tmp_path), tmp_path / "site"
    killed = subprocess.run([sys.executable, "-c", KILLED_DURING_MKDOCS, str(config), str(site)], cwd=ROOT)
    assert killed.returncode == -9
    leftovers = list(tmp_path.glob(".site-build-*"))
    assert len(leftovers) == 1 and (leftovers[0] / ".lock").exists()
    cache = tmp_path / ".site-cache"  # the pages written for MkDocs, but no manifest: the next build is full
    assert any(cache.glob("*/docs/quartiers/*.md")) and not any(cache.glob("*/manifest.json"))

    _build(config, site)
    assert list(tmp_path.glob(".site-build-*")) == []
    assert _shown_value(site) == "41,8\u00a0%"


def test_only_the_work_folders_no_running_build_holds_are_removed(tmp_path: Path):
    config, site = copy_mini(tmp_path), tmp_path / "site"
    dead = tmp_path / ".site-build-dead"  # its owner held the lock, wrote its pid, then was killed
    (dead / "site").mkdir(parents=True)
    (dead / ".lock").write_text("123456")
    former = tmp_path / ".site-build-former"  # an earlier version's, without lock, untouched for long
    (former / "site").mkdir(parents=True)
    past = time.time() - UNLOCKED_LEFTOVER_AGE - 60
    os.utime(former, (past, past))
    running = tmp_path / ".site-build-running"  # a concurrent build: it holds its lock
    running.mkdir()
    lock = os.open(running / ".lock", os.O_WRONLY | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    os.write(lock, b"1")
    starting = tmp_path / ".site-build-starting"  # a build starting: no lock yet, just made
    starting.mkdir()
    other = tmp_path / "site-build-other"  # not a work folder of ours
    other.mkdir()
    try:
        _build(config, site)
    finally:
        os.close(lock)
    assert not dead.exists() and not former.exists()
    assert running.exists() and starting.exists() and other.exists()
