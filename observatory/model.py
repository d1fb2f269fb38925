"""The tidy contract between stages: columns, vocabularies and units. No I/O here."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

#: One row per published figure. `value` is NaN whenever `status` is not "ok": a missing
#: figure carries the reason it is missing, never a 0.
FIGURE_COLUMNS = [
    "territory",  # territory id of the referential (QN05968M, epci-200093201, dep-59…)
    "indicator",  # indicator id of the catalog
    "period",  # millésime as the source states it ("2019", "31/12/2022", "2021-2022"…)
    "year",  # sortable year taken from the period (last year of a range), or <NA>
    "value",  # float, NaN when not available
    "precision",  # decimals as published (22,56 → 2)
    "qualifier",  # "", "<" (moins de), ">" (plus de), "~" (environ)
    "statistic",  # value, mean, min, max: a published minimum stays a minimum
    "status",  # see STATUSES
    "producer",  # producer and dataset, as the source names them
    "document",  # id of the document the figure was read from (data/sources.yml)
    "location",  # where in the document (section, table)
    "geography",  # perimeter of a quartier figure: "", "qp2015", "qp2024", "non_precise"
    "note",  # anything a reader must know to read the figure right
    "file",  # input file the row came from
    "row",  # its row number as a spreadsheet shows it
]


class FigureRow(NamedTuple):
    """One row of the figures table, for code that walks figures one by one (pages ask for
    tens of thousands of them: a pandas row costs a hundred times more to build and to read).
    Read by attribute or, like a pandas row, by column name."""

    territory: str
    indicator: str
    period: str
    year: Any  # int, or <NA> when the period has no year
    value: float
    precision: int
    qualifier: str
    statistic: str
    status: str
    producer: str
    document: str
    location: str
    geography: str
    note: str
    file: str
    row: int

    def __getitem__(self, key: str | int) -> Any:  # type: ignore[override]  # tuple's, widened to names
        return getattr(self, key) if isinstance(key, str) else tuple.__getitem__(self, key)


def figure_rows(figures: pd.DataFrame) -> list[FigureRow]:
    """The table's rows, in its order."""
    columns = [_column_values(figures[name]) for name in FIGURE_COLUMNS]
    return list(map(functools.partial(tuple.__new__, FigureRow), zip(*columns, strict=True)))


def _column_values(column: pd.Series) -> list:
    """A column's values as pandas iterates them (numpy integers, <NA> for a missing year), read
    at once rather than cell by cell."""
    if not isinstance(column.dtype, pd.Int64Dtype):
        return column.tolist()
    values = list(column.to_numpy(dtype="int64", na_value=0))
    for position in np.flatnonzero(column.isna().to_numpy()):
        values[position] = pd.NA
    return values


#: How a group whose observation date is not established names its period (mappings: dated: false).
UNDATED_PREFIX = "fichier publié en "


def is_undated(period: str) -> bool:
    """A period that says when a file was published, not when its data were observed."""
    return str(period).startswith(UNDATED_PREFIX)


def is_base_year(period: str) -> bool:
    """« base 2023 »: the year a producer's base was published, not the year its figures describe
    (a census base of 2023 holds the census of 2019 or 2020): no place in a series over time."""
    return re.fullmatch(r"base \d{4}", str(period)) is not None


#: one published figure: a document gives it once, wherever it stands in the document
FIGURE_KEY = ["territory", "indicator", "period", "statistic", "document"]

AVAILABLE_STATISTICS = {"value", "min", "max"}  # a named min/max is that quartier's own value
STATUSES = {
    "ok": "",
    "secret": "secret statistique",
    "non_publie": "non publié",
    "non_disponible": "non disponible",
    "hors_champ": "hors champ",
}

STATISTICS = {
    "value": "",
    "mean": "moyenne",
    "min": "minimum",
    "max": "maximum",
}

#: why a quartier has no figure for an indicator, as its page says it
STATUS_REASONS = {
    "non_disponible": "publié pour d'autres quartiers, pas pour celui-ci",
    "non_publie": "aucun fichier ni document de cette édition ne le donne pour un quartier",
    "hors_champ": "l'indicateur décrit d'autres territoires (les collèges, les écoles), pas un quartier",
}

QUALIFIERS = {"": "", "<": "moins de", ">": "plus de", "~": "environ"}

GEOGRAPHIES = {
    "": "",
    "qp2015": "quartier 2015, dont le périmètre diffère de celui de 2024",
    "qp2024": "quartier 2024",
    "non_precise": (
        "non précisé par la source ; le chiffre peut porter sur le périmètre 2015 du quartier, "
        "différent du périmètre 2024"
    ),
}

DIRECTIONS = {
    "higher_is_better": "une valeur plus élevée est favorable",
    "lower_is_better": "une valeur plus faible est favorable",
    "neutral": "ni favorable ni défavorable en soi (indicateur de contexte)",
}


@dataclass(frozen=True)
class Unit:
    """How values of a unit are written and compared."""

    label: str  # shown next to the indicator ("%", "€"…)
    suffix: str  # appended to a formatted number ("\u00a0%")
    gap_label: str  # unit of a difference ("point", "€"…); "" = no difference shown
    ratio: bool  # whether "x fois" is meaningful
    bounded: bool = False  # values must lie in 0–100
    non_negative: bool = False
    signed: bool = False  # an evolution or a gap: always written with its sign
    sized: bool = False  # grows with the territory's size (a count): quartiers and references not on one axis


UNITS = {
    "percent": Unit("%", "\u00a0%", "point", ratio=True, bounded=True, non_negative=True),
    # a share of disposable income: may exceed 100 (activity income) or be negative (taxes)
    "percent_income": Unit("% du revenu disponible", "\u00a0%", "point", ratio=False),
    "ratio_value": Unit("rapport", "", "", ratio=True, non_negative=True),
    "percent_change": Unit("% d'évolution", "\u00a0%", "point", ratio=False, signed=True),
    "points": Unit("points de pourcentage", "\u00a0point", "point", ratio=False, signed=True),
    "years": Unit("années", "\u00a0an", "an", ratio=False, signed=True),
    "euro": Unit("€", "\u00a0€", "€", ratio=True, non_negative=True),
    "count": Unit("nombre", "", "", ratio=False, non_negative=True, sized=True),
    "count_change": Unit("variation en nombre", "", "", ratio=False, signed=True, sized=True),
    "index": Unit("indice", "", "point", ratio=True, non_negative=True),
    "score": Unit("note sur 20", "", "point", ratio=False, non_negative=True),
    "rate_per_inhabitant": Unit("par habitant", "", "", ratio=True, non_negative=True),
}
