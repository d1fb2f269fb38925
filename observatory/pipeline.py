"""The ordered build: read and check everything, compare, render, then publish the site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from observatory.errors import ObservatoryError, Problem
from observatory.figures.correspondence import Correspondence, doubtful_rows, link_quartiers
from observatory.figures.editions import Changes, Edition, absent_file_problems, changes, current_edition, select
from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import load_catalog
from observatory.inputs.comparisons import check_contracts, load_families
from observatory.inputs.config import Config, load_config
from observatory.inputs.data_folder import walk
from observatory.inputs.documents import load_editorial
from observatory.inputs.perimeters import check_iris, load_perimeters
from observatory.inputs.read_cache import ReadCache, read_context
from observatory.inputs.sources import combine, read_figures
from observatory.inputs.sources.census import name_epcis
from observatory.inputs.sources.iris import register_iris
from observatory.inputs.sources.mappings import load_mappings
from observatory.inputs.sources.producers import Accounting, merge_republished, read_producers
from observatory.inputs.sources.schools import register_colleges
from observatory.inputs.territories import Referential, load_referential
from observatory.model import FIGURE_COLUMNS
from observatory.pages.downloads import forget_chunks
from observatory.pages.render import render_pages
from observatory.publish.guard import EXTRACT_MARKER, check_replaceable, inputs_of
from observatory.publish.incremental import (
    MANIFEST,
    STAGING,
    WORKBOOKS,
    Manifest,
    fingerprinter,
    forget_builds,
    published_signature,
    setting_hash,
)
from observatory.publish.site import EditionSite, publish, site_lock


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    pages: int
    quartiers: int
    figures: int
    indicators: int
    accounts: tuple[Accounting, ...] = ()
    editions: int = 1
    rendered: tuple[str, ...] = ()  # the pages rendered, those of an archived edition under editions/<id>/


T = TypeVar("T")


def load(
    config_path: Path, site_dir: Path | None = None, data_dir: Path | None = None, incremental: bool = False
) -> Observatory:
    """Read and validate every input; raise one ObservatoryError per stage with all its problems.
    With `incremental`, producer files read by an earlier incremental build are taken from its cache."""
    config = load_config(config_path, site_dir, data_dir)
    editorial = load_editorial(config.sources, config.enjeux, config.glossary)
    catalog = load_catalog(config.catalog, set(editorial.enjeux))
    families = load_families(config.gaps, catalog)
    check_contracts(config, catalog, families, editorial)
    perimeters = load_perimeters(config)
    referential = load_referential(config.quartiers, config.territories)
    if config.data_dir is not None and config.producers is None:
        raise _missing_setting(config, "data.producers", "le dossier des tables de correspondance des producteurs")
    mappings = load_mappings(config.producers, catalog) if config.data_dir is not None else []
    errors: list[ObservatoryError] = []  # the reading stages below do not depend on one another's success
    links = _gathered(errors, Correspondence(), link, config, referential, config.data_dir, mappings)
    name_epcis(config.data_dir, mappings, referential)
    figures = pd.DataFrame(columns=FIGURE_COLUMNS)
    if config.figures is not None:
        documents = set(editorial.documents)
        figures = _gathered(
            errors, figures, read_figures, config.figures, referential, catalog, documents, config.edition_year
        )
    accounts: list[Accounting] = []
    inputs = None
    if config.data_dir is not None:
        _register_outside(errors, config, referential, mappings, perimeters)
        folder = cache_of(config.site_dir) / "reads"
        # no read is remembered from a run whose links, collèges or IRIS could not be read
        cache = ReadCache(folder, read_context(config, referential)) if incremental and not errors else None
        produced, problems, accounts, unrecognised = read_producers(
            config.data_dir, mappings, referential, catalog, cache
        )
        if problems:
            errors.append(ObservatoryError(problems, "Les fichiers des producteurs contiennent des erreurs :"))
    if errors:
        raise ObservatoryError.gathered(errors)
    if config.data_dir is not None:
        editorial.documents.update({m.id: m.document() for m in mappings})
        inputs = (figures, produced) if config.archives else None  # each archive merges its own files
        produced = merge_republished(produced)  # the unmerged rows freed, unless an archive needs them
        figures = combine(figures, produced)
        accounts = [*accounts, *(Accounting(file=name, mapping="") for name in unrecognised)]
        for account in accounts:
            if account.mapping in {m.id for m in mappings if m.kind == "correspondence"}:
                account.warnings += doubtful_rows(links, referential)
    return Observatory(
        config=config,
        catalog=catalog,
        referential=referential,
        editorial=editorial,
        figures=figures,
        accounts=accounts,
        mappings=mappings,
        inputs=inputs,
        families=families,
        perimeters=perimeters,
    )


def _register_outside(
    errors: list[ObservatoryError], config: Config, referential: Referential, mappings: list, perimeters: tuple
) -> None:
    """The collèges and IRIS of the quartiers' communes, of the contracts' EPCI and of the périmètres
    d'attention, then the périmètres' IRIS checked against them (when the folder has IRIS files)."""
    communes = frozenset(perimeter.commune for perimeter in perimeters)
    _gathered(errors, 0, register_colleges, config.data_dir, referential, communes)
    epcis = frozenset(
        referential.resolve(f"epci-{siren}") or f"epci-{siren}"
        for contract in config.contracts
        for siren in contract.epci
        if siren != "*"  # a national observatory: the IRIS of its quartiers' communes only
    )
    if _gathered(errors, 0, register_iris, config.data_dir, referential, mappings, epcis, communes):
        _gathered(errors, None, check_iris, config.perimeters, perimeters, referential)


def _gathered(errors: list[ObservatoryError], failed: T, read: Callable[..., T], *args: object) -> T:
    """What `read(*args)` returns; when it raises, its error is added to `errors` and `failed` is
    returned, so that the next stages are still read and every file's problems said in one run."""
    try:
        return read(*args)
    except ObservatoryError as error:
        errors.append(error)
        return failed


