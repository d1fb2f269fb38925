"""Incremental rebuild: after one changed input file, the same site as a full build, byte for
byte, with only the pages that depend on the change written again."""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from observatory.bench import set_cell
from observatory.pages import render
from observatory.pages.downloads import all_data_csv
from observatory.pipeline import build, load
from observatory.publish import incremental

from .conftest import DEFAULT_CONFIG, ROOT, SHARED_DATA, copy_mini, page_text

FILE = "qpv-2015/REVN_2022.csv"  # Filosofi 2018 for the 2015 quartiers
CHANGED_QP, CHANGED_QN = "QP059069", "QN05967M"  # Attargette - Chanzy (Armentières)
UNTOUCHED_QN = "QN05968M"  # Bizet - Briquetterie, same commune


def _owners(pages: list[str]) -> list[str]:
    """The pages rendered, a quartier's section pages counted as its page, an indicator's millésime
    pages as its page (each is rendered with the page it belongs to, from the same lookups)."""
    found = set()
    for page in pages:
        parts = page.split("/")
        found.add(f"{parts[0]}/{parts[1]}.md" if len(parts) == 3 and parts[0] in ("quartiers", "indicateurs") else page)
    return sorted(found)


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
    shutil.copytree(ROOT / "data" / "extract", data)  # every file the archived editions declare (issue 29)
    for name in ("qpv-2015/REVN_2021.csv", FILE, "qpv-2024/qpv_correspondance_2024_2015.csv"):
        shutil.copy(SHARED_DATA / name, data / name)
    return data


def test_after_one_changed_file_only_its_pages_are_rewritten_and_the_site_is_the_full_builds(
    tmp_path: Path, producer_files: Path
):
    site = tmp_path / "incremental" / "site"
    build(DEFAULT_CONFIG, site, producer_files, incremental=True)
    untouched = site / "quartiers" / UNTOUCHED_QN / "index.html"
    before = untouched.stat().st_ino, page_text(site, f"quartiers/{CHANGED_QN}/revenus-pauvrete")
    assert "32,0\u00a0%" not in before[1]

    set_cell(producer_files / FILE, CHANGED_QP, "TP60", "32,0")
    build(DEFAULT_CONFIG, site, producer_files, incremental=True)
    full = tmp_path / "full" / "site"
    build(DEFAULT_CONFIG, full, producer_files)

    assert _differences(site, full) == []
    assert "32,0\u00a0%" in page_text(site, f"quartiers/{CHANGED_QN}/revenus-pauvrete")
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


def _set_figure(config: Path, territory: str, indicator: str, **cells: str) -> None:
    """Rewrite cells of one figure of the mini fixture's figures file."""
    path = config.parent / "figures" / "armentieres.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(";")
    for number, line in enumerate(lines):
        row = line.split(";")
        if row[:2] == [territory, indicator]:
            for column, value in cells.items():
                row[header.index(column)] = value
            lines[number] = ";".join(row)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_changed_figure_renders_again_the_pages_whose_recorded_reads_it_changes_and_no_other(tmp_path: Path):
    """The RSA share of the second quartier, secret, becomes known: its page, the indicator's and
    the enjeu's read it and are rendered again (with the pages without downloads, always
    rendered); the first quartier's page, which has no RSA figure, is not, nor another indicator's."""
    config, site = copy_mini(tmp_path), tmp_path / "site"
    owned = ("quartiers/QN", "indicateurs/", "enjeux/")
    first = build(config, site, incremental=True)
    assert {"quartiers/QN05967M.md", "quartiers/QN05999X.md", "enjeux/precarite-acces-droits.md"} <= set(first.rendered)
    unchanged = build(config, site, incremental=True)
    assert [page for page in unchanged.rendered if page.startswith(owned) and not page.endswith("index.md")] == []

    _set_figure(config, "QN05999X", "part-allocataires-rsa-socle", value="12,5", status="ok", note="")
    report = build(config, site, incremental=True)
    rendered = [page for page in report.rendered if page.startswith(owned) and not page.endswith("index.md")]
    assert _owners(rendered) == [
        "enjeux/precarite-acces-droits.md",
        "indicateurs/part-allocataires-rsa-socle.md",
        "quartiers/QN05999X.md",
    ]
    assert len(report.rendered) < len(first.rendered)
    full = tmp_path / "full" / "site"
    build(config, full)
    assert _differences(site, full) == []


