"""Producer tables (CSV or XLSX) → header and rows of cells, with every layout quirk handled here.

CSV: declared encoding (UTF-8 with or without BOM by default), ';' separator, quoted or unquoted
fields, lines padded with empty fields. XLSX: title rows above the header are skipped. In both,
the header is the first row that holds the declared code column; rows keep the number a
spreadsheet shows, so that every message can point at them. A row of labels directly above the
row of codes, both naming the code column, is a title row. A cell is read as a number, a
producer's token (`s`, `nd`…) or an empty cell, each with its status.
"""

from __future__ import annotations

import csv
import math
import zipfile
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from itertools import chain, zip_longest
from pathlib import Path
from typing import Any

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.files import decode, other_separator, repeated_columns, separator_phrase, shown_separator
from observatory.numbers import parse_french_number
from observatory.timing import timed


@dataclass(frozen=True)
class Uncomputed:
    """A workbook's formula cell saved without its value (written by a program, not a spreadsheet)."""

    formula: str


Cell = str | float | int | date | time | bool | Uncomputed | None


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
    if cell is not None and not isinstance(cell, str):
        raise ValueError(cell)  # a workbook's date, boolean or formula without its value
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
    found, hint = _shown(found)
    return Problem(file=str(path), row=row, column=column, expected=what + mark, found=found, hint=hint)


def _shown(cell: object) -> tuple[str, str]:
    """A cell as a message says it, and what to do when it is a workbook's cell of another type."""
    if isinstance(cell, Uncomputed):
        return f"une formule sans valeur enregistrée ({cell.formula})", (
            "Le classeur n'a pas enregistré le résultat de la formule : ouvrez et enregistrez le fichier "
            "dans un tableur, qui le calculera."
        )
    retype = "Donnez à la cellule le format Nombre (ou Standard) dans le tableur et écrivez-y le nombre."
    if isinstance(cell, bool):
        return f"un booléen ({'VRAI' if cell else 'FAUX'})", retype
    if isinstance(cell, datetime) and cell.time() == time():
        return f"une date ({cell.date().isoformat()})", retype
    if isinstance(cell, date | time):
        return f"une date ou une heure ({cell.isoformat()})", retype
    return str(cell), ""


@dataclass(frozen=True)
class Column:
    """Where a figure of a producer's file comes from: one of its columns (« colonne TP60 »), or a
    share the observatory computes from its columns. Names the figure's location and the problems
    of its cells."""

    file: Path
    name: str  # the producer's column, or the computation ("calculé par l'observatoire : A / B × 100")
    computed: bool = False

    def __str__(self) -> str:
        return self.name if self.computed else f"colonne {self.name}"

    def problem(self, row: int, expected: str, found: object) -> Problem:
        return Problem(file=str(self.file), row=row, column=self.name, expected=expected, found=str(found))


class FirstSeen:
    """The one duplicate rule: a key (the territory and period of a producer's row, a published
    figure) is given once; every later row with the same key is reported against the first one."""

    def __init__(self) -> None:
        self._first: dict[Hashable, Any] = {}

    def earlier(self, key: Hashable, where: Any) -> Any | None:
        """Where `key` was given before, or None the first time (`where` is then remembered)."""
        if key in self._first:
            return self._first[key]
        self._first[key] = where
        return None


def repeated_row(column: Column, row: int, key: str, first: int, by_period: bool = False) -> Problem:
    """A producer's row that gives a territory (and a period) an earlier row already gave."""
    expected = "une seule ligne par territoire" + (" et par période" if by_period else "")
    return column.problem(row, expected, f"{key} (déjà ligne {first})")


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
        text = decode(path, data, encoding, declared=True)
    except ObservatoryError as error:
        return None, error.problems
    del data  # the text alone is kept while its rows are read
    cut = not text.endswith(("\n", "\r"))  # the last line has no line end: the file may be truncated
    # rows are read one at a time and kept up to the header's width: a 200 MB file padded with
    # hundreds of empty fields per line read whole into lists took 3,4 GB (io.StringIO's copy of
    # the text, every field of every line); streamed, about 4 times the file
    rows = enumerate(csv.reader(_lines(text), delimiter=delimiter), start=1)
    table, problems = _locate_header(path, rows, code_columns, _Fields(delimiter, cut))
    if table is None:
        return None, [_with_separator(problem, text, delimiter, code_columns) for problem in problems]
    return table, problems


@dataclass(frozen=True)
class _Fields:
    """The field count rule of a CSV file: every line after the header has as many fields as the
    header line, its padding included (some producers end every line, the header too, with the
    same run of empty fields; none of the files of ../shared/data has lines of varying length). A
    line with one field less or more has lost or gained a separator: every later value would be
    read in the next column."""

    delimiter: str
    cut: bool  # the file's last line has no line end
    header: int = 0  # the header line's field count, once found

    def problem(
        self, path: Path, number: int, count: int, names: list[str], header_row: int, last: bool = False
    ) -> Problem:
        """A line of `count` fields, below the header (`names`, at `header_row`); `last`: the
        file's last line."""
        fields = self.header
        if last and self.cut and count < fields:
            return Problem(
                file=str(path),
                row=number,
                expected=f"{len(names)} colonnes et une fin de ligne",
                found=f"{count} valeurs en fin de fichier (fichier tronqué ?)",
            )
        separator = shown_separator(self.delimiter)
        hint = (
            f"Un séparateur {separator} manque sur cette ligne"
            if count < fields
            else f"Un séparateur {separator} est en trop sur cette ligne (un texte qui en contient : entre guillemets)"
        )
        return Problem(
            file=str(path),
            row=number,
            expected=f"{fields} champs séparés par {separator} comme l'en-tête (ligne {header_row})",
            found=f"{count} champs",
            hint=f"{hint} : chaque valeur suivante serait lue dans la colonne d'à côté.",
        )


