"""The one declared configuration file (observatory.yml): which data, territories, references, output.

Another observatory (another EPCI, all of France) is another configuration file, not a fork.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import schemas


@dataclass(frozen=True)
class Contract:
    id: str  # used in URLs
    name: str  # "Contrat de ville et des solidarités de la MEL"
    short_name: str  # "MEL"
    epci: tuple[str, ...]  # SIREN of the EPCI signing the contract
    aggregates: tuple[str, ...]  # declared aggregate references (ensemble des QPV…)
    description: str
    key_indicators: tuple[str, ...] = ()  # its headline rows, in its own order (panel, comité)
    layout: str = "enjeux"  # how its quartiers' pages are organised (data/enjeux.yml layouts)


@dataclass(frozen=True)
class IrisThreshold:
    """The median income (euros a year) under which an IRIS is pointed out, as observatory.yml declares it."""

    label: str  # how a sentence names it: « le seuil de pauvreté de 2021 »
    value: float
    reason: str  # where the value comes from, cited by the page


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
    search_quartier_pages: str = "sections"  # what the search index keeps of a quartier page
    pages_by: str = "contract"  # the map and the enjeu pages: one per contract, or per département
    producers: Path | None = None  # folder of producer mappings (data/producers)
    data_dir: Path | None = None  # folder of producer files to read (--data-dir)
    archives: tuple[dict, ...] = ()  # earlier editions: id, label, date, files (built with --data-dir)
    contours: Path | None = None  # the ANCT 2024 layer, when declared (else looked for in --data-dir)
    glossary: Path | None = None  # words explained on the sources page and linked from the pages
    gaps: Path | None = None  # how gaps and their evolution are measured, by family (data/ecarts.yml)
    perimeters: Path | None = None  # the périmètres d'attention a contract follows (data/perimetres.yml)
    extract: Path | None = None  # the project's extract of the producers' files: read when no --data-dir
    intro: str = ""  # the home page's opening question, in the words of this observatory's contracts
    enjeux_of: str = ""  # whose enjeux data.enjeux holds (« du contrat de la MEL »)
    enjeux_intro: str = ""  # how the enjeux relate to the contracts of this observatory
    texts: dict[str, str] = field(default_factory=dict, hash=False)  # every `texts:` entry: page wording
    iris_threshold: IrisThreshold | None = None  # iris.threshold: IRIS below it are pointed out

    @property
    def contract_ids(self) -> frozenset[str]:
        return frozenset(contract.id for contract in self.contracts)

    @property
    def edition_year(self) -> int:
        """No figure of this edition can be observed after this year."""
        return date.fromisoformat(self.edition_date).year


# key of observatory.yml → (Config attribute, what it must name): checked to exist once resolved
PATH_SETTINGS = {
    "data.quartiers": ("quartiers", "le fichier des quartiers 2024"),
    "data.territories": ("territories", "le fichier des territoires de référence"),
    "data.figures": ("figures", "le dossier des chiffres publiés"),
    "data.sources": ("sources", "le fichier des documents sources"),
    "data.enjeux": ("enjeux", "le fichier des enjeux"),
    "data.glossary": ("glossary", "le fichier du glossaire"),
    "data.gaps": ("gaps", "le fichier de la mesure des écarts"),
    "data.perimeters": ("perimeters", "le fichier des périmètres d'attention"),
    "data.correspondence": ("correspondence", "le fichier de correspondance QP 2015 → QN 2024"),
    "data.producers": ("producers", "le dossier des tables de correspondance des producteurs"),
    "data.contours": ("contours", "la couche des contours des quartiers 2024"),
    "catalog": ("catalog", "le dossier du catalogue des indicateurs"),
    "mkdocs": ("mkdocs", "le fichier mkdocs.yml"),
    "templates": ("templates", "le dossier des gabarits"),
}
#: data.former_quartiers: which 2015 quartiers without a 2024 successor keep a page
FORMER_QUARTIERS = {
    "communes": "ceux des communes des quartiers de l'observatoire",
    "all": "tous, où qu'ils soient",
}

#: search.quartier_pages: what the search index keeps of a quartier page. The index is one file the
#: browser downloads at the first search: with a section per indicator, 1 609 quartier pages make
#: it 20 MB (national build); by their lead alone, under 1 MB.
SEARCH_QUARTIER_PAGES = {
    "sections": "son introduction et une section par enjeu et par indicateur",
    "lead": "son introduction seule (nom, code, communes)",
}

#: pages.by: how the map and the enjeu pages cut the quartiers. Nationally, an enjeu page ranking
#: every quartier weighs 25 MB and the map 21 MB: per département, the national page lists them.
PAGES_BY = {
    "contract": "une carte et une page par enjeu, chaque contrat en entier",
    "departement": "une carte et une page d'enjeu par département, listées par la carte et la page de l'enjeu",
}


@dataclass(frozen=True)
class _Paths:
    """Paths written in observatory.yml: relative to its folder; ${data_dir} is the --data-dir folder."""

    config: Path
    data_dir: Path | None

    def __call__(self, value: str) -> Path:
        if "${data_dir}" in value:
            if self.data_dir is None:
                expected = "l'option --data-dir (le chemin utilise ${data_dir})"
                raise ObservatoryError([Problem(file=str(self.config), expected=expected, found=value)])
            value = value.replace("${data_dir}", str(self.data_dir.resolve()))
        return (self.config.parent / value).resolve()

    def optional(self, value: str | None) -> Path | None:
        return self(value) if value else None


def load_config(path: Path, site_dir: Path | None = None, data_dir: Path | None = None) -> Config:
    """Read observatory.yml, checked against its schema (observatory/inputs/schemas/observatory.json), and
    check that the files and folders it names exist; relative paths are relative to its folder."""
    raw = schemas.load(path, "observatory", schemas.context("La configuration"))
    _check_data_dir(data_dir)
    data, edition, texts = raw["data"], raw["edition"], raw.get("texts") or {}
    extract = _Paths(path, data_dir).optional(data.get("extract"))
    if data_dir is None and extract is not None and extract.is_dir():
        data_dir = extract  # the extract stands for --data-dir, ${data_dir} included
    resolve = _Paths(path, data_dir)
    config = Config(
        path=path.resolve(),
        title=str(raw["title"]),
        edition_id=str(edition["id"]),
        edition_label=str(edition["label"]),
        edition_date=str(edition["date"]),
        quartiers=resolve(data["quartiers"]),
        territories=resolve(data["territories"]),
        figures=resolve.optional(data.get("figures")),
        sources=resolve(data["sources"]),
        enjeux=resolve(data["enjeux"]),
        catalog=resolve(raw["catalog"]),
        mkdocs=resolve(raw["mkdocs"]),
        templates=resolve(raw["templates"]),
        site_dir=site_dir.resolve() if site_dir else resolve(raw["site_dir"]),
        contracts=tuple(_contract(item) for item in raw["contracts"]),
        correspondence=resolve.optional(data.get("correspondence")),
        former_quartiers=data.get("former_quartiers") or "communes",
        search_quartier_pages=(raw.get("search") or {}).get("quartier_pages") or "sections",
        pages_by=(raw.get("pages") or {}).get("by") or "contract",
        producers=resolve.optional(data.get("producers")),
        data_dir=data_dir.resolve() if data_dir else None,
        archives=tuple(dict(item) for item in raw.get("archives") or []),
        contours=resolve.optional(data.get("contours")),
        glossary=resolve.optional(data.get("glossary")),
        gaps=resolve.optional(data.get("gaps")),
        perimeters=resolve.optional(data.get("perimeters")),
        extract=extract,
        intro=str(texts.get("intro") or "").strip(),
        enjeux_of=str(texts.get("enjeux_of") or "").strip(),
        enjeux_intro=str(texts.get("enjeux_intro") or "").strip(),
        texts={str(key): str(value or "").strip() for key, value in texts.items()},
        iris_threshold=_threshold((raw.get("iris") or {}).get("threshold")),
    )
    _check_paths(path, config)
    _check_archive_dates(config)
    return config


def _threshold(item: dict | None) -> IrisThreshold | None:
    if item is None:
        return None
    return IrisThreshold(
        label=str(item["label"]).strip(), value=float(item["value"]), reason=str(item["reason"]).strip()
    )


def _contract(item: dict) -> Contract:
    return Contract(
        id=str(item["id"]),
        name=str(item["name"]),
        short_name=str(item["short_name"]),
        epci=tuple(str(code) for code in item["epci"]),
        aggregates=tuple(str(code) for code in item["aggregates"]),
        description=str(item["description"]).strip(),
        key_indicators=tuple(str(code) for code in item.get("key_indicators") or ()),
        layout=str(item.get("layout") or "enjeux"),
    )


def _check_data_dir(data_dir: Path | None) -> None:
    if data_dir is not None and not data_dir.exists():
        problem = Problem(
            file=str(data_dir),
            expected="un dossier ou un fichier des producteurs",
            found="aucun fichier ni dossier à ce chemin",
        )
        raise ObservatoryError([problem], "L'option --data-dir ne désigne rien :")


def _check_paths(path: Path, config: Config) -> None:
    """Every file and folder the configuration names exists."""
    absent = [
        Problem(file=str(path), column=key, column_label="champ", expected=what, found=str(getattr(config, name)))
        for key, (name, what) in PATH_SETTINGS.items()
        if isinstance(getattr(config, name), Path) and not getattr(config, name).exists()
    ]
    if absent:
        raise ObservatoryError(absent, "La configuration désigne des fichiers ou dossiers qui n'existent pas :")


def _check_archive_dates(config: Config) -> None:
    """Every archived edition is older than the current one (ISO dates compare as text)."""
    late = [
        Problem(
            file=str(config.path),
            column="archives",
            column_label="champ",
            expected=f"une date antérieure à celle de l'édition courante {config.edition_id} ({config.edition_date})",
            found=f"édition archivée {archive['id']} datée du {archive['date']}",
            hint="L'édition courante se présenterait comme la première et ses évolutions seraient comparées "
            "à une édition plus récente : corrigez la date de l'édition archivée ou celle de edition.date.",
        )
        for archive in config.archives
        if str(archive["date"]) >= config.edition_date
    ]
    if late:
        raise ObservatoryError(late, "La configuration date une édition archivée après l'édition courante :")
