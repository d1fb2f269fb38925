"""What the search index keeps of a quartier's pages: the file a browser downloads at its first search.

By default, the lead and a section per part of the quartier's page, and a section per indicator
of its section pages (« pauvreté Roubaix » leads straight to a quartier's poverty rate,
tests/test_search.py). With `search.quartier_pages: lead` (the national build: 1 609 quartier
pages made a 20 MB index), the lead of the quartier's page alone: name, code, communes; its section
pages are not indexed. The pages themselves are the same, their headings still anchors of their
table of contents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observatory.pipeline import build

from .conftest import MINI_CONFIG, copy_mini, page_text

QUARTIER = "quartiers/QN05967M/"  # Attargette - Chanzy, Armentières
FORMER = "quartiers/QP059071/"  # a 2015 quartier without successor (made up)
POVERTY = "taux-pauvrete-60"
SECTION = f"{QUARTIER}precarite-acces-droits/"  # the mini contract's layout: the enjeux
PRODUCERS = MINI_CONFIG.parent / "producers"


def _entries(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    """The mini observatory with its producers' files, indexed by default and by lead only."""
    folder = tmp_path_factory.mktemp("search-index")
    default = build(MINI_CONFIG, folder / "default", PRODUCERS).site_dir
    config = copy_mini(folder)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_dir: site\n", "site_dir: site\nsearch:\n  quartier_pages: lead\n"), "utf-8")
    lead = build(config, folder / "lead", PRODUCERS).site_dir
    return default, lead


def test_by_default_a_quartier_page_is_indexed_by_section_without_its_method_paragraph(sites):
    default, _ = sites
    entries = _entries(default)
    locations = {entry["location"] for entry in entries}
    assert f"{SECTION}#{POVERTY}" in locations
    page = next(entry for entry in entries if entry["location"] == QUARTIER)
    assert "Armentières" in page["text"] and "QN05967M" in page["text"]
    quartier = [entry["text"] for entry in entries if entry["location"].startswith(f"{QUARTIER}#")]
    assert any("Séries des producteurs" in text for text in quartier)  # the 2015 quartier its series come from
    # the method paragraph, the same on every quartier page, is the sources page's
    assert not any("Chaque chiffre vient" in entry["text"] for entry in entries)


def test_lead_only_keeps_one_entry_per_quartier_page_with_its_name_code_and_communes(sites):
    _, lead = sites
    entries = _entries(lead)
    of_quartiers = [entry for entry in entries if entry["location"].startswith(("quartiers/QN", "quartiers/QP"))]
    assert {entry["location"] for entry in of_quartiers} == {QUARTIER, "quartiers/QN05999X/", FORMER}
    page = next(entry for entry in of_quartiers if entry["location"] == QUARTIER)
    assert page["title"] == "Attargette - Chanzy"
    assert page["text"].startswith("<p>Quartier prioritaire 2024 QN05967M — Armentières")
    assert "Armentières" in page["text"]
    assert "Séries des producteurs" not in page["text"] and "Enjeu" not in page["text"]
    former = next(entry for entry in of_quartiers if entry["location"] == FORMER)
    assert "sorti de la géographie prioritaire" not in former["text"] and "QP059071" in former["text"]
    # the other pages keep their sections
    assert any(entry["location"].startswith("indicateurs/taux-pauvrete-60/#") for entry in entries)


def test_lead_only_changes_the_index_not_the_page_a_resident_reads(sites):
    default, lead = sites
    html = page_text(lead, SECTION)
    assert f'<h2 data-search-exclude id="{POVERTY}">' in html
    assert f'href="#{POVERTY}"' in html  # still in the page's table of contents
    strip = "data-search-exclude"
    for page in (QUARTIER, SECTION):
        assert page_text(lead, page).replace(f" {strip}", "") == page_text(default, page).replace(f" {strip}", "")
    assert len((lead / "search" / "search_index.json").read_bytes()) < len(
        (default / "search" / "search_index.json").read_bytes()
    )
