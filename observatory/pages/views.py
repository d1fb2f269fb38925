"""What each page shows: figures worded, compared and charted, ready for the templates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from observatory.compare.gaps import comparable, extremes, gap, is_available, main_period, rank_quartiers
from observatory.compare.small_numbers import caution, small_base
from observatory.figures.observatory import Observatory, derived, periods_in
from observatory.inputs.catalog import Indicator
from observatory.inputs.documents import Document
from observatory.inputs.sources.published import UNSTATED
from observatory.inputs.territories import Territory
from observatory.model import GEOGRAPHIES, STATISTICS, STATUS_REASONS, FigureRow, Unit, figure_rows, is_undated
from observatory.numbers import format_number
from observatory.pages.charts import Bar, bar_chart, to_script_json
from observatory.pages.text import (
    CLOSE_RATIO,
    comparison_clause,
    format_difference,
    format_figure,
    format_ratio,
    format_value,
    gap_decimals,
    gap_phrase,
    of_name,
    period_phrase,
    period_title,
    plain_period,
    sentence,
    undated_source,
)
from observatory.pages.text import period_cell as text_of_period
from observatory.timing import timed


@dataclass
class FigureView:
    """One published figure as a reader sees it."""

    territory: Territory
    indicator: Indicator
    row: FigureRow
    value_text: str
    statistic: str  # "minimum", "moyenne"… or ""
    geography: str
    document: Document | None = None  # the document (or producer's file family) that gives it
    cited_as: str = ""  # how a table cites it: the producer's file by name, else the document's title

    @property
    def period(self) -> str:
        return self.row["period"]

    @property
    def undated(self) -> bool:
        """Its period says when its file was published, not when its data were observed."""
        return is_undated(self.period)

    @property
    def available(self) -> bool:
        return is_available(self.row)

    @property
    def period_label(self) -> str:
        """The millésime once, in plain words: « chiffre de 2019 », « chiffre publié en 2022 » (an
        undated file: its source line says so), « date non précisée par la source »."""
        return plain_period(self.period)

    @property
    def period_cell(self) -> str:
        """Its millésime in a table's caption or cell (an undated file's in plain words)."""
        return text_of_period(self.period)

    @property
    def undated_note(self) -> str:
        """What the source line says of an undated file, once ("" for a dated figure)."""
        return undated_source(self.period)


@dataclass
class ComparisonView:
    reference: FigureView
    difference: str = ""
    ratio: str = ""
    assessment: str = ""
    twice: str = ""  # why the territory has another row in the same table
    reason: str = ""  # why no gap, when there is none


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    spec_json: str


@dataclass
class QuartierFigure:
    figure: FigureView
    sentence: str
    comparisons: list[ComparisonView] = field(default_factory=list)
    extremes: list[tuple[FigureView, str]] = field(default_factory=list)  # contract's highest and lowest, said
    chart: Chart | None = None
    missing_references: list[str] = field(default_factory=list)  # references with other millésimes only

    @property
    def sources(self) -> list[str]:
        """The sources of its comparison table, once each: « Insee-DGFiP-…, Filosofi 2019 (REVN_2022.csv) »."""
        views = [self.figure, *(c.reference for c in self.comparisons), *(view for view, _ in self.extremes)]
        return list(dict.fromkeys(f"{view.row.producer} ({view.cited_as})" for view in views if view.cited_as))


@dataclass
class IndicatorBlock:
    indicator: Indicator
    figures: list[QuartierFigure]  # the latest millésime, compared and charted
    other_references: list[FigureView]  # reference figures of other periods
    previous: list[FigureView] = field(default_factory=list)  # the quartier's earlier millésimes


@dataclass(frozen=True)
class Scope:
    """What a ranking shows: some quartiers (None: all) against some references (None: all the
    territories with a figure), listed or only counted. An enjeu page of one département
    (`pages.by: departement`) reads its indicators' figures of its territories only (`Scope.of`):
    it is rendered again when one of them changes, not when a quartier elsewhere does."""

    quartiers: frozenset[str] | None = None
    references: frozenset[str] | None = None
    listed: bool = True
    figures: pd.DataFrame | None = field(default=None, compare=False, repr=False)  # of these territories
    by_indicator: dict[str, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(
        cls, obs: Observatory, quartiers: frozenset[str], references: frozenset[str], indicators: list[str]
    ) -> Scope:
        """The scope of these quartiers and references, for these indicators (read once)."""
        figures = obs.figures_of_territories_for(indicators, quartiers | references)
        by_indicator = {str(key): frame for key, frame in figures.groupby("indicator", sort=False)}
        return cls(quartiers, references, True, figures, by_indicator)

    def figures_of(self, obs: Observatory, indicator_id: str) -> pd.DataFrame:
        if self.figures is None:
            return obs.figures_of(indicator_id)
        return self.by_indicator.get(indicator_id, self.figures.iloc[0:0])


@dataclass
class RankingView:
    """All quartiers of one indicator and one period, ranked, with references and a chart."""

    indicator: Indicator
    period: str
    ranked: list[tuple[int, FigureView]]
    minimum: list[FigureView]
    maximum: list[FigureView]
    references: list[FigureView]
    published_extremes: list[FigureView]
    chart: Chart | None
    summary: str
    other_sources: dict[str, list[FigureView]] = field(default_factory=dict)  # quartier → differing values
    listed: bool = True  # the quartiers charted and listed (else: counted, their extremes named)
    sources: list[str] = field(default_factory=list)  # every producer of the millésime's figures, identical ones too

    @property
    def period_text(self) -> str:
        """« 2019 », « non précisé par la source », « fichier publié en 2022, date d'observation non documentée »."""
        return "non précisé par la source" if self.period == UNSTATED else self.period

    @property
    def period_heading(self) -> str:
        """« Millésime 2019 », « Millésime non précisé par la source », « Fichier publié en 2022, … »."""
        if is_undated(self.period):
            return self.period[:1].upper() + self.period[1:]
        return f"Millésime {self.period_text}"

    @property
    def rows(self) -> list[tuple[int, FigureView, list[FigureView]]]:
        """The ranked quartiers, each with the differing values of other sources."""
        return [(rank, view, self.other_sources.get(view.territory.id, [])) for rank, view in self.ranked]


