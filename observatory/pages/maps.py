"""Maps drawn from the official 2024 contours as plain SVG: offline, no tiles, every quartier a link.

The contours come from the ANCT layer (observatory.inputs.contours). Longitudes are scaled by
the cosine of the mean latitude, which is exact enough at the scale of an agglomeration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from observatory.inputs.contours import Shape

# Viridis, five steps: ordered, readable with the common colour-vision deficiencies and in grey.
SEQUENTIAL = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
MISSING = "#d9d9d9"
WIDTH = 640


def _projection(shapes: list[Shape]):
    points = [point for shape in shapes for ring in shape.rings for point in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    scale_x = math.cos(math.radians((south + north) / 2))
    width = (east - west) * scale_x or 1e-6
    height = (north - south) or 1e-6
    factor = WIDTH / width

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * scale_x * factor, (north - lat) * factor

    return project, WIDTH, height * factor


@dataclass(frozen=True)
class Projected:
    """Shapes projected once; every map of the same quartiers reuses them with other colours."""

    paths: dict[str, str]  # code → SVG path data
    width: float
    height: float


def project_shapes(shapes: list[Shape]) -> Projected:
    if not shapes:
        return Projected({}, 0, 0)
    project, width, height = _projection(shapes)
    paths = {
        shape.code: " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (project(*point) for point in ring)) + " Z"
            for ring in shape.rings
        )
        for shape in shapes
    }
    return Projected(paths, width, height)


def svg_map(
    projected: Projected,
    names: dict[str, str],
    links: dict[str, str],
    fills: dict[str, str],
    title: str,
    labels: dict[str, str],
) -> str:
    """An SVG map: one link per quartier, its name and value in the link's accessible name."""
    if not projected.paths:
        return ""
    parts = [
        f'<svg class="map" viewBox="-4 -4 {projected.width + 8:.0f} {projected.height + 8:.0f}" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for code in sorted(projected.paths):
        name = escape(names[code] + (f" : {labels[code]}" if code in labels else ""))
        parts.append(
            f'<a href="{escape(links[code])}" aria-label="{name}"><path d="{projected.paths[code]}" '
            f'fill="{fills.get(code, MISSING)}" stroke="#1f1f1f" stroke-width="0.8" fill-rule="evenodd">'
            f"<title>{name}</title></path></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def classes(values: dict[str, float]) -> list[tuple[float, float, str]]:
    """Up to five classes of equal counts: (low, high, colour), lowest first. Where many
    quartiers share a value, two cuts fall on it: the class between them would be empty (a value
    takes the colour of the first class that holds it), so it is not made."""
    ordered = sorted(values.values())
    count = min(len(SEQUENTIAL), len(set(ordered)))
    if count == 0:
        return []
    cuts = [ordered[math.floor(i * (len(ordered) - 1) / count)] for i in range(count)] + [ordered[-1]]
    bounds = sorted(set(cuts)) if len(set(ordered)) > 1 else cuts[:2]
    count = len(bounds) - 1
    palette = SEQUENTIAL if count == len(SEQUENTIAL) else SEQUENTIAL[:: max(1, len(SEQUENTIAL) // count)][:count]
    return [(bounds[i], bounds[i + 1], palette[i]) for i in range(count)]


def colour_of(value: float, breaks: list[tuple[float, float, str]]) -> str:
    for low, high, colour in breaks:
        if low <= value <= high:
            return colour
    return MISSING
