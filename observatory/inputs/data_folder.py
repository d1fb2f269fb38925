"""The producers' folder walked once, the same way by every reader: its regular files, below
sub-folders and symlinked sub-folders alike, and the entries that are not a regular file (a folder,
a symlink that loops or leads nowhere, a pipe), for the producers' reader to say which ones stand
where a producer file is expected (issue 29)."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

FOLDER = "un dossier"


@dataclass(frozen=True)
class Entry:
    """An entry of the folder that is not a regular file, and what it is, in French."""

    path: Path
    found: str


def walk(folder: Path) -> tuple[list[Path], list[Entry]]:
    """The regular files below `folder` (sorted by path) and its other entries. A symlinked
    sub-folder is walked like any other (Path.rglob skips it); one that leads back to a folder
    being walked is not walked again."""
    files: list[Path] = []
    others: list[Entry] = []

    def visit(directory: Path, walked: frozenset[str]) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            others.append(Entry(directory, f"un dossier illisible ({error.strerror})"))
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                mode = os.stat(path).st_mode  # through symlinks
            except OSError as error:
                loops = error.errno == errno.ELOOP
                others.append(Entry(path, "un lien symbolique qui boucle" if loops else "un lien symbolique vers rien"))
                continue
            if stat.S_ISREG(mode):
                files.append(path)
            elif stat.S_ISDIR(mode):
                others.append(Entry(path, FOLDER))
                real = os.path.realpath(path)
                if real not in walked:
                    visit(path, walked | {real})
            else:
                others.append(Entry(path, "un fichier spécial (tube, socket ou périphérique)"))

    visit(folder, frozenset({os.path.realpath(folder)}))
    return sorted(files), others
