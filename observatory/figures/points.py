"""Each territory's series: its exact available values, one per millésime, by year.

What series charts, evolutions and the committee follow; made for an (indicator, territory)
when first asked (a rebuild rendering a few pages needs few).
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from observatory.model import AVAILABLE_STATISTICS, FigureRow

GEOGRAPHY_PREFERENCE = {"qp2024": 0, "qp2015": 1, "": 2, "non_precise": 3}


class SeriesPoint(NamedTuple):
    period: str
    year: int
    value: float
    precision: int
    geography: str


def series_points(rows: list[FigureRow]) -> list[SeriesPoint]:
    """Exact available values of one (indicator, territory) (`rows`: its figures, in the table's
    order), one per period, by year.

    One value per period: a figure whose perimeter is known comes before one whose is not,
    then the first in the table's order.
    """
    available = [
        row
        for row in rows
        if row.status == "ok"
        and row.statistic in AVAILABLE_STATISTICS
        and row.qualifier == ""
        and row.year is not pd.NA
    ]
    available.sort(key=lambda row: GEOGRAPHY_PREFERENCE.get(row.geography, len(GEOGRAPHY_PREFERENCE)))
    kept: dict[str, FigureRow] = {}
    for row in available:
        kept.setdefault(row.period, row)
    return [
        SeriesPoint(str(row.period), int(row.year), float(row.value), int(row.precision), str(row.geography))
        for row in sorted(kept.values(), key=lambda row: (row.year, row.period))
    ]
