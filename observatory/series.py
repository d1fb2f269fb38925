"""What the pages show of evolution: series charts and tables, gap evolutions, the committee's quadrant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from observatory.catalog import Indicator
from observatory.charts import Point, Trace, line_chart, scatter_chart, to_script_json
from observatory.evolution import Evolution, evolution, quadrant
from observatory.observatory import Observatory
from observatory.territories import Territory
from observatory.text import evolution_sentence, format_difference, format_value
from observatory.timing import timed
from observatory.views import Chart

DASHES = {"": "solid", "qp2015": "dot", "non_precise": "dash", "qp2024": "solid"}


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


@timed("compare")
def series_view(
    obs: Observatory, indicator: Indicator, territory_ids: list[str], focus: set[str], chart_id: str, title: str
) -> SeriesView | None:
    """Lines across millésimes for the given territories; None when there is nothing to follow."""
    traces, table_rows, periods, shown = [], [], {}, []
    for territory_id in territory_ids:
        values = obs.points(indicator.id, territory_id)
        if not values:
            continue
        shown.append(territory_id)
        territory = obs.territory(territory_id)
        role = "focus" if territory_id in focus else ("quartier" if territory.kind == "quartier" else "reference")
        label = territory.name if territory.kind == "quartier" else territory.label
        cells = {}
        for geography in sorted({point.geography for point in values}):
            part = [point for point in values if point.geography == geography]
            texts = [format_value(indicator, point.value, point.precision) for point in part]
            suffix = " (périmètre 2015)" if geography == "qp2015" else ""
            traces.append(
                Trace(
                    label=label + suffix,
                    years=[point.year for point in part],
                    values=[point.value for point in part],
                    texts=[f"{text} ({point.period})" for text, point in zip(texts, part, strict=True)],
                    role=role,
                    dash=DASHES.get(geography, "solid"),
                )
            )
            for text, point in zip(texts, part, strict=True):
                periods[point.period] = point.year
                cells.setdefault(point.period, text)
        table_rows.append((label, cells))
    years = {y for trace in traces for y in trace.years}
    focus_years = {y for trace in traces if trace.role == "focus" for y in trace.years}
    if len(years) < 2 or (focus and len(focus_years) < 2):
        return None  # nothing to follow (on a quartier page: the quartier itself has one millésime)
    ordered = sorted(periods, key=lambda p: (periods[p], p))
    table = SeriesTable(ordered, [(label, [cells.get(p, "") for p in ordered]) for label, cells in table_rows])
    summary = f"Valeurs publiées de {ordered[0]} à {ordered[-1]} ; une ligne en pointillés signale un autre périmètre."
    spec = to_script_json(line_chart(title, indicator.unit.label, traces))
    chart = Chart(id=chart_id, title=title, summary=summary, spec_json=spec)
    return SeriesView(chart, table, obs.sources_of(indicator.id, shown, ordered))


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


@dataclass
class QuadrantView:
    indicator: Indicator
    rows: list[QuadrantRow]
    chart: Chart
    sources: list[str]  # producers of the quartiers' and references' figures compared


@timed("compare")
def committee(obs: Observatory) -> list[QuadrantView]:
    """For each comparable indicator: every quartier's level change against its gap change, with
    the nearest reference that shares two millésimes with it."""
    views = []
    for indicator in obs.catalog.values():
        if not indicator.has_gaps:
            continue
        rows = []
        for quartier in obs.quartiers():
            if len(obs.points(indicator.id, quartier.id)) < 2:
                continue
            nearest = next(_reference_evolutions(obs, indicator, quartier), None)
            if nearest:
                rows.append(_row(obs, indicator, quartier, nearest))
        if rows:
            sources = sorted(
                {
                    source
                    for row in rows
                    for source in obs.sources_of(
                        indicator.id,
                        [row.quartier.id, row.reference.id],
                        [row.result.first_period, row.result.last_period],
                    )
                }
            )
            views.append(QuadrantView(indicator, rows, _quadrant_chart(indicator, rows), sources))
    return views


def _row(obs: Observatory, indicator: Indicator, quartier: Territory, result: Evolution) -> QuadrantRow:
    decimals = indicator.decimals
    return QuadrantRow(
        quartier=quartier,
        reference=obs.territory(result.reference),
        result=result,
        level_change=format_difference(indicator, result.level_change, decimals),
        first_gap=format_difference(indicator, result.first_gap, decimals),
        last_gap=format_difference(indicator, result.last_gap, decimals),
        gap_change=format_difference(indicator, result.relative_change, decimals),
        reading=quadrant(indicator, result),
    )


def _quadrant_chart(indicator: Indicator, rows: list[QuadrantRow]) -> Chart:
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
    title = f"{indicator.chart_label} : évolution du niveau et de l'écart à la référence"
    unit = indicator.unit.gap_label + "s" if indicator.unit.gap_label == "point" else indicator.unit.gap_label
    spec = scatter_chart(
        title, f"évolution du niveau ({unit})", f"évolution de l'écart à la référence ({unit})", points
    )
    better = "en haut" if indicator.direction == "higher_is_better" else "en bas"
    summary = (
        f"{len(rows)} quartiers placés selon l'évolution de leur niveau (horizontal) et de leur écart à la "
        f"référence (vertical, quartier moins référence) ; {better}, le quartier a évolué mieux que sa référence."
    )
    return Chart(id=f"quadrant-{indicator.id}", title=title, summary=summary, spec_json=to_script_json(spec))
