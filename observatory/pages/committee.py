"""The comité de pilotage's answer: for every key indicator of each contract, did the situation of
the quartiers improve, and did their gap to the contract's intercommunality narrow?

In: the observatory of one edition, the contracts' key indicators (observatory.yml) and the gap
families (data/ecarts.yml: measure and stability band). Out: a CommitteeView (one summary table
per contract, in the contract's order: millésimes compared and their contract period, how many
quartiers improved / worsened / stable, how many gaps narrowed / widened / stable, a verdict), a
CommitteeIndicatorView per key indicator (each quartier's row, a chart of its gap at the first and
last millésimes) and the summary as CSV and XLSX. Each quartier's trend is the one its page's
panel says (headline.key_trend): same references, millésimes, measure and band.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from observatory.compare.evolution import Trend
from observatory.figures.editions import Edition
from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import Indicator
from observatory.inputs.comparisons import GapFamily
from observatory.inputs.config import Contract
from observatory.inputs.territories import Territory
from observatory.numbers import format_number, format_signed, parse_year
from observatory.pages.charts import Dumbbell, dumbbell_chart, to_script_json
from observatory.pages.common import QuartierLink, quartier_link, text
from observatory.pages.downloads import table_downloads
from observatory.pages.headline import contract_epci, key_trend, level_change
from observatory.pages.text import format_difference, format_value, of_name, plural
from observatory.pages.views import Chart

PREVIOUS_CONTRACT = (2015, 2023)  # the contrats de ville 2015-2020, extended to 2023
CURRENT_CONTRACT = (2024, 2030)
SUMMARY = "comite/synthese"  # the summary's downloads (telechargements/comite/synthese.csv.gz, .xlsx)


@dataclass(frozen=True)
class Counts:
    """How many quartiers moved each way: the three add up to the quartiers counted."""

    better: int  # improved, narrowed (a context indicator: en hausse)
    worse: int  # worsened, widened (en baisse)
    stable: int

    @property
    def total(self) -> int:
        return self.better + self.worse + self.stable


@dataclass(frozen=True)
class QuartierRow:
    quartier: QuartierLink
    anchor: str  # « call-QN06225M »: the row a quartier's page links to
    periods: str  # « 2015 → 2019 »
    levels: str  # « 51,3 % → 49,9 % »
    level_change: str  # « −1,4 point », « +10,9 % »
    level_move: str  # « amélioré », « dégradé », « stable », « en hausse », « en baisse »
    first_gap: str  # « +27,2 points », « −27,3 % »
    last_gap: str
    gap_change: str  # « −0,9 point »
    gap_move: str  # « réduit », « creusé », « stable », « inversé », or why not measured
    nominal: str  # an amount's gaps in current euros, said where their reading differs
    notes: tuple[str, ...]  # perimeter breaks


@dataclass(frozen=True)
class SummaryRow:
    indicator_id: str
    label: str
    periods: str  # « 2015 → 2019 (21 quartiers), 2016 → 2019 (1) »
    contract_period: str  # « période du contrat précédent (2015-2023) »
    level: Counts | None
    level_words: tuple[str, str]  # (« améliorée », « dégradée »), or (« en hausse », « en baisse »)
    gap: Counts | None
    quartiers: int  # quartiers of the contract
    verdict: str
    measure: str  # « écart en points », « écart en % du niveau de la CALL »


@dataclass(frozen=True)
class ContractCommittee:
    id: str
    name: str
    short_name: str
    epci: str  # « la CALL »
    quartiers: int
    rows: tuple[SummaryRow, ...]  # the contract's key indicators, in its order
    answered: int  # key indicators whose gap question is answered for at least one quartier


@dataclass(frozen=True)
class FamilyNote:
    label: str
    measure: str
    band: str
    reason: str
    caution: str


@dataclass(frozen=True)
class CommitteeView:
    contracts: tuple[ContractCommittee, ...]
    families: tuple[FamilyNote, ...]  # the measures and bands the summary uses, with their reasons
    former_code_example: str  # « la MEL avant 2020 » ("" = no example given)
    download: str  # the summary's downloads (without extension)


@dataclass(frozen=True)
class ContractDetail:
    id: str
    short_name: str
    epci: str
    summary: SummaryRow
    rows: tuple[QuartierRow, ...]
    chart: Chart | None
    without: tuple[str, ...]  # « Cité 10 : un seul millésime »


@dataclass(frozen=True)
class CommitteeIndicatorView:
    id: str
    label: str
    direction: str  # « une valeur plus faible est favorable »
    family: FamilyNote | None
    contracts: tuple[ContractDetail, ...]


def build_committee(
    obs: Observatory, edition: Edition
) -> tuple[CommitteeView, dict[str, CommitteeIndicatorView], dict[str, bytes]]:
    """The comité's page, a page per key indicator, and the summary's downloads."""
    details: dict[str, list[ContractDetail]] = {}
    contracts = []
    for contract in obs.config.contracts:
        quartiers = [q for q in obs.quartiers() if contract in obs.contracts_of(q)]
        if not contract.key_indicators or not quartiers:
            continue
        found = [_detail(obs, contract, obs.catalog[key], quartiers) for key in contract.key_indicators]
        for detail in found:
            details.setdefault(detail.summary.indicator_id, []).append(detail)
        rows = tuple(detail.summary for detail in found)
        contracts.append(
            ContractCommittee(
                id=contract.id,
                name=contract.name,
                short_name=contract.short_name,
                epci=found[0].epci if found else contract.short_name,
                quartiers=len(quartiers),
                rows=rows,
                answered=sum(1 for row in rows if row.gap and row.gap.total),
            )
        )
    used = {obs.families[key] for key in details if key in obs.families}
    families = tuple(_family_note(family) for family in sorted(used, key=lambda f: f.id))
    view = CommitteeView(tuple(contracts), families, text(obs, "committee_former_code_example"), SUMMARY)
    pages = {
        key: CommitteeIndicatorView(
            id=key,
            label=obs.catalog[key].label,
            direction=obs.catalog[key].direction_text,
            family=_family_note(obs.families[key]) if key in obs.families else None,
            contracts=tuple(items),
        )
        for key, items in details.items()
    }
    return view, pages, _downloads(obs, contracts, edition)


def _family_note(family: GapFamily) -> FamilyNote:
    measure = "écart en points" if not family.relative else "écart en pour cent du niveau de l'intercommunalité"
    return FamilyNote(family.label, measure, family.band_text, family.reason, family.caution)


@dataclass
class _Quartier:
    """One quartier of a contract on one key indicator: its trend, or its level alone, or why neither."""

    territory: Territory
    trend: Trend | None
    level: tuple[str, str, float] | None  # (first, last, change) when there is no trend
    why: str


def _detail(obs: Observatory, contract: Contract, indicator: Indicator, quartiers: list[Territory]) -> ContractDetail:
    family = obs.families.get(indicator.id)
    epci_id = contract_epci(obs, contract, quartiers[0])
    epci = obs.territory(epci_id) if epci_id else None
    name = epci.phrase_name if epci else contract.short_name
    found = [_quartier(obs, indicator, quartier, epci_id) for quartier in quartiers]
    # in the chart's order (the final gap, highest first), then the quartiers followed by level only
    ordered = sorted((item for item in found if item.trend), key=lambda item: -item.trend.last_gap)
    ordered += [item for item in found if item.level and not item.trend]
    rows = tuple(_row(obs, indicator, contract, item, name) for item in ordered)
    summary = _summary(indicator, family, found, name, len(quartiers))
    without = tuple(f"{item.territory.name} : {item.why}" for item in found if not (item.trend or item.level))
    chart = _chart(indicator, family, found, name, contract) if any(item.trend for item in found) else None
    return ContractDetail(contract.id, contract.short_name, name, summary, rows, chart, without)


def _quartier(obs: Observatory, indicator: Indicator, quartier: Territory, epci_id: str | None) -> _Quartier:
    points = obs.points(indicator.id, quartier.id)
    if not points:
        undated = any(row.status == "ok" for row in obs.rows_for(indicator.id, quartier.id))
        return _Quartier(quartier, None, None, "série non datée" if undated else "aucun chiffre")
    trend, why = key_trend(obs, indicator, quartier.id, epci_id) if epci_id and indicator.has_gaps else (None, "")
    if trend:
        return _Quartier(quartier, trend, None, "")
    level = level_change(obs, indicator, quartier.id) if indicator.id in obs.families else None
    if level is None:
        return _Quartier(quartier, None, None, "un seul millésime daté" if len(points) < 2 else why)
    return _Quartier(quartier, None, level, why or "effectif, sans écart")


def _moves(indicator: Indicator, family: GapFamily | None, found: list[_Quartier]) -> tuple[list[str], list[str]]:
    """The level move of each quartier whose level is followed, the gap move of each whose gap is."""
    levels, gaps = [], []
    for item in found:
        if item.trend:
            levels.append(item.trend.level_move)
            gaps.append(_counted(item.trend))
        elif item.level and family:
            levels.append(_level_move(indicator, family, item.level[2]))
    return levels, gaps


def _counted(trend: Trend) -> str:
    """A gap that crossed its reference is counted by its size: narrowed or widened beyond the band."""
    if trend.gap_move != "inversé":
        return trend.gap_move
    if abs(trend.gap_change) < trend.band:
        return "stable"
    return "creusé" if trend.gap_change > 0 else "réduit"


def _level_move(indicator: Indicator, family: GapFamily, change: float) -> str:
    if abs(change) < family.band:
        return "stable"
    if indicator.direction == "neutral":
        return "en hausse" if change > 0 else "en baisse"
    better = change > 0 if indicator.direction == "higher_is_better" else change < 0
    return "amélioré" if better else "dégradé"


def _summary(
    indicator: Indicator, family: GapFamily | None, found: list[_Quartier], name: str, quartiers: int
) -> SummaryRow:
    levels, gaps = _moves(indicator, family, found)
    neutral = indicator.direction == "neutral"
    words = ("en hausse", "en baisse") if neutral else ("améliorée", "dégradée")
    if indicator.unit_code == "euro":  # not deflated: a rise in current euros may be the prices'
        words = ("en hausse en euros courants", "en baisse en euros courants")
    level = (
        Counts(
            levels.count("en hausse" if neutral else "amélioré"),
            levels.count("en baisse" if neutral else "dégradé"),
            levels.count("stable"),
        )
        if levels
        else None
    )
    gap = Counts(gaps.count("réduit"), gaps.count("creusé"), gaps.count("stable")) if gaps else None
    pairs = Counter(_pair(item) for item in found if item.trend or item.level)
    periods = ", ".join(f"{pair} ({count} quartier{'s' if count > 1 else ''})" for pair, count in pairs.most_common())
    measure = ("écart en points" if not family.relative else f"écart en % du niveau {of_name(name)}") if family else ""
    return SummaryRow(
        indicator_id=indicator.id,
        label=indicator.chart_label,
        periods=periods or "—",
        contract_period=_contract_period(pairs),
        level=level,
        level_words=words,
        gap=gap,
        quartiers=quartiers,
        verdict=_verdict(indicator, level, gap, words, found, name),
        measure=measure,
    )


def _pair(item: _Quartier) -> str:
    if item.trend:
        return f"{item.trend.evolution.first_period} → {item.trend.evolution.last_period}"
    assert item.level is not None
    return f"{item.level[0]} → {item.level[1]}"


def _contract_period(pairs: Counter) -> str:
    """Which contract period the millésimes compared fall in."""
    if not pairs:
        return ""
    first, last = (parse_year(part) for part in pairs.most_common(1)[0][0].split(" → "))
    if first is None or last is None:
        return ""
    if last <= PREVIOUS_CONTRACT[1]:
        before = first < PREVIOUS_CONTRACT[0]
        return (
            "avant puis pendant le contrat précédent (2015-2023)"
            if before
            else "période du contrat précédent (2015-2023)"
        )
    if first >= CURRENT_CONTRACT[0]:
        return "période du contrat actuel (2024-2030)"
    return "du contrat précédent (2015-2023) au contrat actuel (2024-2030)"


def _verdict(
    indicator: Indicator,
    level: Counts | None,
    gap: Counts | None,
    words: tuple[str, str],
    found: list[_Quartier],
    name: str,
) -> str:
    """One line in French that keeps the balance of each question: every group, the largest first,
    and whether one of them makes a tendency (more than half the quartiers)."""
    if gap is None and level is None:
        return f"Ni l'écart avec {name} ni le niveau ne sont suivis : {_why_no_gap(indicator, found, name)}."
    if gap is not None:
        text = f"Écart avec {name} : " + _balance(gap, ("réduit", "creusé", "stable"))
    else:
        text = f"Écart avec {name} non mesuré : {_why_no_gap(indicator, found, name)}"
    if level is not None:
        situation = indicator.direction != "neutral" and indicator.unit_code != "euro"
        moves = ("améliorée", "dégradée", "stable") if situation else (*words, "stable")
        text += f" ; {'situation' if situation else 'niveau'} : " + _balance(level, moves)
    return text + "."


def _balance(counts: Counts, words: tuple[str, str, str]) -> str:
    """« stable pour 11, creusé pour 6, réduit pour 5 (sur 22 quartiers) : pas de tendance
    d'ensemble »; « réduit pour les 22 quartiers »; « creusé pour le seul quartier »."""
    pairs = zip((counts.better, counts.worse, counts.stable), words, strict=True)
    groups = sorted(((count, word) for count, word in pairs if count), key=lambda group: -group[0])
    if len(groups) == 1:
        return f"{groups[0][1]} pour " + ("le seul quartier" if counts.total == 1 else f"les {counts.total} quartiers")
    listed = ", ".join(f"{word} pour {count}" for count, word in groups)
    top_count, top_word = groups[0]
    tendency = f"surtout {top_word}" if 2 * top_count > counts.total else "pas de tendance d'ensemble"
    return f"{listed} (sur {counts.total} quartiers) : {tendency}"


