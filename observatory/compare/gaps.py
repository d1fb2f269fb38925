"""Gaps (points, ratio), favourable or not, ranks, min/max: pure functions on tidy figures."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from observatory.inputs.catalog import Indicator
from observatory.inputs.sources.published import UNSTATED
from observatory.model import AVAILABLE_STATISTICS, FigureRow, figure_rows, is_base_year, is_undated


@dataclass(frozen=True)
class Gap:
    difference: float | None  # quartier − reference, in the indicator's unit (points for rates)
    ratio: float | None  # quartier ÷ reference
    assessment: str  # "plus favorable", "moins favorable", "égal", "" (neutral indicator)


def is_available(figure: FigureRow | dict) -> bool:
    value = figure["value"]
    return figure["status"] == "ok" and value is not None and not math.isnan(value)


def comparable(indicator: Indicator, subject: FigureRow | dict, reference: FigureRow | dict) -> str:
    """'' when a gap may be computed between two figures, else the reason it may not."""
    if not indicator.compare:
        return "indicateur de contexte : pas d'écart calculé"
    if not (is_available(subject) and is_available(reference)):
        return "valeur non disponible"
    if subject["period"] != reference["period"]:
        return "période différente : pas d'écart calculé"
    if subject["period"] == UNSTATED:  # two figures whose sources give no millésime are not of one year
        return "millésime non précisé par la source : pas d'écart calculé"
    undated = is_undated(subject["period"]) or is_base_year(subject["period"])
    if undated and subject["document"] != reference["document"]:
        # an undated file's figure is compared with its own file's aggregate only (same observation date)
        return "date d'observation non établie : comparé seulement à l'ensemble du même fichier"
    if subject["qualifier"] or reference["qualifier"]:
        return "valeur approchée (« moins de », « environ ») : pas d'écart calculé"
    if subject["statistic"] == "mean" or reference["statistic"] == "mean":
        # a mean over the quartiers where the figure exists is shown, never subtracted
        return "moyenne sur une partie des quartiers : pas d'écart calculé"
    return ""


def gap(indicator: Indicator, value: float, reference: float) -> Gap:
    """Difference and ratio between a value and its reference, with the indicator's direction; a
    share published negative because deducted (taxes) is compared by its size."""
    if indicator.deducted:
        value, reference = abs(value), abs(reference)
    unit = indicator.unit
    difference = value - reference if unit.gap_label else None
    ratio = value / reference if unit.ratio and reference > 0 else None
    return Gap(difference=difference, ratio=ratio, assessment=assess(indicator.direction, value, reference))


def favourable(direction: str, change: float) -> bool | None:
    """The one direction rule: whether a change or a gap (value − reference) is favourable for an
    indicator of this direction (DIRECTIONS); None for a context indicator or a nil change."""
    if direction == "neutral" or math.isclose(change, 0, rel_tol=0, abs_tol=1e-9):
        return None
    return change > 0 if direction == "higher_is_better" else change < 0


def assess(direction: str, value: float, reference: float) -> str:
    """A value against its reference: "plus favorable", "moins favorable", "égal", or "" (neutral)."""
    better = favourable(direction, value - reference)
    if better is None:
        return "" if direction == "neutral" else "égal"
    return "plus favorable" if better else "moins favorable"


@dataclass(frozen=True)
class Ranked:
    territory: str
    value: float
    rank: int  # 1 = highest value; ties share a rank
    figure: FigureRow


def rank_quartiers(
    figures: pd.DataFrame, quartier_ids: set[str], preferred: frozenset[str] = frozenset()
) -> list[Ranked]:
    """Quartiers of one indicator and one period, highest value first (ties share a rank), each
    quartier once: when two sources give its value, the figure of a `preferred` document (a
    producer's file rather than a document's transcription), else the first in table order."""
    rows = figures[
        figures["territory"].isin(quartier_ids)
        & (figures["status"] == "ok")
        & figures["statistic"].isin(AVAILABLE_STATISTICS)
        & (figures["qualifier"] == "")
    ]
    first: dict[str, FigureRow] = {}  # each quartier's first figure in table order…
    kept: dict[str, FigureRow] = {}  # …and its first of a preferred document
    for row in figure_rows(rows):
        first.setdefault(row.territory, row)
        if row.document in preferred:
            kept.setdefault(row.territory, row)
    chosen = sorted({**first, **kept}.values(), key=lambda row: (-row.value, row.territory))
    ranked, previous, rank = [], None, 0
    for position, row in enumerate(chosen, start=1):
        if previous is None or not math.isclose(row.value, previous):
            rank = position
        previous = row.value
        ranked.append(Ranked(territory=row.territory, value=row.value, rank=rank, figure=row))
    return ranked


def extremes(ranked: list[Ranked]) -> tuple[list[Ranked], list[Ranked]]:
    """(minimum quartiers, maximum quartiers) of a ranking; ties are all named."""
    if not ranked:
        return [], []
    low = min(item.value for item in ranked)
    high = max(item.value for item in ranked)
    return (
        [item for item in ranked if math.isclose(item.value, low)],
        [item for item in ranked if math.isclose(item.value, high)],
    )


def main_period(figures: pd.DataFrame, quartier_ids: set[str]) -> str | None:
    """The period with the most quartier figures (ties: the most recent), for one indicator.
    Counted in Python: called per indicator and per département, pandas' groupby cost more than
    the counting."""
    rows = figures[figures["territory"].isin(quartier_ids) & (figures["status"] == "ok")]
    if rows.empty:
        return None
    territories: dict[str, set[str]] = {}
    years: dict[str, int] = {}
    for period, territory, year in zip(rows["period"], rows["territory"], rows["year"], strict=True):
        territories.setdefault(period, set()).add(territory)
        years[period] = max(years.get(period, -1), -1 if pd.isna(year) else int(year))
    return str(max(territories, key=lambda period: (len(territories[period]), years[period], period)))
