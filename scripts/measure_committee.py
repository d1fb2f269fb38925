"""The comité's summary as the meeting uses it (issue 27 floors), on a built site.

    python scripts/measure_committee.py [SITE]

Reads the comité's page (`comite/`) of SITE (default `site`): for each contract, its summary's key
indicators (floor: ≥ 9 for the CALL, ≥ 8 for the MEL), those whose gap to the intercommunality is
answered on the same millésimes (≥ 6 per contract), and whether every count adds up (the three
of a question make the quartiers counted). Then prints it on A4 in headless chromium (Playwright,
Debian's chromium, print media, right after opening) with everything after the summaries taken
away, and counts its pages (floor: both summaries on ≤ 4 pages). Exit code 1 below a floor.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.html_tables import tables

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
FLOORS = {"CALL": 9, "MEL": 8}
ANSWERED = 6
PRINTED = 4
SUMMARY = " : évolution de la situation des quartiers et de leur écart avec "
ONLY_SUMMARIES = """() => {
  const heading = document.getElementById('comment-lire-ces-tableaux');
  let node = heading;
  while (node) { const next = node.nextElementSibling; node.remove(); node = next; }
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _counts(text: str) -> list[int]:
    return [int(number) for number in re.findall(r":\s*(\d+)", text)] + [int(n) for n in re.findall(r"sur (\d+)", text)]


def summaries(html: str) -> list[str]:
    """Per contract: its key indicators, those whose gap is answered, and whether the counts add up."""
    lines, ok = [], True
    for table in tables(html):
        if SUMMARY not in table.caption:
            continue
        contract = table.caption.split(" : ")[0]
        gap = table.header.index(next(h for h in table.header if h.startswith("Écart avec")))
        level = table.header.index("Situation des quartiers")
        answered, adding = 0, True
        for row in table.rows:
            for column in (gap, level):
                numbers = _counts(row[column])
                if len(numbers) == 4:
                    adding &= sum(numbers[:3]) == numbers[3]
            answered += row[gap] != "non mesuré"
        floor = FLOORS.get(contract, 8)
        reached = len(table.rows) >= floor and answered >= ANSWERED and adding
        ok &= reached
        lines.append(
            f"{contract} : {len(table.rows)} indicateurs clés (plancher ≥ {floor}), {answered} avec l'écart à "
            f"l'intercommunalité aux mêmes millésimes (≥ {ANSWERED}), comptes {'justes' if adding else 'FAUX'} — "
            f"{'atteint' if reached else 'NON ATTEINT'}"
        )
    return [*lines, "ok" if ok else "non"]


def printed_pages(site: Path) -> int:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/comite/", wait_until="load")
            page.evaluate(ONLY_SUMMARIES)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4")
            browser.close()
    finally:
        server.shutdown()
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    *lines, verdict = summaries((args.site / "comite" / "index.html").read_text(encoding="utf-8"))
    pages = printed_pages(args.site)
    print("\n".join(lines))
    reached = "atteint" if pages <= PRINTED else "NON ATTEINT"
    print(f"synthèses imprimées (A4) : {pages} page(s) (plancher ≤ {PRINTED}) — {reached}")
    return 0 if verdict == "ok" and pages <= PRINTED else 1


if __name__ == "__main__":
    sys.exit(main())
