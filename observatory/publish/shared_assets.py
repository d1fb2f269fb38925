"""Archived editions use the site's one set of assets: Material's, the project's, plotly.js.

An archived edition is built under `editions/<id>/` by the same theme, with the same project
assets and the same vendored plotly.js as the current edition at the site's root: its own copies
(2.3 MB of scripts and 1.3 MB of source maps each) were byte for byte those of the root, and a
reader moving between editions downloaded plotly.js again. The edition now writes none of them,
and every URL the theme makes to one (stylesheets, scripts, the search worker, the favicon, the
chart script and plotly.js: all through MkDocs' `url` filter) leads to the root's copy.
"""

from __future__ import annotations

from jinja2 import Environment, pass_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

SHARED = "assets/"  # what every edition has alike, at the root of its site


class SharedAssets(BasePlugin):
    """For an archived edition: no file of `assets/` written, and the theme's links to them made
    to the root's, `up` (relative, '../../') above the edition's own root. A URL MkDocs makes
    absolute (the 404 page's) is left as it is: it already leads to the root of the host."""

    def __init__(self, up: str) -> None:
        super().__init__()
        self.up = up

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for file in [f for f in files if f.src_uri.startswith(SHARED)]:
            files.remove(file)
        return files

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        edition_url = env.filters["url"]

        @pass_context
        def url(context, value: object) -> str:
            made, path = edition_url(context, value), str(value)
            if not path.startswith(SHARED) or made.startswith("/") or not made.endswith(path):
                return made
            return made[: len(made) - len(path)] + self.up + path

        env.filters["url"] = url
        return env
