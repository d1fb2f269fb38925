"""Tidy figures → Plotly chart specifications (plain dicts). Never writes files.

Charts are plain dicts rather than plotly.graph_objects figures: building and serialising a
dict is ~50 times faster and carries no per-figure template. The shared style (fonts,
margins, colours) lives once in templates/assets/javascripts/charts.js.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from observatory.timing import timed

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
COLOURS = {
    "focus": "#D55E00",  # the quartier the page is about (vermillion)
    "quartier": "#56B4E9",  # other quartiers (sky blue)
    "reference": "#0072B2",  # reference territories (blue)
    "college": "#009E73",  # establishments (bluish green)
}
MAX_LABEL = 38


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


@timed("charts")
def bar_chart(title: str, axis_title: str, bars: list[Bar]) -> dict:
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
            "xaxis": {"title": {"text": plain(axis_title)}, "rangemode": "tozero"},
            "yaxis": {"autorange": "reversed", "automargin": True},
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
    role: str
    dash: str = "solid"


@timed("charts")
def line_chart(title: str, axis_title: str, traces: list[Trace]) -> dict:
    """Values across millésimes; no line is drawn across a change of perimeter or definition."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": plain(short(trace.label)),
                "x": trace.years,
                "y": [round(value, 6) for value in trace.values],
                "text": [plain(text) for text in trace.texts],
                "hovertemplate": plain(trace.label) + " : %{text}<extra></extra>",
                "line": {"color": COLOURS[trace.role], "dash": trace.dash},
                "marker": {"color": COLOURS[trace.role]},
            }
            for trace in traces
        ],
        "layout": {
            "title": {"text": plain(title)},
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.25},
            "xaxis": {"title": {"text": "millésime"}, "tickformat": "d", "dtick": 1},
            "yaxis": {"title": {"text": plain(axis_title)}, "automargin": True},
            "height": 360 + 18 * len(traces),
        },
    }


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    text: str  # what the hover says, in French
    role: str


@timed("charts")
def scatter_chart(title: str, x_title: str, y_title: str, points: list[Point]) -> dict:
    """The committee's quadrant: each quartier by its level change (x) and gap change (y)."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": [round(point.x, 6) for point in points],
                "y": [round(point.y, 6) for point in points],
                "customdata": [plain(point.label) for point in points],
                "text": [plain(point.text) for point in points],
                "hovertemplate": "%{customdata} : %{text}<extra></extra>",
                "marker": {"color": [COLOURS[point.role] for point in points], "size": 11},
            }
        ],
        "layout": {
            "title": {"text": plain(title)},
            "xaxis": {"title": {"text": plain(x_title)}, "zeroline": True, "automargin": True},
            "yaxis": {"title": {"text": plain(y_title)}, "zeroline": True, "automargin": True},
            "height": 460,
        },
    }
