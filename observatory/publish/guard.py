"""The site folder is the build's only victim: a build replaces a folder only if it is absent,
empty, or a site this project built (its marker file, or the shape of a site built before the
marker existed), and never a folder that holds the project, its inputs or a repository."""

from __future__ import annotations

from pathlib import Path

from observatory.errors import ObservatoryError, Problem

MARKER = ".observatoire-site"
EXTRACT_MARKER = "MANIFEST.csv"  # written by `observatory extract` (inputs/extract.py)
MARKER_TEXT = "Site construit par l'observatoire des quartiers : une construction peut remplacer ce dossier.\n"
# What every site built before the marker existed holds (Plotly's bundle at this path is the project's own).
FORMER_SITE_SHAPE = ("sitemap.xml", "search/search_index.json", "assets/javascripts/plotly-basic.min.js")
PACKAGE = Path(__file__).resolve().parent.parent
PROJECT_FILES = (".git", "observatory.yml", "pyproject.toml", "build.py")


def _refuse(target: Path, found: str, what: str = "site") -> ObservatoryError:
    expected = (
        "un dossier absent, vide ou déjà construit par l'observatoire (il contient le fichier " + MARKER + ")"
        if what == "site"
        else "un dossier absent, vide ou un extrait déjà écrit par l'observatoire (il contient MANIFEST.csv)"
    )
    return ObservatoryError(
        [
            Problem(
                file=str(target),
                expected=expected,
                found=found,
                hint="Rien n'a été écrit ni supprimé. Choisissez un autre dossier de sortie.",
            )
        ],
        "Le dossier de sortie n'est pas remplaçable :",
    )


def _holds(folder: Path, inputs: list[Path]) -> str | None:
    """What of the project or its inputs lies in (or is) `folder`, if anything."""
    for name in PROJECT_FILES:
        if (folder / name).exists():
            return f"il contient {name}"
    for path in inputs:
        resolved = path.resolve()
        if resolved == folder or folder in resolved.parents:
            return f"il contient {path}, une entrée de la construction"
    return None


def check_replaceable(target: Path, inputs: list[Path], marker: str = MARKER, shape=FORMER_SITE_SHAPE) -> None:
    """Raise, in French, unless `target` may be deleted and replaced by a build's output.

    `inputs` are the files and folders the build reads (configuration, data, templates…): a
    folder that is one of them or holds one is never replaced, marker or not."""
    what = "extrait" if marker == EXTRACT_MARKER else "site"
    if not target.exists():
        return
    if not target.is_dir():
        raise _refuse(target, "un fichier ordinaire", what)
    folder = target.resolve()
    holds = _holds(folder, inputs)
    if holds:
        raise _refuse(target, holds, what)
    if not any(folder.iterdir()) or (folder / marker).is_file():
        return
    if shape and all((folder / part).is_file() for part in shape):
        return
    raise _refuse(target, "un dossier qui n'a pas été construit par l'observatoire", what)


def inputs_of(config) -> list[Path]:
    """Every file and folder a build of this configuration reads."""
    paths = [config.path, PACKAGE]
    for name in (
        "quartiers",
        "territories",
        "figures",
        "sources",
        "enjeux",
        "catalog",
        "mkdocs",
        "correspondence",
        "producers",
        "data_dir",
        "contours",
        "glossary",
        "gaps",
        "perimeters",
        "extract",
    ):
        value = getattr(config, name)
        if value is not None:
            paths.append(value)
    return paths


def mark(site: Path) -> None:
    """Write the marker that lets the next build replace this site (unlinked first: an incremental
    build's copy is linked to the published site, never written into)."""
    (site / MARKER).unlink(missing_ok=True)
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