def link(config: Config, referential: Referential, data_dir: Path | None, mappings: list) -> Correspondence:
    """2015 → 2024 links: the official table found among the producers' files, and the declared
    corrections (data.correspondence)."""
    official = None
    if data_dir is not None and data_dir.is_dir():
        for mapping in (m for m in mappings if m.kind == "correspondence"):
            found = [path for path in walk(data_dir)[0] if mapping.match(path.name)]
            official = found[-1] if found else official
    return link_quartiers(referential, official, config.correspondence, data_dir, config.former_quartiers)


def _missing_setting(config: Config, key: str, expected: str) -> ObservatoryError:
    """A setting of observatory.yml that this command needs and the file does not give."""
    problem = Problem(file=str(config.path), column=key, column_label="champ", expected=expected, found="rien")
    return ObservatoryError([problem])


def write_extract(config_path: Path, source: Path, out: Path | None = None):
    """`observatory extract`: the producers' rows of the configured territories into data.extract."""
    from observatory.inputs.extract import extract, source_files

    config = load_config(config_path, data_dir=None)
    target = out or config.extract
    if target is None:
        raise _missing_setting(config, "data.extract", "le dossier de l'extrait")
    editorial = load_editorial(config.sources, config.enjeux, config.glossary)
    catalog = load_catalog(config.catalog, set(editorial.enjeux))
    referential = load_referential(config.quartiers, config.territories)
    if config.producers is None:
        raise _missing_setting(config, "data.producers", "le dossier des tables de correspondance des producteurs")
    mappings = load_mappings(config.producers, catalog)
    link(config, referential, source, mappings)
    files = source_files(source, mappings)
    check_replaceable(target, [config.path, source], marker=EXTRACT_MARKER, shape=())
    staging = target.with_name(f".{target.name}-nouveau")  # the previous extract kept until this one is made
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        items = extract(config, referential, mappings, source, files, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return items, target


def editions_of(obs: Observatory) -> list[Edition]:
    """The current edition, then (with producer files) the declared archives, newest first; an
    archive declaring a file the producers' folder does not hold is refused (check_archives)."""
    config = obs.config
    current = current_edition(config)
    if config.data_dir is None:
        return [current]
    check_archives(config)
    archives = [
        Edition(id=a["id"], label=a["label"], date=str(a["date"]), files=tuple(a["files"]), published=False)
        for a in config.archives
    ]
    return [current, *sorted(archives, key=lambda e: e.date, reverse=True)]


ABSENT_ARCHIVE_FILES = "La configuration déclare pour des éditions archivées des fichiers absents du dossier lu :"


def check_archives(config: Config) -> None:
    """Every file the archived editions declare is in the producers' folder they are built from.
    Applied where editions are built from that folder: the build, and `check` of the folder the
    build reads by default (data.extract). `check DOSSIER` checks the files a folder holds, which
    may be a few producer files: what its editions would lack is said, not refused (cli)."""
    if config.data_dir is not None:
        problems = absent_file_problems(config, config.data_dir)
        if problems:
            raise ObservatoryError(problems, ABSENT_ARCHIVE_FILES)


def plan(
    obs: Observatory,
    edition: Edition,
    editions: list[Edition],
    changed: Changes | None,
    cache: Path,
    published: Path,
    incremental: bool = True,
) -> tuple[EditionSite, Manifest]:
    """What to publish for one edition, and the manifest the next incremental build compares
    with: the lookups of figures each page made while rendered, and their fingerprints. A full
    build renders every page. An incremental build renders again only the pages whose recorded
    lookups now read other figures (and the pages without downloads), and hands MkDocs only the
    files whose bytes changed, over the published edition; the whole edition is built whenever
    the last build cannot be reused (no manifest, another setting, another set of files, a
    published edition that is not the one the manifest describes)."""
    folder = cache / edition.id
    previous = Manifest.load(folder) if incremental else None
    (folder / MANIFEST).unlink(missing_ok=True)  # a build that fails leaves no manifest: the next is full
    changed = changed or Changes(None)
    manifest = Manifest(setting=setting_hash(obs, edition, editions))
    reusable = (
        previous is not None
        and previous.setting == manifest.setting
        and published.exists()
        and previous.site == published_signature(published, archived_under(edition, editions))
        and (folder / "docs").exists()
    )
    skip = previous.unchanged(obs, changed) if reusable else frozenset()
    reads: dict[str, tuple[set, str, list[str]] | None] = {}
    fingerprint = fingerprinter(obs, changed)
    staging = cache / STAGING / edition.id  # the pages with downloads and their files, until published
    shutil.rmtree(staging, ignore_errors=True)
    chunks = cache / WORKBOOKS / edition.id
    files = render_pages(obs, edition, editions, changed, skip, reads, fingerprint, staging, chunks)
    manifest.record(files, reads)
    reusable = reusable and set(reads) == set(previous.pages)  # the same pages with downloads
    for page in skip:
        manifest.keep(previous, page)
    if reusable and set(manifest.contents) == set(previous.contents):
        manifest.remember(obs, changed)
        manifest.keep_lookups(previous)
        changed_files = {p: c for p, c in files.items() if manifest.contents[p] != previous.contents[p]}
        return EditionSite(edition, changed_files, docs_dir=folder / "docs", reuse=published, staging=staging), manifest
    if skip:
        reads.clear()
        files = render_pages(obs, edition, editions, changed, frozenset(), reads, fingerprint, staging, chunks)
        manifest.record(files, reads)
    forget_chunks(chunks, files)  # every download was made
    manifest.remember(obs, changed)
    return EditionSite(edition, files, docs_dir=folder / "docs", staging=staging), manifest


def archived_under(edition: Edition, editions: list[Edition]) -> set[Path]:
    """The folders of the archived editions inside the published current edition."""
    return {Path("editions") / other.id for other in editions if not other.latest} if edition.latest else set()


def cache_of(site_dir: Path) -> Path:
    """Where incremental builds keep their manifests and docs folders: beside the site."""
    return site_dir.parent / f".{site_dir.name}-cache"


def publish_planned(
    config: Config, planned: list[tuple[EditionSite, Manifest]], cache: Path, incremental: bool = True
) -> Path:
    """Publish the planned editions (the current one first, at the root); only then, remember
    what an incremental build will compare with next time, and which site it wrote. A full build
    first forgets what earlier builds remembered of the site it replaces."""
    planned.sort(key=lambda pair: not pair[0].edition.latest)
    if not incremental:
        forget_builds(cache)
    try:
        target = publish(config, [site for site, _ in planned])
    finally:
        shutil.rmtree(cache / STAGING, ignore_errors=True)  # what was not published changed nothing
    editions = [site.edition for site, _ in planned]
    for site, manifest in planned:
        edition = site.edition
        published = target if edition.latest else target / "editions" / edition.id
        manifest.site = published_signature(published, archived_under(edition, editions))
        manifest.save(cache / edition.id)
    return target


def build(
    config_path: Path, site_dir: Path | None = None, data_dir: Path | None = None, incremental: bool = False
) -> BuildReport:
    """Everything is read and rendered in memory, for every edition, before anything is written.
    With `incremental`, only what changed since the last incremental build is rendered again.
    One build at a time per site folder: a second one is refused before it touches the site's cache."""
    config = load_config(config_path, site_dir, data_dir)
    check_replaceable(config.site_dir, inputs_of(config))  # refused before anything is read or written
    with site_lock(config.site_dir):
        return _build_locked(config_path, site_dir, data_dir, incremental)


def _build_locked(config_path: Path, site_dir: Path | None, data_dir: Path | None, incremental: bool) -> BuildReport:
    """The build, once it holds its site's lock."""
    obs = load(config_path, site_dir, data_dir, incremental)
    cache = cache_of(obs.config.site_dir)
    editions = editions_of(obs)
    selected = {edition.id: select(obs, edition) for edition in editions}
    oldest_first = sorted(editions, key=lambda e: e.date)
    planned = []
    for index, edition in enumerate(oldest_first):
        previous = oldest_first[index - 1] if index else None
        changed = changes(selected[edition.id], selected[previous.id] if previous else None, previous)
        published = obs.config.site_dir if edition.latest else obs.config.site_dir / "editions" / edition.id
        planned.append(plan(selected[edition.id], edition, editions, changed, cache, published, incremental))
    pages = sum(sum(1 for path in manifest.contents if path.endswith(".md")) for _, manifest in planned)
    target = publish_planned(obs.config, planned, cache, incremental)  # empties each edition's files once written
    current = selected[editions[0].id]
    rendered = [
        page if site.edition.latest else f"editions/{site.edition.id}/{page}"
        for site, manifest in planned
        for page in manifest.rendered
    ]
    return BuildReport(
        site_dir=target,
        pages=pages,
        quartiers=len(current.quartiers()),
        figures=len(current.figures),
        indicators=len(current.catalog),
        accounts=tuple(obs.accounts),
        editions=len(planned),
        rendered=tuple(sorted(rendered)),
    )
