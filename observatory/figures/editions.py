"""Editions: which input files each publication was built from, and what changed between two."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd

from observatory.errors import Problem
from observatory.figures.observatory import Observatory
from observatory.inputs.config import Config
from observatory.inputs.data_folder import walk
from observatory.inputs.schemas import Fields, where
from observatory.inputs.sources import combine
from observatory.inputs.sources.producers import merge_republished
from observatory.timing import timed

KEY = ["territory", "indicator", "period"]


@dataclass(frozen=True)
class Edition:
    id: str  # used in the archive's URL (editions/<id>/)
    label: str
    date: str  # ISO date: the only date written into that edition's site
    files: tuple[str, ...] = ()  # producer files (glob patterns on file names); () = every file read
    published: bool = True  # includes the figures transcribed from published documents
    latest: bool = False


def current_edition(config: Config) -> Edition:
    """The edition the configuration describes: built at the site's root, with every input."""
    return Edition(id=config.edition_id, label=config.edition_label, date=config.edition_date, latest=True)


def absent_files(config: Config, data_dir: Path) -> list[tuple[int, int, str]]:
    """(archive's index, file's index, name or glob pattern) of each file an archived edition
    declares (`archives[].files`) that names no file of `data_dir`, the folder (or file) its
    editions are built from: the edition would be published without that file's figures, or
    with none (issue 29)."""
    names = [path.name for path in walk(data_dir)[0]] if data_dir.is_dir() else [data_dir.name]
    return [
        (index, position, pattern)
        for index, archive in enumerate(config.archives)
        for position, pattern in enumerate(archive.get("files") or ())
        if not any(fnmatch(name, pattern) for name in names)
    ]


def absent_file_problems(config: Config, data_dir: Path) -> list[Problem]:
    """absent_files as problems: the configuration's line and field, the edition, the file."""
    fields = Fields(config.path)
    problems = []
    for index, position, pattern in absent_files(config, data_dir):
        key = ("archives", index, "files", position)
        edition = config.archives[index]["id"]
        problems.append(
            Problem(
                file=str(config.path),
                row=fields.line(key),
                column=where(key),
                column_label="champ",
                expected=f"un fichier nommé « {pattern} » sous {data_dir} (édition archivée {edition})",
                found="aucun",
                hint="L'édition serait publiée sans les chiffres de ce fichier : corrigez ce nom, "
                "ou mettez le fichier dans le dossier des producteurs.",
            )
        )
    return problems


def select(obs: Observatory, edition: Edition) -> Observatory:
    """The observatory as this edition saw it: only the figures of its input files. A figure
    two files publish identically is kept once among the edition's own files (the first of them,
    naming the others), as a build with only those files would: not lost with a file the edition
    did not have."""
    accounts = [
        a for a in obs.accounts if not edition.files or any(fnmatch(Path(a.file).name, p) for p in edition.files)
    ]
    if obs.inputs is not None and edition.files:
        published, produced = obs.inputs
        names = produced["file"].map(lambda path: Path(path).name)
        in_files = names.map(lambda name: any(fnmatch(name, pattern) for pattern in edition.files))
        kept = merge_republished(produced[in_files].reset_index(drop=True))
        figures = combine(published if edition.published else published.iloc[0:0], kept)
        return replace(obs, figures=figures, accounts=accounts, inputs=None)
    figures = obs.figures
    published_dir = str(obs.config.figures) if obs.config.figures is not None else "\0"
    is_published = figures["file"].astype(str).str.startswith(published_dir)
    names = figures["file"].map(lambda path: Path(path).name)
    in_files = names.map(lambda name: not edition.files or any(fnmatch(name, pattern) for pattern in edition.files))
    keep = (is_published & edition.published) | (~is_published & in_files)
    return replace(obs, figures=figures[keep].reset_index(drop=True), accounts=accounts, inputs=None)


@dataclass
class Revision:
    territory: str
    indicator: str
    period: str
    before: float
    after: float
    producer: str  # the source of the figure now published


@dataclass
class GapMove:
    quartier: str
    indicator: str
    reference: str
    before: tuple[str, float]  # (period, quartier − reference) in the previous edition
    after: tuple[str, float]
    precisions: tuple[int, ...] = ()  # decimals published: quartier and reference before, then after
    relative: bool = False  # gaps in % of the reference's level (an amount: data/ecarts.yml), not in its unit

    @property
    def change(self) -> float:
        return abs(self.after[1]) - abs(self.before[1])


