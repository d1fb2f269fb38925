"""Tables on a 375 px phone (issue 13): no word broken inside a cell, a wide table scrolls inside
its own focusable box with its first column in place, numbers right-aligned.

Runs in Debian's chromium (Playwright) on the built default site; needs no axe-core.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.needs("playwright", "chromium")  # skips, or fails in CI, without them
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def site_url(default_site_url):
    return default_site_url


PAGES = ["quartiers/QN05968M/revenus-pauvrete/", "indicateurs/taux-pauvrete-60/"]
OPEN = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"  # a reader's taps

# Every word (between spaces, hyphens and slashes, where a line may break) of every visible table
# cell whose text lies on more than one line: a word broken inside.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table.data th, table.data td")) {
    if (!cell.getClientRects().length) continue;  // in a closed <details>
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-\\/]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""

BOXES = """() => [...document.querySelectorAll(".table-wrap")].map(box => ({
  role: box.getAttribute("role"), tabindex: box.getAttribute("tabindex"), label: box.getAttribute("aria-label"),
}))"""

# The widest visible table box: scroll it and see where its first and last cells went.
SCROLL = """() => {
  const boxes = [...document.querySelectorAll(".table-wrap")].filter(b => b.getClientRects().length);
  const box = boxes.sort((a, b) => (b.scrollWidth - b.clientWidth) - (a.scrollWidth - a.clientWidth))[0];
  box.scrollIntoView();
  const row = box.querySelector("tbody tr");
  const first = row.firstElementChild, last = row.lastElementChild;
  const before = [first.getBoundingClientRect().left, last.getBoundingClientRect().left];
  box.scrollLeft = box.scrollWidth;
  const after = [first.getBoundingClientRect().left, last.getBoundingClientRect().left];
  return {overflow: box.scrollWidth - box.clientWidth, scrolled: box.scrollLeft, before, after,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""

ALIGN = """() => [...document.querySelectorAll(".table-wrap.num-2 tbody tr > td:nth-child(2)")]
  .map(td => getComputedStyle(td).textAlign)"""

STYLES = """() => [...document.querySelectorAll("table.data :is(th, td), table.data :is(th, td) *")].map(c => {
  const s = getComputedStyle(c); return [s.wordBreak, s.overflowWrap];
})"""


@pytest.mark.parametrize("path", PAGES)
def test_no_word_is_broken_inside_a_table_cell(browser, site_url, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + path, wait_until="networkidle")
    page.evaluate(OPEN)
    assert page.evaluate(BROKEN_WORDS) == []
    assert {tuple(style) for style in page.evaluate(STYLES)} <= {("normal", "normal")}
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_wide_table_scrolls_in_its_own_box_with_its_first_column_in_place(browser, site_url, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + path, wait_until="networkidle")
    page.evaluate(OPEN)
    boxes = page.evaluate(BOXES)
    assert boxes and all(b["role"] == "region" and b["tabindex"] == "0" and b["label"] for b in boxes)
    moved = page.evaluate(SCROLL)
    assert moved["overflow"] > 0 and moved["scrolled"] > 0  # wider than the phone: it scrolls
    assert moved["page"] <= 0  # ... inside its box, not the page
    assert abs(moved["after"][0] - moved["before"][0]) < 1  # the first column stays in place
    assert moved["after"][1] < moved["before"][1]  # the others move under it
    assert set(page.evaluate(ALIGN)) == {"right"}  # the values are right-aligned
    page.close()
