"""Built pages read as a visitor reads them, parsed with the standard library's html.parser.

- `cell(page_html, table, row_label, column_label)`: the text of one cell of one table, the table
  named by its caption (or the start of it, or its id), the row by its header cell, the column by
  its header: a figure found in the right cell of the right table, not anywhere in the page
  (`cells`: every such cell, where a page repeats a table or a row).
- `figures(page_html)`: the figures a quartier page shows in large, with their indicator's
  heading, millésime and source line.
- `readable(page_html)`: the page's readable content as plain lines (the golden files of
  tests/test_golden.py): the page title, the banner, then the main `<article>` — headings,
  paragraphs, list items, tables cell by cell, the data and labels of each chart specification,
  the links of each map — with the target of every link, without the theme's markup. No-break
  spaces are written as spaces. For example:

      # Attargette - Chanzy
      Contrat : [Contrat de test](../../quartiers/#contrat-test).
      tableau : Taux de pauvreté : Attargette - Chanzy et ses références au fil des millésimes — valeurs par millésime
      | Territoire | 2017 | 2018 | 2019 |
      | Attargette - Chanzy | 44,0 % | 43,0 % | 41,8 % |
      graphique serie-taux-pauvrete-60 : Taux de pauvreté : Attargette - Chanzy et ses références au fil des millésimes
        trace scatter « Attargette - Chanzy »
          x = [2019]
          y = [41.8]
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def raw_text(self) -> str:
        """Every string below this element as written, scripts included."""
        return "".join(child if isinstance(child, str) else child.raw_text for child in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find(self, tag: str, class_: str | None = None) -> Node | None:
        return next(
            (n for n in self.walk() if n.tag == tag and (class_ is None or class_ in n.classes())),
            None,
        )


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


@functools.lru_cache(maxsize=8)
def parse(page_html: str) -> Node:
    """The page's tree (parsed once per page: tests look up many cells of one page; do not change it)."""
    tree = _Tree()
    tree.feed(page_html)
    tree.close()
    return tree.root


