"""Charts that read at a glance (issue 13): specs parsed from the built site and built directly.

The rule checked on every chart of the default site: no more than MAX_ALIKE traces drawn as
lines share one (colour, dash, width). The other quartiers and the other territories are drawn
thin and grey as ONE trace per group (their lines cut by gaps), so each group counts once: a
chart shows at most one grey trace of quartiers and one of other territories.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from observatory.model import UNITS
from observatory.pages.charts import (
    CONTEXT_COLOUR,
    FOCUS_LINE,
    HIGHLIGHTS,
    LABEL_HEIGHT,
    SEPARATORS,
    Bar,
    Trace,
    bar_chart,
    end_text,
    line_chart,
    value_axis,
)

MAX_ALIKE = 8
OKABE_ITO = {"#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"}
SPEC = re.compile(r'<script type="application/json" data-chart="([^"]+)">(.*?)</script>', re.S)
PERIMETER = " (périmètre 2015)"


def specs(page: Path) -> dict[str, dict]:
    return {chart_id: json.loads(text) for chart_id, text in SPEC.findall(page.read_text(encoding="utf-8"))}


def lines(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("type") == "scatter" and "lines" in t.get("mode", "")]


def style(trace: dict) -> tuple:
    line = trace.get("line", {})
    return (line.get("color"), line.get("dash", "solid"), line.get("width", 2))


def is_grey(trace: dict) -> bool:
    return trace["line"]["color"] == CONTEXT_COLOUR


def drawn_labels(spec: dict) -> set[str]:
    """Every territory a series chart draws, by its full label (hover), perimeter suffix removed."""
    found = set()
    for trace in lines(spec):
        found |= {name for name in trace["customdata"] if name}
    return {html.unescape(label).removesuffix(PERIMETER) for label in found}


def table_labels(page: Path, chart_id: str) -> set[str]:
    """Row headers of the series table that follows the chart."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f'data-chart="{chart_id}"')
    table = re.search(r'<table class="data series">.*?</table>', text[start:], re.S).group(0)
    return {html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r'<th scope="row">(.*?)</th>', table)}


def end_labels(spec: dict) -> list[str]:
    """The labels written at the end of the coloured lines, as read (a long one takes two lines)."""
    return [html.unescape(a["text"].replace("<br>", " ")) for a in spec["layout"]["annotations"]]


def highlighted(spec: dict) -> list[dict]:
    return [t for t in lines(spec) if not is_grey(t) and t["line"]["color"] != FOCUS_LINE["color"]]


# --- the built site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bizet(default_site: Path) -> Path:
    return default_site / "quartiers" / "QN05968M" / "revenus-pauvrete" / "index.html"


@pytest.fixture(scope="module")
def poverty(default_site: Path) -> Path:
    return default_site / "indicateurs" / "taux-pauvrete-60" / "index.html"


def test_quartier_series_shows_the_quartier_and_three_references_at_a_glance(bizet: Path):
    spec = specs(bizet)["serie-taux-pauvrete-60"]
    focus = [t for t in lines(spec) if t["line"]["color"] == FOCUS_LINE["color"]]
    assert focus and all(t["line"]["width"] == FOCUS_LINE["width"] for t in focus)
    assert all(html.unescape(t["name"]).startswith("Bizet - Briqueterie") for t in focus)
    chosen = highlighted(spec)
    names = [html.unescape(t["name"]) for t in chosen]
    assert names == ["Armentières", "MEL", "France métropolitaine"]  # commune, EPCI, France
    styles = [(t["line"]["color"], t["line"]["dash"]) for t in chosen]
    assert len(set(styles)) == len(styles) <= 3  # each its own colour AND dash
    assert len({colour for colour, _ in styles}) == len(styles)
    assert len({dash for _, dash in styles}) == len(styles)
    assert all(dash not in ("solid", "dot") for _, dash in styles)  # never read as the quartier's perimeter
    assert {t["line"]["color"] for t in lines(spec) if not is_grey(t)} <= OKABE_ITO
    # a label at the end of each coloured line, the legend kept for the grey group only
    assert set(end_labels(spec)) == {"Bizet - Briqueterie", *names}
    for trace in chosen + focus[-1:]:
        assert trace["showlegend"] is False
    ends = {a["text"]: (a["x"], a["y"], a["xanchor"], a["showarrow"]) for a in spec["layout"]["annotations"]}
    mel = next(t for t in chosen if t["name"] == "MEL")
    assert ends["MEL"] == (mel["x"][-1], mel["y"][-1], "left", False)
    # the other references (Nord, Hauts-de-France…) are on the indicator's page, not on the quartier's
    assert [t for t in lines(spec) if is_grey(t)] == []
    assert drawn_labels(spec) == table_labels(bizet, "serie-taux-pauvrete-60")


