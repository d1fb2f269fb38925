"""Views of the pages that rank every quartier: an enjeu's page and an indicator's page.

In: the observatory of one edition and the enjeu (documents.Enjeu) or the indicator
(catalog.Indicator). Out: an EnjeuView or an IndicatorView holding the texts of the enjeu or the
indicator card, each ranking (observatory.pages.views.RankingView) and series across millésimes
(observatory.pages.series.SeriesView) the page shows, and the configured wording of the build.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import Indicator
from observatory.inputs.documents import AmbitionGroup, Enjeu
from observatory.pages.common import EnjeuLink, enjeu_link, text
from observatory.pages.series import SeriesView, series_view
from observatory.pages.views import RankingView, enjeu_rankings, ranking

MAX_SERIES_QUARTIERS = 50  # beyond this, a line per quartier is unreadable: references only


@dataclass(frozen=True)
class EnjeuIndicator:
    ranking: RankingView  # the millésime most quartiers share
    trend: SeriesView | None


@dataclass(frozen=True)
class EnjeuView:
    number: int
    title: str
    short_title: str
    slug: str
    groups: tuple[AmbitionGroup, ...]  # the contract's ambitions, by scale
    source: str  # id of the document the ambitions are quoted from
    source_title: str
    correspondence_label: str  # « Dans le contrat de la CALL » (configured)
    correspondence: str  # how that contract relates to the enjeu ("" = not shown)
    indicators: tuple[EnjeuIndicator, ...]


def build_enjeu_view(obs: Observatory, enjeu: Enjeu) -> EnjeuView:
    label = text(obs, "enjeu_correspondence_label")
    indicators = tuple(
        EnjeuIndicator(
            ranking=view,
            trend=series_view(
                obs,
                view.indicator,
                territories_of(obs, view.indicator.id),
                set(),
                f"serie-{view.indicator.id}",
                f"{view.indicator.chart_label} : quartiers et références au fil des millésimes",
            ),
        )
        for view in enjeu_rankings(obs, enjeu.number)
    )
    return EnjeuView(
        number=enjeu.number,
        title=enjeu.title,
        short_title=enjeu.short_title,
        slug=enjeu.slug,
        groups=enjeu.groups,
        source=enjeu.source,
        source_title=obs.editorial.documents[enjeu.source].title,
        correspondence_label=label,
        correspondence=enjeu.call_mapping if label else "",
        indicators=indicators,
    )


@dataclass(frozen=True)
class IndicatorView:
    id: str
    label: str
    definition: str
    unit: str  # the unit's label (« % », « € »)
    direction: str  # « une valeur plus faible est favorable »
    producer: str
    enjeu: EnjeuLink
    rankings: tuple[RankingView, ...]  # one per millésime, most recent first
    trend: SeriesView | None


def build_indicator_view(obs: Observatory, indicator: Indicator) -> IndicatorView:
    periods = obs.periods_of(indicator.id)
    return IndicatorView(
        id=indicator.id,
        label=indicator.label,
        definition=indicator.definition,
        unit=indicator.unit.label,
        direction=indicator.direction_text,
        producer=indicator.producer,
        enjeu=enjeu_link(obs.editorial.enjeux[indicator.enjeu]),
        rankings=tuple(
            ranking(obs, indicator, period, f"graphique-{index + 1}") for index, period in enumerate(periods)
        ),
        trend=series_view(
            obs,
            indicator,
            territories_of(obs, indicator.id),
            set(),
            "serie",
            f"{indicator.chart_label} : tous les territoires au fil des millésimes",
        ),
    )


def territories_of(obs: Observatory, indicator_id: str) -> list[str]:
    """Quartiers first (by code, when there are few enough to read), then the other territories
    with a figure of the indicator."""
    present = set(obs.figures_of(indicator_id)["territory"])
    quartiers = [q.id for q in obs.quartiers() if q.id in present]
    others = sorted(present - set(quartiers) - obs.quartier_ids() - obs.quartiers_2015())
    return (quartiers if len(quartiers) <= MAX_SERIES_QUARTIERS else []) + others
