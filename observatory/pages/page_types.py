"""One view model per page type, built by pure functions from the observatory of one edition.

In: the observatory (and, for some pages, the edition, what changed, the quartier, enjeu or
indicator of the page). Out: a frozen dataclass holding exactly what the page's template shows.
A template receives the fields of its view (and the page's place in the site: `root`,
`latest_root`, the downloads folder), never the observatory: it reads fields, it calls no method
(tests/test_templates.py). TEMPLATES says which template shows which view.
"""

from __future__ import annotations

from observatory.pages.changes import ChangesView
from observatory.pages.committee import CommitteeIndicatorView, CommitteeView
from observatory.pages.indexes import EditionsView, EnjeuxIndexView, HomeView, IndicatorsIndexView, QuartiersIndexView
from observatory.pages.map_views import MapView
from observatory.pages.perimeters import OutsideSectorsView, PerimetersIndexView, PerimeterView
from observatory.pages.quartier import Quartier2015View, QuartierOthersView, QuartierSectionView, QuartierView
from observatory.pages.rankings import EnjeuView, IndicatorPeriodView, IndicatorView
from observatory.pages.sources import SourcesView

TEMPLATES: dict[type, str] = {
    HomeView: "home.md.j2",
    QuartiersIndexView: "quartiers_index.md.j2",
    QuartierView: "quartier.md.j2",
    QuartierSectionView: "quartier_section.md.j2",
    QuartierOthersView: "quartier_others.md.j2",
    Quartier2015View: "quartier_2015.md.j2",
    EnjeuxIndexView: "enjeux_index.md.j2",
    EnjeuView: "enjeu.md.j2",
    IndicatorsIndexView: "indicators_index.md.j2",
    IndicatorView: "indicator.md.j2",
    IndicatorPeriodView: "indicator_period.md.j2",
    CommitteeView: "committee.md.j2",
    CommitteeIndicatorView: "committee_indicator.md.j2",
    ChangesView: "changes.md.j2",
    MapView: "map.md.j2",
    EditionsView: "editions.md.j2",
    SourcesView: "sources.md.j2",
    PerimetersIndexView: "perimeters_index.md.j2",
    PerimeterView: "perimeter.md.j2",
    OutsideSectorsView: "outside_sectors.md.j2",
}
