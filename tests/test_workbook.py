"""XLSX workbooks written by the project: a valid archive a spreadsheet opens, whatever the number
of chunks its sheet is compressed in; and large downloads whose kept chunks give the same bytes
as making them again."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from observatory.pages import downloads
from observatory.pages.downloads import all_data_csv, all_data_xlsx, forget_chunks, gzipped
from observatory.pages.workbook import FIRST_ROW, ROW, cells, crc32_combine, rows_piece, to_xlsx

DATE = "2024-06-30"


@pytest.mark.parametrize("sizes", [(0, 0), (1, 0), (0, 7), (5, 3), (4096, 100_003), (70_000_000, 1)])
def test_the_crc_of_two_strings_end_to_end_is_combined_from_theirs(sizes: tuple[int, int]):
    first, second = (os.urandom(size) if size < 1_000_000 else b"\x07" * size for size in sizes)
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_a_sheet_in_several_chunks_opens_with_every_row_in_order():
    rows = [cells(ROW, [f"Quartier {n}", n * 1.5, "" if n % 3 else "note"]).encode() for n in range(23)]
    body = [rows_piece(rows[first : first + 7], first + FIRST_ROW) for first in range(0, 23, 7)]
    data = to_xlsx("Titre — é & <b>", ["nom", "valeur", "note"], body, (2024, 6, 30))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every entry's CRC and length check out
        assert archive.getinfo("xl/worksheets/sheet1.xml").date_time == (2024, 6, 30, 0, 0, 0)
    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Titre — é & <b>" and values[1] == ("nom", "valeur", "note")
    assert values[2:] == [(f"Quartier {n}", n * 1.5, None if n % 3 else "note") for n in range(23)]


@pytest.fixture
def small_chunks(monkeypatch) -> list[tuple[str, int]]:
    """Chunks of 40 rows; the chunks made (kind, first row), as they are made."""
    monkeypatch.setattr(downloads, "CHUNK", 40)
    made: list[tuple[str, int]] = []
    rows_piece, deflate = downloads.rows_piece, downloads.deflate
    monkeypatch.setattr(
        downloads, "rows_piece", lambda rows, first: made.append(("xlsx", first)) or rows_piece(rows, first)
    )
    monkeypatch.setattr(downloads, "deflate", lambda data, level: made.append(("csv", 0)) or deflate(data, level=level))
    return made


def _whole(obs, chunks: Path | None = None) -> dict[str, bytes]:
    return {**all_data_csv(obs, "id", DATE, chunks), **all_data_xlsx(obs, DATE, chunks)}


def test_kept_chunks_give_the_same_downloads_and_a_changed_figure_makes_one_again(
    observatory, tmp_path: Path, small_chunks: list[tuple[str, int]]
):
    chunks = -(-len(observatory.figures) // 40)
    made = _whole(observatory, tmp_path)
    assert len(small_chunks) == 2 * chunks and chunks > 3
    assert [len(list((tmp_path / "donnees.csv.gz").iterdir())), len(list((tmp_path / "donnees.xlsx").iterdir()))] == [
        chunks,
        chunks,
    ]
    assert made == _whole(observatory)  # the same bytes as without keeping chunks

    small_chunks.clear()
    assert _whole(observatory, tmp_path) == made
    assert small_chunks == []

    figures = observatory.figures.copy()
    position = int(figures.index[(figures["status"] == "ok").to_numpy()][len(figures) // 2])
    figures.loc[position, "value"] += 1
    changed = replace(observatory, figures=figures)
    again = _whole(changed, tmp_path)
    assert small_chunks == [("csv", 0), ("xlsx", position // 40 * 40 + FIRST_ROW)]  # the chunk holding the figure
    assert again == _whole(changed)
    assert again["telechargements/donnees.csv.gz"] != made["telechargements/donnees.csv.gz"]
    assert len(list((tmp_path / "donnees.xlsx").iterdir())) == chunks  # the replaced chunk is forgotten


def test_a_chunk_cut_short_is_made_again(observatory, tmp_path: Path, small_chunks):
    made = _whole(observatory, tmp_path)
    for kind in ("csv", "xlsx"):
        first, second = sorted((tmp_path / f"donnees.{'csv.gz' if kind == 'csv' else kind}").iterdir())[:2]
        first.write_bytes(first.read_bytes()[:-10])
        second.write_bytes(second.read_bytes()[:5])  # not even its header
    assert _whole(observatory, tmp_path) == made


def test_the_chunks_of_a_file_no_longer_made_are_forgotten(tmp_path: Path):
    for store in ("quartiers/QN05967M.csv.gz", "quartiers/QN05999X.csv.gz", "donnees.xlsx"):
        (tmp_path / store).mkdir(parents=True)
        (tmp_path / store / "0123").write_bytes(b"chunk")
    files = {"telechargements/quartiers/QN05967M.csv.gz", "telechargements/donnees.xlsx", "quartiers/QN05967M.md"}
    forget_chunks(tmp_path, files)  # a build's files: pages and downloads
    kept = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("0123"))
    assert kept == ["donnees.xlsx/0123", "quartiers/QN05967M.csv.gz/0123"]


def test_a_gzipped_download_is_the_same_file_whenever_it_is_made():
    """Issue 31: a CSV download is gzipped with no date and no file name in its header (RFC 1952:
    FLG without FNAME, MTIME 0), so that a build of the same inputs gives the same bytes."""
    data = gzipped(b"territoire_code,valeur\nQN05967M,41.5\n")
    assert data[:3] == b"\x1f\x8b\x08" and data[3] & 0x08 == 0 and data[4:8] == bytes(4)
    assert gzip.decompress(data) == b"territoire_code,valeur\nQN05967M,41.5\n"
