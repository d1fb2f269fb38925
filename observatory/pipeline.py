"""The ordered build: read and check everything, compare, render, then publish the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.catalog import load_catalog
from observatory.config import load_config
from observatory.documents import load_editorial
from observatory.observatory import Observatory
from observatory.render import render_pages
from observatory.site import publish
from observatory.sources import read_figures
from observatory.territories import load_referential


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    pages: int
    quartiers: int
    figures: int
    indicators: int


def load(config_path: Path, site_dir: Path | None = None) -> Observatory:
    """Read and validate every input; raise one ObservatoryError per stage with all its problems."""
    config = load_config(config_path, site_dir)
    editorial = load_editorial(config.sources, config.enjeux)
    catalog = load_catalog(config.catalog, set(editorial.enjeux))
    referential = load_referential(config.quartiers, config.territories)
    figures = read_figures(config.figures, referential, catalog, set(editorial.documents))
    return Observatory(config=config, catalog=catalog, referential=referential, editorial=editorial, figures=figures)


def build(config_path: Path, site_dir: Path | None = None) -> BuildReport:
    """Everything is read and rendered in memory before anything is written."""
    obs = load(config_path, site_dir)
    pages = render_pages(obs)
    target = publish(obs.config, pages)
    return BuildReport(
        site_dir=target,
        pages=len(pages),
        quartiers=len(obs.quartiers()),
        figures=len(obs.figures),
        indicators=len(obs.catalog),
    )
