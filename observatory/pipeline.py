"""The ordered build: read and check everything, compare, render, then publish the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from observatory.catalog import load_catalog
from observatory.config import load_config
from observatory.correspondence import derive
from observatory.documents import load_editorial
from observatory.editions import Edition, changes, current_edition, select
from observatory.errors import ObservatoryError, Problem
from observatory.model import FIGURE_COLUMNS
from observatory.observatory import Observatory
from observatory.render import render_pages
from observatory.site import publish
from observatory.sources import combine, read_figures
from observatory.sources.mappings import load_mappings
from observatory.sources.producers import Accounting, read_producers
from observatory.territories import load_referential


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    pages: int
    quartiers: int
    figures: int
    indicators: int
    accounts: tuple[Accounting, ...] = ()
    editions: int = 1


def load(config_path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> Observatory:
    """Read and validate every input; raise one ObservatoryError per stage with all its problems."""
    config = load_config(config_path, site_dir, data_dir)
    editorial = load_editorial(config.sources, config.enjeux, config.glossary)
    catalog = load_catalog(config.catalog, set(editorial.enjeux))
    declared = config.correspondence if isinstance(config.correspondence, Path) else None
    referential = load_referential(config.quartiers, config.territories, declared)
    if config.correspondence == "auto" and config.data_dir is not None:
        derive(config.data_dir, referential)
    figures = (
        read_figures(config.figures, referential, catalog, set(editorial.documents))
        if config.figures is not None
        else pd.DataFrame(columns=FIGURE_COLUMNS)
    )
    accounts: list[Accounting] = []
    mappings: list = []
    if config.data_dir is not None:
        if config.producers is None:
            raise ObservatoryError(
                [
                    Problem(
                        file=str(config.path),
                        column="data.producers",
                        column_label="champ",
                        expected="le dossier des tables de correspondance des producteurs",
                        found="rien",
                    )
                ]
            )
        mappings = load_mappings(config.producers, catalog)
        produced, problems, accounts, unrecognised = read_producers(config.data_dir, mappings, referential, catalog)
        if problems:
            raise ObservatoryError(problems, "Les fichiers des producteurs contiennent des erreurs :")
        editorial.documents.update({m.id: m.document() for m in mappings})
        figures = combine(figures, produced)
        accounts = [*accounts, *(Accounting(file=name, mapping="") for name in unrecognised)]
    return Observatory(
        config=config,
        catalog=catalog,
        referential=referential,
        editorial=editorial,
        figures=figures,
        accounts=accounts,
        mappings=mappings,
    )


def editions_of(obs: Observatory) -> list[Edition]:
    """The current edition, then (with producer files) the declared archives, newest first."""
    config = obs.config
    current = current_edition(config)
    if config.data_dir is None:
        return [current]
    archives = [
        Edition(id=a["id"], label=a["label"], date=str(a["date"]), files=tuple(a["files"]), published=False)
        for a in config.archives
    ]
    return [current, *sorted(archives, key=lambda e: e.date, reverse=True)]


def build(config_path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> BuildReport:
    """Everything is read and rendered in memory, for every edition, before anything is written."""
    obs = load(config_path, site_dir, data_dir)
    editions = editions_of(obs)
    selected = {edition.id: select(obs, edition) for edition in editions}
    oldest_first = sorted(editions, key=lambda e: e.date)
    sites = []
    for index, edition in enumerate(oldest_first):
        previous = oldest_first[index - 1] if index else None
        changed = changes(selected[edition.id], selected[previous.id] if previous else None, previous)
        pages = render_pages(selected[edition.id], edition=edition, editions=editions, changed=changed)
        sites.append((edition, pages))
    sites.sort(key=lambda site: not site[0].latest)  # the current edition is built first, at the root
    target = publish(obs.config, sites)
    current = selected[editions[0].id]
    return BuildReport(
        site_dir=target,
        pages=sum(1 for _, pages in sites for path in pages if path.endswith(".md")),
        quartiers=len(current.quartiers()),
        figures=len(current.figures),
        indicators=len(current.catalog),
        accounts=tuple(obs.accounts),
        editions=len(sites),
    )
