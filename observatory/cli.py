"""Command line: build, check, referential. Turns ObservatoryError into French messages and an exit code."""

from __future__ import annotations

import argparse
import errno
import sys
import time
from pathlib import Path

from observatory.errors import ObservatoryError
from observatory.publish.guard import MARKER

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "observatory.yml"
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="observatory", description="Observatoire des quartiers prioritaires")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="construit le site statique")
    build.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="fichier de configuration (observatory.yml)")
    build.add_argument(
        "--site-dir", type=Path, default=None, help="dossier de sortie (remplace celui de la configuration)"
    )
    build.add_argument("--data-dir", type=Path, default=None, help="dossier des fichiers des producteurs à lire")
    build.add_argument(
        "--incremental",
        action="store_true",
        help="ne refait que les pages dont les données ont changé depuis la dernière construction incrémentale",
    )
    check = commands.add_parser("check", help="vérifie les données sans construire le site")
    check.add_argument("path", type=Path, nargs="?", default=None, help="dossier ou fichier de producteur à vérifier")
    check.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    bench = commands.add_parser("bench", help="mesure la construction nationale face au plancher MkDocs")
    bench.add_argument("--data-dir", type=Path, required=True, help="dossier des fichiers des producteurs")
    bench.add_argument("--limit", type=int, default=None, help="nombre de quartiers (pour un essai court)")
    bench.add_argument("--config", type=Path, default=None, help="configuration (par défaut : configs/france)")
    extract = commands.add_parser(
        "extract", help="extrait des fichiers des producteurs les lignes des territoires configurés"
    )
    extract.add_argument(
        "--from", dest="source", type=Path, default=SHARED_DATA, help="dossier des fichiers des producteurs"
    )
    extract.add_argument("--out", type=Path, default=None, help="dossier de l'extrait (par défaut : data.extract)")
    extract.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    referential = commands.add_parser("referential", help="extrait les quartiers 2024 de la couche de l'ANCT")
    referential.add_argument("layer", type=Path, help="couche GeoJSON des quartiers 2024 (ANCT)")
    referential.add_argument("--epci", action="append", required=True, help="SIREN d'un EPCI (répétable)")
    referential.add_argument("--out", type=Path, required=True, help="fichier CSV à écrire")
    return parser


def _print_accounts(accounts) -> None:
    """Row accounting of the producer files: rows read = rows used + rows reported, the figures each
    contributed; a file that contributes nothing is named with the reason and what to do."""
    silent = []
    for account in accounts:
        if not account.mapping:
            print(f"{account.file} : fichier non reconnu (aucune table de correspondance dans data/producers), non lu")
            silent.append((account.file, "format inconnu : ajoutez une table de correspondance dans data/producers"))
            continue
        details = ", ".join(f"{count} {reason}" for reason, count in sorted(account.reported.items()))
        print(
            f"{account.file} ({account.mapping}) : {account.read} lignes lues = {account.used} utilisées"
            + (f" + {details}" if details else "")
            + f" ; {account.figures} chiffres"
            + (f" ; rôle : {account.role}" if account.role else "")
            + ("" if account.balanced else " — COMPTE NON ÉQUILIBRÉ")
        )
        for warning in account.warnings:
            print(f"  attention : {warning}")
        if not account.figures and not account.role:
            reason = (
                "territoires hors du champ : aucune ligne ne concerne les territoires configurés "
                "(vérifiez les contrats d'observatory.yml ou le fichier)"
                if account.used == 0
                else f"millésime non établi : aucun groupe de colonnes publié (documentez la période dans "
                f"data/producers/{account.mapping}.yml)"
            )
            silent.append((account.file, reason))
    for name, reason in silent:
        print(f"AVERTISSEMENT : {name} n'apporte aucun chiffre : {reason}.")


def _print_missing_references(obs) -> None:
    """A reference file (one level: EPCI, département, région) that lacks a configured territory."""
    expected = {"epci": set(), "dep": set(), "reg": set()}
    for quartier in obs.quartiers():
        for contract in obs.contracts_of(quartier):
            expected["epci"].update(obs.referential.resolve(f"epci-{s}") or f"epci-{s}" for s in contract.epci)
        expected["dep"].add(f"dep-{quartier.departement}")
        expected["reg"].add(f"reg-{quartier.region}")
    for account in obs.accounts:
        levels = {territory.split("-", 1)[0] for territory in account.territories}
        if len(levels) != 1 or not levels <= set(expected):
            continue
        missing = sorted(expected[levels.pop()] - account.territories)
        if missing:
            names = ", ".join(obs.territory(t).label if t in obs.referential.territories else t for t in missing)
            print(
                f"AVERTISSEMENT : {account.file} n'a pas de chiffre pour {names} : pas de comparaison avec ce "
                "territoire pour ce millésime, les pages le disent."
            )


