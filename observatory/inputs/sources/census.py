"""Census counts by commune → communes, and sums to EPCI, département and région.

Insee's "comparateur de territoires" gives counts per commune (population, 15-64 year-olds,
actifs, chômeurs). The EPCI, département and région figures are sums of those counts over the
communes of a commune → EPCI table of the same geography year (declared per edition), and rates
are computed on the sums, never averaged. A territory whose communes are not all in the file
gets no figure (the accounting says which). Columns of a group that is not declared
`aggregate` (Filosofi rates and medians of the same file) are published for communes only:
a rate or a median is never computed from communes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from observatory import collector
from observatory.errors import Problem
from observatory.inputs.catalog import Indicator
from observatory.inputs.data_folder import walk
from observatory.inputs.sources.mappings import Group, Mapping
from observatory.inputs.sources.tabular import (
    Column,
    FirstSeen,
    Row,
    number_problem,
    parse_cell,
    read_table,
    repeated_row,
)
from observatory.inputs.territories import Referential
from observatory.model import FIGURE_COLUMNS

if TYPE_CHECKING:
    from observatory.inputs.sources.producers import Accounting, ProducerFile

GEOGRAPHY_CODE_COLUMNS = ("COM", "CODGEO")
LEVELS = {"EPCI": "epci", "DEP": "dep", "REG": "reg"}


def commune_code(code: str) -> str:
    """'1001' → '01001' (tables that dropped the leading zero); '2A004' stays."""
    code = code.strip()
    return code.zfill(5) if code.isdigit() else code


def _level_code(level: str, code: str) -> str:
    code = code.strip()
    return code.zfill(2) if level == "dep" and code.isdigit() else code


@dataclass
class Geography:
    """A commune → EPCI table: which territory each commune belongs to, and who belongs where."""

    path: Path
    parents: dict[str, list[str]] = field(default_factory=dict)  # commune → [epci-…, dep-…, reg-…] codes
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # "epci-…" → communes
    names: dict[str, str] = field(default_factory=dict)  # "epci-…" → its name (LIBEPCI)
    commune_names: dict[str, str] = field(default_factory=dict)  # commune → its name (LIBGEO)


def read_geography(path: Path) -> tuple[Geography | None, list[Problem]]:
    table, problems = read_table(path, GEOGRAPHY_CODE_COLUMNS)
    if table is None:
        return None, problems
    code_column = next(name for name in GEOGRAPHY_CODE_COLUMNS if name in table.header)
    missing = [name for name in LEVELS if name not in table.header]
    if missing:
        return None, [
            Problem(file=str(path), row=1, column=name, expected="la colonne " + name, found="absente")
            for name in missing
        ]
    geography = Geography(path)
    with collector.paused():  # a row's dict and lists, for every commune of France
        for _number, cells in table.rows:
            row = dict(zip(table.header, cells, strict=True))
            commune = commune_code(str(row[code_column]))
            parents = [f"{prefix}-{_level_code(prefix, str(row[column]))}" for column, prefix in LEVELS.items()]
            geography.parents[commune] = parents
            for parent in parents:
                geography.members[parent].add(commune)
            if str(row.get("LIBEPCI") or "").strip():
                geography.names[parents[0]] = str(row["LIBEPCI"]).strip()
            if str(row.get("LIBGEO") or "").strip():
                geography.commune_names[commune] = str(row["LIBGEO"]).strip()
    return geography, problems


def name_epcis(data_dir: Path | None, mappings: list[Mapping], referential: Referential) -> None:
    """EPCI known only by their SIREN (all of France) take the name the commune → EPCI table gives
    (its newest geography first)."""
    if data_dir is None or data_dir.is_file():
        return
    files = [
        path
        for mapping in mappings
        if mapping.kind == "geography"
        for path in walk(data_dir)[0]
        if mapping.match(path.name)
    ]
    unnamed = {t.id for t in referential.territories.values() if t.kind == "epci" and t.name == f"EPCI {t.id[5:]}"}
    for path in files:
        if not unnamed:
            return
        geography, _ = read_geography(path)
        for territory_id in sorted(unnamed & set(geography.names if geography else ())):
            referential.rename(territory_id, geography.names[territory_id])
            unnamed.discard(territory_id)


#: why a row is not used, said by the accounting (producers.py reads other layouts with the same words)
IN_ERROR = "en erreur"
OUTSIDE = "territoire hors de l'observatoire"


def read_commune_counts(
    source: ProducerFile, groups: tuple[Group, ...], row_figures: Callable, accounting: Accounting
) -> tuple[pd.DataFrame, list[Problem]]:
    """Figures of the communes of the referential, and of its EPCI, départements and régions
    as sums of their communes. `row_figures(row, groups, territory, note="", place="")` turns one
    row of cells into figure records."""
    table, problems = source.read_table()
    geography_path, missing = _geography_file(source)
    if missing is not None:
        return pd.DataFrame(columns=FIGURE_COLUMNS), [*problems, missing]
    if table is None:
        return pd.DataFrame(columns=FIGURE_COLUMNS), problems
    geography, found = read_geography(geography_path)
    problems += found
    if geography is None:
        return pd.DataFrame(columns=FIGURE_COLUMNS), problems
    code_column = next(c for c in source.mapping.code_columns if c in table.header)
    communes = _Communes(source, geography, groups, row_figures, code_column)
    records: list[dict] = []
    accounting.read = len(table.rows)
    for number, cells in table.rows:
        row = Row(number, dict(zip(table.header, cells, strict=True)))
        found_records, bad, reason = communes.read_row(row)
        problems += bad
        records += found_records
        accounting.count(reason)
    sums, bad = communes.sum_figures(accounting.warnings)
    return pd.DataFrame.from_records(records + sums, columns=FIGURE_COLUMNS), problems + bad


def _geography_file(source: ProducerFile) -> tuple[Path, Problem | None]:
    """The commune → EPCI table declared for the file's edition, in the same folder, or the problem."""
    mapping, edition = source.mapping, source.edition
    name = mapping.geography.get(edition) or mapping.geography.get("*", "")
    path = source.path.parent / name
    if name and path.exists():
        return path, None
    return path, Problem(
        file=str(source.path),
        expected=f"la table commune → EPCI déclarée pour l'édition {edition} ({name or 'aucune'}) "
        f"dans le même dossier (champ geography de {mapping.path.name})",
        found="absente",
    )


