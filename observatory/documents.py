"""Declared editorial inputs: the source documents (data/sources.yml) and the enjeux (data/enjeux.yml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import load_yaml


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
class Editorial:
    documents: dict[str, Document]
    enjeux: dict[int, Enjeu]
    call_piliers: tuple[dict, ...]
    left_out: tuple[dict, ...]  # published figures deliberately not transcribed, and why
    glossary: list = field(default_factory=list)  # words explained on the sources page


def _load_yaml(path: Path) -> dict:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ObservatoryError([Problem(file=str(path), expected="une suite de champs", found=str(data))])
    return data


def _require(path: Path, item: dict, fields: list[str], where: str) -> list[Problem]:
    return [
        Problem(file=str(path), column=f"{where}.{field}", column_label="champ", expected="une valeur", found="rien")
        for field in fields
        if not item.get(field)
    ]


def _left_out_problems(path: Path, index: int, item: dict, documents: dict[str, Document]) -> list[Problem]:
    """A left-out entry says what, in which documents and why; its optional `tables` list gives,
    per seed table, how many of that table's figures it covers (counted by tests/test_seed_audit.py)."""
    where = f"left_out[{index}]"
    problems = _require(path, item, ["what", "documents", "why"], where)

    def bad(field: str, expected: str, found: object) -> None:
        problems.append(
            Problem(
                file=str(path), column=f"{where}.{field}", column_label="champ", expected=expected, found=str(found)
            )
        )

    for doc_id in item.get("documents") or []:
        if doc_id not in documents:
            bad("documents", "un document déclaré dans " + path.name, doc_id)
    for number, table in enumerate(item.get("tables") or []):
        if not isinstance(table, dict):
            bad(f"tables[{number}]", "document, table et figures", table)
            continue
        if table.get("document") not in (item.get("documents") or []):
            bad(f"tables[{number}].document", "un des documents de l'entrée", table.get("document"))
        if not table.get("table"):
            bad(f"tables[{number}].table", "l'emplacement du tableau (colonne location des chiffres)", "rien")
        figures = table.get("figures")
        if not isinstance(figures, int) or isinstance(figures, bool) or figures < 1:
            bad(f"tables[{number}].figures", "un nombre entier de chiffres, au moins 1", figures)
    return problems


def load_editorial(sources_path: Path, enjeux_path: Path, glossary_path: Path | None = None) -> Editorial:
    sources = _load_yaml(sources_path)
    enjeux_raw = _load_yaml(enjeux_path)
    problems: list[Problem] = []
    documents = {}
    for doc_id, item in (sources.get("documents") or {}).items():
        problems += _require(sources_path, item, ["title", "publisher", "date", "reference"], doc_id)
        documents[doc_id] = Document(
            id=doc_id,
            title=item.get("title", ""),
            publisher=item.get("publisher", ""),
            date=str(item.get("date", "")),
            reference=item.get("reference", ""),
            summary=(item.get("summary") or "").strip(),
        )
    enjeux = {}
    for item in enjeux_raw.get("enjeux") or []:
        where = f"enjeux[{item.get('number', '?')}]"
        problems += _require(enjeux_path, item, ["number", "title", "short_title", "slug", "source"], where)
        if item.get("source") and item["source"] not in documents:
            problems.append(
                Problem(
                    file=str(enjeux_path),
                    column=f"{where}.source",
                    column_label="champ",
                    expected="un document déclaré dans " + sources_path.name,
                    found=item["source"],
                )
            )
        groups = tuple(
            AmbitionGroup(scale=group["scale"], ambitions=tuple(group["ambitions"]))
            for group in item.get("ambitions") or []
        )
        enjeux[int(item.get("number", 0))] = Enjeu(
            number=int(item.get("number", 0)),
            title=item.get("title", ""),
            short_title=item.get("short_title", ""),
            slug=item.get("slug", ""),
            source=item.get("source", ""),
            groups=groups,
            call_mapping=(item.get("call_mapping") or "").strip(),
        )
    for index, item in enumerate(sources.get("left_out") or []):
        problems += _left_out_problems(sources_path, index, item, documents)
    if problems:
        raise ObservatoryError(problems, "Les textes déclarés (sources, enjeux) contiennent des erreurs :")
    return Editorial(
        documents=documents,
        enjeux=dict(sorted(enjeux.items())),
        call_piliers=tuple(enjeux_raw.get("call_piliers") or ()),
        left_out=tuple(sources.get("left_out") or ()),
        glossary=_glossary(glossary_path) if glossary_path else [],
    )


def _glossary(path: Path) -> list[dict]:
    entries = load_yaml(path) or []
    problems = [
        Problem(file=str(path), column=f"[{index}].{key}", column_label="champ", expected="une valeur", found="rien")
        for index, entry in enumerate(entries)
        for key in ("id", "term", "forms", "definition")
        if not entry.get(key)
    ]
    if problems:
        raise ObservatoryError(problems, "Le glossaire contient des erreurs :")
    return entries
