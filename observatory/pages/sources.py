"""View of the sources and method page.

In: the observatory of one edition (its documents, producer mappings, accounts of the files read,
figures, figures left out, glossary) and its configured wording. Out: a SourcesView holding each
document with its number of figures, each mapping's declared millésimes as table rows, each
file's account, the producers cited, and the texts that belong to this build.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.figures.observatory import Observatory
from observatory.pages.common import text


@dataclass(frozen=True)
class DocumentItem:
    id: str
    title: str
    publisher: str
    date: str  # ISO date, or "" (formatted by the template's date filter)
    reference: str
    summary: str
    figures: int  # figures transcribed from it in this edition


@dataclass(frozen=True)
class MappingRow:
    """One declared group of columns of a producer's file, for one edition of the file."""

    edition: str  # "*" for every edition
    producer: str  # {yyyy} and {yy} written AAAA and AA
    period: str  # the millésime declared, or ""
    period_column: str  # or the column that holds it, or ""
    confidence: str  # etabli | deduit | ""
    undated: bool  # published with its file's year only: date of observation not documented
    basis: str  # how the millésime is known
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class MappingItem:
    id: str
    title: str
    publisher: str
    reference: str
    rows: tuple[MappingRow, ...]


@dataclass(frozen=True)
class AccountRow:
    """What became of the rows of one file read."""

    name: str  # the file's name
    mapped: bool  # recognised by a mapping (else not read)
    read: int
    used: int
    reported: tuple[tuple[str, int], ...]  # (reason, rows), by reason
    figures: int
    role: str  # why the file contributes no figure by design
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class LeftOut:
    """Published figures deliberately not transcribed, and why."""

    what: str
    why: str


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    term: str
    definition: str


@dataclass(frozen=True)
class SourcesView:
    documents: tuple[DocumentItem, ...]  # the documents that are not producers' files
    mappings: tuple[MappingItem, ...]
    accounts: tuple[AccountRow, ...]
    producers: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    glossary: tuple[GlossaryEntry, ...]
    epci_codes: str  # configured: intercommunalités under two codes (territories section)
    aggregates_examples: str  # configured: examples of the declared aggregates
    epci_codes_example: str  # configured: an intercommunalité whose code changed
    two_sources_example: str  # configured: two documents giving two values


def build_sources_view(obs: Observatory) -> SourcesView:
    mapping_ids = {mapping.id for mapping in obs.mappings}
    counts = obs.figures["document"].value_counts()
    return SourcesView(
        documents=tuple(
            DocumentItem(d.id, d.title, d.publisher, d.date, d.reference, d.summary, int(counts.get(d.id, 0)))
            for d in obs.editorial.documents.values()
            if d.id not in mapping_ids
        ),
        mappings=tuple(
            MappingItem(m.id, m.title, m.publisher, m.reference, _mapping_rows(m.editions)) for m in obs.mappings
        ),
        accounts=tuple(_account(account) for account in obs.accounts),
        producers=tuple(sorted(set(obs.figures["producer"]))),
        left_out=tuple(LeftOut(item["what"], item["why"]) for item in obs.editorial.left_out),
        glossary=tuple(GlossaryEntry(e["id"], e["term"], e["definition"]) for e in obs.editorial.glossary),
        epci_codes=text(obs, "territories_epci_codes"),
        aggregates_examples=text(obs, "method_aggregates_examples"),
        epci_codes_example=text(obs, "method_epci_codes_example"),
        two_sources_example=text(obs, "method_two_sources_example"),
    )


def _pattern(declared: str) -> str:
    """A declared name with the file's edition left open: {yyyy} → AAAA, {yy} → AA."""
    return declared.replace("{yyyy}", "AAAA").replace("{yy}", "AA")


def _mapping_rows(editions: dict) -> tuple[MappingRow, ...]:
    """Each declared group, as it applies to its edition (an edition "*" or "kind:edition" is shown
    as declared)."""
    rows = []
    for edition, declared in editions.items():
        for raw in declared:
            group = raw if edition == "*" or ":" in edition else raw.for_edition(edition)
            rows.append(
                MappingRow(
                    edition=edition,
                    producer=_pattern(group.producer),
                    period=_pattern(group.period) if group.period else "",
                    period_column=group.period_column or "",
                    confidence=group.confidence if group.confidence in ("etabli", "deduit") else "",
                    undated=group.published and not group.dated,
                    basis=_pattern(group.basis),
                    indicators=(*group.columns.values(), *group.ratios.keys()),
                )
            )
    return tuple(rows)


def _account(account) -> AccountRow:
    """A producer file's account (sources.producers.Accounting)."""
    return AccountRow(
        name=account.file.split("/")[-1],
        mapped=bool(account.mapping),
        read=account.read,
        used=account.used,
        # the order of Jinja's dictsort: by reason, case ignored
        reported=tuple(sorted(account.reported.items(), key=lambda item: item[0].lower())),
        figures=account.figures,
        role=account.role,
        warnings=tuple(account.warnings),
    )
