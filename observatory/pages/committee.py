"""Views of the steering committee's synthesis and of the map page.

In: the observatory of one edition. Out: a CommitteeView (for each indicator with gaps, each
contract's quadrant: observatory.pages.series.QuadrantView) with the configured example of an
intercommunalité published under a former code, and the MapViews of the map pages (each
contract's or each département's quartiers drawn, its choropleths: observatory.pages.map_views).
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.observatory import Observatory
from observatory.pages.common import DepartementLink, text
from observatory.pages.map_views import ContractMap, departement_map, map_views
from observatory.pages.series import QuadrantView, committee


@dataclass(frozen=True)
class CommitteeView:
    quadrants: tuple[QuadrantView, ...]
    former_code_example: str  # « la MEL avant 2020 » ("" = no example given)


def build_committee_view(obs: Observatory) -> CommitteeView:
    return CommitteeView(
        quadrants=tuple(committee(obs)),
        former_code_example=text(obs, "committee_former_code_example"),
    )


@dataclass(frozen=True)
class MapView:
    source: str  # the contours layer's file name, "" when the build was given none
    place: str  # whose quartiers, after the page's title (« Nord (59) »), "" for the map page
    contracts: tuple[ContractMap, ...]  # drawn on this page
    departements: tuple[DepartementLink, ...]  # the map page of pages.by: departement: listed


def build_map_view(obs: Observatory) -> MapView:
    """The map page: each contract drawn, or with `pages.by: departement` the départements listed."""
    maps = map_views(obs)
    return MapView(maps.source, "", tuple(maps.contracts), maps.departements)


def build_departement_map_view(obs: Observatory, code: str) -> MapView:
    """A département's map page (`pages.by: departement`)."""
    source, drawn = departement_map(obs, code)
    return MapView(source, drawn.contract, (drawn,), ())
