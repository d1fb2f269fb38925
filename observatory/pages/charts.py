"""Tidy figures → Plotly chart specifications (plain dicts). Never writes files.

Charts are plain dicts rather than plotly.graph_objects figures: building and serialising a
dict is ~50 times faster and carries no per-figure template. The shared style (fonts,
margins, colours) lives once in templates/assets/javascripts/charts.js.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from observatory.model import Unit
from observatory.timing import timed

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
COLOURS = {
    "focus": "#D55E00",  # the quartier the page is about (vermillion)
    "quartier": "#56B4E9",  # other quartiers (sky blue)
    "reference": "#0072B2",  # reference territories (blue)
    "college": "#009E73",  # establishments (bluish green)
}
MAX_LABEL = 38

# Series charts (lines over millésimes): the page's quartier in a strong colour, at most three
# references each in its own colour AND dash (never colour alone), every other line thin and grey.
FOCUS_LINE = {"color": COLOURS["focus"], "width": 3}
HIGHLIGHTS = [  # in the order series.highlights chooses: intercommunalité, proximity, France
    {"color": "#0072B2", "dash": "dash", "width": 2},  # blue
    {"color": "#009E73", "dash": "dashdot", "width": 2},  # bluish green
    {"color": "#CC79A7", "dash": "longdash", "width": 2},  # reddish purple
]
CONTEXT_COLOUR = "#BBBBBB"
CONTEXT_GROUPS = {  # role → (legend name, dash): one trace per group, its lines cut by gaps
    "quartier": ("autres quartiers", "solid"),
    "reference": ("autres territoires", "dot"),
}
END_LABEL = 28  # characters of a label written at the end of its line
END_LINE = 14  # beyond this, the label takes two lines (a phone has ~120 px right of the last year)
LABEL_HEIGHT = 17  # pixels per line of an end label
SEPARATORS = ", "  # Plotly's decimal then thousands separators: « 2 000,5 »


@dataclass(frozen=True)
class Bar:
    label: str  # full name (hover, table)
    value: float
    text: str  # formatted value in French
    role: str  # a key of COLOURS


def short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def plain(text: str) -> str:
    """Plotly reads a subset of HTML in labels: data text must reach it escaped."""
    return escape(text, quote=False)


def value_axis(title: str, unit: Unit | None = None) -> dict:
    """An axis of values written in French: « 2 000 € », « 12,5 % », never « 2k »."""
    axis = {"title": {"text": plain(title)}, "automargin": True, "tickformat": ",~f"}
    if unit is not None and unit.suffix.strip() in ("€", "%"):
        axis["ticksuffix"] = unit.suffix
    return axis


@timed("charts")
def bar_chart(title: str, axis_title: str, bars: list[Bar], unit: Unit | None = None) -> dict:
    """Horizontal bars, first bar on top; labels shortened on the axis, full on hover."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [plain(short(bar.label)) for bar in bars],
                "x": [round(bar.value, 6) for bar in bars],
                "text": [plain(bar.text) for bar in bars],
                "customdata": [plain(bar.label) for bar in bars],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{customdata} : %{text}<extra></extra>",
                "marker": {"color": [COLOURS[bar.role] for bar in bars]},
            }
        ],
        "layout": {
            "title": {"text": plain(title)},
            "xaxis": {**value_axis(axis_title, unit), "rangemode": "tozero"},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "separators": SEPARATORS,
            "height": 120 + 34 * len(bars),
        },
    }


@timed("charts")
def to_script_json(spec: dict) -> str:
    """JSON safe to place inside <script type="application/json"> (no '</script>' breakout)."""
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Trace:
    """One line of a series: a territory on one perimeter (a new perimeter starts a new line)."""

    label: str
    years: list[int]
    values: list[float]
    texts: list[str]  # "41,5 % (2019)"
    role: str  # "focus", "highlight", or a key of CONTEXT_GROUPS (drawn thin and grey)
    dash: str = "solid"  # the focus's perimeter (dotted: the 2015 quartier)
    slot: int = 0  # a highlight's place in HIGHLIGHTS
    end_label: str = ""  # written at the end of the line (one segment of a territory carries it)


