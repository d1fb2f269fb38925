"""Incremental rebuild: after one input file changes, only the pages that depend on it are
rendered again, and MkDocs rewrites only those.

What a page depends on is what it read while it was rendered:
- every page depends on the *setting*: the code, the theme and assets, the configuration, the
  catalog, the referential (with the 2015 → 2024 links), the editorial files, the contours, the
  library versions and the editions. When the setting changes, the edition is built in full;
- a page with downloads (a quartier, a 2015 quartier, an enjeu, an indicator) depends on the
  lookups of figures its view and its downloads made while it was rendered, recorded by the
  observatory (`Observatory.recording`: ("rows_for", indicator, territory), ("figures_of",
  indicator)…, a memoised value's own lookups included, and ("derived", "template", name): the
  text of its page template and of those it imports) and kept in the manifest with the page's
  fingerprint: the hash of the figures those lookups read (`page_fingerprint`) and, for a
  quartier page, of what changed for it since the previous edition. The next incremental build
  finds the pages whose lookups may read other figures (`Manifest.stale`: the table compared by
  blocks, the figures of one indicator for one territory, with the blocks the manifest kept;
  the lookups that select no rows, a contract's extremes…, by their digest), runs their
  recorded lookups again on its figures, without rendering anything, and renders again only
  the pages whose fingerprint changed; it records their lookups anew;
- the whole-data downloads (every figure as CSV with the indicators and the data package; as
  XLSX) are fingerprinted the same way, on one lookup: the whole table. They are made again only
  when a figure changed;
- the other pages (home, indexes, map, committee, changes, sources) are few and read everything:
  they are rendered on every build.
A rendered file whose bytes have not changed is not rewritten. `tests/test_incremental.py` checks
that an incremental rebuild after a change gives the same site, byte for byte, as a full build of
the changed inputs, and which pages it renders again.

Every cached thing is keyed by the bytes it was made from and by `code_version()` (the package's
source, the libraries' and Python's versions): the producer files already read (`ReadCache`), the
pages and files of the last build (`Manifest`, through the setting). A manifest is used only over
the very site it describes (`published_signature`). A full build forgets the earlier manifests
before it replaces the site (`forget_builds`), renders every page, and leaves the manifest of the
site it wrote (recording costs it nothing: it renders anyway): whatever the sequence of builds,
the cache describes the site beside it. `tests/test_cache.py` checks it on a seeded random
sequence of changes and builds.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from observatory import collector
from observatory.figures.editions import Changes, Edition
from observatory.figures.observatory import ROW_LOOKUPS, Observatory, Read, reads_pairs
from observatory.hashing import code_version, digest
from observatory.inputs.contours import find_contours
from observatory.inputs.read_cache import declared, links
from observatory.pages.parallel import fork_map
from observatory.pages.staged import Staged
from observatory.timing import timed

MANIFEST = "manifest.json"
LOOKUPS = "lookups.pickle"  # beside the manifest: the lookups each page made (Manifest.reads)
BLOCKS = "blocks.json"  # beside the manifest: the figures' blocks its fingerprints were taken on
READS = "reads"
STAGING = "staging"  # rendered files waiting to be published (pages/staged.py), by edition
WORKBOOKS = "workbooks"  # compressed chunks of the whole-data workbook (pages/workbook.py), by edition


def content_hash(content: str | bytes | Staged) -> str:
    return content.hash if isinstance(content, Staged) else digest(content)


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml whatever its tags (`!!python/name:…`, `!ENV`): their values are not needed here."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def theme_dir(mkdocs_file: Path) -> Path | None:
    """The theme overrides MkDocs reads (`theme.custom_dir` of mkdocs.yml), wherever they are."""
    data = yaml.load(mkdocs_file.read_text(encoding="utf-8"), Loader=_AnyTag)  # a SafeLoader
    theme = data.get("theme") if isinstance(data, dict) else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return mkdocs_file.parent / custom if isinstance(custom, str) else None


def setting_hash(obs: Observatory, edition: Edition, editions: list[Edition]) -> str:
    """Everything every page depends on, except the figures and the page templates (a page
    records the text of its own: observatory/pages/render.py)."""
    config = obs.config
    return digest(
        code_version(),
        *declared(
            config,
            *(path for path in sorted(config.templates.iterdir()) if path.name != "pages"),
            config.mkdocs,
            theme_dir(config.mkdocs),
            config.path,
            config.catalog,
            config.quartiers,
            config.territories,
            config.sources,
            config.enjeux,
            config.glossary,
            config.gaps,
            config.producers,
            find_contours(config.data_dir, config.contours),
        ),
        links(obs.referential),
        repr(edition),
        repr(editions),
    )


def changes_of(page: str, changed: Changes) -> str:
    """For a quartier page, what changed for its quartier since the previous edition (it shows it)."""
    code = page.removeprefix("quartiers/").removesuffix(".md")
    return repr(changed.for_quartier(code)) if page.startswith("quartiers/") else ""


@timed("fingerprints")
def page_fingerprint(obs: Observatory, page: str, reads: Iterable[Read], changed: Changes, known: dict) -> str:
    """What a page shows, as a hash: the figures its recorded lookups read now (`known`: the
    digests of the lookups already hashed in this build) and, for a quartier page, what changed
    for it since the previous edition."""
    parts = []
    for read in sorted(reads, key=repr):
        if read not in known:
            known[read] = obs.read_digest(read)
        parts.append(known[read])
    return digest(*parts, changes_of(page, changed))


def _json_key(read: Read) -> str:
    return json.dumps(read, ensure_ascii=False)


@dataclass
class Manifest:
    """What the last build of an edition left in the cache: its setting, for each page with
    downloads the lookups of figures it made (`reads`) and its fingerprint (`page_fingerprint`),
    the hash of each file it wrote into the docs folder MkDocs read, and the signature of the
    edition it published (`published_signature`): a manifest is reused only over that very site,
    never over one that another build or anyone else wrote since."""

    setting: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    reads: dict[str, list[Read]] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)
    site: str = ""
    owns: dict[str, list[str]] = field(default_factory=dict)  # the files each fingerprinted page wrote
    blocks: dict[tuple[str, str], str] | None = None  # the table's, when the fingerprints were taken (BLOCKS)
    digests: dict[str, str] = field(default_factory=dict)  # each lookup that selects no rows: its digest
    changes: dict[str, str] = field(default_factory=dict)  # each quartier page: hash of changes_of
    lookups: bytes | None = None  # the bytes of LOOKUPS, while `reads` is the one they hold
    rendered: set[str] = field(default_factory=set)  # the pages this build rendered (not saved)

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        path, lookups = folder / MANIFEST, folder / LOOKUPS
        if not path.exists() or not lookups.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        saved_lookups = lookups.read_bytes()
        if "owns" not in data or data.get("lookups") != digest(saved_lookups):
            return None  # an earlier version's manifest (its setting, holding the code, differs anyway)
        with collector.paused():
            keys, numbers_of = pickle.loads(saved_lookups)
            reads = {page: [keys[number] for number in numbers] for page, numbers in numbers_of.items()}
        manifest = cls(data["setting"], data["pages"], reads, data["contents"], data["site"], data["owns"])
        manifest.lookups = saved_lookups
        blocks = (folder / BLOCKS).read_text(encoding="utf-8") if (folder / BLOCKS).exists() else ""
        if data.get("blocks") == digest(blocks):  # else: every page's fingerprint is taken again
            with collector.paused():
                manifest.blocks = {(indicator, territory): value for indicator, territory, value in json.loads(blocks)}
            manifest.digests, manifest.changes = data["digests"], data["changes"]
        return manifest

    def save(self, folder: Path) -> None:
        """The pages' lookups in LOOKUPS (pickled: read ten times faster than as JSON), each lookup
        kept once (`keys`), the pages' reads as numbers in that list (the bytes read, when no page's
        lookups changed); the rest in MANIFEST, as JSON, with the digest of LOOKUPS."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.lookups is None:
            with collector.paused():
                keys = sorted({read for reads in self.reads.values() for read in reads}, key=repr)
                numbers = {read: number for number, read in enumerate(keys)}
                reads = {page: sorted(numbers[read] for read in page_reads) for page, page_reads in self.reads.items()}
                self.lookups = pickle.dumps((keys, reads), protocol=pickle.HIGHEST_PROTOCOL)
        (folder / LOOKUPS).write_bytes(self.lookups)
        data = {"setting": self.setting, "pages": self.pages, "lookups": digest(self.lookups)}
        data |= {"contents": self.contents, "site": self.site, "owns": self.owns}
        if self.blocks is not None:
            with collector.paused():
                blocks = json.dumps([[*pair, value] for pair, value in self.blocks.items()], separators=(",", ":"))
            (folder / BLOCKS).write_text(blocks, encoding="utf-8")
            data |= {"blocks": digest(blocks), "digests": self.digests, "changes": self.changes}
        (folder / MANIFEST).write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")

    def keep_lookups(self, previous: Manifest) -> None:
        """The saved bytes of the pages' lookups, kept when they are those of the previous build
        (a page rendered again after a changed figure usually makes the same lookups)."""
        if self.reads == previous.reads:
            self.lookups = previous.lookups

    def record(self, files: dict, reads: dict[str, tuple[set[Read], str, list[str]] | None]) -> None:
        """The pages and downloads just rendered (`files`), with the reads, fingerprints and files
        of the pages with downloads rendered (`reads`, None for a page skipped)."""
        self.rendered = {path for path in files if path.endswith(".md")}
        self.contents = {path: content_hash(content) for path, content in files.items()}
        for page, entry in reads.items():
            if entry is not None:
                self.reads[page], self.pages[page], self.owns[page] = sorted(entry[0], key=repr), *entry[1:]

    def keep(self, previous: Manifest, page: str) -> None:
        """A page skipped by this build: what the previous build recorded of it and of its files."""
        self.pages[page], self.reads[page], self.owns[page] = (
            previous.pages[page],
            previous.reads[page],
            previous.owns[page],
        )
        for name in previous.owns[page]:
            self.contents[name] = previous.contents[name]

    def remember(self, obs: Observatory, changed: Changes) -> None:
        """What the next build compares with to find the pages it must fingerprint again (`stale`):
        the table the fingerprints were taken on, the digest of every lookup that selects no rows,
        what changed for each quartier."""
        self.blocks = obs.blocks()
        others = {read for reads in self.reads.values() for read in reads if read[0] not in ROW_LOOKUPS}
        self.digests = {_json_key(read): obs.read_digest(read) for read in sorted(others, key=repr)}
        self.changes = {page: digest(changes_of(page, changed)) for page in self.reads if page.startswith("quartiers/")}

    def stale(self, obs: Observatory, changed: Changes) -> list[str]:
        """The pages whose fingerprint may have changed: every page, unless the figures of each
        (indicator, territory) are consecutive in the table now and when the fingerprints were
        taken, those in both in the same order (`Observatory.blocks`: every lookup of rows
        selecting none of the blocks that differ reads the same figures); then only the pages
        that read a block that differs, a lookup whose digest changed, or whose quartier's
        changes since the previous edition changed."""
        blocks = obs.blocks()
        if self.blocks is None or blocks is None:
            return list(self.reads)
        if [pair for pair in blocks if pair in self.blocks] != [pair for pair in self.blocks if pair in blocks]:
            return list(self.reads)
        pairs = {pair for pair, value in blocks.items() if self.blocks.get(pair) != value}
        pairs |= {pair for pair in self.blocks if pair not in blocks}
        indicators, territories = {i for i, _ in pairs}, {t for _, t in pairs}
        touched_reads = set()
        for read in {read for reads in self.reads.values() for read in reads}:
            touched = reads_pairs(read, pairs, indicators, territories)
            if touched is None:
                key = _json_key(read)
                touched = key not in self.digests or self.digests[key] != obs.read_digest(read)
            if touched:
                touched_reads.add(read)
        return [
            page
            for page, reads in self.reads.items()
            if not touched_reads.isdisjoint(reads)
            or (page.startswith("quartiers/") and self.changes.get(page) != digest(changes_of(page, changed)))
        ]

    def unchanged(self, obs: Observatory, changed: Changes) -> frozenset[str]:
        """The pages whose recorded lookups read the same figures now (nothing rendered): those
        not `stale`, and those whose fingerprint, taken again, did not change."""
        stale = self.stale(obs, changed)
        now = fingerprints(obs, {page: self.reads[page] for page in stale}, changed)
        return frozenset(page for page in self.pages if page not in now or now[page] == self.pages[page])