def figure_view(obs: Observatory, row: FigureRow) -> FigureView:
    indicator = obs.catalog[row["indicator"]]
    document = obs.editorial.documents.get(row["document"])
    return FigureView(
        territory=obs.territory(row["territory"]),
        indicator=indicator,
        row=row,
        value_text=format_figure(indicator, row),
        statistic=STATISTICS.get(row["statistic"], ""),
        geography=GEOGRAPHIES.get(row["geography"], ""),
        document=document,
        cited_as=_cited_as(document, row["location"]),
    )


def _cited_as(document: Document | None, location: str) -> str:
    """A producer's file by its name (its family is described on the sources page), else the document."""
    if document is None:
        return ""
    return location.split(", ")[0] if document.by_file else document.title


def _compare(indicator: Indicator, subject: FigureView, reference: FigureView) -> ComparisonView:
    reason = comparable(indicator, subject.row, reference.row)
    if reason:
        return ComparisonView(reference=reference, reason=reason)
    result = gap(indicator, subject.row["value"], reference.row["value"])
    decimals = gap_decimals(indicator, int(subject.row["precision"]), int(reference.row["precision"]))
    return ComparisonView(
        reference=reference,
        difference=format_difference(indicator, result.difference, decimals) if result.difference is not None else "",
        ratio=format_ratio(result.ratio) if result.ratio is not None else "",
        # « niveau proche (moins favorable) » would contradict itself: a close level is not assessed
        assessment="" if result.ratio is not None and abs(result.ratio - 1) <= CLOSE_RATIO else result.assessment,
    )


