"""Declared producer mappings (data/producers/*.yml): which file, which column, which indicator, which millésime.

Staff follow a renamed column or a new edition by editing these files, not Python. A column
group whose millésime is not documented (`period: null`) is read and checked but not published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from observatory.catalog import Indicator
from observatory.documents import Document
from observatory.errors import ObservatoryError, Problem
from observatory.inputs import load_fields

CODE_KINDS = {"qp2015", "commune", "epci", "departement", "region", "metro", "uai"}
#: How a file is read: one row per territory (table), commune counts summed to the EPCI,
#: département and région of a declared commune → EPCI table (commune_counts), the commune → EPCI
#: table itself (geography), a file of variable labels that holds no figure (metadata), or the
#: official 2024 → 2015 correspondence, against which the declared links are checked.
FILE_KINDS = {"table", "commune_counts", "geography", "metadata", "correspondence"}
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


def _problem(path: Path, field_name: str, expected: str, found: object = "") -> Problem:
    return Problem(file=str(path), column=field_name, column_label="champ", expected=expected, found=str(found))


def _group(path: Path, where: str, raw: dict, catalog: dict[str, Indicator], problems: list[Problem]) -> Group:
    for key in ("producer", "basis"):
        if not raw.get(key):
            problems.append(_problem(path, f"{where}.{key}", "un texte", "rien"))
    columns = {str(k).strip(): str(v) for k, v in (raw.get("columns") or {}).items()}
    ratios = {}
    for indicator, pair in (raw.get("ratios") or {}).items():
        if not (isinstance(pair, list) and len(pair) == 2):
            expected = "[numérateur, dénominateur] ou [[colonne, -colonne…], dénominateur]"
            problems.append(_problem(path, f"{where}.ratios.{indicator}", expected, pair))
            continue
        top = tuple(str(term) for term in pair[0]) if isinstance(pair[0], list) else (str(pair[0]),)
        ratios[str(indicator)] = (top, str(pair[1]))
    for indicator in [*columns.values(), *ratios]:
        if indicator not in catalog:
            problems.append(_problem(path, where, "un indicateur du catalogue", indicator))
    period = raw.get("period")
    dated = raw.get("dated", True)
    confidence = str(raw.get("confidence") or "")
    if period is not None and dated and confidence not in CONFIDENCES:
        expected = "le degré de certitude du millésime : " + " ou ".join(CONFIDENCES)
        problems.append(_problem(path, f"{where}.confidence", expected, confidence or "rien"))
    if raw.get("period_column") and not confidence:
        confidence = "etabli"  # the file states the period of each row
    return Group(
        producer=str(raw.get("producer", "")),
        period=str(period) if period is not None else None,
        period_column=raw.get("period_column"),
        basis=str(raw.get("basis", "")),
        confidence=confidence if dated else "",
        dated=bool(dated),
        aggregate=bool(raw.get("aggregate", False)),
        flag=raw.get("flag"),
        columns=columns,
        ratios=ratios,
    )


def load_mappings(directory: Path, catalog: dict[str, Indicator]) -> list[Mapping]:
    problems: list[Problem] = []
    mappings = []
    for path in sorted(directory.glob("*.yml")):
        try:
            raw = load_fields(path)
        except ObservatoryError as error:
            problems += error.problems
            continue
        missing = [
            k
            for k in ("id", "title", "publisher", "reference", "files", "code_column", "codes", "editions")
            if k not in raw
        ]
        problems += [_problem(path, key, "une valeur", "rien") for key in missing]
        if missing:
            continue
        file_kind = str(raw.get("kind", "table"))
        if file_kind not in FILE_KINDS:
            problems.append(_problem(path, "kind", "un type parmi " + ", ".join(sorted(FILE_KINDS)), file_kind))
        geography = {str(k): str(v) for k, v in (raw.get("geography") or {}).items()}
        if file_kind == "commune_counts" and not geography:
            problems.append(_problem(path, "geography", "la table commune → EPCI de chaque édition", "rien"))
        codes = raw["codes"] if isinstance(raw["codes"], dict) else {"*": raw["codes"]}
        for kind in codes.values():
            if kind not in CODE_KINDS:
                problems.append(_problem(path, "codes", "un type parmi " + ", ".join(sorted(CODE_KINDS)), kind))
        try:
            pattern = re.compile(raw["files"])
        except re.error as exc:
            problems.append(_problem(path, "files", "une expression régulière valide", exc))
            continue
        editions = {
            str(edition): tuple(
                _group(path, f"editions.{edition}[{index}]", group, catalog, problems)
                for index, group in enumerate(groups)
            )
            for edition, groups in raw["editions"].items()
        }
        mappings.append(
            Mapping(
                id=raw["id"],
                path=path,
                title=raw["title"],
                publisher=raw["publisher"],
                reference=raw["reference"],
                pattern=pattern,
                code_columns=tuple(raw["code_column"])
                if isinstance(raw["code_column"], list)
                else (str(raw["code_column"]),),
                codes=codes,
                aggregates={str(k): str(v) for k, v in (raw.get("aggregates") or {}).items()},
                encoding=raw.get("encoding", "utf-8-sig"),
                delimiter=raw.get("delimiter", ";"),
                decimal=raw.get("decimal", ","),
                editions=editions,
                kind=file_kind,
                geography=geography,
            )
        )
    if problems:
        raise ObservatoryError(problems, "Les tables de correspondance des producteurs contiennent des erreurs :")
    return mappings
