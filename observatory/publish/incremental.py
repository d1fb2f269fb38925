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

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from observatory.figures.editions import Changes, Edition
from observatory.figures.observatory import Observatory
from observatory.hashing import code_version, digest
from observatory.inputs.contours import find_contours
from observatory.inputs.read_cache import declared, links
from observatory.pages.downloads import FOLDER
from observatory.pages.views import ranked_peers

MANIFEST = "manifest.json"
READS = "reads"


def content_hash(content: str | bytes) -> str:
    return digest(content)


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
    """Everything every page depends on, except the figures."""
    config = obs.config
    return digest(
        code_version(),
        *declared(
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
        links(obs.referential),
        repr(edition),
        repr(editions),
    )


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
        fingerprints[f"quartiers/{quartier.id}.md"] = digest(
            *(repr(row) for row in obs.rows_of_territories(territories)),
            *extremes,
            repr(changed.for_quartier(quartier.id)),
            repr(sorted(obs.published_for_quartiers())),
        )
    for indicator in obs.catalog.values():
        fingerprints[f"indicateurs/{indicator.id}.md"] = digest(*(repr(r) for r in obs.rows_of_indicator(indicator.id)))
    for enjeu in obs.editorial.enjeux.values():
        ids = [i.id for i in obs.catalog.values() if i.enjeu == enjeu.number]
        fingerprints[f"enjeux/{enjeu.slug}.md"] = digest(*(repr(r) for i in ids for r in obs.rows_of_indicator(i)))
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
    return digest("published", *entries)


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
