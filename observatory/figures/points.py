"""Each territory's series: its exact available values, one per millésime, by year.

What series charts, evolutions and the committee follow; built once per observatory.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from observatory.model import AVAILABLE_STATISTICS

GEOGRAPHY_PREFERENCE = {"qp2024": 0, "qp2015": 1, "": 2, "non_precise": 3}


class SeriesPoint(NamedTuple):
    period: str
    year: int
    value: float
    precision: int
    geography: str


def all_points(figures: pd.DataFrame) -> dict[tuple[str, str], list[SeriesPoint]]:
    """Exact available values of every (indicator, territory), one per period, by year.

    One value per period: a figure whose perimeter is known comes before one whose is not,
    then the first in the table's stable order.
    """
    keys = ["indicator", "territory"]
    rows = figures[
        (figures["status"] == "ok")
        & figures["statistic"].isin(AVAILABLE_STATISTICS)
        & (figures["qualifier"] == "")
        & figures["year"].notna()
    ]
    preference = rows["geography"].map(GEOGRAPHY_PREFERENCE).fillna(len(GEOGRAPHY_PREFERENCE))
    rows = rows.assign(_preference=preference).sort_values("_preference", kind="stable")
    rows = rows.drop_duplicates([*keys, "period"], keep="first")
    rows = rows.sort_values([*keys, "year", "period"], kind="stable")
    points: dict[tuple[str, str], list[SeriesPoint]] = {}
    columns = zip(
        rows["indicator"],
        rows["territory"],
        rows["period"],
        rows["year"],
        rows["value"],
        rows["precision"],
        rows["geography"],
        strict=True,
    )
    for indicator, territory, period, year, value, precision, geography in columns:
        points.setdefault((indicator, territory), []).append(
            SeriesPoint(str(period), int(year), float(value), int(precision), str(geography))
        )
    return points
