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
from observatory.editions import Edition, current_edition
from observatory.observatory import Observatory
from observatory.pipeline import load
from observatory.render import render_pages
from observatory.site import publish, run_mkdocs, write_docs
from observatory.territories import Referential

NATIONAL = Path(__file__).resolve().parent.parent / "configs" / "france" / "observatory.yml"
STAGES = ["read", "validate", "compare", "charts", "render", "mkdocs"]


def limit(obs: Observatory, count: int | None) -> Observatory:
    """The observatory restricted to its first `count` quartiers (by code)."""
    if count is None:
        return obs
    keep = {q.id for q in obs.quartiers()[:count]}
    territories = {key: t for key, t in obs.referential.territories.items() if t.kind != "quartier" or key in keep}
    referential = Referential(territories=territories, aliases=obs.referential.aliases, qp2015=obs.referential.qp2015)
    limited = replace(obs, referential=referential)
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


def run(data_dir: Path, count: int | None, config: Path = NATIONAL) -> str:
    timing.reset()
    work = Path(tempfile.mkdtemp(prefix="observatory-bench-"))
    try:
        start = time.perf_counter()
        obs = limit(load(config, work / "site", data_dir), count)
        edition = current_edition(obs.config)
        pages = render_pages(obs, edition=edition, editions=[edition])
        site = publish(obs.config, [(edition, pages)])
        build_seconds = time.perf_counter() - start
        stages = dict(timing.totals)
        floor_seconds = floor(obs, [p for p in pages if p.endswith(".md")], work)
        site_mb, largest_kb, largest_quartier_kb, page_count = _site_stats(site)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines = [f"quartiers={len(obs.quartiers())} figures={len(obs.figures)}"]
        lines += [f"stage {name}: {stages.get(name, 0.0):.2f} s" for name in STAGES]
        lines.append(f"stage other: {build_seconds - sum(stages.get(n, 0.0) for n in STAGES):.2f} s")
        lines.append(
            f"build: {build_seconds:.2f} s ; floor (MkDocs alone, same pages, trivial content): {floor_seconds:.2f} s"
        )
        lines.append(f"peak_memory_mb={peak_mb:.0f} max_quartier_page_kb={largest_quartier_kb:.0f}")
        lines.append(
            f"ratio={build_seconds / floor_seconds:.2f} pages={page_count} site_mb={site_mb:.1f} "
            f"max_page_kb={largest_kb:.0f}"
        )
        return "\n".join(lines)
    finally:
        shutil.rmtree(work, ignore_errors=True)
