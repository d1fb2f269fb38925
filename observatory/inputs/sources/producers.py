"""Producers' files (ANCT, Insee, DEPP…) read through their declared mappings → tidy figures.

Every row read is either used or reported: aggregate rows, territories outside the observatory,
column groups whose millésime is not documented, rows in error. The accounting says so per file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pandas as pd

from observatory import collector
from observatory.errors import Problem
from observatory.inputs.catalog import Indicator
from observatory.inputs.data_folder import walk
from observatory.inputs.sources.census import IN_ERROR, OUTSIDE, read_commune_counts
from observatory.inputs.sources.mappings import Group, Mapping
from observatory.inputs.sources.tabular import (
    Column,
    FirstSeen,
    Row,
    Table,
    number_problem,
    parse_cell,
    read_table,
    repeated_row,
)
from observatory.inputs.territories import Referential
from observatory.model import FIGURE_COLUMNS, Unit
from observatory.numbers import format_number, parse_year
from observatory.timing import timed

if TYPE_CHECKING:
    from observatory.inputs.read_cache import ReadCache

QP_CODE = re.compile(r"QP[0-9][0-9AB]{2}[0-9]{3}")  # QP + département (059, 02A, 971) + number


@dataclass
class Accounting:
    """Rows read = rows used + rows reported, per file."""

    file: str
    mapping: str
    read: int = 0
    used: int = 0
    reported: Counter = field(default_factory=Counter)
    figures: int = 0  # figures contributed to the observatory
    warnings: list[str] = field(default_factory=list)  # what a person should know (incomplete sums…)
    role: str = ""  # why a file contributes no figure by design (commune → EPCI table, labels)
    territories: frozenset[str] = frozenset()  # territories the file gives figures for

    @property
    def balanced(self) -> bool:
        return self.read == self.used + sum(self.reported.values())

    def count(self, reason: str) -> None:
        """One row read: used when there is no reason, else reported with its reason."""
        if reason:
            self.reported[reason] += 1
        else:
            self.used += 1


UNDOCUMENTED = "millésime non documenté : non repris"
OUTSIDE_2024 = "quartier 2024 hors de l'observatoire"


@dataclass(frozen=True)
class ProducerFile:
    """One producer file and what it is read with: its mapping, the match of its name against the
    mapping's pattern (kind, edition), the observatory's territories and indicators."""

    path: Path
    mapping: Mapping
    match: re.Match
    referential: Referential
    catalog: dict[str, Indicator]

    @property
    def edition(self) -> str:
        return self.match.groupdict().get("edition") or "*"

    def read_table(self) -> tuple[Table | None, list[Problem]]:
        mapping = self.mapping
        return read_table(self.path, mapping.code_columns, mapping.encoding, mapping.delimiter)


class Target(NamedTuple):
    """A territory a row gives figures for, with what a reader must know about it."""

    territory: str
    note: str = ""  # the 2015 → 2024 link, an alias's perimeter
    geography: str = ""  # perimeter of a quartier figure (model.GEOGRAPHIES)
    place: str = ""  # where in the file, when not one row: « somme des 90 communes de la table EPCI.csv »


@timed("validate")
def read_producer_file(
    path: Path,
    mapping: Mapping,
    match: re.Match,
    referential: Referential,
    catalog: dict[str, Indicator],
) -> tuple[pd.DataFrame, list[Problem], Accounting]:
    """One file, read by the reader of its mapping's kind (observatory.inputs.sources.READERS)."""
    from observatory.inputs.sources import READERS  # the registry imports this module's readers

    accounting = Accounting(file=path.name, mapping=mapping.id)
    source = ProducerFile(path, mapping, match, referential, catalog)
    frame, problems = READERS[mapping.kind].read(source, accounting)
    accounting.figures = len(frame)
    undivided = int(frame["note"].str.contains(NOTHING_TO_DIVIDE, regex=False).sum()) if len(frame) else 0
    if undivided:
        accounting.warnings.append(
            f"{undivided} part(s) calculée(s) non disponible(s) : effectif du dénominateur à 0 dans le fichier, "
            "rien à diviser (voir la note de chaque chiffre)"
        )
    return frame, problems, accounting


