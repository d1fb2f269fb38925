"""Readers of input files → tidy figures. One reader per kind of input; all producer mess stays here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.catalog import Indicator
from observatory.inputs.sources.producers import (
    ROLES,
    read_commune_table,
    read_counts,
    read_labels,
    read_links,
    read_rows,
)
from observatory.inputs.sources.published import duplicates, read_published
from observatory.inputs.territories import Referential
from observatory.model import FIGURE_COLUMNS
from observatory.timing import timed


@dataclass(frozen=True)
class Reader:
    """How one kind of input file is read into figures, said in one line."""

    read: Callable[..., tuple[pd.DataFrame, list[Problem]]]
    description: str
    files: str = ""  # files read without a mapping (pattern in their folder); "" = a mapping's kind


#: kind of file → reader. A producer layout is the `kind` of its mapping (data/producers/*.yml,
#: "table" when not said) and its reader takes (ProducerFile, Accounting); a new layout is a new
#: entry here, not an if/elif. The figures transcribed from documents are read without a mapping.
READERS = {
    "table": Reader(read_rows, "une ligne par territoire (ou par territoire et période), une colonne par indicateur"),
    "commune_counts": Reader(
        read_counts, "effectifs par commune, additionnés en EPCI, département et région sur la table commune → EPCI"
    ),
    "geography": Reader(read_commune_table, ROLES["geography"]),
    "metadata": Reader(read_labels, ROLES["metadata"]),
    "correspondence": Reader(read_links, ROLES["correspondence"]),
    "published": Reader(
        read_published, "chiffres publiés par les documents sources, transcrits (data.figures)", files="*.csv"
    ),
}


@timed("read")
def read_figures(
    directory: Path,
    referential: Referential,
    catalog: dict[str, Indicator],
    documents: set[str],
    last_year: int,
) -> pd.DataFrame:
    """Read every input file of `directory`; raise once with all problems of all files. No figure
    may be given twice, nor observed after `last_year` (the year of the edition that publishes it)."""
    frames, problems = [], []
    reader = READERS["published"]
    for path in sorted(directory.glob(reader.files)):
        frame, found = reader.read(path, referential, catalog, documents)
        frames.append(frame)
        problems += found
    if not frames:
        problems.append(Problem(file=str(directory), expected="au moins un fichier de chiffres (.csv)"))
    read = [frame for frame in frames if not frame.empty]
    figures = pd.concat(read, ignore_index=True) if read else pd.DataFrame(columns=FIGURE_COLUMNS)
    reported = {(problem.file, problem.row) for problem in problems}
    problems += [problem for problem in duplicates(figures) if (problem.file, problem.row) not in reported]
    problems += _observed_after(figures, last_year)
    if problems:
        raise ObservatoryError(problems, "Les fichiers de chiffres contiennent des erreurs :")
    return _sorted(figures)


def _observed_after(figures: pd.DataFrame, last_year: int) -> list[Problem]:
    """Figures whose millésime is later than the edition that would publish them."""
    return [
        Problem(
            file=figure.file,
            row=int(figure.row),
            column="period",
            expected=f"un millésime au plus tard en {last_year}, année de l'édition (edition.date)",
            found=figure.period,
        )
        for figure in figures[pd.to_numeric(figures["year"]) > last_year].itertuples()
    ]


def combine(published: pd.DataFrame, produced: pd.DataFrame) -> pd.DataFrame:
    """Published (seeds) and producer figures in one tidy table, in a stable order."""
    frames = [frame for frame in (published, produced) if not frame.empty]
    return _sorted(pd.concat(frames, ignore_index=True)) if frames else published


def _sorted(figures: pd.DataFrame) -> pd.DataFrame:
    figures = figures.copy()
    figures["year"] = figures["year"].astype("Int64")
    order = ["indicator", "territory", "year", "period", "document", "location", "statistic"]
    return figures.sort_values(order).reset_index(drop=True)