#: which reference a figure's sentence compares it with first: the contract's intercommunality
#: (the first EPCI of the quartier's references), then the commune, the département, the région,
#: France; an ensemble of quartiers only when no territory has the figure for the same millésime
SENTENCE_ORDER = {"epci": 0, "commune": 1, "departement": 2, "region": 3, "pays": 4}


def _sentence(
    indicator: Indicator, subject: FigureView, comparisons: list[ComparisonView], relative: bool = False
) -> str:
    """The figure in plain French, compared with the nearest territory of the same millésime, the
    contract's intercommunality first (never an ensemble of quartiers when a territory has it),
    then its commune's value when the commune has it too (« ; 30,1 % à Lens »)."""
    if not subject.available:  # « Indice de jeunesse : non disponible. », never « est de non disponible »
        return f"{indicator.label} : {subject.value_text}."
    usable = [c for c in comparisons if not c.reason]
    usable.sort(key=lambda c: SENTENCE_ORDER.get(c.reference.territory.kind, len(SENTENCE_ORDER)))
    chosen = usable[0] if usable else None
    if chosen is None:
        return sentence(indicator, _said(indicator, subject))
    result = gap(indicator, subject.row["value"], chosen.reference.row["value"])
    decimals = gap_decimals(indicator, int(subject.row["precision"]), int(chosen.reference.row["precision"]))
    reference_text, subject_text = _said(indicator, chosen.reference), _said(indicator, subject)
    clause = comparison_clause(indicator, result, chosen.reference.territory, reference_text, decimals)
    if relative and chosen.reference.row["value"] > 0:  # an amount: as a share of the reference's level
        where = chosen.reference.territory
        phrase = gap_phrase(indicator, subject.row["value"], chosen.reference.row["value"], where.phrase_name, 0, True)
        clause = f", soit {phrase} ({reference_text})"
    commune = next((c.reference for c in usable if c.reference.territory.kind == "commune"), None)
    if commune is not None and chosen.reference.territory.kind != "commune":
        clause += f" ; {_said(indicator, commune)} {commune.territory.phrase}"
    return sentence(indicator, subject_text, clause)


def _said(indicator: Indicator, view: FigureView) -> str:
    """A figure as a sentence says it: a deducted share (taxes) by its size, « 7,2 % »."""
    if indicator.deducted and view.available:
        return format_value(indicator, abs(view.row.value), int(view.row.precision))
    return view.value_text


def _chart(chart_id: str, title: str, summary: str, unit: Unit, bars: list[Bar]) -> Chart | None:
    """Bars on an axis of the indicator's unit, written in French (« 2 000 € », « 12 % »)."""
    if not bars:
        return None
    spec = bar_chart(title, unit.label, bars, unit)
    return Chart(id=chart_id, title=title, summary=summary, spec_json=to_script_json(spec))


def _bar(view: FigureView, role: str) -> Bar:
    label = view.territory.name if view.territory.kind == "quartier" else view.territory.label
    return Bar(label=label, value=float(view.row["value"]), text=view.value_text, role=role)


def _one_per_territory(subject: FigureView, references: list[FigureView]) -> list[FigureView]:
    """One bar per reference territory (a chart never draws a territory twice): the figure of the
    subject's own document first, then the first in table order; the table keeps every source."""
    chosen: dict[str, FigureView] = {}
    for view in references:
        if not _chartable(view):
            continue
        current = chosen.get(view.territory.id)
        if current is None or (
            view.row["document"] == subject.row["document"] and current.row["document"] != subject.row["document"]
        ):
            chosen[view.territory.id] = view
    return list(chosen.values())


def _chartable(view: FigureView) -> bool:
    """Only exact values become bars; "moins de 28 %" stays in the table."""
    return view.available and not view.row["qualifier"]


@derived("peer-extremes")
def _rank_peers(obs: Observatory, indicator_id: str, period: str, contracts: str) -> tuple[int, list, list]:
    frame = obs.figures_of(indicator_id)
    peers = set(obs.contract_peers(contracts))
    ranked = rank_quartiers(frame[frame["period"] == period], peers, obs.producer_documents)
    ranked = _enough_people(obs, obs.catalog[indicator_id], ranked)
    return (len(ranked), *extremes(ranked))


