"""Views of a quartier's pages (2024 quartier) and of a 2015 quartier that left the geography.

In: the observatory of one edition, the quartier (a Territory), what changed since the previous
edition, and the quartier's indicator blocks (observatory.pages.views.quartier_blocks: figures compared
and charted). Out: the quartier's page (QuartierView: the key indicators against the contract's EPCI,
then a short block per section of its contract's layout — the enjeux, or the CALL's piliers), a page
per section with every indicator in full (QuartierSectionView), a page of its linked territories
(QuartierOthersView), or a Quartier2015View.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.editions import Changes, Edition
from observatory.figures.observatory import Observatory
from observatory.inputs.config import Contract
from observatory.inputs.documents import Layout, Section
from observatory.inputs.territories import Territory
from observatory.model import STATUS_REASONS, STATUSES
from observatory.pages.common import (
    EnjeuLink,
    IndicatorLink,
    QuartierLink,
    enjeu_link,
    indicator_link,
    quartier_link,
)
from observatory.pages.headline import KeyPanel, build_panel, comite_anchor, contract_epci, key_trend, level_change
from observatory.pages.series import SeriesView, evolutions, series_view
from observatory.pages.text import format_figure, format_value, move_gap, of_name, period_cell, plain_period, to_name
from observatory.pages.views import (
    FigureView,
    IndicatorBlock,
    QuartierFigure,
    commune_colleges,
    missing_indicators,
    predecessor_figures,
    related_figures,
    territory_figures,
)


@dataclass(frozen=True)
class ContractLink:
    id: str
    name: str
    short_name: str  # « MEL »


@dataclass(frozen=True)
class NewFigure:
    label: str  # the indicator's
    period: str


@dataclass(frozen=True)
class RevisedFigure:
    label: str
    period: str
    before: str  # the value with its unit: "41,5 %", "10 619 €"
    after: str


@dataclass(frozen=True)
class GapChange:
    reference_with: str  # "avec la MEL"
    label: str  # the indicator's
    before_period: str
    before: str  # the gap, signed, with its unit: "+22,5 points", "−7 530 €"
    after_period: str
    after: str


@dataclass(frozen=True)
class QuartierChanges:
    """What changed for the quartier since the previous edition."""

    previous: str  # the previous edition's label
    new: tuple[NewFigure, ...]
    revised: tuple[RevisedFigure, ...]
    moves: tuple[GapChange, ...]


@dataclass(frozen=True)
class IndicatorSection:
    """One indicator on a quartier's section page: its latest figures compared, its earlier ones,
    its evolution (with the contract's EPCI first, as the panel and the comité measure it)."""

    indicator: IndicatorLink
    figures: tuple[QuartierFigure, ...]
    previous: tuple[FigureView, ...]  # the quartier's earlier millésimes
    other_references: tuple[FigureView, ...]  # reference figures of other millésimes
    trend: SeriesView | None
    evolution: str  # the gap's evolution with the nearest reference sharing two millésimes (the contract's EPCI first)
    evolutions: tuple[str, ...]  # with the next references
    comite: str  # the comité's row of the quartier (« taux-pauvrete-60/#call-QN06225M »), or ""
    caution: str  # the producer's warning on evolutions (data/ecarts.yml), or ""
    variant_of: IndicatorLink | None  # the reference measure of the same concept, when this is another
    variant_note: str  # how this measure differs from it
    variant_here: bool  # the reference measure is on the same page


@dataclass(frozen=True)
class SectionFigure:
    """A figure of a section, as the quartier's page sums the section up."""

    indicator_id: str
    label: str
    value: str
    period: str  # « chiffre de 2019 »
    comparison: str  # « CALL : 23,6 % » at the same millésime, or ""


@dataclass(frozen=True)
class SectionSummary:
    """A section (enjeu, or pilier theme of the contract) on the quartier's page: a few figures and a link."""

    slug: str
    title: str
    group: str  # the pilier it sits under, or ""
    figures: tuple[SectionFigure, ...]
    indicators: int  # indicators with a figure for the quartier, detailed on the section's page


@dataclass(frozen=True)
class FigureGroup:
    """Figures of a territory linked to the quartier (IRIS, collège, 2015 quartier), shown apart."""

    id: str
    name: str
    note: str
    figures: tuple[FigureView, ...]


@dataclass(frozen=True)
class MissingGroup:
    status: str  # "non_publie"…
    label: str  # « non publié »
    reason: str
    indicators: tuple[IndicatorLink, ...]


@dataclass(frozen=True)
class SectionLink:
    slug: str
    title: str


@dataclass(frozen=True)
class QuartierView:
    """The quartier's page: the answer first (the key indicators against the contract's EPCI),
    then one short block per section with a link to its page, then the sources in short."""

    quartier: QuartierLink
    contracts: tuple[ContractLink, ...]
    shared_epcis: tuple[str, ...]  # names of its intercommunalités, when it has several
    predecessors: tuple[str, ...]  # what each 2015 → 2024 link says
    changes: QuartierChanges | None  # None: first edition, or nothing changed for it
    has_figures: bool
    panel: KeyPanel | None
    layout_name: str  # « les enjeux », « les piliers du contrat de la CALL »
    layout_note: str
    sections: tuple[SectionSummary, ...]
    others: bool  # a page of the territories linked to it (collèges, IRIS, 2015 quartiers)
    missing_count: int
    edition_label: str
    edition_date: str
    producers: tuple[str, ...]  # who publishes its key figures, in short
    search_sections: bool  # False: the search index keeps the page's lead only (search.quartier_pages)


@dataclass(frozen=True)
class QuartierSectionView:
    """A section of a quartier's page on its own page (`quartiers/<code>/<slug>`): every indicator
    of the section in full, its in-page contents first."""

    quartier: QuartierLink
    title: str
    group: str
    contract_words: str  # what the contract says this section is about
    layout_name: str
    siblings: tuple[SectionLink, ...]  # every section of the quartier, for moving between them
    slug: str
    indicators: tuple[IndicatorSection, ...]
    colleges: tuple[FigureView, ...]  # the collèges of its communes, in the section of their indicator
    missing: tuple[MissingGroup, ...]
    search_sections: bool
    enjeu_pages: str  # the enjeu pages' folder of its département (pages.by: departement: « 59/ »), else ""
    enjeu_links: tuple[EnjeuLink, ...]  # the enjeux of the section (their pages rank every quartier)
    keywords: tuple[str, ...]  # the other words of its indicators (« chômage »): what a resident may search


@dataclass(frozen=True)
class QuartierOthersView:
    """The territories linked to a quartier, on a page of their own (`quartiers/<code>/territoires-lies`)."""

    quartier: QuartierLink
    related: tuple[FigureGroup, ...]
    merged: tuple[FigureGroup, ...]  # the 2015 quartiers it brings together
    search_sections: bool
    iris: tuple[IrisCommune, ...] = ()  # the IRIS of each of its communes, by 2021 median income
    iris_threshold: str = ""  # the declared threshold's reason (observatory.yml iris.threshold)


@dataclass(frozen=True)
class IrisRow:
    """One IRIS of a quartier's commune in 2021: its median income and poverty rate, or why not."""

    code: str
    name: str
    median: str  # « 18 230 € » or the status (« non publié »)
    published: bool  # the median is a number
    poverty: str
    below: bool  # its median is under the declared threshold
    note: str  # the producer's quality note, if any


@dataclass(frozen=True)
class IrisCommune:
    """The IRIS of one commune, lowest 2021 median first, those without a published median last."""

    name: str
    caption: str  # « IRIS d'Armentières, du revenu médian le plus bas au plus haut »
    sentence: str  # « 3 secteurs de Roubaix ont un revenu médian inférieur à … en 2021. »
    rows: tuple[IrisRow, ...]
    period: str
    source: str  # producer and file


IRIS_DOCUMENT = "insee-filosofi-iris"


OTHERS = "territoires-lies"  # the slug of the page of the territories linked to a quartier
SECTION_FIGURES = 3  # figures a section shows on the quartier's page


def layout_of(obs: Observatory, quartier: Territory) -> Layout:
    """How the quartier's pages are organised: by its (first) contract's layout."""
    contracts = obs.contracts_of(quartier)
    return obs.editorial.layout(contracts[0].layout if contracts else "enjeux")


def section_slugs(layout: Layout, blocks: list[IndicatorBlock]) -> dict[str, str]:
    """The page section that details each indicator the quartier has a block for (an indicator
    without one has no heading to link to)."""
    return {block.indicator.id: layout.section_for(block.indicator.id, block.indicator.enjeu).slug for block in blocks}


def _in(layout: Layout, section: Section, indicator) -> bool:
    return layout.section_for(indicator.id, indicator.enjeu) == section


def build_quartier_view(
    obs: Observatory, quartier: Territory, changed: Changes, blocks: list[IndicatorBlock], edition: Edition
) -> QuartierView:
    """The page of a 2024 quartier; `blocks` are its indicator blocks (quartier_blocks)."""
    layout = layout_of(obs, quartier)
    panel = build_panel(obs, quartier, section_slugs(layout, blocks))
    producers = sorted({row.source for row in panel.rows if row.source}) if panel else []
    return QuartierView(
        quartier=quartier_link(quartier),
        contracts=tuple(ContractLink(c.id, c.name, c.short_name) for c in obs.contracts_of(quartier)),
        shared_epcis=_epci_names(obs, quartier) if len(quartier.epcis) > 1 else (),
        predecessors=tuple(link.note for link in obs.referential.predecessors(quartier.id)),
        changes=_changes(obs, quartier, changed),
        has_figures=bool(blocks),
        panel=panel,
        layout_name=layout.name,
        layout_note=layout.note,
        sections=tuple(_summary(obs, quartier, layout, section, blocks, panel) for section in layout.sections),
        others=has_others(obs, quartier),
        missing_count=sum(len(indicators) for _, indicators in missing_indicators(obs, quartier)),
        edition_label=edition.label,
        edition_date=edition.date,
        producers=tuple(producers),
        search_sections=obs.config.search_quartier_pages == "sections",
    )


def _summary(
    obs: Observatory,
    quartier: Territory,
    layout: Layout,
    section: Section,
    blocks: list[IndicatorBlock],
    panel: KeyPanel | None,
) -> SectionSummary:
    """A section's few figures: its key indicators first (the contract's order), then the
    catalog's headline indicators (`map: true`), then the catalog's order."""
    mine = [block for block in blocks if _in(layout, section, block.indicator)]
    keys = [row.indicator_id for row in panel.rows] if panel else []
    order = {indicator_id: position for position, indicator_id in enumerate(keys)}
    ranked = sorted(
        (block for block in mine if _headline(block)),
        key=lambda block: (order.get(block.indicator.id, len(order)), not block.indicator.map),
    )
    figures = tuple(_section_figure(obs, quartier, block) for block in ranked[:SECTION_FIGURES])
    return SectionSummary(section.slug, section.title, section.group, figures, len(mine))


def _headline(block: IndicatorBlock) -> bool:
    """A block whose first figure has a value (an unavailable one does not sum a section up)."""
    return bool(block.figures) and block.figures[0].figure.available


def _section_figure(obs: Observatory, quartier: Territory, block: IndicatorBlock) -> SectionFigure:
    item = block.figures[0]
    epci = next((c.reference for c in item.comparisons if not c.reason and c.reference.territory.kind == "epci"), None)
    comparison = f"{epci.territory.label} : {epci.value_text}" if epci else ""
    return SectionFigure(
        indicator_id=block.indicator.id,
        label=block.indicator.chart_label,
        value=item.figure.value_text,
        period=plain_period(item.figure.period),
        comparison=comparison,
    )


def _enjeux_of(obs: Observatory, layout: Layout, section: Section) -> list[int]:
    """The enjeux of a section's indicators (their pages rank every quartier)."""
    found = {i.enjeu for i in obs.catalog.values() if _in(layout, section, i)}
    return sorted(found | set(section.enjeux))


def has_others(obs: Observatory, quartier: Territory) -> bool:
    return bool(related_figures(obs, quartier) or predecessor_figures(obs, quartier) or iris_communes(obs, quartier))


def _iris_period(obs: Observatory, indicator: str) -> str | None:
    """The newest millésime the Filosofi-by-IRIS files give the indicator (an IRIS is only compared
    with itself across years: the page shows one millésime), read from the figures, not assumed."""
    rows = obs.figures_of(indicator)
    dated = rows[(rows["document"] == IRIS_DOCUMENT) & rows["year"].notna()]
    return None if dated.empty else str(dated.loc[dated["year"].idxmax(), "period"])


def _iris_figure(obs: Observatory, indicator: str, territory: str, period: str):
    return next(
        (r for r in obs.rows_for(indicator, territory) if r.document == IRIS_DOCUMENT and r.period == period),
        None,
    )


def iris_communes(obs: Observatory, quartier: Territory) -> tuple[IrisCommune, ...]:
    """The IRIS of each commune of the quartier with a figure of the newest Filosofi by IRIS, ranked
    by median income."""
    threshold = obs.config.iris_threshold
    median, poverty = obs.catalog.get("revenu-median-disponible-uc"), obs.catalog.get("taux-pauvrete-60")
    if median is None or poverty is None:  # a catalog without them (a copy cut down to a few indicators)
        return ()
    period = _iris_period(obs, median.id)
    if period is None:
        return ()
    communes = []
    for code, town in zip(quartier.communes, quartier.commune_names, strict=True):
        found = []
        for territory in obs.referential.territories.values():
            if territory.kind != "iris" or territory.communes != (code,):
                continue
            figure = _iris_figure(obs, median.id, territory.id, period)
            if figure is not None:
                found.append((territory, figure, _iris_figure(obs, poverty.id, territory.id, period)))
        if not found:
            continue
        found.sort(key=lambda item: (item[1].status != "ok", item[1].value if item[1].status == "ok" else 0))
        rows = tuple(
            IrisRow(
                code=territory.id.removeprefix("iris-"),
                name=territory.short_name or territory.name,
                median=format_figure(median, figure),
                published=figure.status == "ok",
                poverty=format_figure(poverty, rate) if rate is not None else "non disponible",
                below=bool(threshold and figure.status == "ok" and figure.value < threshold.value),
                note=figure.note,
            )
            for territory, figure, rate in found
        )
        communes.append(
            IrisCommune(
                name=town,
                caption=f"IRIS {of_name(town)}, du revenu médian le plus bas au plus haut",
                sentence=_iris_sentence(town, rows, threshold.label if threshold else "", period),
                rows=rows,
                period=period,
                source=f"{found[0][1].producer} ({found[0][1].location.split(',')[0]})",
            )
        )
    return tuple(communes)


def _iris_sentence(town: str, rows: tuple[IrisRow, ...], label: str, period: str) -> str:
    """What a resident reads first: how many sectors of the commune fall under the threshold."""
    unpublished = sum(not row.published for row in rows)
    tail = (
        f" Le revenu médian de {unpublished} autre{'s' * (unpublished > 1)} n'est pas publié par l'Insee."
        if unpublished
        else ""
    )
    if not label:
        return tail.strip()
    below = sum(row.below for row in rows)
    if below == 0:
        head = f"Aucun secteur {of_name(town)} n'a un revenu médian inférieur {to_name(label)} en {period}."
    elif below == 1:
        head = f"1 secteur {of_name(town)} a un revenu médian inférieur {to_name(label)} en {period}."
    else:
        head = f"{below} secteurs {of_name(town)} ont un revenu médian inférieur {to_name(label)} en {period}."
    return head + tail


def build_section_view(
    obs: Observatory, quartier: Territory, section: Section, blocks: list[IndicatorBlock]
) -> QuartierSectionView:
    """One section of the quartier's page, in full."""
    layout = layout_of(obs, quartier)
    mine = [block for block in blocks if _in(layout, section, block.indicator)]
    shown = {block.indicator.id for block in mine}
    contract = next(iter(obs.contracts_of(quartier)), None)
    missing = [
        (status, [indicator for indicator in indicators if _in(layout, section, indicator)])
        for status, indicators in missing_indicators(obs, quartier)
    ]
    colleges = obs.catalog.get("ips-college")
    return QuartierSectionView(
        quartier=quartier_link(quartier),
        title=section.title,
        group=section.group,
        contract_words=section.contract,
        layout_name=layout.name,
        siblings=tuple(SectionLink(other.slug, other.title) for other in layout.sections),
        slug=section.slug,
        indicators=tuple(_indicator_section(obs, quartier, block, contract, shown) for block in mine),
        colleges=tuple(commune_colleges(obs, quartier)) if colleges and _in(layout, section, colleges) else (),
        missing=tuple(
            MissingGroup(status, STATUSES[status], STATUS_REASONS[status], tuple(map(indicator_link, indicators)))
            for status, indicators in missing
            if indicators
        ),
        search_sections=obs.config.search_quartier_pages == "sections",
        enjeu_pages=f"{quartier.departement}/" if obs.config.pages_by == "departement" else "",
        enjeu_links=tuple(enjeu_link(obs.editorial.enjeux[number]) for number in _enjeux_of(obs, layout, section)),
        keywords=tuple(dict.fromkeys(word for block in mine for word in block.indicator.keywords)),
    )


def _indicator_section(
    obs: Observatory, quartier: Territory, block: IndicatorBlock, contract: Contract | None, shown: set[str]
) -> IndicatorSection:
    """An indicator in full: its figures, series and evolutions."""
    territories = [quartier.id, *obs.references(quartier)]
    indicator = block.indicator
    epci = contract_epci(obs, contract, quartier) if contract else None
    keyed = contract is not None and indicator.id in contract.key_indicators
    family = obs.families.get(indicator.id)
    sentences = evolutions(obs, indicator, quartier, epci)
    followed = keyed and _followed(obs, indicator, quartier, epci)
    return IndicatorSection(
        indicator=indicator_link(indicator),
        figures=tuple(block.figures),
        previous=tuple(block.previous),
        other_references=tuple(block.other_references),
        trend=series_view(
            obs,
            indicator,
            territories,
            {quartier.id},
            f"serie-{indicator.id}",
            f"{indicator.chart_label} : {quartier.name} et ses références au fil des millésimes",
            highlighted_only=True,
        ),
        evolution=sentences[0] if sentences else "",
        evolutions=tuple(sentences[1:]),
        comite=comite_anchor(contract, indicator, quartier) if followed else "",
        caution=family.caution if family else "",
        variant_of=indicator_link(obs.catalog[indicator.variant_of]) if indicator.variant_of else None,
        variant_note=indicator.variant_note,
        variant_here=indicator.variant_of in shown,
    )


def _followed(obs: Observatory, indicator, quartier: Territory, epci: str | None) -> bool:
    """Whether the comité has a row for this quartier on this key indicator (its trend, or its level)."""
    if epci and indicator.has_gaps and key_trend(obs, indicator, quartier.id, epci)[0]:
        return True
    return indicator.id in obs.families and level_change(obs, indicator, quartier.id) is not None


def build_others_view(obs: Observatory, quartier: Territory) -> QuartierOthersView:
    return QuartierOthersView(
        quartier=quartier_link(quartier),
        related=tuple(_group(territory, views) for territory, views in related_figures(obs, quartier)),
        merged=tuple(_group(territory, views) for territory, views in predecessor_figures(obs, quartier)),
        search_sections=obs.config.search_quartier_pages == "sections",
        iris=iris_communes(obs, quartier),
        iris_threshold=obs.config.iris_threshold.reason if obs.config.iris_threshold else "",
    )


def _epci_names(obs: Observatory, quartier: Territory) -> tuple[str, ...]:
    territories = obs.referential.territories
    return tuple(
        territories[f"epci-{siren}"].name if f"epci-{siren}" in territories else f"EPCI {siren}"
        for siren in quartier.epcis
    )


def _changes(obs: Observatory, quartier: Territory, changed: Changes) -> QuartierChanges | None:
    new, revised, moves = changed.for_quartier(quartier.id)
    if not changed.previous or not (new or revised or moves):
        return None
    catalog = obs.catalog
    return QuartierChanges(
        previous=changed.previous.label,
        new=tuple(NewFigure(catalog[indicator_id].label, period_cell(period)) for indicator_id, period in new),
        revised=tuple(
            RevisedFigure(
                catalog[r.indicator].label,
                r.period,
                format_value(catalog[r.indicator], r.before, catalog[r.indicator].decimals),
                format_value(catalog[r.indicator], r.after, catalog[r.indicator].decimals),
            )
            for r in revised
        ),
        moves=tuple(
            GapChange(
                reference_with=obs.territory(move.reference).with_,
                label=catalog[move.indicator].label,
                before_period=move.before[0],
                before=move_gap(catalog[move.indicator], move.before[1], move.precisions[:2], move.relative),
                after_period=move.after[0],
                after=move_gap(catalog[move.indicator], move.after[1], move.precisions[2:], move.relative),
            )
            for move in moves
        ),
    )


def _group(territory: Territory, views: list[FigureView]) -> FigureGroup:
    return FigureGroup(id=territory.id, name=territory.name, note=territory.note, figures=tuple(views))


@dataclass(frozen=True)
class Quartier2015View:
    quartier: QuartierLink
    figures: tuple[FigureView, ...]
    search_sections: bool  # False: the search index keeps the page's lead only


def build_quartier_2015_view(obs: Observatory, former: Territory) -> Quartier2015View:
    """A 2015 quartier that left the geography in 2024: its history, findable under its 2015 code."""
    return Quartier2015View(
        quartier=quartier_link(former),
        figures=tuple(territory_figures(obs, former.id)),
        search_sections=obs.config.search_quartier_pages == "sections",
    )
