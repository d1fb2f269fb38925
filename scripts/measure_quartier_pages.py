"""The quartier pages as a resident meets them: screens on a phone, weight, print (issue 26 floors).

    python scripts/measure_quartier_pages.py [SITE] [--quartier QN06225M ...]

Serves SITE (default `site`) on 127.0.0.1 and opens it in headless chromium (Playwright, Debian's
chromium, 375 × 812, mobile, touch). For each quartier page (`quartiers/QN…/`), with every block
laid out (`content-visibility` forced visible, as a reader who scrolls to the end sees it):
- its height in phone screens (floor ≤ 12), its HTML bytes (≤ 150 KB), its DOM elements (≤ 2 000);
- the key figures on its first screen that carry the contract EPCI's value (floor ≥ 4);
- printed on A4 right after opening (chromium page.pdf, print media, no scrolling): its pages (≤ 2),
  and whether a chart box is left blank on paper (floor: none).
For each of its section pages (`quartiers/QN…/<section>/`): its height in screens (≤ 40). Then, for
every HTML page of the site (archived editions included): the largest in bytes and in DOM elements
(floors ≤ 300 KB, ≤ 3 000). 1 KB = 1 000 bytes. Exit code 1 when a floor is not reached.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 375, "height": 812}
FLOORS = {
    "screens": 12,
    "bytes": 150_000,
    "dom": 2_000,
    "first_screen": 4,
    "print_pages": 2,
    "section_screens": 40,
    "site_bytes": 300_000,
    "site_dom": 3_000,
}
LAID_OUT = "* { content-visibility: visible !important; contain-intrinsic-size: none !important; }"
FIRST_SCREEN = """() => {
  const rows = Array.from(document.querySelectorAll('table.key tbody tr.compared'));
  return [rows.filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length, rows.length];
}"""
BLANK_CHARTS = """() => Array.from(document.querySelectorAll('.chart-plot')).filter((el) => {
  const box = el.getBoundingClientRect();
  return box.height > 0 && getComputedStyle(el).display !== 'none' && !el.querySelector('svg');
}).length"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.count += 1


def elements(html: str) -> int:
    parser = _Elements()
    parser.feed(html)
    return parser.count


def site_pages(site: Path) -> list[tuple[int, int, str]]:
    """(bytes, DOM elements, path) of every HTML page of the site, largest first."""
    found = []
    for path in site.rglob("*.html"):
        data = path.read_bytes()
        found.append((len(data), elements(data.decode("utf-8")), str(path.relative_to(site))))
    return sorted(found, reverse=True)


def _screens(page, url: str) -> tuple[float, int]:
    page.goto(url, wait_until="load")
    page.add_style_tag(content=LAID_OUT)
    height = page.evaluate("document.documentElement.scrollHeight")
    return height / PHONE["height"], page.evaluate("document.getElementsByTagName('*').length")


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _quartier(phone, printer, base: str, site: Path, code: str) -> dict:
    """One quartier page and its section pages, measured."""
    url = f"{base}quartiers/{code}/"
    phone.goto(url, wait_until="load")
    first, compared = phone.evaluate(FIRST_SCREEN)
    screens, dom = _screens(phone, url)
    printer.goto(url, wait_until="load")
    printer.emulate_media(media="print")
    sections = sorted(path.parent.name for path in (site / "quartiers" / code).glob("*/index.html"))
    return {
        "code": code,
        "screens": screens,
        "bytes": (site / "quartiers" / code / "index.html").stat().st_size,
        "dom": dom,
        "first": first,
        "compared": compared,
        "blank": printer.evaluate(BLANK_CHARTS),
        "pages": _pdf_pages(printer.pdf(format="A4")),
        "sections": len(sections),
        "section_screens": max((_screens(phone, f"{url}{name}/")[0] for name in sections), default=0.0),
    }


def _line(m: dict) -> str:
    return (
        f"{m['code']} : {m['screens']:.1f} écrans, {m['bytes'] / 1000:.0f} Ko, {m['dom']} éléments, "
        f"{m['first']} chiffres clés comparés au premier écran (sur {m['compared']}), {m['pages']} page(s) A4 ; "
        f"{m['sections']} pages de section, la plus longue {m['section_screens']:.1f} écrans"
    )


def _checks(results: list[dict], site: Path) -> list[tuple[str, float, float, str, str]]:
    """(what, value, floor, sense, value as shown) of each floor, over every quartier measured."""
    wanted = FLOORS["first_screen"]
    fewer = [f"{m['code']} ({m['compared']})" for m in results if m["compared"] < wanted]
    missing = max(min(wanted, m["compared"]) - m["first"] for m in results)
    worst = {key: max(m[key] for m in results) for key in ("screens", "bytes", "dom", "pages", "section_screens")}
    blank = sum(m["blank"] for m in results)
    largest = site_pages(site)
    biggest, densest = largest[0], max(largest, key=lambda item: item[1])
    return [
        ("écrans d'une page de quartier", worst["screens"], FLOORS["screens"], "≤", f"{worst['screens']:.1f}"),
        ("octets d'une page de quartier", worst["bytes"], FLOORS["bytes"], "≤", f"{worst['bytes'] / 1000:.0f} Ko"),
        ("éléments d'une page de quartier", worst["dom"], FLOORS["dom"], "≤", str(worst["dom"])),
        (
            f"chiffres clés comparés à l'intercommunalité manquant au premier écran (sur {wanted}, ou sur tous ceux "
            f"du quartier s'il en a moins : {', '.join(fewer) or 'aucun'})",
            missing,
            0,
            "≤",
            str(missing),
        ),
        ("pages A4 d'une page de quartier", worst["pages"], FLOORS["print_pages"], "≤", str(worst["pages"])),
        ("graphiques blancs à l'impression", blank, 0, "≤", str(blank)),
        (
            "écrans d'une page de section",
            worst["section_screens"],
            FLOORS["section_screens"],
            "≤",
            f"{worst['section_screens']:.1f}",
        ),
        (
            f"octets de la plus grande page ({biggest[2]})",
            biggest[0],
            FLOORS["site_bytes"],
            "≤",
            f"{biggest[0] / 1000:.0f} Ko",
        ),
        (f"éléments de la page la plus dense ({densest[2]})", densest[1], FLOORS["site_dom"], "≤", str(densest[1])),
    ]


def measure(site: Path, codes: list[str]) -> tuple[list[str], bool]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
        printer = browser.new_page()
        results = [_quartier(phone, printer, base, site, code) for code in codes]
        browser.close()
    server.shutdown()
    lines, ok = [_line(m) for m in results], True
    lines.append("")
    for label, value, floor, sense, shown in _checks(results, site):
        reached = value <= floor if sense == "≤" else value >= floor
        ok &= reached
        lines.append(f"{label} : {shown} (plancher {sense} {floor}) — {'atteint' if reached else 'NON ATTEINT'}")
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    parser.add_argument("--quartier", action="append", default=[], help="un code de quartier (toutes par défaut)")
    args = parser.parse_args(argv)
    codes = args.quartier or sorted(p.name for p in (args.site / "quartiers").glob("QN*") if p.is_dir())
    lines, ok = measure(args.site, codes)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
