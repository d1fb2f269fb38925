"""Views of the home page, the indexes (quartiers, enjeux, indicators) and the editions page.

In: the observatory of one edition (its configuration, quartiers, catalog, enjeux, figures) and,
for the editions page, the editions being published. Out: one frozen view per page, holding the
counts, links and configured texts the page shows; the template only reads them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from observatory.figures.editions import Edition
from observatory.figures.observatory import Observatory
from observatory.pages.common import EnjeuLink, QuartierLink, enjeu_link, quartier_link, sort_key, text


@dataclass(frozen=True)
class ContractSummary:
    id: str
    name: str
    description: str
    quartiers: int  # quartiers 2024 of the contract
    shared: int  # of which shared with a neighbouring intercommunalité


@dataclass(frozen=True)
class HomeView:
    intro: str  # the configured opening question ("" = the template's general one)
    edition_label: str
    quartier_count: int
    figure_count: int
    indicator_count: int
    contract_count: int
    whole_territory: bool  # a contract covers every quartier (EPCI "*"): a perimeter, not contracts
    contracts: tuple[ContractSummary, ...]
    enjeu_count: int
    enjeux_of: str  # whose enjeux they are (« du contrat de la MEL »), or ""
    by_departement: bool  # the enjeu pages compare the quartiers département by département (pages.by)


def build_home_view(obs: Observatory, edition: Edition) -> HomeView:
    """The home page of an edition: an archive names itself, not the current edition."""
    quartiers = obs.quartiers()
    summaries = []
    for contract in obs.config.contracts:
        members = [q for q in quartiers if contract in obs.contracts_of(q)]
        summaries.append(
            ContractSummary(
                id=contract.id,
                name=contract.name,
                description=contract.description,
                quartiers=len(members),
                shared=sum(1 for q in members if len(q.epcis) > 1),
            )
        )
    return HomeView(
        intro=obs.config.intro,
        edition_label=edition.label,
        quartier_count=len(quartiers),
        figure_count=len(obs.figures),
        indicator_count=len(obs.catalog),
        contract_count=len(obs.config.contracts),
        whole_territory="*" in obs.config.contracts[0].epci,
        contracts=tuple(summaries),
        enjeu_count=len(obs.editorial.enjeux),
        enjeux_of=obs.config.enjeux_of,
        by_departement=obs.config.pages_by == "departement",
    )


@dataclass(frozen=True)
class ContractQuartiers:
    id: str
    name: str
    quartiers: tuple[QuartierLink, ...]


@dataclass(frozen=True)
class CommuneQuartiers:
    name: str
    quartiers: tuple[QuartierLink, ...]


@dataclass(frozen=True)
class QuartiersIndexView:
    quartier_count: int
    contracts: tuple[ContractQuartiers, ...]
    communes: tuple[CommuneQuartiers, ...]  # alphabetical, accents ignored
    former: tuple[QuartierLink, ...]  # 2015 quartiers that left the geography


def build_quartiers_index_view(obs: Observatory) -> QuartiersIndexView:
    quartiers = obs.quartiers()
    by_commune = defaultdict(list)
    for quartier in quartiers:
        for name in quartier.commune_names:
            by_commune[name].append(quartier_link(quartier))
    contracts = tuple(
        ContractQuartiers(
            id=contract.id,
            name=contract.name,
            quartiers=tuple(quartier_link(q) for q in quartiers if contract in obs.contracts_of(q)),
        )
        for contract in obs.config.contracts
    )
    return QuartiersIndexView(
        quartier_count=len(quartiers),
        contracts=contracts,
        communes=tuple(
            CommuneQuartiers(name, tuple(links))
            for name, links in sorted(by_commune.items(), key=lambda i: sort_key(i[0]))
        ),
        former=tuple(quartier_link(q) for q in obs.former_quartiers()),
    )


@dataclass(frozen=True)
class Pilier:
    title: str
    summary: str


@dataclass(frozen=True)
class EnjeuxIndexView:
    intro: str  # how the enjeux relate to the contracts ("" = the template's general sentence)
    enjeux: tuple[EnjeuLink, ...]
    piliers_title: str  # heading of another contract's piliers ("" = not shown)
    piliers: tuple[Pilier, ...]
    piliers_note: str  # where the piliers come from


def build_enjeux_index_view(obs: Observatory) -> EnjeuxIndexView:
    return EnjeuxIndexView(
        intro=obs.config.enjeux_intro,
        enjeux=tuple(enjeu_link(enjeu) for enjeu in obs.editorial.enjeux.values()),
        piliers_title=text(obs, "piliers_title"),
        piliers=tuple(Pilier(title=p["title"], summary=p["summary"]) for p in obs.editorial.call_piliers),
        piliers_note=text(obs, "piliers_note"),
    )


@dataclass(frozen=True)
class IndicatorCount:
    id: str
    label: str
    figures: int  # figures published in this edition


@dataclass(frozen=True)
class EnjeuIndicators:
    number: int
    short_title: str
    indicators: tuple[IndicatorCount, ...]


@dataclass(frozen=True)
class IndicatorsIndexView:
    indicator_count: int
    enjeux: tuple[EnjeuIndicators, ...]


def build_indicators_index_view(obs: Observatory) -> IndicatorsIndexView:
    enjeux = tuple(
        EnjeuIndicators(
            number=enjeu.number,
            short_title=enjeu.short_title,
            indicators=tuple(
                IndicatorCount(id=i.id, label=i.label, figures=len(obs.figures_of(i.id)))
                for i in obs.catalog.values()
                if i.enjeu == enjeu.number
            ),
        )
        for enjeu in obs.editorial.enjeux.values()
    )
    return IndicatorsIndexView(indicator_count=len(obs.catalog), enjeux=enjeux)


@dataclass(frozen=True)
class EditionItem:
    id: str
    label: str
    date: str  # ISO date (formatted by the template's date filter)
    latest: bool
    current: bool  # the edition being read
    files: tuple[str, ...]


@dataclass(frozen=True)
class EditionsView:
    editions: tuple[EditionItem, ...]


def build_editions_view(edition: Edition, editions: list[Edition]) -> EditionsView:
    return EditionsView(
        editions=tuple(
            EditionItem(id=e.id, label=e.label, date=e.date, latest=e.latest, current=e.id == edition.id, files=e.files)
            for e in editions
        )
    )
