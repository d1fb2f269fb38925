"""Plain-French wording of figures and comparisons ("soit 2,2 fois la part observée dans la MEL")."""

from __future__ import annotations

import math

from observatory.compare.gaps import Gap
from observatory.inputs.catalog import Indicator
from observatory.inputs.territories import Territory
from observatory.model import QUALIFIERS, STATUSES
from observatory.numbers import format_number, format_signed

CLOSE_RATIO = 0.05  # within ±5 %, two values are said to be close rather than "1,0 fois"


def format_value(indicator: Indicator, value: float, precision: int, qualifier: str = "") -> str:
    """'41,5 %', '10 619 €', 'moins de 28 %', '+0,8 point'."""
    unit = indicator.unit
    number = format_signed(value, precision) if unit.signed else format_number(value, precision)
    suffix = unit.suffix
    if suffix.endswith(("point", "an")):
        suffix = suffix[: -len(suffix.split("\u00a0")[-1])] + plural(value, suffix.split("\u00a0")[-1])
    text = number + suffix
    prefix = QUALIFIERS.get(qualifier, "")
    return f"{prefix} {text}" if prefix else text


def format_value_percent(value: float) -> str:
    """A share computed by the observatory, whole percent: '72 %'."""
    return format_number(value, 0) + "\u00a0%"


def format_figure(indicator: Indicator, figure) -> str:
    """A figure as a reader sees it: its value, or why there is none (never 0)."""
    if figure["status"] != "ok" or figure["value"] is None or math.isnan(figure["value"]):
        return STATUSES.get(figure["status"]) or "non disponible"
    return format_value(indicator, figure["value"], int(figure["precision"]), figure["qualifier"])


def plural(amount: float, word: str) -> str:
    """French rule: plural from 2 ('1,5 point', '2 points')."""
    return word + "s" if abs(amount) >= 2 and not word.endswith(("s", "€")) else word


def gap_decimals(indicator: Indicator, *precisions: int) -> int:
    return min(max(indicator.decimals, *precisions), 2)


def format_difference(indicator: Indicator, difference: float, decimals: int) -> str:
    """'+22,8 points', '−870 €'."""
    unit = indicator.unit.gap_label
    text = format_signed(difference, decimals)
    if unit == "€":
        return f"{text}\u00a0€"
    return f"{text}\u00a0{plural(difference, unit)}"


def format_ratio(ratio: float) -> str:
    """The one wording of a ratio, with its direction: '2,2 fois plus élevé', '2,0 fois plus
    faible' (never '0,5 fois'), 'proche' within ±5 %."""
    if abs(ratio - 1) <= CLOSE_RATIO:
        return "niveau proche"
    if ratio > 1:
        return f"{format_number(ratio, 1)}\u00a0fois plus élevé"
    return f"{format_number(1 / ratio, 1)}\u00a0fois plus faible"


def comparison_clause(indicator: Indicator, gap: Gap, reference: Territory, reference_text: str, decimals: int) -> str:
    """', soit un niveau 2,2 fois plus élevé que dans la MEL (19 %)'; a lower share is said in
    points (', soit 16,2 points de moins que dans la MEL (59,6 %)')."""
    where = reference.phrase
    if gap.ratio is not None and not (indicator.unit_code == "percent" and gap.ratio < 1):
        if abs(gap.ratio - 1) <= CLOSE_RATIO:
            return f", un niveau proche de celui observé {where} ({reference_text})"
        return f", soit un niveau {format_ratio(gap.ratio)} que {where} ({reference_text})"
    if gap.difference is not None:
        if math.isclose(gap.difference, 0, abs_tol=1e-9):
            return f", comme {where} ({reference_text})"
        size = format_difference(indicator, abs(gap.difference), decimals).lstrip("+")
        more = "de plus" if gap.difference > 0 else "de moins"
        return f", soit {size} {more} que {where} ({reference_text})"
    return ""


def lead(indicator: Indicator, value_text: str) -> str:
    """The sentence's subject: the catalog's wording, or 'Label : value'."""
    if indicator.sentence:
        return indicator.sentence.format(value=value_text)
    return f"{indicator.label} : {value_text}"


def sentence(indicator: Indicator, value_text: str, clause: str = "") -> str:
    text = lead(indicator, value_text) + clause
    return text[0].upper() + text[1:] + "."


def evolution_sentence(indicator: Indicator, result, reference: Territory) -> str:
    """'L'écart avec la MEL s'est creusé de 1,3 point entre 2016 et 2019 (+20,1 puis +21,4 points).'"""
    decimals = indicator.decimals
    first = format_difference(indicator, result.first_gap, decimals)
    last = format_difference(indicator, result.last_gap, decimals)
    span = f"entre {result.first_period} et {result.last_period}"
    if math.isclose(result.gap_change, 0, abs_tol=10 ** -(decimals + 1)):
        text = f"L'écart {reference.with_} est resté le même {span} ({first} puis {last})."
    else:
        verb = "s'est creusé" if result.gap_change > 0 else "s'est réduit"
        size = format_difference(indicator, abs(result.gap_change), decimals).lstrip("+")
        text = f"L'écart {reference.with_} {verb} de {size} {span} ({first} puis {last})."
    if not result.same_geography:
        text += " Attention : les deux chiffres du quartier ne portent pas sur le même périmètre."
    return text
