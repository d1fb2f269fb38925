"""Declared editorial inputs: the source documents (data/sources.yml) and the enjeux (data/enjeux.yml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import schemas
from observatory.inputs.files import load_yaml


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    publisher: str
    date: str
    reference: str  # how to find it (deliberation number, seed file…)
    summary: str
    by_file: bool = False  # a producer's file family: a table cites the file itself (REVN_2022.csv)


@dataclass(frozen=True)
class AmbitionGroup:
    scale: str  # "À destination des QPV (d'ici 2030)"
    ambitions: tuple[str, ...]


@dataclass(frozen=True)
class Enjeu:
    number: int
    title: str
    short_title: str
    slug: str
    source: str  # document id the ambitions are quoted from
    groups: tuple[AmbitionGroup, ...]
    call_mapping: str  # how the CALL's piliers/ambitions relate to this enjeu


@dataclass(frozen=True)
class Section:
    """A part of a quartier's page, with a page of its own (`quartiers/<code>/<slug>`): an enjeu, or
    a theme of a contract's own layout (a pilier of the CALL), gathering the indicators of some enjeux."""

    slug: str
    title: str
    group: str  # the pilier or axe it sits under ("" for an enjeu)
    contract: str  # the contract's words it answers
    enjeux: tuple[int, ...]  # their indicators, but those another section names
    indicators: tuple[str, ...] = ()  # named: an enjeu too long for one page shared between two


@dataclass(frozen=True)
class Layout:
    """How a contract's quartier pages are organised: the enjeux, or the contract's own sections."""

    id: str
    name: str  # « les enjeux du contrat de la MEL », « les piliers du contrat de la CALL »
    note: str
    sections: tuple[Section, ...]

    def section_for(self, indicator_id: str, enjeu: int) -> Section:
        """The section that shows an indicator: the one naming it, else the one of its enjeu."""
        for section in self.sections:
            if indicator_id in section.indicators:
                return section
        return next(section for section in self.sections if enjeu in section.enjeux)


ENJEUX_LAYOUT = "enjeux"


@dataclass(frozen=True)
class Editorial:
    documents: dict[str, Document]
    enjeux: dict[int, Enjeu]
    call_piliers: tuple[dict, ...]
    left_out: tuple[dict, ...]  # published figures deliberately not transcribed, and why
    glossary: list = field(default_factory=list)  # words explained on the sources page
    layouts: dict[str, Layout] = field(default_factory=dict)  # the contracts' own, by id

    def layout(self, layout_id: str) -> Layout:
        """A declared layout, or the enjeux (one section per enjeu)."""
        if layout_id in self.layouts:
            return self.layouts[layout_id]
        sections = tuple(
            Section(enjeu.slug, f"Enjeu {enjeu.number} — {enjeu.short_title}", "", enjeu.title, (enjeu.number,))
            for enjeu in self.enjeux.values()
        )
        return Layout(ENJEUX_LAYOUT, "les enjeux", "", sections)


SOURCES_AND_ENJEUX = "Les textes déclarés (sources, enjeux)"


def load_editorial(sources_path: Path, enjeux_path: Path, glossary_path: Path | None = None) -> Editorial:
    """The sources and enjeux files, each against its schema (observatory/inputs/schemas/), then what the
    schemas cannot check: the documents the enjeux and the left-out figures cite are declared."""
    sources, enjeux_raw = load_yaml(sources_path), load_yaml(enjeux_path)
    problems = schemas.check(sources_path, sources, "sources") + schemas.check(enjeux_path, enjeux_raw, "enjeux")
    if problems:
        raise ObservatoryError(problems, schemas.context(SOURCES_AND_ENJEUX))
    documents = _documents(sources.get("documents") or {})
    enjeux = _enjeux(enjeux_raw["enjeux"])
    problems = _enjeu_problems(enjeux_path, enjeux_raw["enjeux"], documents, sources_path.name)
    problems += _layout_problems(enjeux_path, enjeux_raw.get("layouts") or [], documents, set(enjeux))
    problems += _left_out_problems(sources_path, sources.get("left_out") or [], documents)
    if problems:
        raise ObservatoryError(problems, schemas.context(SOURCES_AND_ENJEUX))
    return Editorial(
        documents=documents,
        enjeux=dict(sorted(enjeux.items())),
        call_piliers=tuple(enjeux_raw.get("call_piliers") or ()),
        left_out=tuple(sources.get("left_out") or ()),
        glossary=_glossary(glossary_path) if glossary_path else [],
        layouts={item["id"]: _layout(item) for item in enjeux_raw.get("layouts") or []},
    )


