"""XLSX workbooks written by the project: a valid archive a spreadsheet opens, whatever the number
of chunks its sheet is compressed in, and a whole-data workbook whose kept chunks give the same
bytes as making it again."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from observatory.pages import downloads, workbook
from observatory.pages.downloads import all_data_xlsx
from observatory.pages.workbook import ROW, ChunkStore, cells, crc32_combine, row_chunks, to_xlsx

DATE = "2024-06-30"


@pytest.mark.parametrize("sizes", [(0, 0), (1, 0), (0, 7), (5, 3), (4096, 100_003), (70_000_000, 1)])
def test_the_crc_of_two_strings_end_to_end_is_combined_from_theirs(sizes: tuple[int, int]):
    first, second = (os.urandom(size) if size < 1_000_000 else b"\x07" * size for size in sizes)
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_a_sheet_in_several_chunks_opens_with_every_row_in_order(monkeypatch):
    monkeypatch.setattr(workbook, "CHUNK", 7)
    rows = [cells(ROW, [f"Quartier {n}", n * 1.5, "" if n % 3 else "note"]).encode() for n in range(23)]
    data = to_xlsx("Titre — é & <b>", ["nom", "valeur", "note"], row_chunks(rows), (2024, 6, 30))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every entry's CRC and length check out
        assert archive.getinfo("xl/worksheets/sheet1.xml").date_time == (2024, 6, 30, 0, 0, 0)
    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Titre — é & <b>" and values[1] == ("nom", "valeur", "note")
    assert values[2:] == [(f"Quartier {n}", n * 1.5, None if n % 3 else "note") for n in range(23)]


def test_kept_chunks_give_the_same_workbook_and_a_changed_figure_compresses_one_again(
    observatory, tmp_path: Path, monkeypatch
):
    for module in (workbook, downloads):
        monkeypatch.setattr(module, "CHUNK", 40)
    compressed: list[int] = []
    rows_piece = downloads.rows_piece
    monkeypatch.setattr(downloads, "rows_piece", lambda rows, first: compressed.append(first) or rows_piece(rows, first))
    folder = tmp_path / "chunks"
    made = all_data_xlsx(observatory, DATE, ChunkStore(folder))
    chunks = -(-len(observatory.figures) // 40)
    assert len(compressed) == chunks > 3 and len(list(folder.iterdir())) == chunks
    assert made == all_data_xlsx(observatory, DATE)  # the same bytes as without a store

    compressed.clear()
    assert all_data_xlsx(observatory, DATE, ChunkStore(folder)) == made
    assert compressed == []

    figures = observatory.figures.copy()
    position = int(figures.index[(figures["status"] == "ok").to_numpy()][len(figures) // 2])
    figures.loc[position, "value"] += 1
    changed = replace(observatory, figures=figures)
    again = all_data_xlsx(changed, DATE, ChunkStore(folder))
    assert compressed == [position // 40 * 40 + 3]  # the chunk holding the figure, rows from there
    assert again == all_data_xlsx(changed, DATE) != made
    assert len(list(folder.iterdir())) == chunks  # the replaced chunk is forgotten


def test_a_chunk_cut_short_is_made_again(observatory, tmp_path: Path):
    folder = tmp_path / "chunks"
    made = all_data_xlsx(observatory, DATE, ChunkStore(folder))
    kept = next(folder.iterdir())
    kept.write_bytes(kept.read_bytes()[:-10])
    assert all_data_xlsx(observatory, DATE, ChunkStore(folder)) == made
