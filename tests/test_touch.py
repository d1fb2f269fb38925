"""A phone in a real browser: a vertical swipe over a chart scrolls the page (issue 13).

Debian's chromium, headless, through Playwright, at 375 × 812 with touch. The finger is a real
touch sequence sent through the DevTools protocol (Input.dispatchTouchEvent), so that the page's
touch handlers, `touch-action` and the browser's scrolling all take part, as on a phone.
Skips, saying why, where chromium or Playwright is missing (CI installs them).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS

try:
    from playwright import sync_api as playwright
except ImportError:  # the `needs` marker skips these tests and says why (tests/conftest.py)
    playwright = None
pytestmark = pytest.mark.needs("playwright", "chromium")
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
CHART_PAGES = ["quartiers/QN05968M/revenus-pauvrete/", "indicateurs/taux-pauvrete-60/"]
OPEN = "() => document.querySelectorAll('details.compare').forEach((d) => { d.open = true; })"  # taps


@pytest.fixture(scope="module")
def site_url(default_site_url):
    return default_site_url


@pytest.fixture(scope="module")
def phone():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(**PHONE)
        yield context
        context.close()
        browser.close()


def _open(context, url: str):
    page = context.new_page()
    errors, outside = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda req: outside.append(req.url) if urlparse(req.url).hostname != "127.0.0.1" else None,
    )
    page.goto(url, wait_until="networkidle")
    return page, errors, outside


def _first_chart(page):
    """The first chart, drawn (charts are drawn as they come into view, a quartier's once its
    detail is opened), its centre on screen."""
    page.evaluate(OPEN)
    chart = page.locator(".chart-plot").first
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(".chart-plot .main-svg", timeout=15000)
    page.evaluate("(el) => window.scrollBy(0, el.getBoundingClientRect().top - 200)", chart.element_handle())
    page.wait_for_timeout(300)
    return chart.bounding_box()


def _swipe(page, x: float, y: float, dy: float, steps: int = 10) -> None:
    """A finger put down at (x, y), moved by dy (negative: upwards, to read further), lifted."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * step / steps}]}
        )
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(500)
    cdp.detach()


@pytest.mark.parametrize("path", CHART_PAGES)
def test_a_vertical_swipe_over_a_chart_scrolls_the_page(phone, site_url, path):
    page, errors, outside = _open(phone, site_url + path)
    box = _first_chart(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert 0 < y < 812  # the finger lands on the chart
    assert page.evaluate(f"() => document.elementFromPoint({x}, {y}).closest('.chart-plot') !== null")
    before = page.evaluate("() => window.scrollY")
    _swipe(page, x, y, -250)
    after = page.evaluate("() => window.scrollY")
    assert after - before > 100  # the page followed the finger
    _swipe(page, x, 300, 250)  # and back down, from wherever the chart now is
    assert page.evaluate("() => window.scrollY") < after - 100
    assert errors == []
    assert outside == []
    page.close()


@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_on_a_phone_neither_zoom_nor_pan(phone, site_url, path):
    page, _, _ = _open(phone, site_url + path)
    _first_chart(page)
    state = page.evaluate(
        """() => {
            const gd = document.querySelector('.chart-plot.js-plotly-plot');
            const axes = Object.keys(gd._fullLayout).filter((k) => /^[xy]axis\\d*$/.test(k));
            return {
                dragmode: gd._fullLayout.dragmode,
                fixed: axes.every((k) => gd._fullLayout[k].fixedrange),
                scrollZoom: gd._context.scrollZoom,
                modebar: gd._context.displayModeBar,
            };
        }"""
    )
    assert state == {"dragmode": False, "fixed": True, "scrollZoom": False, "modebar": False}
    page.close()


def test_plotly_waits_for_the_first_chart_and_pages_without_chart_load_no_chart_script(phone, site_url):
    page, _, _ = _open(phone, site_url + "sources/")
    scripts = page.evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")
    assert not any("plotly" in s or "charts.js" in s for s in scripts)
    page.close()
    page, _, _ = _open(phone, site_url + "quartiers/QN05968M/revenus-pauvrete/")
    assert not page.evaluate("() => typeof Plotly !== 'undefined'")  # every chart is folded: not fetched yet
    _first_chart(page)
    assert page.evaluate("() => typeof Plotly !== 'undefined'")
    page.close()
