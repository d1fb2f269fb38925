"""Stage 3 — comparisons, as pure functions.

In: figures (rows of the tidy table, series points) and the indicators' directions.
Out: gaps in points or euros, ratios, favourable or not (compare.gaps: the one direction rule),
ranks, minimum and maximum; evolutions between millésimes and the committee's quadrant
(compare.evolution). No wording, no I/O.
"""
