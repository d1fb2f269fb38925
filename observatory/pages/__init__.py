"""Stage 4 — pages: what each page shows, then the page itself.

In: an `Observatory` and the comparisons.
Out: one frozen view model per page type (pages.quartier, pages.rankings, pages.indexes,
pages.committee, pages.changes, pages.sources, built from pages.views, pages.series,
pages.map_views), the French wording (pages.text), the Plotly specifications (pages.charts), the
SVG maps (pages.maps), and the rendered files: Markdown pages from the Jinja templates, which read
view-model fields only (pages.render), and each page's figures as CSV and XLSX (pages.downloads).
Nothing is written to disk here.
"""
