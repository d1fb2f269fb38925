"""Views of the pages that rank every quartier: an enjeu's page and an indicator's page.

In: the observatory of one edition and the enjeu (documents.Enjeu), with `pages.by: departement`
the département of the page, or the indicator (catalog.Indicator). Out: an EnjeuView or an
IndicatorView holding the texts of the enjeu or the indicator card, each ranking
(observatory.pages.views.RankingView) and series across millésimes
(observatory.pages.series.SeriesView) the page shows, and the configured wording of the build.
With `pages.by: departement`, an enjeu's page counts the quartiers of each indicator, names its
extremes and compares the national references; each département's page ranks its quartiers
against its references (its intercommunalités, département, région, France, the ensembles).
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.compare.gaps import main_period
from observatory.figures.observatory import Observatory, derived
from observatory.inputs.catalog import Indicator
from observatory.inputs.documents import AmbitionGroup, Enjeu
from observatory.names import fold
from observatory.pages.common import DepartementLink, EnjeuLink, departement_links, enjeu_link, text
from observatory.pages.series import SeriesView, series_view
from observatory.pages.views import RankingView, Scope, enjeu_rankings, ranking

MAX_SERIES_QUARTIERS = 50  # beyond this, a line per quartier is unreadable: references only
NATIONAL_KINDS = ("pays", "ensemble")  # the references of an enjeu page that lists départements
LOCAL_KINDS = ("commune", "quartier2015")  # shown on each quartier's page, not on a département's


@derived("departement-scope")
def departement_scope(obs: Observatory, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A département's quartiers, and their references and related territories (intercommunalités,
    département, région, France, ensembles, établissements) but their communes and 2015 quartiers."""
    members = {q.id for q in obs.quartiers() if q.departement == code}
    references = {
        ref
        for q in obs.quartiers()
        if q.id in members
        for ref in obs.references(q)
        if ref in obs.referential.territories
    }
    references |= {t.id for t in obs.referential.territories.values() if members & set(t.related)}
    kept = {ref for ref in references if obs.territory(ref).kind not in LOCAL_KINDS} - members
    return tuple(sorted(members)), tuple(sorted(kept))


def enjeu_scope(obs: Observatory, enjeu: Enjeu, departement: str) -> Scope:
    """What an enjeu page shows: every quartier and reference, or with `pages.by: departement`
    the national references only (the quartiers counted), or one département's."""
    if departement:
        members, references = obs.derived("departement-scope", departement)
        indicators = [i.id for i in obs.catalog.values() if i.enjeu == enjeu.number]
        return Scope.of(obs, frozenset(members), frozenset(references), indicators)
    return national_scope(obs)


def national_scope(obs: Observatory) -> Scope:
    """What a page of every quartier shows: all of them and every reference or, with `pages.by:
    departement`, the national references, the quartiers counted (ranked on the départements' pages)."""
    if obs.config.pages_by == "departement":
        national = frozenset(t.id for t in obs.referential.territories.values() if t.kind in NATIONAL_KINDS)
        return Scope(references=national, listed=False)
    return Scope()


@dataclass(frozen=True)
class EnjeuIndicator:
    ranking: RankingView  # the millésime most quartiers share
    trend: SeriesView | None


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator of an enjeu in one line: how many quartiers, the lowest and highest, the
    intercommunalities, for the millésime most quartiers share; its page ranks them all."""

    id: str
    label: str
    period: str
    slug: str  # its ranking's page on the indicator's pages (period_slug)
    count: int
    low: str  # « 9,8 % (Pont de Bois-Hôtel de ville) », "" when fewer than two quartiers
    high: str
    references: str  # « MEL : 19 % ; CALL : 23,6 % », or ""


@dataclass(frozen=True)
class EnjeuView:
    number: int
    title: str
    short_title: str
    slug: str
    groups: tuple[AmbitionGroup, ...]  # the contract's ambitions, by scale
    source: str  # id of the document the ambitions are quoted from
    source_title: str
    correspondence_label: str  # « Dans le contrat de la CALL » (configured)
    correspondence: str  # how that contract relates to the enjeu ("" = not shown)
    indicators: tuple[EnjeuIndicator, ...]  # ranked in full: the key indicator (every one on a département's page)
    summaries: tuple[IndicatorSummary, ...]  # the enjeu's page: every indicator in one line
    place: str  # the département of the page (« Nord (59) »), "" for the enjeu's page
    download: str  # the name of the page's downloads (« enjeux/<slug>/59 »)
    departements: tuple[DepartementLink, ...]  # listed by the enjeu's page (pages.by: departement)


def build_enjeu_view(obs: Observatory, enjeu: Enjeu, departement: str = "", scope: Scope | None = None) -> EnjeuView:
    """An enjeu's page, or its page for one département (`pages.by: departement`); `scope`: its
    enjeu_scope when already read."""
    label = text(obs, "enjeu_correspondence_label")
    scope = scope or enjeu_scope(obs, enjeu, departement)
    rankings = enjeu_rankings(obs, enjeu.number, scope)
    lead = rankings if departement else _key_rankings(obs, rankings)
    indicators = tuple(
        EnjeuIndicator(
            ranking=view,
            trend=series_view(
                obs,
                view.indicator,
                territories_of(obs, view.indicator.id, scope),
                set(),
                f"serie-{view.indicator.id}",
                f"{view.indicator.chart_label} : quartiers et références au fil des millésimes",
            ),
        )
        for view in lead
    )
    by_departement = obs.config.pages_by == "departement"
    place = f"{obs.territory(f'dep-{departement}').name} ({departement})" if departement else ""
    return EnjeuView(
        number=enjeu.number,
        title=enjeu.title,
        short_title=enjeu.short_title,
        slug=enjeu.slug,
        groups=enjeu.groups,
        source=enjeu.source,
        source_title=obs.editorial.documents[enjeu.source].title,
        correspondence_label=label,
        correspondence=enjeu.call_mapping if label else "",
        indicators=indicators,
        summaries=() if departement else tuple(_summary(obs, view) for view in rankings),
        place=place,
        download=f"enjeux/{enjeu.slug}/{departement}" if departement else f"enjeux/{enjeu.slug}",
        departements=departement_links(obs, obs.quartiers()) if by_departement and not departement else (),
    )


def _key_rankings(obs: Observatory, rankings: list[RankingView]) -> list[RankingView]:
    """The enjeu's key indicator, ranked in full: the first of the contracts' key indicators
    (observatory.yml) in the enjeu, else its first headline indicator (`map: true`), else its first."""
    keys = [key for contract in obs.config.contracts for key in contract.key_indicators]
    order = {indicator_id: position for position, indicator_id in enumerate(dict.fromkeys(keys))}
    ranked = [view for view in rankings if view.ranked]
    if not ranked:
        return []
    first = min(ranked, key=lambda view: (order.get(view.indicator.id, len(order)), not view.indicator.map))
    return [first]


def _extreme(views: list) -> str:
    """« 9,8 % (Pont de Bois-Hôtel de ville) »: a value and the quartiers that have it."""
    return f"{views[0].value_text} ({' et '.join(view.territory.name for view in views)})" if views else ""


def period_slug(period: str) -> str:
    """A millésime's page name: « 2019 », « 31-12-2016 », « fichier-publie-en-2022 », « non-precisee »."""
    return "-".join(fold(period.split(",")[0]).split())


