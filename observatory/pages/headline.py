"""The answer first: a quartier against its contract's intercommunality, on the contract's key indicators.

In: the observatory of one edition, a quartier, the contract's key indicators (observatory.yml) and
the gap families (data/ecarts.yml). Out: a KeyPanel, one KeyRow per key indicator: the quartier's
latest figure and its millésime, the intercommunality's figure of the same millésime, the gap in
one French phrase, and how the gap moved (the same measure, millésimes and band as the comité's
row, which it links to); a row without that comparison says why and compares with what exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.compare.evolution import Trend, trend
from observatory.compare.small_numbers import caution, small_base
from observatory.figures.observatory import Observatory
from observatory.figures.points import SeriesPoint
from observatory.inputs.catalog import Indicator
from observatory.inputs.config import Contract
from observatory.inputs.territories import Territory
from observatory.model import STATUSES
from observatory.numbers import format_number
from observatory.pages.common import series_of
from observatory.pages.text import (
    format_difference,
    format_value,
    gap_decimals,
    gap_phrase,
    of_name,
    plain_period,
    short_producer,
    trend_short,
)

NEAREST_KINDS = ("commune", "departement", "region", "pays")  # what a row compares with, lacking the EPCI


@dataclass(frozen=True)
class KeyRow:
    indicator_id: str
    label: str  # the indicator's short label
    section: str  # the slug of the quartier's page section that details it
    value: str  # « 49,9 % », or why there is none (« non publié »)
    period: str  # « chiffre de 2019 »
    reference: str  # « CALL : 23,6 % » (same millésime), or ""
    gap: str  # « 2,1 fois le niveau de la CALL (+26,3 points) », or ""
    trend: str  # « écart réduit de 1,2 point entre 2015 et 2019 (…) », or why it cannot be said
    note: str  # why the row has no comparison with the EPCI, and what it compares with instead
    compared: bool  # compared with the contract's EPCI at the same millésime
    comite: str  # the comité's row (« taux-pauvrete-60/#call-QN06225M »), "" when the comité has none
    source: str  # who publishes the quartier's figure, in short (« Insee, Filosofi »), "" without one
    former: bool = False  # the quartier's figure describes its 2015 quartier (another perimeter)


@dataclass(frozen=True)
class KeyPanel:
    contract: str  # « CALL »
    epci: str  # « CALL »: a column's header
    epci_name: str  # « la CALL »: in a sentence
    rows: tuple[KeyRow, ...]  # compared first (the contract's order within each group)
    perimeter: str = ""  # « Les chiffres … portent sur le quartier de 2015 … », "" when none does

    @property
    def compared(self) -> int:
        return sum(1 for row in self.rows if row.compared)


def contract_epci(obs: Observatory, contract: Contract, quartier: Territory) -> str | None:
    """The intercommunality a quartier is compared with for its contract: the contract's EPCI that
    holds the quartier (the first it names), every quartier's own with a contract of all EPCI ("*")."""
    sirens = quartier.epcis if "*" in contract.epci else [s for s in contract.epci if s in quartier.epcis]
    sirens = sirens or [s for s in contract.epci if s != "*"]
    for siren in sirens:
        found = obs.referential.resolve(f"epci-{siren}")
        if found:
            return found
    return None


def comite_anchor(contract: Contract, indicator: Indicator, quartier: Territory) -> str:
    """Where the comité's page shows this quartier's row for this key indicator."""
    return f"{indicator.id}/#{contract.id}-{quartier.id}"


def key_trend(obs: Observatory, indicator: Indicator, quartier_id: str, epci_id: str) -> tuple[Trend | None, str]:
    """The quartier's level and gap to the EPCI between their first and last common millésimes,
    measured as its family declares: what the panel and the comité both say; or why not."""
    family = obs.families.get(indicator.id)
    if family is None:
        return None, "indicateur sans mesure d'écart déclarée"
    own = series_of(obs, indicator, quartier_id)
    if len(own) < 2:
        return None, "un seul millésime daté pour le quartier" if own else "aucun millésime daté pour le quartier"
    return trend(
        own,
        series_of(obs, indicator, epci_id),
        epci_id,
        indicator.direction,
        family.relative,
        family.band,
        family.consecutive,
    )


WHY_NO_TREND = {
    "un seul millésime daté pour le quartier": "un seul millésime",
    "aucun millésime daté pour le quartier": "aucun millésime daté",
    "pas deux millésimes communs": "pas deux millésimes communs avec {epci}",
    "millésimes consécutifs": "deux millésimes consécutifs seulement : le producteur interdit d'y lire une évolution",
    "valeur nulle": "valeur nulle : pas d'écart relatif",
}