def _declared_groups(source: ProducerFile) -> tuple[tuple[Group, ...] | None, list[Problem]]:
    """The column groups the mapping declares for the file's kind and edition, or the problem."""
    groups = source.mapping.groups_for(source.match)
    if groups is not None:
        return groups, []
    problem = Problem(
        file=str(source.path),
        expected=f"une édition déclarée dans {source.mapping.path.name}",
        found=f"édition {source.edition}",
        hint="Ajoutez l'édition et ses colonnes à la table de correspondance.",
    )
    return None, [problem]


@dataclass(frozen=True)
class _Layout:
    """How the rows of a table are read: its code column and kind of code, the columns that hold
    the period of long tables (one row per territory and period), the declared groups."""

    code_column: str
    code_kind: str
    period_columns: tuple[str, ...]
    groups: tuple[Group, ...]

    def key(self, code: str, row: Row) -> str:
        """What a row gives figures for: its code, and its period in a long table."""
        return " ".join([code, *(str(row.cells[column]) for column in self.period_columns)])


def read_rows(source: ProducerFile, accounting: Accounting) -> tuple[pd.DataFrame, list[Problem]]:
    """A table of one row per territory (per territory and period in a long table): the figures
    of the observatory's territories; every other row is counted with the reason it is not used."""
    groups, problems = _declared_groups(source)
    if groups is None:
        return _empty(), problems
    table, problems = source.read_table()
    if table is None:
        return _empty(), problems
    layout = _Layout(
        code_column=next(name for name in source.mapping.code_columns if name in table.header),
        code_kind=source.mapping.code_kind(source.match),
        period_columns=tuple(dict.fromkeys(g.period_column for g in groups if g.period_column)),
        groups=groups,
    )
    missing = _missing_columns(source, table, layout)
    if missing:
        return _empty(), problems + missing
    records: list[dict] = []
    seen = FirstSeen()
    codes: dict[str, tuple[str, int]] = {}  # a territory (and period) → the code and row it was first read under
    accounting.read = len(table.rows)
    for number, cells in table.rows:
        row = Row(number, dict(zip(table.header, cells, strict=True)))
        found, row_problems, reason = _row(source, row, layout, seen, codes)
        problems += row_problems
        records += found
        accounting.count(reason)
    frame = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS) if records else _empty()
    accounting.territories = frozenset(frame["territory"])
    return frame, problems


def _missing_columns(source: ProducerFile, table: Table, layout: _Layout) -> list[Problem]:
    needed = [layout.code_column, *(c for g in layout.groups for c in g.needed_columns())]
    declared = f"déclarée pour l'édition {source.edition} dans {source.mapping.path.name}"
    return [
        Column(source.path, name).problem(1, f"la colonne '{name}' {declared}", "absente")
        for name in dict.fromkeys(needed)
        if name not in table.header
    ]


def _row(
    source: ProducerFile, row: Row, layout: _Layout, seen: FirstSeen, codes: dict[str, tuple[str, int]]
) -> tuple[list[dict], list[Problem], str]:
    """The figures of one row, its problems, and why it is not used ("" when it is). `codes`: the
    code and row each territory was first read under in the file."""
    code = str(row.cells[layout.code_column] or "").strip()
    key = layout.key(code, row)
    first = seen.earlier(key, row.number)
    if first is not None:
        column = Column(source.path, layout.code_column)
        return [], [repeated_row(column, row.number, key, first, by_period=bool(layout.period_columns))], IN_ERROR
    targets, problem = _row_targets(source, layout, code, row.number)
    if problem is not None:
        return [], [problem], IN_ERROR
    if not targets:
        return [], [], OUTSIDE
    if layout.code_kind != "qp2015":  # several 2015 quartiers may rightly lead to one 2024 quartier
        problem = _second_code(source, row, layout, code, targets, codes)
        if problem is not None:
            return [], [problem], IN_ERROR
    # every group is checked; only groups whose millésime is documented are published
    records: list[dict] = []
    problems: list[Problem] = []
    for target in targets:  # the same cells for each territory: the same problems, said once
        found, problems = _figures(source, row, layout.groups, target)
        records += found
    if problems:
        return [], problems, IN_ERROR
    published = [record for record in records if record["period"] is not None]
    return published, [], "" if published else UNDOCUMENTED


