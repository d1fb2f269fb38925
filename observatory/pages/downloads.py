"""Downloads: the figures of each page as gzipped CSV and XLSX, the whole tidy table with its
datapackage.json.

Files are built in memory, byte for byte reproducible (XLSX archives get a fixed date, gzip files
no date and no name), and written by the site stage like any other asset. A page's CSV is gzipped:
the same rows are in the whole table, its enjeu's, its indicator's and each quartier's files, and
CSV compresses 20 to 30 times (199 MB of CSV in the default site with its editions, 9 MB gzipped);
the XLSX beside it opens in any spreadsheet.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import json
import math
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd

from observatory import collector
from observatory.figures.observatory import Observatory
from observatory.hashing import code_version, digest
from observatory.model import DIRECTIONS, GEOGRAPHIES, QUALIFIERS, STATISTICS, STATUSES, FigureRow
from observatory.pages.workbook import (
    CHUNK,
    FIRST_ROW,
    ROW,
    ChunkStore,
    Piece,
    cell,
    cells,
    column_name,
    deflate,
    forget_stores,
    rows_piece,
    to_xlsx,
)
from observatory.timing import timed

FOLDER = "telechargements"
CSV_GZ = ".csv.gz"  # a page's CSV download, gzipped
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
}
# (column, type, description) of the downloaded table
FIELDS = [
    ("territoire_code", "string", "Identifiant du territoire (code officiel du quartier 2024, epci-SIREN, dep-…)"),
    ("territoire", "string", "Nom du territoire"),
    ("indicateur_code", "string", "Identifiant de l'indicateur (voir indicateurs.csv)"),
    ("indicateur", "string", "Intitulé de l'indicateur"),
    ("unite", "string", "Unité de la valeur"),
    ("millesime", "string", "Millésime tel que la source l'indique"),
    ("valeur", "number", "Valeur publiée ; vide quand le chiffre n'est pas disponible (jamais 0)"),
    (
        "statut",
        "string",
        "disponible ; secret statistique (le producteur le dit : signe « s » ou indicateur de qualité) ; "
        "non disponible (cellule vide sans raison donnée) ; non publié (le producteur ne le publie pas) ; "
        "hors champ (l'indicateur ne s'applique pas au territoire) — jamais 0",
    ),
    ("qualificatif", "string", "« moins de », « plus de », « environ » quand la source le dit"),
    ("statistique", "string", "minimum, maximum ou moyenne quand la source publie ainsi le chiffre"),
    ("producteur", "string", "Producteur et source cités"),
    ("document", "string", "Document ou fichier d'où le chiffre est lu"),
    ("emplacement", "string", "Endroit du document ou colonne du fichier"),
    ("perimetre", "string", "Périmètre du chiffre d'un quartier (2015, 2024, non précisé)"),
    ("note", "string", "Ce qu'il faut savoir pour lire le chiffre"),
]


def _columns(obs: Observatory, rows: list[FigureRow]) -> list[list]:
    """Every figure as a reader downloads it, column by column (FIELDS): named columns, value
    as a number, status in words."""
    if not rows:
        return [[] for _ in FIELDS]
    column = dict(zip(FigureRow._fields, zip(*rows, strict=True), strict=True))
    names = {code: obs.territory(code).name for code in set(column["territory"])}
    indicators = {code: obs.catalog[code] for code in set(column["indicator"])}
    documents = obs.editorial.documents
    titles = {code: documents[code].title if code in documents else code for code in set(column["document"])}
    return [
        column["territory"],
        [names[code] for code in column["territory"]],
        column["indicator"],
        [indicators[code].label for code in column["indicator"]],
        [indicators[code].unit.label for code in column["indicator"]],
        column["period"],
        [
            None if status != "ok" or math.isnan(value) else round(float(value), 6)
            for value, status in zip(column["value"], column["status"], strict=True)
        ],
        [STATUSES.get(status) or "disponible" for status in column["status"]],
        [QUALIFIERS.get(qualifier, "") for qualifier in column["qualifier"]],
        [STATISTICS.get(statistic, "") for statistic in column["statistic"]],
        column["producer"],
        [titles[code] for code in column["document"]],
        column["location"],
        [GEOGRAPHIES.get(geography, "") for geography in column["geography"]],
        column["note"],
    ]


class _LastLine:
    """File-like target of csv.writer that keeps the one line just written."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


