"""Views of a quartier's page (2024 quartier) and of a 2015 quartier that left the geography.

In: the observatory of one edition, the quartier (a Territory), what changed since the previous
edition, and the quartier's indicator blocks (observatory.pages.views.quartier_blocks: figures compared
and charted). Out: a QuartierView (or Quartier2015View) holding every text, figure view, chart and
series the page shows, grouped as the page shows them (by enjeu, by status of what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.editions import Changes
from observatory.figures.observatory import Observatory
from observatory.inputs.territories import Territory
from observatory.model import STATUS_REASONS, STATUSES
from observatory.pages.common import IndicatorLink, QuartierLink, indicator_link, quartier_link
from observatory.pages.series import SeriesView, evolutions, series_view
from observatory.pages.text import format_difference, format_value, gap_decimals
from observatory.pages.views import (
    FigureView,
    IndicatorBlock,
    QuartierFigure,
    commune_colleges,
    missing_indicators,
    predecessor_figures,
    related_figures,
    territory_figures,
)


@dataclass(frozen=True)
class ContractLink:
    id: str
    name: str


@dataclass(frozen=True)
class NewFigure:
    label: str  # the indicator's
    period: str


@dataclass(frozen=True)
class RevisedFigure:
    label: str
    period: str
    before: str  # the value with its unit: "41,5 %", "10 619 €"
    after: str


@dataclass(frozen=True)
class GapChange:
    reference_with: str  # "avec la MEL"
    label: str  # the indicator's
    before_period: str
    before: str  # the gap, signed, with its unit: "+22,5 points", "−7 530 €"
    after_period: str
    after: str


@dataclass(frozen=True)
class QuartierChanges:
    """What changed for the quartier since the previous edition."""

    previous: str  # the previous edition's label
    new: tuple[NewFigure, ...]
    revised: tuple[RevisedFigure, ...]
    moves: tuple[GapChange, ...]


@dataclass(frozen=True)
class IndicatorSection:
    """One indicator on the quartier's page: its latest figures compared, its earlier ones, its evolution."""

    indicator: IndicatorLink
    figures: tuple[QuartierFigure, ...]
    previous: tuple[FigureView, ...]  # the quartier's earlier millésimes
    other_references: tuple[FigureView, ...]  # reference figures of other millésimes
    trend: SeriesView | None
    evolutions: tuple[str, ...]  # gap evolutions, in words


@dataclass(frozen=True)
class EnjeuSection:
    number: int
    short_title: str
    slug: str
    indicators: tuple[IndicatorSection, ...]


@dataclass(frozen=True)
class FigureGroup:
    """Figures of a territory linked to the quartier (IRIS, collège, 2015 quartier), shown apart."""

    id: str
    name: str
    note: str
    figures: tuple[FigureView, ...]


@dataclass(frozen=True)
class MissingGroup:
    status: str  # "non_publie"…
    label: str  # « non publié »
    reason: str
    indicators: tuple[IndicatorLink, ...]


@dataclass(frozen=True)
class QuartierView:
    quartier: QuartierLink
    contracts: tuple[ContractLink, ...]
    shared_epcis: tuple[str, ...]  # names of its intercommunalités, when it has several
    predecessors: tuple[str, ...]  # what each 2015 → 2024 link says
    changes: QuartierChanges | None  # None: first edition, or nothing changed for it
    has_figures: bool
    enjeux: tuple[EnjeuSection, ...]
    colleges: tuple[FigureView, ...]
    related: tuple[FigureGroup, ...]
    merged: tuple[FigureGroup, ...]  # the 2015 quartiers it brings together
    missing_count: int
    missing: tuple[MissingGroup, ...]
    search_sections: bool  # False: the search index keeps the page's lead only (search.quartier_pages)
    enjeu_pages: str  # the enjeu pages' folder of its département (pages.by: departement: « 59/ »), else ""


