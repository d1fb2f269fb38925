"""Work on every core, same bytes as on one: the pages with downloads (quartiers, enjeux,
indicators), and their fingerprints (publish/incremental.py).

Each page depends only on the observatory, read-only once loaded: the pages are cut into runs of
consecutive pages, done by forked processes that inherit the loaded observatory, and put back in
their order. What the pages share and compute on first use (every figure's download line, the
series points, the hash of each figure) is computed by each process: computed here before
forking, it took as long (the processes wait for it) and kept this process, which holds the
build's manifest until the end, a gigabyte larger at national scale.
`OBSERVATORY_PROCESSES=1` does everything in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from observatory import timing
from observatory.pages.staged import Staged

Task = tuple[str, Callable, tuple]  # (page path, its render function, the function's arguments)
RUNS_PER_PROCESS = 8  # runs of pages per process: a slow run does not hold the others up


@dataclass
class Rendered:
    """One page with downloads as rendered: its files, its lookups of figures (None: skipped) and
    the fingerprint of what they read (publish/incremental.py), taken where the page was rendered."""

    path: str
    files: dict[str, str | bytes | Staged]
    reads: set | None
    fingerprint: str = ""


class Renderer(Protocol):
    def owned(self, path: str, skip: frozenset[str], render: Callable, *args) -> Rendered: ...


def processes() -> int:
    """Cores this process may use, or OBSERVATORY_PROCESSES."""
    wanted = os.environ.get("OBSERVATORY_PROCESSES", "")
    return max(1, int(wanted)) if wanted.isdigit() else len(os.sched_getaffinity(0))


_JOB: tuple[Callable[[Sequence], list], Sequence] | None = None  # what forked processes inherit


def _run(bounds: tuple[int, int]) -> tuple[list, dict[str, float]]:
    """In a forked process: the work on items[start:end], and the time spent in each stage."""
    assert _JOB is not None
    work, items = _JOB
    timing.reset()
    return work(items[bounds[0] : bounds[1]]), dict(timing.totals)


def fork_map(work: Callable[[Sequence], list], items: Sequence, stage: str) -> list:
    """work(run) for consecutive runs of the items, one result per item, in forked processes
    that inherit everything this one holds; the results in the items' order. On one core, or
    for one item, everything is done here (an incremental build may render only a few pages,
    each of them long: the whole-data downloads, an enjeu of every quartier)."""
    global _JOB
    count = processes()
    if count < 2 or len(items) < 2:
        return work(items)
    runs = min(len(items), count * RUNS_PER_PROCESS)
    bounds = [(len(items) * i // runs, len(items) * (i + 1) // runs) for i in range(runs)]
    _JOB = (work, items)
    results: list = []
    gc.freeze()  # what the processes inherit, out of their collections: they neither walk nor copy it
    try:
        with timing.stage(stage), multiprocessing.get_context("fork").Pool(count) as pool:
            for done, spent in pool.imap(_run, bounds):
                results += done
                timing.add_elsewhere(spent)
    finally:
        _JOB = None
        gc.unfreeze()
    return results


def render_owned(site: Renderer, tasks: Sequence[Task], skip: frozenset[str]) -> list[Rendered]:
    """Every task's page, in the tasks' order (a skipped one with no files)."""
    todo = [task for task in tasks if task[0] not in skip]

    def render(run: Sequence[Task]) -> list[Rendered]:
        return [site.owned(path, skip, function, *args) for path, function, args in run]

    done = {page.path: page for page in fork_map(render, todo, "pages")}
    return [done.get(path) or Rendered(path, {}, None) for path, _, _ in tasks]