_HEADER = [name for name, _, _ in FIELDS]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula
CSV_NOTE = (
    "Un texte qui commence par =, +, -, @, une tabulation ou un retour chariot y est précédé d'une "
    "apostrophe, pour qu'un tableur ne le lise pas comme une formule (le fichier XLSX donne le texte tel quel)."
)


def csv_text(value: object) -> object:
    """A text cell of a CSV download, never run as a formula by the spreadsheet that opens the
    file: a text starting with = + - @, a tab or a carriage return (a spreadsheet skips them, then
    reads the formula) gets a leading apostrophe (OWASP, CSV injection). Numbers
    are left alone; XLSX cells are typed strings, never formulas, and are kept exactly."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: object) -> str:
    """A value as csv.writer writes it among others (quoted only where needed), floats as
    pandas writes them (10619.0, not 10619)."""
    if value is None or value == "":
        return ""
    return _csv_line([repr(value) if isinstance(value, float) else csv_text(value)])[:-1]


class _Lines:
    """Every figure's download line, in the table's order (pages pick theirs by position): its
    CSV line (`csv`) and its XLSX cells (`cells`, ROW standing for the row number), both UTF-8,
    each made the first time a page asks for it (an incremental build renders few pages, and
    needs few; the whole-data CSV and XLSX, made apart, need one kind each): column by column,
    each cell written once per distinct value of its column."""

    KINDS = ("csv", "cells")

    def __init__(self, obs: Observatory, rows: list[FigureRow]) -> None:
        self.obs, self.rows = obs, rows
        self.made: dict[str, list[bytes | None]] = {kind: [None] * len(rows) for kind in self.KINDS}
        self._cells: dict[str, list[dict[object, bytes]]] = {kind: [{} for _ in FIELDS] for kind in self.KINDS}

    def at(self, kind: str, positions: list[int], keep: bool = True) -> list[bytes]:
        """The lines of this kind of the figures at these positions; kept for the next pages
        unless `keep` is False (a chunk of a large file: the whole table's cells, kept, held
        most of a gigabyte in the process that made them)."""
        made = self.made[kind]
        missing = sorted({p for p in positions if made[p] is None})
        if not missing:
            return [made[p] for p in positions]  # type: ignore[misc]
        with collector.paused():
            lines = dict(zip(missing, self._make(kind, missing), strict=True))
        if keep:
            for position, line in lines.items():
                made[position] = line
        return [lines[p] if p in lines else made[p] for p in positions]  # type: ignore[misc]

    def _make(self, kind: str, positions: list[int]) -> list[bytes]:
        cells_of_columns = []
        for number, values in enumerate(_columns(self.obs, [self.rows[p] for p in positions])):
            keys = [value if type(value) is str else (type(value), value) for value in values]  # 1, 1.0, True apart
            cells = self._cells[kind][number]
            for key, value in zip(keys, values, strict=True):
                if key not in cells:
                    cells[key] = _written(kind, number, value)
            cells_of_columns.append([cells[key] for key in keys])
        separator, end = (b",", b"\n") if kind == "csv" else (b"", b"")
        return [separator.join(cells_of_row) + end for cells_of_row in zip(*cells_of_columns, strict=True)]


def _written(kind: str, column: int, value: object) -> bytes:
    """A value as a cell of a CSV line, or of a workbook row (none for no value)."""
    if kind == "csv":
        return _csv_cell(value).encode("utf-8")
    return cell(f"{column_name(column)}{ROW}", value).encode("utf-8") if value not in (None, "") else b""


_LAST_LINE = _LastLine()
#: csv.writer quotes a field holding the separator, a quote or a character of its line terminator:
#: with "\n" alone, a lone carriage return in a text was written bare, and a spreadsheet ends the
#: row there. Its terminator is "\r\n" so that a field holding either is quoted; _csv_line ends
#: each line with "\n" all the same (an ordinary line's bytes are unchanged).
_CSV_WRITER = csv.writer(_LAST_LINE, lineterminator="\r\n")


def _csv_line(values: list) -> str:
    """One CSV line, ended by "\n"; a field holding a line break (CR or LF) is quoted."""
    _CSV_WRITER.writerow(values)
    return _LAST_LINE.text[:-2] + "\n"


def _field(name: str, kind: str, description: str) -> dict:
    """A field of the data package's schema; the status is one of its declared words."""
    field = {"name": name, "type": kind, "description": description}
    if name == "statut":
        field["constraints"] = {"enum": ["disponible", *(word for word in STATUSES.values() if word)]}
    return field


