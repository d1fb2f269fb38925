"""A name or label carrying HTML, Markdown or template syntax is shown as text everywhere: pages,
titles and navigation, chart specifications, search index, downloads (and never a spreadsheet formula)."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from observatory.pipeline import build

from .conftest import ROOT, copy_mini
from .html_tables import Node, parse

HOSTILE = "Quartier <script>alert(1)</script> **gras** {{ 7*7 }} {% raw %} [lien](http://evil.example) &amp; <b>x</b>"
QUARTIER = HOSTILE  # name of QN05967M
INDICATOR = "Indicateur " + HOSTILE  # label of taux-pauvrete-60
SHORT_INDICATOR = "Court " + HOSTILE  # its short label (charts)
REFERENCE = "Référence " + HOSTILE  # name of the intercommunalité
FORMULA = '=HYPERLINK("http://evil.example")'  # name of QN05999X
MARKER = "<script>alert(1)</script>"  # in every hostile string, once
SITE_TITLE = "Observatoire de test"
SECTION = "quartiers/QN05967M/precarite-acces-droits/index.html"  # the enjeu 6 of the quartier, in full


def _rewrite(path: Path, delimiter: str, change) -> None:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=delimiter))
    for row in rows:
        change(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _quartier(row: dict) -> None:
    row["name"] = {"QN05967M": QUARTIER, "QN05999X": FORMULA}[row["code"]]


def _reference(row: dict) -> None:
    if row["id"] == "epci-200093201":  # no short name, no phrase: the name itself is shown
        row.update(name=REFERENCE, short_name="", in_phrase="")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("injection")
    config = copy_mini(tmp)
    folder = config.parent
    shutil.copytree(ROOT / "indicators", folder / "indicators")
    settings = config.read_text(encoding="utf-8")
    assert f"catalog: {ROOT}/indicators" in settings
    config.write_text(settings.replace(f"catalog: {ROOT}/indicators", "catalog: indicators"), encoding="utf-8")
    indicator = folder / "indicators" / "taux-pauvrete-60.yml"
    labels = {"label": INDICATOR, "short_label": SHORT_INDICATOR}  # JSON strings are YAML strings
    lines = []
    for line in indicator.read_text(encoding="utf-8").splitlines():
        field = line.split(":")[0]
        lines.append(f"{field}: {json.dumps(labels.pop(field), ensure_ascii=False)}" if field in labels else line)
    assert not labels, "the indicator's labels were not found"
    indicator.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _rewrite(folder / "quartiers.csv", ",", _quartier)
    _rewrite(folder / "territories.csv", ";", _reference)
    built = tmp / "site"
    build(config, built)
    return built


# --- a small tree of the parsed page -------------------------------------------------------


def visible_text(root: Node) -> str:
    """What a reader sees (and a screen reader reads): text outside scripts and styles, and labels."""
    parts = []
    for node in root.walk():
        parts += [f"\n{node.attrs[name]}\n" for name in ("aria-label", "title", "alt") if name in node.attrs]
        if node.tag not in ("script", "style"):
            parts += [child for child in node.children if isinstance(child, str)]
    return "".join(parts)


def pages(site: Path) -> dict[str, Node]:
    return {str(path.relative_to(site)): parse(path.read_text(encoding="utf-8")) for path in site.rglob("*.html")}


@pytest.fixture(scope="module")
def parsed(site: Path) -> dict[str, Node]:
    return pages(site)


# --- pages ---------------------------------------------------------------------------------


def test_the_hostile_names_reach_the_pages_that_show_them(parsed):
    def shows(page: str, text: str) -> bool:
        return text in visible_text(parsed[page])

    assert shows("quartiers/QN05967M/index.html", QUARTIER)
    assert shows("quartiers/QN05967M/index.html", SHORT_INDICATOR)  # a key indicator, by its short label
    assert shows("quartiers/QN05967M/index.html", REFERENCE)
    assert shows(SECTION, INDICATOR)
    assert shows("quartiers/index.html", QUARTIER)
    assert shows("indicateurs/taux-pauvrete-60/index.html", INDICATOR)
    assert shows("indicateurs/taux-pauvrete-60/index.html", QUARTIER)
    assert shows("indicateurs/index.html", INDICATOR)
    assert shows("quartiers/QN05999X/index.html", FORMULA)


def test_every_page_shows_the_names_literally(parsed):
    """Wherever a hostile string appears, it appears whole, as text: no tag, no Markdown, no template."""
    seen = 0
    for page, root in parsed.items():
        text = visible_text(root)
        whole = text.count(HOSTILE)  # every hostile string contains HOSTILE, hence MARKER, once
        assert text.count(MARKER) == whole, f"{page}: a hostile name is not shown literally"
        assert "gras** 49" not in text and "gras 49" not in text, f"{page}: a name rendered as a template"
        seen += whole
    assert seen > 20


def test_no_page_has_an_element_made_of_the_names(parsed):
    for page, root in parsed.items():
        for node in root.walk():
            if node.tag == "script":
                if node.attrs.get("type") == "application/json":
                    assert "<" not in node.raw_text, f"{page}: a JSON block could close its script element"
                else:
                    assert "alert(" not in node.raw_text, f"{page}: a data text became a script"
            assert not (node.tag == "strong" and node.raw_text == "gras"), f"{page}: Markdown read in a name"
            assert not (node.tag == "em" and "gras" in node.raw_text), f"{page}: Markdown read in a name"
            assert not (node.tag == "b" and node.raw_text == "x"), f"{page}: HTML read in a name"
            assert "evil.example" not in node.attrs.get("href", ""), f"{page}: a link made from a name"
            assert "evil.example" not in node.attrs.get("src", ""), page


def _first(root: Node, test) -> Node:
    return next(node for node in root.walk() if test(node))


def test_titles_headings_and_navigation_show_the_names_as_text(parsed):
    quartier = parsed["quartiers/QN05967M/index.html"]
    assert _first(quartier, lambda n: n.tag == "title").raw_text == f"{QUARTIER} - {SITE_TITLE}"
    assert _first(quartier, lambda n: n.tag == "h1").raw_text == QUARTIER
    topic = _first(quartier, lambda n: n.attrs.get("data-md-component") == "header-topic")
    assert QUARTIER in topic.raw_text  # the header repeats the page title
    section = parsed[SECTION]
    toc = _first(section, lambda n: n.tag == "nav" and "md-nav--secondary" in n.attrs.get("class", ""))
    assert INDICATOR in toc.raw_text  # the table of contents names the indicator's heading
    indicator = parsed["indicateurs/taux-pauvrete-60/index.html"]
    assert _first(indicator, lambda n: n.tag == "title").raw_text == f"{INDICATOR} - {SITE_TITLE}"
    assert _first(indicator, lambda n: n.tag == "h1").raw_text == INDICATOR
    formula = parsed["quartiers/QN05999X/index.html"]
    assert _first(formula, lambda n: n.tag == "title").raw_text == f"{FORMULA} - {SITE_TITLE}"
    assert _first(formula, lambda n: n.tag == "h1").raw_text == FORMULA


# --- charts --------------------------------------------------------------------------------


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_chart_specifications_carry_the_names_escaped_for_plotly(parsed):
    """Plotly reads a subset of HTML in labels: a name reaches it as &lt;script&gt;…, never as a tag."""
    strings = []
    for page, root in parsed.items():
        for node in root.walk():
            if node.tag == "script" and "data-chart" in node.attrs:
                assert "<" not in node.raw_text and ">" not in node.raw_text, page
                strings += _strings(json.loads(node.raw_text))
    assert strings
    for name in (QUARTIER, SHORT_INDICATOR, REFERENCE):  # charts name an indicator by its short label
        escaped = html.escape(name, quote=False)
        assert any(escaped in s for s in strings), f"{name!r} is not in any chart, escaped"
    for text in strings:
        if not any(part in text for part in ("Quartier <", "Quartier &lt;", "evil.example")):
            continue  # not made from a hostile name
        own_tags = text.replace("<br>", "").replace("<extra></extra>", "")  # the charts' own markup
        assert "<" not in own_tags and ">" not in own_tags, f"a chart label Plotly would read as HTML: {text!r}"
        if "alert(1)" in text:  # whole or shortened, it is escaped
            assert "&lt;script&gt;alert(1)" in text, text
        if "evil.example) &" in text:  # « &amp; » reaches Plotly as « &amp;amp; », shown « &amp; »
            assert "evil.example) &amp;amp; &lt;b&gt;x&lt;/b&gt;" in text, text


# --- search index --------------------------------------------------------------------------


def test_the_search_index_stores_the_names_as_text(site: Path):
    """Material's index holds HTML (it shows titles and excerpts as HTML): names are escaped there."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = set()
    for entry in index["docs"]:
        for field in ("title", "text"):
            root = parse(entry[field])
            text = visible_text(root)
            assert text.count(MARKER) == text.count(HOSTILE), f"{entry['location']} {field}: {entry[field]!r}"
            for node in root.walk():
                assert node.tag not in ("script", "b", "strong", "em"), f"{entry['location']}: a tag from a name"
                assert "evil.example" not in node.attrs.get("href", ""), entry["location"]
            found |= {name for name in (QUARTIER, INDICATOR, FORMULA) if name in text}
            if entry["location"] == "quartiers/QN05967M/" and field == "title":
                assert text == QUARTIER
    assert found == {QUARTIER, INDICATOR, FORMULA}