def _enough_people(obs: Observatory, indicator: Indicator, ranked: list) -> list:
    """The ranked quartiers whose rate does not rest on a handful of people (never an extreme)."""
    return [item for item in ranked if small_base(obs, indicator, item.territory) is None]


def peer_extremes(obs: Observatory, indicator_id: str, period: str, quartier: Territory) -> tuple[int, list, list]:
    """How many quartiers of the quartier's contracts have a value for one indicator and period,
    and the lowest and highest of them (computed once per contract; a page depends on this
    result, not on every quartier's figure)."""
    return obs.derived("peer-extremes", indicator_id, period, obs.contract_key(quartier))


def _contract_extremes(obs: Observatory, quartier: Territory, subject: FigureView) -> list[tuple[FigureView, str]]:
    """The highest and lowest quartiers of the same contract for the same period, to place the
    quartier, each with what it is (computed on the whole ranking: the quartier itself may be one)."""
    count, low, high = peer_extremes(obs, subject.indicator.id, subject.period, quartier)
    if count < 2:
        return []
    among = f"des {format_number(count)} quartiers du contrat"
    found = []
    for items, word in ((high, "la plus haute"), (low, "la plus basse")):
        for item in items:
            label = f"valeur {word} {among}"
            if item.territory == quartier.id:
                found.append((subject, f"{quartier.name} : {label}"))
            else:
                found.append((figure_view(obs, item.figure), label))
    return found


def _distinct_values(obs: Observatory, refs: list[FigureView], subject: FigureView) -> list[FigureView]:
    """A territory given the same value by two sources is shown once in a table: from the
    subject's own document (a document's figure is compared with that document's references),
    else from the producer's file (a document's rounding of the producer's figure is not
    repeated); different values all stay, each with its source."""
    preferred = sorted(
        refs,
        key=lambda ref: (ref.row.document != subject.row.document, ref.row.document not in obs.producer_documents),
    )
    kept: list[FigureView] = []
    for ref in preferred:
        if not any(_same_value(ref, other) for other in kept):
            kept.append(ref)
    return [ref for ref in refs if any(ref is k for k in kept)]


def _same_value(one: FigureView, other: FigureView) -> bool:
    if one.territory.id != other.territory.id or one.statistic != other.statistic:
        return False
    if not (one.available and other.available):
        return False
    digits = min(int(one.row.precision), int(other.row.precision))
    return round(one.row.value, digits) == round(other.row.value, digits)


def _say_why_twice(comparisons: list[ComparisonView]) -> list[ComparisonView]:
    """Two rows for one territory in one table: each says that the other comes from another source."""
    for comparison in comparisons:
        others = [
            c.reference
            for c in comparisons
            if c is not comparison and c.reference.territory.id == comparison.reference.territory.id
        ]
        if others:
            sources = " ; ".join(f"{o.value_text} selon {o.row.producer}" for o in others)
            comparison.twice = f"Deux sources pour ce territoire et ce millésime, reprises telles quelles ({sources})."
    return comparisons


