"""The built site in a real browser (Debian's chromium, headless, through Playwright).

Runs on the default build and on the real-files build. Each test skips, saying why, where a tool
it needs is missing: chromium and Playwright, and axe-core (npm, in .tools/) for the audit; CI
installs them and fails instead of skipping (tests/conftest.py).
"""

from __future__ import annotations

import gzip
from urllib.parse import urlparse

import pytest

from .conftest import AXE, serve

pytestmark = pytest.mark.needs("playwright", "chromium")  # and axe-core for the audit (tests/conftest.py)
PAGES = [
    "",
    "quartiers/QN05968M/",
    "quartiers/QN05968M/revenus-pauvrete/",
    "enjeux/precarite-acces-droits/",
    "indicateurs/taux-pauvrete-60/",
    "carte/",
    "comite/",
    "editions/2022/quartiers/QN05968M/revenus-pauvrete/",  # an archive: the root's theme, charts.js and Plotly
]
CHARTED = {
    "quartiers/QN05968M/revenus-pauvrete/",
    "indicateurs/taux-pauvrete-60/",
    "editions/2022/quartiers/QN05968M/revenus-pauvrete/",
}


@pytest.fixture(scope="module", params=["default", "real"])
def site_url(request, default_site):
    site = default_site if request.param == "default" else request.getfixturevalue("real_site")
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def _open(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, outside = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda req: (
            outside.append(req.url)
            if urlparse(req.url).hostname not in {"127.0.0.1"} and not req.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    page.goto(url, wait_until="networkidle")
    return page, errors, outside


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_without_console_error_or_outside_request(browser, site_url, path):
    page, errors, outside = _open(browser, site_url + path)
    assert errors == []
    assert outside == []
    if path in CHARTED:
        folded = page.locator("details.compare > summary")  # a quartier's charts are one tap away
        if folded.count():
            folded.first.click()
        page.locator(".chart-plot").first.scroll_into_view_if_needed()  # charts are drawn as they come into view
        page.wait_for_selector(".chart-plot .main-svg", timeout=15000)  # Plotly drew the charts
        assert errors == []
        assert outside == []
    page.close()


@pytest.mark.needs("axe")
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_accessibility_violation(browser, site_url, path):
    page, _, _ = _open(browser, site_url + path)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], len(v["nodes"])) for v in results["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_a_375_px_phone(browser, site_url, path):
    page, _, _ = _open(browser, site_url + path, width=375)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.close()


@pytest.mark.parametrize("edition", ["", "editions/2022/"])  # an archive's search: the root's worker, its own index
def test_search_finds_a_quartier_from_a_commune_typed_without_accents(browser, site_url, edition):
    page, _, _ = _open(browser, site_url + edition)
    page.click(".md-search__input")
    page.keyboard.type("mons en baroeul")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    # the search worker answers each keystroke; wait for the answer to the whole query
    page.wait_for_function(
        "() => (document.querySelector('.md-search-result__meta') || {}).textContent?.match(/\\d/)", timeout=15000
    )
    page.wait_for_timeout(1000)
    first = page.locator(".md-search-result__item").first.inner_text()
    assert "Nouveau Mons" in first  # the quartier of Mons-en-Barœul comes first
    page.close()


def test_downloads_open_and_hold_the_figures_shown(browser, site_url):
    page, _, _ = _open(browser, site_url + "quartiers/QN05968M/")
    assert "41,5" in page.text_content("article")  # off-screen blocks are not laid out (content-visibility)
    csv_url = page.locator("p.downloads a", has_text="CSV").first.get_attribute("href")
    response = page.request.get(site_url + "quartiers/QN05968M/" + csv_url)
    assert response.ok
    assert csv_url.endswith(".csv.gz")
    text = gzip.decompress(response.body()).decode("utf-8")
    assert "QN05968M" in text and ",41.5," in text and "taux-pauvrete-60" in text
    xlsx_url = page.locator("p.downloads a", has_text="XLSX").first.get_attribute("href")
    xlsx = page.request.get(site_url + "quartiers/QN05968M/" + xlsx_url)
    assert xlsx.ok and xlsx.body()[:2] == b"PK"  # a zip archive, as XLSX files are
    package = page.request.get(site_url + "telechargements/datapackage.json").json()
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert [r["name"] for r in package["resources"]] == ["chiffres", "indicateurs"]
    page.close()