# --- downloads -----------------------------------------------------------------------------


def _csv(site: Path, name: str) -> list[dict]:
    path = site / "telechargements" / name
    with (gzip.open if name.endswith(".gz") else open)(path, "rt", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_csv_downloads_hold_the_raw_names(site: Path):
    """A CSV is data: no HTML escaping; a text starting with = + - @ gets an apostrophe (OWASP),
    so that a spreadsheet opening the file does not run it as a formula."""
    for name in (
        "quartiers/QN05967M.csv.gz",
        "quartiers/QN05999X.csv.gz",
        "indicateurs/taux-pauvrete-60.csv.gz",
        "donnees.csv.gz",
    ):
        rows = _csv(site, name)
        names = {row["territoire_code"]: row["territoire"] for row in rows}
        assert names.get("QN05967M", QUARTIER) == QUARTIER, name
        assert names.get("epci-200093201", REFERENCE) == REFERENCE, name
        assert names.get("QN05999X", "'" + FORMULA) == "'" + FORMULA, name
        assert {row["indicateur"] for row in rows if row["indicateur_code"] == "taux-pauvrete-60"} == {INDICATOR}
        for row in rows:
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values()), (name, row)
    assert {row["intitule"] for row in _csv(site, "indicateurs.csv") if row["code"] == "taux-pauvrete-60"} == {
        INDICATOR
    }
    every = {row["territoire_code"]: row["territoire"] for row in _csv(site, "donnees.csv.gz")}
    assert every["QN05967M"] == QUARTIER and every["QN05999X"] == "'" + FORMULA