def _style(trace: Trace) -> dict:
    if trace.role == "focus":
        return {**FOCUS_LINE, "dash": trace.dash}
    return dict(HIGHLIGHTS[trace.slot])


def _own_line(trace: Trace) -> dict:
    style = _style(trace)
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": plain(short(trace.label)),
        "showlegend": False,  # named at the end of its line
        "x": trace.years,
        "y": [round(value, 6) for value in trace.values],
        "text": [plain(text) for text in trace.texts],
        "customdata": [plain(trace.label)] * len(trace.years),  # not in the template: "%{" stays text
        "hovertemplate": "%{customdata} : %{text}<extra></extra>",
        "hoverlabel": {"bgcolor": style["color"]},
        "line": style,
        "marker": {"color": style["color"], "size": 8 if trace.role == "focus" else 6},
    }


def _grouped_lines(role: str, traces: list[Trace], others: bool = True) -> dict:
    """Many thin grey lines as ONE trace, each line cut from the next by a gap (None): the
    chart keeps a single 'others' style, and the hover still names each line's territory."""
    name, dash = CONTEXT_GROUPS[role]
    if role == "quartier" and not others:  # no focus: every quartier is grey
        name = name.removeprefix("autres ")
    x: list[int | None] = []
    y: list[float | None] = []
    text: list[str | None] = []
    names: list[str | None] = []
    for trace in traces:
        if x:
            for column in (x, y, text, names):
                column.append(None)
        x += trace.years
        y += [round(value, 6) for value in trace.values]
        text += [plain(t) for t in trace.texts]
        names += [plain(trace.label)] * len(trace.years)
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "legendrank": 1000,
        "x": x,
        "y": y,
        "text": text,
        "customdata": names,
        "connectgaps": False,
        "meta": "context",  # charts.js draws the hovered line of the group darker
        "hovertemplate": "%{customdata} : %{text}<extra></extra>",
        "hoverlabel": {"bgcolor": "#555555"},
        "line": {"color": CONTEXT_COLOUR, "dash": dash, "width": 1},
        "marker": {"color": CONTEXT_COLOUR, "size": 4},
    }


def _end_labels(traces: list[Trace], all_values: list[float], plot_height: float) -> list[dict]:
    """A label at the end of each named line; labels pushed apart vertically so none overlaps."""
    named = sorted((t for t in traces if t.end_label), key=lambda t: t.values[-1])
    if not named:
        return []
    low, high = min(all_values), max(all_values)
    pixels = plot_height / ((high - low) * 1.1) if high > low else 0.0  # pixels per unit (autorange pads)
    texts = [end_text(trace.end_label) for trace in named]
    heights = [LABEL_HEIGHT * (1 + text.count("<br>")) for text in texts]
    placed: list[float] = []
    for index, trace in enumerate(named):
        wanted = trace.values[-1] * pixels
        gap = (heights[index - 1] + heights[index]) / 2 if index else 0
        placed.append(max(wanted, placed[-1] + gap) if placed else wanted)
    labels = []
    for trace, text, position in zip(named, texts, placed, strict=True):
        colour = _style(trace)["color"]
        labels.append(
            {
                "x": trace.years[-1],
                "y": round(trace.values[-1], 6),
                "xref": "x",
                "yref": "y",
                "text": text,
                "showarrow": False,
                "xanchor": "left",
                "align": "left",
                "xshift": 8,
                "yshift": round(position - trace.values[-1] * pixels, 1),
                "font": {"color": "#1f1f1f", "size": 12},
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": colour,
                "borderwidth": 2,
                "borderpad": 2,
            }
        )
    return labels


def end_text(label: str) -> str:
    """An end label, escaped: shortened to END_LABEL characters, on two lines when longer than
    END_LINE (cut at the space nearest the middle)."""
    label = label if len(label) <= END_LABEL else label[: END_LABEL - 1].rstrip() + "…"
    spaces = [i for i, char in enumerate(label) if char == " "]
    if len(label) <= END_LINE or not spaces:
        return plain(label)
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return plain(label[:cut]) + "<br>" + plain(label[cut + 1 :])


