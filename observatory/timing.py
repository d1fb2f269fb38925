"""Where a build spends its time: exclusive wall time per stage (read, validate, compare, charts,
render, mkdocs), for the benchmark. Time spent in a nested stage counts for that stage only."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from contextlib import contextmanager

totals: dict[str, float] = defaultdict(float)
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


def reset() -> None:
    totals.clear()
