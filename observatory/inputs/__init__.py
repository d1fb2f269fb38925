"""Stage 1 — read and check every declared input.

In: `observatory.yml` and the files it names (indicators/*.yml, data/producers/*.yml, the
referential CSVs, data/enjeux.yml, data/sources.yml, the glossary), the producers' files of
`--data-dir` or of the extract, the published figures of data/figures/, the 2024 contours.
Out: a checked `Config`, the indicator catalog, the referential of territories, the editorial
texts, the producer mappings and the figures as one tidy table (`observatory.model.COLUMNS`),
with every problem of every file reported at once (`observatory.errors.ObservatoryError`).
Nothing here compares or writes a page.
"""