def fingerprinter(obs: Observatory, changed: Changes) -> Callable[[str, Iterable[Read]], str]:
    """page_fingerprint for this build: a lookup read by several pages is hashed once per process."""
    known: dict = {}  # each forked process fills its own copy
    return lambda page, reads: page_fingerprint(obs, page, reads, changed, known)


def fingerprints(obs: Observatory, reads: dict[str, list[Read]], changed: Changes) -> dict[str, str]:
    """Each page's fingerprint, computed on every core."""
    fingerprint = fingerprinter(obs, changed)
    pages = list(reads)
    found = fork_map(lambda run: [fingerprint(page, reads[page]) for page in run], pages, "pages")
    return dict(zip(pages, found, strict=True))


def published_signature(edition_dir: Path, skip: set[Path]) -> str:
    """Path, size, modification time and inode of every file of a published edition (except the
    folders in `skip`: the archived editions under the current one). Any rewrite of the site (a
    full build, an older version's build, a hand edit, a copy) changes it; an incremental build
    keeps the unchanged files as links, with their inode and time."""
    entries = []
    for root, folders, files in os.walk(edition_dir):
        relative = Path(root).relative_to(edition_dir)
        folders[:] = sorted(name for name in folders if relative / name not in skip)
        for name in sorted(files):
            stat = os.stat(Path(root) / name, follow_symlinks=False)
            entries.append(f"{relative / name}\t{stat.st_size}\t{stat.st_mtime_ns}\t{stat.st_ino}")
    return digest("published", *entries)


def forget_builds(cache: Path) -> None:
    """A full build replaces the published site: the manifests and docs folders of the earlier
    incremental builds describe a site that will no longer be there, and go (before the site is
    replaced, so that no interruption can leave them beside the new site). The producer files
    already read and the workbook chunks stay: they are keyed by their content and the code, not
    by the site."""
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.name in {READS, STAGING, WORKBOOKS}:  # the staging folder holds the files about to be published
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