def build_panel(obs: Observatory, quartier: Territory, sections: dict[str, str]) -> KeyPanel | None:
    """The quartier's key indicators against its contract's EPCI (None: no key indicator declared).
    `sections`: the slug of the page section of each indicator."""
    contracts = obs.contracts_of(quartier)
    contract = next((c for c in contracts if c.key_indicators), None)
    if contract is None:
        return None
    epci_id = contract_epci(obs, contract, quartier)
    epci = obs.territory(epci_id) if epci_id else None
    label = epci.label if epci else contract.short_name
    rows = [
        _row(obs, obs.catalog[indicator_id], quartier, epci, contract, sections)
        for indicator_id in contract.key_indicators
    ]
    rows.sort(key=lambda row: not row.compared)  # stable: the contract's order within each group
    name = epci.phrase_name if epci else label
    return KeyPanel(contract.short_name, label, name, tuple(rows), _perimeter(obs, quartier, rows))


def _perimeter(obs: Observatory, quartier: Territory, rows: list[KeyRow]) -> str:
    """Which perimeter the panel's figures describe, when some describe the 2015 quartier(s)."""
    former = [row for row in rows if row.former]
    names = [f"« {link.name} »" for link in obs.referential.predecessors(quartier.id) if link.name]
    if not former or not names:
        return ""
    valued = [row for row in rows if row.period]
    quartiers = f"du quartier de 2015 {names[0]}" if len(names) == 1 else "des quartiers de 2015 " + ", ".join(names)
    if len(former) == 1:
        which = "Le seul chiffre" if len(valued) == 1 else f"1 chiffre sur {len(valued)}"
        return f"{which} du quartier date d'avant 2024 : il décrit le contour {quartiers}, {_NOT_TODAY}"
    which = "Tous les chiffres" if len(former) == len(valued) else f"{len(former)} chiffres sur {len(valued)}"
    return f"{which} du quartier datent d'avant 2024 : ils décrivent le contour {quartiers}, {_NOT_TODAY}"


_NOT_TODAY = "qui n'est pas exactement celui d'aujourd'hui."


def _row(
    obs: Observatory,
    indicator: Indicator,
    quartier: Territory,
    epci: Territory | None,
    contract: Contract,
    sections: dict[str, str],
) -> KeyRow:
    own = obs.points(indicator.id, quartier.id)
    base = {
        "indicator_id": indicator.id,
        "label": indicator.chart_label,
        "section": sections.get(indicator.id, ""),
        "comite": comite_anchor(contract, indicator, quartier),
    }
    if not own:
        return KeyRow(**base, **_without_series(obs, indicator, quartier))
    point = own[-1]
    value = format_value(indicator, point.value, point.precision)
    row = next(
        r for r in obs.rows_for(indicator.id, quartier.id) if r.period == point.period and r.value == point.value
    )
    fields = {"value": value, "period": plain_period(point.period), "reference": "", "gap": "", "note": ""}
    fields["source"] = short_producer(row.producer)
    fields["former"] = point.geography == "qp2015"
    same = _at(obs, indicator, epci.id, point.period) if epci else None
    people = small_base(obs, indicator, quartier.id)
    if people is not None:  # a rate on a handful of people is shown, never compared
        fields["note"] = caution(people)
        return KeyRow(**base, **fields, trend="", compared=False)
    if epci is not None and same is not None and indicator.has_gaps:
        fields["reference"] = f"{epci.label} : {format_value(indicator, same.value, same.precision)}"
        fields["gap"] = _gap(obs, indicator, point, same, epci)
        compared = True
    else:
        compared = False
        fields["note"] = _instead(obs, indicator, quartier, epci, point)
    fields["trend"], measured = _trend_text(obs, indicator, quartier, epci) if epci is not None else ("", False)
    if not measured:
        base["comite"] = ""  # the comité follows the quartiers whose gap evolution is measured
    return KeyRow(**base, **fields, compared=compared)


