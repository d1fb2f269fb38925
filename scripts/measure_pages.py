"""What a phone downloads: gzip-transferred bytes of a few pages of a built site.

    python scripts/measure_pages.py [SITE] [--quartier QN05968M] [--second QN05969M] [--verbose]

Serves SITE (default `site`) on 127.0.0.1, opens it in headless chromium (Playwright, 375 × 812,
mobile, touch) and reports, for each visit, the sum of the gzip-compressed sizes (level 6, as a
web server would send them) of the bodies the server actually sent (counted by the server, so
that workers' requests count too): what the browser's cache served never reaches the server,
and a 304 revalidation has no body. Each page is loaded, then scrolled to its end
so that lazily loaded scripts (Plotly, when a chart comes into view) are counted too.

Visits, with their floors (issue 13):
- first visit of a quartier page, empty cache: ≤ 600 KB;
- a page without a chart (sources/), empty cache: ≤ 150 KB;
- a second quartier page in the same browser (warm cache): ≤ 60 KB.

1 KB = 1,000 bytes. Exit code 1 when a floor is exceeded.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlparse

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
FLOORS = {"first": 600_000, "nochart": 150_000, "warm": 60_000}


class _Recording(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records what it sent: (path, status) of each answer.

    The browser's cache never reaches the server; a revalidation gets a 304 without a body."""

    log: ClassVar[list[tuple[str, int]]] = []
    last: ClassVar[float] = 0.0

    def log_request(self, code="-", size="-") -> None:
        type(self).log.append((self.path, int(getattr(code, "value", code))))
        type(self).last = time.monotonic()

    def log_message(self, *args) -> None:
        pass


def _body(site: Path, path: str) -> bytes:
    """The file the local server sent for this path (index.html for a folder)."""
    file = site / unquote(urlparse(path).path).lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    return file.read_bytes() if file.is_file() else b""


def _settle(page, quiet: float = 1.0, timeout: float = 20.0) -> None:
    """Wait until the server has answered nothing for `quiet` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < timeout and time.monotonic() - _Recording.last < quiet:
        page.wait_for_timeout(100)


def visit(context, site: Path, url: str) -> list[tuple[str, int, int]]:
    """(path, status, gzip bytes of the body sent) of each answer of the server for one page."""
    _Recording.log = []
    page = context.new_page()
    page.goto(url, wait_until="load")
    _settle(page)
    # scroll to the end, a screen at a time, so that what loads when it comes into view is counted
    height = page.evaluate("() => document.documentElement.scrollHeight")
    for y in range(0, height + 812, 600):
        page.evaluate(f"() => window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
    _settle(page)
    page.close()
    rows = []
    for path, status in _Recording.log:
        size = len(gzip.compress(_body(site, path), compresslevel=6, mtime=0)) if status == 200 else 0
        rows.append((path, status, size))
    return rows


def _report(name: str, rows, floor: int, verbose: bool) -> bool:
    total = sum(size for _, _, size in rows)
    sent = sum(1 for _, status, _ in rows if status == 200)
    ok = total <= floor
    print(
        f"{name:<46} {total / 1000:8.1f} KB gzip  ({sent} réponses 200, {len(rows) - sent} autres)"
        f"  plancher {floor / 1000:.0f} KB : {'respecté' if ok else 'DÉPASSÉ'}"
    )
    if verbose:
        for url, status, size in sorted(rows, key=lambda r: -r[2]):
            print(f"    {size / 1000:8.1f} KB  {status}  {url}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--quartier", default="QN05968M", help="quartier de la première visite")
    parser.add_argument("--second", default=None, help="quartier de la deuxième visite (cache chaud)")
    parser.add_argument("--nochart", default="sources/", help="page sans graphique")
    parser.add_argument("--verbose", "-v", action="store_true", help="détail par réponse")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site} : pas de site construit (index.html absent)", file=sys.stderr)
        return 2
    second = args.second or next(
        p.name for p in sorted((site / "quartiers").iterdir()) if p.is_dir() and p.name != args.quartier
    )
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium absent : apt-get install chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Recording, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    phone = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    print(f"{site}, 375 × 812, gzip niveau 6 (1 KB = 1 000 octets)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            context = browser.new_context(**phone)
            first = visit(context, site, f"{base}quartiers/{args.quartier}/")
            warm = visit(context, site, f"{base}quartiers/{second}/")
            context.close()
            context = browser.new_context(**phone)
            nochart = visit(context, site, base + args.nochart)
            context.close()
            browser.close()
    finally:
        server.shutdown()
    results = [
        _report(f"quartiers/{args.quartier}/ (première visite)", first, FLOORS["first"], args.verbose),
        _report(f"{args.nochart} (sans graphique, première visite)", nochart, FLOORS["nochart"], args.verbose),
        _report(f"quartiers/{second}/ (cache chaud)", warm, FLOORS["warm"], args.verbose),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
