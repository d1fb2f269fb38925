"""Fingerprints: of bytes, of files, and of the code and libraries a cached thing was made with.

Every cache of the build (producer files already read, the pages of the last build) is keyed by
these, so that a cached thing is used only with the bytes, code and libraries it was made from.
"""

from __future__ import annotations

import hashlib
import sys
from importlib.metadata import version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # the observatory package
# The libraries whose version can change what a build reads or writes: the declared dependencies
# (pyproject.toml) and numpy, under pandas and in the pickled tables.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "plotly", "pandas", "numpy", "pyyaml", "openpyxl")


def digest(*parts: str | bytes) -> str:
    """sha256 of the parts, each ended by a NUL byte (("ab", "c") and ("a", "bc") differ)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def files_under(*roots: Path | None) -> list[Path]:
    """These files, and every file below these folders (sorted; missing ones and caches skipped)."""
    found: list[Path] = []
    for root in roots:
        if root is None or not root.exists():
            continue
        if root.is_file():
            found.append(root)
        else:
            found += sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return found


def code_version() -> str:
    """What every cached thing is also made from: the observatory package's source (every file
    of it, the vendored Plotly included), the libraries' versions and Python's."""
    sources = [part for path in files_under(PACKAGE) for part in (str(path.relative_to(PACKAGE)), path.read_bytes())]
    return digest(*sources, repr([(name, version(name)) for name in LIBRARIES]), sys.version)
