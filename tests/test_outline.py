"""Pages of headings and ready HTML skip Python-Markdown, and come out as Python-Markdown makes them."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.pages import _ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor, _RawHTMLPreprocessor
from mkdocs.utils.meta import get_data

from observatory.pipeline import cache_of
from observatory.publish.outline import Converter

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(config_file=str(ROOT / "mkdocs.yml"))
CONVERTER = Converter(CONFIG)


def python_markdown(source: str) -> tuple[str, list[dict], str | None, set[str]]:
    """What MkDocs' Page.render makes of a page: HTML, table of contents, title from an h1, anchors."""
    md = markdown.Markdown(extensions=CONFIG["markdown_extensions"], extension_configs=CONFIG["mdx_configs"])
    raw = _RawHTMLPreprocessor()
    raw._register(md)
    anchors = _ExtractAnchorsTreeprocessor(None, None, CONFIG)  # type: ignore[arg-type]
    anchors._register(md)
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    content = md.convert(source)
    return content, md.toc_tokens, title.title, anchors.present_anchor_ids | raw.present_anchor_ids


def converted(source: str) -> tuple[str, list[dict], str | None, set[str]] | None:
    outline = CONVERTER.convert(source)
    return None if outline is None else (outline.content, outline.toc_tokens, outline.title, outline.anchors)


PAGE = """# Quartier Roubaix\\-Tourcoing \\(Nord\\) &amp; Wattrelos

<p class="lead">Quartier prioritaire — code <strong>QN05980M</strong>.<br>
Communes : Croix, Roubaix.</p>
<p data-search-exclude>Chaque chiffre vient d&#39;un fichier.</p>

<details class="changes" data-search-exclude>
<summary>Depuis l'édition 2022</summary>
<ul>
<li>Nouveau : <a href="#x">un chiffre</a></li>
</ul>
</details>
## Enjeu 2 — Accès à l'emploi { data-search-exclude }

<p class="enjeu-link"><a href="../../enjeux/acces-emploi/">Tous les quartiers</a></p>

### Taux d'emploi des 15\\-64 ans

<!--observatory-block-0-->

### Part des femmes { #part-femmes data-search-exclude }

### Part femmes

### Taux d'emploi des 15\\-64 ans


<div id="bloc" class="indicator-block">
<div class="figure">
<p>37,8 %</p>

<p>suite après une ligne vide</p>
</div>
</div>
"""


def test_a_page_of_headings_and_html_blocks_comes_out_as_python_markdown_makes_it():
    result = converted(PAGE)
    assert result is not None
    assert result == python_markdown(PAGE)
    content, toc, title, anchors = result
    assert '<h2 data-search-exclude id="enjeu-2-acces-a-lemploi">' in content
    assert '<h3 id="taux-demploi-des-15-64-ans_1">Taux d\'emploi des 15-64 ans</h3>' in content  # same title: _1
    assert title == "Quartier Roubaix-Tourcoing (Nord) &amp; Wattrelos"  # as MkDocs gives it
    assert "bloc" in anchors and "taux-demploi-des-15-64-ans" in anchors
    enjeu = toc[0]["children"][0]  # the sommaire: the enjeu under the title, its indicators under it
    assert [item["id"] for item in enjeu["children"]] == [
        "taux-demploi-des-15-64-ans",
        "part-femmes",  # its own id, taken before any id is made from a text
        "part-femmes_1",
        "taux-demploi-des-15-64-ans_1",
    ]


@pytest.mark.parametrize(
    "source",
    [
        "# Titre\n\n- une liste\n",  # Markdown list
        "# Titre *important*\n",  # emphasis
        "# Titre\n\nTexte <div>en ligne</div>\n",  # prose
        "### Titre { .classe }\n",  # an attribute list of another form
        "<p>un</p><p>deux sur la même ligne</p>\n",  # Python-Markdown splits the line
        "<div>\n  <p>x</p>\n</div> suivi de texte\n",  # text after the closing tag
        "  <p>indenté</p>\n",
        "<span>en ligne</span>\n",  # not a block tag
        "####### sept\n",
        "## Titre ##\n",
    ],
)
def test_anything_else_is_left_to_python_markdown(source: str):
    assert converted(source) is None


def test_every_page_of_the_default_site_converted_here_is_what_python_markdown_makes(default_site: Path):
    """Every docs page MkDocs read for the default site (each edition): converted here, or left
    to Python-Markdown; the quartier and indicator pages, the long ones, are converted here."""
    pages = sorted(cache_of(default_site).glob("*/docs/**/*.md"))
    assert len(pages) > 1000
    kept_for_markdown = []
    for page in pages:
        source, _ = get_data(page.read_text(encoding="utf-8"))
        result = converted(source)
        if result is None:
            kept_for_markdown.append(page.relative_to(cache_of(default_site)).as_posix())
            continue
        assert result == python_markdown(source), page
    assert not [page for page in kept_for_markdown if "/quartiers/QN" in page or "/indicateurs/" in page]
    assert len(kept_for_markdown) < 10, kept_for_markdown
