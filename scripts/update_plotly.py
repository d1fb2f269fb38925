"""The site's Plotly: npm's `plotly.js-basic-dist-min` (bar and scatter traces), vendored.

    python scripts/update_plotly.py          fetch it from npm (npm pack), check it, record it
    python scripts/update_plotly.py --check  without network: the vendored file is the recorded one,
                                             of the plotly.js version bundled in the Python plotly

The version is the one of the plotly.js that the installed Python `plotly` bundles, so that the
figures built in Python and the charts drawn in the browser speak the same schema. The file goes
to observatory/vendor/plotly-basic.min.js, its licence to observatory/vendor/LICENSE-plotly.js.txt,
and its version, sha256, sizes and npm integrity to observatory/vendor/README.md. The build reads
the vendored file: it never needs the network.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "observatory" / "vendor"
BUNDLE = VENDOR / "plotly-basic.min.js"
LICENCE = VENDOR / "LICENSE-plotly.js.txt"
README = VENDOR / "README.md"
PACKAGE = "plotly.js-basic-dist-min"
_HEADER_VERSION = re.compile(r"plotly\.js(?: \(basic - minified\))? v(\d+\.\d+\.\d+)")


def python_plotly_js_version() -> str:
    """The plotly.js version that the installed Python plotly bundles (read in its header)."""
    import plotly.offline

    found = _HEADER_VERSION.search(plotly.offline.get_plotlyjs()[:500])
    if not found:
        raise SystemExit("version de plotly.js introuvable dans l'en-tête de plotly.offline.get_plotlyjs()")
    return found.group(1)


def file_version(content: bytes) -> str | None:
    found = _HEADER_VERSION.search(content[:500].decode("utf-8", "replace"))
    return found.group(1) if found else None


def _fr(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def _readme(version: str, content: bytes, integrity: str) -> str:
    return f"""# Plotly du site (fichier tiers, ne pas modifier à la main)

`plotly-basic.min.js` est le fichier `plotly-basic.min.js` du paquet npm
[`{PACKAGE}@{version}`](https://www.npmjs.com/package/{PACKAGE}/v/{version}), tel quel :
plotly.js {version}, la version que le paquet Python `plotly` installé embarque, réduite aux
traces `bar`, `scatter` et `pie` (les graphiques du site n'utilisent que `bar` et `scatter` ;
les cartes sont des SVG écrits en Python, sans Plotly).

| | |
|---|---|
| paquet | `{PACKAGE}@{version}` |
| licence | MIT (`LICENSE-plotly.js.txt`, copie de celle du paquet) |
| sha256 | `{hashlib.sha256(content).hexdigest()}` |
| taille | {_fr(len(content))} octets ({_fr(len(gzip.compress(content, compresslevel=6, mtime=0)))} gzip) |
| intégrité npm | `{integrity}` |

La construction (`observatory/publish/site.py`) copie ce fichier dans `assets/javascripts/` du site ; elle
n'a jamais besoin du réseau. Mettre à jour (après une montée de version du paquet Python `plotly`) :
`python scripts/update_plotly.py` (télécharge par `npm pack`, vérifie version et licence, réécrit ce
fichier) ; vérifier sans réseau : `python scripts/update_plotly.py --check`.
"""


def check() -> list[str]:
    """What is wrong with the vendored bundle, without the network (empty when all is right)."""
    problems = []
    if not BUNDLE.is_file():
        return [f"{BUNDLE.relative_to(ROOT)} absent : python scripts/update_plotly.py"]
    content = BUNDLE.read_bytes()
    expected = python_plotly_js_version()
    if file_version(content) != expected:
        problems.append(f"plotly.js {file_version(content)} vendu, {expected} dans le paquet Python plotly")
    digest = hashlib.sha256(content).hexdigest()
    if not README.is_file() or digest not in README.read_text(encoding="utf-8"):
        problems.append(f"sha256 {digest} non consigné dans {README.relative_to(ROOT)}")
    if not LICENCE.is_file() or "MIT" not in LICENCE.read_text(encoding="utf-8"):
        problems.append(f"licence MIT absente : {LICENCE.relative_to(ROOT)}")
    return problems


def fetch(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        packed = json.loads(out.stdout)[0]
        with tarfile.open(Path(tmp) / packed["filename"]) as tar:
            meta = json.load(tar.extractfile("package/package.json"))
            content = tar.extractfile("package/plotly-basic.min.js").read()
            names = tar.getnames()
            licence_name = next((n for n in names if n.lower().startswith("package/license")), None)
            licence = tar.extractfile(licence_name).read() if licence_name else b""
    if meta["version"] != version or file_version(content) != version:
        raise SystemExit(f"{PACKAGE} : version {meta['version']} / {file_version(content)}, attendu {version}")
    if meta.get("license") != "MIT":
        raise SystemExit(f"{PACKAGE} : licence {meta.get('license')!r}, attendu MIT")
    if not licence:
        licence = f"{PACKAGE} {version} is published under the MIT license (package.json).\n".encode()
    VENDOR.mkdir(parents=True, exist_ok=True)
    BUNDLE.write_bytes(content)
    LICENCE.write_bytes(licence)
    README.write_text(_readme(version, content, packed["integrity"]), encoding="utf-8")
    print(
        f"{BUNDLE.relative_to(ROOT)} : {PACKAGE}@{version}, {len(content)} octets, sha256 "
        f"{hashlib.sha256(content).hexdigest()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="vérifier sans réseau")
    args = parser.parse_args(argv)
    if not args.check:
        fetch(python_plotly_js_version())
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{BUNDLE.relative_to(ROOT)} : plotly.js {python_plotly_js_version()}, sha256 consigné, licence MIT")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
