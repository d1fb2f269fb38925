"""Figures transcribed from published documents (data/figures/*.csv) → tidy figures.

One row per figure, exactly as the document publishes it: its territory, period, value (French
decimal comma), qualifier ("moins de"…), statistic (a published minimum stays a minimum), the
producer it cites and where in the document it stands.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from observatory.catalog import Indicator
from observatory.errors import Problem
from observatory.model import FIGURE_COLUMNS, FIGURE_KEY, GEOGRAPHIES, QUALIFIERS, STATISTICS, STATUSES
from observatory.numbers import parse_french_number, parse_year
from observatory.territories import Referential

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
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return _empty(), [Problem(file=str(path), expected="un fichier encodé en UTF-8", found=str(exc))]
    lines = text.splitlines()
    if not lines:
        return _empty(), [Problem(file=str(path), expected="un en-tête et des lignes", found="fichier vide")]
    reader = csv.DictReader(lines, delimiter=";")
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        found = "il manque " + ", ".join(missing)
        return _empty(), [Problem(file=str(path), row=1, expected="les colonnes " + ", ".join(COLUMNS), found=found)]
    for row_number, row in enumerate(reader, start=2):
        extra = row.pop(None, None) or []
        if extra or any(value is None for value in row.values()):
            count = sum(value is not None for value in row.values()) + len(extra)
            problems.append(
                Problem(
                    file=str(path),
                    row=row_number,
                    expected=f"{len(header)} champs séparés par ';'",
                    found=f"{count} champs",
                    hint="Un texte qui contient ';' doit être entre guillemets.",
                )
            )
            continue
        record, row_problems = _check_row(path, row_number, row, referential, catalog, documents)
        problems += row_problems
        if not row_problems:
            records.append(record)
    frame = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS) if records else _empty()
    duplicated = frame[frame.duplicated(FIGURE_KEY, keep="first")]
    for _, dup in duplicated.iterrows():
        first = frame[(frame[FIGURE_KEY] == dup[FIGURE_KEY]).all(axis=1)].iloc[0]
        problems.append(
            Problem(
                file=str(path),
                row=int(dup["row"]),
                expected="une seule ligne par territoire, indicateur, période, document, emplacement et statistique",
                found=f"doublon de la ligne {int(first['row'])}",
            )
        )
    return frame, problems


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
        ("period", bool, "une période (millésime)"),
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
        "year": parse_year(row["period"]),
        "value": value,
        "precision": precision,
        "file": str(path),
        "row": row_number,
    }
    return record, problems


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=FIGURE_COLUMNS)