def test_every_quartier_series_has_its_quartier_in_the_strong_colour(bizet: Path):
    pages = sorted(bizet.parent.parent.glob("*/index.html"))  # every section page of the quartier
    series = {(page, chart_id): spec for page in pages for chart_id, spec in specs(page).items()}
    series = {key: spec for key, spec in series.items() if key[1].startswith("serie-")}
    assert len(series) > 10
    for (page, chart_id), spec in series.items():
        assert any(t["line"]["color"] == FOCUS_LINE["color"] for t in lines(spec)), chart_id
        assert len(highlighted(spec)) <= 3, chart_id
        assert "Bizet - Briqueterie" in end_labels(spec), chart_id
        if spec["layout"]["yaxis"]["title"]["text"] in ("nombre", "variation en nombre"):  # a count
            assert drawn_labels(spec) < table_labels(page, chart_id), chart_id
            assert not highlighted(spec), chart_id
        else:
            assert drawn_labels(spec) == table_labels(page, chart_id), chart_id


def test_indicator_series_draws_47_quartiers_as_one_grey_trace(poverty: Path):
    spec = specs(poverty)["serie"]
    grey = {t["name"]: t for t in lines(spec) if is_grey(t)}
    assert set(grey) == {"quartiers", "autres territoires"}
    quartiers = grey["quartiers"]
    assert quartiers["line"]["width"] == 1 and quartiers["connectgaps"] is False
    names = {name for name in quartiers["customdata"] if name}
    assert len({html.unescape(n).removesuffix(PERIMETER) for n in names}) == 47
    # each quartier's line is cut from the next: one gap fewer than lines
    assert quartiers["x"].count(None) >= len(names) - 1
    assert "%{customdata}" in quartiers["hovertemplate"]  # the hovered line says whose it is
    assert [html.unescape(t["name"]) for t in highlighted(spec)] == ["MEL", "CALL", "France métropolitaine"]
    assert set(end_labels(spec)) == {"MEL", "CALL", "France métropolitaine"}
    assert drawn_labels(spec) == table_labels(poverty, "serie")  # the table lists every territory drawn
    assert max(Counter(style(t) for t in lines(spec)).values()) == 1


def test_no_chart_draws_more_than_eight_lines_alike(default_site: Path):
    checked = 0
    for page in default_site.rglob("*.html"):
        for chart_id, spec in specs(page).items():
            drawn = lines(spec)
            if not drawn:
                continue
            checked += 1
            alike = Counter(style(t) for t in drawn)
            assert max(alike.values()) <= MAX_ALIKE, (page, chart_id, alike.most_common(1))
            groups = Counter(t["name"] for t in drawn if is_grey(t))
            assert all(count == 1 for count in groups.values()), (page, chart_id, groups)
            assert len(highlighted(spec)) <= 3, (page, chart_id)
    assert checked > 100


def test_euro_axes_are_written_in_french(default_site: Path, bizet: Path):
    series = specs(bizet)["serie-revenu-median-disponible-uc"]
    page = default_site / "indicateurs" / "revenu-median-disponible-uc" / "index.html"
    bars = [spec for chart_id, spec in specs(page).items() if chart_id.startswith("graphique-")]
    assert bars
    for spec, axis in [(series, series["layout"]["yaxis"])] + [(b, b["layout"]["xaxis"]) for b in bars]:
        assert spec["layout"]["separators"] == ", "  # decimal comma, space between thousands
        assert axis["ticksuffix"].strip() == "€"
        assert axis["tickformat"].startswith(",")  # thousands grouped: « 20 000 € », never « 20k »
    percent = specs(bizet)["serie-taux-pauvrete-60"]["layout"]["yaxis"]
    assert percent["ticksuffix"].strip() == "%"