@timed("charts")
def line_chart(title: str, axis_title: str, traces: list[Trace], unit: Unit | None = None) -> dict:
    """Values across millésimes; no line is drawn across a change of perimeter or definition.

    Drawn bottom to top: the grey groups (other quartiers, other territories: one trace each),
    the highlighted references, the focus. Colour lines carry a label at their end; the legend
    only names the grey groups."""
    groups = [
        _grouped_lines(role, [t for t in traces if t.role == role], any(t.role == "focus" for t in traces))
        for role in CONTEXT_GROUPS
        if any(t.role == role for t in traces)
    ]
    own = [t for t in traces if t.role == "highlight"] + [t for t in traces if t.role == "focus"]
    years = sorted({year for trace in traces for year in trace.years})
    values = [value for trace in traces for value in trace.values]
    height = 400 if groups else 360
    plot_height = height - 16 - 48 - (40 if groups else 0)  # charts.js margins, legend below
    span = years[-1] - years[0] if years else 0
    room = max(1.0, 0.35 * span) if any(t.end_label for t in own) else 0.4  # labels beyond the last year
    layout = {
        "title": {"text": plain(title)},
        "showlegend": bool(groups),
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
        "separators": SEPARATORS,
        "xaxis": {
            "title": {"text": "millésime"},
            "tickvals": years,
            "tickformat": "d",
            "range": [years[0] - 0.4, years[-1] + room] if years else None,
        },
        "yaxis": value_axis(axis_title, unit),
        "annotations": _end_labels(own, values, plot_height) if values else [],
        "height": height,
    }
    return {"data": groups + [_own_line(trace) for trace in own], "layout": layout}


@dataclass(frozen=True)
class Dumbbell:
    label: str  # the quartier's name
    first: float  # its gap at the first millésime, measured (points, or % of the reference)
    last: float
    text: str  # what the hover says, in French
    move: str  # « réduit », « creusé », « stable », « inversé »: the colour of the last point


MOVE_COLOURS = {"réduit": "#0072B2", "creusé": "#D55E00", "stable": "#777777", "inversé": "#CC79A7"}
MOVE_SYMBOLS = {"réduit": "circle", "creusé": "diamond", "stable": "square", "inversé": "triangle-up"}


@timed("charts")
def dumbbell_chart(title: str, axis_title: str, rows: list[Dumbbell], suffix: str = "") -> dict:
    """Each quartier's gap to the reference at the first millésime (hollow circle) and the last
    (filled, its colour and shape saying whether the gap narrowed or widened), joined by a line;
    the reference at zero; sorted by the last gap. Shape as well as colour: never colour alone."""
    names = [plain(short(row.label)) for row in rows]
    segments_x, segments_y = [], []
    for row, name in zip(rows, names, strict=True):
        segments_x += [round(row.first, 6), round(row.last, 6), None]
        segments_y += [name, name, None]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": segments_x,
            "y": segments_y,
            "hoverinfo": "skip",
            "line": {"color": "#999999", "width": 2},
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": [round(r.first, 6) for r in rows],
            "y": names,
            "hoverinfo": "skip",
            "marker": {"color": "#ffffff", "size": 9, "line": {"color": "#555555", "width": 1.5}},
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": [round(r.last, 6) for r in rows],
            "y": names,
            "customdata": [plain(r.text) for r in rows],
            "hovertemplate": "%{y} : %{customdata}<extra></extra>",
            "marker": {
                "color": [MOVE_COLOURS[r.move] for r in rows],
                "symbol": [MOVE_SYMBOLS[r.move] for r in rows],
                "size": 11,
            },
        },
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": plain(title)},
            "xaxis": {
                "title": {"text": plain(axis_title)},
                "zeroline": True,
                "zerolinewidth": 2,
                "zerolinecolor": "#222222",
                "rangemode": "tozero",  # the reference (0) is always on the axis
                "automargin": True,
                "ticksuffix": suffix,
            },
            "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"},
            "meta": "dumbbell",  # charts.js writes the names above the rows on a phone
            "separators": SEPARATORS,
            "height": 110 + 26 * len(rows),
        },
    }
