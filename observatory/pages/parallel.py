"""The pages with downloads (quartiers, enjeux, indicators) rendered on every core, same bytes as on one.

Each page depends only on the observatory, read-only once loaded: the pages are cut into runs of
consecutive pages, rendered by forked processes that inherit the loaded observatory, and put back
in their order. The first page is rendered here before forking, so that what every page shares
and computes on first use (every figure's download line, the series points) is computed once.
`OBSERVATORY_PROCESSES=1` renders everything in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from observatory import timing

Task = tuple[str, Callable, tuple]  # (page path, its render function, the function's arguments)
RUNS_PER_PROCESS = 8  # runs of pages per process: a slow run does not hold the others up


@dataclass
class Rendered:
    """One page with downloads as rendered: its files, and its lookups of figures (None: skipped)."""

    path: str
    files: dict[str, str | bytes]
    reads: set | None


class Renderer(Protocol):
    def owned(self, path: str, skip: frozenset[str], render: Callable, *args) -> Rendered: ...


def processes() -> int:
    """Cores this process may use, or OBSERVATORY_PROCESSES."""
    wanted = os.environ.get("OBSERVATORY_PROCESSES", "")
    return max(1, int(wanted)) if wanted.isdigit() else len(os.sched_getaffinity(0))


_JOB: tuple[Renderer, Sequence[Task], frozenset[str]] | None = None  # what forked processes inherit


def _render_run(bounds: tuple[int, int]) -> tuple[list[Rendered], dict[str, float]]:
    """In a forked process: the pages tasks[start:end], and the time spent in each stage."""
    assert _JOB is not None
    site, tasks, skip = _JOB
    timing.reset()
    pages = [site.owned(path, skip, render, *args) for path, render, args in tasks[bounds[0] : bounds[1]]]
    return pages, dict(timing.totals)


def render_owned(site: Renderer, tasks: Sequence[Task], skip: frozenset[str]) -> list[Rendered]:
    """Every task's page, in the tasks' order."""
    global _JOB
    todo = [task for task in tasks if task[0] not in skip]
    count = processes()
    if len(todo) < 2 * count or count < 2:
        return [site.owned(path, skip, render, *args) for path, render, args in tasks]
    first = site.owned(todo[0][0], skip, todo[0][1], *todo[0][2])
    rest = todo[1:]
    runs = min(len(rest), count * RUNS_PER_PROCESS)
    bounds = [(len(rest) * i // runs, len(rest) * (i + 1) // runs) for i in range(runs)]
    _JOB = (site, rest, skip)
    try:
        with timing.stage("pages"), multiprocessing.get_context("fork").Pool(count) as pool:
            done = {first.path: first}
            for pages, spent in pool.imap(_render_run, bounds):
                done.update((page.path, page) for page in pages)
                timing.add_elsewhere(spent)
    finally:
        _JOB = None
    return [done.get(path) or Rendered(path, {}, None) for path, _, _ in tasks]
