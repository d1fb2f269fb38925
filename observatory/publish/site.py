"""Pages → static site: MkDocs builds into a temporary folder that replaces site/ only on success."""

from __future__ import annotations

import ctypes
import errno
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import get_files

from observatory.errors import ObservatoryError, Problem
from observatory.figures.editions import Edition
from observatory.inputs.config import Config
from observatory.pages.downloads import FOLDER
from observatory.pages.staged import Staged
from observatory.publish.deferred import BLOCKS, Deferred, DeferredHtml, defer, set_aside
from observatory.publish.guard import check_replaceable, inputs_of, mark
from observatory.publish.outline import OutlinePages
from observatory.publish.shared_assets import SharedAssets
from observatory.timing import stage, timed

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS: leftovers go by age only
    fcntl = None

# npm's plotly.js-basic-dist-min (bar, scatter, pie), of the plotly.js version the Python plotly
# bundles, vendored with its version, sha256 and licence (observatory/vendor/README.md,
# scripts/update_plotly.py): a third of the full bundle, and the build needs no network.
PLOTLY_BUNDLE = Path(__file__).parent.parent / "vendor" / "plotly-basic.min.js"
PLOTLY_ASSET = "assets/javascripts/plotly-basic.min.js"
FORMER_PLOTLY_ASSETS = ("assets/javascripts/plotly.min.js",)  # left by earlier builds in a kept docs folder


@timed("write")
def write_docs(
    pages: dict[str, str | bytes | Staged], assets_dir: Path | None, docs_dir: Path, blocks_dir: Path | None = None
) -> Deferred:
    """Write the generated pages, the project's assets and plotly.js (one local copy, the
    vendored basic bundle); no assets where `assets_dir` is None (an archived edition, which
    uses the root's: shared_assets.py).

    Pages are written with their large HTML blocks set aside (see `deferred`); returns those
    blocks by page, for `run_mkdocs` to put back: in memory, or in a file of `blocks_dir` each.
    `pages` is emptied as its files are written; a staged page is read back then."""
    deferred: Deferred = {}
    for relative in sorted(pages):
        content = pages.pop(relative)  # written once: not held in memory any longer
        if isinstance(content, Staged):
            content = content.read()
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
            continue
        if relative.endswith(".md"):
            content = _charts_only_where_drawn(content)
            content, blocks = defer(content)
            if blocks:
                deferred[relative] = set_aside([block.encode("utf-8") for block in blocks], blocks_dir, relative)
        target.write_text(content, encoding="utf-8")
    if assets_dir is None:
        return deferred
    for asset in sorted(p for p in assets_dir.rglob("*") if p.is_file()):
        _write_if_changed(docs_dir / "assets" / asset.relative_to(assets_dir), asset.read_bytes())
    _write_if_changed(docs_dir / PLOTLY_ASSET, PLOTLY_BUNDLE.read_bytes())
    for former in FORMER_PLOTLY_ASSETS:
        (docs_dir / former).unlink(missing_ok=True)
    return deferred


def _charts_only_where_drawn(markdown: str) -> str:
    """`charts: true` in a page's front matter loads the chart script (templates/theme/main.html).
    A template sets it where a page may draw charts; it stays only where one is drawn (a page of
    an archived edition, or an indicator without series, draws none and loads no chart script)."""
    if "data-chart=" in markdown:
        return markdown
    head, sep, rest = markdown.lstrip("\n").partition("\n---\n")
    if not sep or not head.startswith("---\n") or "\ncharts: true" not in "\n" + head:
        return markdown
    lines = ["charts: false" if line == "charts: true" else line for line in head.split("\n")]
    return "\n".join(lines) + sep + rest


def _write_if_changed(target: Path, content: bytes) -> None:
    """Leave an identical file alone: an incremental MkDocs run recopies what looks newer."""
    if target.exists() and target.read_bytes() == content:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