def _why_no_gap(indicator: Indicator, found: list[_Quartier], name: str) -> str:
    if not indicator.has_gaps:
        return "un effectif ne se compare pas à celui d'un territoire plus grand"
    if any(item.level for item in found):
        return f"pas de chiffre {of_name(name)} aux millésimes des quartiers"
    why, count = Counter(item.why for item in found).most_common(1)[0]
    return f"{why} pour " + (f"les {count} quartiers" if count == len(found) else f"{count} des {len(found)} quartiers")


def _row(obs: Observatory, indicator: Indicator, contract: Contract, item: _Quartier, name: str) -> QuartierRow:
    quartier = item.territory
    if item.trend is None:
        assert item.level is not None
        first, last, change = item.level
        points = {p.period: p for p in obs.points(indicator.id, quartier.id)}
        family = obs.families[indicator.id]
        size = f"{format_signed(change, 1)}\u00a0%" if family.relative else format_difference(indicator, change, 1)
        return QuartierRow(
            quartier_link(quartier),
            f"{contract.id}-{quartier.id}",
            f"{first} → {last}",
            f"{_value(indicator, points[first])} → {_value(indicator, points[last])}",
            size,
            _level_move(indicator, family, change),
            "—",
            "—",
            "—",
            item.why,
            "",
            (),
        )
    trend = item.trend
    result = trend.evolution
    own = {p.period: p for p in obs.points(indicator.id, quartier.id)}
    unit = "\u00a0%" if trend.relative else ""
    level = (
        f"{format_signed(trend.level_change, 1)}\u00a0%"
        if trend.relative
        else format_difference(indicator, trend.level_change, 1)
    )
    return QuartierRow(
        quartier=quartier_link(quartier),
        anchor=f"{contract.id}-{quartier.id}",
        periods=f"{result.first_period} → {result.last_period}",
        levels=f"{_value(indicator, own[result.first_period])} → {_value(indicator, own[result.last_period])}",
        level_change=level,
        level_move=_level_word(indicator, trend.level_move),
        first_gap=f"{format_signed(trend.first_gap, 1)}{unit}" if trend.relative else _points(trend.first_gap),
        last_gap=f"{format_signed(trend.last_gap, 1)}{unit}" if trend.relative else _points(trend.last_gap),
        gap_change=_points(trend.gap_change),
        gap_move=trend.gap_move,
        nominal=_nominal(indicator, trend, name),
        notes=_breaks(obs, indicator, quartier, trend),
    )


