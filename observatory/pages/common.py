"""Small records shared by the page views, and the configured wording.

In: the observatory's domain objects (a quartier, an indicator, an enjeu) and its configuration.
Out: frozen records holding the few fields a template shows of them (no method to call), and the
text of a `texts:` entry of observatory.yml ("" when the build does not declare it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from observatory.figures.observatory import Observatory
from observatory.figures.points import SeriesPoint
from observatory.inputs.catalog import Indicator
from observatory.inputs.documents import Enjeu
from observatory.inputs.territories import Territory
from observatory.names import fold


@dataclass(frozen=True)
class QuartierLink:
    """A quartier as a list shows it: linked by its code, with its communes."""

    id: str
    name: str
    communes: tuple[str, ...]
    shared: bool  # shared with a neighbouring intercommunalité


@dataclass(frozen=True)
class IndicatorLink:
    id: str
    label: str


@dataclass(frozen=True)
class EnjeuLink:
    number: int
    slug: str
    title: str
    short_title: str


@dataclass(frozen=True)
class DepartementLink:
    """A département's page (its map, or an enjeu's page for it), as a list of départements shows it."""

    code: str  # « 59 », « 2A », « 971 »
    name: str
    quartiers: int


def departement_links(obs: Observatory, quartiers: Iterable[Territory]) -> tuple[DepartementLink, ...]:
    """The départements of these quartiers, by code, each with its number of them."""
    counts = Counter(q.departement for q in quartiers)
    return tuple(DepartementLink(code, obs.territory(f"dep-{code}").name, counts[code]) for code in sorted(counts))


def quartier_link(quartier: Territory) -> QuartierLink:
    return QuartierLink(
        id=quartier.id,
        name=quartier.name,
        communes=tuple(quartier.commune_names),
        shared=len(quartier.epcis) > 1,
    )


def indicator_link(indicator: Indicator) -> IndicatorLink:
    return IndicatorLink(id=indicator.id, label=indicator.label)


def enjeu_link(enjeu: Enjeu) -> EnjeuLink:
    return EnjeuLink(number=enjeu.number, slug=enjeu.slug, title=enjeu.title, short_title=enjeu.short_title)


def text(obs: Observatory, key: str) -> str:
    """The wording this build declares under `texts:` in observatory.yml ("" when it declares none)."""
    return obs.config.texts.get(key, "")


def sort_key(words: str) -> str:
    """Alphabetical order that ignores accents and case (Armentières before Billy-Montigny)."""
    return fold(words)


def series_of(obs: Observatory, indicator: Indicator, territory_id: str) -> list[SeriesPoint]:
    """A territory's series as evolutions read it: a deducted share (taxes) by its size."""
    points = obs.points(indicator.id, territory_id)
    return [p._replace(value=abs(p.value)) for p in points] if indicator.deducted else points