def _second_code(
    source: ProducerFile,
    row: Row,
    layout: _Layout,
    code: str,
    targets: list[Target],
    codes: dict[str, tuple[str, int]],
) -> Problem | None:
    """The problem of a row giving figures to a territory an earlier row of the file gave them to
    under another code (the MEL under its two EPCI codes): two figures for one territory."""
    for target in targets:
        key = layout.key(target.territory, row)
        first_code, first_row = codes.setdefault(key, (code, row.number))
        if first_code != code:
            problem = Column(source.path, layout.code_column).problem(
                row.number,
                "un territoire sous un seul code dans un fichier",
                f"{code}, code de {target.territory} déjà lu sous {first_code} à la ligne {first_row}",
            )
            hint = (
                "Ces deux lignes donneraient deux chiffres au même territoire : gardez la ligne du code que le "
                "fichier emploie pour ses autres territoires et retirez l'autre (ou corrigez les alias de "
                "data/referential/territories.csv)."
            )
            return replace(problem, hint=hint)
    return None


def _row_targets(source: ProducerFile, layout: _Layout, code: str, number: int) -> tuple[list[Target], Problem | None]:
    """The territories a row's code gives figures for (none: outside the observatory), or the
    problem of a code that is not one."""
    aggregates = source.mapping.aggregates
    if code in aggregates:
        aggregate = source.referential.resolve(aggregates[code])
        return ([Target(aggregate)] if aggregate else []), None
    if layout.code_kind == "qp2015" and not QP_CODE.fullmatch(code):
        expected = "un code de quartier 2015 (QP, département sur 3 caractères, 3 chiffres)"
        return [], Column(source.path, layout.code_column).problem(number, expected, code)
    return _targets(layout.code_kind, code, source.referential), None


def _normalise(kind: str, code: str) -> str:
    if kind == "departement" and len(code) == 3 and code.startswith("0"):
        return code[1:]  # DEPP writes 059 for the Nord
    return code


def _targets(kind: str, code: str, referential: Referential) -> list[Target]:
    """Each territory a producer code gives figures for: none when it is outside the observatory,
    several for a 2015 quartier split over 2024 quartiers."""
    if kind == "qp2015":
        return [Target(*target) for target in referential.targets(code)]
    if kind == "metro":
        return [Target("fr-metro")] if code in {"1", "FRM", "FM"} else []
    prefixes = {"commune": "com", "epci": "epci", "departement": "dep", "region": "reg", "uai": "uai", "iris": "iris"}
    prefix = prefixes.get(kind)
    territory, note = referential.resolve_noted(f"{prefix}-{_normalise(kind, code)}")
    return [Target(territory, note)] if territory else []


def read_counts(source: ProducerFile, accounting: Accounting) -> tuple[pd.DataFrame, list[Problem]]:
    """Counts by commune, summed to EPCI, département and région (observatory/inputs/sources/census.py)."""
    groups, problems = _declared_groups(source)
    if groups is None:
        return _empty(), problems

    def row_figures(row: Row, groups: list[Group], territory: str, note: str = "", place: str = ""):
        return _figures(source, row, groups, Target(territory, note, "", place))

    return read_commune_counts(source, groups, row_figures, accounting)


ROLES = {
    "geography": "table de passage commune → EPCI, lue avec les effectifs du recensement qu'elle agrège",
    "metadata": "libellés des variables d'un autre fichier : aucun chiffre",
    "correspondence": (
        "correspondance officielle 2024 → 2015 : les séries 2015 passent aux quartiers 2024 par ses liens"
    ),
}


def _recognised(source: ProducerFile, accounting: Accounting) -> tuple[Table | None, list[Problem]]:
    """A file recognised for what it is (ROLES): its table, its role said; no figure by itself."""
    table, problems = source.read_table()
    accounting.role = ROLES[source.mapping.kind]
    if table is not None:
        accounting.read = len(table.rows)
    return table, problems


def read_commune_table(source: ProducerFile, accounting: Accounting) -> tuple[pd.DataFrame, list[Problem]]:
    """The commune → EPCI table: every row is used, by the census sums that read it."""
    table, problems = _recognised(source, accounting)
    if table is not None:
        accounting.used = len(table.rows)
    return _empty(), problems


def read_labels(source: ProducerFile, accounting: Accounting) -> tuple[pd.DataFrame, list[Problem]]:
    """Labels of another file's variables: every row is reported as such."""
    table, problems = _recognised(source, accounting)
    if table is not None:
        accounting.reported[ROLES["metadata"]] = len(table.rows)
    return _empty(), problems