def test_a_changed_or_added_figure_hashes_again_only_what_the_pages_reading_it_read(tmp_path: Path, monkeypatch):
    """The build takes again the fingerprint of the pages that read the changed figure only, not
    of every page, whether a figure changed or one was added (every later row of the table then
    moves: the figures of each indicator and territory are compared as blocks, wherever they
    are). The same pages are rendered again as when every fingerprint was taken (the tests
    around this one)."""
    taken: list[list[str]] = []
    fingerprints = incremental.fingerprints

    def taking(obs, reads, changed):
        taken.append(sorted(reads))
        return fingerprints(obs, reads, changed)

    monkeypatch.setattr(incremental, "fingerprints", taking)
    config, site = copy_mini(tmp_path), tmp_path / "site"
    build(config, site, incremental=True)
    assert taken == []  # nothing to compare with

    _set_figure(config, "QN05999X", "part-allocataires-rsa-socle", value="12,5", status="ok", note="")
    build(config, site, incremental=True)
    assert taken == [
        [
            "enjeux/precarite-acces-droits.md",
            "indicateurs/part-allocataires-rsa-socle.md",
            "quartiers/QN05999X.md",
            "telechargements/donnees",
            "telechargements/donnees.xlsx",
        ]
    ]

    path = config.parent / "figures" / "armentieres.csv"
    added = (  # a second document's figure of a millésime the site has (a new millésime is a new page: a full build)
        "QN05999X;taux-pauvrete-60;2019;38,2;;value;ok;Insee-DGFiP-Cnaf-Cnav-CCMSA, Filosofi 2019;"
        "mel-appel-projets-2025;Annexe 2;non_precise;"
    )
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + added + "\n", encoding="utf-8")
    taken.clear()
    build(config, site, incremental=True)
    assert taken == [
        [
            "enjeux/precarite-acces-droits.md",
            "indicateurs/taux-pauvrete-60.md",
            "quartiers/QN05999X.md",
            "telechargements/donnees",
            "telechargements/donnees.xlsx",
        ]
    ]


def test_figures_of_one_indicator_and_territory_apart_in_the_table_make_no_blocks(tmp_path: Path):
    """Blocks (what an incremental build compares) exist only when each indicator and
    territory's figures are consecutive; otherwise every page's fingerprint is taken again."""
    obs = load(copy_mini(tmp_path), tmp_path / "site", None)
    blocks = obs.blocks()
    assert blocks is not None and len(blocks) == len(obs.figures.groupby(["indicator", "territory"]))
    apart = pd.concat([obs.figures, obs.figures.iloc[[0]]], ignore_index=True)  # its first figure again, last
    assert replace(obs, figures=apart).blocks() is None


def test_a_figure_added_before_others_renders_again_only_the_pages_that_show_it(tmp_path: Path):
    """A row added to the documents' figures moves every producer figure of the table (they come
    after it): the pages depend on the figures they show, not on where these stand in the table
    (the first quartier's page, its download included, is not rendered again)."""
    config, site = copy_mini(tmp_path), tmp_path / "site"
    owned = ("quartiers/QN", "indicateurs/", "enjeux/")
    build(config, site, incremental=True)
    path = config.parent / "figures" / "armentieres.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    added = (  # a second document's figure of a millésime the site has (a new millésime is a new page: a full build)
        "QN05999X;taux-pauvrete-60;2019;38,2;;value;ok;Insee-DGFiP-Cnaf-Cnav-CCMSA, Filosofi 2019;"
        "mel-appel-projets-2025;Annexe 2;non_precise;"
    )
    path.write_text("\n".join([*lines, added]) + "\n", encoding="utf-8")
    report = build(config, site, incremental=True)
    rendered = [page for page in report.rendered if page.startswith(owned) and not page.endswith("index.md")]
    assert _owners(rendered) == [
        "enjeux/precarite-acces-droits.md",
        "indicateurs/taux-pauvrete-60.md",
        "quartiers/QN05999X.md",
    ]
    assert "38,2\u00a0%" in page_text(site, "quartiers/QN05999X/precarite-acces-droits")
    full = tmp_path / "full" / "site"
    build(config, full)
    assert _differences(site, full) == []


def test_a_changed_template_renders_again_only_the_pages_of_that_template(tmp_path: Path, monkeypatch):
    """A sentence changed in the indicator template: every indicator page is rendered again with
    it, no quartier or enjeu page is, and the whole-data downloads are not made again (no figure
    changed); a change of the macros they all import renders all of them."""
    made: list[str] = []
    monkeypatch.setenv("OBSERVATORY_PROCESSES", "1")  # every page made in this process, where it is counted
    monkeypatch.setattr(
        render, "all_data_csv", lambda obs, *args: made.append(obs.config.title) or all_data_csv(obs, *args)
    )
    config, site = copy_mini(tmp_path), tmp_path / "site"
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    config.write_text(config.read_text(encoding="utf-8").replace(f"{ROOT}/templates", str(templates)), encoding="utf-8")
    owned = ("quartiers/QN", "indicateurs/", "enjeux/")
    first = build(config, site, incremental=True)
    indicator_pages = sorted(p for p in first.rendered if p.startswith("indicateurs/") and p != "indicateurs/index.md")

    template = templates / "pages" / "indicator.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace("<dt>Producteur</dt>", "<dt>Producteur cité</dt>"),
        encoding="utf-8",
    )
    assert len(made) == 1  # the first build made them
    made.clear()
    report = build(config, site, incremental=True)
    rendered = sorted(p for p in report.rendered if p.startswith(owned) and not p.endswith("index.md"))
    assert rendered == indicator_pages
    assert made == []
    assert "Producteur cité" in page_text(site, indicator_pages[0].removesuffix(".md"))

    macros = templates / "pages" / "_macros.j2"
    macros.write_text(macros.read_text(encoding="utf-8").replace("Source : ", "Source citée : "), encoding="utf-8")
    report = build(config, site, incremental=True)
    rendered = [p for p in report.rendered if p.startswith(owned) and not p.endswith("index.md")]
    assert {"quartiers/QN05967M.md", "enjeux/precarite-acces-droits.md", *indicator_pages} <= set(rendered)
    full = tmp_path / "full" / "site"
    build(config, full)
    assert _differences(site, full) == []