@contextmanager
def _build_date(edition_date: str):
    """Pin the one date MkDocs writes (sitemap) to the edition's declared date."""
    try:
        day = date.fromisoformat(edition_date)
    except ValueError as exc:
        raise ObservatoryError(
            [
                Problem(
                    file="observatory.yml",
                    column="edition.date",
                    column_label="champ",
                    expected="une date AAAA-MM-JJ",
                    found=edition_date,
                )
            ]
        ) from exc
    stamp = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(stamp)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


class _Collect(logging.Handler):
    """Keep MkDocs' warnings so that a strict failure can say why, in the error report."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


LATEST_PATH = "../../"  # from an archived edition's root (editions/<id>/) to the site's

# Written by every MkDocs run, dirty or not (theme templates, search plugin).
ALWAYS_WRITTEN = ("404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json")
DIRTY_WARNING = "A 'dirty' build is being performed"


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale; ours rebuilds every page whose
    text changed and never changes the page set (that is a full build), so the warning does not
    apply and must not fail the strict build."""
    return not record.getMessage().startswith(DIRTY_WARNING)


def _prepare_dirty(mkdocs_config) -> set[str]:
    """Before a dirty build into a linked copy of the published site: unlink every file MkDocs
    will write (so that it writes new files, never into the published ones), and return the URLs
    of the pages it will rebuild."""
    files = get_files(mkdocs_config)
    # the home page's URL is "./", its search location ""
    rebuilt = {f.url.removeprefix("./") for f in files if f.is_documentation_page() and f.is_modified()}
    targets = [Path(f.abs_dest_path) for f in files if f.is_modified()]
    targets += [Path(mkdocs_config.site_dir) / name for name in ALWAYS_WRITTEN]
    for target in targets:
        target.unlink(missing_ok=True)
    return rebuilt


def _merge_search_index(path: Path, previous: bytes, rebuilt: set[str]) -> None:
    """A dirty build indexes only the pages it rebuilt: put them back among the others, in the
    order of the full build, written as Material writes it."""
    old = json.loads(previous)
    new = json.loads(path.read_bytes())
    by_page: dict[str, list[dict]] = {}
    for entry in new["docs"]:
        by_page.setdefault(entry["location"].split("#")[0], []).append(entry)
    docs, seen = [], set()
    for entry in old["docs"]:
        page = entry["location"].split("#")[0]
        if page in rebuilt:
            if page not in seen:
                docs += by_page.get(page, [])
                seen.add(page)
        else:
            docs.append(entry)
    if set(by_page) - seen:
        raise RuntimeError(f"pages absentes de l'index précédent : {sorted(set(by_page) - seen)}")
    new["docs"] = docs
    path.write_text(json.dumps(new, separators=(",", ":"), default=str), encoding="utf-8")


def run_mkdocs(
    config: Config,
    docs_dir: Path,
    site_dir: Path,
    edition: Edition,
    deferred: Deferred,
    dirty: bool = False,
) -> None:
    """MkDocs into site_dir; with `dirty`, site_dir is a linked copy of the published edition
    and only the pages whose docs file is newer than their HTML are rebuilt."""
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    build_logger = logging.getLogger("mkdocs.commands.build")  # where MkDocs logs the dirty warning
    build_logger.addFilter(_quiet_dirty_warning)
    try:
        mkdocs_config = load_mkdocs_config(
            config_file=str(config.mkdocs),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            site_name=config.title if edition.latest else f"{config.title} — {edition.label}",
            strict=True,
            extra={
                "edition_label": edition.label,
                "archived": not edition.latest,
                "latest_path": LATEST_PATH,
                "generator": False,  # no "Made with Material" link to an outside site
            },
        )
        mkdocs_config.plugins["observatory-deferred-html"] = DeferredHtml(deferred)
        mkdocs_config.plugins["observatory-outline"] = OutlinePages()
        if not edition.latest:
            mkdocs_config.plugins["observatory-shared-assets"] = SharedAssets(LATEST_PATH)
        with _build_date(edition.date), stage("mkdocs"):
            if not dirty:
                mkdocs_build(mkdocs_config)
                return
            index = site_dir / "search" / "search_index.json"
            previous = index.read_bytes()
            rebuilt = _prepare_dirty(mkdocs_config)
            mkdocs_build(mkdocs_config, dirty=True)
            _merge_search_index(index, previous, rebuilt)
    except (Abort, MkDocsException) as exc:
        details = "; ".join(collector.messages) or str(exc)
        raise ObservatoryError(
            [Problem(file=str(config.mkdocs), expected="une construction MkDocs sans avertissement", found=details)],
            "La construction du site par MkDocs a échoué :",
        ) from exc
    finally:
        logger.removeHandler(collector)
        build_logger.removeFilter(_quiet_dirty_warning)


