"""Producer tables (CSV or XLSX) → header and rows of cells, with every layout quirk handled here.

CSV: declared encoding (UTF-8 with or without BOM by default), ';' separator, quoted or unquoted
fields, lines padded with empty fields. XLSX: title rows above the header are skipped. In both,
the header is the first row that holds the declared code column; rows keep the number a
spreadsheet shows, so that every message can point at them. A cell is read as a number, a
producer's token (`s`, `nd`…) or an empty cell, each with its status.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from observatory.errors import Problem
from observatory.numbers import parse_french_number
from observatory.timing import timed

Cell = str | float | int | None


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (spreadsheet row, cells)


# Tokens producers write instead of a number, and the status each one means.
TOKENS = {
    "s": "secret",
    "nd": "non_disponible",
    "n.d.": "non_disponible",
    "na": "non_disponible",
    "ns": "non_publie",
    "n.s.": "non_publie",
}


def parse_cell(cell: Cell, decimal: str) -> tuple[float, int, str]:
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
class Row:
    number: int
    cells: dict[str, Cell]


def number_problem(path: Path, row: int, column: str, found: object, decimal: str, what: str = "un nombre") -> Problem:
    """A cell that should hold a number and does not, with the decimal mark the file uses."""
    mark = " (point décimal)" if decimal == "." else " (virgule décimale)"
    return Problem(file=str(path), row=row, column=column, expected=what + mark, found=str(found))


def _clean_name(name: object) -> str:
    return str(name or "").replace("\ufeff", "").strip().strip('"').strip()


@timed("read")
def read_table(
    path: Path, code_columns: tuple[str, ...], encoding: str = "utf-8-sig", delimiter: str = ";"
) -> tuple[Table | None, list[Problem]]:
    """Read a producer file; return its table, or None and the problems that stop reading it."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, code_columns)
    data = path.read_bytes()
    if not data.strip():
        return None, [Problem(file=str(path), expected="un en-tête et des lignes", found="fichier vide")]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                file=str(path),
                row=line,
                expected=f"un fichier encodé en {encoding.replace('-sig', '').upper()}",
                found=f"l'octet {data[exc.start : exc.start + 1].hex()} (autre encodage ?)",
                hint="Déclarez l'encodage du fichier dans sa table de correspondance (encoding: latin-1).",
            )
        ]
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    table, problems = _locate_header(path, [(n, row) for n, row in enumerate(rows, start=1)], code_columns)
    truncated = not text.endswith(("\n", "\r")) and table is not None and table.rows
    if truncated and len(rows[-1]) < len(table.header):
        number = table.rows.pop()[0]
        problems.append(
            Problem(
                file=str(path),
                row=number,
                expected=f"{len(table.header)} colonnes et une fin de ligne",
                found=f"{len(rows[-1])} valeurs en fin de fichier (fichier tronqué ?)",
            )
        )
    return table, problems


def _read_xlsx(path: Path, code_columns: tuple[str, ...]) -> tuple[Table | None, list[Problem]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        return None, [Problem(file=str(path), expected="un classeur XLSX lisible", found=str(exc))]
    sheet = workbook.worksheets[0]
    rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    return _locate_header(path, rows, code_columns)


def _locate_header(
    path: Path, rows: list[tuple[int, list[Cell]]], code_columns: tuple[str, ...]
) -> tuple[Table | None, list[Problem]]:
    for index, (number, cells) in enumerate(rows):
        names = [_clean_name(cell) for cell in cells]
        if set(code_columns) & set(names):
            while names and not names[-1]:
                names.pop()  # padded header line
            return _body(path, names, rows[index + 1 :], number)
    return None, [
        Problem(
            file=str(path),
            row=1,
            column=code_columns[0],
            expected="une ligne d'en-tête contenant la colonne " + " ou ".join(f"'{c}'" for c in code_columns),
            found="aucune",
        )
    ]


def _body(
    path: Path, header: list[str], rows: list[tuple[int, list[Cell]]], header_row: int
) -> tuple[Table | None, list[Problem]]:
    table = Table(path=path, header=header)
    problems: list[Problem] = []
    width = len(header)
    for number, cells in rows:
        cells = [cell.strip().strip('"') if isinstance(cell, str) else cell for cell in cells]
        if not any(cell not in (None, "") for cell in cells):
            continue  # blank line
        extra = [cell for cell in cells[width:] if cell not in (None, "")]
        if extra:
            problems.append(
                Problem(
                    file=str(path),
                    row=number,
                    expected=f"{width} colonnes comme l'en-tête (ligne {header_row})",
                    found=f"{width + len(extra)} valeurs",
                )
            )
            continue
        cells = cells + [""] * (width - len(cells))  # trailing empty cells left out by the producer
        table.rows.append((number, cells[:width]))
    if not table.rows and not problems:
        problems.append(Problem(file=str(path), expected="au moins une ligne de données", found="aucune"))
    return table, problems
