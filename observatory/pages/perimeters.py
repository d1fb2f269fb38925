"""Beyond the quartiers: a page per périmètre d'attention, and a page per contract of the IRIS of
its intercommunality whose median income falls under the declared threshold.

In: the observatory (its périmètres, the Filosofi-by-IRIS figures, the commune, intercommunality,
département and quartier figures, the collèges' IPS) and the edition. Out: PerimeterView per
périmètre (`perimetres/<id>`), OutsideSectorsView per contract (`perimetres/secteurs-<contract>`),
their index, and the sectors' downloads (CSV, XLSX).

An IRIS is compared with itself across millésimes, and with another territory only in the same
millésime; an IRIS missing from one millésime's file is said, never joined to another by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.editions import Edition
from observatory.figures.observatory import Observatory
from observatory.inputs.catalog import Indicator
from observatory.inputs.perimeters import Perimeter
from observatory.inputs.territories import Territory
from observatory.model import FigureRow
from observatory.numbers import format_signed
from observatory.pages.downloads import table_downloads
from observatory.pages.quartier import IRIS_DOCUMENT
from observatory.pages.text import format_figure, of_name, plural, to_name

MEDIAN, POVERTY, IPS = "revenu-median-disponible-uc", "taux-pauvrete-60", "ips-college"
SMALL_COMMUNES = "2019"  # the 2019 file holds the IRIS of communes of 10 000 inhabitants or more only
FOLDER = "perimetres"


@dataclass(frozen=True)
class Cell:
    period: str  # its column's millésime (a phone shows it beside the value)
    text: str
    below: bool = False  # an IRIS median under the declared threshold


@dataclass(frozen=True)
class TableRow:
    name: str
    kind: str  # "IRIS", "commune", "intercommunalité", "département", "quartier prioritaire"
    cells: tuple[Cell, ...]  # one per millésime
    change: str  # first → last millésime of the table, where both are published
    source: str = ""  # the files of its figures (an IRIS's: the page's list of IRIS files)


@dataclass(frozen=True)
class MillesimeTable:
    """One indicator, IRIS and references in rows, millésimes in columns."""

    title: str
    caption: str
    periods: tuple[str, ...]
    change_label: str  # « Évolution 2019 → 2021 (en %) »
    rows: tuple[TableRow, ...]
    note: str


@dataclass(frozen=True)
class CollegeRow:
    name: str
    ips: str
    period: str


@dataclass(frozen=True)
class PerimeterView:
    name: str
    contract: str
    commune: str
    commune_note: str
    words: str
    basis: str
    confirmed_by: str
    summary: str  # what a resident reads first
    tables: tuple[MillesimeTable, ...]
    colleges: tuple[CollegeRow, ...]
    colleges_source: str
    sources: tuple[str, ...]
    threshold: str  # « inférieur au seuil de pauvreté de 2021 (…) »


@dataclass(frozen=True)
class PerimeterLink:
    id: str
    name: str
    commune: str
    iris_count: int
    confirmed: bool


@dataclass(frozen=True)
class SectorsLink:
    slug: str
    contract: str
    count: int


@dataclass(frozen=True)
class PerimetersIndexView:
    perimeters: tuple[PerimeterLink, ...]
    sectors: tuple[SectorsLink, ...]
    threshold: str


@dataclass(frozen=True)
class SectorRow:
    code: str
    name: str
    commune: str
    median: str
    poverty: str
    quartiers: str  # the commune's quartiers prioritaires, or « aucun » (the downloads)
    quartier_count: str  # « 3 quartiers », « aucun » (the page)


@dataclass(frozen=True)
class OutsideSectorsView:
    contract: str
    contract_name: str
    period: str
    threshold: str
    summary: str
    rows: tuple[SectorRow, ...]
    unpublished: int  # IRIS of the intercommunality without a published median
    source: str
    download: str


def _pick(rows: list[FigureRow], documents: frozenset[str]) -> FigureRow | None:
    """One figure of a territory and millésime: a producer's file first, then a document."""
    return next((r for r in rows if r.document in documents), rows[0] if rows else None)


def _figure(obs: Observatory, indicator: str, territory: str, period: str, iris: bool = False) -> FigureRow | None:
    rows = [r for r in obs.rows_for(indicator, territory) if r.period == period]
    if iris:
        rows = [r for r in rows if r.document == IRIS_DOCUMENT]
    return _pick(rows, obs.producer_documents)


def iris_periods(obs: Observatory) -> tuple[str, ...]:
    """The millésimes of the Filosofi-by-IRIS files, oldest first (read from the figures)."""
    rows = obs.figures_of(MEDIAN)
    dated = rows[(rows["document"] == IRIS_DOCUMENT) & rows["year"].notna()]
    return tuple(sorted(set(dated["period"])))