@dataclass
class EditionSite:
    """One edition to publish: its files, and how.

    Full build: `files` are all its pages and downloads, written into a fresh docs folder (or
    `docs_dir`, emptied first). Incremental build (`reuse` set): `files` are only those whose
    bytes changed, written into `docs_dir`, the docs folder of the last build; the published
    edition at `reuse` is copied as links and MkDocs rebuilds the changed pages only.
    """

    edition: Edition
    files: dict[str, str | bytes | Staged]
    docs_dir: Path | None = None
    reuse: Path | None = None
    staging: Path | None = None  # where its staged files wait (pages/staged.py), its HTML blocks too


def _link_tree(source: Path, target: Path, skip: set[Path]) -> None:
    """Copy a published site as hard links (instant, no space), except the folders in `skip`."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(relative == folder or folder in relative.parents for folder in skip):
            continue
        destination = target / relative
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, destination)


WORK_PREFIX = ".site-build-"
LOCK = ".lock"
UNLOCKED_LEFTOVER_AGE = 6 * 3600  # seconds: far longer than any build of the project


def _held(lock: Path) -> bool | None:
    """Whether a build holds this work folder's lock (True), held it and is gone (False), or
    cannot tell (None: no lock file, one still empty, or no flock on this system)."""
    if fcntl is None:
        return None
    try:
        descriptor = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        return False if os.fstat(descriptor).st_size else None  # the owner writes its pid once it holds it
    finally:
        os.close(descriptor)


def _untouched_for(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:  # removed meanwhile by another build
        return 0.0


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the work folders that builds killed before their end left in `parent` (kill -9
    during MkDocs: 60-106 MB each). Only folders named `.site-build-*`, never one a running build
    holds: a folder whose lock is free after its owner held it is removed; one without that proof
    (made by an earlier version, or by a build starting this very instant) only once untouched
    for UNLOCKED_LEFTOVER_AGE."""
    removed = []
    for folder in sorted(parent.glob(f"{WORK_PREFIX}*")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        held = _held(folder / LOCK)
        if held or (held is None and _untouched_for(folder) < UNLOCKED_LEFTOVER_AGE):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


@contextmanager
def _work_folder(parent: Path):
    """A fresh work folder beside the site, locked for as long as the build uses it (flock: the
    system releases it however the build ends, kill -9 included), removed at its end."""
    remove_leftovers(parent)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=parent))
    descriptor = os.open(work / LOCK, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            os.write(descriptor, str(os.getpid()).encode())
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.close(descriptor)


def lock_of(site_dir: Path) -> Path:
    """The lock file of a site folder, beside it: `<parent>/.<name>.lock`."""
    return site_dir.parent / f".{site_dir.name}.lock"


def _owner(lock: Path) -> str:
    """Who holds a site's lock, as its file says (« processus 123, commencée le … »); the owner
    writes it just after taking the lock, so an empty file is read again for a moment."""
    for _ in range(20):
        pid, _, start = lock.read_text(encoding="utf-8").strip().partition(" ")
        if pid:
            break
        time.sleep(0.05)
    try:
        when = datetime.fromisoformat(start).strftime("%d/%m/%Y à %H:%M:%S")
    except ValueError:
        when = "à une heure inconnue"
    else:
        when = f"le {when}"
    return f"processus {pid or 'inconnu'}, commencée {when}"


@contextmanager
def site_lock(site_dir: Path):
    """One build at a time per site folder: an flock on its lock file (`lock_of`), taken without
    waiting (a second build is refused in French) and released by the system however the build
    ends, kill -9 included. The file, which holds the owner's pid and start time, is kept: removing
    it would let a build locking the removed file and one locking a new file run together. Where
    there is no flock (not Linux or macOS), builds of one site are not kept apart."""
    lock = lock_of(site_dir)
    lock.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                message = (
                    f"Une construction est déjà en cours pour ce site ({_owner(lock)}) : "
                    "attendez sa fin, puis relancez."
                )
                raise ObservatoryError([], message) from None
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()} {datetime.now().isoformat(timespec='seconds')}\n".encode())
        yield lock
    finally:
        os.close(descriptor)


