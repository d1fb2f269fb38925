"""Everything a build has read and checked, with the lookups the pages need.

The lookups of figures (the methods marked `@_query`) are recorded: within `with
obs.recording() as reads:`, each call adds its key — the method's name and its arguments, e.g.
("rows_for", indicator, territory) — to `reads`, and a memoised value adds the keys its
computation read, whether it is computed or served from the memo. `read_digest(key)` is the
hash of what a key reads now: a page whose keys read the same data shows the same figures."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import pandas as pd

from observatory import collector
from observatory.figures.points import SeriesPoint, series_points
from observatory.hashing import digest
from observatory.inputs.catalog import Indicator
from observatory.inputs.comparisons import GapFamily
from observatory.inputs.config import Config, Contract
from observatory.inputs.documents import Editorial
from observatory.inputs.perimeters import Perimeter
from observatory.inputs.territories import Referential, Territory, references_for
from observatory.model import FigureRow, figure_rows
from observatory.names import fold

T = TypeVar("T")

#: lookups computed from figures by a later stage, by name: function(observatory, *arguments)
DERIVED: dict[str, Callable] = {}


def derived(name: str) -> Callable:
    """Register a derived lookup (see `Observatory.derived`)."""

    def register(function: Callable) -> Callable:
        DERIVED[name] = function
        return function

    return register


Read = tuple  # a recorded lookup: (method name, *arguments), an iterable argument as a sorted tuple


def _frozen(argument: object) -> object:
    """An argument as a read key holds it: a set of territories or periods as a sorted tuple."""
    return argument if isinstance(argument, str) else tuple(sorted(set(argument)))


def _query(method: Callable) -> Callable:
    """A lookup of figures: recorded by the recordings in progress, its own lookups not."""

    @functools.wraps(method)
    def recorded(self: Observatory, *args):
        if not self._recorders:
            return method(self, *args)
        args = tuple(_frozen(argument) for argument in args)
        for reads in self._recorders:
            reads.add((method.__name__, *args))
        recorders, self._recorders = self._recorders, []
        try:
            return method(self, *args)
        finally:
            self._recorders = recorders

    return recorded


@dataclass
class Observatory:
    config: Config
    catalog: dict[str, Indicator]
    referential: Referential
    editorial: Editorial
    figures: pd.DataFrame
    accounts: list = field(default_factory=list)  # producer files: rows read, used, reported
    mappings: list = field(default_factory=list)  # producer mappings used by this build
    # (published figures, producer figures before merge_republished): what an archive selects from
    inputs: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, repr=False)
    families: dict[str, GapFamily] = field(default_factory=dict)  # how each indicator's gap evolution is measured
    perimeters: tuple[Perimeter, ...] = ()  # the périmètres d'attention the contracts follow (data/perimetres.yml)
    _by_indicator: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)
    _rows: dict[tuple[str, str], list[FigureRow]] = field(default_factory=dict, init=False, repr=False)
    _positions: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False)
    _row_positions: dict[tuple[str, str], list[int]] = field(default_factory=dict, init=False, repr=False)
    _row_hashes: object = field(default=None, init=False, repr=False)  # numpy array: a hash per figure
    _blocks: tuple | None = field(default=None, init=False, repr=False)  # (blocks(),) once computed
    _all_rows: list[FigureRow] = field(default_factory=list, init=False, repr=False)
    _points: dict[tuple[str, str], list[SeriesPoint]] = field(default_factory=dict, init=False, repr=False)
    _quartiers: list[Territory] | None = field(default=None, init=False, repr=False)
    _peers: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)
    _memo: dict = field(default_factory=dict, init=False, repr=False)
    _memo_reads: dict[tuple, frozenset[Read]] = field(default_factory=dict, init=False, repr=False)
    _recorders: list[set[Read]] = field(default_factory=list, init=False, repr=False)
    _each_row: dict[str, object] = field(default_factory=dict, init=False, repr=False)

    @contextmanager
    def recording(self) -> Iterator[set[Read]]:
        """The keys of the lookups of figures made within, memoised ones included."""
        reads: set[Read] = set()
        self._recorders.append(reads)
        try:
            yield reads
        finally:
            self._recorders.pop()  # recordings nest: the last begun ends first

    def memo(self, key: tuple, compute):
        """A value computed once per build (rankings shared by every quartier of a contract…); the
        lookups its computation made are recorded again at every use."""
        if key not in self._memo:
            with self.recording() as reads:
                self._memo[key] = compute()
            self._memo_reads[key] = frozenset(reads)
        for reads in self._recorders:
            reads.update(self._memo_reads[key])
        return self._memo[key]

    def each_row(self, key: str, compute: Callable[[list[FigureRow]], T]) -> T:
        """compute(every figure's row, in the table's order): what gives items for each row,
        made once per build and not recorded: a page picks its items by the positions a recorded
        lookup gave it, and each item depends on its row alone (a download line)."""
        if key not in self._each_row:
            self._each_row[key] = compute(self._all_rows)
        return self._each_row[key]

    def read_digest(self, key: Read) -> str:
        """The hash of what a recorded lookup reads now: its result, rows in order but not their
        positions in the whole table (a row added elsewhere, or a republished figure now kept
        twice, moves every later row without changing what a page shows)."""
        name, *args = key
        recorders, self._recorders = self._recorders, []
        try:
            if name in ROW_POSITIONS:  # rows of the table: their hashes, the rows not even built
                return digest("rows", self._hashes_at(ROW_POSITIONS[name](self, *args)))
            result = getattr(self, name)(*args)
        finally:
            self._recorders = recorders
        if isinstance(result, pd.DataFrame):  # figures selected from the table, labelled by position
            return digest(repr(list(result.columns)), self._hashes_at(result.index))
        return digest(repr(sorted(result) if isinstance(result, frozenset) else result))

    def _hashes_at(self, positions: Iterable[int]) -> bytes:
        """The figures at these positions of the table, a hash per row (its content, whatever its
        position), hashed once per build for the whole table."""
        return self.row_hashes()[list(positions)].tobytes()

    def row_hashes(self) -> np.ndarray:
        """A hash per figure (its content, whatever its position), in the table's order."""
        if self._row_hashes is None:
            self._row_hashes = pd.util.hash_pandas_object(self.figures, index=False).to_numpy()
        return self._row_hashes

    def blocks(self) -> dict[tuple[str, str], str] | None:
        """Each (indicator, territory) of the table with the hash of its figures (their hashes, in
        their order), in the table's order; None unless the figures of each are consecutive (the
        table is sorted by indicator and territory first: inputs/sources/__init__.py). Two tables
        whose blocks in common come in the same order give the same result to every lookup of
        rows that selects none of the blocks that differ."""
        if self._blocks is None:
            hashes, found = self.row_hashes(), {}
            for pair, positions in sorted(self._row_positions.items(), key=lambda item: item[1][0]):
                first, last = positions[0], positions[-1]
                if last - first + 1 != len(positions):
                    found = None
                    break
                found[pair] = hashlib.blake2b(hashes[first : last + 1].tobytes(), digest_size=16).hexdigest()
            self._blocks = (found,)
        return self._blocks[0]

    def __post_init__(self) -> None:
        # Row labels are positions: pages select figures by label, downloads find their lines by it.
        self.figures = self.figures.reset_index(drop=True)
        self._by_indicator = {key: frame for key, frame in self.figures.groupby("indicator", sort=True)}
        with collector.paused():
            self._all_rows = figure_rows(self.figures)
            pairs = self.figures.groupby(["indicator", "territory"], sort=False).indices  # positions, ascending
            self._row_positions = {key: positions.tolist() for key, positions in pairs.items()}
            territories = self.figures.groupby("territory", sort=False).indices
            self._positions = {key: positions.tolist() for key, positions in territories.items()}

    # --- territories -------------------------------------------------------------------------
    def contracts_of(self, quartier: Territory) -> list[Contract]:
        """Contracts covering the quartier; a contract declared with EPCI "*" covers every quartier."""
        return [c for c in self.config.contracts if "*" in c.epci or set(c.epci) & set(quartier.epcis)]

    def quartiers_2015(self) -> frozenset[str]:
        """Codes of the 2015 quartiers shown under their own name: never a reference of anything."""
        return self.memo(
            ("quartiers-2015",),
            lambda: frozenset(t.id for t in self.referential.territories.values() if t.kind == "quartier2015"),
        )

    def iris(self) -> frozenset[str]:
        """The IRIS read from producers' files by IRIS (Filosofi by IRIS: hundreds per commune),
        shown around their communes' quartiers, never as references of an indicator's or an enjeu's
        ranking; an IRIS a document names (a contract's table) stays a reference as before."""

        def read() -> frozenset[str]:
            by_iris = {m.id for m in self.mappings if "iris" in m.codes.values()}
            rows = self.figures[self.figures["document"].isin(by_iris)]
            return frozenset(rows["territory"])

        return self.memo(("iris",), read)

    def beyond_quartiers(self) -> frozenset[str]:
        """Territories read for what lies outside the quartiers, never references of a ranking: the
        IRIS read by IRIS, and the communes and collèges of a périmètre d'attention that no quartier
        of the observatory shares (Houplines, Halluin)."""

        def read() -> frozenset[str]:
            shared = {code for quartier in self.referential.quartiers for code in quartier.communes}
            alone = {f"com-{p.commune}" for p in self.perimeters if p.commune not in shared}
            alone |= {t.id for t in self.referential.territories.values() if t.kind == "college" and not t.related}
            return self.iris() | frozenset(alone)

        return self.memo(("beyond-quartiers",), read)

    @_query
    def published_for_quartiers(self) -> frozenset[str]:
        """Indicators that some file or document of this edition publishes for a quartier."""
        return self.memo(
            ("published-for-quartiers",),
            lambda: frozenset(
                i for i in self.catalog if self.figures_of(i)["territory"].isin(self.quartier_ids()).any()
            ),
        )

    def former_quartiers(self) -> list[Territory]:
        """2015 quartiers that no 2024 quartier follows, shown on a page of their own, by code."""
        return sorted(
            (t for t in self.referential.territories.values() if t.kind == "quartier2015" and not t.related),
            key=lambda t: t.id,
        )

    def quartiers(self) -> list[Territory]:
        """Quartiers of the configured contracts, by code (computed once)."""
        if self._quartiers is None:
            chosen = [q for q in self.referential.quartiers if self.contracts_of(q)]
            self._quartiers = sorted(chosen, key=lambda q: q.id)
        return self._quartiers

    @property
    def producer_documents(self) -> frozenset[str]:
        """Documents that are producers' files: preferred over a transcription when both give a value."""
        return frozenset(mapping.id for mapping in self.mappings)

    def quartier_ids(self) -> set[str]:
        return {q.id for q in self.quartiers()}

    def contract_key(self, quartier: Territory) -> str:
        """The quartier's contracts, as one text: « mel », « call|mel »."""
        return "|".join(sorted(c.id for c in self.contracts_of(quartier)))

    def peers(self, quartier: Territory) -> frozenset[str]:
        """Quartiers sharing a contract with this one (itself included), computed once per contract set."""
        return self.contract_peers(self.contract_key(quartier))

    def contract_peers(self, key: str) -> frozenset[str]:
        """Quartiers of any of the contracts of `contract_key`."""
        if key not in self._peers:
            contracts = {c for c in self.config.contracts if c.id in key.split("|")}
            self._peers[key] = frozenset(q.id for q in self.quartiers() if contracts & set(self.contracts_of(q)))
        return self._peers[key]

    def communes_2015(self, quartier: Territory) -> frozenset[str] | None:
        """Folded names of the communes of the 2015 quartier(s) whose series a 2024 quartier shows
        as its own; None when a file does not name them all."""
        links = [link for link in self.referential.predecessors(quartier.id) if link.territory == quartier.id]
        if not links or not all(link.communes for link in links):
            return None
        return frozenset(fold(name) for link in links for name in link.communes)

    def compares_with(self, quartier: Territory, reference_id: str, geography: str) -> bool:
        """Whether a quartier's figure of this geography may be compared with this reference: a
        figure of the 2015 quartier with the communes of the 2015 quartier only (a 2024 quartier
        that spread to a neighbouring commune is not compared with it on its 2015 series)."""
        if geography != "qp2015":
            return True
        reference = self.referential.territories.get(reference_id)
        if reference is None or reference.kind != "commune":
            return True
        towns = self.communes_2015(quartier)
        return towns is None or fold(reference.name) in towns

    def references(self, quartier: Territory) -> list[str]:
        """Reference territories, nearest first; the EPCI of the quartier's contract before a neighbour."""
        contracts = self.contracts_of(quartier)
        own = [siren for contract in contracts for siren in contract.epci]
        epcis = sorted(quartier.epcis, key=lambda siren: (siren not in own, quartier.epcis.index(siren)))
        extra = [code for contract in contracts for code in contract.aggregates]
        return references_for(replace(quartier, epcis=tuple(epcis)), self.referential, extra)

    def territory(self, territory_id: str) -> Territory:
        return self.referential.territories[territory_id]

    # --- figures -----------------------------------------------------------------------------
    @_query
    def figures_of(self, indicator_id: str) -> pd.DataFrame:
        return self._by_indicator.get(indicator_id, self.figures.iloc[0:0])

    @_query
    def rows_for(self, indicator_id: str, territory_id: str) -> list[FigureRow]:
        """Figures of one indicator for one territory, in the table's order (listed when first
        asked, then kept: pages ask this hundreds of thousands of times at national scale)."""
        key = (indicator_id, territory_id)
        if key not in self._rows:
            self._rows[key] = [self._all_rows[p] for p in self._row_positions.get(key, [])]
        return self._rows[key]

    def _positions_of(self, territory_ids: Iterable[str]) -> list[int]:
        return sorted(p for territory_id in set(territory_ids) for p in self._positions.get(territory_id, []))

    @_query
    def rows_of_territories(self, territory_ids: Iterable[str]) -> list[FigureRow]:
        """Every figure of these territories, in the table's order."""
        return [self._all_rows[p] for p in self._positions_of(territory_ids)]

    @_query
    def rows_of_indicator(self, indicator_id: str) -> list[FigureRow]:
        return [self._all_rows[p] for p in self.figures_of(indicator_id).index]

    @_query
    def all_figures(self) -> pd.DataFrame:
        """The whole table: what the whole-data downloads show."""
        return self.figures

    @_query
    def figures_of_indicators(self, indicator_ids: Iterable[str]) -> pd.DataFrame:
        """Every figure of these indicators, in the table's order."""
        return self.figures[self.figures["indicator"].isin(list(indicator_ids))]

    @_query
    def figures_of_territories(self, territory_ids: Iterable[str]) -> pd.DataFrame:
        """Every figure of these territories, in the table's order."""
        return self.figures.iloc[self._positions_of(territory_ids)]

    @_query
    def figures_of_territories_for(self, indicator_ids: Iterable[str], territory_ids: Iterable[str]) -> pd.DataFrame:
        """The figures of these indicators for these territories, in the table's order (a
        département's page: it depends on them only)."""
        indicators, territories = set(indicator_ids), set(territory_ids)
        positions = [p for i in indicators for t in territories for p in self._row_positions.get((i, t), [])]
        return self.figures.iloc[sorted(positions)]

    @_query
    def derived(self, name: str, *args: str):
        """A value computed from the figures by a later stage and registered under `name` (a
        contract's extremes…), once per build. Recorded as itself, its own lookups not: a page
        reading it depends on its result only (which quartiers are the extremes, and how many
        have a value), not on every figure it was computed from."""
        key = ("derived", name, *args)
        if key not in self._memo:
            self._memo[key] = DERIVED[name](self, *args)
        return self._memo[key]

    @_query
    def sources_of(self, indicator_id: str, territory_ids: Iterable[str], periods: Iterable[str]) -> list[str]:
        """Producers of an indicator's figures for these territories and millésimes: what a table cites."""
        wanted = set(periods)
        return sorted(
            {
                row.producer
                for territory_id in territory_ids
                for row in self.rows_for(indicator_id, territory_id)
                if row.period in wanted
            }
        )

    @_query
    def points(self, indicator_id: str, territory_id: str) -> list[SeriesPoint]:
        """One exact value per millésime, by year: what series and evolutions follow."""
        key = (indicator_id, territory_id)
        if key not in self._points:
            self._points[key] = series_points(self.rows_for(indicator_id, territory_id))
        return self._points[key]

    @_query
    def periods_of(self, indicator_id: str) -> list[str]:
        """Periods of an indicator, most recent first ('non précisée' last)."""
        return periods_in(self.figures_of(indicator_id))


