"""Incremental rebuild: after one input file changes, only the pages that depend on it are
rendered again, and MkDocs rewrites only those.

What a page depends on is declared here, in one place, as a fingerprint computed without
rendering the page:
- every page depends on the *setting*: the code, the templates, the configuration, the catalog,
  the referential (with the 2015 → 2024 links), the editorial files, the contours, the library
  versions and the editions. When the setting changes, the edition is built in full;
- a quartier page (and its downloads) depends on the figures of the quartier, of its reference
  and related territories, on the lowest and highest quartiers of its contract for the
  millésimes it shows, and on what changed for it since the previous edition;
- an indicator page on the figures of the indicator; an enjeu page on those of its indicators;
- the other pages (home, indexes, map, committee, changes, sources, all data) are few and read
  everything: they are rendered on every build.
A page whose fingerprint has not changed is not rendered; a rendered file whose bytes have not
changed is not rewritten. `tests/test_incremental.py` checks that an incremental rebuild after a
change gives the same site, byte for byte, as a full build of the changed inputs.

Every cached thing is keyed by the bytes it was made from and by `code_version()` (the package's
source, the libraries' and Python's versions): the producer files already read (`ReadCache`), the
pages and files of the last build (`Manifest`, through the setting). A manifest is used only over
the very site it describes (`published_signature`), and a full build forgets the manifests before
it replaces the site (`forget_builds`): whatever the sequence of builds, the cache describes the
site beside it. `tests/test_cache.py` checks it on a seeded random sequence of changes and builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import yaml

from observatory.config import Config
from observatory.downloads import FOLDER
from observatory.editions import Changes, Edition
from observatory.maps import find_contours
from observatory.observatory import Observatory
from observatory.territories import Referential
from observatory.views import ranked_peers

PACKAGE = Path(__file__).resolve().parent
# The libraries whose version can change what a build reads or writes: the declared dependencies
# (pyproject.toml) and numpy, under pandas and in the pickled tables.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "plotly", "pandas", "numpy", "pyyaml", "openpyxl")
MANIFEST = "manifest.json"
READS = "reads"


def _hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def content_hash(content: str | bytes) -> str:
    return _hash(content)


def _files(*roots: Path | None) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root is None or not root.exists():
            continue
        if root.is_file():
            found.append(root)
        else:
            found += sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return found


def _declared(config: Config, *paths: Path | None) -> list[str | bytes]:
    """Name and bytes of these input files (folders: every file below), and of the declared
    2015 → 2024 correspondence."""
    return [part for path in _files(*paths, config.correspondence) for part in (str(path), path.read_bytes())]


def _links(referential: Referential) -> str:
    """The 2015 → 2024 links actually used (official table and declared corrections)."""
    return repr(sorted((code, links) for code, links in referential.qp2015.items()))


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml whatever its tags (`!!python/name:…`, `!ENV`): their values are not needed here."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def theme_dir(mkdocs_file: Path) -> Path | None:
    """The theme overrides MkDocs reads (`theme.custom_dir` of mkdocs.yml), wherever they are."""
    data = yaml.load(mkdocs_file.read_text(encoding="utf-8"), Loader=_AnyTag)  # a SafeLoader
    theme = data.get("theme") if isinstance(data, dict) else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return mkdocs_file.parent / custom if isinstance(custom, str) else None


def code_version() -> str:
    """What every cached thing is also made from: the observatory package's source (every file
    of it, the vendored Plotly included), the libraries' versions and Python's."""
    sources = [part for path in _files(PACKAGE) for part in (str(path.relative_to(PACKAGE)), path.read_bytes())]
    return _hash(*sources, repr([(name, version(name)) for name in LIBRARIES]), sys.version)


def setting_hash(obs: Observatory, edition: Edition, editions: list[Edition]) -> str:
    """Everything every page depends on, except the figures."""
    config = obs.config
    return _hash(
        code_version(),
        *_declared(
            config,
            config.templates,
            config.mkdocs,
            theme_dir(config.mkdocs),
            config.path,
            config.catalog,
            config.quartiers,
            config.territories,
            config.sources,
            config.enjeux,
            config.glossary,
            config.producers,
            find_contours(config.data_dir, config.contours),
        ),
        _links(obs.referential),
        repr(edition),
        repr(editions),
    )


class ReadCache:
    """Producer files already read and validated, by content: an incremental build reads again
    only the files whose bytes (or whose mapping, referential, catalog or code) changed."""

    def __init__(self, folder: Path, context: str) -> None:
        self.folder, self.context, self.used = folder, context, set()

    def _path(self, path: Path, mapping_file: Path, depends: tuple[Path, ...]) -> Path:
        """Keyed by the file, its mapping and the files its reading also uses (a commune → EPCI table)."""
        extra = [p.read_bytes() if p.exists() else b"" for p in depends]
        key = _hash(self.context, str(path), path.read_bytes(), mapping_file.read_bytes(), *extra)
        self.used.add(key)
        return self.folder / f"{key}.pickle"

    def get(self, path: Path, mapping_file: Path, depends: tuple[Path, ...] = ()):
        cached = self._path(path, mapping_file, depends)
        return pickle.loads(cached.read_bytes()) if cached.exists() else None

    def put(self, path: Path, mapping_file: Path, result, depends: tuple[Path, ...] = ()) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self._path(path, mapping_file, depends).write_bytes(blob)

    def prune(self) -> None:
        """Forget the files this build did not read (replaced or removed)."""
        for cached in self.folder.glob("*.pickle"):
            if cached.stem not in self.used:
                cached.unlink()


def read_context(config: Config, referential: Referential) -> str:
    """What reading a producer file depends on besides its bytes and its mapping: the code and
    library versions (a table pickled by one pandas is not read back by another), the catalog,
    the referential and the 2015 → 2024 links."""
    files = _declared(config, config.catalog, config.quartiers, config.territories)
    return _hash(code_version(), *files, _links(referential))


def page_fingerprints(obs: Observatory, changed: Changes) -> dict[str, str]:
    """{docs path of a page: fingerprint of what it shows}, for the pages that have one."""
    fingerprints: dict[str, str] = {}
    for quartier in obs.quartiers():
        territories = [quartier.id, *obs.references(quartier), *(t.id for t in obs.referential.related_to(quartier.id))]
        own = obs.rows_of_territories([quartier.id])
        extremes = []
        for indicator_id, period in sorted({(row.indicator, row.period) for row in own}):
            ranked = ranked_peers(obs, indicator_id, period, quartier)
            extremes += [repr(item.figure) for item in [*ranked[:2], *ranked[-2:]]]
        fingerprints[f"quartiers/{quartier.id}.md"] = _hash(
            *(repr(row) for row in obs.rows_of_territories(territories)),
            *extremes,
            repr(changed.for_quartier(quartier.id)),
            repr(sorted(obs.published_for_quartiers())),
        )
    for indicator in obs.catalog.values():
        fingerprints[f"indicateurs/{indicator.id}.md"] = _hash(*(repr(r) for r in obs.rows_of_indicator(indicator.id)))
    for enjeu in obs.editorial.enjeux.values():
        ids = [i.id for i in obs.catalog.values() if i.enjeu == enjeu.number]
        fingerprints[f"enjeux/{enjeu.slug}.md"] = _hash(*(repr(r) for i in ids for r in obs.rows_of_indicator(i)))
    return fingerprints


@dataclass
class Manifest:
    """What the last build of an edition left in the cache: its setting, the fingerprint of each
    page, the hash of each file it wrote into the docs folder MkDocs read, and the signature of
    the edition it published (`published_signature`): a manifest is reused only over that very
    site, never over one that another build or anyone else wrote since."""

    setting: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)
    site: str = ""

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        path = folder / MANIFEST
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(setting=data["setting"], pages=data["pages"], contents=data["contents"], site=data.get("site", ""))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        data = {"setting": self.setting, "pages": self.pages, "contents": self.contents, "site": self.site}
        (folder / MANIFEST).write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")


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
    return _hash("published", *entries)


def forget_builds(cache: Path) -> None:
    """A full build replaces the published site: the manifests and docs folders of the earlier
    incremental builds describe a site that will no longer be there, and go (before the site is
    replaced, so that no interruption can leave them beside the new site). The producer files
    already read stay: they are keyed by their bytes and the code, not by the site."""
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.name == READS:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def owned_files(page: str) -> list[str]:
    """The files a fingerprinted page writes: itself and its downloads."""
    name = page.removesuffix(".md")
    return [page, f"{FOLDER}/{name}.csv", f"{FOLDER}/{name}.xlsx"]
