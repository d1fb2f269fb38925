"""Pages made only of headings and ready HTML, converted without Python-Markdown.

Once deferred.py has set their blocks aside, a quartier page is some sixty-five headings, each
followed by the placeholder of its indicator's block: Python-Markdown still took 8 to 10 ms a
page to turn them into `<h3 id="…">` lines, half of MkDocs' time for the whole of France. Such a
page is converted here to what Python-Markdown and MkDocs make of it: the same HTML, table of
contents, title and anchors (tests/test_outline.py compares both on every page of the default
site). A heading may carry an attribute list of an id, an attribute, or both (the section pages
of a quartier give each indicator its id). A page with any other line — a list, a table,
emphasis, a Markdown link, an indented tag, another attribute list, a line holding two blocks —
is left whole to Python-Markdown.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions.toc import TocTreeprocessor, nest_toc_tokens, strip_tags, unique
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page, _HTMLHandler, get_heading_text
from mkdocs.structure.toc import get_toc

# "## Titre", "## Titre { data-search-exclude }", "## Titre { #ancre }", "### Titre { #ancre data-search-exclude }"
_HEADING = re.compile(
    r"(#{1,6}) (.*?)(?: \{ (?:#([a-z0-9][a-z0-9-]*) ([a-z][a-z-]*)|#([a-z0-9][a-z0-9-]*)|([a-z][a-z-]*)) \})?"
)
_OPENING = re.compile(r"<([a-z][a-z0-9]*)[\s>]")
_COMMENT = re.compile(r"<!--.*-->")
_ESCAPE = re.compile(r"\\(.)")
KNOWN_EXTENSIONS = {"toc", "attr_list", "tables", "abbr", "fenced_code"}  # MkDocs' and ours (mkdocs.yml)


@dataclass(frozen=True)
class Outline:
    """A page's conversion: what Page.render would set."""

    content: str
    toc_tokens: list[dict]
    title: str | None
    anchors: set[str]


class Converter:
    """The rules of one MkDocs configuration's Markdown: which characters an escape stands for,
    which tags open a raw HTML block, how a heading's id is made."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
        toc = next((p for p in self.md.treeprocessors if isinstance(p, TocTreeprocessor)), None)
        # usable where no extension changes plain text (typography, a glossary of abbreviations…),
        # and headings are kept as Python-Markdown makes them: ids from the text, no anchor added
        known = set(config["markdown_extensions"]) <= KNOWN_EXTENSIONS
        glossary = (config["mdx_configs"] or {}).get("abbr", {}).get("glossary")
        self.usable = known and not glossary and toc is not None and not toc.use_anchors and not toc.use_permalinks
        self.toc = toc
        self.blocks = set(self.md.block_level_elements)
        # text Python-Markdown leaves as it is: no character that starts an inline pattern (escape,
        # code, emphasis, link, image, raw HTML, entity, attribute list), but escapes and entities
        escapes = re.escape("".join(self.md.ESCAPED_CHARS))
        self.text = re.compile(rf"(?:\\[{escapes}]|&(?:amp|lt|gt|quot|#\d+);|[^\\`*_\[\]!<>&{{}}#])*")

    def convert(self, source: str) -> Outline | None:
        """The page's conversion, or None when a line is not a heading, a raw HTML block or blank."""
        if not self.usable:
            return None
        lines = source.split("\n")
        # (heading level, its text as HTML, its own id, its attribute), or (0, a raw HTML block, "", "")
        parts: list[tuple[int, str, str, str]] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                index += 1
                continue
            end = self._heading_end(lines, index) if line.startswith("#") else self._block_end(lines, index)
            if end is None:
                return None
            heading = _HEADING.fullmatch(line)
            if heading:
                text = _ESCAPE.sub(r"\1", heading.group(2).strip())
                own = heading.group(3) or heading.group(5) or ""
                parts.append((len(heading.group(1)), text, own, heading.group(4) or heading.group(6) or ""))
            else:
                # Python-Markdown keeps a blank line after a raw block where the page has one
                spaced = end + 1 < len(lines) and not lines[end + 1].strip()
                parts.append((0, "\n".join(lines[index : end + 1]) + ("\n\n" if spaced else "\n"), "", ""))
            index = end + 1
        return self._outline(parts, source)

    def _heading_end(self, lines: list[str], index: int) -> int | None:
        heading = _HEADING.fullmatch(lines[index])
        text = heading.group(2).strip() if heading else ""
        return index if text and self.text.fullmatch(text) else None

    def _block_end(self, lines: list[str], index: int) -> int | None:
        """The last line of the raw HTML block opened at `index`."""
        line = lines[index]
        if line.startswith("<!--"):
            return index if _COMMENT.fullmatch(line) else None
        opening = _OPENING.match(line)
        if not opening or opening.group(1) not in self.blocks:
            return None
        tags = re.compile(rf"<(/?){opening.group(1)}[\s>]")
        depth = 0
        for end in range(index, len(lines)):
            for found in tags.finditer(lines[end]):
                depth += -1 if found.group(1) else 1
                if depth == 0:  # the block closes here: at the end of its line, or Python-Markdown splits the line
                    return end if found.end() == len(lines[end]) else None
        return None

    def _outline(self, parts: list[tuple[int, str, str, str]], source: str) -> Outline:
        """The HTML, with each heading's id made as the toc extension makes it, and the rest."""
        assert self.toc is not None
        used = {own for level, _, own, _ in parts if level and own}  # ids given by the page come first
        counters: dict[str, int] = {}
        content, tokens, title = [], [], None
        for position, (level, text, own, attribute) in enumerate(parts):
            if not level:
                content.append(text)
                continue
            name = strip_tags(text)
            anchor = own or unique(self.toc.slugify(html.unescape(name), self.toc.sep), used, counters)
            attributes = f'{attribute} id="{anchor}"' if attribute else f'id="{anchor}"'  # as attr_list puts them
            content.append(f"<h{level} {attributes}>{text}</h{level}>\n")
            if self.toc.toc_top <= level <= self.toc.toc_bottom:
                tokens.append({"level": level, "id": anchor, "name": name, "html": text, "data-toc-label": ""})
            if position == 0 and level == 1:  # MkDocs' title from the first element, when an h1
                element = etree.Element("h1")
                element.text = html.unescape(text)
                title = get_heading_text(element, self.md)
        parser = _HTMLHandler()  # MkDocs' anchors of the raw HTML
        parser.feed(source)
        parser.close()
        return Outline("".join(content).strip(), nest_toc_tokens(tokens), title, parser.present_anchor_ids | used)


class OutlinePages(BasePlugin):
    """MkDocs plugin, added by site.run_mkdocs: a page the Converter can convert is not given to
    Python-Markdown (Page.render is replaced, for that page, by the Converter's result)."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.converter = Converter(config)
        return config

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        outline = self.converter.convert(markdown)
        if outline is not None:

            def render(config: MkDocsConfig, files: Files) -> None:  # what Page.render sets
                page.content = outline.content
                page.toc = get_toc(outline.toc_tokens)
                page._title_from_render = outline.title
                page.present_anchor_ids = outline.anchors
                page.links_to_anchors = {}  # links of Markdown's own, none here
                del page.render  # once: the outline is not kept with the page

            page.render = render  # type: ignore[method-assign]
        return markdown