def read_links(source: ProducerFile, accounting: Accounting) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of the official correspondence: used for the configured 2024 quartiers (the links are
    made from it before any figure is read, observatory/figures/correspondence.py), reported otherwise."""
    table, problems = _recognised(source, accounting)
    if table is not None:
        column = table.header.index("qp2024")
        for _, cells in table.rows:
            accounting.count("" if str(cells[column]) in source.referential.territories else OUTSIDE_2024)
    return _empty(), problems


def _figures(
    source: ProducerFile, row: Row, groups: Sequence[Group], target: Target
) -> tuple[list[dict], list[Problem]]:
    """The figures one row gives one territory, and the problems of its cells."""
    reading = _RowReading(source, row, target)
    records = [record for group in groups for record in reading.figures(group)]
    return records, list(dict.fromkeys(reading.problems))  # a denominator of several shares: said once


Parsed = tuple[float, int, str]  # (value, decimals, status) of a cell


@dataclass
class _RowReading:
    """One row of a producer's file read for one territory: each cell parsed once, the shares the
    observatory computes with the counts they come from, the problems of the cells."""

    source: ProducerFile
    row: Row
    target: Target
    problems: list[Problem] = field(default_factory=list)
    parsed: dict[str, Parsed] = field(default_factory=dict)
    ratio_notes: dict[str, str] = field(default_factory=dict)

    def value_of(self, column: str) -> Parsed | None:
        """A cell as a number, a producer's token or an empty cell; None (and a problem) for text."""
        if column not in self.parsed:
            decimal = self.source.mapping.decimal
            try:
                self.parsed[column] = parse_cell(self.row.cells[column], decimal)
            except ValueError:
                cell = self.row.cells[column]
                self.problems.append(number_problem(self.source.path, self.row.number, column, cell, decimal))
                return None
        return self.parsed[column]

    def figures(self, group: Group) -> list[dict]:
        """The figures of one group of columns. An empty cell is secret only where the producer's
        quality flag says so; a value outside its unit's bounds is a problem, not a figure."""
        flag = str(self.row.cells[group.flag] or "").strip() if group.flag else ""
        flagged = flag not in ("", "0", "so")  # so: sans objet (Insee's IRIS files), no note applies
        items = [
            (indicator, self.value_of(name), Column(self.source.path, name))
            for name, indicator in group.columns.items()
        ]
        items += [self.ratio(group, indicator, *ratio) for indicator, ratio in group.ratios.items()]
        records = []
        for indicator, result, column in items:
            if result is None:
                continue
            value, decimals, status = result
            if not status:
                status = "secret" if flagged else "non_disponible"
            if status == "ok" and self.out_of_bounds(self.source.catalog[indicator].unit, value, column):
                continue
            quality = _quality(group.flag, flag, status) if flagged else ""
            records.append(self.record(group, indicator, (value, decimals, status), column, quality))
        return records

    def out_of_bounds(self, unit: Unit, value: float, column: Column) -> bool:
        """A rate outside 0–100 or a negative count: a problem of its cell."""
        if not ((unit.bounded and not 0 <= value <= 100) or (unit.non_negative and value < 0)):
            return False
        expected = "un taux entre 0 et 100" if unit.bounded else "un nombre positif ou nul"
        self.problems.append(column.problem(self.row.number, expected, self.row.cells.get(column.name, value)))
        return True

    def record(self, group: Group, indicator: str, parsed: Parsed, column: Column, quality: str) -> dict:
        value, decimals, status = parsed
        period = str(self.row.cells[group.period_column]).strip() if group.period_column else group.period
        target = self.target
        where = f"{target.place} ; {column}" if target.place else str(column)
        return {
            "territory": target.territory,
            "indicator": indicator,
            "period": period,
            "year": parse_year(period) if period and group.dated else None,
            "value": value if status == "ok" else math.nan,
            "precision": decimals,
            "qualifier": "",
            "statistic": "value",
            "status": status,
            "producer": group.producer,
            "document": self.source.mapping.id,
            "location": f"{self.source.path.name}, {where}",
            "geography": target.geography,
            "note": " ".join(part for part in (target.note, self.ratio_notes.get(indicator, ""), quality) if part),
            "file": str(self.source.path),
            "row": self.row.number,
        }

    def ratio(self, group: Group, indicator: str, terms: tuple[str, ...], denominator: str):
        """A share computed by the observatory from two counts of the same row (× 100)."""
        top, bottom = combine_terms(terms, self.value_of), self.value_of(denominator)
        formula = " ".join(
            t if i == 0 else ("− " + t[1:] if t.startswith("-") else "+ " + t) for i, t in enumerate(terms)
        )
        formula = f"({formula})" if len(terms) > 1 else formula
        if top is None or bottom is None:
            return indicator, None, Column(self.source.path, "", computed=True)
        if bottom[2] == "ok" and (bottom[0] < 0 or (bottom[0] == 0 and top[2] == "ok" and top[0] != 0)):
            self.problems.append(self.denominator_problem(denominator, negative=bottom[0] < 0))
            return indicator, None, Column(self.source.path, "", computed=True)
        if top[2] == "ok" and bottom[2] == "ok" and bottom[0] == 0:  # 0 out of 0: no share to give
            self.ratio_notes[indicator] = _undivided_note(group, self.source.catalog, denominator)
            shown = Column(self.source.path, f"{formula} / {denominator}", computed=True)
            return indicator, (math.nan, 0, "non_disponible"), shown
        if top[2] == "ok" and bottom[2] == "ok":
            if len(terms) == 1:
                counts = ((terms[0], top[0]), (denominator, bottom[0]))
                self.ratio_notes[indicator] = _ratio_note(group, self.source.catalog, *counts)
            computed = f"calculé par l'observatoire : {formula} / {denominator} × 100"
            return indicator, (100 * top[0] / bottom[0], 1, "ok"), Column(self.source.path, computed, computed=True)
        status = top[2] if top[2] != "ok" else bottom[2] or ""
        return indicator, (math.nan, 0, status), Column(self.source.path, f"{formula} / {denominator}", computed=True)

    def denominator_problem(self, denominator: str, negative: bool) -> Problem:
        """The denominator's cell of a share that cannot be computed: a negative count, or 0 under
        a numerator that is not (a part of nothing)."""
        if negative:
            return Column(self.source.path, denominator).problem(
                self.row.number, "un nombre positif ou nul", self.row.cells[denominator]
            )
        problem = Column(self.source.path, denominator).problem(
            self.row.number, "un effectif non nul, dénominateur d'une part calculée", self.row.cells[denominator]
        )
        hint = (
            "Le numérateur de la part n'est pas nul : une part de quelque chose sur 0 n'existe pas. Corrigez "
            "l'effectif, ou laissez la cellule vide s'il n'est pas connu."
        )
        return replace(problem, hint=hint)


