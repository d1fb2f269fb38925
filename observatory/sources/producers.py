"""Producers' files (ANCT, Insee, DEPP…) read through their declared mappings → tidy figures.

Every row read is either used or reported: aggregate rows, territories outside the observatory,
column groups whose millésime is not documented, rows in error. The accounting says so per file.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from observatory.catalog import Indicator
from observatory.errors import Problem
from observatory.model import FIGURE_COLUMNS
from observatory.numbers import format_number, parse_year
from observatory.sources.census import read_commune_counts
from observatory.sources.mappings import Group, Mapping
from observatory.sources.tabular import Row, number_problem, parse_cell, read_table
from observatory.territories import Referential
from observatory.timing import timed

if TYPE_CHECKING:
    from observatory.incremental import ReadCache

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


def _normalise(kind: str, code: str) -> str:
    if kind == "departement" and len(code) == 3 and code.startswith("0"):
        return code[1:]  # DEPP writes 059 for the Nord
    return code


def _targets(kind: str, code: str, referential: Referential) -> list[tuple[str, str, str]]:
    """(territory id, note, geography) of each territory a producer code gives figures for: none
    when it is outside the observatory, several for a 2015 quartier split over 2024 quartiers."""
    if kind == "qp2015":
        return referential.targets(code)
    prefix = {"commune": "com", "epci": "epci", "departement": "dep", "region": "reg", "uai": "uai"}.get(kind)
    if kind == "metro":
        return [("fr-metro", "", "")] if code in {"1", "FRM", "FM"} else []
    territory, note = referential.resolve_noted(f"{prefix}-{_normalise(kind, code)}")
    return [(territory, note, "")] if territory else []


@timed("validate")
def read_producer_file(
    path: Path,
    mapping: Mapping,
    match: re.Match,
    referential: Referential,
    catalog: dict[str, Indicator],
) -> tuple[pd.DataFrame, list[Problem], Accounting]:
    accounting = Accounting(file=path.name, mapping=mapping.id)
    if mapping.kind in ROLES:
        return _without_figures(path, mapping, referential, accounting)
    groups = mapping.groups_for(match)
    edition = match.groupdict().get("edition") or "*"
    if groups is None:
        problem = Problem(
            file=str(path),
            expected=f"une édition déclarée dans {mapping.path.name}",
            found=f"édition {edition}",
            hint="Ajoutez l'édition et ses colonnes à la table de correspondance.",
        )
        return _empty(), [problem], accounting
    if mapping.kind == "commune_counts":

        def row_figures(path, row, groups, territory, note):
            return _figures(path, row, groups, mapping, territory, note, "", catalog)

        frame, problems = read_commune_counts(path, mapping, match, referential, catalog, row_figures, accounting)
        accounting.figures = len(frame)
        return frame, problems, accounting
    table, problems = read_table(path, mapping.code_columns, mapping.encoding, mapping.delimiter)
    if table is None:
        return _empty(), problems, accounting
    code_column = next(name for name in mapping.code_columns if name in table.header)
    needed = [code_column, *(c for g in groups for c in g.needed_columns())]
    missing = [name for name in dict.fromkeys(needed) if name not in table.header]
    if missing:
        problems += [
            Problem(
                file=str(path),
                row=1,
                column=name,
                expected=f"la colonne '{name}' déclarée pour l'édition {edition} dans {mapping.path.name}",
                found="absente",
            )
            for name in missing
        ]
        return _empty(), problems, accounting
    kind = mapping.code_kind(match)
    period_columns = list(dict.fromkeys(g.period_column for g in groups if g.period_column))
    records: list[dict] = []
    seen: dict[str, int] = {}
    accounting.read = len(table.rows)
    for number, cells in table.rows:
        row = Row(number, dict(zip(table.header, cells, strict=True)))
        code = str(row.cells[code_column] or "").strip()
        key = " ".join([code, *(str(row.cells[c]) for c in period_columns)])
        if key in seen:
            problems.append(
                Problem(
                    file=str(path),
                    row=number,
                    column=code_column,
                    expected="une seule ligne par territoire" + (" et par période" if period_columns else ""),
                    found=f"{key} (déjà ligne {seen[key]})",
                )
            )
            accounting.reported["en erreur"] += 1
            continue
        seen[key] = number
        if code in mapping.aggregates:
            aggregate = referential.resolve(mapping.aggregates[code])
            targets = [(aggregate, "", "")] if aggregate else []
        elif kind == "qp2015" and not QP_CODE.fullmatch(code):
            problems.append(
                Problem(
                    file=str(path),
                    row=number,
                    column=code_column,
                    expected="un code de quartier 2015 (QP, département sur 3 caractères, 3 chiffres)",
                    found=code,
                )
            )
            accounting.reported["en erreur"] += 1
            continue
        else:
            targets = _targets(kind, code, referential)
        if not targets:
            accounting.reported["territoire hors de l'observatoire"] += 1
            continue
        # every group is checked; only groups whose millésime is documented are published
        found, row_problems = [], []
        for territory, note, geography in targets:
            records_of, row_problems = _figures(path, row, list(groups), mapping, territory, note, geography, catalog)
            found += records_of
        problems += row_problems
        if row_problems:
            accounting.reported["en erreur"] += 1
            continue
        published = [record for record in found if record["period"] is not None]
        if not published:
            accounting.reported["millésime non documenté : non repris"] += 1
            continue
        records += published
        accounting.used += 1
    frame = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS) if records else _empty()
    accounting.figures = len(frame)
    accounting.territories = frozenset(frame["territory"])
    return frame, problems, accounting


ROLES = {
    "geography": "table de passage commune → EPCI, lue avec les effectifs du recensement qu'elle agrège",
    "metadata": "libellés des variables d'un autre fichier : aucun chiffre",
    "correspondence": (
        "correspondance officielle 2024 → 2015 : les séries 2015 passent aux quartiers 2024 par ses liens"
    ),
}


def _without_figures(
    path: Path, mapping: Mapping, referential: Referential, accounting: Accounting
) -> tuple[pd.DataFrame, list, Accounting]:
    """A file recognised for what it is (a commune → EPCI table, variable labels, the official
    correspondence): its rows are counted, its role said; it contributes no figure by itself."""
    table, problems = read_table(path, mapping.code_columns, mapping.encoding, mapping.delimiter)
    accounting.role = ROLES[mapping.kind]
    if table is None:
        return _empty(), problems, accounting
    accounting.read = len(table.rows)
    if mapping.kind == "geography":
        accounting.used = len(table.rows)
    elif mapping.kind == "metadata":
        accounting.reported[ROLES["metadata"]] = len(table.rows)
    else:
        _count_links(table, referential, accounting)
    return _empty(), problems, accounting


def _count_links(table, referential: Referential, accounting: Accounting) -> None:
    """Rows of the official correspondence: used for the configured 2024 quartiers (the links are
    made from it before any figure is read, observatory/correspondence.py), reported otherwise."""
    column = table.header.index("qp2024")
    for _, cells in table.rows:
        if str(cells[column]) in referential.territories:
            accounting.used += 1
        else:
            accounting.reported["quartier 2024 hors de l'observatoire"] += 1


def _figures(
    path: Path,
    row: Row,
    groups: list[Group],
    mapping: Mapping,
    territory: str,
    link_note: str,
    geography: str,
    catalog: dict[str, Indicator],
) -> tuple[list[dict], list[Problem]]:
    records, problems = [], []
    parsed: dict[str, tuple[float, int, str]] = {}
    ratio_notes: dict[str, str] = {}

    def value_of(column: str) -> tuple[float, int, str] | None:
        if column not in parsed:
            try:
                parsed[column] = parse_cell(row.cells[column], mapping.decimal)
            except ValueError:
                problems.append(number_problem(path, row.number, column, row.cells[column], mapping.decimal))
                return None
        return parsed[column]

    for group in groups:
        period = str(row.cells[group.period_column]).strip() if group.period_column else group.period
        flag = str(row.cells[group.flag] or "").strip() if group.flag else ""
        flagged = flag not in ("", "0")
        items: list[tuple[str, tuple[float, int, str] | None, str]] = []
        for column, indicator in group.columns.items():
            items.append((indicator, value_of(column), f"colonne {column}"))
        for indicator, (terms, denominator) in group.ratios.items():
            items.append(_ratio(group, catalog, indicator, terms, denominator, value_of, ratio_notes))
        for indicator_id, result, where in items:
            if result is None:
                continue
            value, decimals, status = result
            if not status:  # an empty cell: secret only where the producer's quality flag says so
                status = "secret" if flagged else "non_disponible"
            quality = _quality(group.flag, flag, status) if flagged else ""
            unit = catalog[indicator_id].unit
            if status == "ok" and ((unit.bounded and not 0 <= value <= 100) or (unit.non_negative and value < 0)):
                problems.append(
                    Problem(
                        file=str(path),
                        row=row.number,
                        column=where.replace("colonne ", ""),
                        expected="un taux entre 0 et 100" if unit.bounded else "un nombre positif ou nul",
                        found=str(row.cells.get(where.replace("colonne ", ""), value)),
                    )
                )
                continue
            notes = " ".join(part for part in (link_note, ratio_notes.get(indicator_id, ""), quality) if part)
            records.append(
                {
                    "territory": territory,
                    "indicator": indicator_id,
                    "period": period,
                    "year": parse_year(period) if period and group.dated else None,
                    "value": value if status == "ok" else math.nan,
                    "precision": decimals,
                    "qualifier": "",
                    "statistic": "value",
                    "status": status,
                    "producer": group.producer,
                    "document": mapping.id,
                    "location": f"{path.name}, {where}",
                    "geography": geography,
                    "note": notes,
                    "file": str(path),
                    "row": row.number,
                }
            )
    return records, problems


def _quality(column: str | None, flag: str, status: str) -> str:
    """The producer's quality flag, said next to the figure it qualifies."""
    if status == "ok":
        return f"Indicateur de qualité {column} = {flag} : chiffre jugé fragile par le producteur."
    return f"Indicateur de qualité {column} = {flag} : cellule vide, le producteur ne diffuse pas ce chiffre."


