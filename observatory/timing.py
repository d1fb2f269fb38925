"""Where a build spends its time: exclusive wall time per stage (read, validate, compare, charts,
render, downloads, fingerprints, write, mkdocs; pages: waiting for the processes rendering pages),
for the benchmark. Time spent in a nested stage counts for that stage only."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from contextlib import contextmanager

totals: dict[str, float] = defaultdict(float)
elsewhere: dict[str, float] = defaultdict(float)  # time of each stage in the forked processes (pages)
_stack: list[list] = []  # [stage, start of its current exclusive slice]


@contextmanager
def stage(name: str):
    now = time.perf_counter()
    if _stack:
        totals[_stack[-1][0]] += now - _stack[-1][1]
    _stack.append([name, now])
    try:
        yield
    finally:
        end = time.perf_counter()
        totals[name] += end - _stack.pop()[1]
        if _stack:
            _stack[-1][1] = end


def timed(name: str):
    """Decorator: the function's own time counts for `name`."""

    def wrap(function):
        @functools.wraps(function)
        def inner(*args, **kwargs):
            with stage(name):
                return function(*args, **kwargs)

        return inner

    return wrap


def add_elsewhere(spent: dict[str, float]) -> None:
    """Time a forked process spent in each stage, while this one waited in stage "pages"."""
    for name, seconds in spent.items():
        elsewhere[name] += seconds


def reset() -> None:
    totals.clear()
    elsewhere.clear()
    _stack.clear()