#: The start of the note of a share whose producer's denominator is 0 (and its numerator too).
NOTHING_TO_DIVIDE = "Part non calculable"


def _undivided_note(group: Group, catalog: dict[str, Indicator], denominator: str) -> str:
    """« Part non calculable : allocataires de la CAF : 0 (colonne A), rien à diviser. »"""
    indicator = catalog.get(group.columns.get(denominator, ""))
    name = (indicator.short_label or indicator.label) if indicator else "l'effectif"
    return f"{NOTHING_TO_DIVIDE} : {name[:1].lower() + name[1:]} : 0 (colonne {denominator}), rien à diviser."


def _quality(column: str | None, flag: str, status: str) -> str:
    """The producer's quality flag, said next to the figure it qualifies."""
    if status == "ok":
        return f"Indicateur de qualité {column} = {flag} : chiffre jugé fragile par le producteur."
    return f"Indicateur de qualité {column} = {flag} : cellule vide, le producteur ne diffuse pas ce chiffre."


def combine_terms(terms: tuple[str, ...], value_of) -> Parsed | None:
    """A sum of columns, a leading '-' subtracting one (actifs − chômeurs): (value, 0, status)."""
    total = 0.0
    for term in terms:
        parsed = value_of(term.lstrip("-"))
        if parsed is None:
            return None
        if parsed[2] != "ok":
            return parsed
        total += -parsed[0] if term.startswith("-") else parsed[0]
    return total, 0, "ok"


