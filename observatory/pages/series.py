"""What the pages show of evolution: series charts and tables, gap evolutions, the committee's quadrant."""

from __future__ import annotations

from dataclasses import dataclass, replace

from observatory.compare.evolution import evolution, trend
from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import Indicator
from observatory.inputs.territories import Territory
from observatory.pages.charts import Trace, line_chart, to_script_json
from observatory.pages.common import series_of
from observatory.pages.text import (
    evolution_sentence,
    format_value,
    trend_sentence,
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
    obs: Observatory,
    indicator: Indicator,
    territory_ids: list[str],
    focus: set[str],
    chart_id: str,
    title: str,
    highlighted_only: bool = False,
) -> SeriesView | None:
    """Lines across millésimes for the given territories; None when there is nothing to follow.
    The focus (the page's quartier) and at most three references (see `highlights`) are drawn in
    colour and named at the end of their line; the other quartiers and territories thin and grey
    (`highlighted_only`: left out, chart and table: a quartier's page follows its nearest
    references; every reference's values are on the indicator's page and in the downloads)."""
    traces, table_rows, periods = [], [], {}
    series = {t: obs.points(indicator.id, t) for t in territory_ids}
    shown = [t for t in territory_ids if series[t]]
    drawn = [t for t in shown if not indicator.unit.sized or obs.territory(t).kind in QUARTIER_KINDS]
    chosen = highlights(obs, {t: len({point.year for point in series[t]}) for t in drawn}, focus)
    if highlighted_only and not indicator.unit.sized:  # a count's references are only in its table
        shown = [t for t in shown if t in focus or t in chosen]
        drawn = [t for t in drawn if t in shown]
    for territory_id in shown:
        territory = obs.territory(territory_id)
        if territory_id in focus:
            role = "focus"
        elif territory_id in chosen:
            role = "highlight"
        else:
            role = "quartier" if territory.kind == "quartier" else "reference"
        label = territory.name if territory.kind == "quartier" else territory.label
        slot = chosen.index(territory_id) if role == "highlight" else 0
        segments, cells = _segments(indicator, series[territory_id], label, role, slot, periods)
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


def _segments(
    indicator: Indicator, values: list, label: str, role: str, slot: int, periods: dict[str, int]
) -> tuple[list[Trace], dict[str, str]]:
    """One territory's lines, one per perimeter (a line never crosses a change of perimeter), the
    focus and highlighted ones named at the end of their latest, and its values by millésime
    (`periods` learns each millésime's year)."""
    cells: dict[str, str] = {}
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
                slot=slot,
            )
        )
        for text, point in zip(texts, part, strict=True):
            periods[point.period] = point.year
            cells.setdefault(point.period, text)
    if role in ("focus", "highlight"):  # the label goes at the end of the latest segment
        last = max(range(len(segments)), key=lambda i: (segments[i].years[-1], segments[i].dash == "solid"))
        segments[last] = replace(segments[last], end_label=label)
    return segments, cells


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
def evolutions(
    obs: Observatory, indicator: Indicator, quartier: Territory, epci: str | None, limit: int = 3
) -> list[str]:
    """Plain-French gap evolutions with the references that share two millésimes with the
    quartier: the contract's EPCI first, then the nearest. An indicator of a declared family
    (data/ecarts.yml) is measured as the panel and the comité measure it (points, or % of the
    reference for an amount; a change under its band is « stable »)."""
    if not indicator.has_gaps:
        return []
    references = [epci] if epci else []
    references += [r for r in obs.references(quartier) if r != epci]
    own = series_of(obs, indicator, quartier.id)
    family = obs.families.get(indicator.id)
    sentences = []
    for reference_id in references:
        if not all(obs.compares_with(quartier, reference_id, point.geography) for point in own):
            continue  # a 2015 series is not compared with a commune outside the 2015 quartier
        points = series_of(obs, indicator, reference_id)
        if family is None:
            result = evolution(own, points, reference_id)
            if result:
                sentences.append(evolution_sentence(indicator, result, obs.territory(reference_id)))
        else:
            args = (indicator.direction, family.relative, family.band, family.consecutive)
            found, _ = trend(own, points, reference_id, *args)
            if found:
                sentences.append(trend_sentence(found, family.band_text, obs.territory(reference_id)))
        if len(sentences) == limit:
            break
    return sentences