def _detail(
    obs: Observatory,
    indicator: Indicator,
    quartier: Territory,
    refs: list[FigureView],
    row: FigureRow,
    number: int,
) -> QuartierFigure:
    subject = figure_view(obs, row)
    refs = [ref for ref in refs if obs.compares_with(quartier, ref.territory.id, row.geography)]
    same_period = _distinct_values(obs, [ref for ref in refs if ref.period == subject.period], subject)
    comparisons = _say_why_twice([_compare(indicator, subject, ref) for ref in same_period])
    family = obs.families.get(indicator.id)
    text = _sentence(indicator, subject, comparisons, bool(family and family.relative))
    people = small_base(obs, indicator, quartier.id)
    if people is not None:
        text = f"{text} {caution(people)}"
    # a rate on a handful of people is not placed among the contract's quartiers (never an extreme)
    extremes_ = _contract_extremes(obs, quartier, subject) if people is None else []
    bars = [_bar(subject, "focus")] if _chartable(subject) else []
    bars += [_bar(view, "reference") for view in _one_per_territory(subject, [c.reference for c in comparisons])]
    bars += [_bar(view, "quartier") for view, _ in extremes_ if _chartable(view) and view.territory.id != quartier.id]
    title = f"{indicator.chart_label} ({subject.period}) : {quartier.name} et ses références"
    if extremes_:
        title += ", avec les quartiers extrêmes du contrat"
    chart_id = f"graphique-{indicator.id}-{number}"
    # an undated figure is compared with its own file's aggregate only: its table says it, no chart
    charted = len(bars) > 1 and not is_undated(subject.period)
    shown = "le quartier en orange, ses territoires de référence du même millésime en bleu foncé"
    if extremes_:
        shown += ", les quartiers extrêmes du contrat en bleu clair"
    chart = _chart(chart_id, title, f"Une barre par territoire : {shown}.", indicator.unit, bars) if charted else None
    compared = {ref.territory.id for ref in same_period}
    missing = [ref.territory.label for ref in refs if ref.territory.id not in compared]
    return QuartierFigure(subject, text, comparisons, extremes_, chart, list(dict.fromkeys(missing)))


def split_latest(rows: list[FigureRow]) -> tuple[list[FigureRow], list[FigureRow]]:
    """(the latest figures, the earlier ones, newest first). Latest: the most recent millésime,
    the most recently published undated file (never compared with the others) and any figure
    whose source gives no period."""
    years = [row.year for row in rows if not pd.isna(row.year)]
    latest = max(years) if years else None
    undated = sorted({row.period for row in rows if is_undated(row.period)})
    newest = undated[-1] if undated else None

    def is_current(row: FigureRow) -> bool:
        if is_undated(row.period):
            return row.period == newest
        return pd.isna(row.year) or row.year == latest

    current = [row for row in rows if is_current(row)]
    dated = sorted((r for r in rows if not is_current(r) and not pd.isna(r.year)), key=lambda r: -r.year)
    older = sorted((r for r in rows if not is_current(r) and is_undated(r.period)), key=lambda r: r.period)
    return current, dated + older[::-1]


@timed("compare")
def quartier_blocks(obs: Observatory, quartier: Territory) -> list[IndicatorBlock]:
    """For each indicator with a figure for the quartier: its latest figures compared and charted,
    its earlier figures as a series."""
    reference_ids = obs.references(quartier)
    blocks = []
    for indicator in obs.catalog.values():
        own = obs.rows_for(indicator.id, quartier.id)
        if not own:
            continue
        refs = [figure_view(obs, row) for ref in reference_ids for row in obs.rows_for(indicator.id, ref)]
        current, earlier = split_latest(own)
        figures = [_detail(obs, indicator, quartier, refs, row, n) for n, row in enumerate(current, start=1)]
        # earlier millésimes the series table (drawn when the quartier has two) does not show
        points = obs.points(indicator.id, quartier.id)
        drawn = {(p.period, p.value) for p in points} if len({p.year for p in points}) >= 2 else set()
        previous = [figure_view(obs, row) for row in earlier if (row.period, row.value) not in drawn]
        periods = {f.figure.period for f in figures}
        # reference values of other millésimes that the series table (drawn when the quartier has
        # two millésimes) does not already show
        in_series = {
            (territory_id, point.period, point.value)
            for territory_id in (reference_ids if drawn else [])
            for point in obs.points(indicator.id, territory_id)
        }
        others = [
            ref
            for ref in refs
            if ref.period not in periods and (ref.territory.id, ref.period, ref.row.value) not in in_series
        ]
        blocks.append(IndicatorBlock(indicator=indicator, figures=figures, other_references=others, previous=previous))
    return blocks


