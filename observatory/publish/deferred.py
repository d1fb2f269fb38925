"""Large raw-HTML blocks go around MkDocs' Markdown conversion and search index, not through them.

Our pages are Markdown headings and prose around large blocks of ready HTML (figure blocks, data
tables, charts, maps). Python-Markdown passes such blocks through unchanged, but only after
parsing them tag by tag, and the search plugin parses them once more to index every table cell:
at national scale that was most of MkDocs' time. Here each top-level block is replaced by a
placeholder comment before MkDocs reads the page, and put back, byte for byte, once MkDocs has
written the page around it. Headings, prose and the table of contents still go through MkDocs;
the search index keeps titles, headings and prose, without the contents of the data blocks.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

# Block-level tags whose top-level blocks are deferred. Paragraphs stay with Markdown: the lead
# paragraphs carry the words the search must find (names, communes).
DEFERRED_TAGS = ("div", "table", "details", "figure")
PLACEHOLDER = re.compile(r"<!--observatory-block-(\d+)-->")
BLOCKS = "blocks"  # the folder, in a staging folder, of the blocks set aside in files
Deferred = dict[str, list[bytes] | Path]  # by page: its blocks, or the file that holds them
_OPENING = re.compile(r"<(" + "|".join(DEFERRED_TAGS) + r")[\s>]")
# blocks kept out of the search index, which may follow one another without a blank line
_UNSEARCHED = re.compile(r"<(" + "|".join((*DEFERRED_TAGS, "ul")) + r")(?= [^>]*data-search-exclude[\s>])")


def _balance(line: str, tag: str) -> int:
    return len(re.findall(rf"<{tag}[\s>]", line)) - line.count(f"</{tag}>")


def _block_end(lines: list[str], index: int, opening: re.Match[str]) -> int | None:
    """The line where the block opened at `index` closes, if it closes at the end of a line."""
    tag = opening.group(1)
    depth, end = 0, index
    while end < len(lines):
        depth += _balance(lines[end], tag)
        if depth <= 0:
            break
        end += 1
    return end if end < len(lines) and lines[end].rstrip().endswith(f"</{tag}>") else None


def defer(markdown: str) -> tuple[str, list[str]]:
    """The page with each top-level deferred block replaced by a placeholder, and the blocks.

    A block is deferred only where Python-Markdown would pass it through whole: it opens at the
    start of a line that follows a blank line, and its tag closes at the end of a line followed
    by a blank line. Blocks kept out of the search index (data-search-exclude), lists included,
    that follow one another without a blank line (a map, its legend, its table of values, its
    sources) are deferred together. Anything else is left to Markdown, unchanged.
    """
    lines = markdown.split("\n")
    kept: list[str] = []
    blocks: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _OPENING.match(line)
        end = _block_end(lines, index, opening) if opening and (not kept or kept[-1].strip() == "") else None
        chained = _UNSEARCHED.match(line)
        while chained and end is not None and end + 1 < len(lines) and (chained := _UNSEARCHED.match(lines[end + 1])):
            end = _block_end(lines, end + 1, chained)
        if end is not None and (end + 1 == len(lines) or lines[end + 1].strip() == ""):
            kept.append(f"<!--observatory-block-{len(blocks)}-->")
            blocks.append("\n".join(lines[index : end + 1]))
            index = end + 1
            continue
        kept.append(line)
        index += 1
    return "\n".join(kept), blocks


def set_aside(blocks: list[bytes], folder: Path | None, page: str) -> list[bytes] | Path:
    """A page's blocks, kept in memory or, with a folder, in a file until MkDocs wrote the page
    (at national scale they are a gigabyte: most of the site's HTML)."""
    if folder is None:
        return blocks
    path = folder / f"{page}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL))  # read back by this build only
    return path


def restore(html: str, blocks: list[bytes], page: str) -> str:
    """Put each block back in place of its placeholder; every block exactly once. Blocks are held
    as UTF-8 bytes until then (half the memory of a Python string with a narrow no-break space)."""
    used: list[int] = []

    def put_back(match: re.Match[str]) -> str:
        used.append(int(match.group(1)))
        return blocks[int(match.group(1))].decode("utf-8")

    restored = PLACEHOLDER.sub(put_back, html)
    if sorted(used) != list(range(len(blocks))):
        raise RuntimeError(f"{page}: {len(blocks)} blocs HTML mis de côté, {len(used)} remis en place")
    return restored


class DeferredHtml(BasePlugin):
    """MkDocs plugin, added by site.run_mkdocs: puts the blocks back into the written pages.

    `on_post_page` runs after the search plugin has indexed the page (`on_page_context`).
    """

    def __init__(self, blocks: Deferred) -> None:
        super().__init__()
        self.blocks = blocks

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        blocks = self.blocks.pop(page.file.src_uri, None)  # each page is written once: free its blocks
        if isinstance(blocks, Path):
            blocks = pickle.loads(blocks.read_bytes())
        return restore(output, blocks, page.file.src_uri) if blocks else output
