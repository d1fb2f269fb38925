"""Plain-French wording of figures and comparisons ("soit 2,2 fois la part observée dans la MEL")."""

from __future__ import annotations

import math
import re

from observatory.compare.gaps import Gap
from observatory.inputs.catalog import Indicator
from observatory.inputs.sources.published import UNSTATED
from observatory.inputs.territories import Territory
from observatory.model import QUALIFIERS, STATUSES, is_undated
from observatory.numbers import MONTHS, format_number, format_signed, round_half_up

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


_VOWELS = "aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ"


def of_name(name: str) -> str:
    """« de » before a territory's name, contracted as French writes it: « du Nord », « des
    Hauts-de-France », « d'Armentières », « de la MEL » (no elision before h: « de Hem »)."""
    if name.startswith("le "):
        return "du " + name[3:]
    if name.startswith("les "):
        return "des " + name[4:]
    if name[:1] in _VOWELS:
        return "d'" + name
    return "de " + name


def to_name(name: str) -> str:
    """« à » before a name, contracted as French writes it: « au seuil », « aux communes », « à 13 896 € »."""
    if name.startswith("le "):
        return "au " + name[3:]
    if name.startswith("les "):
        return "aux " + name[4:]
    return "à " + name


def than_name(name: str) -> str:
    """« que » before a name or a phrase: « qu'Armentières », « qu'à Lens », « que la MEL »."""
    return ("qu'" if name[:1] in _VOWELS else "que ") + name


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
        return f", soit un niveau {format_ratio(gap.ratio)} {than_name(where)} ({reference_text})"
    if gap.difference is not None:
        if math.isclose(gap.difference, 0, abs_tol=1e-9):
            return f", comme {where} ({reference_text})"
        size = format_difference(indicator, abs(gap.difference), decimals).lstrip("+")
        more = "de plus" if gap.difference > 0 else "de moins"
        return f", soit {size} {more} {than_name(where)} ({reference_text})"
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


def plain_period(period: str) -> str:
    """The millésime once, in plain words: « chiffre de 2019 », « chiffre au 31 décembre 2021 »,
    « chiffre publié en 2021 » (its file does not date it), « date non précisée par la source »."""
    if is_undated(period):
        return "chiffre " + period.removeprefix("fichier ").split(",")[0]
    if period == UNSTATED:
        return "date non précisée par la source"
    if period[:1].isdigit() and "/" in period:
        return f"chiffre au {french_day(period)}"
    return f"chiffre de {period}"


def period_cell(period: str) -> str:
    """A millésime in a table's caption or cell: as published, but an undated file's in plain words
    (« chiffre publié en 2022 ») and an unstated one as « non précisé »."""
    if is_undated(period):
        return plain_period(period)
    return "non précisé" if period == UNSTATED else period


def undated_source(period: str) -> str:
    """What the source line says of an undated file, once: « chiffre publié en 2021, date
    d'observation non précisée par la source »."""
    if is_undated(period):
        return plain_period(period) + ", date d'observation non précisée par la source"
    return ""


def french_day(period: str) -> str:
    """'31/12/2021' → '31 décembre 2021'."""
    day, month, year = period.split("/")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def gap_phrase(indicator: Indicator, value: float, reference: float, name: str, decimals: int, relative: bool) -> str:
    """The gap to a reference in one phrase, by the indicator's unit: a share in points, with
    « 2,1 fois » when the quartier's rate is clearly higher (« 2,1 fois le taux de la CALL, +26,3
    points »); an amount as a share of the reference (« 35 % de moins que la CALL »)."""
    if relative:
        share = 100 * (value - reference) / reference
        if abs(share) < 0.5:
            return f"au niveau {of_name(name)}"
        more = "de plus" if share > 0 else "de moins"
        return f"{format_number(abs(share), 0)}\u00a0% {more} {than_name(name)}"
    difference = value - reference
    points = format_difference(indicator, difference, decimals)
    if math.isclose(difference, 0, abs_tol=10 ** -(decimals + 1)):
        return f"comme {name}"
    ratio = value / reference if indicator.unit.ratio and reference > 0 else None
    if ratio is not None and ratio >= 1 + CLOSE_RATIO and difference > 0:
        return f"{format_number(ratio, 1)}\u00a0fois le niveau {of_name(name)} ({points})"
    size = points.lstrip("+\u2212")
    return f"{size} {'de plus' if difference > 0 else 'de moins'} {than_name(name)}"