@timed("compare")
def ranking(
    obs: Observatory,
    indicator: Indicator,
    period: str,
    chart_id: str,
    scope: Scope | None = None,
) -> RankingView:
    """Every quartier with the figure for one period, ranked, against the references of that period
    (of a scope: some quartiers, some references, see Scope)."""
    scope = scope or Scope()
    frame = scope.figures_of(obs, indicator.id)
    frame = frame[frame["period"] == period]
    quartier_ids = obs.quartier_ids() if scope.quartiers is None else set(scope.quartiers)
    ranked_rows = rank_quartiers(frame, quartier_ids, obs.producer_documents)
    ranked = [(item.rank, figure_view(obs, item.figure)) for item in ranked_rows]
    low, high = extremes(_enough_people(obs, indicator, ranked_rows))
    minimum = [figure_view(obs, item.figure) for item in low]
    maximum = [figure_view(obs, item.figure) for item in high]
    others = frame[~frame["territory"].isin(obs.quartier_ids() | obs.quartiers_2015() | obs.beyond_quartiers())]
    if scope.references is not None:
        others = others[others["territory"].isin(scope.references)]
    references = [figure_view(obs, row) for row in figure_rows(others)]
    references.sort(key=lambda view: (view.territory.kind == "college", view.territory.name))
    published = [figure_view(obs, row) for row in figure_rows(frame[frame["statistic"].isin(["min", "max"])])]
    summary = _ranking_summary(indicator, period, ranked, minimum, maximum)
    if not scope.listed:
        return RankingView(indicator, period, ranked, minimum, maximum, references, published, None, summary, {}, False)
    drawn: set[str] = set()  # a chart draws each territory once (two sources of one value stay in the table)
    bars = []
    for role, view in [("quartier", view) for _, view in ranked] + [
        ("college" if view.territory.kind == "college" else "reference", view) for view in references
    ]:
        if (role == "quartier" or _chartable(view)) and view.territory.id not in drawn:
            drawn.add(view.territory.id)
            bars.append(_bar(view, role))
    title = f"{indicator.chart_label} ({period_title(period)}) : quartiers et territoires de référence"
    chart = _chart(chart_id, title, summary, indicator.unit, bars)
    others = _other_sources(obs, frame, ranked_rows)
    sources = sorted(set(frame["producer"]))
    return RankingView(
        indicator, period, ranked, minimum, maximum, references, published, chart, summary, others, True, sources
    )


def _other_sources(obs: Observatory, frame, ranked_rows) -> dict[str, list[FigureView]]:
    """For each ranked quartier, the values other sources give for the same millésime when they
    differ from the ranked one (a document's rounding of the producer's figure is not repeated)."""
    chosen = {item.territory: item.figure for item in ranked_rows}
    found: dict[str, list[FigureView]] = {}
    candidates = frame[frame["territory"].isin(chosen) & (frame["status"] == "ok") & (frame["qualifier"] == "")]
    for row in figure_rows(candidates):
        kept = chosen[row.territory]
        if row.document == kept.document or row.statistic != kept.statistic:
            continue
        digits = min(row.precision, kept.precision)
        if round(row.value, digits) != round(kept.value, digits):
            found.setdefault(row.territory, []).append(figure_view(obs, row))
    return found


def _names(views: list[FigureView]) -> str:
    return " et ".join(view.territory.name for view in views)


def _ranking_summary(
    indicator: Indicator, period: str, ranked: list, minimum: list[FigureView], maximum: list[FigureView]
) -> str:
    which = period_phrase(period)
    if not ranked:
        return f"Aucun quartier n'a de valeur publiée {which} ; seuls des territoires de référence en ont une."
    if len(ranked) == 1:
        only = ranked[0][1]
        return f"Un seul quartier a une valeur publiée {which} : {only.territory.name} ({only.value_text})."
    return (
        f"Parmi les {format_number(len(ranked))} quartiers dont la valeur est publiée {which}, "
        f"la plus basse est celle {of_name(_names(minimum))} ({minimum[0].value_text}) "
        f"et la plus élevée celle {of_name(_names(maximum))} ({maximum[0].value_text})."
    )


