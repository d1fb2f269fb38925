"""Large HTML blocks bypass Markdown and the search index, and come back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observatory.publish.deferred import defer, restore

from .conftest import page_text

PAGE = """# Quartier

<p class="lead">Texte cherché.</p>

<div class="indicator-block">
<div class="figure">
<table class="data"><tr><td>41,5 %</td></tr></table>
</div>
</div>

Texte <div>en ligne</div>
<div class="after-text">pas après une ligne vide</div>

<table class="data">
<tr><td>1</td></tr>
</table> suivi de texte

<details>
<summary>Fin</summary>
</details>
"""


def test_only_whole_top_level_blocks_are_set_aside_and_they_come_back_byte_for_byte():
    markdown, blocks = defer(PAGE)
    assert blocks == [
        '<div class="indicator-block">\n<div class="figure">\n<table class="data"><tr><td>41,5 %</td></tr></table>\n'
        "</div>\n</div>",
        "<details>\n<summary>Fin</summary>\n</details>",
    ]
    # Paragraphs, a block glued to text, and a block followed by text on its closing line stay Markdown's.
    assert '<p class="lead">Texte cherché.</p>' in markdown
    assert '<div class="after-text">' in markdown and "</table> suivi de texte" in markdown
    assert restore(markdown, [block.encode() for block in blocks], "page.md") == PAGE


MAP = """## Part des moins de 25 ans

<figure class="map-figure" data-search-exclude>
<svg class="map"></svg>
</figure>
<ul class="legend" data-search-exclude>
<li>de 26,3 % à 34,7 %</li>
</ul>
<details data-search-exclude>
<summary>Les valeurs de la carte</summary>
</details>
<div data-search-exclude><p>Source : Insee.</p></div>

<div class="contract">
<h3>MEL</h3>
</div>
<div class="contract">
<h3>CALL</h3>
</div>
"""


def test_blocks_out_of_the_search_that_follow_one_another_are_set_aside_together():
    """A département's map, its legend, its table and its sources, all kept out of the search
    index, go around Markdown as one block; two searchable blocks glued together stay Markdown's."""
    markdown, blocks = defer(MAP)
    assert blocks == [MAP[MAP.index("<figure") : MAP.index("\n\n<div class")]]
    assert markdown.count("<!--observatory-block-") == 1 and '<div class="contract">\n<h3>MEL' in markdown
    assert restore(markdown, [block.encode() for block in blocks], "carte.md") == MAP


def test_a_lost_placeholder_is_an_error_not_a_silently_missing_table():
    markdown, blocks = defer(PAGE)
    with pytest.raises(RuntimeError, match="2 blocs HTML mis de côté, 1 remis en place"):
        restore(markdown.replace("<!--observatory-block-0-->", ""), [block.encode() for block in blocks], "page.md")


def test_pages_keep_their_tables_and_the_search_index_its_headings_not_the_cells(default_site: Path):
    page = page_text(default_site, "quartiers/QN05967M/acces-emploi")
    assert "Écart du quartier" in page and "observatory-block" not in page
    index = json.loads((default_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    sections = {doc["location"]: doc for doc in index["docs"] if doc["location"].startswith("quartiers/QN05967M/")}
    assert sections["quartiers/QN05967M/acces-emploi/#taux-emploi-15-64"]["title"] == "Taux d'emploi des 15-64 ans"
    assert not any("Écart du quartier" in doc["text"] for doc in sections.values())
