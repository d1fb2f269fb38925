"""The one declared configuration file (observatory.yml): which data, territories, references, output.

Another observatory (another EPCI, all of France) is another configuration file, not a fork.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from observatory.errors import ObservatoryError, Problem, empty_field
from observatory.inputs import load_yaml


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
    correspondence: Path | None = None  # corrections to the official 2015 → 2024 correspondence
    former_quartiers: str = "communes"  # 2015 quartiers without successor shown: of the communes, or "all"
    producers: Path | None = None  # folder of producer mappings (data/producers)
    data_dir: Path | None = None  # folder of producer files to read (--data-dir)
    archives: tuple[dict, ...] = ()  # earlier editions: id, label, date, files (built with --data-dir)
    contours: Path | None = None  # the ANCT 2024 layer, when declared (else looked for in --data-dir)
    glossary: Path | None = None  # words explained on the sources page and linked from the pages
    extract: Path | None = None  # the project's extract of the producers' files: read when no --data-dir
    intro: str = ""  # the home page's opening question, in the words of this observatory's contracts
    enjeux_of: str = ""  # whose enjeux data.enjeux holds (« du contrat de la MEL »)
    enjeux_intro: str = ""  # how the enjeux relate to the contracts of this observatory

    @property
    def contract_ids(self) -> frozenset[str]:
        return frozenset(contract.id for contract in self.contracts)

    @property
    def edition_year(self) -> int:
        """No figure of this edition can be observed after this year."""
        return date.fromisoformat(self.edition_date).year


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
# key of observatory.yml → (Config attribute, what it must name): checked to exist once resolved
PATH_SETTINGS = {
    "data.quartiers": ("quartiers", "le fichier des quartiers 2024"),
    "data.territories": ("territories", "le fichier des territoires de référence"),
    "data.figures": ("figures", "le dossier des chiffres publiés"),
    "data.sources": ("sources", "le fichier des documents sources"),
    "data.enjeux": ("enjeux", "le fichier des enjeux"),
    "data.glossary": ("glossary", "le fichier du glossaire"),
    "data.correspondence": ("correspondence", "le fichier de correspondance QP 2015 → QN 2024"),
    "data.producers": ("producers", "le dossier des tables de correspondance des producteurs"),
    "data.contours": ("contours", "la couche des contours des quartiers 2024"),
    "catalog": ("catalog", "le dossier du catalogue des indicateurs"),
    "mkdocs": ("mkdocs", "le fichier mkdocs.yml"),
    "templates": ("templates", "le dossier des gabarits"),
}
DATA_FIELDS = ["quartiers", "territories", "sources", "enjeux"]  # figures is optional
CONTRACT_FIELDS = ["id", "name", "short_name", "epci", "aggregates", "description"]


def load_config(path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> Config:
    """Read and check observatory.yml; relative paths are relative to the file's folder."""
    raw = load_yaml(path)
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
    if "date" in edition and not _is_date(edition["date"]):
        problems.append(_not_a_date(path, "edition.date", edition["date"]))
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
    config = Config(
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
        correspondence=resolve(data["correspondence"]) if data.get("correspondence") else None,
        former_quartiers=_former(path, data.get("former_quartiers") or "communes"),
        producers=resolve(data["producers"]) if data.get("producers") else None,
        data_dir=data_dir.resolve() if data_dir else None,
        archives=tuple(_archives(path, raw.get("archives") or [])),
        contours=resolve(data["contours"]) if data.get("contours") else None,
        glossary=resolve(data["glossary"]) if data.get("glossary") else None,
        extract=extract,
        intro=str((raw.get("texts") or {}).get("intro") or "").strip(),
        enjeux_of=str((raw.get("texts") or {}).get("enjeux_of") or "").strip(),
        enjeux_intro=str((raw.get("texts") or {}).get("enjeux_intro") or "").strip(),
    )
    absent = [
        Problem(file=str(path), column=key, column_label="champ", expected=what, found=str(getattr(config, name)))
        for key, (name, what) in PATH_SETTINGS.items()
        if isinstance(getattr(config, name), Path) and not getattr(config, name).exists()
    ]
    if absent:
        raise ObservatoryError(absent, "La configuration désigne des fichiers ou dossiers qui n'existent pas :")
    return config


def _is_date(value: object) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _not_a_date(path: Path, key: str, value: object) -> Problem:
    return Problem(file=str(path), column=key, column_label="champ", expected="une date AAAA-MM-JJ", found=str(value))


def _former(path: Path, value: str) -> str:
    if value not in ("communes", "all"):
        problem = Problem(
            file=str(path),
            column="data.former_quartiers",
            column_label="champ",
            expected="communes ou all",
            found=str(value),
        )
        raise ObservatoryError([problem])
    return value


def _archives(path: Path, items: list) -> list[dict]:
    problems = []
    for index, item in enumerate(items):
        if item.get("date") and not _is_date(item["date"]):
            problems.append(_not_a_date(path, f"archives[{index}].date", item["date"]))
        for key in ("id", "label", "date", "files"):
            if not item.get(key):
                problems.append(empty_field(path, f"archives[{index}].{key}"))
    if problems:
        raise ObservatoryError(problems, "La configuration des éditions est incomplète :")
    return [dict(item) for item in items]
