"""Benchmark: the national observatory against the MkDocs floor, in the same run.

`python -m observatory bench --data-dir DIR [--limit N]` builds the national configuration
(configs/france) from DIR, restricted to the first N quartiers, then a plain MkDocs build of the
same pages with trivial content, same theme and navigation settings (the floor). It reports the
wall time per stage, peak memory, pages, site size and largest page, and ends with one line
`ratio=<build/floor> pages=<n> site_mb=<size> max_page_kb=<size>`.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from observatory import timing
from observatory.figures.editions import Edition, current_edition
from observatory.figures.observatory import Observatory
from observatory.inputs.sources.tabular import read_table
from observatory.inputs.territories import Referential
from observatory.numbers import format_number, parse_french_number
from observatory.pages.parallel import processes
from observatory.pipeline import cache_of, load, plan, publish_planned
from observatory.publish.incremental import Manifest
from observatory.publish.site import run_mkdocs, write_docs

NATIONAL = Path(__file__).resolve().parent.parent / "configs" / "france" / "observatory.yml"
STAGES = ["read", "validate", "compare", "charts", "render", "downloads", "fingerprints", "write", "mkdocs"]
PAGES = "pages"  # waiting for the forked processes rendering the pages with downloads (pages/parallel.py)


def limit(obs: Observatory, count: int | None) -> Observatory:
    """The observatory restricted to its first `count` quartiers (by code)."""
    if count is None:
        return obs
    keep = {q.id for q in obs.quartiers()[:count]}
    territories = {
        key: t
        for key, t in obs.referential.territories.items()
        if (t.kind != "quartier" or key in keep) and (t.kind != "quartier2015" or set(t.related) & keep)
    }
    referential = Referential(territories=territories, aliases=obs.referential.aliases, qp2015=obs.referential.qp2015)
    limited = replace(obs, referential=referential, figures=obs.figures.iloc[0:0])  # a table indexed once
    shown = set(keep)
    for quartier in limited.quartiers():
        shown.update(limited.references(quartier))
        shown.update(t.id for t in referential.related_to(quartier.id))
    figures = obs.figures[obs.figures["territory"].isin(shown)].reset_index(drop=True)
    return replace(limited, figures=figures)


def _site_stats(site: Path) -> tuple[float, float, float, int]:
    """(total MB, largest page KB, largest quartier page KB, pages)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.name == "index.html"]
    quartiers = [p for p in pages if p.parent.parent.name == "quartiers"]
    total = sum(p.stat().st_size for p in files) / 1_000_000
    largest = max((p.stat().st_size for p in pages), default=0) / 1000
    largest_quartier = max((p.stat().st_size for p in quartiers), default=0) / 1000
    return total, largest, largest_quartier, len(pages)


def floor(obs: Observatory, paths: list[str], work: Path) -> float:
    """Seconds MkDocs alone takes for the same pages with trivial content."""
    pages = {path: f"# Page {index}\n\nTexte de la page.\n" for index, path in enumerate(sorted(paths))}
    docs, site = work / "floor-docs", work / "floor-site"
    deferred = write_docs(pages, obs.config.templates / "assets", docs)
    start = time.perf_counter()
    edition = Edition(id="floor", label="floor", date=obs.config.edition_date, latest=True)
    run_mkdocs(obs.config, docs, site, edition, deferred)
    return time.perf_counter() - start


CHANGED_FILE = "qpv-2015/REVN_2022.csv"  # the file the incremental run changes, one cell of it
CHANGED_COLUMN = "TP60"


def set_cell(path: Path, code: str, column: str, value: str) -> None:
    """Rewrite one cell of a producer file as the producer would republish it, bytes otherwise kept."""
    lines = path.read_bytes().split(b"\n")
    index = lines[0].lstrip(b"\xef\xbb\xbf").split(b";").index(column.encode())
    for number, line in enumerate(lines):
        if line.startswith(code.encode() + b";"):
            cells = line.split(b";")
            cells[index] = value.encode()
            lines[number] = b";".join(cells)
    path.write_bytes(b"\n".join(lines))


def _build(config: Path, site_dir: Path, data_dir: Path, count: int | None) -> tuple[Observatory, Manifest]:
    """The current edition of the national configuration, as an incremental build does it."""
    obs = limit(load(config, site_dir, data_dir, incremental=True), count)
    edition = current_edition(obs.config)
    cache = cache_of(obs.config.site_dir)
    site, manifest = plan(obs, edition, [edition], None, cache, obs.config.site_dir)
    publish_planned(obs.config, [(site, manifest)], cache)
    return obs, manifest