def build_quartier_view(
    obs: Observatory, quartier: Territory, changed: Changes, blocks: list[IndicatorBlock]
) -> QuartierView:
    """The page of a 2024 quartier; `blocks` are its indicator blocks (quartier_blocks)."""
    missing = missing_indicators(obs, quartier)
    return QuartierView(
        quartier=quartier_link(quartier),
        contracts=tuple(ContractLink(c.id, c.name) for c in obs.contracts_of(quartier)),
        shared_epcis=_epci_names(obs, quartier) if len(quartier.epcis) > 1 else (),
        predecessors=tuple(link.note for link in obs.referential.predecessors(quartier.id)),
        changes=_changes(obs, quartier, changed),
        has_figures=bool(blocks),
        enjeux=_enjeu_sections(obs, quartier, blocks),
        colleges=tuple(commune_colleges(obs, quartier)),
        related=tuple(_group(territory, views) for territory, views in related_figures(obs, quartier)),
        merged=tuple(_group(territory, views) for territory, views in predecessor_figures(obs, quartier)),
        missing_count=sum(len(indicators) for _, indicators in missing),
        missing=tuple(
            MissingGroup(status, STATUSES[status], STATUS_REASONS[status], tuple(map(indicator_link, indicators)))
            for status, indicators in missing
        ),
        search_sections=obs.config.search_quartier_pages == "sections",
        enjeu_pages=f"{quartier.departement}/" if obs.config.pages_by == "departement" else "",
    )


def _epci_names(obs: Observatory, quartier: Territory) -> tuple[str, ...]:
    territories = obs.referential.territories
    return tuple(
        territories[f"epci-{siren}"].name if f"epci-{siren}" in territories else f"EPCI {siren}"
        for siren in quartier.epcis
    )


def _changes(obs: Observatory, quartier: Territory, changed: Changes) -> QuartierChanges | None:
    new, revised, moves = changed.for_quartier(quartier.id)
    if not changed.previous or not (new or revised or moves):
        return None
    catalog = obs.catalog
    return QuartierChanges(
        previous=changed.previous.label,
        new=tuple(NewFigure(catalog[indicator_id].label, period) for indicator_id, period in new),
        revised=tuple(
            RevisedFigure(
                catalog[r.indicator].label,
                r.period,
                format_value(catalog[r.indicator], r.before, catalog[r.indicator].decimals),
                format_value(catalog[r.indicator], r.after, catalog[r.indicator].decimals),
            )
            for r in revised
        ),
        moves=tuple(
            GapChange(
                reference_with=obs.territory(move.reference).with_,
                label=catalog[move.indicator].label,
                before_period=move.before[0],
                before=format_difference(
                    catalog[move.indicator], move.before[1], gap_decimals(catalog[move.indicator], *move.precisions[:2])
                ),
                after_period=move.after[0],
                after=format_difference(
                    catalog[move.indicator], move.after[1], gap_decimals(catalog[move.indicator], *move.precisions[2:])
                ),
            )
            for move in moves
        ),
    )


def _enjeu_sections(obs: Observatory, quartier: Territory, blocks: list[IndicatorBlock]) -> tuple[EnjeuSection, ...]:
    """The quartier's indicators by enjeu (an enjeu without any is not shown), each with its series
    across millésimes and its gap evolutions."""
    territories = [quartier.id, *obs.references(quartier)]
    sections = []
    for enjeu in obs.editorial.enjeux.values():
        mine = [block for block in blocks if block.indicator.enjeu == enjeu.number]
        if not mine:
            continue
        indicators = tuple(
            IndicatorSection(
                indicator=indicator_link(block.indicator),
                figures=tuple(block.figures),
                previous=tuple(block.previous),
                other_references=tuple(block.other_references),
                trend=series_view(
                    obs,
                    block.indicator,
                    territories,
                    {quartier.id},
                    f"serie-{block.indicator.id}",
                    f"{block.indicator.chart_label} : {quartier.name} et ses références au fil des millésimes",
                ),
                evolutions=tuple(evolutions(obs, block.indicator, quartier)),
            )
            for block in mine
        )
        sections.append(EnjeuSection(enjeu.number, enjeu.short_title, enjeu.slug, indicators))
    return tuple(sections)


def _group(territory: Territory, views: list[FigureView]) -> FigureGroup:
    return FigureGroup(id=territory.id, name=territory.name, note=territory.note, figures=tuple(views))


@dataclass(frozen=True)
class Quartier2015View:
    quartier: QuartierLink
    figures: tuple[FigureView, ...]
    search_sections: bool  # False: the search index keeps the page's lead only


def build_quartier_2015_view(obs: Observatory, former: Territory) -> Quartier2015View:
    """A 2015 quartier that left the geography in 2024: its history, findable under its 2015 code."""
    return Quartier2015View(
        quartier=quartier_link(former),
        figures=tuple(territory_figures(obs, former.id)),
        search_sections=obs.config.search_quartier_pages == "sections",
    )
