"""Declared producer mappings (data/producers/*.yml): which file, which column, which indicator, which millésime.

Staff follow a renamed column or a new edition by editing these files, not Python. A column
group whose millésime is not documented (`period: null`) is read and checked but not published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import schemas
from observatory.inputs.catalog import Indicator
from observatory.inputs.documents import Document
from observatory.inputs.files import load_yaml

#: What the codes of a file's code column name (the schema's `codes`, data/producers/*.yml).
CODE_KINDS = {
    "qp2015": "un quartier prioritaire 2015 (QP…)",
    "commune": "une commune (code de l'Insee)",
    "epci": "une intercommunalité (SIREN)",
    "departement": "un département",
    "region": "une région",
    "metro": "la France métropolitaine (ligne 1, FRM ou FM)",
    "uai": "un établissement scolaire (UAI)",
    "iris": "un IRIS (code de 9 caractères de l'Insee : commune et numéro d'IRIS)",
}
#: How a file is read: one row per territory (table), commune counts summed to the EPCI,
#: département and région of a declared commune → EPCI table (commune_counts), the commune → EPCI
#: table itself (geography), a file of variable labels that holds no figure (metadata), or the
#: official 2024 → 2015 correspondence, against which the declared links are checked.
FILE_KINDS = {
    "table": "une ligne par territoire",
    "commune_counts": "effectifs des communes additionnés par intercommunalité, département et région",
    "geography": "la table commune → intercommunalité",
    "metadata": "les libellés des variables, sans chiffre",
    "correspondence": "la table officielle de correspondance des quartiers 2024 → 2015",
}
CONFIDENCES = {
    "etabli": "établi sur les fichiers",  # proven on the bytes: equality with a dated figure or file
    "deduit": "déduit",  # a rule proven on other editions, applied here
}


def fill(template: str, edition: str) -> str:
    """A declared column name or period with the file's edition: {yyyy} = 2019, {yy} = 19."""
    if edition in ("", "*") or "{" not in template:
        return template
    return template.replace("{yyyy}", edition).replace("{yy}", edition[-2:])


@dataclass(frozen=True)
class Group:
    producer: str
    period: str | None  # the millésime as the documentation states it; None = not documented
    period_column: str | None  # or the column that holds it, row by row (long tables)
    basis: str  # how the millésime is known
    confidence: str  # etabli | deduit (CONFIDENCES); "" when the period is not a date
    dated: bool  # False: `period` says when the file was published, not when the data were observed
    aggregate: bool  # commune_counts: counts summed to EPCI, département, région (rates on the sums)
    flag: str | None  # quality flag column (NOTE_FILO…), 0 = fine
    columns: dict[str, str]  # producer column → indicator id
    ratios: dict[str, tuple[tuple[str, ...], str]]  # indicator id → (numerator terms, denominator column)

    @property
    def published(self) -> bool:
        return bool(self.period or self.period_column)

    def needed_columns(self) -> list[str]:
        terms = [term.lstrip("-") for top, _ in self.ratios.values() for term in top]
        names = [*self.columns, *terms, *(bottom for _, bottom in self.ratios.values())]
        names += [c for c in (self.flag, self.period_column) if c]
        return list(dict.fromkeys(names))

    def for_edition(self, edition: str) -> Group:
        """The group as it applies to one file: {yyyy}/{yy} in columns and period filled in."""
        return replace(
            self,
            producer=fill(self.producer, edition),
            basis=fill(self.basis, edition),
            period=fill(self.period, edition) if self.period else None,
            columns={fill(column, edition): indicator for column, indicator in self.columns.items()},
            ratios={k: (tuple(fill(t, edition) for t in top), fill(b, edition)) for k, (top, b) in self.ratios.items()},
            flag=fill(self.flag, edition) if self.flag else None,
        )


@dataclass(frozen=True)
class Mapping:
    id: str
    path: Path
    title: str
    publisher: str
    reference: str
    pattern: re.Pattern
    code_columns: tuple[str, ...]  # the code column's name, or its names across editions
    codes: dict[str, str]  # file kind (from the pattern) or "*" → code kind
    aggregates: dict[str, str]  # code value of an aggregate row → territory id
    encoding: str
    delimiter: str
    decimal: str
    editions: dict[str, tuple[Group, ...]] = field(default_factory=dict)
    kind: str = "table"  # FILE_KINDS
    geography: dict[str, str] = field(default_factory=dict)  # edition → commune → EPCI table (commune_counts)

    def document(self) -> Document:
        return Document(
            id=self.id,
            title=self.title,
            publisher=self.publisher,
            date="",
            reference=self.reference,
            summary="",
            by_file=True,
        )

    def match(self, name: str) -> re.Match | None:
        """The file name against the declared pattern; an XLSX twin matches as its CSV would."""
        twin = name[: -len(".xlsx")] + ".csv" if name.lower().endswith(".xlsx") else name
        return self.pattern.fullmatch(twin)

    def groups_for(self, match: re.Match) -> tuple[Group, ...] | None:
        """Groups of a file: declared for its kind and edition, its edition, its kind, or all files,
        with the file's edition filled into declared names ({yyyy}, {yy})."""
        kind = match.groupdict().get("kind") or ""
        edition = match.groupdict().get("edition") or "*"
        for key in (f"{kind}:{edition}", edition, f"{kind}:*", "*"):
            if key in self.editions:
                return tuple(group.for_edition(edition) for group in self.editions[key])
        return None

    def code_kind(self, match: re.Match) -> str:
        return self.codes.get(match.groupdict().get("kind") or "*", self.codes.get("*", ""))


