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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from observatory.catalog import Indicator
from observatory.errors import Problem
from observatory.model import FIGURE_COLUMNS
from observatory.sources.mappings import Group, Mapping
from observatory.sources.tabular import Row, number_problem, parse_cell, read_table
from observatory.territories import Referential

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
    for _number, cells in table.rows:
        row = dict(zip(table.header, cells, strict=True))
        commune = commune_code(str(row[code_column]))
        parents = [f"{prefix}-{_level_code(prefix, str(row[column]))}" for column, prefix in LEVELS.items()]
        geography.parents[commune] = parents
        for parent in parents:
            geography.members[parent].add(commune)
        if str(row.get("LIBEPCI") or "").strip():
            geography.names[parents[0]] = str(row["LIBEPCI"]).strip()
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
        for path in sorted(data_dir.rglob("*"))
        if path.is_file() and mapping.match(path.name)
    ]
    unnamed = {t.id for t in referential.territories.values() if t.kind == "epci" and t.name == f"EPCI {t.id[5:]}"}
    for path in files:
        if not unnamed:
            return
        geography, _ = read_geography(path)
        for territory_id in sorted(unnamed & set(geography.names if geography else ())):
            referential.rename(territory_id, geography.names[territory_id])
            unnamed.discard(territory_id)


def read_commune_counts(
    path: Path,
    mapping: Mapping,
    match: re.Match,
    referential: Referential,
    catalog: dict[str, Indicator],
    row_figures,
    accounting,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Figures of the communes of the referential, and of its EPCI, départements and régions
    as sums of their communes. `row_figures` turns one row of cells into figure records."""
    edition = match.groupdict().get("edition") or "*"
    groups = mapping.groups_for(match) or ()
    table, problems = read_table(path, mapping.code_columns, mapping.encoding, mapping.delimiter)
    name = mapping.geography.get(edition) or mapping.geography.get("*", "")
    geography_path = path.parent / name
    if not name or not geography_path.exists():
        problems.append(
            Problem(
                file=str(path),
                expected=f"la table commune → EPCI déclarée pour l'édition {edition} ({name or 'aucune'}) "
                f"dans le même dossier (champ geography de {mapping.path.name})",
                found="absente",
            )
        )
        return pd.DataFrame(columns=FIGURE_COLUMNS), problems
    if table is None:
        return pd.DataFrame(columns=FIGURE_COLUMNS), problems
    geography, found = read_geography(geography_path)
    problems += found
    if geography is None:
        return pd.DataFrame(columns=FIGURE_COLUMNS), problems
    code_column = next(c for c in mapping.code_columns if c in table.header)
    summed = [g for g in groups if g.aggregate]
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    present: dict[str, set[str]] = defaultdict(set)
    records: list[dict] = []
    accounting.read = len(table.rows)
    for number, cells in table.rows:
        row = Row(number, dict(zip(table.header, cells, strict=True)))
        code = commune_code(str(row.cells[code_column] or ""))
        parents = geography.parents.get(code)
        if parents is None:
            accounting.reported[
                f"commune absente de la table {geography_path.name} (arrondissement ou autre géographie)"
            ] += 1
            continue
        territory = referential.resolve(f"com-{code}")
        useful = territory is not None or any(referential.resolve_noted(p)[0] for p in parents)
        if not useful:
            accounting.reported["territoire hors de l'observatoire"] += 1
            continue
        counts, bad = _counts(path, row, summed, mapping.decimal)
        problems += bad
        if bad:
            accounting.reported["en erreur"] += 1
            continue
        for parent in parents:
            if counts is None:  # a count not available (empty cell): the sums it belongs to are not published
                continue
            present[parent].add(code)
            for column, value in counts.items():
                sums[parent][column] += value
        if territory is not None:
            found_records, bad = row_figures(path, row, list(groups), territory, "")
            problems += bad
            records += found_records
        accounting.used += 1
    for parent, columns in sorted(sums.items()):
        territory, note = referential.resolve_noted(parent)
        if territory is None:
            continue
        missing = geography.members[parent] - present[parent]
        if missing:
            accounting.warnings.append(
                f"{parent} : {len(missing)} commune(s) de {geography_path.name} absente(s) du fichier ou sans effectif "
                f"(ex. {sorted(missing)[0]}) : pas de somme publiée"
            )
            continue
        row = Row(0, {column: value for column, value in columns.items()})
        size = len(geography.members[parent])
        where = f"somme des {size} communes de la table {geography_path.name}"
        found_records, bad = row_figures(path, row, summed, territory, note)
        problems += bad
        for record in found_records:
            record["location"] = f"{path.name}, {where} ; {record['location'].split(', ', 1)[1]}"
            record["precision"] = 0 if catalog[record["indicator"]].unit_code == "count" else record["precision"]
            record["value"] = round(record["value"]) if record["precision"] == 0 else record["value"]
        records += found_records
    return pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS), problems


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