def trend_phrase(trend, band_text: str, name: str) -> str:
    """« écart réduit de 1,2 point entre 2015 et 2019 (+27,5 puis +26,3 points) »; « écart stable
    entre 2015 et 2019 (…, variation de moins de 1 point) »; for an amount, the gap as a share of
    the reference's level: « écart réduit entre 2014 et 2019 (−21,5 % puis −18,0 % du niveau de la CALL) »."""
    result = trend.evolution
    since = f"entre {result.first_period} et {result.last_period}"
    first, last = format_signed(trend.first_gap, 1), format_signed(trend.last_gap, 1)
    if trend.relative:
        values = f"{first}\u00a0% puis {last}\u00a0% du niveau {of_name(name)}"
    else:
        values = f"{first} puis {last}\u00a0{plural(abs(trend.last_gap), 'point')}"
    move = trend.gap_move
    if move == "stable":
        return f"écart stable {since} ({values} ; variation de moins de {band_text})"
    if move == "inversé" or trend.relative:
        return f"écart {move} {since} ({values})"
    size = format_number(abs(trend.gap_change), 1)
    return f"écart {move} de {size}\u00a0{plural(abs(trend.gap_change), 'point')} {since} ({values})"


GAP_VERBS = {
    "réduit": "s'est réduit",
    "creusé": "s'est creusé",
    "stable": "est resté stable",
    "inversé": "s'est inversé",
}


def trend_sentence(trend, band_text: str, reference: Territory) -> str:
    """« L'écart avec la CALL s'est réduit de 1,2 point entre 2015 et 2019 (+27,5 puis +26,3 points). »,
    measured as the panel and the comité measure it (trend_phrase)."""
    phrase = trend_phrase(trend, band_text, reference.phrase_name)
    verbs = {
        "réduit": "s'est réduit",
        "creusé": "s'est creusé",
        "stable": "est resté stable",
        "inversé": "s'est inversé",
    }
    text = f"L'écart {reference.with_} {verbs[trend.gap_move]}" + phrase.removeprefix(f"écart {trend.gap_move}")
    if not trend.evolution.same_geography:
        text += ". Attention : les deux chiffres du quartier ne portent pas sur le même périmètre"
    return text + "."


def trend_short(trend) -> str:
    """The panel's few words: « écart réduit de 4,7 points de 2015 à 2019 (+13,9 → +9,2) »,
    « écart stable de 2014 à 2019 (−27,3 % → −26,5 %) » (the page says how it is measured)."""
    result = trend.evolution
    unit = "\u00a0%" if trend.relative else ""
    values = f"{format_signed(trend.first_gap, 1)}{unit} → {format_signed(trend.last_gap, 1)}{unit}"
    span = f"de {result.first_period} à {result.last_period}"
    if trend.gap_move in ("stable", "inversé") or trend.relative:
        return f"écart {trend.gap_move} {span} ({values})"
    size = format_number(abs(trend.gap_change), 1)
    return f"écart {trend.gap_move} de {size}\u00a0{plural(abs(trend.gap_change), 'point')} {span} ({values})"


def short_producer(producer: str) -> str:
    """Who publishes a figure, in short, for a list of sources: « Insee, Filosofi », « Cnaf,
    fichier des allocataires »; "" for a document that does not say (« Non précisée (…) »)."""
    if producer.startswith("Non précisée"):
        return ""
    if "Filosofi" in producer:
        return "Insee, Filosofi"
    return re.sub(r"[\s,]*(\(|\d{4}|au \d\d/).*$", "", producer).strip()


def move_gap(indicator: Indicator, gap: float, precisions: tuple[int, ...], relative: bool) -> str:
    """A gap of a « what changed » list: in the indicator's unit (« +22,5 points »), or for an
    amount in % of the reference's level (« −37,4 % »), never in euros of two different years."""
    if relative:
        return f"{format_signed(gap, 1)}\u00a0%"
    return format_difference(indicator, gap, gap_decimals(indicator, *precisions))