def combine_terms(terms: tuple[str, ...], value_of) -> tuple[float, int, str] | None:
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


def _ratio(group, catalog, indicator, terms, denominator, value_of, notes) -> tuple[str, tuple | None, str]:
    """A share computed by the observatory from two counts of the same row (× 100)."""
    top, bottom = combine_terms(terms, value_of), value_of(denominator)
    formula = " ".join(t if i == 0 else ("− " + t[1:] if t.startswith("-") else "+ " + t) for i, t in enumerate(terms))
    formula = f"({formula})" if len(terms) > 1 else formula
    if top is None or bottom is None:
        return indicator, None, ""
    if top[2] == "ok" and bottom[2] == "ok" and bottom[0] > 0:
        if len(terms) == 1:
            notes[indicator] = _ratio_note(group, catalog, (terms[0], top[0]), (denominator, bottom[0]))
        return (
            indicator,
            (100 * top[0] / bottom[0], 1, "ok"),
            f"calculé par l'observatoire : {formula} / {denominator} × 100",
        )
    status = top[2] if top[2] != "ok" else bottom[2] or ""
    return indicator, (math.nan, 0, status), f"{formula} / {denominator}"


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
    never silently skipped. With a cache, a file read before with the same bytes is not read again."""
    frames, problems, accounts, unknown = [], [], [], []
    if data_dir.is_file():
        files = [data_dir]
    else:
        files = sorted(
            p
            for p in data_dir.rglob("*")
            if p.is_file() and p.suffix.lower() in {".csv", ".xlsx"} and p.name != "MANIFEST.csv"
        )
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
    return merge_republished(figures), problems, accounts, unknown


@timed("validate")
def merge_republished(figures: pd.DataFrame) -> pd.DataFrame:
    """One figure published identically in two files (ANCT and Insee) is kept once, citing both."""
    if figures.empty:
        return figures
    figures = figures.assign(_value=figures["value"].round(6).fillna(-1))
    key = ["territory", "indicator", "period", "status", "_value"]
    repeated = figures[figures.duplicated(key, keep=False)]
    notes = figures["note"].copy()
    for _, group in repeated.groupby(key, sort=False, dropna=False):
        extra = "Chiffre identique dans : " + " ; ".join(group["location"].iloc[1:]) + "."
        notes.at[group.index[0]] = (notes.at[group.index[0]] + " " + extra).strip()
    kept = figures.assign(note=notes)[~figures.duplicated(key, keep="first")]
    return kept.drop(columns="_value").reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FIGURE_COLUMNS)
