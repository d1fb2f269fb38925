"""Declared editorial inputs: the source documents (data/sources.yml) and the enjeux (data/enjeux.yml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from observatory.errors import ObservatoryError, Problem


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
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ObservatoryError([Problem(file=str(path), expected="un YAML lisible", found=str(exc))]) from exc
    if not isinstance(data, dict):
        raise ObservatoryError([Problem(file=str(path), expected="une suite de champs", found=str(data))])
    return data


def _require(path: Path, item: dict, fields: list[str], where: str) -> list[Problem]:
    return [
        Problem(file=str(path), column=f"{where}.{field}", column_label="champ", expected="une valeur", found="rien")
        for field in fields
        if not item.get(field)
    ]


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
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise ObservatoryError([Problem(file=str(path), expected="un YAML lisible", found=str(exc))]) from exc
    problems = [
        Problem(file=str(path), column=f"[{index}].{key}", column_label="champ", expected="une valeur", found="rien")
        for index, entry in enumerate(entries)
        for key in ("id", "term", "forms", "definition")
        if not entry.get(key)
    ]
    if problems:
        raise ObservatoryError(problems, "Le glossaire contient des erreurs :")
    return entries
