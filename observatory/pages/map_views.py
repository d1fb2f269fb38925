"""The map page: each contract's quartiers drawn and linked, then one choropleth per headline indicator
(`map: true` in the catalog: a page of every indicator would weigh tens of megabytes nationally)."""

from __future__ import annotations

from dataclasses import dataclass, field

from observatory.compare.gaps import main_period, rank_quartiers
from observatory.figures.observatory import Observatory
from observatory.inputs.contours import find_contours, read_contours
from observatory.pages.maps import classes, colour_of, project_shapes, svg_map
from observatory.pages.text import format_figure
from observatory.timing import timed

MIN_QUARTIERS = 5  # below this, a choropleth says less than the table


@dataclass
class Choropleth:
    indicator_id: str
    label: str
    period: str
    svg: str
    legend: list[tuple[str, str]]  # (colour, "de 34,2 % à 41,0 %")
    values: list[tuple[str, str, str]]  # (code, name, value text)
    sources: list[str]  # producers of the mapped figures


@dataclass
class ContractMap:
    contract: str
    outline: str
    choropleths: list[Choropleth] = field(default_factory=list)


@dataclass
class MapViews:
    source: str  # the layer's file name, or "" when no layer was given
    contracts: list[ContractMap] = field(default_factory=list)


@timed("charts")
def map_views(obs: Observatory) -> MapViews:
    path = find_contours(obs.config.data_dir, obs.config.contours)
    if path is None:
        return MapViews(source="")
    quartiers = obs.quartiers()
    shapes = read_contours(path, {q.id for q in quartiers})
    names = {q.id: q.name for q in quartiers}
    links = {q.id: f"../quartiers/{q.id}/" for q in quartiers}
    views = MapViews(source=path.name)
    for contract in obs.config.contracts:
        members = [q for q in quartiers if contract in obs.contracts_of(q) and q.id in shapes]
        own = project_shapes([shapes[q.id] for q in members])
        outline = svg_map(
            own,
            names,
            links,
            {q.id: "#56B4E9" for q in members},
            f"Quartiers prioritaires 2024 du contrat {contract.short_name}",
            {},
        )
        contract_map = ContractMap(contract=contract.name, outline=outline)
        for indicator in (i for i in obs.catalog.values() if i.map):
            figures = obs.figures_of(indicator.id)
            ids = {q.id for q in members}
            period = main_period(figures, ids)
            if period is None:
                continue
            ranked = rank_quartiers(figures[figures["period"] == period], ids, obs.producer_documents)
            if len(ranked) < MIN_QUARTIERS:
                continue
            values = {item.territory: item.value for item in ranked}
            breaks = classes(values)
            texts = {item.territory: format_figure(indicator, item.figure) for item in ranked}
            fills = {code: colour_of(value, breaks) for code, value in values.items()}
            title = f"{indicator.chart_label} ({period}), contrat {contract.short_name}"
            svg = svg_map(own, names, links, fills, title, texts)
            legend = [
                (colour, f"de {_bound(indicator, low, ranked)} à {_bound(indicator, high, ranked)}")
                for low, high, colour in breaks
            ]
            table = [(item.territory, names[item.territory], texts[item.territory]) for item in ranked]
            sources = sorted({str(item.figure["producer"]) for item in ranked})
            contract_map.choropleths.append(
                Choropleth(indicator.id, indicator.label, period, svg, legend, table, sources)
            )
        views.contracts.append(contract_map)
    return views


def _bound(indicator, value: float, ranked) -> str:
    """A class bound, written with the precision of the indicator's figures."""
    precision = max(int(item.figure["precision"]) for item in ranked)
    return format_figure(indicator, {"status": "ok", "value": value, "precision": precision, "qualifier": ""})
