"""What a static host receives: the bytes and files of a built site with its editions.

    python scripts/measure_site_size.py SITE [--largest 10]

Prints the site's total bytes as `du -sb` counts them (files and folders) and its file count; per edition
(the current one at the root, each archive under editions/<id>/) and per file type, bytes and
files; the copies of the Plotly bundle; the largest pages in bytes and DOM elements (elements
counted by their start tags, outside scripts). Then compares with the floors of issue 31:

- the default site with its editions ≤ 200 MB;
- one Plotly file for the whole site;
- ≤ 20 000 files per edition (Cloudflare Pages' free plan, per deploy);
- no page over 300 KB or 3 000 DOM elements.

1 MB = 1,000,000 bytes. Exit code 1 when a floor is exceeded.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PLOTLY = "plotly-basic.min.js"
FLOORS = {"site_bytes": 200_000_000, "plotly_files": 1, "edition_files": 20_000, "page_bytes": 300_000, "dom": 3_000}
_SCRIPT = re.compile(rb"<script\b.*?</script>", re.S | re.I)
_START_TAG = re.compile(rb"<[a-zA-Z]")


@dataclass
class Measure:
    """Bytes and files of a built site, by edition and by type."""

    total: int = 0  # files and folders, as `du -sb` counts them
    files: int = 0
    editions: Counter = field(default_factory=Counter)  # edition → bytes
    edition_files: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)  # type → bytes
    type_files: Counter = field(default_factory=Counter)
    plotly: list[str] = field(default_factory=list)
    pages: list[tuple[int, str]] = field(default_factory=list)  # (bytes, path) of every HTML page


def edition_of(relative: Path) -> str:
    """'root' for the current edition's files, the archive's id for those under editions/<id>/."""
    parts = relative.parts
    return parts[1] if len(parts) > 2 and parts[0] == "editions" else "root"


def type_of(name: str) -> str:
    """The file's type by its suffixes: 'html', 'csv.gz', 'js'…; '' for none."""
    suffixes = name.lstrip(".").split(".")[1:]
    if len(suffixes) >= 2 and suffixes[-1] == "gz":
        return ".".join(suffixes[-2:])
    return suffixes[-1] if suffixes else ""


def measure(site: Path) -> Measure:
    found = Measure(total=site.stat().st_size)
    for path in sorted(site.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            found.total += path.stat().st_size
            continue
        if not path.is_file() or path.is_symlink():
            continue
        relative, size = path.relative_to(site), path.stat().st_size
        kind, edition = type_of(path.name), edition_of(relative)
        found.total += size
        found.files += 1
        found.editions[edition] += size
        found.edition_files[edition] += 1
        found.types[kind] += size
        found.type_files[kind] += 1
        if path.name == PLOTLY:
            found.plotly.append(relative.as_posix())
        if kind == "html":
            found.pages.append((size, relative.as_posix()))
    return found


def dom_elements(html: bytes) -> int:
    """The elements of a page, counted by their start tags once its scripts' contents are set aside."""
    return len(_START_TAG.findall(_SCRIPT.sub(b"<script></script>", html)))


def _mb(size: int) -> str:
    return f"{size / 1e6:9.1f} MB"


def report(site: Path, found: Measure, largest: int) -> list[str]:
    """Prints the measures; returns the floors exceeded (French)."""
    print(f"site {site} : {found.total} octets (du -sb, {found.total / 1e6:.1f} MB), {found.files} fichiers")
    print("\npar édition :")
    for edition, size in sorted(found.editions.items(), key=lambda item: (item[0] != "root", item[0])):
        print(f"  {edition:8s} {_mb(size)} {found.edition_files[edition]:6d} fichiers")
    print("\npar type :")
    for kind, size in found.types.most_common():
        print(f"  {kind or '(sans)':8s} {_mb(size)} {found.type_files[kind]:6d} fichiers")
    print(f"\ncopies de {PLOTLY} : {len(found.plotly)} ({', '.join(found.plotly) or 'aucune'})")
    biggest = sorted(found.pages, reverse=True)[:largest]
    doms = {path: dom_elements((site / path).read_bytes()) for path in sorted(p for _, p in found.pages)}
    print(f"\npages les plus lourdes (sur {len(found.pages)}) :")
    for size, path in biggest:
        print(f"  {size / 1e3:8.1f} KB {doms[path]:6d} éléments  {path}")
    most = max(doms.items(), key=lambda item: (item[1], item[0]), default=("", 0))
    print(f"page aux plus d'éléments : {most[1]} éléments  {most[0]}")
    exceeded = []
    if found.total > FLOORS["site_bytes"]:
        exceeded.append(f"site de {found.total / 1e6:.1f} MB > {FLOORS['site_bytes'] / 1e6:.0f} MB")
    if len(found.plotly) != FLOORS["plotly_files"]:
        exceeded.append(f"{len(found.plotly)} fichiers {PLOTLY} au lieu d'un")
    exceeded += [
        f"édition {edition} : {count} fichiers > {FLOORS['edition_files']}"
        for edition, count in sorted(found.edition_files.items())
        if count > FLOORS["edition_files"]
    ]
    exceeded += [
        f"page {path} : {size / 1e3:.1f} KB > {FLOORS['page_bytes'] / 1e3:.0f} KB"
        for size, path in biggest
        if size > FLOORS["page_bytes"]
    ]
    exceeded += [
        f"page {path} : {count} éléments > {FLOORS['dom']}"
        for path, count in sorted(doms.items())
        if count > FLOORS["dom"]
    ]
    return exceeded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--largest", type=int, default=10, help="les N pages les plus lourdes (10)")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        parser.error(f"{args.site} n'est pas un dossier")
    exceeded = report(args.site, measure(args.site), args.largest)
    print("\nplanchers : " + ("tous tenus" if not exceeded else "dépassés"))
    for line in exceeded:
        print(f"  - {line}")
    return 1 if exceeded else 0


if __name__ == "__main__":
    sys.exit(main())