def _ratio_note(group: Group, catalog: dict[str, Indicator], *terms: tuple[str, float]) -> str:
    """A share with its counts, named: « Allocataires du RSA socle : 393 ; allocataires de la CAF : 1 489. »"""
    parts = []
    for column, value in terms:
        indicator = catalog.get(group.columns.get(column, ""))
        name = (indicator.short_label or indicator.label) if indicator else f"colonne {column}"
        parts.append(f"{name[:1].lower() + name[1:]} : {format_number(value)}")
    text = " ; ".join(parts)
    return text[0].upper() + text[1:] + " (même fichier, même date)."


def read_producers(
    data_dir: Path,
    mappings: list[Mapping],
    referential: Referential,
    catalog: dict[str, Indicator],
    cache: ReadCache | None = None,
) -> tuple[pd.DataFrame, list[Problem], list[Accounting], list[str]]:
    """Read every producer file below data_dir (or that one file); unrecognised files are listed,
    never silently skipped. With a cache, a file read before with the same bytes is not read again.
    The figures are every file's, in the files' order: one published identically by two files is
    there twice (merge_republished keeps it once, for the files of a build or of an edition)."""
    frames, accounts, unknown = [], [], []
    files, problems = [data_dir], []
    if not data_dir.is_file():
        files, problems = producer_files(data_dir, mappings)
    for path in files:
        for mapping in mappings:
            match = mapping.match(path.name)
            if match:
                depends = tuple(path.parent / name for name in sorted(set(mapping.geography.values())))
                result = cache.get(path, mapping.path, depends) if cache else None
                if result is None:
                    result = read_producer_file(path, mapping, match, referential, catalog)
                    if cache:
                        cache.put(path, mapping.path, result, depends)
                frame, found, accounting = result
                frames.append(frame)
                problems += found
                accounts.append(accounting)
                break
        else:
            unknown.append(str(path))
    if cache:
        cache.prune()
    frames = [f for f in frames if not f.empty]
    figures = pd.concat(frames, ignore_index=True) if frames else _empty()
    return figures, problems, accounts, unknown


READ_SUFFIXES = {".csv", ".xlsx"}


def producer_files(data_dir: Path, mappings: list[Mapping]) -> tuple[list[Path], list[Problem]]:
    """The files to read below data_dir, and the problems of the folder: an entry named like a
    producer file that is not a regular file (a folder, a symlink loop), two files of one name."""
    files, others = walk(data_dir)
    problems = [
        Problem(
            file=str(entry.path),
            expected="un fichier lisible",
            found=entry.found,
            hint="Ce nom est celui d'un fichier des producteurs, qui ne serait pas lu : mettez le fichier "
            "lui-même à sa place, ou renommez ce dossier ou ce lien.",
        )
        for entry in others
        if entry.path.suffix.lower() in READ_SUFFIXES or any(mapping.match(entry.path.name) for mapping in mappings)
    ]
    files = [path for path in files if path.suffix.lower() in READ_SUFFIXES and path.name != "MANIFEST.csv"]
    first: dict[str, Path] = {}
    for path in files:
        earlier = first.setdefault(path.name, path)
        if earlier != path:
            problems.append(
                Problem(
                    file=str(path),
                    expected=f"un seul fichier nommé {path.name} sous {data_dir}",
                    found=f"un autre exemplaire : {earlier}",
                    hint="Les deux seraient lus et leurs chiffres publiés deux fois : gardez un seul exemplaire "
                    "(déplacez l'autre hors du dossier des producteurs).",
                )
            )
    return files, problems


@timed("validate")
def merge_republished(figures: pd.DataFrame) -> pd.DataFrame:
    """One figure published identically in two files (ANCT and Insee) is kept once, citing both."""
    if figures.empty:
        return figures
    columns = [figures[name].fillna("\0").tolist() for name in ("territory", "indicator", "period", "status")]
    columns.append(figures["value"].round(6).fillna(-1).tolist())
    first: dict[tuple, int] = {}  # a figure's key → its first row
    others: dict[int, list[str]] = {}  # first row → where the same figure is published again
    keys = zip(*columns, strict=True)
    with collector.paused():
        for position, (key, location) in enumerate(zip(keys, figures["location"].tolist(), strict=True)):
            head = first.setdefault(key, position)
            if head != position:
                others.setdefault(head, []).append(location)
    notes = figures["note"].tolist()
    for head, locations in others.items():
        notes[head] = (notes[head] + " Chiffre identique dans : " + " ; ".join(locations) + ".").strip()
    kept = sorted(first.values())
    return figures.assign(note=notes).iloc[kept].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FIGURE_COLUMNS)
