"""Stage 2 — the tidy table and what it means.

In: the outputs of `observatory.inputs` (configuration, catalog, referential, figures).
Out: an `Observatory` (figures.observatory): the figures linked across the 2015 → 2024
geographies (figures.correspondence), each territory's series of exact values by millésime
(figures.points), and the editions (figures.editions: which files each publication was built
from, what changed between two). Queries only: nothing is compared or worded here.
"""