def _files(obs: Observatory) -> dict[str, str]:
    """Millésime → the IRIS file that gives it."""
    rows = [r for r in obs.rows_of_indicator(MEDIAN) if r.document == IRIS_DOCUMENT]
    return {r.period: r.location.split(",")[0] for r in rows}


def _change(obs: Observatory, indicator: Indicator, first: FigureRow | None, last: FigureRow | None) -> str:
    """A territory compared with itself, both figures from producers' files (a contract's figure is
    not set against a file's): euros in % of the first value, rates in points."""
    if not (first and last and first.status == "ok" and last.status == "ok" and first.value):
        return ""
    if not {first.document, last.document} <= obs.producer_documents:
        return ""
    if indicator.unit.gap_label == "€":
        return f"{format_signed((last.value - first.value) / first.value * 100, 1)}\u00a0%"
    difference = last.value - first.value
    return f"{format_signed(difference, 1)}\u00a0{plural(round(difference, 1), 'point')}"


def _absent(obs: Observatory, code: str, period: str) -> str:
    """Why an IRIS has no row in a millésime's file, as far as the file tells: its commune's other
    IRIS are there, or the whole commune is missing (the 2019 file keeps communes of 10 000+)."""
    commune = code[:5]
    present = any(
        r.territory.startswith(f"iris-{commune}") for r in obs.rows_of_indicator(MEDIAN) if r.period == period
    )
    if present:
        return f"IRIS absent du fichier {period} (les autres IRIS de la commune y figurent)"
    hint = " (commune de moins de 10 000 habitants ?)" if period == SMALL_COMMUNES else ""
    return f"IRIS absent du fichier {period}{hint}"


def absent_iris(obs: Observatory) -> list[str]:
    """Each declared IRIS that a millésime's IRIS file lacks, with the line of its périmètre."""
    files, found = _files(obs), []
    for perimeter in obs.perimeters:
        for code in perimeter.iris or ():
            for period in iris_periods(obs):
                if _figure(obs, MEDIAN, f"iris-{code}", period, iris=True) is None:
                    found.append(
                        f"{obs.config.perimeters}, ligne {perimeter.line} : périmètre « {perimeter.name} », "
                        f"{_absent(obs, code, period)} — {files.get(period, '')} : la page le dit, aucun "
                        "chiffre n'est pris à un autre IRIS."
                    )
    return found


def _iris_row(obs: Observatory, indicator: Indicator, code: str, periods: tuple[str, ...]) -> TableRow:
    territory = obs.territory(f"iris-{code}")
    threshold = obs.config.iris_threshold
    cells, figures = [], []
    for period in periods:
        figure = _figure(obs, indicator.id, territory.id, period, iris=True)
        figures.append(figure)
        if figure is None:
            cells.append(Cell(period, _absent(obs, code, period)))
            continue
        below = bool(indicator.id == MEDIAN and threshold and figure.status == "ok" and figure.value < threshold.value)
        cells.append(Cell(period, format_figure(indicator, figure), below))
    return TableRow(
        f"{territory.short_name or territory.name} ({code})",
        "IRIS",
        tuple(cells),
        _change(obs, indicator, figures[0], figures[-1]),
    )


def _reference_row(obs: Observatory, indicator: Indicator, territory: Territory, kind: str, periods) -> TableRow:
    figures = [_figure(obs, indicator.id, territory.id, period) for period in periods]
    pairs = zip(periods, figures, strict=True)
    cells = tuple(Cell(period, format_figure(indicator, f) if f else "non disponible") for period, f in pairs)
    shown = sorted({f"{f.producer} ({f.location.split(',')[0]})" for f in figures if f is not None})
    return TableRow(territory.name, kind, cells, _change(obs, indicator, figures[0], figures[-1]), " ; ".join(shown))


def _quartiers(obs: Observatory, perimeter: Perimeter) -> list[Territory]:
    if perimeter.quartiers:
        return [obs.territory(code) for code in perimeter.quartiers]
    return [q for q in obs.quartiers() if perimeter.commune in q.communes]


def _epci(obs: Observatory, contract_id: str) -> Territory | None:
    contract = next(c for c in obs.config.contracts if c.id == contract_id)
    found = next((obs.referential.resolve(f"epci-{siren}") for siren in contract.epci), None)
    return obs.territory(found) if found else None


