"""View of the page of what changed since the previous edition.

In: the observatory of one edition, the edition, and what changed (observatory.figures.editions.Changes:
indicator ids, territory ids, values). Out: a ChangesView holding the counts, the new millésimes
and revised figures by enjeu, the indicators that appeared or disappeared and the largest gap
changes, each with the names, labels, values and sources the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.editions import Changes, Edition, GapMove, Revision
from observatory.figures.observatory import Observatory
from observatory.pages.common import IndicatorLink, indicator_link
from observatory.pages.text import format_value, move_gap


@dataclass(frozen=True)
class NewPeriod:
    id: str  # the indicator's
    label: str
    period: str


@dataclass(frozen=True)
class RevisionRow:
    territory: str  # the territory's name
    label: str  # the indicator's
    period: str
    before: str  # the value with its unit: "41,5 %", "10 619 €"
    after: str
    producer: str


@dataclass(frozen=True)
class ChangeSection:
    """One enjeu's new millésimes and revised figures."""

    number: int
    short_title: str
    new_periods: tuple[NewPeriod, ...]
    revised: tuple[RevisionRow, ...]


@dataclass(frozen=True)
class GapMoveRow:
    quartier_id: str
    quartier: str  # the quartier's name
    label: str  # the indicator's
    reference: str  # the reference's label
    before_period: str
    before: str  # the gap, signed, with its unit: "+22,5 points", "−7 530 €"
    after_period: str
    after: str
    sources: tuple[str, ...]  # producers of the figures of the latest millésime


@dataclass(frozen=True)
class ChangesView:
    edition_label: str
    previous: str  # the previous edition's label ("" = this is the first edition)
    empty: bool  # no published figure changed
    new_figures: int
    revised_count: int
    new_period_count: int
    enjeux: tuple[ChangeSection, ...]  # the enjeux with a new millésime or a revised figure
    added: tuple[IndicatorLink, ...]
    removed: tuple[IndicatorLink, ...]
    gap_moves: tuple[GapMoveRow, ...]
    unchanged_gaps: int  # gaps computed in both editions on the same millésime, unchanged


def build_changes_view(obs: Observatory, edition: Edition, changed: Changes) -> ChangesView:
    return ChangesView(
        edition_label=edition.label,
        previous=changed.previous.label if changed.previous else "",
        empty=changed.empty,
        new_figures=changed.new_figures,
        revised_count=len(changed.revised),
        new_period_count=len(changed.new_periods),
        enjeux=_sections(obs, changed),
        added=tuple(indicator_link(obs.catalog[i]) for i in changed.added),
        removed=tuple(indicator_link(obs.catalog[i]) for i in changed.removed),
        gap_moves=tuple(_gap_move(obs, move) for move in changed.gap_moves),
        unchanged_gaps=changed.unchanged_gaps,
    )


def _sections(obs: Observatory, changed: Changes) -> tuple[ChangeSection, ...]:
    sections = []
    for enjeu in obs.editorial.enjeux.values():
        new_periods = tuple(
            NewPeriod(i, obs.catalog[i].label, period)
            for i, period in changed.new_periods
            if obs.catalog[i].enjeu == enjeu.number
        )
        revised = tuple(_revision(obs, r) for r in changed.revised if obs.catalog[r.indicator].enjeu == enjeu.number)
        if new_periods or revised:
            sections.append(ChangeSection(enjeu.number, enjeu.short_title, new_periods, revised))
    return tuple(sections)


def _revision(obs: Observatory, revision: Revision) -> RevisionRow:
    indicator = obs.catalog[revision.indicator]
    return RevisionRow(
        territory=obs.territory(revision.territory).name,
        label=indicator.label,
        period=revision.period,
        before=format_value(indicator, revision.before, indicator.decimals),
        after=format_value(indicator, revision.after, indicator.decimals),
        producer=revision.producer,
    )


def _gap_move(obs: Observatory, move: GapMove) -> GapMoveRow:
    indicator = obs.catalog[move.indicator]
    return GapMoveRow(
        quartier_id=move.quartier,
        quartier=obs.territory(move.quartier).name,
        label=indicator.label,
        reference=obs.territory(move.reference).label,
        before_period=move.before[0],
        before=move_gap(indicator, move.before[1], move.precisions[:2], move.relative),
        after_period=move.after[0],
        after=move_gap(indicator, move.after[1], move.precisions[2:], move.relative),
        sources=tuple(obs.sources_of(move.indicator, [move.quartier, move.reference], [move.after[0]])),
    )
