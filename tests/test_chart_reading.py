"""Charts read in a real browser (issue 13): on a phone a bar's whole name is written above it and
nothing is cut at the screen's edge; a series keeps a few upright years; on a desktop, hovering
one of the grey lines draws that territory's line darker.

Debian's chromium, headless, through Playwright; skips, saying why, where they are missing (CI
installs them).
"""

from __future__ import annotations

import html

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS

try:
    from playwright import sync_api as playwright
except ImportError:  # the `needs` marker skips these tests and says why (tests/conftest.py)
    playwright = None
pytestmark = pytest.mark.needs("playwright", "chromium")
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
ATTARGETTE = "quartiers/QN05967M/acces-emploi/"  # its job-seekers chart names a quartier of 80 characters


@pytest.fixture(scope="module")
def contexts(default_site_url):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield {"phone": browser.new_context(**PHONE), "desktop": browser.new_context(**DESKTOP)}
        browser.close()


def _drawn(context, url: str, chart_id: str):
    """The page at `url`, scrolled until the chart `chart_id` is drawn (charts are drawn in view)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    chart = page.locator(f"#{chart_id}")
    chart.evaluate("(el) => { const folded = el.closest('details'); if (folded) { folded.open = true; } }")
    for _ in range(5):  # blocks above it are laid out as they come into view: it may move
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        if chart.locator(".main-svg").count():
            break
    page.wait_for_selector(f"#{chart_id} .main-svg", timeout=15000)
    assert errors == []
    return page, chart


def test_on_a_phone_bar_names_are_whole_above_their_bars_and_inside_the_screen(contexts, default_site_url):
    page, chart = _drawn(
        contexts["phone"], default_site_url + ATTARGETTE, "graphique-nombre-demandeurs-emploi-femmes-1"
    )
    names = page.evaluate("(el) => el.data[0].customdata", chart.element_handle())
    assert any(len(html.unescape(name)) > 60 for name in names)  # a name longer than the screen holds
    shown = page.evaluate(
        """(el) => [...el.querySelectorAll('.annotation-text')].map((t) => {
            const box = t.getBoundingClientRect();
            return {text: [...t.querySelectorAll('tspan.line')].map((l) => l.textContent).join(' ')
                          || t.textContent, left: box.left, right: box.right};
        })""",
        chart.element_handle(),
    )
    assert len(shown) == len(names)
    for label, name in zip(shown, names, strict=True):
        written = label["text"].removesuffix("…")
        assert html.unescape(name).startswith(written) and len(written) >= min(len(html.unescape(name)), 40)
        assert label["left"] >= 0 and label["right"] <= 375
    assert chart.locator(".ytick text").count() == 0  # no name cut beside the bars
    values = page.evaluate(
        "(el) => [...el.querySelectorAll('.bartext')].map((t) => t.getBoundingClientRect().right)",
        chart.element_handle(),
    )
    assert values and max(values) <= 375
    page.close()


def test_on_a_phone_a_series_writes_at_most_five_upright_years(contexts, default_site_url):
    page, chart = _drawn(contexts["phone"], default_site_url + ATTARGETTE, "serie-nombre-demandeurs-emploi")
    years = chart.locator(".xtick text")
    assert 2 <= years.count() <= 5
    assert years.last.text_content() == "2022"  # the latest millésime is always written
    transforms = [years.nth(i).get_attribute("transform") or "" for i in range(years.count())]
    assert not any("rotate" in transform for transform in transforms)
    page.close()


def test_on_a_desktop_the_hovered_grey_line_is_drawn_darker(contexts, default_site_url):
    page, chart = _drawn(contexts["desktop"], default_site_url + "indicateurs/taux-pauvrete-60/", "serie")
    state = "(el) => el.data.filter((t) => t.meta === 'hovered').map((t) => t.x.length)"
    assert page.evaluate(state, chart.element_handle()) == [0]
    grey = page.evaluate(
        "(el) => el.data.findIndex((t) => t.meta === 'context' && t.customdata.length > 1)", chart.element_handle()
    )
    point = chart.locator(".scatterlayer .trace").nth(grey).locator("path.point").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    line = page.evaluate(
        """(el) => { const grey = el.data.find((t) => t.meta === 'hovered');
                     return {points: grey.x.length, colour: grey.line.color}; }""",
        chart.element_handle(),
    )
    assert line["points"] >= 1 and line["colour"] == "#4D4D4D"
    hover = page.locator(".hoverlayer .hovertext").first.text_content()
    assert " : " in hover  # the hovered territory is named
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)
    assert page.evaluate(state, chart.element_handle()) == [0]
    page.close()
