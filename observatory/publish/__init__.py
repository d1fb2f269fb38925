"""Stage 5 — publish the site.

In: the rendered files of `observatory.pages` (Markdown pages, downloads) for each edition.
Out: the static site: MkDocs builds it into a temporary folder that replaces the published one
only on success (publish.site; large HTML blocks go around MkDocs' Markdown conversion,
publish.deferred); the cache that lets an incremental build redo only what changed, keyed by the
bytes, the code and the libraries it was made from (publish.incremental).
"""
