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
from observatory.numbers import parse_french_number, parse_year
from observatory.sources.mappings import Group, Mapping
from observatory.sources.tabular import Cell, read_table
from observatory.territories import Referential
from observatory.timing import timed

if TYPE_CHECKING:
    from observatory.incremental import ReadCache

# Tokens producers write instead of a number, and the status each one means.
TOKENS = {
    "s": "secret",
    "nd": "non_disponible",
    "n.d.": "non_disponible",
    "na": "non_disponible",
    "ns": "non_publie",
    "n.s.": "non_publie",
}
QP_CODE = re.compile(r"QP[0-9][0-9AB]{2}[0-9]{3}")  # QP + département (059, 02A, 971) + number


@dataclass
class Accounting:
    """Rows read = rows used + rows reported, per file."""

    file: str
    mapping: str
    read: int = 0
    used: int = 0
    reported: Counter = field(default_factory=Counter)

    @property
    def balanced(self) -> bool:
        return self.read == self.used + sum(self.reported.values())


def _normalise(kind: str, code: str) -> str:
    if kind == "departement" and len(code) == 3 and code.startswith("0"):
        return code[1:]  # DEPP writes 059 for the Nord
    return code


def _territory(kind: str, code: str, referential: Referential) -> tuple[str | None, str]:
    """(territory id or None when outside the observatory, note) for a producer code."""
    if kind == "qp2015":
        link = referential.qp2015.get(code)
        return (link.qn2024, link.note) if link else (None, "")
    prefix = {"commune": "com", "epci": "epci", "departement": "dep", "region": "reg", "uai": "uai"}.get(kind)
    if kind == "metro":
        return ("fr-metro" if code in {"1", "FRM", "FM"} else None), ""
    code = _normalise(kind, code)
    return referential.resolve(f"{prefix}-{code}") or referential.aliases.get(code), ""


def _parse(cell: Cell, decimal: str) -> tuple[float, int, str]:
    """(value, decimals, status) of a producer cell; raises ValueError for text that is no number."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        text = repr(float(cell))
        decimals = 0 if float(cell).is_integer() else len(text.split(".")[1])
        return float(cell), decimals, "ok"
    text = (cell or "").strip()
    if not text:
        return math.nan, 0, ""
    status = TOKENS.get(text.lower())
    if status:
        return math.nan, 0, status
    if decimal == ".":
        if "," in text:
            raise ValueError(text)
        text = text.replace(".", ",")
    value, decimals = parse_french_number(text)
    return value, decimals, "ok"


@dataclass
class _Row:
    number: int
    cells: dict[str, Cell]


@timed("validate")
def read_producer_file(
    path: Path,
    mapping: Mapping,
    match: re.Match,
    referential: Referential,
    catalog: dict[str, Indicator],
) -> tuple[pd.DataFrame, list[Problem], Accounting]:
    accounting = Accounting(file=path.name, mapping=mapping.id)
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
        row = _Row(number, dict(zip(table.header, cells, strict=True)))
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
            territory, note = referential.resolve(mapping.aggregates[code]), ""
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
            territory, note = _territory(kind, code, referential)
        if territory is None:
            accounting.reported["territoire hors de l'observatoire"] += 1
            continue
        # every group is checked; only groups whose millésime is documented are published
        found, row_problems = _figures(path, row, list(groups), mapping, territory, note, kind, catalog)
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
    return frame, problems, accounting


def _figures(
    path: Path,
    row: _Row,
    groups: list[Group],
    mapping: Mapping,
    territory: str,
    link_note: str,
    kind: str,
    catalog: dict[str, Indicator],
) -> tuple[list[dict], list[Problem]]:
    records, problems = [], []
    parsed: dict[str, tuple[float, int, str]] = {}

    def value_of(column: str) -> tuple[float, int, str] | None:
        if column not in parsed:
            try:
                parsed[column] = _parse(row.cells[column], mapping.decimal)
            except ValueError:
                problems.append(
                    Problem(
                        file=str(path),
                        row=row.number,
                        column=column,
                        expected="un nombre"
                        + (" (point décimal)" if mapping.decimal == "." else " (virgule décimale)"),
                        found=str(row.cells[column]),
                    )
                )
                return None
        return parsed[column]

    for group in groups:
        period = str(row.cells[group.period_column]).strip() if group.period_column else group.period
        flag = str(row.cells[group.flag] or "").strip() if group.flag else ""
        quality = (
            f"Indicateur de qualité {group.flag} = {flag} (donnée jugée fragile par le producteur)."
            if (flag not in ("", "0"))
            else ""
        )
        items: list[tuple[str, tuple[float, int, str] | None, str]] = []
        for column, indicator in group.columns.items():
            items.append((indicator, value_of(column), f"colonne {column}"))
        for indicator, (numerator, denominator) in group.ratios.items():
            top, bottom = value_of(numerator), value_of(denominator)
            if top is None or bottom is None:
                items.append((indicator, None, ""))
                continue
            if top[2] == "ok" and bottom[2] == "ok" and bottom[0] > 0:
                items.append(
                    (
                        indicator,
                        (100 * top[0] / bottom[0], 1, "ok"),
                        f"calculé par l'observatoire : {numerator} / {denominator} × 100",
                    )
                )
            else:
                status = top[2] if top[2] != "ok" else bottom[2] or ""
                items.append((indicator, (math.nan, 0, status), f"{numerator} / {denominator}"))
        for indicator_id, result, where in items:
            if result is None:
                continue
            value, decimals, status = result
            if not status:  # an empty cell: secret, or not published when the producer flags the quality
                status = "non_publie" if quality else "secret"
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
            notes = " ".join(part for part in (link_note, quality) if part)
            records.append(
                {
                    "territory": territory,
                    "indicator": indicator_id,
                    "period": period,
                    "year": parse_year(period) if period else None,
                    "value": value if status == "ok" else math.nan,
                    "precision": decimals,
                    "qualifier": "",
                    "statistic": "value",
                    "status": status,
                    "producer": group.producer,
                    "document": mapping.id,
                    "location": f"{path.name}, {where}",
                    "geography": "qp2015" if kind == "qp2015" else "",
                    "note": notes,
                    "file": str(path),
                    "row": row.number,
                }
            )
    return records, problems


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
        files = sorted(p for p in data_dir.rglob("*") if p.is_file() and p.suffix.lower() in {".csv", ".xlsx"})
    for path in files:
        for mapping in mappings:
            match = mapping.match(path.name)
            if match:
                result = cache.get(path, mapping.path) if cache else None
                if result is None:
                    result = read_producer_file(path, mapping, match, referential, catalog)
                    if cache:
                        cache.put(path, mapping.path, result)
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