def datapackage(obs: Observatory, edition_id: str, edition_date: str) -> bytes:
    """Frictionless data package: the tidy table and the indicators, with fields, units, sources, licence."""
    documents = sorted(set(obs.all_figures()["document"]))
    package = {
        "profile": "tabular-data-package",
        "name": "observatoire-quartiers",
        "title": obs.config.title,
        "version": edition_id,
        "created": edition_date,
        "licenses": [LICENCE],
        "sources": [
            {"title": obs.editorial.documents[d].title, "path": obs.editorial.documents[d].reference}
            for d in documents
            if d in obs.editorial.documents
        ],
        "resources": [
            {
                "name": "chiffres",
                "path": f"donnees{CSV_GZ}",
                "description": CSV_NOTE,
                "profile": "tabular-data-resource",
                "format": "csv",
                "compression": "gz",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [_field(n, t, d) for n, t, d in FIELDS]},
            },
            {
                "name": "indicateurs",
                "path": "indicateurs.csv",
                "description": CSV_NOTE,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": "code", "type": "string", "description": "Identifiant de l'indicateur"},
                        {"name": "intitule", "type": "string", "description": "Intitulé"},
                        {"name": "definition", "type": "string", "description": "Définition"},
                        {"name": "unite", "type": "string", "description": "Unité des valeurs"},
                        {"name": "sens", "type": "string", "description": "Sens de lecture"},
                        {"name": "producteur", "type": "string", "description": "Producteur"},
                        {"name": "enjeu", "type": "integer", "description": "Numéro de l'enjeu du contrat de la MEL"},
                    ]
                },
            },
        ],
    }
    return (json.dumps(package, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def indicators_csv(obs: Observatory) -> bytes:
    header = ["code", "intitule", "definition", "unite", "sens", "producteur", "enjeu"]
    rows = [
        [csv_text(text) for text in (i.id, i.label, i.definition, i.unit.label, DIRECTIONS[i.direction], i.producer)]
        + [i.enjeu]
        for i in obs.catalog.values()
    ]
    return "".join(_csv_line(row) for row in [header, *rows]).encode("utf-8")


@timed("downloads")
def page_downloads(
    obs: Observatory, name: str, title: str, figures: pd.DataFrame, date: str, chunks: Path | None = None
) -> dict[str, bytes]:
    """CSV and XLSX of the figures one page shows: {docs-relative path: bytes}. A file of more
    than one chunk of rows keeps its chunks in `chunks` (see _chunked)."""
    return {**_page_csv(obs, name, figures, chunks), **_page_xlsx(obs, name, title, figures, date, chunks)}


def _lines(obs: Observatory) -> _Lines:
    return obs.each_row("download-lines", functools.partial(_Lines, obs))


def _page_csv(obs: Observatory, name: str, figures: pd.DataFrame, chunks: Path | None) -> dict[str, bytes]:
    def make(positions: list[int], _first: int, keep: bool) -> bytes:
        return b"".join(_lines(obs).at("csv", positions, keep))

    lines = _chunked(obs, figures, chunks, f"{name}{CSV_GZ}", make, _CSV_KEPT)
    return {f"{FOLDER}/{name}{CSV_GZ}": gzipped(b"".join([_csv_line(_HEADER).encode("utf-8"), *lines]))}


def gzipped(data: bytes) -> bytes:
    """`data` as a gzip file that the same bytes always give: no date, no file name in its header."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _page_xlsx(
    obs: Observatory, name: str, title: str, figures: pd.DataFrame, date: str, chunks: Path | None
) -> dict[str, bytes]:
    def make(positions: list[int], first: int, keep: bool) -> Piece:
        return rows_piece(_lines(obs).at("cells", positions, keep), first + FIRST_ROW)

    body = _chunked(obs, figures, chunks, f"{name}.xlsx", make, _AS_IS)
    return {f"{FOLDER}/{name}.xlsx": to_xlsx(title, _HEADER, body, _stamp(date))}


T = TypeVar("T")


@dataclass(frozen=True)
class _Kept(Generic[T]):
    """How a chunk is put in a ChunkStore, and read back."""

    put: Callable[[T], Piece]
    get: Callable[[Piece], T]


_AS_IS: _Kept[Piece] = _Kept(put=lambda piece: piece, get=lambda piece: piece)  # a sheet's rows, compressed
_CSV_KEPT: _Kept[bytes] = _Kept(
    put=lambda lines: deflate(lines, level=1), get=lambda piece: zlib.decompress(piece.data, -15)
)


def _chunked(
    obs: Observatory,
    figures: pd.DataFrame,
    chunks: Path | None,
    file: str,
    make: Callable[[list[int], int, bool], T],
    kept: _Kept[T],
) -> list[T]:
    """The figures' rows of a download, CHUNK at a time: make(their positions in the table, the
    index of the first, whether to keep their lines for later pages). A file of more than one
    chunk (the whole data, an enjeu or an indicator of every quartier) keeps its chunks in
    `chunks`, under the hash of their rows (row_hashes), of the names, labels and titles their
    cells show, of their place in the file, of the code and of zlib's version: a rebuild after
    one changed figure makes one chunk again, not the whole file. Its lines are not kept for
    later pages (the whole table's, kept, held most of a gigabyte in the process making them)."""
    positions = list(figures.index)  # obs.figures has a RangeIndex
    firsts = range(0, len(positions), CHUNK)
    if len(positions) <= CHUNK:
        return [make(positions, 0, True)] if positions else []
    if chunks is None:
        return [make(positions[first : first + CHUNK], first, False) for first in firsts]
    store = ChunkStore(chunks / file)
    context = _cells_context(obs, figures).encode()
    hashes = obs.row_hashes()
    made = []
    for first in firsts:
        part = positions[first : first + CHUNK]
        key = hashlib.blake2b(context + b"%d\n" % first + hashes[part].tobytes(), digest_size=16).hexdigest()
        piece = store.get(key)
        if piece is None:
            piece = kept.put(make(part, first, False))
            store.put(key, piece)
        made.append(kept.get(piece))
    store.prune()
    return made


def forget_chunks(chunks: Path, files: Iterable[str]) -> None:
    """Forget the chunks of the downloads no longer made, given every file of a build."""
    forget_stores(chunks, {path.removeprefix(f"{FOLDER}/") for path in files if path.startswith(f"{FOLDER}/")})


def _cells_context(obs: Observatory, figures: pd.DataFrame) -> str:
    """What the cells of these figures show besides their rows: the names of their territories,
    the labels and units of their indicators, the titles of their documents; and what writes and
    compresses them (the code, zlib)."""
    documents, catalog = obs.editorial.documents, obs.catalog
    territories, indicators = sorted(set(figures["territory"])), sorted(set(figures["indicator"]))
    return digest(
        code_version(),
        zlib.ZLIB_RUNTIME_VERSION,
        repr([(code, obs.territory(code).name) for code in territories]),
        repr([(code, catalog[code].label, catalog[code].unit.label) for code in indicators]),
        repr([(code, documents[code].title if code in documents else "") for code in sorted(set(figures["document"]))]),
    )


def _stamp(date: str) -> tuple[int, int, int]:
    year, month, day = (int(part) for part in date.split("-"))
    return year, month, day


# the whole-data downloads, fingerprinted like pages with downloads: made again only when a
# figure changed (a recorded lookup of the whole table); the CSV and the XLSX apart, each on a core
ALL_DATA = f"{FOLDER}/donnees"
ALL_DATA_XLSX = f"{FOLDER}/donnees.xlsx"


@timed("downloads")
def all_data_csv(obs: Observatory, edition_id: str, date: str, chunks: Path | None = None) -> dict[str, bytes]:
    """Every figure as CSV, the indicators and the data package."""
    files = _page_csv(obs, "donnees", obs.all_figures(), chunks)
    files[f"{FOLDER}/indicateurs.csv"] = indicators_csv(obs)
    files[f"{FOLDER}/datapackage.json"] = datapackage(obs, edition_id, date)
    return files


@timed("downloads")
def all_data_xlsx(obs: Observatory, date: str, chunks: Path | None = None) -> dict[str, bytes]:
    """Every figure as a workbook."""
    return _page_xlsx(obs, "donnees", f"{obs.config.title} — toutes les données", obs.all_figures(), date, chunks)


def table_downloads(name: str, title: str, header: list[str], rows: list[list], date: str) -> dict[str, bytes]:
    """A small table a page shows (the comité's summary), as gzipped CSV (texts never run as
    formulas) like every page's, and as a one-sheet XLSX workbook titled `title`, dated with the edition."""
    lines = [_csv_line(header), *(_csv_line([csv_text(value) for value in row]) for row in rows)]
    body = [cells(ROW, row).encode("utf-8") for row in rows]
    workbook = to_xlsx(title, header, [rows_piece(body, FIRST_ROW)] if body else [], _stamp(date))
    return {f"{FOLDER}/{name}{CSV_GZ}": gzipped("".join(lines).encode("utf-8")), f"{FOLDER}/{name}.xlsx": workbook}
