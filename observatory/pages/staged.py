"""Rendered files kept on disk, not in memory, between their rendering and their publication.

At national scale the pages and downloads of an edition weigh 2,7 GB, and a Python text with one
character beyond Latin-1 (a minus sign, a narrow no-break space) takes two bytes a character:
held until MkDocs ran, they made most of the build's memory. A page process writes each file to
the edition's staging folder as soon as its page is rendered and hands over only where it is and
the hash of its content; the publication moves it into the site.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from observatory.hashing import digest


@dataclass(frozen=True)
class Staged:
    """A rendered file waiting in the staging folder."""

    path: Path
    hash: str  # digest of its content, as `content_hash` gives it for the content itself
    text: bool  # a page (read back as text), not a download (bytes)

    def read(self) -> str | bytes:
        data = self.path.read_bytes()
        return data.decode("utf-8") if self.text else data

    def move_to(self, target: Path) -> None:
        """Into the built site; a file already there (linked from the published site by an
        incremental build) is unlinked first, never written into."""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        shutil.move(self.path, target)


def stage(folder: Path, relative: str, content: str | bytes) -> Staged:
    """Write a rendered file into the staging folder."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Staged(target, digest(data), isinstance(content, str))