def _table(obs: Observatory, indicator: Indicator, perimeter: Perimeter, periods: tuple[str, ...]) -> MillesimeTable:
    codes = perimeter.iris_codes(obs.referential)
    rows = [_iris_row(obs, indicator, code, periods) for code in codes]
    commune = obs.territory(f"com-{perimeter.commune}")
    rows.append(_reference_row(obs, indicator, commune, "commune", periods))
    epci = _epci(obs, perimeter.contract)
    if epci is not None:
        rows.append(_reference_row(obs, indicator, epci, "intercommunalité", periods))
    departement = obs.referential.territories.get(f"dep-{perimeter.commune[:2]}")
    if departement is not None:
        rows.append(_reference_row(obs, indicator, departement, "département", periods))
    rows += [_reference_row(obs, indicator, q, "quartier prioritaire", periods) for q in _quartiers(obs, perimeter)]
    unit = "en %" if indicator.unit.gap_label == "€" else "en points"
    change_label = f"Évolution {periods[0]} → {periods[-1]} ({unit})"
    note = (
        "L'évolution d'un montant en euros est donnée en pour cent de sa première valeur (les prix et les revenus "
        "de tous montent) ; celle d'un taux, en points. Un IRIS n'est comparé qu'à lui-même d'un millésime à "
        "l'autre, et aux autres territoires dans le même millésime seulement (même colonne)."
    )
    return MillesimeTable(
        title=indicator.chart_label,
        caption=f"{indicator.label} — {perimeter.name}, par millésime",
        periods=periods,
        change_label=change_label,
        rows=tuple(rows),
        note=note,
    )


def _summary(obs: Observatory, perimeter: Perimeter, periods: tuple[str, ...]) -> str:
    """« 1 IRIS ; en 2021, son revenu médian (18 230 €) est … ; Armentières : 18 920 €. »"""
    median = obs.catalog[MEDIAN]
    codes = perimeter.iris_codes(obs.referential)
    last = periods[-1]
    figures = [_figure(obs, MEDIAN, f"iris-{code}", last, iris=True) for code in codes]
    published = [f for f in figures if f is not None and f.status == "ok"]
    commune = obs.territory(f"com-{perimeter.commune}")
    town = _figure(obs, MEDIAN, commune.id, last)
    town_text = f" ; celui {of_name(commune.name)} : {format_figure(median, town)}" if town else ""
    threshold = obs.config.iris_threshold
    count = f"{len(codes)} IRIS" if len(codes) > 1 else "1 IRIS"
    if not published:
        return f"{count} ; aucun revenu médian publié par l'Insee pour {last}."
    low = min(published, key=lambda f: f.value)
    high = max(published, key=lambda f: f.value)
    if low is high:
        head = f"{count} : revenu disponible médian de {format_figure(median, low)} en {last}"
    else:
        head = (
            f"{count} : revenu disponible médian de {format_figure(median, low)} à {format_figure(median, high)} "
            f"en {last} selon l'IRIS"
        )
    tail = ""
    if threshold:
        below = sum(f.value < threshold.value for f in published)
        tail = (
            f" ; {below} sur {len(published)} sous {threshold.label}" if below else f" ; aucun sous {threshold.label}"
        )
    return head + town_text + tail + "."


def _colleges(obs: Observatory, commune: str) -> tuple[tuple[CollegeRow, ...], str]:
    indicator = obs.catalog.get(IPS)
    if indicator is None:
        return (), ""
    rows, sources = [], set()
    for territory in sorted(obs.referential.territories.values(), key=lambda t: t.name):
        if territory.kind != "college" or territory.communes != (commune,):
            continue
        figures = [r for r in obs.rows_for(IPS, territory.id) if r.document in obs.producer_documents]
        if not figures:
            continue
        figure = max(figures, key=lambda r: r.period)
        rows.append((figure.value, CollegeRow(territory.name, format_figure(indicator, figure), figure.period)))
        sources.add(f"{figure.producer} ({figure.location.split(',')[0]})")
    rows.sort(key=lambda item: (item[0], item[1].name))
    return tuple(row for _, row in rows), " ; ".join(sorted(sources))


def _sources(obs: Observatory, perimeter: Perimeter) -> tuple[str, ...]:
    found = set()
    for code in perimeter.iris_codes(obs.referential):
        for indicator in (MEDIAN, POVERTY):
            for r in obs.rows_for(indicator, f"iris-{code}"):
                if r.document == IRIS_DOCUMENT:
                    found.add(f"{r.producer} ({r.location.split(',')[0]})")
    return tuple(sorted(found))


