"""Jinja2 environment and page list: views → Markdown pages (with HTML blocks) for MkDocs."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from observatory.downloads import FOLDER, all_downloads, page_downloads
from observatory.editions import Changes, Edition
from observatory.map_views import map_views
from observatory.model import DIRECTIONS, STATUS_REASONS, STATUSES
from observatory.numbers import format_number, french_date
from observatory.observatory import Observatory
from observatory.series import committee, evolutions, series_view
from observatory.timing import timed
from observatory.views import (
    commune_colleges,
    enjeu_rankings,
    missing_indicators,
    predecessor_figures,
    quartier_blocks,
    ranking,
    related_figures,
    territory_figures,
)

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md_inline(text: object) -> Markup:
    """Data text placed in Markdown (headings): HTML-escaped, Markdown syntax neutralised."""
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False)))


def front_matter_title(text: object) -> Markup:
    """Page title for the front matter: HTML-escaped (themes print it unescaped), JSON-quoted (valid YAML)."""
    return Markup(json.dumps(str(escape(str(text))), ensure_ascii=False))


def glossary_linker(entries: list[dict]):
    """A filter linking the first occurrence of each glossary word in a text to its definition."""
    forms = sorted(((form, entry["id"]) for entry in entries for form in entry["forms"]), key=lambda f: -len(f[0]))

    def link(text: object, root: str) -> Markup:
        escaped = str(escape(str(text)))
        done: set[str] = set()
        for form, anchor in forms:
            if anchor in done:
                continue
            pattern = re.compile(r"(?<![\w>])(" + re.escape(str(escape(form))) + r")(?![\w<])", re.IGNORECASE)
            match = pattern.search(escaped)
            if match and "<a " not in escaped[max(0, match.start() - 200) : match.start()].split("</a>")[-1]:
                target = f'<a class="glossaire" href="{root}sources/#{anchor}">{match.group(1)}</a>'
                escaped = escaped[: match.start()] + target + escaped[match.end() :]
                done.add(anchor)
        return Markup(escaped)

    return link


def page_url(path: str) -> str:
    """Site URL of a docs page with directory URLs: 'quartiers/QN05968M.md' → 'quartiers/QN05968M/'."""
    pure = PurePosixPath(path)
    parts = list(pure.with_suffix("").parts)
    if parts[-1] == "index":
        parts = parts[:-1]
    return "/".join(parts) + "/" if parts else ""


def root_of(path: str) -> str:
    """Relative prefix from a page to the site root ('../../')."""
    return "../" * page_url(path).count("/")


def environment(templates_dir: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    env.filters["front_title"] = front_matter_title
    env.filters["number"] = format_number
    env.filters["date"] = french_date
    env.globals["DIRECTIONS"] = DIRECTIONS
    env.globals["STATUS_REASONS"] = STATUS_REASONS
    env.globals["STATUSES"] = STATUSES
    env.globals["DOWNLOADS"] = FOLDER
    return env


def quartier_path(code: str) -> str:
    return f"quartiers/{code}.md"


class _Pages:
    """The pages and downloads of one edition being rendered."""

    def __init__(self, obs: Observatory, edition: Edition, editions: list[Edition]) -> None:
        self.obs, self.edition, self.editions = obs, edition, editions
        self.env = environment(str(obs.config.templates / "pages"))
        self.env.filters["glossary"] = glossary_linker(obs.editorial.glossary)
        self.files: dict[str, str | bytes] = {}

    @timed("render")
    def add(self, path: str, template: str, **context) -> None:
        root = root_of(path)
        self.files[path] = self.env.get_template(template).render(
            obs=self.obs,
            root=root,
            latest_root=root if self.edition.latest else root + "../../",
            title=self.obs.config.title,
            edition=self.edition,
            editions=self.editions,
            **context,
        )

    def downloads(self, name: str, title: str, figures) -> None:
        self.files.update(page_downloads(self.obs, name, title, figures, self.edition.date))


def render_pages(
    obs: Observatory,
    edition: Edition,
    editions: list[Edition],
    changed: Changes | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, str | bytes]:
    """Every page of one edition, as {docs-relative path: Markdown text}, with its downloads (bytes),
    except the quartier, enjeu and indicator pages listed in `skip` (unchanged since the last
    incremental build) and their downloads. Reads, never writes."""
    changed = changed or Changes(previous=None)
    site = _Pages(obs, edition, editions)
    site.files.update(all_downloads(obs, edition.id, edition.date))
    _home_and_indexes(site)
    for quartier in obs.quartiers():
        if quartier_path(quartier.id) not in skip:
            _quartier_page(site, quartier, changed)
    for former in obs.former_quartiers():
        if quartier_path(former.id) not in skip:
            _former_page(site, former)
    site.add("enjeux/index.md", "enjeux_index.md.j2")
    for enjeu in obs.editorial.enjeux.values():
        if f"enjeux/{enjeu.slug}.md" not in skip:
            _enjeu_page(site, enjeu)
    site.add("indicateurs/index.md", "indicators_index.md.j2")
    for indicator in obs.catalog.values():
        if f"indicateurs/{indicator.id}.md" not in skip:
            _indicator_page(site, indicator)
    site.add("comite.md", "committee.md.j2", quadrants=committee(obs))
    site.add("changements.md", "changes.md.j2", changed=changed)
    site.add("carte.md", "map.md.j2", maps=map_views(obs))
    site.add("editions/index.md", "editions.md.j2")
    site.add("sources.md", "sources.md.j2", producers=sorted(set(obs.figures["producer"])))
    return site.files


def _home_and_indexes(site: _Pages) -> None:
    quartiers = site.obs.quartiers()
    by_commune = defaultdict(list)
    for quartier in quartiers:
        for name in quartier.commune_names:
            by_commune[name].append(quartier)
    site.add("index.md", "home.md.j2", quartiers=quartiers)
    site.add(
        "quartiers/index.md",
        "quartiers_index.md.j2",
        quartiers=quartiers,
        former=site.obs.former_quartiers(),
        by_commune=dict(sorted(by_commune.items(), key=lambda item: _sort_key(item[0]))),
    )


def _quartier_page(site: _Pages, quartier, changed: Changes) -> None:
    obs = site.obs
    blocks = quartier_blocks(obs, quartier)
    territories = [quartier.id, *obs.references(quartier)]
    related = [t.id for t in obs.referential.related_to(quartier.id)]
    figures = obs.figures_of_territories([*territories, *related])
    shown = figures[figures["indicator"].isin([b.indicator.id for b in blocks]) | figures["territory"].isin(related)]
    site.downloads(f"quartiers/{quartier.id}", f"{quartier.name} ({quartier.id}) — {obs.config.title}", shown)
    trends = {
        b.indicator.id: series_view(
            obs,
            b.indicator,
            territories,
            {quartier.id},
            f"serie-{b.indicator.id}",
            f"{b.indicator.chart_label} : {quartier.name} et ses références au fil des millésimes",
        )
        for b in blocks
    }
    site.add(
        quartier_path(quartier.id),
        "quartier.md.j2",
        quartier=quartier,
        contracts=obs.contracts_of(quartier),
        blocks=blocks,
        trends=trends,
        evolutions={b.indicator.id: evolutions(obs, b.indicator, quartier) for b in blocks},
        related=related_figures(obs, quartier),
        predecessors=obs.referential.predecessors(quartier.id),
        merged=predecessor_figures(obs, quartier),
        colleges=commune_colleges(obs, quartier),
        missing=missing_indicators(obs, quartier),
        changed=changed,
    )


def _former_page(site: _Pages, former) -> None:
    """A 2015 quartier that left the geography in 2024: its history, findable under its 2015 code."""
    obs = site.obs
    figures = obs.figures_of_territories([former.id])
    site.downloads(f"quartiers/{former.id}", f"{former.name} ({former.id}) — {obs.config.title}", figures)
    link = obs.referential.qp2015[former.id][0]
    site.add(
        quartier_path(former.id),
        "quartier_2015.md.j2",
        quartier=former,
        link=link,
        views=territory_figures(obs, former.id),
    )


def _enjeu_page(site: _Pages, enjeu) -> None:
    obs = site.obs
    rankings = enjeu_rankings(obs, enjeu.number)
    trends = {
        view.indicator.id: series_view(
            obs,
            view.indicator,
            _territories_of(obs, view.indicator.id),
            set(),
            f"serie-{view.indicator.id}",
            f"{view.indicator.chart_label} : quartiers et références au fil des millésimes",
        )
        for view in rankings
    }
    ids = [i.id for i in obs.catalog.values() if i.enjeu == enjeu.number]
    title = f"Enjeu {enjeu.number} — {obs.config.title}"
    site.downloads(f"enjeux/{enjeu.slug}", title, obs.figures[obs.figures["indicator"].isin(ids)])
    site.add(f"enjeux/{enjeu.slug}.md", "enjeu.md.j2", enjeu=enjeu, rankings=rankings, trends=trends)


def _indicator_page(site: _Pages, indicator) -> None:
    obs = site.obs
    periods = obs.periods_of(indicator.id)
    rankings = [ranking(obs, indicator, period, f"graphique-{index + 1}") for index, period in enumerate(periods)]
    trend = series_view(
        obs,
        indicator,
        _territories_of(obs, indicator.id),
        set(),
        "serie",
        f"{indicator.chart_label} : tous les territoires au fil des millésimes",
    )
    site.downloads(
        f"indicateurs/{indicator.id}", f"{indicator.label} — {obs.config.title}", obs.figures_of(indicator.id)
    )
    site.add(f"indicateurs/{indicator.id}.md", "indicator.md.j2", indicator=indicator, rankings=rankings, trend=trend)


MAX_SERIES_QUARTIERS = 50  # beyond this, a line per quartier is unreadable: references only


def _territories_of(obs: Observatory, indicator_id: str) -> list[str]:
    """Quartiers first (by code, when there are few enough to read), then the other territories
    with a figure of the indicator."""
    present = set(obs.figures_of(indicator_id)["territory"])
    quartiers = [q.id for q in obs.quartiers() if q.id in present]
    others = sorted(present - set(quartiers) - obs.quartier_ids() - obs.quartiers_2015())
    return (quartiers if len(quartiers) <= MAX_SERIES_QUARTIERS else []) + others


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case (Armentières before Billy-Montigny)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