def _space(text: str) -> str:
    """Whitespace collapsed; no-break spaces (U+00A0, U+202F) written as plain spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def text_of(node: Node | str) -> str:
    """The text of an element as written (a `<br>` is a space; scripts and styles are not text)."""
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return " "
    if node.tag in {"script", "style", "template"}:
        return ""
    return "".join(text_of(child) for child in node.children)


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    caption: str
    id: str
    header: list[str]  # the column headers (last row of <thead>, else the first row)
    rows: list[list[str]]  # the body rows, cell texts
    row_headers: list[str]  # each body row's header cell (its <th>, else its first cell)


def _table(node: Node, box_id: str) -> Table:
    caption = node.find("caption")
    head = [r for r in (node.find("thead") or Node("thead", {})).walk() if r.tag == "tr"]
    in_head = {id(r) for r in head}
    body = [r for r in (node.find("tbody") or node).walk() if r.tag == "tr" and id(r) not in in_head]
    cells = [[c for c in row.children if isinstance(c, Node) and c.tag in {"th", "td"}] for row in body]
    if not head and cells:
        head, cells = body[:1], cells[1:]
    last = head[-1].children if head else []
    header = [_space(text_of(c)) for c in last if isinstance(c, Node) and c.tag in {"th", "td"}]
    row_headers = [_space(text_of(next((c for c in row if c.tag == "th"), row[0]))) if row else "" for row in cells]
    return Table(
        caption=_space(text_of(caption)) if caption else "",
        id=node.attrs.get("id") or box_id,
        header=header,
        rows=[[_space(text_of(c)) for c in row] for row in cells],
        row_headers=row_headers,
    )


@functools.lru_cache(maxsize=8)
def tables(page_html: str) -> tuple[Table, ...]:
    """Every table of a page, in page order."""
    found: list[Table] = []

    def visit(node: Node, box_id: str) -> None:
        for child in node.children:
            if isinstance(child, Node):
                if child.tag == "table":
                    found.append(_table(child, box_id))
                else:
                    visit(child, child.attrs.get("id") or box_id)

    visit(parse(page_html), "")
    return tuple(found)


def _named(every: tuple[Table, ...], name: str) -> list[Table]:
    """The tables whose caption is `name`, else whose id (or its box's) is, else whose caption starts with it."""
    for rule in (lambda t: t.caption == name, lambda t: t.id == name, lambda t: t.caption.startswith(name)):
        chosen = [t for t in every if rule(t)]
        if chosen:
            return chosen
    raise AssertionError(f"aucun tableau {name!r} parmi : {[t.caption for t in every]}")


def table(page_html: str, name: str) -> Table:
    """The one table named `name` (see `_named`)."""
    chosen = _named(tables(page_html), name)
    assert len(chosen) == 1, f"plusieurs tableaux pour {name!r} : {[t.caption for t in chosen]}"
    return chosen[0]


def cells(page_html: str, table_caption_or_id: str, row_label: str, column_label: str) -> list[str]:
    """The texts of the cells at (row header `row_label`, column header `column_label`) of the tables
    named `table_caption_or_id` (caption, start of the caption, or id), in page order. A page may
    show a table twice (one figure given by two sources), a table a row twice (two documents)."""
    found = []
    for chosen in _named(tables(page_html), table_caption_or_id):
        columns = [i for i, label in enumerate(chosen.header) if label == _space(column_label)]
        where = f"tableau « {chosen.caption} »"
        assert len(columns) == 1, f"{where} : colonne {column_label!r} parmi {chosen.header}"
        rows = [r for r, label in zip(chosen.rows, chosen.row_headers, strict=True) if label == _space(row_label)]
        assert rows, f"{where} : ligne {row_label!r} parmi {chosen.row_headers}"
        found += [row[columns[0]] for row in rows if columns[0] < len(row)]
    return found


def cell(page_html: str, table_caption_or_id: str, row_label: str, column_label: str) -> str:
    """The text of the cell at (row header `row_label`, column header `column_label`) of the table
    named `table_caption_or_id`; where the page repeats it (`cells`), every copy must hold the same
    text; two different texts fail, naming them."""
    found = cells(page_html, table_caption_or_id, row_label, column_label)
    assert len(set(found)) == 1, f"{table_caption_or_id!r}, ligne {row_label!r}, colonne {column_label!r} : {found}"
    return found[0]


@dataclass(frozen=True)
class Figure:
    heading: str  # the indicator's heading above the figure
    value: str
    period: str  # "chiffre de 2019", "chiffre publié en 2022", "date non précisée par la source"
    source: str  # "Source : …" as written under the figure


def figures(page_html: str) -> list[Figure]:
    """The figures a quartier's section page shows in large (`div.figure`), each under its
    indicator's heading, with its source line (the n-th `p.source` of the block's source details
    for its n-th figure)."""
    found: list[Figure] = []
    heading = ""
    for node in parse(page_html).walk():
        if node.tag in {"h2", "h3", "h4"}:
            heading = _space(text_of(node))
        elif node.tag == "div" and "indicator-block" in node.classes():
            shown = [child for child in node.walk() if child.tag == "div" and "figure" in child.classes()]
            folded = next((c for c in node.walk() if c.tag == "details" and "source" in c.classes()), None)
            sources = [c for c in folded.walk() if c.tag == "p" and "source" in c.classes()] if folded else []
            for number, figure in enumerate(shown):
                value, period = figure.find("span", "value"), figure.find("span", "period")
                source = sources[number] if number < len(sources) else None
                found.append(
                    Figure(
                        heading=heading,
                        value=_space(text_of(value)) if value else "",
                        period=_space(text_of(period)) if period else "",
                        source=_space(text_of(source)) if source else "",
                    )
                )
    return found


# --- readable text (golden files) -----------------------------------------------------------

BLOCKS = {
    "p", "li", "dt", "dd", "figcaption", "summary", "caption", "blockquote", "pre", "div", "section",
    "figure", "details", "ul", "ol", "dl", "article", "aside", "nav", "header", "footer", "main", "form",
}  # fmt: skip
HEADINGS = {f"h{n}": n for n in range(1, 7)}
SKIPPED = {"style", "template", "noscript", "button", "input", "label"}


def _inline(node: Node | str) -> str:
    """A block's inline content as text; links written [text](target), <br> starts a new line."""
    if isinstance(node, str):
        return node
    if node.tag in SKIPPED or node.tag == "script":
        return ""
    if node.tag == "br":
        return "\n"
    inner = "".join(_inline(child) for child in node.children)
    if node.tag == "a" and node.attrs.get("href"):
        return f"[{inner.strip()}]({node.attrs['href']})"
    return inner


def _chart(spec: dict, chart_id: str) -> list[str]:
    """A chart specification's data and labels, without colours, sizes and hover templates."""
    layout = spec.get("layout") or {}
    title = ((layout.get("title") or {}).get("text")) or ""
    lines = [f"graphique {chart_id} : {_space(title)}"]
    for axis in sorted(k for k in layout if re.fullmatch(r"[xy]axis\d*", k)):
        settings = layout[axis] or {}
        parts = [f"{key}={settings[key]}" for key in ("tickvals", "ticktext", "ticksuffix", "range") if key in settings]
        axis_title = ((settings.get("title") or {}).get("text")) or ""
        lines.append(f"  axe {axis} : {_space(axis_title)} {' '.join(parts)}".rstrip())
    for trace in spec.get("data") or []:
        lines.append(f"  trace {trace.get('type', '?')} « {_space(str(trace.get('name', '')))} »")
        for key in ("x", "y", "text", "customdata", "orientation"):
            if key in trace:
                lines.append(f"    {key} = {json.dumps(trace[key], ensure_ascii=False)}")
    for note in layout.get("annotations") or []:
        lines.append(f"  annotation : {_space(str(note.get('text', '')))}")
    return lines


def _svg(node: Node) -> list[str]:
    """A map: its title, and each quartier's link with its tooltip."""
    title = node.find("title")
    lines = [f"carte : {_space(text_of(title)) if title else node.attrs.get('aria-label', '')}"]
    for link in (n for n in node.walk() if n.tag == "a"):
        tip = link.find("title")
        label = _space(text_of(tip)) if tip else link.attrs.get("aria-label", "")
        lines.append(f"  [{label}]({link.attrs.get('href', '')})")
    return lines


class _Reader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pending: list[Node | str] = []

    def flush(self) -> None:
        text = "".join(_inline(part) for part in self.pending)
        self.pending = []
        for line in text.split("\n"):
            if _space(line):
                self.lines.append(_space(line))

    def block(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.pending.append(child)
                continue
            tag = child.tag
            if tag in SKIPPED:
                continue
            if tag == "script":
                if "data-chart" in child.attrs:
                    self.flush()
                    source = "".join(c for c in child.children if isinstance(c, str))
                    self.lines += _chart(json.loads(source), child.attrs["data-chart"])
                continue
            if tag in HEADINGS:
                self.flush()
                self.lines.append("#" * HEADINGS[tag] + " " + _space(_inline(child)))
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag == "svg":
                self.flush()
                self.lines += _svg(child)
            elif tag in BLOCKS:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.pending.append(child)

    def table(self, node: Node) -> None:
        caption = node.find("caption")
        self.lines.append(f"tableau : {_space(_inline(caption)) if caption else ''}")
        for row in (r for r in node.walk() if r.tag == "tr"):
            cells = [c for c in row.children if isinstance(c, Node) and c.tag in {"th", "td"}]
            texts = [_space(_inline(c).replace("\n", " / ")) for c in cells]
            self.lines.append("| " + " | ".join(texts) + " |")


def readable(page_html: str) -> str:
    """The page's title, banner and main content as text lines (see the module's docstring)."""
    root = parse(page_html)
    reader = _Reader()
    title = root.find("title")
    reader.lines.append(f"titre : {_space(text_of(title)) if title else ''}")
    banner = root.find("aside", "md-banner")
    if banner is not None:
        reader.lines.append("bandeau :")
        reader.block(banner)
        reader.flush()
    article = root.find("article") or root.find("div", "md-content") or root
    reader.lines.append("contenu :")
    reader.block(article)
    reader.flush()
    return "\n".join(reader.lines) + "\n"