def test_xlsx_downloads_hold_the_raw_names_as_text_never_formulas(site: Path):
    """XLSX cells are typed: a name is an inline string, never a formula, so it is kept exactly."""
    path = site / "telechargements" / "quartiers" / "QN05999X.xlsx"
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    rows = list(load_workbook(path).active.iter_rows(values_only=False))
    assert rows[0][0].value == f"{FORMULA} (QN05999X) — {SITE_TITLE}" and rows[0][0].data_type == "s"
    header = [cell.value for cell in rows[1]]
    cells = {row[0].value: row[header.index("territoire")] for row in rows[2:]}
    assert cells["QN05999X"].value == FORMULA and cells["QN05999X"].data_type == "s"
    assert cells["epci-200093201"].value == REFERENCE
    indicator = {row[header.index("indicateur")].value for row in rows[2:] if row[2].value == "taux-pauvrete-60"}
    assert indicator == {INDICATOR}
    quartier = load_workbook(site / "telechargements" / "quartiers" / "QN05967M.xlsx").active
    assert quartier["A1"].value == f"{QUARTIER} (QN05967M) — {SITE_TITLE}"
    assert {row[1] for row in quartier.iter_rows(min_row=3, values_only=True) if row[0] == "QN05967M"} == {QUARTIER}
