"""Producer files already read and validated, kept by content for the next build.

A producer file is read again only when its bytes, its mapping, the files its reading also uses,
the catalog, the referential, the 2015 → 2024 links, the code or a library changed (the key of
each entry is the fingerprint of all of these: `observatory.hashing`).
"""

from __future__ import annotations

import pickle
from pathlib import Path

from observatory.hashing import code_version, digest, files_under
from observatory.inputs.config import Config
from observatory.inputs.territories import Referential


def declared(config: Config, *paths: Path | None) -> list[str | bytes]:
    """Name and bytes of these input files (folders: every file below), and of the declared
    2015 → 2024 correspondence."""
    return [part for path in files_under(*paths, config.correspondence) for part in (str(path), path.read_bytes())]


def links(referential: Referential) -> str:
    """The 2015 → 2024 links actually used (official table and declared corrections)."""
    return repr(sorted((code, links) for code, links in referential.qp2015.items()))


class ReadCache:
    """Producer files already read and validated, by content: an incremental build reads again
    only the files whose bytes (or whose mapping, referential, catalog or code) changed."""

    def __init__(self, folder: Path, context: str) -> None:
        self.folder, self.context, self.used = folder, context, set()

    def _path(self, path: Path, mapping_file: Path, depends: tuple[Path, ...]) -> Path:
        """Keyed by the file, its mapping and the files its reading also uses (a commune → EPCI table)."""
        extra = [p.read_bytes() if p.exists() else b"" for p in depends]
        key = digest(self.context, str(path), path.read_bytes(), mapping_file.read_bytes(), *extra)
        self.used.add(key)
        return self.folder / f"{key}.pickle"

    def get(self, path: Path, mapping_file: Path, depends: tuple[Path, ...] = ()):
        cached = self._path(path, mapping_file, depends)
        return pickle.loads(cached.read_bytes()) if cached.exists() else None

    def put(self, path: Path, mapping_file: Path, result, depends: tuple[Path, ...] = ()) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self._path(path, mapping_file, depends).write_bytes(blob)

    def prune(self) -> None:
        """Forget the files this build did not read (replaced or removed)."""
        for cached in self.folder.glob("*.pickle"):
            if cached.stem not in self.used:
                cached.unlink()


def read_context(config: Config, referential: Referential) -> str:
    """What reading a producer file depends on besides its bytes and its mapping: the code and
    library versions (a table pickled by one pandas is not read back by another), the catalog,
    the referential and the 2015 → 2024 links."""
    # the périmètres declare communes whose IRIS and figures are read
    files = declared(config, config.catalog, config.quartiers, config.territories, config.perimeters)
    return digest(code_version(), *files, links(referential))
