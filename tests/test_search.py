"""Search as a resident on a phone uses it (issue 13): the real search box of the built default
site, in Debian's chromium at 375 × 812, with Material's search worker and the project's French
support (templates/theme/assets/javascripts/lunr/min/lunr.fr.min.js).

Each query must give the right page first and fewer than ten results, and the excerpts must show
the page's own words, never a hidden list of folded keywords. Needs chromium and Playwright only
(no axe-core): it runs wherever the browser tests run.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from observatory.names import fold

pytestmark = pytest.mark.needs("playwright", "chromium")  # skips, or fails in CI, without them

PHONE = {"width": 375, "height": 812}
MONS = "quartiers/QN05978M/"  # Nouveau Mons - Les Sarts- Dombrowski (Villeneuve-d'Ascq, Lille, Mons-en-Barœul)
BIZET = "quartiers/QN05968M/"  # Bizet - Briqueterie (Armentières)
ROUBAIX = {"quartiers/QN05969M/", "quartiers/QN05980M/", "quartiers/QN05981M/"}  # quartiers in Roubaix
ROUBAIX_POVERTY = {f"{quartier}revenus-pauvrete/" for quartier in ROUBAIX}  # their pages of revenues and poverty
LENS = {f"quartiers/{code}/" for code in ("QN06224M", "QN06225M", "QN06226M", "QN06227M", "QN06229M")}  # in Lens
POVERTY = "#taux-pauvrete-60"


@pytest.fixture(scope="module")
def site_url(default_site_url):
    return default_site_url


def search(browser, site_url: str, query: str) -> tuple[int, list[dict]]:
    """Type the query into the search box of the home page; the number of pages found and, for
    each result shown, its links (page first, then its sections) and its text."""
    page = browser.new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url, wait_until="networkidle")
    page.click("label.md-header__button[for=__search]")  # the magnifier of the phone header
    box = page.locator(".md-search__input")
    box.press_sequentially(query, delay=30)
    meta = page.locator(".md-search-result__meta")
    # the worker answers each keystroke: wait for an answer, then for the last one to settle
    page.wait_for_function(
        "() => /\\d|Aucun/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=20000
    )
    seen, stable = None, 0
    deadline = time.monotonic() + 10
    while stable < 4 and time.monotonic() < deadline:
        now = (meta.inner_text(), page.locator(".md-search-result__item").count())
        stable = stable + 1 if now == seen else 0
        seen = now
        page.wait_for_timeout(150)
    text = meta.inner_text()
    count = 0 if "Aucun" in text else int(re.search(r"\d+", text.replace("\u202f", "")).group(0))
    items = []
    for item in page.locator(".md-search-result__list > .md-search-result__item").all():
        links = [a.get_attribute("href").split(site_url, 1)[-1] for a in item.locator("a").all()]
        items.append({"links": links, "text": item.inner_text()})
    page.close()
    assert errors == []
    return count, items


def _folded_keyword_lists() -> set[str]:
    """What the old hidden keyword span held: each quartier's folded name and communes."""
    import csv

    root = Path(__file__).resolve().parent.parent
    with (root / "data" / "referential" / "quartiers_2024.csv").open(encoding="utf-8") as f:
        return {f"{fold(row['name'])} {fold(row['communes'].replace('|', ' '))}" for row in csv.DictReader(f)}


def _no_keyword_list(items: list[dict]) -> None:
    lists = _folded_keyword_lists()
    for item in items:
        assert not any(words in item["text"] for words in lists), item["text"][:300]


@pytest.mark.parametrize("query", ["mons en baroeul", "Mons-en-Barœul", "MONS EN BARŒUL"])
def test_a_commune_typed_without_accents_or_hyphens_finds_its_quartier_first(browser, site_url, query):
    count, items = search(browser, site_url, query)
    assert items and items[0]["links"][0] == MONS
    assert "Mons-en-Barœul" in items[0]["text"]  # the page's own words, the name as written
    assert count < 10
    _no_keyword_list(items)