def _change_one_figure(obs: Observatory, data_dir: Path) -> str:
    """A producer's correction: the poverty rate of the build's median quartier in CHANGED_FILE,
    plus 0,1 point (a correction that moves no quartier to the top or bottom of the ranking:
    that one would rightly change every page naming the extremes)."""
    path = data_dir / CHANGED_FILE
    table, _ = read_table(path, ("CODGEO",))
    code_at, value_at = table.header.index("CODGEO"), table.header.index(CHANGED_COLUMN)
    quartiers = obs.quartier_ids()
    shown = {code for code, links in obs.referential.qp2015.items() if any(x.qn2024 in quartiers for x in links)}
    values = []
    for _, cells in table.rows:
        if cells[code_at] in shown:
            try:
                values.append((parse_french_number(cells[value_at])[0], cells[code_at]))
            except ValueError:
                continue  # secret statistique, empty
    value, code = sorted(values)[len(values) // 2]
    set_cell(path, code, CHANGED_COLUMN, format_number(value + 0.1, 1).replace("\u00a0", " "))
    return f"{CHANGED_FILE}, {CHANGED_COLUMN} de {code} : {format_number(value, 1)} → {format_number(value + 0.1, 1)}"


ROOT = NATIONAL.parent.parent.parent
CHANGED_TEMPLATE = "indicator.md.j2"  # the template the last run changes: one word of it


def project_copy(config: Path, work: Path) -> Path | None:
    """The configuration inside a copy of the project whose templates the bench may change: the
    configurations and templates copied, every other entry linked. None for a configuration
    outside the project."""
    if not config.resolve().is_relative_to(ROOT):
        return None
    project = work / "project"
    project.mkdir()
    for entry in sorted(ROOT.iterdir()):
        if entry.name in {"configs", "templates"}:
            shutil.copytree(entry, project / entry.name)
        elif not entry.name.startswith((".", "site")):
            (project / entry.name).symlink_to(entry)
    return project / config.resolve().relative_to(ROOT)


def _template_change(config: Path, site: Path, data: Path, count: int | None) -> str:
    """Change a word of CHANGED_TEMPLATE and build again: which pages are rendered again."""
    template = config.parent.parent.parent / "templates" / "pages" / CHANGED_TEMPLATE
    template.write_text(template.read_text(encoding="utf-8").replace("Producteur<", "Producteur cité<"), "utf-8")
    start = time.perf_counter()
    _, manifest = _build(config, site, data, count)
    seconds = time.perf_counter() - start
    owned = sorted(p for p in manifest.rendered if p in manifest.reads)  # fingerprinted: downloads, or a map
    of_template = [p for p in owned if p.startswith("indicateurs/")]
    return (
        f"after a change of {CHANGED_TEMPLATE}: {len(owned)} pages with downloads rendered again, "
        f"{len(of_template)} of them indicator pages ({len(owned) - len(of_template)} others), "
        f"plus the {len(manifest.rendered) - len(owned)} pages without downloads (rendered at every build); "
        f"{seconds:.2f} s"
    )


def run(data_dir: Path, count: int | None, config: Path = NATIONAL) -> str:
    timing.reset()
    work = Path(tempfile.mkdtemp(prefix="observatory-bench-"))
    try:
        data = work / "data"
        shutil.copytree(data_dir, data)
        own = project_copy(config, work)
        config = own or config
        start = time.perf_counter()
        obs, manifest = _build(config, work / "site", data, count)
        build_seconds = time.perf_counter() - start
        stages, elsewhere = dict(timing.totals), dict(timing.elsewhere)
        # peaks of the full build alone: the later runs hold its observatory besides their own
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        floor_seconds = floor(obs, [p for p in manifest.contents if p.endswith(".md")], work)
        site_mb, largest_kb, largest_quartier_kb, page_count = _site_stats(obs.config.site_dir)
        index_kb = (obs.config.site_dir / "search" / "search_index.json").stat().st_size / 1000
        changed = _change_one_figure(obs, data) if (data / CHANGED_FILE).exists() else ""
        start = time.perf_counter()
        if changed:
            _build(config, work / "site", data, count)
        incremental_seconds = time.perf_counter() - start
        template_line = _template_change(config, work / "site", data, count) if own else ""
        lines = [f"quartiers={len(obs.quartiers())} figures={len(obs.figures)} processes={processes()}"]
        lines += [
            f"stage {name}: {stages.get(name, 0.0):.2f} s"
            + (f" (+ {elsewhere[name]:.2f} s in the page processes)" if elsewhere.get(name) else "")
            for name in STAGES
        ]
        lines.append(f"stage {PAGES} (wall time, page processes): {stages.get(PAGES, 0.0):.2f} s")
        lines.append(f"stage other: {build_seconds - sum(stages.get(n, 0.0) for n in [*STAGES, PAGES]):.2f} s")
        lines.append(
            f"build: {build_seconds:.2f} s ; floor (MkDocs alone, same pages, trivial content): {floor_seconds:.2f} s"
        )
        if changed:
            lines.append(
                f"incremental rebuild after one changed file ({changed}): {incremental_seconds:.2f} s, "
                f"{100 * incremental_seconds / build_seconds:.0f} % of the full build"
            )
        if template_line:
            lines.append(template_line)
        lines.append(
            f"peak_memory_mb={peak_mb:.0f} (largest page process: {peak_child_mb:.0f}) "
            f"max_quartier_page_kb={largest_quartier_kb:.0f} search_index_kb={index_kb:.0f}"
        )
        lines.append(
            f"ratio={build_seconds / floor_seconds:.2f} pages={page_count} site_mb={site_mb:.1f} "
            f"max_page_kb={largest_kb:.0f}"
        )
        return "\n".join(lines)
    finally:
        shutil.rmtree(work, ignore_errors=True)
