"""Jinja2 environment and page list: views → Markdown pages (with HTML blocks) for MkDocs."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined, meta, select_autoescape
from markupsafe import Markup, escape

from observatory.figures.editions import Changes, Edition
from observatory.figures.observatory import Observatory, derived
from observatory.hashing import digest
from observatory.numbers import format_number, french_date
from observatory.pages.changes import build_changes_view
from observatory.pages.committee import build_committee
from observatory.pages.common import departement_links
from observatory.pages.downloads import ALL_DATA, ALL_DATA_XLSX, FOLDER, all_data_csv, all_data_xlsx, page_downloads
from observatory.pages.indexes import (
    build_editions_view,
    build_enjeux_index_view,
    build_home_view,
    build_indicators_index_view,
    build_quartiers_index_view,
)
from observatory.pages.map_views import build_departement_map_view, build_map_views
from observatory.pages.page_types import TEMPLATES
from observatory.pages.parallel import Rendered, render_owned
from observatory.pages.perimeters import build_perimeter_view, build_perimeters_index, build_sectors, iris_periods
from observatory.pages.quartier import (
    OTHERS,
    build_others_view,
    build_quartier_2015_view,
    build_quartier_view,
    build_section_view,
    has_others,
    layout_of,
)
from observatory.pages.rankings import (
    build_enjeu_view,
    build_indicator_view,
    enjeu_scope,
)
from observatory.pages.sources import build_sources_view
from observatory.pages.staged import Staged, stage
from observatory.pages.text import of_name
from observatory.pages.views import quartier_blocks
from observatory.timing import timed

Fingerprint = Callable[[str, set], str]  # (page, its lookups of figures) → hash of what they read
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md_inline(text: object) -> Markup:
    """Data text placed in Markdown (headings): HTML-escaped, Markdown syntax neutralised."""
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False)))


def prose(text: object) -> Markup:
    """Configured wording placed in an HTML element: <, > and & escaped, quotes kept as written."""
    return Markup(html.escape(str(text), quote=False))


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


#: What every template is given besides the fields of its view: where the page is (`root`: the
#: edition's root, `latest_root`: the latest edition's) and the downloads folder (`DOWNLOADS`).
LAYOUT = ("root", "latest_root", "DOWNLOADS")


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
    env.filters["prose"] = prose
    env.filters["front_title"] = front_matter_title
    env.filters["number"] = format_number
    env.filters["date"] = french_date
    env.filters["of_name"] = of_name  # « de » contracted: « d'Armentières », « du Nord »
    env.globals["DOWNLOADS"] = FOLDER
    return env


def quartier_path(code: str) -> str:
    return f"quartiers/{code}.md"


@derived("template")
def template_text(obs: Observatory, name: str) -> str:
    """The hash of a page template and of every template it imports, includes or extends: a page
    records it, and is rendered again when it changes (only the pages of that template)."""
    env = Environment(loader=FileSystemLoader(str(obs.config.templates / "pages")))
    texts: dict[str, str] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in texts:
            continue
        texts[current] = env.loader.get_source(env, current)[0]
        referenced = list(meta.find_referenced_templates(env.parse(texts[current])))
        todo += env.list_templates() if None in referenced else referenced  # a name known only when rendering
    return digest(*(f"{key}\n{text}" for key, text in sorted(texts.items())))


class _Pages:
    """The pages and downloads of one edition being rendered."""

    def __init__(
        self,
        obs: Observatory,
        edition: Edition,
        fingerprint: Fingerprint | None = None,
        staging: Path | None = None,
        chunks: Path | None = None,
    ) -> None:
        self.obs, self.edition, self.fingerprint, self.staging = obs, edition, fingerprint, staging
        self.chunks = chunks
        self.env = environment(str(obs.config.templates / "pages"))
        self.env.filters["glossary"] = glossary_linker(obs.editorial.glossary)
        self.files: dict[str, str | bytes | Staged] = {}
        self.reads: dict[str, tuple[set, str, list[str]] | None] = {}  # {page: (lookups, fingerprint, files)}

    def owned(self, path: str, skip: frozenset[str], render, *args) -> Rendered:
        """A page with downloads, unless skipped: its files and its lookups of figures (None if skipped)."""
        files, self.files = self.files, {}
        try:
            if path in skip:
                return Rendered(path, {}, None)
            with self.obs.recording() as reads:
                render(self, *args)
            written = self.files
            if self.staging is not None:  # written where it was rendered: only where it is is handed over
                written = {name: stage(self.staging, name, content) for name, content in written.items()}
            return Rendered(path, written, reads, self.fingerprint(path, reads) if self.fingerprint else "")
        finally:
            self.files = files

    def take(self, rendered: list[Rendered]) -> None:
        """Pages rendered by `owned`, here or in another process, in their order."""
        for page in rendered:
            self.files.update(page.files)
            self.reads[page.path] = None if page.reads is None else (page.reads, page.fingerprint, sorted(page.files))

    @timed("render")
    def add(self, path: str, view: object) -> None:
        """The page at `path`: its view's template, given the view's fields and the page's place."""
        root = root_of(path)
        context = {item.name: getattr(view, item.name) for item in fields(view)}
        layout = {"root": root, "latest_root": root if self.edition.latest else root + "../../"}
        name = TEMPLATES[type(view)]
        self.obs.derived("template", name)  # recorded: a page depends on its template's text
        self.files[path] = self.env.get_template(name).render(**layout, **context)

    def downloads(self, name: str, title: str, figures) -> None:
        self.files.update(page_downloads(self.obs, name, title, figures, self.edition.date, self.chunks))