def _summary(obs: Observatory, view: RankingView) -> IndicatorSummary:
    epcis: dict[str, str] = {}
    for reference in view.references:
        if reference.territory.kind == "epci" and reference.available:
            epcis.setdefault(reference.territory.label, reference.value_text)
    several = len(view.ranked) > 1
    return IndicatorSummary(
        id=view.indicator.id,
        label=view.indicator.label,
        period=view.period_text,
        slug=period_slug(view.period),
        count=len(view.ranked),
        low=_extreme(view.minimum) if several else "",
        high=_extreme(view.maximum) if several else "",
        references=" ; ".join(f"{name} : {value}" for name, value in epcis.items()),
    )


@dataclass(frozen=True)
class IndicatorView:
    id: str
    label: str
    definition: str
    unit: str  # the unit's label (« % », « € »)
    direction: str  # « une valeur plus faible est favorable »
    producer: str
    keywords: tuple[str, ...]  # other words residents search it by
    enjeu: EnjeuLink
    rankings: tuple[RankingView, ...]  # the millésime most quartiers share, ranked in full (none: no figure)
    others: tuple[IndicatorSummary, ...]  # every other millésime in one line, most recent first, ranked on its page
    trend: SeriesView | None
    departements: tuple[DepartementLink, ...]  # whose enjeu pages rank the quartiers (pages.by: departement)


@dataclass(frozen=True)
class IndicatorPeriodView:
    """One millésime of an indicator, ranked on a page of its own (`indicateurs/<id>/<slug>`)."""

    id: str
    label: str
    ranking: RankingView


def build_indicator_view(
    obs: Observatory, indicator: Indicator
) -> tuple[IndicatorView, dict[str, IndicatorPeriodView]]:
    """An indicator's page: its card, its quartiers ranked for the millésime most of them share,
    its other millésimes in a line each, and its series (every value, every millésime); and the
    ranking of each millésime on a page of its own, by page name (every millésime has its page:
    a stable address, so that a figure that changes which millésime leads changes no page set)."""
    periods = obs.periods_of(indicator.id)
    scope = national_scope(obs)
    main = main_period(obs.figures_of(indicator.id), obs.quartier_ids()) or (periods[0] if periods else None)
    rankings = {
        period: ranking(obs, indicator, period, f"graphique-{index + 1}", scope) for index, period in enumerate(periods)
    }
    pages = {
        period_slug(period): IndicatorPeriodView(indicator.id, indicator.label, view)
        for period, view in rankings.items()
    }
    view = IndicatorView(
        id=indicator.id,
        label=indicator.label,
        definition=indicator.definition,
        unit=indicator.unit.label,
        direction=indicator.direction_text,
        producer=indicator.producer,
        keywords=indicator.keywords,
        enjeu=enjeu_link(obs.editorial.enjeux[indicator.enjeu]),
        rankings=(rankings[main],) if main else (),
        others=tuple(_summary(obs, view) for period, view in rankings.items() if period != main),
        trend=series_view(
            obs,
            indicator,
            territories_of(obs, indicator.id, scope),
            set(),
            "serie",
            f"{indicator.chart_label} : tous les territoires au fil des millésimes",
        ),
        departements=() if scope.listed else departement_links(obs, obs.quartiers()),
    )
    return view, pages


def territories_of(obs: Observatory, indicator_id: str, scope: Scope | None = None) -> list[str]:
    """Quartiers first (by code, when there are few enough to read and the page lists them), then
    the other territories with a figure of the indicator (of the scope's references)."""
    scope = scope or Scope()
    present = set(scope.figures_of(obs, indicator_id)["territory"])
    quartiers = [q.id for q in obs.quartiers() if q.id in present]
    others = sorted(present - set(quartiers) - obs.quartier_ids() - obs.quartiers_2015() - obs.beyond_quartiers())
    if scope.references is not None:
        others = [territory for territory in others if territory in scope.references]
    listed = scope.listed and len(quartiers) <= MAX_SERIES_QUARTIERS
    return (quartiers if listed else []) + others