# --- specs built directly ------------------------------------------------------------------


def _trace(label: str, role: str, values: list[float], **more) -> Trace:
    years = list(range(2015, 2015 + len(values)))
    return Trace(label, years, values, [f"{v} %" for v in values], role, **more)


def test_many_quartiers_become_one_grey_trace_with_gaps():
    traces = [_trace(f"Q{i} <b>", "quartier", [i, i + 1.0]) for i in range(40)]
    traces += [_trace("MEL", "highlight", [10.0, 11.0], slot=0, end_label="MEL")]
    spec = line_chart("Titre", "%", traces, UNITS["percent"])
    assert len(spec["data"]) == 2
    grey = spec["data"][0]
    assert grey["x"].count(None) == 39 and len(grey["x"]) == 40 * 2 + 39
    assert "Q0 &lt;b&gt;" in grey["customdata"]  # names reach Plotly escaped
    assert spec["layout"]["showlegend"] is True
    assert spec["data"][1]["line"] == HIGHLIGHTS[0] and spec["data"][1]["showlegend"] is False


def test_close_end_labels_are_pushed_apart():
    traces = [
        _trace("A", "highlight", [10.0, 20.0], slot=0, end_label="A"),
        _trace("B", "highlight", [10.0, 20.1], slot=1, end_label="B"),
        _trace("Q", "focus", [40.0, 50.0], end_label="Q"),
    ]
    labels = line_chart("Titre", "%", traces)["layout"]["annotations"]
    shifts = {a["text"]: a["yshift"] for a in labels}
    assert shifts["A"] == 0 and shifts["B"] >= 15  # B would sit on A: moved up
    assert shifts["Q"] == 0


def test_long_end_labels_take_two_lines_and_stay_escaped():
    assert end_text("MEL") == "MEL"
    assert end_text("France métropolitaine") == "France<br>métropolitaine"
    assert end_text("Cité <b>12</b> & Les Hauts") == "Cité &lt;b&gt;12&lt;/b&gt;<br>&amp; Les Hauts"
    traces = [
        _trace("France métropolitaine", "highlight", [10.0, 20.0], slot=0, end_label="France métropolitaine"),
        _trace("MEL", "highlight", [10.0, 20.0], slot=1, end_label="MEL"),
    ]
    shifts = [a["yshift"] for a in line_chart("Titre", "%", traces)["layout"]["annotations"]]
    assert shifts[1] - shifts[0] >= 1.5 * LABEL_HEIGHT  # room for a two-line label and a one-line one


def test_value_axes():
    euro = value_axis("€", UNITS["euro"])
    assert euro["ticksuffix"] == "\u00a0€" and euro["tickformat"] == ",~f"
    assert "ticksuffix" not in value_axis("nombre", UNITS["count"])  # « 12 000 », never « 12k »
    assert value_axis("nombre", UNITS["count"])["tickformat"] == ",~f"
    bars = [Bar("Quartier", 12000.0, "12 000 €", "focus"), Bar("MEL", 20000.0, "20 000 €", "reference")]
    spec = bar_chart("Revenu", "€", bars, UNITS["euro"])
    assert spec["layout"]["separators"] == SEPARATORS == ", "
    assert spec["layout"]["xaxis"]["ticksuffix"] == "\u00a0€" and spec["layout"]["xaxis"]["rangemode"] == "tozero"


def test_a_count_is_drawn_for_quartiers_only_and_its_references_stay_in_the_table(default_site: Path):
    """A quartier's 240 job-seekers and France's 850 000 on one axis would draw the quartier flat
    on zero: a count's chart draws quartiers only; the references' counts are in its table."""
    page = default_site / "quartiers" / "QN05967M" / "acces-emploi" / "index.html"
    spec = specs(page)["serie-nombre-demandeurs-emploi"]
    assert drawn_labels(spec) == {"Attargette - Chanzy"}
    assert {"Armentières", "QPV de métropole et de La Réunion"} <= table_labels(page, "serie-nombre-demandeurs-emploi")
    assert "ne sont pas dessinés : ils figurent dans le tableau" in page.read_text(encoding="utf-8")
    shares = specs(page)["serie-part-revenus-activite"]  # a share: references drawn beside the quartier
    assert {"Attargette - Chanzy", "MEL"} <= drawn_labels(shares)