def render_pages(
    obs: Observatory,
    edition: Edition,
    editions: list[Edition],
    changed: Changes | None = None,
    skip: frozenset[str] = frozenset(),
    reads: dict[str, tuple[set, str, list[str]] | None] | None = None,
    fingerprint: Fingerprint | None = None,
    staging: Path | None = None,
    chunks: Path | None = None,
) -> dict[str, str | bytes | Staged]:
    """Every page of one edition, as {docs-relative path: Markdown text}, with its downloads (bytes),
    except the quartier, enjeu and indicator pages (and département maps) listed in `skip`
    (unchanged since the last incremental build) and their downloads. Writes nothing but into
    `staging`, and `reads`: it is given, for each of those pages, the lookups of figures it made,
    their `fingerprint(page, lookups)` and the files it wrote (None: skipped).
    Those pages are rendered on every core (parallel.py), in the same order and to the same bytes
    as on one; with `staging`, their files are written there as soon as rendered and given as
    `Staged` (staged.py). A download of more than one chunk of rows keeps its chunks in
    `chunks` (downloads._chunked) and makes again only those whose rows changed."""
    changed = changed or Changes(previous=None)
    site = _Pages(obs, edition, fingerprint, staging, chunks)
    quartiers = [(quartier_path(q.id), _quartier_page, (q, changed)) for q in obs.quartiers()]
    quartiers += [(quartier_path(former.id), _former_page, (former,)) for former in obs.former_quartiers()]
    codes = [d.code for d in departement_links(obs, obs.quartiers())] if obs.config.pages_by == "departement" else []
    enjeux = [
        (enjeu_path(e.slug, code), _enjeu_page, (e, code))
        for e in obs.editorial.enjeux.values()
        for code in ["", *codes]
    ]
    indicators = [(f"indicateurs/{i.id}.md", _indicator_page, (i,)) for i in obs.catalog.values()]
    all_data = [(ALL_DATA, _all_data_csv, ()), (ALL_DATA_XLSX, _all_data_xlsx, ())]
    map_view, indicator_maps = build_map_views(obs)  # before forking: the processes inherit the contours it read
    maps = [(f"carte/{d.code}.md", _departement_map_page, (d.code,)) for d in map_view.departements]
    rendered = iter(render_owned(site, [*all_data, *quartiers, *enjeux, *indicators, *maps], skip))
    site.take([next(rendered) for _ in all_data])
    site.add("index.md", build_home_view(obs, edition))
    site.add("quartiers/index.md", build_quartiers_index_view(obs))
    site.take([next(rendered) for _ in quartiers])
    site.add("enjeux/index.md", build_enjeux_index_view(obs))
    site.take([next(rendered) for _ in enjeux])
    site.add("indicateurs/index.md", build_indicators_index_view(obs))
    site.take([next(rendered) for _ in indicators])
    committee, committee_pages, committee_downloads = build_committee(obs, edition)
    site.add("comite.md", committee)
    for indicator_id, view in committee_pages.items():
        site.add(f"comite/{indicator_id}.md", view)
    site.files.update(committee_downloads)
    _beyond_quartiers(site)
    site.add("changements.md", build_changes_view(obs, edition, changed))
    site.add("carte.md", map_view)
    for indicator_id, view in indicator_maps.items():
        site.add(f"carte/{indicator_id}.md", view)
    site.take([next(rendered) for _ in maps])
    site.add("editions/index.md", build_editions_view(edition, editions))
    site.add("sources.md", build_sources_view(obs))
    if reads is not None:
        reads.update(site.reads)
    return site.files


