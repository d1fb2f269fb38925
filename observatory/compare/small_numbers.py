"""Rates on a handful of people: a rate whose denominator the files imply (population × share)
under its indicator's declared minimum is said to rest on very few people, and is never a
contract's or a ranking's highest or lowest value (issue 28: the employment rate of Cité 10's
foreigners, 0,1 % of 1 529 inhabitants, is « 100,0 % »)."""

from __future__ import annotations

import math

import pandas as pd

from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import Indicator


def _latest(obs: Observatory, indicator_id: str, territory_id: str) -> float | None:
    """The territory's most recent available value of an indicator (dated first, then undated
    files by publication): an order of magnitude is all the estimate needs."""
    rows = [row for row in obs.rows_for(indicator_id, territory_id) if row.status == "ok" and not math.isnan(row.value)]
    if not rows:
        return None
    newest = max(rows, key=lambda row: (0 if pd.isna(row.year) else int(row.year), row.period))
    return float(newest.value)


def small_base(obs: Observatory, indicator: Indicator, territory_id: str) -> float | None:
    """The estimated number of people the territory's rate is measured on, when it is under the
    indicator's declared minimum; None otherwise (or when population or share is unknown)."""
    if indicator.base is None:
        return None
    population = _latest(obs, indicator.base.population, territory_id)
    share = _latest(obs, indicator.base.share, territory_id)
    if population is None or share is None:
        return None
    people = population * share / 100
    return people if people < indicator.base.minimum else None


def caution(people: float) -> str:
    """« Effectif très faible (environ 2 personnes) : à interpréter avec prudence. »"""
    count = max(1, round(people))
    return f"Effectif très faible (environ {count} personne{'s' if count > 1 else ''}) : à interpréter avec prudence."
