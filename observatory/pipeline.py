"""The ordered build: read and check everything, compare, render, then publish the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.catalog import load_catalog
from observatory.config import load_config
from observatory.documents import load_editorial
from observatory.errors import ObservatoryError, Problem
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


def load(config_path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> Observatory:
    """Read and validate every input; raise one ObservatoryError per stage with all its problems."""
    config = load_config(config_path, site_dir, data_dir)
    editorial = load_editorial(config.sources, config.enjeux)
    catalog = load_catalog(config.catalog, set(editorial.enjeux))
    referential = load_referential(config.quartiers, config.territories, config.correspondence)
    figures = read_figures(config.figures, referential, catalog, set(editorial.documents))
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


def build(config_path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> BuildReport:
    """Everything is read and rendered in memory before anything is written."""
    obs = load(config_path, site_dir, data_dir)
    pages = render_pages(obs)
    target = publish(obs.config, pages)
    return BuildReport(
        site_dir=target,
        pages=len(pages),
        quartiers=len(obs.quartiers()),
        figures=len(obs.figures),
        indicators=len(obs.catalog),
        accounts=tuple(obs.accounts),
    )