def _print_undated(mappings) -> None:
    """Groups published with their publication year only: never compared over time."""
    for mapping in mappings:
        for edition, groups in mapping.editions.items():
            for group in groups:
                if group.published and not group.dated:
                    names = ", ".join([*group.columns.values(), *group.ratios])
                    print(
                        f"Sans date d'observation établie ({mapping.id}, édition {edition}, {group.producer}) : "
                        f"{names} — publiés avec l'année de publication seulement, jamais comparés dans le temps."
                    )


def _print_perimeters(obs) -> None:
    """The périmètres d'attention whose IRIS list no person confirmed, and their declared IRIS that a
    millésime's file lacks (the page says it too)."""
    from observatory.inputs.perimeters import unconfirmed
    from observatory.pages.perimeters import absent_iris

    if obs.config.perimeters is None:
        return
    for line in unconfirmed(obs.config.perimeters, obs.perimeters):
        print(f"À CONFIRMER : {line}")
    for line in absent_iris(obs):
        print(f"AVERTISSEMENT : {line}")


def _check_archives(config, folder: Path | None) -> None:
    """The configured producers' folder (no DOSSIER) must hold every file the archived editions
    declare, as for the build; a DOSSIER given to `check` may hold a few producer files only:
    what a build from it would refuse is said, without failing the check."""
    from observatory.figures.editions import absent_files
    from observatory.pipeline import check_archives

    if folder is None:
        check_archives(config)
        return
    absent: dict[str, list[str]] = {}
    for index, _, pattern in absent_files(config, folder):
        absent.setdefault(config.archives[index]["id"], []).append(pattern)
    if absent:
        listed = " ; ".join(f"{edition} : {', '.join(names)}" for edition, names in absent.items())
        print(
            f"Éditions archivées : {folder} n'a pas tous les fichiers qu'elles déclarent ({listed}) ; "
            "une construction depuis ce dossier serait refusée."
        )


def _check_contours(obs) -> None:
    """The contours the map page draws are read (and refused if malformed) as the build reads them;
    the rings without area of the configured quartiers, and the quartiers the layer lacks, are listed
    (not fatal: the map draws the others)."""
    from observatory.inputs.contours import find_contours, read_contours, undrawn

    path = find_contours(obs.config.data_dir, obs.config.contours)
    if path is None:
        return
    quartiers = obs.quartiers()
    shapes = read_contours(path, {quartier.id for quartier in quartiers})
    for quartier in (quartier for quartier in quartiers if quartier.id in shapes):
        shape = shapes[quartier.id]
        if shape.degenerate:
            print(
                f"AVERTISSEMENT : {path}, objet n° {shape.number} : le contour de {quartier.name} ({quartier.id}) "
                f"a des anneaux sans surface (moins de 3 points distincts), non dessinés : "
                f"{' ; '.join(shape.degenerate)}."
            )
    missing = undrawn(quartiers, shapes)
    if missing:
        print(
            f"AVERTISSEMENT : {path} n'a pas le contour de {', '.join(missing)} : la carte ne dessine pas "
            f"{'ces quartiers' if len(missing) > 1 else 'ce quartier'} et le dit. Si la couche est plus ancienne "
            "que la liste des quartiers, donnez celle à jour de l'ANCT (data.contours ou --data-dir)."
        )


def _site_dir(args) -> Path | None:
    """The site folder a build writes (None when its configuration cannot be read)."""
    if args.site_dir is not None:
        return args.site_dir.resolve()
    from observatory.inputs.config import load_config

    try:
        return load_config(args.config).site_dir
    except (ObservatoryError, OSError):
        return None


def _identity(folder: Path | None) -> tuple[int, int] | None:
    """Which folder is at this path (device, inode), None when there is none."""
    try:
        status = folder.stat() if folder is not None else None
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if status else None


def _after_failure(site_dir: Path | None, before: tuple[int, int] | None) -> str:
    """What a failed build left at its site folder, said as it is now (`before`: the folder that
    was there when the build started)."""
    if site_dir is None:
        return "Échec : aucun site n'a été modifié."
    if not site_dir.exists():
        return f"Échec : aucun site n'a été construit dans {site_dir}."
    if _identity(site_dir) != before:
        return f"Échec après la publication : le nouveau site est dans {site_dir} ; relancez la construction."
    if (site_dir / MARKER).is_file():
        return f"Échec : le site précédent, dans {site_dir}, est laissé intact."
    return f"Échec : le dossier {site_dir} est laissé tel quel."