def latest_gap(obs: Observatory, indicator_id: str, quartier_id: str) -> tuple[str, str, float, tuple[int, int]] | None:
    """(reference, period, gap, decimals published by the quartier and the reference) at the
    quartier's latest millésime that a reference shares, nearest first; an amount's gap (its
    family measured relative, data/ecarts.yml) in % of the reference's level, never in euros of
    two different years."""
    family = obs.families.get(indicator_id)
    relative = bool(family and family.relative)
    own = obs.points(indicator_id, quartier_id)
    for point in reversed(own):
        for reference_id in obs.references(obs.territory(quartier_id)):
            theirs = {p.period: p for p in obs.points(indicator_id, reference_id)}
            if point.period in theirs and obs.compares_with(obs.territory(quartier_id), reference_id, point.geography):
                reference = theirs[point.period]
                gap = point.value - reference.value
                if relative and reference.value > 0:
                    return reference_id, point.period, round(100 * gap / reference.value, 1), (1, 1)
                return reference_id, point.period, gap, (point.precision, reference.precision)
    return None


@dataclass
class Changes:
    """What a committee member checks first: new millésimes, revised figures, indicators in or out."""

    previous: Edition | None
    new_periods: list[tuple[str, str]] = field(default_factory=list)  # (indicator, period)
    revised: list[Revision] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # indicators with figures now, none before
    removed: list[str] = field(default_factory=list)
    new_figures: int = 0
    gap_moves: list[GapMove] = field(default_factory=list)  # largest changes of a quartier's gap
    unchanged_gaps: int = 0  # gaps computed in both editions on the same millésime, unchanged
    new_by_territory: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # (indicator, period)

    def for_quartier(self, quartier_id: str) -> tuple[list[tuple[str, str]], list[Revision], list[GapMove]]:
        """What changed for one quartier: new figures, revised figures, gap moves."""
        return (
            self.new_by_territory.get(quartier_id, []),
            [r for r in self.revised if r.territory == quartier_id],
            [m for m in self.gap_moves if m.quartier == quartier_id],
        )

    @property
    def empty(self) -> bool:
        return not (self.new_periods or self.revised or self.added or self.removed or self.new_figures)


def _available(figures: pd.DataFrame) -> pd.DataFrame:
    rows = figures[(figures["status"] == "ok") & (figures["qualifier"] == "")]
    return rows.drop_duplicates(KEY, keep="first")[[*KEY, "value", "producer", "year"]]


@timed("compare")
def changes(current: Observatory, previous: Observatory | None, previous_edition: Edition | None) -> Changes:
    result = Changes(previous=previous_edition)
    if previous is None:
        return result
    now, before = _available(current.figures), _available(previous.figures)
    result.new_periods = _new_millesimes(now, before)
    merged = now.drop(columns="year").merge(
        before.drop(columns="year"), on=KEY, suffixes=("", "_before"), how="left", indicator=True
    )
    new = merged[merged["_merge"] == "left_only"]
    result.new_figures = len(new)
    for row in new.itertuples(index=False):
        result.new_by_territory.setdefault(row.territory, []).append((row.indicator, row.period))
    both = merged[merged["_merge"] == "both"]
    for row in both.itertuples(index=False):
        if not math.isclose(row.value, row.value_before, rel_tol=0, abs_tol=1e-9):
            result.revised.append(
                Revision(row.territory, row.indicator, row.period, row.value_before, row.value, row.producer)
            )
    indicators_now, indicators_before = set(now["indicator"]), set(before["indicator"])
    result.added = sorted(indicators_now - indicators_before)
    result.removed = sorted(indicators_before - indicators_now)
    result.gap_moves, result.unchanged_gaps = _gap_moves(current, previous)
    return result


def _new_millesimes(now: pd.DataFrame, before: pd.DataFrame) -> list[tuple[str, str]]:
    """(indicator, period) of the millésimes more recent than any the previous edition had for the
    indicator: an older millésime published late, an undated or unstated one is not « new »."""
    dated = now[pd.to_numeric(now["year"], errors="coerce").notna()]
    latest = pd.to_numeric(before["year"], errors="coerce").groupby(before["indicator"]).max()
    found = set()
    for indicator, period, year in zip(dated["indicator"], dated["period"], dated["year"], strict=True):
        previous = latest.get(indicator)
        if previous is None or pd.isna(previous) or int(year) > previous:
            found.add((indicator, period))
    return sorted(found)


def _gap_moves(current: Observatory, previous: Observatory, limit: int = 15) -> tuple[list[GapMove], int]:
    """The largest changes of a quartier's gap between the two editions, and how many gaps both
    editions compute on the same millésime and did not change (what a page may say of the rest)."""
    moves, unchanged = [], 0
    for indicator in current.catalog.values():
        if not indicator.has_gaps:
            continue
        for quartier in current.quartiers():
            after, before = (
                latest_gap(current, indicator.id, quartier.id),
                latest_gap(previous, indicator.id, quartier.id),
            )
            if not (after and before and after[0] == before[0]):
                continue
            if after[1:3] == before[1:3]:
                unchanged += 1
                continue
            relative = bool(indicator.id in current.families and current.families[indicator.id].relative)
            precisions = (*before[3], *after[3])
            moves.append(GapMove(quartier.id, indicator.id, after[0], before[1:3], after[1:3], precisions, relative))
    moves.sort(key=lambda move: (-abs(move.change), move.quartier, move.indicator))
    return moves[:limit], unchanged