def _layout(item: dict) -> Layout:
    sections = tuple(
        Section(
            slug=section["slug"],
            title=section["title"],
            group=section.get("group") or "",
            contract=" ".join(section["contract"].split()),
            enjeux=tuple(section.get("enjeux") or ()),
            indicators=tuple(section.get("indicators") or ()),
        )
        for section in item["sections"]
    )
    return Layout(id=item["id"], name=item["name"], note=" ".join(item["note"].split()), sections=sections)


def _layout_problems(path: Path, items: list[dict], documents: dict[str, Document], enjeux: set[int]) -> list[Problem]:
    """A layout quotes a declared document, is not named like the enjeux, and files every enjeu in
    exactly one of its sections (each of the catalog's indicators then has one place on the pages)."""
    fields = schemas.Fields(path)
    problems = []
    for index, item in enumerate(items):
        if item["source"] not in documents:
            problems.append(fields.problem(["layouts", index, "source"], "un document déclaré", item["source"]))
        if item["id"] == ENJEUX_LAYOUT or item["id"] in [other["id"] for other in items[:index]]:
            problems.append(
                fields.problem(["layouts", index, "id"], "un identifiant propre à l'organisation", item["id"])
            )
        seen: dict[int, int] = {}
        for number, section in enumerate(item["sections"]):
            for position, enjeu in enumerate(section.get("enjeux") or []):
                if enjeu not in enjeux or enjeu in seen:
                    where = ["layouts", index, "sections", number, "enjeux", position]
                    expected = (
                        "un enjeu déclaré qu'aucune autre section ne rassemble ("
                        + ", ".join(map(str, sorted(enjeux)))
                        + ")"
                    )
                    problems.append(fields.problem(where, expected, str(enjeu)))
                seen[enjeu] = number
        absent = sorted(enjeux - set(seen))
        if absent:
            problems.append(
                fields.problem(
                    ["layouts", index, "sections"],
                    "chaque enjeu dans une section",
                    "sans section : " + ", ".join(map(str, absent)),
                )
            )
        slugs = [section["slug"] for section in item["sections"]]
        problems += [
            fields.problem(["layouts", index, "sections", number, "slug"], "un nom de page propre à la section", slug)
            for number, slug in enumerate(slugs)
            if slug in slugs[:number]
        ]
    return problems


def _documents(items: dict) -> dict[str, Document]:
    return {
        str(doc_id): Document(
            id=str(doc_id),
            title=item["title"],
            publisher=item["publisher"],
            date=str(item["date"]),
            reference=item["reference"],
            summary=(item.get("summary") or "").strip(),
        )
        for doc_id, item in items.items()
    }


def _enjeux(items: list[dict]) -> dict[int, Enjeu]:
    return {
        item["number"]: Enjeu(
            number=item["number"],
            title=item["title"],
            short_title=item["short_title"],
            slug=item["slug"],
            source=item["source"],
            groups=tuple(
                AmbitionGroup(scale=group["scale"], ambitions=tuple(group["ambitions"]))
                for group in item.get("ambitions") or []
            ),
            call_mapping=(item.get("call_mapping") or "").strip(),
        )
        for item in items
    }


def _enjeu_problems(path: Path, items: list[dict], documents: dict[str, Document], sources: str) -> list[Problem]:
    """Each enjeu quotes a declared document and has a number of its own."""
    fields = schemas.Fields(path)
    problems = [
        fields.problem(["enjeux", index, "source"], "un document déclaré dans " + sources, item["source"])
        for index, item in enumerate(items)
        if item["source"] not in documents
    ]
    numbers = [item["number"] for item in items]
    problems += [
        fields.problem(["enjeux", index, "number"], "un numéro qu'aucun autre enjeu ne porte", str(number))
        for index, number in enumerate(numbers)
        if number in numbers[:index]
    ]
    return problems


def _left_out_problems(path: Path, items: list[dict], documents: dict[str, Document]) -> list[Problem]:
    """A left-out entry cites declared documents; each of its `tables` (per seed table, how many of
    that table's figures it covers, counted by tests/test_seed_audit.py) is one of the entry's documents."""
    fields = schemas.Fields(path)
    problems = [
        fields.problem(["left_out", index, "documents", number], "un document déclaré dans " + path.name, doc_id)
        for index, item in enumerate(items)
        for number, doc_id in enumerate(item["documents"])
        if doc_id not in documents
    ]
    problems += [
        fields.problem(
            ["left_out", index, "tables", number, "document"], "un des documents de l'entrée", table["document"]
        )
        for index, item in enumerate(items)
        for number, table in enumerate(item.get("tables") or [])
        if table["document"] not in item["documents"]
    ]
    return problems


def _glossary(path: Path) -> list[dict]:
    entries = load_yaml(path) or []
    problems = schemas.check(path, entries, "glossary")
    if problems:
        raise ObservatoryError(problems, schemas.context("Le glossaire"))
    return entries