SYSTEM_REFUSALS = {  # errno → what it means and what to do
    errno.ENOSPC: "disque plein : libérez de la place sur ce disque, puis relancez.",
    errno.EROFS: "dossier en lecture seule : choisissez un dossier de sortie sur un disque inscriptible "
    "(--site-dir) ou remontez ce disque en écriture, puis relancez.",
}
PERMISSION_REFUSED = (
    "permission refusée : donnez à l'utilisateur qui construit le droit d'écrire dans ce dossier, "
    "ou choisissez-en un autre (--site-dir), puis relancez."
)


def _system_error(error: OSError, site_dir: Path | None) -> str:
    """An error of the system (disk full, read-only disk, permission…) in French: the path, what to do."""
    path = error.filename or site_dir
    if error.errno in SYSTEM_REFUSALS:
        what = SYSTEM_REFUSALS[error.errno]
    elif isinstance(error, PermissionError):
        what = PERMISSION_REFUSED
    else:
        name = errno.errorcode.get(error.errno, str(error.errno))
        what = f"erreur du système ({name}) : vérifiez ce chemin et son disque, puis relancez."
    return f"{path} : {what}"


def _build(args) -> int:
    """`observatory build`: its report, or why it failed and what became of the previous site."""
    from observatory.pipeline import build

    site_dir = _site_dir(args)
    before = _identity(site_dir)
    start = time.perf_counter()
    try:
        report = build(args.config, args.site_dir, args.data_dir, incremental=args.incremental)
    except KeyboardInterrupt:
        print("Construction interrompue (Ctrl-C).", file=sys.stderr)
        print(_after_failure(site_dir, before), file=sys.stderr)  # what became of the site, as it is now
        return 130
    except (ObservatoryError, OSError) as error:
        why = error.report() if isinstance(error, ObservatoryError) else _system_error(error, site_dir)
        print(why, file=sys.stderr)
        print(_after_failure(site_dir, before), file=sys.stderr)
        return 1
    _print_accounts(report.accounts)
    print(
        f"Site construit dans {report.site_dir} : {report.editions} édition(s), {report.pages} pages, "
        f"{report.quartiers} quartiers, "
        f"{report.figures} chiffres, {report.indicators} indicateurs ({time.perf_counter() - start:.1f} s)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "build"
    try:
        if command == "build":
            return _build(args)
        elif command == "check":
            from observatory.inputs.extract import stale_sources
            from observatory.pipeline import load

            obs = load(args.config, data_dir=args.path)
            _check_archives(obs.config, args.path)
            _check_contours(obs)
            _print_accounts(obs.accounts)
            _print_missing_references(obs)
            _print_undated(obs.mappings)
            _print_perimeters(obs)
            folder = obs.config.data_dir
            if folder is not None and obs.config.extract is not None and folder == obs.config.extract:
                stale = stale_sources(folder, SHARED_DATA)
                if stale:
                    raise ObservatoryError(stale, "L'extrait ne correspond plus à ses sources :")
            silent = sum(1 for a in obs.accounts if not a.figures and not a.role)
            print(
                f"Données valides : {len(obs.figures)} chiffres, {len(obs.catalog)} indicateurs, "
                f"{len(obs.quartiers())} quartiers ; {len(obs.accounts)} fichiers des producteurs lus, "
                + (
                    f"dont {silent} sans chiffre : voir les AVERTISSEMENTS ci-dessus, chacun dit quoi faire."
                    if silent
                    else "tous apportent des chiffres ou ont un rôle déclaré."
                )
            )
        elif command == "extract":
            from observatory.pipeline import write_extract

            items, target = write_extract(args.config, args.source, args.out)
            kept = sum(item.kept for item in items)
            print(f"Extrait écrit dans {target} : {len(items)} fichiers, {kept} lignes gardées (voir MANIFEST.csv).")
        elif command == "bench":
            from observatory.bench import NATIONAL, run

            print(run(args.data_dir, args.limit, args.config or NATIONAL))
        else:
            from observatory.inputs.referential import read_layer, write_referential

            rows = read_layer(args.layer, args.epci)
            write_referential(rows, args.out)
            print(f"{len(rows)} quartiers écrits dans {args.out}.")
    except ObservatoryError as error:
        print(error.report(), file=sys.stderr)
        if command == "check":  # a check builds nothing
            print("Échec : données non valides, rien n'a été construit.", file=sys.stderr)
        elif command == "extract":
            print("Échec : l'extrait précédent (s'il existe) est laissé intact.", file=sys.stderr)
        else:
            print("Échec : le site précédent (s'il existe) est laissé intact.", file=sys.stderr)
        return 1
    return 0
