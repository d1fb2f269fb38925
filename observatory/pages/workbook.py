"""One-sheet XLSX workbooks written directly as SpreadsheetML in a ZIP archive.

At national scale thousands of workbooks are built, and a general-purpose writer takes thirty
times longer. The sheet's rows are compressed CHUNK at a time, each chunk on its own (a fresh
deflate stream ended by a sync flush, the way pigz compresses in parallel): the whole national
table as one text weighs gigabytes, and a large download, rebuilt whenever one of its figures
changes, makes again only the chunks whose rows changed (`ChunkStore`, used by downloads.py). The archive is
written here rather than by `zipfile`, which cannot take data already compressed.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROW = "\x00"  # stands for the row number in a row's cells: never in a cell (escape_xml removes it)
CHUNK = 20_000  # rows of a sheet compressed together
_ROW = ROW.encode()
_POLY = 0xEDB88320  # CRC-32 (ZIP), reversed polynomial
_HEADER = struct.Struct("<3Q")  # a kept chunk's CRC-32, length, compressed length


@dataclass(frozen=True)
class Piece:
    """Deflated bytes of part of an entry, with the CRC-32 and the length of what they hold."""

    crc: int
    size: int
    data: bytes


def deflate(data: bytes, final: bool = True, level: int = zlib.Z_DEFAULT_COMPRESSION) -> Piece:
    """`data` as a raw deflate stream (final) or as a fragment that others may follow: compressed
    on its own, ended on a byte boundary (sync flush)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)
    return Piece(zlib.crc32(data), len(data), packed)


def _multiply(a: int, b: int) -> int:
    """a × b modulo the CRC polynomial (zlib's multmodp)."""
    product, mask = 0, 1 << 31
    while True:
        if a & mask:
            product ^= b
            if a & (mask - 1) == 0:
                return product
        mask >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _powers() -> list[int]:
    """x^(2^n) modulo the polynomial, n = 0…31 (zlib's x2n_table)."""
    powers, power = [], 1 << 30  # x^1
    for _ in range(32):
        powers.append(power)
        power = _multiply(power, power)
    return powers


_POWERS = _powers()


def crc32_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two byte strings end to end, from theirs and the second's length (zlib's
    crc32_combine, which Python's zlib does not expose)."""
    shift, n, k = 1 << 31, second_size, 3  # x^(8 × second_size)
    while n:
        if n & 1:
            shift = _multiply(_POWERS[k & 31], shift)
        n >>= 1
        k += 1
    return _multiply(shift, first) ^ second


def joined(pieces: Iterable[Piece]) -> Piece:
    """Fragments (deflate(…, final=False)) end to end, as one complete deflate stream."""
    crc, size, parts = 0, 0, []
    for piece in pieces:
        crc, size = crc32_combine(crc, piece.crc, piece.size), size + piece.size
        parts.append(piece.data)
    parts.append(zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15).flush())  # empty final block
    return Piece(crc, size, b"".join(parts))


def rows_piece(rows: list[bytes], first: int) -> Piece:
    """Rows of the sheet (their cells, ROW for the row number), numbered from `first`, as a fragment."""
    numbered = (b'<row r="%d">' % r + row.replace(_ROW, b"%d" % r) + b"</row>" for r, row in enumerate(rows, first))
    return deflate(b"".join(numbered), final=False)


FIRST_ROW = 3  # the title, the header, then the figures


def to_xlsx(title: str, header: list[str], body: Iterable[Piece], stamp: tuple[int, int, int]) -> bytes:
    """A one-sheet workbook, title row above the header, numbers as numbers, dated `stamp`;
    `body` is its data rows, CHUNK at a time from the first (rows_piece), in order."""
    start, end = _SHEET.split("{rows}")
    head = f'{start}<row r="1">{cells("1", [title])}</row><row r="2">{cells("2", header)}</row>'
    sheet = joined([deflate(head.encode(), final=False), *body, deflate(end.encode(), final=False)])
    date = f"{stamp[0]:04d}-{stamp[1]:02d}-{stamp[2]:02d}T00:00:00Z"
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _CORE.format(date=date, title=escape_xml(title)),
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
    }
    entries = [(name, deflate(text.encode("utf-8"))) for name, text in parts.items()]
    return zip_archive([*entries, ("xl/worksheets/sheet1.xml", sheet)], stamp)


def zip_archive(entries: list[tuple[str, Piece]], stamp: tuple[int, int, int]) -> bytes:
    """A ZIP archive of deflated entries (ASCII names), all dated `stamp` at midnight."""
    date = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    local, central, offset = [], [], 0
    for name, piece in entries:
        if piece.size >= 0xFFFFFFFF or offset + len(piece.data) >= 0xFFFFFFFF:
            raise ValueError(f"{name}: plus de 4 Go, au-delà d'une archive ZIP sans extension ZIP64")
        encoded = name.encode("ascii")
        fields = (20, 0, 8, 0, date, piece.crc, len(piece.data), piece.size, len(encoded), 0)
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields)
        central.append(struct.pack("<4sH5H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset) + encoded)
        local += [header, encoded, piece.data]
        offset += len(header) + len(encoded) + len(piece.data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join([*local, directory, end])


class ChunkStore:
    """Compressed chunks of one download file kept between builds, each under the hash of what
    its rows hold (`key`: the caller's): a large download rebuilt after one changed figure makes
    one chunk again. A chunk's bytes depend on its key alone, so a chunk left by a build that
    failed is as good as any; a file cut short is not used."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.used = folder, set()

    def get(self, key: str) -> Piece | None:
        self.used.add(key)
        try:
            blob = (self.folder / key).read_bytes()
        except FileNotFoundError:
            return None
        if len(blob) < _HEADER.size:
            return None
        crc, size, length = _HEADER.unpack_from(blob)
        return Piece(crc, size, blob[_HEADER.size :]) if len(blob) == _HEADER.size + length else None

    def put(self, key: str, piece: Piece) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"{key}.{os.getpid()}.part"
        temporary.write_bytes(_HEADER.pack(piece.crc, piece.size, len(piece.data)) + piece.data)
        os.replace(temporary, self.folder / key)

    def prune(self) -> None:
        """Forget the chunks this build did not use."""
        for kept in self.folder.glob("*"):
            if kept.name not in self.used:
                kept.unlink(missing_ok=True)


def forget_stores(root: Path, files: set[str]) -> None:
    """Forget the chunks of the files no longer made (`files`: the stores kept, relative to root)."""
    stores = {path.parent for path in root.rglob("*") if path.is_file()} if root.is_dir() else set()
    for folder in sorted(stores):
        if folder.relative_to(root).as_posix() not in files:
            shutil.rmtree(folder)


_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 does not allow


def escape_xml(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _NOT_IN_XML.sub("", text)


@functools.cache
def column_name(index: int) -> str:
    """'A', 'B', … 'Z', 'AA' for the column at `index` (from 0)."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def cell(ref: str, value: str | float | int) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape_xml(str(value))}</t></is></c>'


def cells(row: str, values: list) -> str:
    return "".join(cell(f"{column_name(c)}{row}", v) for c, v in enumerate(values) if v not in (None, ""))


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>'
    "</cp:coreProperties>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="chiffres" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>{rows}</sheetData></worksheet>"
)
