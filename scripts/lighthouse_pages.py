"""Lighthouse scores of three pages of a built site, served compressed as a web server would.

    python scripts/lighthouse_pages.py [SITE] [--lighthouse PATH]

Serves SITE (default `site`) on 127.0.0.1 with gzip (level 6, like any static host; Python's
http.server alone sends 700 KB pages uncompressed, which no real host does), runs Lighthouse 12.2.3
(mobile preset, Debian's chromium, headless) on a quartier page, one of its section pages (the
detail, with its charts), the comité's page, an indicator page and the home page, and prints
performance and accessibility. Floors (issues 13 and 26): performance ≥ 0,90, accessibility ≥ 0,95;
exit code 1 below them.

Lighthouse comes from npm (`npm install --prefix .tools lighthouse@12.2.3`; version 13 needs Node
22); `--lighthouse` gives its path, else `.tools/node_modules/.bin/lighthouse`, else `npx`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

PAGES = [
    "quartiers/QN05968M/",
    "quartiers/QN05968M/revenus-pauvrete/",
    "comite/",
    "indicateurs/taux-pauvrete-60/",
    "",
]
FLOORS = {"performance": 0.90, "accessibility": 0.95}
METRICS = {  # printed beside the scores: what the performance score is made of
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "SI": "speed-index",
    "CLS": "cumulative-layout-shift",
}
ROOT = Path(__file__).resolve().parent.parent


class _Compressed(http.server.SimpleHTTPRequestHandler):
    """The site's files, gzip-compressed when the browser accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def log_message(self, *args) -> None:
        pass


def _lighthouse(given: str | None) -> list[str]:
    local = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
    if given:
        return [given]
    if local.exists():
        return [str(local)]
    return ["npx", "--yes", "lighthouse@12.2.3"]


def scores(url: str, command: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                *command,
                url,
                "--only-categories=performance,accessibility",
                "--chrome-flags=--headless --no-sandbox",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"},
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    found = {name: data["categories"][name]["score"] for name in FLOORS}
    return found | {name: data["audits"][audit]["numericValue"] for name, audit in METRICS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--lighthouse", default=None, help="chemin de l'exécutable lighthouse")
    args = parser.parse_args(argv)
    handler = functools.partial(_Compressed, directory=str(args.site.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ok = True
    try:
        for page in PAGES:
            found = scores(f"http://127.0.0.1:{server.server_port}/{page}", _lighthouse(args.lighthouse))
            below = [name for name, floor in FLOORS.items() if found[name] < floor]
            ok = ok and not below
            text = ", ".join(f"{name} {found[name]:.2f}".replace(".", ",") for name in FLOORS)
            text += " (" + ", ".join(f"{name} {found[name]:.0f} ms" for name in METRICS if name != "CLS")
            text += f", CLS {found['CLS']:.3f})".replace(".", ",")
            print(f"/{page} : {text}" + (f" — SOUS LE PLANCHER : {', '.join(below)}" if below else ""))
    finally:
        server.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
