"""Readers of input files → tidy figures. One reader per kind of input; all producer mess stays here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.catalog import Indicator
from observatory.errors import ObservatoryError, Problem
from observatory.model import FIGURE_COLUMNS, FIGURE_KEY
from observatory.sources.published import read_published
from observatory.territories import Referential
from observatory.timing import timed

#: file pattern → reader; a new producer layout is a new entry here, not an if/elif.
READERS = {"*.csv": read_published}


@timed("read")
def read_figures(
    directory: Path,
    referential: Referential,
    catalog: dict[str, Indicator],
    documents: set[str],
) -> pd.DataFrame:
    """Read every input file of `directory`; raise once with all problems of all files."""
    frames, problems = [], []
    for pattern, reader in READERS.items():
        for path in sorted(directory.glob(pattern)):
            frame, found = reader(path, referential, catalog, documents)
            frames.append(frame)
            problems += found
    if not frames:
        problems.append(Problem(file=str(directory), expected="au moins un fichier de chiffres (.csv)"))
    figures = pd.concat([f for f in frames if not f.empty], ignore_index=True) if frames else None
    if figures is None or figures.empty:
        figures = pd.DataFrame(columns=FIGURE_COLUMNS)
    for _, dup in figures[figures.duplicated(FIGURE_KEY, keep="first")].iterrows():
        if any(p.file == dup["file"] and p.row == dup["row"] for p in problems):
            continue
        problems.append(
            Problem(
                file=dup["file"],
                row=int(dup["row"]),
                expected="un chiffre publié une seule fois (territoire, indicateur, période, document)",
                found="déjà présent dans un autre fichier",
            )
        )
    if problems:
        raise ObservatoryError(problems, "Les fichiers de chiffres contiennent des erreurs :")
    return _sorted(figures)


def combine(published: pd.DataFrame, produced: pd.DataFrame) -> pd.DataFrame:
    """Published (seeds) and producer figures in one tidy table, in a stable order."""
    frames = [frame for frame in (published, produced) if not frame.empty]
    return _sorted(pd.concat(frames, ignore_index=True)) if frames else published


def _sorted(figures: pd.DataFrame) -> pd.DataFrame:
    figures = figures.copy()
    figures["year"] = figures["year"].astype("Int64")
    order = ["indicator", "territory", "year", "period", "document", "location", "statistic"]
    return figures.sort_values(order).reset_index(drop=True)
