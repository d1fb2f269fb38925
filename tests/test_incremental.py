"""Incremental rebuild: after one changed input file, the same site as a full build, byte for
byte, with only the pages that depend on the change written again."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from observatory.bench import set_cell
from observatory.pipeline import build

from .conftest import DEFAULT_CONFIG, SHARED_DATA, page_text

FILE = "qpv-2015/REVN_2022.csv"  # Filosofi 2018 for the 2015 quartiers
CHANGED_QP, CHANGED_QN = "QP059069", "QN05967M"  # Attargette - Chanzy (Armentières)
UNTOUCHED_QN = "QN05968M"  # Bizet - Briquetterie, same commune


def _differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [str(left / name) for name in comparison.left_only + comparison.right_only]
    found += [str(left / name) for name in comparison.common_files if not filecmp.cmp(left / name, right / name, False)]
    for name in comparison.common_dirs:
        found += _differences(left / name, right / name)
    return found


@pytest.fixture
def producer_files(tmp_path: Path) -> Path:
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not beside the project")
    data = tmp_path / "data"
    for name in ("qpv-2015/REVN_2021.csv", FILE, "qpv-2024/qpv_correspondance_2024_2015.csv"):
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHARED_DATA / name, data / name)
    return data


def test_after_one_changed_file_only_its_pages_are_rewritten_and_the_site_is_the_full_builds(
    tmp_path: Path, producer_files: Path
):
    site = tmp_path / "incremental" / "site"
    build(DEFAULT_CONFIG, site, producer_files, incremental=True)
    untouched = site / "quartiers" / UNTOUCHED_QN / "index.html"
    before = untouched.stat().st_ino, page_text(site, f"quartiers/{CHANGED_QN}")
    assert "32,0\u00a0%" not in before[1]

    set_cell(producer_files / FILE, CHANGED_QP, "TP60", "32,0")
    build(DEFAULT_CONFIG, site, producer_files, incremental=True)
    full = tmp_path / "full" / "site"
    build(DEFAULT_CONFIG, full, producer_files)

    assert _differences(site, full) == []
    assert "32,0\u00a0%" in page_text(site, f"quartiers/{CHANGED_QN}")
    assert untouched.stat().st_ino == before[0]  # same file, linked from the previous site, not rewritten


def test_an_unchanged_rebuild_rewrites_no_quartier_page(tmp_path: Path, producer_files: Path):
    site = tmp_path / "site"
    build(DEFAULT_CONFIG, site, producer_files, incremental=True)
    files = sorted(path.relative_to(site) for path in site.rglob("*"))
    pages = sorted((site / "quartiers").glob("QN*/index.html"))
    inodes = [page.stat().st_ino for page in pages]
    build(DEFAULT_CONFIG, site, producer_files, incremental=True)
    assert [page.stat().st_ino for page in pages] == inodes
    assert sorted(path.relative_to(site) for path in site.rglob("*")) == files
