"""Plain-French wording of figures and comparisons ("soit 2,2 fois la part observée dans la MEL")."""

from __future__ import annotations

import math

from observatory.compare.gaps import Gap
from observatory.inputs.catalog import Indicator
from observatory.inputs.sources.published import UNSTATED
from observatory.inputs.territories import Territory
from observatory.model import QUALIFIERS, STATUSES, is_undated
from observatory.numbers import format_number, format_signed, round_half_up

CLOSE_RATIO = 0.05  # within ±5 %, two values are said to be close rather than "1,0 fois"


def format_value(indicator: Indicator, value: float, precision: int, qualifier: str = "") -> str:
    """'41,5 %', '10 619 €', 'moins de 28 %', '+0,8 point'."""
    unit = indicator.unit
    number = format_signed(value, precision) if unit.signed else format_number(value, precision)
    suffix = unit.suffix
    if suffix.endswith(("point", "an")):
        word = suffix.split("\u00a0")[-1]
        suffix = suffix[: -len(word)] + plural(float(round_half_up(value, precision)), word)  # as shown
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
    """Decimals of a gap: those of its most precise value (at least the indicator's, at most 2)."""
    return min(max((indicator.decimals, *precisions)), 2)


def format_difference(indicator: Indicator, difference: float, decimals: int) -> str:
    """'+22,8 points', '−870 €'."""
    unit = indicator.unit.gap_label
    text = format_signed(difference, decimals)
    if unit == "€":
        return f"{text}\u00a0€"
    return f"{text}\u00a0{plural(float(round_half_up(difference, decimals)), unit)}"  # as shown: « 2 points »


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


def period_phrase(period: str) -> str:
    """Which millésime, in a sentence: « pour 2019 », « dans le fichier publié en 2022 (date
    d'observation non documentée) », « sans millésime précisé par la source »."""
    if is_undated(period):
        published, _, rest = period.partition(", ")
        return f"dans le {published} ({rest})" if rest else f"dans le {published}"
    if period == UNSTATED:
        return "sans millésime précisé par la source"
    return f"pour {period}"


def period_title(period: str) -> str:
    """Which millésime, in a title: « 2019 », « millésime non précisé », or what is known of an
    undated file."""
    return "millésime non précisé" if period == UNSTATED else period


def lead(indicator: Indicator, value_text: str) -> str:
    """The sentence's subject: the catalog's wording, or 'Label : value'."""
    if indicator.sentence:
        return indicator.sentence.format(value=value_text)
    return f"{indicator.label} : {value_text}"


def sentence(indicator: Indicator, value_text: str, clause: str = "") -> str:
    text = lead(indicator, value_text) + clause
    return text[0].upper() + text[1:] + "."


def evolution_sentence(indicator: Indicator, result, reference: Territory) -> str:
    """'L'écart avec la MEL s'est creusé de 1,3 point entre 2016 et 2019 (+20,1 puis +21,4 points).'

    Each gap is shown as its millésime's comparison table shows it (gap_decimals), and the
    change is the change of the gaps shown: the sentence adds up as a reader checks it against
    the tables. A gap that changes sign is said to be reversed, not widened or narrowed."""
    first_decimals = gap_decimals(indicator, *result.precisions[:2])  # as the first millésime's table shows it
    last_decimals = gap_decimals(indicator, *result.precisions[2:])
    decimals = max(first_decimals, last_decimals)
    first_gap = float(round_half_up(result.first_gap, first_decimals))
    last_gap = float(round_half_up(result.last_gap, last_decimals))
    first = format_difference(indicator, first_gap, first_decimals)
    last = format_difference(indicator, last_gap, last_decimals)
    span = f"entre {result.first_period} et {result.last_period}"
    change = abs(last_gap) - abs(first_gap)
    if first_gap * last_gap < 0:
        text = f"L'écart {reference.with_} s'est inversé {span} ({first} puis {last})."
    elif math.isclose(change, 0, abs_tol=10 ** -(decimals + 1)):
        text = f"L'écart {reference.with_} est resté le même {span} ({first} puis {last})."
    else:
        verb = "s'est creusé" if change > 0 else "s'est réduit"
        size = format_difference(indicator, abs(change), decimals).lstrip("+")
        text = f"L'écart {reference.with_} {verb} de {size} {span} ({first} puis {last})."
    if not result.same_geography:
        text += " Attention : les deux chiffres du quartier ne portent pas sur le même périmètre."
    return text
