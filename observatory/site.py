"""Pages → static site: MkDocs builds into a temporary folder that replaces site/ only on success."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import plotly.offline
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import Abort, MkDocsException

from observatory.config import Config
from observatory.deferred import DeferredHtml, defer
from observatory.editions import Edition
from observatory.errors import ObservatoryError, Problem
from observatory.timing import stage, timed

PLOTLY_ASSET = "assets/javascripts/plotly.min.js"


@timed("render")
def write_docs(pages: dict[str, str | bytes], assets_dir: Path, docs_dir: Path) -> dict[str, list[str]]:
    """Write the generated pages and downloads, the project's assets and plotly.js (one local copy).

    Pages are written with their large HTML blocks set aside (see `deferred`); returns those
    blocks by page, for `run_mkdocs` to put back."""
    deferred: dict[str, list[str]] = {}
    for relative, content in sorted(pages.items()):
        target = docs_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
            continue
        if relative.endswith(".md"):
            content, blocks = defer(content)
            if blocks:
                deferred[relative] = blocks
        target.write_text(content, encoding="utf-8")
    shutil.copytree(assets_dir, docs_dir / "assets", dirs_exist_ok=True)
    plotly_js = docs_dir / PLOTLY_ASSET
    plotly_js.parent.mkdir(parents=True, exist_ok=True)
    plotly_js.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    return deferred


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


def run_mkdocs(
    config: Config, docs_dir: Path, site_dir: Path, edition: Edition, deferred: dict[str, list[str]]
) -> None:
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
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
                "latest_path": "../../",
                "generator": False,  # no "Made with Material" link to an outside site
            },
        )
        mkdocs_config.plugins["observatory-deferred-html"] = DeferredHtml(deferred)
        with _build_date(edition.date), stage("mkdocs"):
            mkdocs_build(mkdocs_config)
    except (Abort, MkDocsException) as exc:
        details = "; ".join(collector.messages) or str(exc)
        raise ObservatoryError(
            [Problem(file=str(config.mkdocs), expected="une construction MkDocs sans avertissement", found=details)],
            "La construction du site par MkDocs a échoué :",
        ) from exc
    finally:
        logger.removeHandler(collector)


def publish(config: Config, sites: list[tuple[Edition, dict[str, str | bytes]]]) -> Path:
    """Build every edition beside site_dir (the current one at the root, archives under
    editions/<id>/), then swap it in; on any failure, site_dir is untouched."""
    target = config.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".site-build-", dir=target.parent))
    try:
        built = work / "site"
        for edition, pages in sites:
            docs_dir = work / f"docs-{edition.id}"
            deferred = write_docs(pages, config.templates / "assets", docs_dir)
            destination = built if edition.latest else built / "editions" / edition.id
            run_mkdocs(config, docs_dir, destination, edition, deferred)
        old = work / "previous"
        if target.exists():
            target.rename(old)
        built.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