def _group(raw: dict) -> Group:
    """A group of columns as declared (checked by the schema and `_group_problems`)."""
    dated = raw.get("dated", True)
    confidence = str(raw.get("confidence") or "")
    if raw.get("period_column") and not confidence:
        confidence = "etabli"  # the file states the period of each row
    ratios = {
        str(indicator): (tuple(str(term) for term in top) if isinstance(top, list) else (str(top),), str(bottom))
        for indicator, (top, bottom) in (raw.get("ratios") or {}).items()
    }
    return Group(
        producer=str(raw["producer"]),
        period=str(raw["period"]) if raw.get("period") is not None else None,
        period_column=raw.get("period_column"),
        basis=str(raw["basis"]),
        confidence=confidence if dated else "",
        dated=bool(dated),
        aggregate=bool(raw.get("aggregate", False)),
        flag=raw.get("flag"),
        columns={str(column).strip(): str(indicator) for column, indicator in (raw.get("columns") or {}).items()},
        ratios=ratios,
    )


def _group_problems(fields: schemas.Fields, where: list, raw: dict, catalog: dict[str, Indicator]) -> list[Problem]:
    """What the schema cannot check in a group: indicators of the catalog, and how sure a dated millésime is."""
    named = [(["columns", column], indicator) for column, indicator in (raw.get("columns") or {}).items()]
    named += [(["ratios", indicator], indicator) for indicator in raw.get("ratios") or {}]
    problems = [
        fields.problem(
            [*where, *key], "un indicateur du catalogue", str(indicator), schemas.closest(indicator, catalog)
        )
        for key, indicator in named
        if str(indicator) not in catalog
    ]
    if raw.get("period") is not None and raw.get("dated", True) and raw.get("confidence") not in CONFIDENCES:
        expected = "le degré de certitude du millésime : " + " ou ".join(CONFIDENCES)
        problems.append(fields.problem([*where, "confidence"], expected, str(raw.get("confidence") or "rien")))
    return problems


def _mapping_problems(path: Path, raw: dict, catalog: dict[str, Indicator]) -> list[Problem]:
    """What the schema cannot check in a mapping: its file pattern, its geography, its groups."""
    fields = schemas.Fields(path)
    problems = []
    try:
        re.compile(raw["files"])
    except re.error as exc:
        problems.append(fields.problem(["files"], "une expression régulière valide", str(exc)))
    if raw.get("kind") == "commune_counts" and not raw.get("geography"):
        problems.append(fields.problem(["geography"], "la table commune → EPCI de chaque édition", "rien"))
    for edition, groups in raw["editions"].items():
        for index, group in enumerate(groups):
            problems += _group_problems(fields, ["editions", str(edition), index], group, catalog)
    return problems


def _mapping(path: Path, raw: dict) -> Mapping:
    code_column = raw["code_column"]
    return Mapping(
        id=raw["id"],
        path=path,
        title=raw["title"],
        publisher=raw["publisher"],
        reference=raw["reference"],
        pattern=re.compile(raw["files"]),
        code_columns=tuple(code_column) if isinstance(code_column, list) else (str(code_column),),
        codes=raw["codes"] if isinstance(raw["codes"], dict) else {"*": raw["codes"]},
        aggregates={str(k): str(v) for k, v in (raw.get("aggregates") or {}).items()},
        encoding=raw.get("encoding", "utf-8-sig"),
        delimiter=raw.get("delimiter", ";"),
        decimal=raw.get("decimal", ","),
        editions={
            str(edition): tuple(_group(group) for group in groups) for edition, groups in raw["editions"].items()
        },
        kind=str(raw.get("kind", "table")),
        geography={str(k): str(v) for k, v in (raw.get("geography") or {}).items()},
    )


def load_mappings(directory: Path, catalog: dict[str, Indicator]) -> list[Mapping]:
    """Every data/producers/*.yml against its schema (observatory/inputs/schemas/producer.json), then
    against the catalog; all the problems of all the files at once."""
    problems: list[Problem] = []
    mappings = []
    for path in sorted(directory.glob("*.yml")):
        try:
            raw = load_yaml(path)
        except ObservatoryError as error:
            problems += error.problems
            continue
        found = schemas.check(path, raw, "producer") or _mapping_problems(path, raw, catalog)
        problems += found
        if not found:
            mappings.append(_mapping(path, raw))
    if problems:
        raise ObservatoryError(problems, schemas.context("Les tables de correspondance des producteurs"))
    return mappings