def _level_word(indicator: Indicator, move: str) -> str:
    """An amount's level said in current euros: a rise is not an improvement once prices are counted."""
    if indicator.unit_code != "euro" or move == "stable":
        return move
    return ("en hausse" if move == "amélioré" else "en baisse") + " (euros courants)"


def _signed(value: float, suffix: str) -> str:
    return f"{format_signed(value, 1)}{suffix}"


def _value(indicator: Indicator, point) -> str:
    return format_value(indicator, point.value, point.precision)


def _points(value: float) -> str:
    return f"{format_signed(value, 1)}\u00a0{plural(abs(value), 'point')}"


def _nominal(indicator: Indicator, trend: Trend, name: str) -> str:
    """An amount's gaps in current euros, said when they read otherwise than the measured gap
    (they grow with prices even where the quartier caught up)."""
    if not trend.relative or indicator.unit_code != "euro":
        return ""
    first, last = trend.evolution.first_gap, trend.evolution.last_gap
    nominal = "creusé" if abs(last) > abs(first) else "réduit" if abs(last) < abs(first) else "stable"
    text = f"{format_number(first, 0)} € puis {format_number(last, 0)} € en euros courants"
    if nominal != _counted(trend):
        text += (
            f" : en euros courants l'écart paraît {nominal}, "
            f"mais rapporté au niveau {of_name(name)} il est {trend.gap_move}"
        )
    return text


