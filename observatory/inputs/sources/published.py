"""Figures transcribed from published documents (data/figures/*.csv) → tidy figures.

One row per figure, exactly as the document publishes it: its territory, period, value (French
decimal comma), qualifier ("moins de"…), statistic (a published minimum stays a minimum), the
producer it cites and where in the document it stands.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.catalog import Indicator
from observatory.inputs.files import decode, other_separator, repeated_columns, separator_phrase
from observatory.inputs.sources.tabular import FirstSeen
from observatory.inputs.territories import Referential
from observatory.model import (
    FIGURE_COLUMNS,
    FIGURE_KEY,
    GEOGRAPHIES,
    QUALIFIERS,
    STATISTICS,
    STATUSES,
    is_base_year,
)
from observatory.numbers import format_number, parse_french_number, parse_year

COLUMNS = [
    "territory",
    "indicator",
    "period",
    "value",
    "qualifier",
    "statistic",
    "status",
    "producer",
    "document",
    "location",
    "geography",
    "note",
]

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
#: how a document states a millésime: example → pattern (the years of a range in order)
PERIOD_FORMATS = {
    "2019": r"\d{4}",
    "2009-2020": r"\d{4}-\d{4}",
    "31/12/2022": r"\d{2}/\d{2}/\d{4}",
    "septembre 2023": rf"(?:{MONTHS}) \d{{4}}",
    "base 2023": r"base \d{4}",
    "rentrée 2021": r"rentrée \d{4}(?:-\d{4})?",
    "année scolaire 2020-2021": r"année scolaire \d{4}-\d{4}",
}
UNSTATED = "non précisée"  # the document does not say when the figure was observed
PERIOD_EXPECTED = (
    "un millésime sous une forme déclarée (" + ", ".join(repr(example) for example in [*PERIOD_FORMATS, UNSTATED]) + ")"
)


def is_period(text: str) -> bool:
    """A millésime in a declared format: a real date, the years of a range in order."""
    if text == UNSTATED:
        return True
    if not any(re.fullmatch(pattern, text) for pattern in PERIOD_FORMATS.values()):
        return False
    years = [int(year) for year in re.findall(r"\d{4}", text)]
    return years == sorted(years) and ("/" not in text or _is_date(text))


def _is_date(text: str) -> bool:
    try:
        datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        return False
    return True


def _choice(vocabulary: dict[str, str]) -> str:
    return "une valeur parmi " + ", ".join(repr(key) for key in vocabulary)


def read_published(
    path: Path,
    referential: Referential,
    catalog: dict[str, Indicator],
    documents: set[str],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one transcription file; return its figures and the problems of its rows."""
    problems: list[Problem] = []
    records = []
    try:
        text = decode(path, path.read_bytes())
    except ObservatoryError as error:
        return _empty(), error.problems
    lines = text.splitlines()
    if not lines:
        return _empty(), [Problem(file=str(path), expected="un en-tête et des lignes", found="fichier vide")]
    reader = csv.DictReader(lines, delimiter=";")
    header = reader.fieldnames or []
    repeated = repeated_columns(path, header)
    if repeated:
        return _empty(), repeated
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return _empty(), [_header_problem(path, lines, missing)]
    rows = [(reader.line_num, row) for row in reader]  # line_num: blank lines skipped still count
    if not rows:
        return _empty(), [Problem(file=str(path), row=2, expected="une ligne de chiffre après l'en-tête", found="rien")]
    for row_number, row in rows:
        extra = row.pop(None, None) or []
        if extra or any(value is None for value in row.values()):
            count = sum(value is not None for value in row.values()) + len(extra)
            cut = row_number == len(lines) and not text.endswith(("\n", "\r"))
            problems.append(_width_problem(path, row_number, len(header), count, lines[row_number - 1], cut))
            continue
        record, row_problems = _check_row(path, row_number, row, referential, catalog, documents)
        problems += row_problems
        if not row_problems:
            records.append(record)
    frame = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS) if records else _empty()
    return frame, problems + duplicates(frame)


def _header_problem(path: Path, lines: list[str], missing: list[str]) -> Problem:
    """Missing columns, or a header split by another separator than ';' (which one)."""
    separator = other_separator(lines, ";", COLUMNS)
    if separator is None:
        found = "il manque " + ", ".join(missing)
        return Problem(file=str(path), row=1, expected="les colonnes " + ", ".join(COLUMNS), found=found)
    hint = f"{separator_phrase(separator, ';')} : enregistrez le fichier avec ';' entre les colonnes."
    found = lines[0] if len(lines[0]) <= 60 else lines[0][:60] + "…"
    return Problem(file=str(path), row=1, expected="des colonnes séparées par ';'", found=found, hint=hint)