AT_FDCWD = -100  # <fcntl.h>: paths relative to the current directory
RENAME_EXCHANGE = 2  # <linux/fs.h>: renameat2 swaps the two paths
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL}  # a kernel without renameat2, a filesystem without the flag


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 with RENAME_EXCHANGE): a reader sees
    one or the other at each path, never nothing. False where the system cannot (not Linux, a libc
    without renameat2, an old kernel, a filesystem without the flag): nothing was moved then."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def swap_in(built: Path, target: Path) -> None:
    """Put the built site at `target`. An existing site is exchanged with it in one step, and so
    ends at `built`, inside the work folder that is removed next; where the system cannot exchange,
    two renames, and a build killed between them leaves the previous site beside `built` (in the
    work folder, which the next build removes) and no site at `target`."""
    if not target.exists():
        built.rename(target)
    elif not _exchange(built, target):
        previous = built.with_name("previous")
        target.rename(previous)
        built.rename(target)


def publish(config: Config, sites: list[EditionSite]) -> Path:
    """Build every edition beside site_dir (the current one at the root, archives under
    editions/<id>/), then swap it in; on any failure, site_dir is untouched. Pages go through
    MkDocs; downloads are written straight into the built edition (MkDocs would only copy them)."""
    target = config.site_dir
    check_replaceable(target, inputs_of(config))
    target.parent.mkdir(parents=True, exist_ok=True)
    with _work_folder(target.parent) as work:
        built = work / "site"
        for site in sites:
            edition = site.edition
            destination = built if edition.latest else built / "editions" / edition.id
            docs_dir = site.docs_dir or work / f"docs-{edition.id}"
            downloads = {path: site.files.pop(path) for path in sorted(site.files) if path.startswith(f"{FOLDER}/")}
            blocks_dir = site.staging / BLOCKS if site.staging else None
            assets = config.templates / "assets" if edition.latest else None  # archives use the root's
            if site.reuse is None:
                shutil.rmtree(docs_dir, ignore_errors=True)
                deferred = write_docs(site.files, assets, docs_dir, blocks_dir)
                run_mkdocs(config, docs_dir, destination, edition, deferred)  # empties its site folder first
                write_downloads(downloads, destination)
                continue
            archives = {Path("editions") / other.edition.id for other in sites if not other.edition.latest}
            _link_tree(site.reuse, destination, archives if edition.latest else set())
            write_downloads(downloads, destination)
            if not site.files:
                continue  # no page changed: the published pages are kept as they are
            deferred = write_docs(site.files, assets, docs_dir, blocks_dir)
            run_mkdocs(config, docs_dir, destination, edition, deferred, dirty=True)
        mark(built)
        check_replaceable(target, inputs_of(config))  # what is replaced is still a site
        swap_in(built, target)
    return target


@timed("write")
def write_downloads(downloads: dict[str, str | bytes | Staged], destination: Path) -> None:
    """Downloads into a built edition, emptied as written (a staged one is moved). A file linked
    from the published edition (incremental build) is unlinked first: the published file is
    never written into."""
    for relative in sorted(downloads):
        content = downloads.pop(relative)
        target = destination / relative
        if isinstance(content, Staged):
            content.move_to(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
