"""The one declared configuration file (observatory.yml): which data, territories, references, output.

Another observatory (another EPCI, all of France) is another configuration file, not a fork.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from observatory.errors import ObservatoryError, Problem


@dataclass(frozen=True)
class Contract:
    id: str  # used in URLs
    name: str  # "Contrat de ville et des solidarités de la MEL"
    short_name: str  # "MEL"
    epci: tuple[str, ...]  # SIREN of the EPCI signing the contract
    aggregates: tuple[str, ...]  # declared aggregate references (ensemble des QPV…)
    description: str


@dataclass(frozen=True)
class Config:
    path: Path
    title: str
    edition_id: str
    edition_label: str
    edition_date: str  # ISO date: the only date written into the site
    quartiers: Path
    territories: Path
    figures: Path | None  # published figures transcribed from documents (optional)
    sources: Path
    enjeux: Path
    catalog: Path
    mkdocs: Path
    templates: Path
    site_dir: Path
    contracts: tuple[Contract, ...]
    correspondence: Path | str | None = None  # declared QP 2015 → QN 2024 links, or "auto"
    producers: Path | None = None  # folder of producer mappings (data/producers)
    data_dir: Path | None = None  # folder of producer files to read (--data-dir)
    archives: tuple[dict, ...] = ()  # earlier editions: id, label, date, files (built with --data-dir)
    contours: Path | None = None  # the ANCT 2024 layer, when declared (else looked for in --data-dir)
    glossary: Path | None = None  # words explained on the sources page and linked from the pages
    extract: Path | None = None  # the project's extract of the producers' files: read when no --data-dir


# key: (description for the error message, required)
FIELDS = {
    "title": "le titre du site",
    "edition": "l'édition (label, date)",
    "data": "les chemins des données (quartiers, territories, figures, sources, enjeux)",
    "catalog": "le dossier du catalogue des indicateurs",
    "mkdocs": "le fichier mkdocs.yml",
    "templates": "le dossier des gabarits Jinja2",
    "site_dir": "le dossier de sortie du site",
    "contracts": "la liste des contrats de ville",
}
DATA_FIELDS = ["quartiers", "territories", "sources", "enjeux"]  # figures is optional
CONTRACT_FIELDS = ["id", "name", "short_name", "epci", "aggregates", "description"]


def load_config(path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> Config:
    """Read and check observatory.yml; relative paths are relative to the file's folder."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ObservatoryError([Problem(file=str(path), expected="un fichier YAML lisible", found=str(exc))]) from exc
    problems = []

    def missing(field: str, what: str) -> None:
        problems.append(Problem(file=str(path), column=field, column_label="champ", expected=what, found="rien"))

    if not isinstance(raw, dict):
        raise ObservatoryError([Problem(file=str(path), expected="une suite de champs", found=str(raw))])
    for field, what in FIELDS.items():
        if field not in raw:
            missing(field, what)
    data = raw.get("data") or {}
    for field in DATA_FIELDS:
        if field not in data:
            missing(f"data.{field}", "un chemin")
    edition = raw.get("edition") or {}
    for field in ("id", "label", "date"):
        if field not in edition:
            missing(f"edition.{field}", "un texte")
    contracts = []
    for index, item in enumerate(raw.get("contracts") or []):
        absent = [field for field in CONTRACT_FIELDS if field not in item]
        for field in absent:
            missing(f"contracts[{index}].{field}", "une valeur")
        if not absent:
            contracts.append(
                Contract(
                    id=str(item["id"]),
                    name=str(item["name"]),
                    short_name=str(item["short_name"]),
                    epci=tuple(str(code) for code in item["epci"]),
                    aggregates=tuple(str(code) for code in item["aggregates"]),
                    description=str(item["description"]).strip(),
                )
            )
    if problems:
        raise ObservatoryError(problems, "La configuration est incomplète :")
    if data_dir is not None and not data_dir.exists():
        raise ObservatoryError(
            [
                Problem(
                    file=str(data_dir),
                    expected="un dossier ou un fichier des producteurs",
                    found="aucun fichier ni dossier à ce chemin",
                )
            ],
            "L'option --data-dir ne désigne rien :",
        )
    base = path.parent

    def resolve(value: str) -> Path:
        """A path relative to the configuration file; ${data_dir} is the --data-dir folder."""
        if "${data_dir}" in value:
            if data_dir is None:
                raise ObservatoryError(
                    [
                        Problem(
                            file=str(path), expected="l'option --data-dir (le chemin utilise ${data_dir})", found=value
                        )
                    ]
                )
            value = value.replace("${data_dir}", str(data_dir.resolve()))
        return (base / value).resolve()

    extract = resolve(data["extract"]) if data.get("extract") else None
    if data_dir is None and extract is not None and extract.is_dir():
        data_dir = extract
    return Config(
        path=path.resolve(),
        title=str(raw["title"]),
        edition_id=str(edition["id"]),
        edition_label=str(edition["label"]),
        edition_date=str(edition["date"]),
        quartiers=resolve(data["quartiers"]),
        territories=resolve(data["territories"]),
        figures=resolve(data["figures"]) if data.get("figures") else None,
        sources=resolve(data["sources"]),
        enjeux=resolve(data["enjeux"]),
        catalog=resolve(raw["catalog"]),
        mkdocs=resolve(raw["mkdocs"]),
        templates=resolve(raw["templates"]),
        site_dir=site_dir.resolve() if site_dir else resolve(raw["site_dir"]),
        contracts=tuple(contracts),
        correspondence=_correspondence(data.get("correspondence"), resolve),
        producers=resolve(data["producers"]) if data.get("producers") else None,
        data_dir=data_dir.resolve() if data_dir else None,
        archives=tuple(_archives(path, raw.get("archives") or [])),
        contours=resolve(data["contours"]) if data.get("contours") else None,
        glossary=resolve(data["glossary"]) if data.get("glossary") else None,
        extract=extract,
    )


def _correspondence(value: str | None, resolve) -> Path | str | None:
    """A declared file, or "auto": the links are then derived from the producers' files (same name,
    same département), for configurations too large to declare by hand."""
    if not value:
        return None
    return "auto" if value == "auto" else resolve(value)


def _archives(path: Path, items: list) -> list[dict]:
    problems = []
    for index, item in enumerate(items):
        for key in ("id", "label", "date", "files"):
            if not item.get(key):
                problems.append(
                    Problem(
                        file=str(path),
                        column=f"archives[{index}].{key}",
                        column_label="champ",
                        expected="une valeur",
                        found="rien",
                    )
                )
    if problems:
        raise ObservatoryError(problems, "La configuration des éditions est incomplète :")
    return [dict(item) for item in items]