def _without_series(obs: Observatory, indicator: Indicator, quartier: Territory) -> dict:
    """A key indicator without a dated value for the quartier: its undated figure, or its status."""
    rows = [row for row in obs.rows_for(indicator.id, quartier.id)]
    available = [row for row in rows if row.status == "ok"]
    if available:
        latest = max(available, key=lambda row: row.period)
        value = format_value(indicator, latest.value, int(latest.precision), latest.qualifier)
        note = "date d'observation non établie : pas de comparaison avec une référence ni dans le temps"
        return {
            "value": value,
            "source": short_producer(latest.producer),
            "period": plain_period(latest.period),
            "reference": "",
            "gap": "",
            "trend": "",
            "note": note,
            "compared": False,
        }
    status = (
        rows[-1].status
        if rows
        else ("non_disponible" if indicator.id in obs.published_for_quartiers() else "non_publie")
    )
    why = {
        "non_publie": "aucun fichier ni document de cette édition ne le donne pour un quartier",
        "non_disponible": "publié pour d'autres quartiers, pas pour celui-ci",
        "secret": "le producteur ne le diffuse pas (secret statistique)",
    }.get(status, "")
    return {
        "value": STATUSES.get(status, status),
        "source": "",
        "period": "",
        "reference": "",
        "gap": "",
        "trend": "",
        "note": why,
        "compared": False,
    }


def _value(indicator: Indicator, point: SeriesPoint) -> str:
    return format_value(indicator, point.value, point.precision)


def _gap(obs: Observatory, indicator: Indicator, point: SeriesPoint, same: SeriesPoint, territory: Territory) -> str:
    family = obs.families.get(indicator.id)
    decimals = gap_decimals(indicator, point.precision, same.precision)
    relative = bool(family and family.relative)
    return gap_phrase(indicator, point.value, same.value, territory.phrase_name, decimals, relative)


def _at(obs: Observatory, indicator: Indicator, territory_id: str, period: str) -> SeriesPoint | None:
    return next((p for p in obs.points(indicator.id, territory_id) if p.period == period), None)


def _instead(
    obs: Observatory, indicator: Indicator, quartier: Territory, epci: Territory | None, point: SeriesPoint
) -> str:
    """Why the row has no EPCI figure to compare with, and the nearest reference of the same
    millésime, named, compared instead."""
    if not indicator.has_gaps:
        return "effectif : comparé dans le temps, pas à une référence"
    parts = []
    if epci is not None:
        before = [p for p in obs.points(indicator.id, epci.id) if p.year <= point.year]
        last = _value(indicator, before[-1]) + f" en {before[-1].period}" if before else ""
        parts.append(
            f"pas de chiffre {of_name(epci.phrase_name)} pour {point.period}" + (f" (dernier : {last})" if last else "")
        )
    for territory_id in obs.references(quartier):
        territory = obs.territory(territory_id)
        nearest = territory.kind in NEAREST_KINDS and obs.compares_with(quartier, territory_id, point.geography)
        same = _at(obs, indicator, territory_id, point.period) if nearest else None
        if same is not None:
            parts.append(
                f"{territory.label} : {_value(indicator, same)}, {_gap(obs, indicator, point, same, territory)}"
            )
            break
    else:
        parts.append(f"aucun territoire de référence n'a de chiffre pour {point.period}")
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:]


def level_change(obs: Observatory, indicator: Indicator, quartier_id: str) -> tuple[str, str, float] | None:
    """(first period, last period, change) of the quartier's level between its first and last
    dated millésimes, measured as its family declares (% of the first value for a count), or None."""
    family = obs.families.get(indicator.id)
    own = series_of(obs, indicator, quartier_id)
    if family is None or len(own) < 2 or (family.relative and own[0].value <= 0):
        return None
    change = own[-1].value - own[0].value
    if family.relative:
        change = 100 * change / own[0].value
    return own[0].period, own[-1].period, round(change, 1)


def _level_text(obs: Observatory, indicator: Indicator, quartier: Territory) -> str:
    """For an indicator without a gap (a count): how the quartier's own level moved."""
    found = level_change(obs, indicator, quartier.id)
    if found is None:
        return "évolution non mesurée : moins de deux millésimes datés"  # said as such (not measured)
    first, last, change = found
    family = obs.families[indicator.id]
    if abs(change) < family.band:
        return f"stable entre {first} et {last} (variation de moins de {family.band_text})"
    size = (
        f"{format_number(abs(change), 1)}\u00a0%" if family.relative else format_difference(indicator, abs(change), 1)
    )
    return f"{'en hausse' if change > 0 else 'en baisse'} de {size.lstrip('+')} entre {first} et {last}"


def _trend_text(obs: Observatory, indicator: Indicator, quartier: Territory, epci: Territory) -> tuple[str, bool]:
    """How the gap (a count: the level) moved, in few words, and whether it was measured."""
    if not indicator.has_gaps:
        text = _level_text(obs, indicator, quartier)
        return text, not text.startswith("évolution non mesurée")
    found, reason = key_trend(obs, indicator, quartier.id, epci.id)
    if found is None:
        return f"évolution non mesurée ({WHY_NO_TREND.get(reason, reason).format(epci=epci.phrase_name)})", False
    return trend_short(found), True