def _beyond_quartiers(site: _Pages) -> None:
    """The périmètres d'attention and the sectors under the threshold (none in an edition without
    IRIS files), and their index, which the nav names: always written."""
    obs = site.obs
    sectors, sector_downloads = build_sectors(obs, site.edition)
    perimeters = obs.perimeters if iris_periods(obs) else ()
    site.add("perimetres/index.md", build_perimeters_index(obs, perimeters, sectors))
    for perimeter in perimeters:
        site.add(f"perimetres/{perimeter.id}.md", build_perimeter_view(obs, perimeter))
    for slug, view in sectors.items():
        site.add(f"perimetres/{slug}.md", view)
    site.files.update(sector_downloads)


def _all_data_csv(site: _Pages) -> None:
    site.files.update(all_data_csv(site.obs, site.edition.id, site.edition.date, site.chunks))


def _all_data_xlsx(site: _Pages) -> None:
    site.files.update(all_data_xlsx(site.obs, site.edition.date, site.chunks))


def _quartier_page(site: _Pages, quartier, changed: Changes) -> None:
    """A quartier's page (the answer first), a page per section of its contract's layout, the page
    of its linked territories when it has some, and the downloads of all their figures."""
    obs = site.obs
    blocks = quartier_blocks(obs, quartier)
    territories = [quartier.id, *obs.references(quartier)]
    related = [t.id for t in obs.referential.related_to(quartier.id)]
    figures = obs.figures_of_territories([*territories, *related])
    shown = figures[figures["indicator"].isin([b.indicator.id for b in blocks]) | figures["territory"].isin(related)]
    site.downloads(f"quartiers/{quartier.id}", f"{quartier.name} ({quartier.id}) — {obs.config.title}", shown)
    site.add(quartier_path(quartier.id), build_quartier_view(obs, quartier, changed, blocks, site.edition))
    for section in layout_of(obs, quartier).sections:
        site.add(f"quartiers/{quartier.id}/{section.slug}.md", build_section_view(obs, quartier, section, blocks))
    if has_others(obs, quartier):
        site.add(f"quartiers/{quartier.id}/{OTHERS}.md", build_others_view(obs, quartier))


def _former_page(site: _Pages, former) -> None:
    """A 2015 quartier that left the geography in 2024: its history, findable under its 2015 code."""
    obs = site.obs
    figures = obs.figures_of_territories([former.id])
    site.downloads(f"quartiers/{former.id}", f"{former.name} ({former.id}) — {obs.config.title}", figures)
    site.add(quartier_path(former.id), build_quartier_2015_view(obs, former))


def enjeu_path(slug: str, departement: str = "") -> str:
    """An enjeu's page, or its page for one département."""
    return f"enjeux/{slug}/{departement}.md" if departement else f"enjeux/{slug}.md"


def _enjeu_page(site: _Pages, enjeu, departement: str) -> None:
    """An enjeu's page, or its page for one département (`pages.by: departement`) with the
    figures of its territories in its downloads."""
    obs = site.obs
    scope = enjeu_scope(obs, enjeu, departement)
    view = build_enjeu_view(obs, enjeu, departement, scope)
    if scope.figures is not None:  # a département's: its indicators' figures of its territories
        figures = scope.figures
        title = f"Enjeu {enjeu.number}, {view.place} — {obs.config.title}"
    else:
        figures = obs.figures_of_indicators([i.id for i in obs.catalog.values() if i.enjeu == enjeu.number])
        title = f"Enjeu {enjeu.number} — {obs.config.title}"
    site.downloads(view.download, title, figures)
    site.add(enjeu_path(enjeu.slug, departement), view)


def _departement_map_page(site: _Pages, code: str) -> None:
    """A département's map (`pages.by: departement`): no downloads (its figures are on its
    quartiers' and its enjeu pages)."""
    site.add(f"carte/{code}.md", build_departement_map_view(site.obs, code))


def _indicator_page(site: _Pages, indicator) -> None:
    obs = site.obs
    view, periods = build_indicator_view(obs, indicator)
    site.downloads(
        f"indicateurs/{indicator.id}", f"{indicator.label} — {obs.config.title}", obs.figures_of(indicator.id)
    )
    site.add(f"indicateurs/{indicator.id}.md", view)
    for slug, period in periods.items():
        site.add(f"indicateurs/{indicator.id}/{slug}.md", period)