def enjeu_rankings(obs: Observatory, enjeu: int, scope: Scope | None = None) -> list[RankingView]:
    """For each indicator of the enjeu with any figure (in the scope): the period most of its
    quartiers share, ranked."""
    scope = scope or Scope()
    quartier_ids = obs.quartier_ids() if scope.quartiers is None else set(scope.quartiers)
    views = []
    for indicator in obs.catalog.values():
        if indicator.enjeu != enjeu:
            continue
        figures = scope.figures_of(obs, indicator.id)
        if figures.empty:
            continue
        period = main_period(figures, quartier_ids) or periods_in(figures)[0]
        views.append(ranking(obs, indicator, period, f"graphique-{indicator.id}", scope))
    return views


def _is_commune_college(territory: Territory) -> bool:
    return territory.kind == "college" and bool(territory.communes)


def commune_colleges(obs: Observatory, quartier: Territory) -> list[FigureView]:
    """The IPS of the collèges of the quartier's communes (DEPP), the most recent rentrée of each,
    highest first: said as the commune's collèges, never as the quartier's."""
    views = []
    for territory in obs.referential.related_to(quartier.id):
        if not _is_commune_college(territory) or territory.communes[0] not in quartier.communes:
            continue
        rows = [row for row in obs.rows_for("ips-college", territory.id) if row.document == "depp-ips"]
        if rows:
            views.append(figure_view(obs, max(rows, key=lambda row: row.period)))
    return sorted(views, key=lambda view: (view.territory.commune_names, -view.row.value, view.territory.name))


@timed("compare")
def related_figures(obs: Observatory, quartier: Territory) -> list[tuple[Territory, list[FigureView]]]:
    """Figures of territories declared as related to the quartier (IRIS, collèges cited by a
    document, ensembles); the collèges of its commune (commune_colleges) and the 2015 quartiers it
    brings together (predecessor_figures) are shown apart."""
    result = []
    for territory in obs.referential.related_to(quartier.id):
        if territory.kind == "quartier2015":
            continue
        if _is_commune_college(territory) and not any(
            row.document != "depp-ips" for row in obs.rows_of_territories([territory.id])
        ):
            continue
        rows = obs.rows_of_territories([territory.id])
        if rows:
            result.append((territory, [figure_view(obs, row) for row in rows]))
    return result


def predecessor_figures(obs: Observatory, quartier: Territory) -> list[tuple[Territory, list[FigureView]]]:
    """A 2024 quartier that brings several 2015 quartiers together: each one's figures, apart."""
    return [
        (territory, territory_figures(obs, territory.id))
        for territory in obs.referential.related_to(quartier.id)
        if territory.kind == "quartier2015"
    ]


def territory_figures(obs: Observatory, territory_id: str) -> list[FigureView]:
    """Every figure of one territory, by enjeu, indicator (catalog order) and millésime."""
    order = {indicator_id: index for index, indicator_id in enumerate(obs.catalog)}
    rows = sorted(
        obs.rows_of_territories([territory_id]),
        key=lambda row: (order[row.indicator], row.year if isinstance(row.year, int) else 0, row.period),
    )
    return [figure_view(obs, row) for row in rows]


def missing_indicators(obs: Observatory, quartier: Territory) -> list[tuple[str, list[Indicator]]]:
    """Indicators without a figure for the quartier, each with why: hors champ (it describes other
    territories), non publié (no file or document of this edition publishes it for any quartier),
    non disponible (published for other quartiers, not for this one)."""
    published = obs.published_for_quartiers()
    missing: dict[str, list[Indicator]] = {status: [] for status in STATUS_REASONS}
    for indicator in obs.catalog.values():
        if obs.rows_for(indicator.id, quartier.id):
            continue
        if not indicator.applies("quartier"):
            missing["hors_champ"].append(indicator)
        else:
            missing["non_disponible" if indicator.id in published else "non_publie"].append(indicator)
    return [(status, indicators) for status, indicators in missing.items() if indicators]