def _breaks(obs: Observatory, indicator: Indicator, quartier: Territory, trend: Trend) -> tuple[str, ...]:
    """What a reader must know before reading the change: perimeters that differ."""
    notes = []
    if any(not link.same_perimeter for link in obs.referential.predecessors(quartier.id)):
        notes.append("série du quartier 2015, périmètre modifié en 2024")
    if not trend.evolution.same_geography:
        notes.append("le quartier change de périmètre entre les deux millésimes")
    periods = (trend.evolution.first_period, trend.evolution.last_period)
    epci_notes = {
        row.period: row.note for row in obs.rows_for(indicator.id, trend.evolution.reference) if row.period in periods
    }
    if len({bool(note) for note in epci_notes.values()}) > 1:
        notes.append("périmètre de l'intercommunalité différent entre les deux millésimes")
    return tuple(notes)


def _chart(
    indicator: Indicator, family: GapFamily | None, found: list[_Quartier], name: str, contract: Contract
) -> Chart:
    trends = sorted((item for item in found if item.trend), key=lambda item: -item.trend.last_gap)
    relative = bool(family and family.relative)
    suffix = "\u00a0%" if relative else ""
    rows = [
        Dumbbell(
            label=item.territory.name,
            first=item.trend.first_gap,
            last=item.trend.last_gap,
            text=f"écart {_signed(item.trend.first_gap, suffix)} puis {_signed(item.trend.last_gap, suffix)}"
            f" ({item.trend.gap_move})",
            move=item.trend.gap_move,
        )
        for item in trends
    ]
    axis = f"écart avec {name} ({'% de son niveau' if relative else 'points'})"
    title = f"{indicator.chart_label} : écart de chaque quartier avec {name}, au premier et au dernier millésime"
    summary = (
        f"Une ligne par quartier ({len(rows)}) : l'écart au premier millésime (rond vide) et au dernier (marque "
        "pleine : rond bleu si l'écart s'est réduit, losange orange s'il s'est creusé, carré gris s'il est stable, "
        f"triangle rose s'il s'est inversé) ; 0 = {name}. Les quartiers sont rangés de l'écart final le plus haut au "
        "plus bas."
    )
    spec = dumbbell_chart(title, axis, rows, suffix)
    return Chart(
        id=f"ecarts-{contract.id}-{indicator.id}", title=title, summary=summary, spec_json=to_script_json(spec)
    )


def _downloads(obs: Observatory, contracts: list[ContractCommittee], edition: Edition) -> dict[str, bytes]:
    header = [
        "contrat",
        "indicateur",
        "millésimes comparés",
        "période",
        "mesure de l'écart",
        "quartiers du contrat",
        "niveau : quartiers suivis",
        "niveau : amélioré ou en hausse",
        "niveau : dégradé ou en baisse",
        "niveau : stable",
        "écart : quartiers comparés",
        "écart : réduit",
        "écart : creusé",
        "écart : stable",
        "lecture",
    ]
    rows = []
    for contract in contracts:
        for row in contract.rows:
            level = row.level or Counts(0, 0, 0)
            gap = row.gap or Counts(0, 0, 0)
            rows.append(
                [
                    contract.short_name,
                    row.label,
                    row.periods,
                    row.contract_period,
                    row.measure,
                    row.quartiers,
                    level.total,
                    level.better,
                    level.worse,
                    level.stable,
                    gap.total,
                    gap.better,
                    gap.worse,
                    gap.stable,
                    row.verdict,
                ]
            )
    title = f"Synthèse du comité de pilotage — {obs.config.title}"
    return table_downloads(SUMMARY, title, header, rows, edition.date)
