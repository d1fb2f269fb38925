"""What the pages show of evolution: series charts and tables, gap evolutions, the committee's quadrant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice

from observatory.compare.evolution import Evolution, evolution, quadrant
from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import Indicator
from observatory.inputs.config import Contract
from observatory.inputs.territories import Territory
from observatory.numbers import format_number
from observatory.pages.charts import Point, Trace, line_chart, scatter_chart, to_script_json
from observatory.pages.text import (
    evolution_sentence,
    format_difference,
    format_value,
    format_value_percent,
    gap_decimals,
)
from observatory.pages.views import Chart
from observatory.timing import timed

DASHES = {"": "solid", "qp2015": "dot", "non_precise": "dash", "qp2024": "solid"}
MAX_HIGHLIGHTS = 3  # references drawn in colour, each with its own dash and an end label
QUARTIER_KINDS = ("quartier", "quartier2015")  # drawn on a count's chart (references are of another scale)


@dataclass
class SeriesTable:
    """The data behind a series chart: one row per territory, one column per millésime."""

    periods: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class SeriesView:
    chart: Chart
    table: SeriesTable
    sources: list[str]  # producers of the figures in the table


def highlights(obs: Observatory, shown: dict[str, int], focus: set[str]) -> list[str]:
    """The references drawn in colour (at most three), chosen among the territories with values:
    - on a quartier's page: the EPCI of its contract (else another EPCI of the quartier); its
      commune, else the first of its contract's declared aggregates (the ensemble of its QPV);
      France (the country with the most millésimes), else the next declared aggregate;
    - on the pages of all quartiers: the EPCI of each contract (the MEL, the CALL); with a single
      contract, the first of its aggregates; France, else the next aggregate.
    `shown`: the territories with values, in the page's order, each with its number of millésimes.
    Every other reference is drawn thin and grey (and stays in the table)."""
    present = set(shown)
    chosen: list[str] = []

    def take(candidates, count: int = 1) -> None:
        for candidate in candidates:
            if count and candidate and candidate in present and candidate not in chosen:
                chosen.append(candidate)
                count -= 1

    quartiers = [obs.territory(t) for t in shown if t in focus and obs.territory(t).kind == "quartier"]
    contracts = obs.contracts_of(quartiers[0]) if quartiers else obs.config.contracts
    resolve = obs.referential.resolve
    epcis = [resolve(f"epci-{siren}") for contract in contracts for siren in contract.epci if siren != "*"]
    aggregates = list(dict.fromkeys(resolve(code) for contract in contracts for code in contract.aggregates))
    kinds = {t: obs.territory(t).kind for t in shown}
    if quartiers:
        take(epcis + [t for t in shown if kinds[t] == "epci"])
        take([f"com-{code}" for code in quartiers[0].communes] + aggregates)
    else:
        take(epcis, count=MAX_HIGHLIGHTS - 1)
        if len(chosen) < MAX_HIGHLIGHTS - 1:
            take(aggregates)
    countries = sorted((t for t in shown if kinds[t] == "pays"), key=lambda t: -shown[t])
    take(countries + aggregates)
    return chosen[:MAX_HIGHLIGHTS]


@timed("compare")
def series_view(
    obs: Observatory, indicator: Indicator, territory_ids: list[str], focus: set[str], chart_id: str, title: str
) -> SeriesView | None:
    """Lines across millésimes for the given territories; None when there is nothing to follow.
    The focus (the page's quartier) and at most three references (see `highlights`) are drawn in
    colour and named at the end of their line; the other quartiers and territories thin and grey."""
    traces, table_rows, periods = [], [], {}
    series = {t: obs.points(indicator.id, t) for t in territory_ids}
    shown = [t for t in territory_ids if series[t]]
    drawn = [t for t in shown if not indicator.unit.sized or obs.territory(t).kind in QUARTIER_KINDS]
    chosen = highlights(obs, {t: len({point.year for point in series[t]}) for t in drawn}, focus)
    for territory_id in shown:
        values = series[territory_id]
        territory = obs.territory(territory_id)
        if territory_id in focus:
            role = "focus"
        elif territory_id in chosen:
            role = "highlight"
        else:
            role = "quartier" if territory.kind == "quartier" else "reference"
        label = territory.name if territory.kind == "quartier" else territory.label
        cells = {}
        segments = []
        for geography in sorted({point.geography for point in values}):
            part = [point for point in values if point.geography == geography]
            texts = [format_value(indicator, point.value, point.precision) for point in part]
            suffix = " (périmètre 2015)" if geography == "qp2015" else ""
            segments.append(
                Trace(
                    label=label + suffix,
                    years=[point.year for point in part],
                    values=[point.value for point in part],
                    texts=[f"{text} ({point.period})" for text, point in zip(texts, part, strict=True)],
                    role=role,
                    dash=DASHES.get(geography, "solid") if role == "focus" else "solid",
                    slot=chosen.index(territory_id) if role == "highlight" else 0,
                )
            )
            for text, point in zip(texts, part, strict=True):
                periods[point.period] = point.year
                cells.setdefault(point.period, text)
        if role in ("focus", "highlight"):  # the label goes at the end of the latest segment
            last = max(range(len(segments)), key=lambda i: (segments[i].years[-1], segments[i].dash == "solid"))
            segments[last] = replace(segments[last], end_label=label)
        if territory_id in drawn:
            traces += segments
        table_rows.append((label, cells))
    years = {y for trace in traces for y in trace.years}
    focus_years = {y for trace in traces if trace.role == "focus" for y in trace.years}
    if len(years) < 2 or (focus and len(focus_years) < 2):
        return None  # nothing to follow (on a quartier page: the quartier itself has one millésime)
    ordered = sorted(periods, key=lambda p: (periods[p], p))
    table = SeriesTable(ordered, [(label, [cells.get(p, "") for p in ordered]) for label, cells in table_rows])
    summary = _series_summary(traces, ordered, len(shown) - len(drawn))
    spec = to_script_json(line_chart(title, indicator.unit.label, traces, indicator.unit))
    chart = Chart(id=chart_id, title=title, summary=summary, spec_json=spec)
    return SeriesView(chart, table, obs.sources_of(indicator.id, shown, ordered))


def _series_summary(traces: list[Trace], periods: list[str], left_out: int = 0) -> str:
    """How to read the chart, in words: which lines are named, what is grey, what a dotted line says,
    and that the references of a count (`left_out`, another scale) are in the table only."""
    named = [trace.end_label for trace in traces if trace.role == "focus" and trace.end_label]
    named += [t.end_label for t in sorted(traces, key=lambda t: t.slot) if t.role == "highlight" and t.end_label]
    text = f"Valeurs publiées de {periods[0]} à {periods[-1]}."
    if named:
        text += " Nommés au bout de leur ligne, chacun de sa couleur et de son trait : " + ", ".join(named) + "."
    has_focus = any(trace.role == "focus" for trace in traces)
    groups = {
        "quartier": "les autres quartiers" if has_focus else "les quartiers",
        "reference": "les autres territoires",
    }
    grey = [what for role, what in groups.items() if any(trace.role == role for trace in traces)]
    if grey:
        text += " En gris fin : " + " et ".join(grey) + " (nom au survol)."
    if any(trace.role == "focus" and trace.dash != "solid" for trace in traces):  # DASHES
        text += " Un trait pointillé du quartier signale un autre périmètre (2015 ou non précisé)."
    if left_out:
        text += (
            " Les nombres des territoires de référence, d'une autre échelle que ceux des quartiers,"
            " ne sont pas dessinés : ils figurent dans le tableau."
        )
    return text


@timed("compare")
def evolutions(obs: Observatory, indicator: Indicator, quartier: Territory, limit: int = 3) -> list[str]:
    """Plain-French gap evolutions with the nearest references that share two millésimes."""
    if not indicator.has_gaps:
        return []
    found = islice(_reference_evolutions(obs, indicator, quartier), limit)
    return [evolution_sentence(indicator, result, obs.territory(result.reference)) for result in found]


def _reference_evolutions(obs: Observatory, indicator: Indicator, quartier: Territory) -> Iterator[Evolution]:
    """The quartier's gap evolution with each of its references that shares two millésimes, nearest first."""
    own = obs.points(indicator.id, quartier.id)
    for reference_id in obs.references(quartier):
        result = evolution(own, obs.points(indicator.id, reference_id), reference_id)
        if result:
            yield result


@dataclass
class QuadrantRow:
    quartier: Territory
    reference: Territory
    result: Evolution
    level_change: str
    first_gap: str
    last_gap: str
    gap_change: str
    reading: str
    gap_move: str  # "écart creusé", "écart réduit", "écart stable"
    notes: tuple[str, ...] = ()  # breaks: perimeter of the 2015 quartier, of the EPCI


@dataclass
class ContractQuadrant:
    """One contract, one indicator: each quartier against the contract's EPCI between two millésimes."""

    contract: Contract
    epci: Territory
    rows: list[QuadrantRow]
    without: list[Territory]  # quartiers with figures but no two millésimes shared with the EPCI
    widened: int
    periods: list[str]  # "2015 et 2019", the pairs of millésimes used
    chart: Chart
    sources: list[str]

    @property
    def share_widened(self) -> str:
        return format_value_percent(100 * self.widened / len(self.rows)) if self.rows else ""


@dataclass
class QuadrantView:
    indicator: Indicator
    contracts: list[ContractQuadrant]


def _gap_move(indicator: Indicator, result: Evolution) -> str:
    """A gap moves when its absolute value changes by at least half a unit of the last decimal shown."""
    tolerance = 0.5 * 10 ** (-indicator.decimals)
    change = result.gap_change
    if abs(change) < tolerance:
        return "écart stable"
    return "écart creusé" if change > 0 else "écart réduit"


@timed("compare")
def committee(obs: Observatory) -> list[QuadrantView]:
    """For each indicator with gaps, per contract: each quartier's level change against the change
    of its gap to the contract's EPCI, between the first and last millésimes both have."""
    views = []
    for indicator in obs.catalog.values():
        if not indicator.has_gaps:
            continue
        contracts = [c for c in (_contract_quadrant(obs, indicator, k) for k in obs.config.contracts) if c]
        if contracts:
            views.append(QuadrantView(indicator, contracts))
    return views


def _contract_quadrant(obs: Observatory, indicator: Indicator, contract: Contract) -> ContractQuadrant | None:
    epci_id = next((obs.referential.resolve(f"epci-{siren}") for siren in contract.epci), None)
    if epci_id is None:
        return None
    reference = obs.points(indicator.id, epci_id)
    rows, without = [], []
    for quartier in obs.quartiers():
        if contract not in obs.contracts_of(quartier):
            continue
        own = obs.points(indicator.id, quartier.id)
        if len(own) < 2:
            continue
        result = evolution(own, reference, epci_id)
        if result is None:
            without.append(quartier)
            continue
        rows.append(_row(obs, indicator, quartier, result))
    if not rows:
        return None
    periods = sorted({f"{r.result.first_period} et {r.result.last_period}" for r in rows})
    sources = sorted(
        {
            source
            for row in rows
            for source in obs.sources_of(
                indicator.id, [row.quartier.id, epci_id], [row.result.first_period, row.result.last_period]
            )
        }
    )
    widened = sum(1 for row in rows if row.gap_move == "écart creusé")
    epci = obs.territory(epci_id)
    chart = _quadrant_chart(indicator, rows, f"{contract.id}-{indicator.id}", epci)
    return ContractQuadrant(contract, epci, rows, without, widened, periods, chart, sources)


def _breaks(obs: Observatory, indicator: Indicator, quartier: Territory, result: Evolution) -> tuple[str, ...]:
    """What a reader must know before reading the change: perimeters that differ."""
    notes = []
    if any(not link.same_perimeter for link in obs.referential.predecessors(quartier.id)):
        notes.append("série du quartier 2015, périmètre modifié en 2024")
    if not result.same_geography:
        notes.append("le quartier change de périmètre entre les deux millésimes")
    epci_notes = {
        row.period: row.note
        for row in obs.rows_for(indicator.id, result.reference)
        if row.period in (result.first_period, result.last_period)
    }
    if len({bool(note) for note in epci_notes.values()}) > 1:
        notes.append("périmètre de l'intercommunalité différent entre les deux millésimes")
    return tuple(notes)


def _row(obs: Observatory, indicator: Indicator, quartier: Territory, result: Evolution) -> QuadrantRow:
    decimals = gap_decimals(indicator, *result.precisions)  # the most precise of the four values
    return QuadrantRow(
        quartier=quartier,
        reference=obs.territory(result.reference),
        result=result,
        level_change=format_difference(indicator, result.level_change, decimals),
        first_gap=format_difference(indicator, result.first_gap, decimals),
        last_gap=format_difference(indicator, result.last_gap, decimals),
        gap_change=format_difference(indicator, result.relative_change, decimals),
        reading=quadrant(indicator, result),
        gap_move=_gap_move(indicator, result),
        notes=_breaks(obs, indicator, quartier, result),
    )


def _quadrant_chart(indicator: Indicator, rows: list[QuadrantRow], chart_id: str, epci: Territory) -> Chart:
    points = [
        Point(
            label=row.quartier.name,
            x=row.result.level_change,
            y=row.result.relative_change,
            text=f"niveau {row.level_change}, écart {row.gap_change} ({row.reading})",
            role="quartier",
        )
        for row in rows
    ]
    name = epci.with_.removeprefix("avec ")  # "la MEL"
    title = f"{indicator.chart_label} : évolution du niveau et de l'écart {epci.with_}"
    unit = indicator.unit.gap_label + "s" if indicator.unit.gap_label == "point" else indicator.unit.gap_label
    spec = scatter_chart(title, f"évolution du niveau ({unit})", f"évolution de l'écart {epci.with_} ({unit})", points)
    summary = (
        f"{format_number(len(rows))} quartiers placés selon l'évolution de leur niveau (horizontal) et de leur écart "
        f"{epci.with_} (vertical, quartier moins {name})"
    )
    if indicator.direction == "neutral":
        summary += " ; indicateur de contexte : ni le haut ni le bas n'est favorable en soi."
    else:
        better = "en haut" if indicator.direction == "higher_is_better" else "en bas"
        summary += f" ; {better}, le quartier a évolué mieux que {name}."
    return Chart(id=f"quadrant-{chart_id}", title=title, summary=summary, spec_json=to_script_json(spec))
