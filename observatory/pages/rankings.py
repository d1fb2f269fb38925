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

from observatory.figures.observatory import Observatory, derived
from observatory.inputs.catalog import Indicator
from observatory.inputs.documents import AmbitionGroup, Enjeu
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
    indicators: tuple[EnjeuIndicator, ...]
    place: str  # the département of the page (« Nord (59) »), "" for the enjeu's page
    download: str  # the name of the page's downloads (« enjeux/<slug>/59 »)
    departements: tuple[DepartementLink, ...]  # listed by the enjeu's page (pages.by: departement)


def build_enjeu_view(obs: Observatory, enjeu: Enjeu, departement: str = "", scope: Scope | None = None) -> EnjeuView:
    """An enjeu's page, or its page for one département (`pages.by: departement`); `scope`: its
    enjeu_scope when already read."""
    label = text(obs, "enjeu_correspondence_label")
    scope = scope or enjeu_scope(obs, enjeu, departement)
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
        for view in enjeu_rankings(obs, enjeu.number, scope)
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
        place=place,
        download=f"enjeux/{enjeu.slug}/{departement}" if departement else f"enjeux/{enjeu.slug}",
        departements=departement_links(obs, obs.quartiers()) if by_departement and not departement else (),
    )


@dataclass(frozen=True)
class IndicatorView:
    id: str
    label: str
    definition: str
    unit: str  # the unit's label (« % », « € »)
    direction: str  # « une valeur plus faible est favorable »
    producer: str
    enjeu: EnjeuLink
    rankings: tuple[RankingView, ...]  # one per millésime, most recent first
    trend: SeriesView | None
    departements: tuple[DepartementLink, ...]  # whose enjeu pages rank the quartiers (pages.by: departement)


def build_indicator_view(obs: Observatory, indicator: Indicator) -> IndicatorView:
    periods = obs.periods_of(indicator.id)
    scope = national_scope(obs)
    return IndicatorView(
        id=indicator.id,
        label=indicator.label,
        definition=indicator.definition,
        unit=indicator.unit.label,
        direction=indicator.direction_text,
        producer=indicator.producer,
        enjeu=enjeu_link(obs.editorial.enjeux[indicator.enjeu]),
        rankings=tuple(
            ranking(obs, indicator, period, f"graphique-{index + 1}", scope) for index, period in enumerate(periods)
        ),
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


def territories_of(obs: Observatory, indicator_id: str, scope: Scope | None = None) -> list[str]:
    """Quartiers first (by code, when there are few enough to read and the page lists them), then
    the other territories with a figure of the indicator (of the scope's references)."""
    scope = scope or Scope()
    present = set(scope.figures_of(obs, indicator_id)["territory"])
    quartiers = [q.id for q in obs.quartiers() if q.id in present]
    others = sorted(present - set(quartiers) - obs.quartier_ids() - obs.quartiers_2015())
    if scope.references is not None:
        others = [territory for territory in others if territory in scope.references]
    listed = scope.listed and len(quartiers) <= MAX_SERIES_QUARTIERS
    return (quartiers if listed else []) + others