def periods_in(figures: pd.DataFrame) -> list[str]:
    """Periods of these figures, most recent first ('non précisée' last)."""
    frame = figures[["period", "year"]].drop_duplicates()
    frame = frame.assign(sort_year=frame["year"].fillna(-1).astype(int))
    return list(frame.sort_values(["sort_year", "period"], ascending=[False, True])["period"])


#: the lookups that select rows of the table by indicator and territory, and depend on nothing else
ROW_LOOKUPS = frozenset(
    {
        "rows_for",
        "points",
        "figures_of",
        "periods_of",
        "rows_of_indicator",
        "figures_of_indicators",
        "rows_of_territories",
        "figures_of_territories",
        "sources_of",
        "figures_of_territories_for",
        "all_figures",
    }
)


def reads_pairs(key: Read, pairs: set[tuple[str, str]], indicators: set[str], territories: set[str]) -> bool | None:
    """Whether a recorded lookup selects a figure of one of these (indicator, territory) pairs
    (`indicators` and `territories`: theirs), for a lookup of ROW_LOOKUPS; None for any other
    (a derived value, a set computed from every figure…): only its digest can tell."""
    name, *args = key
    if name in {"rows_for", "points"}:
        return (args[0], args[1]) in pairs
    if name in {"figures_of", "periods_of", "rows_of_indicator"}:
        return args[0] in indicators
    if name == "figures_of_indicators":
        return not indicators.isdisjoint(args[0])
    if name in {"rows_of_territories", "figures_of_territories"}:
        return not territories.isdisjoint(args[0])
    if name in {"sources_of", "figures_of_territories_for"}:
        wanted = {args[0]} if name == "sources_of" else set(args[0])
        if indicators.isdisjoint(wanted) or territories.isdisjoint(args[1]):
            return False
        return any(indicator in wanted and territory in args[1] for indicator, territory in pairs)
    if name == "all_figures":
        return bool(pairs)
    return None


#: the lookups whose result is a list of figures' rows, or made from those rows alone (a
#: territory's series points): where those rows are in the table, for `read_digest` (the rows'
#: hashes, without building or printing the result)
ROW_POSITIONS: dict[str, Callable[..., Iterable[int]]] = {
    "rows_for": lambda obs, indicator, territory: obs._row_positions.get((indicator, territory), []),
    "points": lambda obs, indicator, territory: obs._row_positions.get((indicator, territory), []),
    "rows_of_territories": lambda obs, territories: obs._positions_of(territories),
    "rows_of_indicator": lambda obs, indicator: obs.figures_of(indicator).index,
}
