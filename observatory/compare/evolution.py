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