def _width_problem(path: Path, row: int, width: int, count: int, line: str, cut: bool) -> Problem:
    """A row with more or fewer fields than the header: cut at the end of the file, another
    separator, a lost ';', or a text holding ';' without quotes."""
    others = [other for other in (",", "\t", "|") if count == 1 and line.count(other) >= width - 1]
    separator = others[0] if others else None
    if cut:
        hint = "La dernière ligne s'arrête avant sa fin (fichier tronqué ?) : complétez-la ou retirez-la."
    elif separator is not None:
        hint = f"{separator_phrase(separator, ';')} : séparez les champs de cette ligne par ';'."
    elif count < width:
        hint = "Un ';' manque sur cette ligne : chaque valeur suivante serait lue dans la colonne d'à côté."
    else:
        hint = "Un texte qui contient ';' doit être entre guillemets."
    expected = f"{width} champs séparés par ';'"
    return Problem(file=str(path), row=row, expected=expected, found=f"{count} champ{'s' * (count > 1)}", hint=hint)


def duplicates(figures: pd.DataFrame) -> list[Problem]:
    """A figure (territory, indicator, period, statistic, document) given by more than one row,
    whatever the other cells say: every row after the first is reported (the rule: FirstSeen)."""
    problems, seen = [], FirstSeen()
    for _, figure in figures.iterrows():
        first = seen.earlier(tuple(figure[FIGURE_KEY]), figure)
        if first is not None:
            problems.append(_duplicate(first, figure))
    return sorted(problems, key=lambda problem: (problem.file, problem.row))


def _duplicate(first: pd.Series, other: pd.Series) -> Problem:
    where = f"ligne {first['row']}"
    if first["file"] != other["file"]:
        where = f"{Path(first['file']).name}, {where}"
    key = ", ".join(str(other[column]) for column in FIGURE_KEY)
    same = _shown(first) == _shown(other)
    hint = (
        f"Chiffre : {key}."
        if same
        else f"Chiffre : {key}, qui vaut déjà {_shown(first)} ({where}) : gardez une seule valeur."
    )
    return Problem(
        file=other["file"],
        row=int(other["row"]),
        column=None if same else "value",
        expected="un seul chiffre par territoire, indicateur, période, statistique et document",
        found=f"doublon ({where})" if same else _shown(other),
        hint=hint,
    )


def _shown(figure: pd.Series) -> str:
    """The value as the row gives it, or its status when it gives none."""
    if math.isnan(figure["value"]):
        return STATUSES.get(figure["status"]) or "aucune valeur"
    return figure["qualifier"] + format_number(float(figure["value"]), int(figure["precision"]))


def _check_row(
    path: Path,
    row_number: int,
    row: dict[str, str],
    referential: Referential,
    catalog: dict[str, Indicator],
    documents: set[str],
) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    row = {key: (value or "").strip() for key, value in row.items()}

    def bad(column: str, expected: str, hint: str = "") -> None:
        problems.append(
            Problem(file=str(path), row=row_number, column=column, expected=expected, found=row[column], hint=hint)
        )

    checks: list[tuple[str, Callable[[str], bool], str]] = [
        ("territory", lambda v: referential.resolve(v) is not None, "un territoire du référentiel"),
        ("indicator", lambda v: v in catalog, "un indicateur du catalogue"),
        ("period", is_period, PERIOD_EXPECTED),
        ("qualifier", lambda v: v in QUALIFIERS, _choice(QUALIFIERS)),
        ("statistic", lambda v: v in STATISTICS, _choice(STATISTICS)),
        ("status", lambda v: v in STATUSES, _choice(STATUSES)),
        ("producer", bool, "le producteur et la source cités"),
        ("document", lambda v: v in documents, "un document déclaré dans data/sources.yml"),
        ("geography", lambda v: v in GEOGRAPHIES, _choice(GEOGRAPHIES)),
    ]
    for column, is_valid, expected in checks:
        if not is_valid(row[column]):
            bad(column, expected)
    value, precision = math.nan, 0
    if row["value"]:
        try:
            value, precision = parse_french_number(row["value"])
        except ValueError:
            bad("value", "un nombre (virgule décimale)")
    if row["status"] == "ok" and not row["value"]:
        bad("value", "une valeur (statut 'ok')")
    if row["status"] in STATUSES and row["status"] != "ok" and row["value"]:
        bad("value", f"une cellule vide (statut '{row['status']}')")
    indicator = catalog.get(row["indicator"])
    if indicator and not math.isnan(value):
        unit = indicator.unit
        if unit.bounded and not 0 <= value <= 100:
            bad("value", "un taux entre 0 et 100")
        elif unit.non_negative and value < 0:
            bad("value", "un nombre positif ou nul")
    record = {
        **{column: row[column] for column in ["indicator", "period", "qualifier", "statistic", "status"]},
        **{column: row[column] for column in ["producer", "document", "location", "geography", "note"]},
        "territory": referential.resolve(row["territory"]) or row["territory"],
        "year": None if is_base_year(row["period"]) else parse_year(row["period"]),
        "value": value,
        "precision": precision,
        "file": str(path),
        "row": row_number,
    }
    return record, problems


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FIGURE_COLUMNS)