def _others(items: list[dict], quartiers: set[str]) -> list[str]:
    """The results that are not one of these quartiers' pages (its page, its section pages)."""
    return [item["links"][0] for item in items if not item["links"][0].startswith(tuple(quartiers))]


def test_a_quartier_name_finds_its_page_first(browser, site_url):
    _count, items = search(browser, site_url, "Bizet")
    assert items[0]["links"][0] == BIZET
    assert len(_others(items, {BIZET})) < 5  # besides its own pages (one per theme)
    _no_keyword_list(items)


@pytest.mark.parametrize("query", ["pauvreté Roubaix", "pauvrete roubaix"])
def test_a_topic_and_a_commune_find_the_quartiers_of_the_commune_at_that_topic(browser, site_url, query):
    """A resident asking for poverty in Roubaix gets the pages of Roubaix's quartiers on revenues and
    poverty first, each result leading straight to the figure (its sentence names the commune);
    every word is required."""
    count, items = search(browser, site_url, query)
    top = items[0]
    assert top["links"][0] in ROUBAIX_POVERTY
    assert any(link.endswith(POVERTY) for link in top["links"])  # straight to its poverty rate
    assert "Roubaix" in top["text"]
    assert count < 10
    assert {item["links"][0] for item in items} <= ROUBAIX | ROUBAIX_POVERTY | {"indicateurs/taux-pauvrete-60/"}
    _no_keyword_list(items)


def test_a_town_finds_its_quartiers_or_its_contract_not_every_commune_named_after_it(browser, site_url):
    """« Lens » finds the CALL (Lens-Liévin) and the quartiers of Lens, not the 22 quartiers whose
    page names the contract nor those of Fouquières-lès-Lens or Noyelles-sous-Lens."""
    _count, items = search(browser, site_url, "Lens")
    top = items[0]
    assert top["links"][0] in LENS or "quartiers/#contrat-call" in top["links"]
    assert len(_others(items, LENS)) < 10
    found = {"/".join(item["links"][0].split("/")[:2]) + "/" for item in items}  # the quartier of a theme's page
    assert found >= LENS
    assert not found & {"quartiers/QN06221M/", "quartiers/QN06234M/"}  # Fouquières-lès-Lens, Noyelles-sous-Lens
    _no_keyword_list(items)


def test_every_word_is_required_and_a_stop_word_alone_finds_nothing(browser, site_url):
    count, items = search(browser, site_url, "Bizet Roubaix")
    assert [item["links"][0] for item in items] == ["quartiers/"]  # the list of all quartiers holds both
    count, _ = search(browser, site_url, "de la")
    assert count == 0


def test_the_end_of_a_hyphenated_name_still_finds_it(browser, site_url):
    count, items = search(browser, site_url, "gohelle")
    assert count > 0 and len(_others(items, {"quartiers/QN06224M/"})) < 10
    assert "quartiers/QN06224M/" in {item["links"][0] for item in items}  # Lens, Loos-en-Gohelle


def test_the_index_holds_no_hidden_keywords_nor_table_cells(default_site: Path):
    index = json.loads((default_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["fr"]
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "search-words" not in text
    assert not any(words in text for words in _folded_keyword_lists())
    assert "Télécharger les chiffres" not in text  # download links are not a page's words
    assert "Écart du quartier" not in text  # a table header: tables are not indexed


def test_a_resident_s_word_finds_the_indicators_it_means(browser, site_url):
    """« chômage » is nowhere in the producers' labels (demandeurs d'emploi): the indicators say it."""
    count, items = search(browser, site_url, "chômage")
    found = {item["links"][0] for item in items}
    assert {"indicateurs/nombre-demandeurs-emploi/", "indicateurs/taux-chomage/"} & found
    count, items = search(browser, site_url, "chômage Roubaix")
    assert count > 0 and {item["links"][0] for item in items} & {f"{q}acces-emploi/" for q in ROUBAIX}


def test_collège_finds_the_collèges_indicators_before_the_quartiers(browser, site_url):
    _, items = search(browser, site_url, "collège")
    first = items[0]["links"][0]
    assert first.startswith("indicateurs/") and "collège" in items[0]["text"].lower()