@dataclass
class _Communes:
    """The rows of a file of counts by commune: each commune's own figures, and its counts added
    to the sums of its EPCI, département and région (groups declared `aggregate`)."""

    source: ProducerFile
    geography: Geography
    groups: tuple[Group, ...]
    row_figures: Callable
    code_column: str
    sums: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    present: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # parent → communes counted
    seen: FirstSeen = field(default_factory=FirstSeen)

    @property
    def summed(self) -> list[Group]:
        return [group for group in self.groups if group.aggregate]

    def read_row(self, row: Row) -> tuple[list[dict], list[Problem], str]:
        """The figures of one commune, its problems, and why the row is not used ("" when it is)."""
        code = commune_code(str(row.cells[self.code_column] or ""))
        first = self.seen.earlier(code, row.number)
        if first is not None:
            return [], [repeated_row(Column(self.source.path, self.code_column), row.number, code, first)], IN_ERROR
        parents = self.geography.parents.get(code)
        if parents is None:
            absent = f"commune absente de la table {self.geography.path.name} (arrondissement ou autre géographie)"
            return [], [], absent
        referential = self.source.referential
        territory = referential.resolve(f"com-{code}")
        if territory is None and not any(referential.resolve_noted(p)[0] for p in parents):
            return [], [], OUTSIDE
        counts, bad = _counts(self.source.path, row, self.summed, self.source.mapping.decimal)
        if bad:
            return [], bad, IN_ERROR
        if counts is not None:  # a count not available (empty cell): the sums it belongs to are not published
            self.add(code, parents, counts)
        if territory is None:
            return [], [], ""
        found, bad = self.row_figures(row, list(self.groups), territory)
        return found, bad, ""

    def add(self, code: str, parents: list[str], counts: dict[str, float]) -> None:
        """A commune's counts, added to the sums of its EPCI, département and région."""
        for parent in parents:
            self.present[parent].add(code)
            for column, value in counts.items():
                self.sums[parent][column] += value

    def sum_figures(self, warnings: list[str]) -> tuple[list[dict], list[Problem]]:
        """Figures of the EPCI, départements and régions of the observatory whose communes are all
        counted; the others are said in `warnings`. Rates are computed on the sums."""
        records, problems = [], []
        table = self.geography.path.name
        for parent, columns in sorted(self.sums.items()):
            territory, note = self.source.referential.resolve_noted(parent)
            if territory is None:
                continue
            members = self.geography.members[parent]
            missing = members - self.present[parent]
            if missing:
                warnings.append(
                    f"{parent} : {len(missing)} commune(s) de {table} absente(s) du fichier ou sans effectif "
                    f"(ex. {sorted(missing)[0]}) : pas de somme publiée"
                )
                continue
            place = f"somme des {len(members)} communes de la table {table}"
            found, bad = self.row_figures(Row(0, dict(columns)), self.summed, territory, note, place)
            problems += bad
            records += [_as_sum(record, self.source.catalog) for record in found]
        return records, problems


def _as_sum(record: dict, catalog: dict[str, Indicator]) -> dict:
    """A sum of counts is a whole number."""
    record["precision"] = 0 if catalog[record["indicator"]].unit_code == "count" else record["precision"]
    record["value"] = round(record["value"]) if record["precision"] == 0 else record["value"]
    return record


def _counts(path: Path, row, groups: list[Group], decimal: str) -> tuple[dict[str, float] | None, list[Problem]]:
    """The count columns of the summed groups, as numbers; None when one is not available (an
    empty cell or a producer's token: never summed as 0); text that is no number is a problem."""
    counts: dict[str, float] | None = {}
    problems = []
    for group in groups:
        for column in group.needed_columns():
            try:
                value, _decimals, status = parse_cell(row.cells[column], decimal)
            except ValueError:
                what = "un effectif (nombre) à additionner"
                problems.append(number_problem(path, row.number, column, row.cells[column], decimal, what))
                continue
            if status != "ok":
                counts = None
            elif counts is not None:
                counts[column] = value
    return counts, problems
