"""Evolution over millésimes: level change, gap change, the committee's quadrant. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from observatory.compare.gaps import favourable
from observatory.figures.points import SeriesPoint
from observatory.inputs.catalog import Indicator

QUADRANTS = {  # (level improves, position relative to the reference improves)
    (True, True): "s'améliore, et plus que la référence",
    (True, False): "s'améliore, mais moins que la référence",
    (False, True): "se dégrade, mais moins que la référence",
    (False, False): "se dégrade, et plus que la référence",
}


@dataclass(frozen=True)
class Evolution:
    reference: str  # territory id
    first_period: str
    last_period: str
    first_value: float
    last_value: float
    first_gap: float  # quartier − reference
    last_gap: float
    same_geography: bool  # False when the quartier's two figures rest on different perimeters
    precisions: tuple[int, ...] = ()  # decimals published of the four values (first, its reference, last, its)

    @property
    def level_change(self) -> float:
        return self.last_value - self.first_value

    @property
    def gap_change(self) -> float:
        """Change of the distance to the reference: > 0 the gap widened, < 0 it narrowed."""
        return abs(self.last_gap) - abs(self.first_gap)

    @property
    def relative_change(self) -> float:
        """Signed change of quartier − reference: how the quartier moved relative to its reference."""
        return self.last_gap - self.first_gap


def evolution(subject: list[SeriesPoint], reference: list[SeriesPoint], reference_id: str) -> Evolution | None:
    """Gap to a reference at the first and last millésimes both have, or None (fewer than two)."""
    theirs = {point.period: point for point in reference}
    common = [(point, theirs[point.period]) for point in subject if point.period in theirs]
    if len(common) < 2:
        return None
    (first, first_ref), (last, last_ref) = common[0], common[-1]
    return Evolution(
        reference=reference_id,
        first_period=first.period,
        last_period=last.period,
        first_value=first.value,
        last_value=last.value,
        first_gap=first.value - first_ref.value,
        last_gap=last.value - last_ref.value,
        same_geography=first.geography == last.geography,
        precisions=(first.precision, first_ref.precision, last.precision, last_ref.precision),
    )


def improved(indicator: Indicator, change: float) -> bool | None:
    """Whether a level change is favourable; None for a context indicator or no change."""
    return favourable(indicator.direction, change)


def quadrant(indicator: Indicator, result: Evolution) -> str:
    """The committee's reading: does the quartier improve, and does it catch up with its reference?"""
    better = improved(indicator, result.level_change)
    relative = improved(indicator, result.relative_change)
    if better is None or relative is None:
        return "niveau ou écart stable, ou indicateur de contexte"
    return QUADRANTS[(better, relative)]


@dataclass(frozen=True)
class Trend:
    """The level and the gap to a reference between two millésimes, measured as the indicator's
    family declares (observatory/inputs/comparisons.py): in points for a share, in % for an
    amount (the gap as a share of the reference, the level change as a share of the first value:
    never euros of two years apart), a change under the family's band being « stable »."""

    evolution: Evolution
    relative: bool  # measure: % of the reference (euros, counts), else points
    band: float
    direction: str  # the indicator's (DIRECTIONS)

    @property
    def first_reference(self) -> float:
        return self.evolution.first_value - self.evolution.first_gap

    @property
    def last_reference(self) -> float:
        return self.evolution.last_value - self.evolution.last_gap

    @property
    def first_gap(self) -> float:
        """The gap at the first millésime, measured: points, or % of the reference."""
        return self._measured(self.evolution.first_gap, self.first_reference)

    @property
    def last_gap(self) -> float:
        return self._measured(self.evolution.last_gap, self.last_reference)

    def _measured(self, gap: float, reference: float) -> float:
        return 100 * gap / reference if self.relative else gap

    @property
    def gap_change(self) -> float:
        """Change of the measured distance to the reference, worked out from the two gaps as they
        are shown (one decimal), so that a reader's subtraction gives the same figure."""
        return round(abs(round(self.last_gap, 1)) - abs(round(self.first_gap, 1)), 1)

    @property
    def level_change(self) -> float:
        """Change of the quartier's level: points, or % of its first value; rounded as shown."""
        change = self.evolution.level_change
        if self.relative:
            change = 100 * change / self.evolution.first_value
        return round(change, 1)

    @property
    def gap_move(self) -> str:
        """« réduit », « creusé », « stable » or « inversé » (the quartier crossed its reference)."""
        first, last = round(self.first_gap, 1), round(self.last_gap, 1)
        if first * last < 0 and min(abs(first), abs(last)) >= self.band:
            return "inversé"
        if abs(self.gap_change) < self.band:
            return "stable"
        return "creusé" if self.gap_change > 0 else "réduit"

    @property
    def level_move(self) -> str:
        """« amélioré », « dégradé », « stable »; for a context indicator « en hausse », « en baisse »."""
        change = self.level_change
        if abs(change) < self.band:
            return "stable"
        if self.direction == "neutral":
            return "en hausse" if change > 0 else "en baisse"
        return "amélioré" if favourable(self.direction, change) else "dégradé"


def trend(
    subject: list[SeriesPoint],
    reference: list[SeriesPoint],
    reference_id: str,
    direction: str,
    relative: bool,
    band: float,
    consecutive: bool = True,
) -> tuple[Trend | None, str]:
    """(the trend between the first and last millésimes both have, "") or (None, why not)."""
    result = evolution(subject, reference, reference_id)
    if result is None:
        return None, "pas deux millésimes communs"
    first_year = next(point.year for point in subject if point.period == result.first_period)
    last_year = next(point.year for point in subject if point.period == result.last_period)
    if not consecutive and last_year - first_year < 2:
        return None, "millésimes consécutifs"
    if relative and (result.first_value - result.first_gap <= 0 or result.first_value <= 0):
        return None, "valeur nulle"
    return Trend(result, relative, band, direction), ""