def _with_separator(problem: Problem, text: str, delimiter: str, code_columns: tuple[str, ...]) -> Problem:
    """The header problem, with the separator the file seems to use when it is not the declared one."""
    separator = other_separator(text.splitlines(), delimiter, code_columns)
    if separator is None:
        return problem
    declared = "\\t" if separator == "\t" else separator
    action = f'déclarez-le dans la table de correspondance du fichier (delimiter: "{declared}")'
    return replace(problem, hint=f"{separator_phrase(separator, delimiter)} : {action}.")


def _read_xlsx(path: Path, code_columns: tuple[str, ...]) -> tuple[Table | None, list[Problem]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        found, hint = (
            (
                "une archive XLSX incomplète ou d'un autre format",
                "Le fichier est tronqué ou n'est pas un classeur XLSX : téléchargez-le ou exportez-le à nouveau.",
            )
            if isinstance(exc, zipfile.BadZipFile)
            else (
                "un classeur que le lecteur XLSX ne peut pas ouvrir",
                f"Exportez-le à nouveau depuis le tableur (détail du lecteur, en anglais : {exc}).",
            )
        )
        return None, [Problem(file=str(path), expected="un classeur XLSX lisible", found=found, hint=hint)]
    formulas = load_workbook(path, read_only=True, data_only=False)  # what a cell without a value holds
    pairs = zip_longest(
        workbook.worksheets[0].iter_rows(values_only=True), formulas.worksheets[0].iter_rows(values_only=True)
    )
    rows = [
        (number, [_saved(value, formula) for value, formula in zip_longest(values or (), written or ())])
        for number, (values, written) in enumerate(pairs, start=1)
    ]
    workbook.close()
    formulas.close()
    return _locate_header(path, rows, code_columns)


def _saved(value: Cell, written: object) -> Cell:
    """A workbook cell's saved value; a formula saved without one (None read) is Uncomputed."""
    if value is None and isinstance(written, str) and written.startswith("="):
        return Uncomputed(written)
    return value


def _lines(text: str) -> Iterator[str]:
    """The lines of a text with their ends, one at a time (io.StringIO would copy the text at four
    bytes a character, text.splitlines would hold every line at once)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _locate_header(
    path: Path, rows: Iterable[tuple[int, list[Cell]]], code_columns: tuple[str, ...], fields: _Fields | None = None
) -> tuple[Table | None, list[Problem]]:
    """The table below the row that names a code column — the last of consecutive such rows: a row
    of labels may stand above the row of codes (Insee's IRIS workbook: « IRIS ; Libellé de l'IRIS… »
    over « IRIS ; LIBIRIS… »); a CSV's rows (`fields`) each have as many fields as that row. `rows`
    may be read once only (a CSV's are streamed)."""
    rows = iter(rows)
    found: tuple[int, list[Cell], list[str]] | None = None  # the header, until a row below it names a code too
    for number, cells in rows:
        names = [_clean_name(cell) for cell in cells]
        if set(code_columns) & set(names):
            found = (number, cells, names)
        elif found is not None:
            return _below_header(path, found, chain([(number, cells)], rows), fields)
    if found is not None:
        return _below_header(path, found, rows, fields)
    return None, [
        Problem(
            file=str(path),
            row=1,
            column=code_columns[0],
            expected="une ligne d'en-tête contenant la colonne " + " ou ".join(f"'{c}'" for c in code_columns),
            found="aucune",
        )
    ]


def _below_header(
    path: Path,
    header: tuple[int, list[Cell], list[str]],
    rows: Iterator[tuple[int, list[Cell]]],
    fields: _Fields | None,
) -> tuple[Table | None, list[Problem]]:
    number, cells, names = header
    repeated = repeated_columns(path, names, number)
    if repeated:
        return None, repeated
    while names and not names[-1]:
        names.pop()  # padded header line
    counted = replace(fields, header=len(cells)) if fields else None
    return _body(path, names, rows, number, counted)


def _body(
    path: Path,
    header: list[str],
    rows: Iterator[tuple[int, list[Cell]]],
    header_row: int,
    fields: _Fields | None,
) -> tuple[Table | None, list[Problem]]:
    """The rows below the header; a CSV's (`fields`) each with as many fields as the header line
    (a line of another width is told once the next line shows whether it was the file's last)."""
    table = Table(path=path, header=header)
    problems: list[Problem] = []
    width = len(header)
    pending: tuple[int, int] | None = None  # (line, fields) of a line of the wrong width
    for number, cells in rows:
        cells = [cell.strip().strip('"') if isinstance(cell, str) else cell for cell in cells]
        if not any(cell not in (None, "") for cell in cells):
            continue  # blank line
        if pending and fields:
            problems.append(fields.problem(path, *pending, header, header_row))
            pending = None
        if fields and len(cells) != fields.header:
            pending = (number, len(cells))
            continue
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
        cells = cells + [""] * (width - len(cells))  # a workbook's row may end before the header's
        table.rows.append((number, cells[:width]))
    if pending and fields:
        problems.append(fields.problem(path, *pending, header, header_row, last=True))
    if not table.rows and not problems:
        problems.append(Problem(file=str(path), expected="au moins une ligne de données", found="aucune"))
    return table, problems