def build_perimeter_view(obs: Observatory, perimeter: Perimeter) -> PerimeterView:
    periods = iris_periods(obs)
    contract = next(c for c in obs.config.contracts if c.id == perimeter.contract)
    colleges, colleges_source = _colleges(obs, perimeter.commune)
    return PerimeterView(
        name=perimeter.name,
        contract=contract.short_name,
        commune=obs.territory(f"com-{perimeter.commune}").name,
        commune_note=perimeter.commune_note,
        words=perimeter.words,
        basis=perimeter.basis,
        confirmed_by=perimeter.confirmed_by,
        summary=_summary(obs, perimeter, periods) if periods else "",
        tables=tuple(_table(obs, obs.catalog[i], perimeter, periods) for i in (MEDIAN, POVERTY)) if periods else (),
        colleges=colleges,
        colleges_source=colleges_source,
        sources=_sources(obs, perimeter),
        threshold=f"inférieur {to_name(obs.config.iris_threshold.label)}" if obs.config.iris_threshold else "",
    )


def _sectors(obs: Observatory, contract_id: str, period: str) -> tuple[list[SectorRow], int, set[str]]:
    """The IRIS of the contract's intercommunality under the threshold in `period`, lowest first."""
    epci = _epci(obs, contract_id)
    threshold = obs.config.iris_threshold
    median, poverty = obs.catalog[MEDIAN], obs.catalog[POVERTY]
    found, unpublished, sources = [], 0, set()
    siren = epci.id.removeprefix("epci-") if epci else ""
    for territory in obs.referential.territories.values():
        if territory.kind != "iris" or siren not in territory.epcis:
            continue
        figure = _figure(obs, MEDIAN, territory.id, period, iris=True)
        if figure is None:
            continue
        if figure.status != "ok":
            unpublished += 1
            continue
        if threshold is None or figure.value >= threshold.value:
            continue
        sources.add(f"{figure.producer} ({figure.location.split(',')[0]})")
        rate = _figure(obs, POVERTY, territory.id, period, iris=True)
        quartiers = [q.name for q in obs.quartiers() if territory.communes[0] in q.communes]
        found.append(
            (
                figure.value,
                territory.id,
                SectorRow(
                    code=territory.id.removeprefix("iris-"),
                    name=territory.short_name or territory.name,
                    commune=territory.commune_names[0],
                    median=format_figure(median, figure),
                    poverty=format_figure(poverty, rate) if rate else "non disponible",
                    quartiers=", ".join(quartiers) or "aucun",
                    quartier_count=f"{len(quartiers)} quartier{'s' * (len(quartiers) > 1)}" if quartiers else "aucun",
                ),
            )
        )
    found.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in found], unpublished, sources


def build_sectors(obs: Observatory, edition: Edition) -> tuple[dict[str, OutsideSectorsView], dict[str, bytes]]:
    """Per contract, its IRIS under the threshold: the page and its downloads."""
    periods = iris_periods(obs)
    if not periods or obs.config.iris_threshold is None:
        return {}, {}
    period, threshold = periods[-1], obs.config.iris_threshold
    views, files = {}, {}
    for contract in obs.config.contracts:
        if _epci(obs, contract.id) is None:
            continue
        rows, unpublished, sources = _sectors(obs, contract.id, period)
        slug = f"secteurs-{contract.id}"
        download = f"{FOLDER}/{slug}"
        summary = (
            f"{len(rows)} secteur{'s' * (len(rows) > 1)} (IRIS) des communes de la {contract.short_name} "
            f"{'ont' if len(rows) > 1 else 'a'} un revenu disponible médian inférieur {to_name(threshold.label)} "
            f"en {period}."
        )
        views[slug] = OutsideSectorsView(
            contract=contract.short_name,
            contract_name=contract.name,
            period=period,
            threshold=threshold.reason,
            summary=summary,
            rows=tuple(rows),
            unpublished=unpublished,
            source=" ; ".join(sorted(sources)),
            download=download,
        )
        header = [
            "IRIS",
            "Nom de l'IRIS",
            "Commune",
            f"Revenu disponible médian {period}",
            f"Taux de pauvreté {period}",
            "Quartiers prioritaires de la commune",
        ]
        body = [[r.code, r.name, r.commune, r.median, r.poverty, r.quartiers] for r in rows]
        title = f"IRIS de la {contract.short_name} sous {threshold.label}, Filosofi {period}"
        files.update(table_downloads(download, title, header, body, edition.date))
    return views, files


def build_perimeters_index(
    obs: Observatory, perimeters: tuple[Perimeter, ...], sectors: dict[str, OutsideSectorsView]
) -> PerimetersIndexView:
    links = tuple(
        PerimeterLink(
            id=p.id,
            name=p.name,
            commune=obs.territory(f"com-{p.commune}").name,
            iris_count=len(p.iris_codes(obs.referential)),
            confirmed=bool(p.confirmed_by),
        )
        for p in perimeters
    )
    return PerimetersIndexView(
        perimeters=links,
        sectors=tuple(SectorsLink(slug, view.contract, len(view.rows)) for slug, view in sectors.items()),
        threshold=obs.config.iris_threshold.label if obs.config.iris_threshold else "",
    )
