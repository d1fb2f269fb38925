"""Python's cycle collector, paused while a build makes many objects at once.

Each collection the collector starts while a national build makes the table's 523 000 rows, or
reads the manifest's 1,7 million lookups, walks the objects made so far, for nothing to free:
those objects hold no cycles. Paused, making the rows takes 0,4 s instead of 1,5 s."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection within (one can run after, as usual)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
