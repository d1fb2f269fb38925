"""The map pages: each contract's quartiers (or, with `pages.by: departement`, each département's
on its own page) drawn and linked; a page per headline indicator (`map: true` in the catalog: a
map of every indicator would weigh tens of megabytes nationally) with its choropleth per contract.
Out: a MapView per page, holding the drawn SVG, legends and values the template shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from observatory.compare.gaps import main_period, rank_quartiers
from observatory.figures.observatory import Observatory
from observatory.inputs.contours import Shape, drawable, find_contours, read_contours, undrawn
from observatory.pages.common import DepartementLink, departement_links
from observatory.pages.maps import classes, colour_of, project_shapes, svg_map
from observatory.pages.text import format_figure, period_title
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
    contracts: list[ContractMap] = field(default_factory=list)  # drawn on the map page
    departements: tuple[DepartementLink, ...] = ()  # each drawn on its own page (carte/<code>/)
    missing: tuple[str, ...] = ()  # « Le Parc (QN05991N) »: the quartiers the layer has no contour of


@timed("charts")
def map_views(obs: Observatory, root: str = "../") -> MapViews:
    """Each contract drawn on the map page or, with `pages.by: departement`, the départements of
    the observatory's quartiers listed (each drawn on its page: departement_map); `root`: the way
    from the page that shows them to the site's root, for the quartiers' links."""
    path = find_contours(obs.config.data_dir, obs.config.contours)
    if path is None:
        return MapViews(source="")
    shapes = _shapes(obs, path)
    drawn = [q for q in obs.quartiers() if drawable(q.id, shapes)]
    views = MapViews(source=path.name, missing=tuple(undrawn(obs.quartiers(), shapes)))
    if obs.config.pages_by == "departement":
        views.departements = departement_links(obs, drawn)
        return views
    mapped = {i.id: obs.figures_of(i.id) for i in obs.catalog.values() if i.map}
    for contract in obs.config.contracts:
        members = [q for q in drawn if contract in obs.contracts_of(q)]
        label = f"contrat {contract.short_name}"
        outline = f"Quartiers prioritaires 2024 du {label}"
        ids = {q.id for q in members}
        own = {key: figures[figures["territory"].isin(ids)] for key, figures in mapped.items()}
        views.contracts.append(_drawn(obs, own, contract.name, outline, label, members, shapes, root))
    return views


@timed("charts")
def departement_map(obs: Observatory, code: str) -> tuple[str, ContractMap, tuple[str, ...]]:
    """(the layer's file name, the map of one département's quartiers, those of its quartiers the
    layer has no contour of): a page of its own, which reads the figures of these quartiers only
    (rendered again when one of them changes)."""
    path = find_contours(obs.config.data_dir, obs.config.contours)
    assert path is not None  # a département's map page is listed only when there is a layer
    shapes = _shapes(obs, path)
    own = [q for q in obs.quartiers() if q.departement == code]
    members = [q for q in own if drawable(q.id, shapes)]
    headline = [i.id for i in obs.catalog.values() if i.map]
    figures = obs.figures_of_territories_for(headline, [q.id for q in members])
    mapped = {str(key): frame for key, frame in figures.groupby("indicator", sort=False)}
    title = f"{obs.territory(f'dep-{code}').name} ({code})"
    drawn = _drawn(obs, mapped, title, f"Quartiers prioritaires 2024 : {title}", title, members, shapes, "../../")
    return path.name, drawn, tuple(undrawn(own, shapes))


_LAYERS: dict[tuple[Path, frozenset[str]], dict[str, Shape]] = {}


def _shapes(obs: Observatory, path: Path) -> dict[str, Shape]:
    """The contours of the observatory's quartiers, read once per process (each département's
    map page is rendered in a process of pages, which inherits what was read before forking)."""
    key = (path, frozenset(q.id for q in obs.quartiers()))
    if key not in _LAYERS:
        _LAYERS.clear()
        _LAYERS[key] = read_contours(path, set(key[1]))
    return _LAYERS[key]


def _drawn(
    obs: Observatory,
    mapped: dict[str, pd.DataFrame],
    heading: str,
    outline_title: str,
    label: str,
    members: list,
    shapes: dict,
    root: str,
) -> ContractMap:
    """The quartiers drawn and linked (from a page `root` away from the site's root), then one
    choropleth per headline indicator with enough quartiers (`label`: whose map, in its titles;
    `mapped`: the figures of these quartiers, by headline indicator)."""
    names = {q.id: q.name for q in members}
    links = {q.id: f"{root}quartiers/{q.id}/" for q in members}
    own = project_shapes([shapes[q.id] for q in members])
    outline = svg_map(own, names, links, {q.id: "#56B4E9" for q in members}, outline_title, {})
    contract_map = ContractMap(contract=heading, outline=outline)
    ids = set(names)
    for indicator in (i for i in obs.catalog.values() if i.map):
        figures = mapped.get(indicator.id)
        period = None if figures is None else main_period(figures, ids)
        if period is None:
            continue
        ranked = rank_quartiers(figures[figures["period"] == period], ids, obs.producer_documents)
        if len(ranked) < MIN_QUARTIERS:
            continue
        values = {item.territory: item.value for item in ranked}
        breaks = classes(values)
        texts = {item.territory: format_figure(indicator, item.figure) for item in ranked}
        fills = {code: colour_of(value, breaks) for code, value in values.items()}
        svg = svg_map(own, names, links, fills, f"{indicator.chart_label} ({period_title(period)}), {label}", texts)
        legend = [
            (colour, f"de {_bound(indicator, low, ranked)} à {_bound(indicator, high, ranked)}")
            for low, high, colour in breaks
        ]
        table = [(item.territory, names[item.territory], texts[item.territory]) for item in ranked]
        sources = sorted({str(item.figure["producer"]) for item in ranked})
        contract_map.choropleths.append(Choropleth(indicator.id, indicator.label, period, svg, legend, table, sources))
    return contract_map


def _bound(indicator, value: float, ranked) -> str:
    """A class bound, written with the precision of the indicator's figures."""
    precision = max(int(item.figure["precision"]) for item in ranked)
    return format_figure(indicator, {"status": "ok", "value": value, "precision": precision, "qualifier": ""})


@dataclass(frozen=True)
class MapLink:
    id: str  # the indicator's: its map page is carte/<id>/
    label: str


@dataclass(frozen=True)
class MapView:
    source: str  # the contours layer's file name, "" when the build was given none
    place: str  # whose quartiers, after the page's title (« Nord (59) »), "" for the map page
    contracts: tuple[ContractMap, ...]  # drawn on this page
    departements: tuple[DepartementLink, ...]  # the map page of pages.by: departement: listed
    maps: tuple[MapLink, ...]  # the map page: the page of each headline indicator's map
    indicator: str  # an indicator's map page: its label ("" on the others)
    missing: tuple[str, ...]  # the page's quartiers not drawn: the layer has no contour of them


def build_map_views(obs: Observatory) -> tuple[MapView, dict[str, MapView]]:
    """The map page (each contract's quartiers drawn, or with `pages.by: departement` the
    départements listed) and a page per headline indicator (`map: true`) with each contract's
    choropleth of it: one map per page, not every map on one."""
    maps = map_views(obs)
    outlines = tuple(ContractMap(c.contract, c.outline) for c in maps.contracts)
    deeper = map_views(obs, "../../") if maps.contracts else maps  # a map's own page is one folder down
    labels = {c.indicator_id: c.label for contract in deeper.contracts for c in contract.choropleths}
    links = tuple(MapLink(indicator_id, label) for indicator_id, label in labels.items())
    pages = {
        indicator_id: MapView(
            maps.source,
            "",
            tuple(
                ContractMap(c.contract, "", [m for m in c.choropleths if m.indicator_id == indicator_id])
                for c in deeper.contracts
            ),
            (),
            (),
            label,
            maps.missing,
        )
        for indicator_id, label in labels.items()
    }
    return MapView(maps.source, "", outlines, maps.departements, links, "", maps.missing), pages


def build_departement_map_view(obs: Observatory, code: str) -> MapView:
    """A département's map page (`pages.by: departement`)."""
    source, drawn, missing = departement_map(obs, code)
    return MapView(source, drawn.contract, (drawn,), (), (), "", missing)
