"""Quartiers 2024 and reference territories: who is who, and who compares with whom."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.files import decode, other_separator, read_bytes, repeated_columns, separator_phrase
from observatory.timing import timed

KINDS = {
    "quartier": "quartier prioritaire 2024",
    "quartier2015": "quartier prioritaire 2015",
    "commune": "commune",
    "epci": "intercommunalité",
    "departement": "département",
    "region": "région",
    "pays": "pays",
    "ensemble": "ensemble de territoires",
    "iris": "IRIS",
    "college": "collège",
    "etablissements": "ensemble d'établissements scolaires",
    "population": "population",
}
TERRITORY_COLUMNS = ["id", "kind", "name", "short_name", "in_phrase", "aliases", "related", "note"]


@dataclass(frozen=True)
class Territory:
    id: str
    kind: str
    name: str
    short_name: str = ""
    in_phrase: str = ""  # "dans la MEL", "à Armentières": used in sentences
    with_phrase: str = ""  # "avec la France" where "avec" + in_phrase does not read
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # quartiers whose pages show this territory's figures
    note: str = ""
    communes: tuple[str, ...] = ()  # quartiers: INSEE codes
    commune_names: tuple[str, ...] = ()
    epcis: tuple[str, ...] = ()
    departement: str = ""
    region: str = ""

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def phrase(self) -> str:
        return self.in_phrase or f"pour {self.label}"

    @property
    def phrase_name(self) -> str:
        """Its name inside a sentence: « la MEL », « Armentières », « le Nord »."""
        return self.with_.removeprefix("avec ")

    @property
    def with_(self) -> str:
        """'avec la MEL', 'avec Armentières', 'avec la France métropolitaine'."""
        if self.with_phrase:
            return self.with_phrase
        for prefix in ("dans ", "à "):
            if self.in_phrase.startswith(prefix):
                return "avec " + self.in_phrase[len(prefix) :]
        return f"avec {self.label}"


@dataclass(frozen=True)
class QpLink:
    """A link from a 2015 quartier (QP…) to a 2024 quartier (QN…) that follows it, from the
    official correspondence or a declared correction (observatory/figures/correspondence.py)."""

    qp2015: str
    qn2024: str  # "" for a 2015 quartier that left the geography
    note: str  # shown next to every figure the link carries
    name: str = ""  # the 2015 quartier's name
    status: str = ""  # INCHANGE, MODIFIE (official table), SORTI (no successor)
    territory: str = ""  # where its figures go: the QN, or the QP itself when shown apart
    correction: str = ""  # the reason of a declared correction, if any
    communes: tuple[str, ...] = ()  # the 2015 quartier's commune names (LIB_COM), when a file gives them

    @property
    def same_perimeter(self) -> bool:
        return self.status == "INCHANGE"


@dataclass
class Referential:
    territories: dict[str, Territory] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    alias_notes: dict[str, str] = field(default_factory=dict)  # alias → what differs (perimeter)
    qp2015: dict[str, tuple[QpLink, ...]] = field(default_factory=dict)  # QP code → its links

    @property
    def quartiers(self) -> list[Territory]:
        return [t for t in self.territories.values() if t.kind == "quartier"]

    def resolve(self, code: str) -> str | None:
        """Territory id for an id or an alias (the MEL's second EPCI code), else None."""
        if code in self.territories:
            return code
        return self.aliases.get(code)

    def resolve_noted(self, territory_id: str) -> tuple[str | None, str]:
        """(territory id or None, note) for a producer's code: an id, or a bare code declared as an
        alias (the MEL's former SIREN), whose note says how its perimeter differs."""
        found = self.resolve(territory_id)
        if found:
            return found, ""
        code = territory_id.split("-", 1)[-1]
        alias = self.aliases.get(code)
        note = self.alias_notes.get(code, "") if alias else ""
        return alias, note[:1].upper() + note[1:]

    def predecessors(self, quartier_id: str) -> list[QpLink]:
        """2015 quartiers whose series this 2024 quartier shows (on its own series or apart)."""
        return [link for links in self.qp2015.values() for link in links if link.qn2024 == quartier_id]

    def targets(self, qp2015: str) -> list[tuple[str, str, str]]:
        """(territory, note, geography) of each place a 2015 quartier's figures go, once each."""
        found: dict[str, tuple[str, str, str]] = {}
        for link in self.qp2015.get(qp2015, ()):
            geography = "" if link.same_perimeter else "qp2015"
            found.setdefault(link.territory, (link.territory, link.note, geography))
        return list(found.values())

    def rename(self, territory_id: str, name: str) -> None:
        """Give a reference territory its name (an EPCI known only by its SIREN), with its phrase."""
        territory = self.territories[territory_id]
        self.territories[territory_id] = replace(territory, name=name, in_phrase=epci_phrase(name))

    def related_to(self, quartier_id: str) -> list[Territory]:
        return [t for t in self.territories.values() if quartier_id in t.related]


def _not_in(path: Path, row: int, column: str, vocabulary: dict, found: str) -> Problem:
    """A value outside a declared vocabulary, with the vocabulary in the message."""
    return Problem(
        file=str(path), row=row, column=column, expected="une valeur parmi " + ", ".join(vocabulary), found=found
    )


PARENT_PHRASES = {
    "departement": "dans le département {name}",
    "region": "dans la région {name}",
    "epci": "dans l'{name}",
}


def _quartier_rows(path: Path) -> list[tuple[int, dict]]:
    """Quartier rows from the referential CSV, or straight from the ANCT layer (national scale)."""
    if path.suffix.lower() in {".geojson", ".json"}:
        from observatory.inputs.referential import read_layer

        return list(enumerate(read_layer(path, None), start=1))
    columns = ["code", "name", "communes_insee", "communes", "epci_sirens", "departement", "region"]
    return _read_rows(path, ",", columns)


def epci_phrase(name: str) -> str:
    """'dans la CA de Lens-Liévin', 'dans l'Eurométropole de Strasbourg'."""
    if name[:1].lower() in "aeéèiouyh":
        return f"dans l'{name}"
    if name.split(" ", 1)[0] in ("CA", "CC", "CU", "Métropole", "Communauté"):
        return f"dans la {name}"
    return f"dans l'intercommunalité {name}"


def _add_parents(referential: Referential, row: dict) -> None:
    """Départements, régions and EPCI that the declared references do not name get a plain name."""
    parents = [
        (f"dep-{row['departement']}", "departement", row.get("departement_name") or row["departement"]),
        (f"reg-{row['region']}", "region", row.get("region_name") or row["region"]),
        *((f"epci-{siren}", "epci", f"EPCI {siren}") for siren in _split(row["epci_sirens"])),
    ]
    for territory_id, kind, name in parents:
        if referential.resolve(territory_id) is None:
            phrase = PARENT_PHRASES[kind].format(name=name)
            referential.territories[territory_id] = Territory(id=territory_id, kind=kind, name=name, in_phrase=phrase)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def _read_rows(path: Path, delimiter: str, required: list[str]) -> list[tuple[int, dict]]:
    """The rows of a referential CSV (line number, cells), or the problems that stop reading it:
    not readable, not UTF-8, missing columns (another separator?), a row whose field count is not
    the header's (an optional column's field left out included)."""
    text = decode(path, read_bytes(path))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    repeated = repeated_columns(path, reader.fieldnames or [])
    if repeated:
        raise ObservatoryError(repeated)
    missing = [name for name in required if name not in (reader.fieldnames or [])]
    if missing:
        separator = other_separator(text.splitlines(), delimiter, required)
        hint = f"{separator_phrase(separator, delimiter)}." if separator else ""
        expected = "les colonnes " + ", ".join(required) + f" séparées par '{delimiter}'"
        problem = Problem(file=str(path), row=1, expected=expected, found="il manque " + ", ".join(missing), hint=hint)
        raise ObservatoryError([problem])
    rows = [(reader.line_num, row) for row in reader]
    names = reader.fieldnames or []
    cut = rows[-1][0] if rows and not text.endswith(("\n", "\r")) else None  # the last line, unfinished
    problems = [
        Problem(
            file=str(path),
            row=number,
            expected=f"{len(names)} champs séparés par '{delimiter}'",
            found=f"{_field_count(row)} champ{'s' * (_field_count(row) > 1)}",
            hint=_width_hint(number == cut, names[_field_count(row) :], delimiter),
        )
        for number, row in rows
        # every row has the header's fields, an optional column's (with_phrase…) included: one left
        # out would be read empty without a word; a field more is a separator inside a text
        if _field_count(row) != len(names)
    ]
    if problems:
        raise ObservatoryError(problems, "Le référentiel des territoires contient des erreurs :")
    return rows


def _width_hint(cut: bool, missing: list[str], delimiter: str) -> str:
    """Why a row's field count differs from its header's: `missing`, the columns it lacks (none:
    a field more)."""
    if not missing:
        return f"Un texte contient '{delimiter}' : mettez-le entre guillemets, ou écrivez une virgule."
    if cut:
        return "La dernière ligne s'arrête avant sa fin (fichier tronqué ?)."
    read = (
        f"les colonnes {', '.join(missing)} seraient lues vides"
        if len(missing) > 1
        else f"la colonne {missing[0]} serait lue vide"
    )
    return (
        f"Il manque {len(missing)} séparateur{'s' * (len(missing) > 1)} '{delimiter}' : {read}, ou les valeurs "
        "suivantes décalées d'une colonne. Une valeur vide s'écrit aussi, entre ses deux séparateurs."
    )


def _territory(row: dict) -> Territory:
    """A declared reference territory (a row of territories.csv)."""
    return Territory(
        id=row["id"].strip(),
        kind=row["kind"],
        name=row["name"].strip(),
        short_name=row["short_name"].strip(),
        in_phrase=row["in_phrase"].strip(),
        aliases=tuple(alias.split(":", 1)[0].strip() for alias in _split(row["aliases"])),
        related=_split(row["related"]),
        note=row["note"].strip(),
        with_phrase=(row.get("with_phrase") or "").strip(),
    )


def _quartier(referential: Referential, row: dict, path: Path, number: int) -> Territory | Problem:
    """A quartier of the referential, with its communes and parents added; or the Problem of a row
    whose commune codes and names do not pair."""
    communes = _split(row["communes_insee"])
    names = _split(row["communes"])
    if len(communes) != len(names):
        return Problem(
            file=str(path),
            row=number,
            column="communes",
            expected=f"autant de noms de communes que de codes dans 'communes_insee' ({len(communes)}), avec '|'",
            found=f"{len(names)} nom{'s' if len(names) > 1 else ''} : {row['communes']}",
            hint=f"Codes : {row['communes_insee']} ; un nom par code, dans le même ordre.",
        )
    _add_parents(referential, row)
    for code, name in zip(communes, names, strict=True):
        commune_id = f"com-{code}"
        if commune_id not in referential.territories:
            referential.territories[commune_id] = Territory(
                id=commune_id, kind="commune", name=name, in_phrase=f"à {name}"
            )
    return Territory(
        id=row["code"],
        kind="quartier",
        name=row["name"],
        communes=communes,
        commune_names=names,
        epcis=_split(row["epci_sirens"]),
        departement=row["departement"],
        region=row["region"],
    )


def _field_count(row: dict) -> int:
    """How many fields a csv.DictReader row had: its filled columns and those after the last."""
    return sum(value is not None for key, value in row.items() if key is not None) + len(row.get(None) or [])


@timed("read")
def _alias_twice(path: Path, row: int, code: str, first: str, first_row: int | None) -> Problem:
    """An alias declared on a second territory: the figures under that code would go to one of them."""
    return Problem(
        file=str(path),
        row=row,
        column="aliases",
        expected="un alias déclaré pour un seul territoire",
        found=f"{code}, déjà alias de {first} (ligne {first_row})",
        hint="Les chiffres publiés sous ce code seraient attribués au mauvais territoire : "
        "retirez l'alias de l'un des deux.",
    )


def load_referential(quartiers_csv: Path, territories_csv: Path) -> Referential:
    """Read the quartiers (official layer extract) and the declared reference territories."""
    referential = Referential()
    problems: list[Problem] = []
    lines: dict[str, int] = {}  # territory id → its line in its file
    refused: set[str] = set()  # quartiers whose row is refused: not reported again where named

    def add(territory: Territory, path: Path, row: int) -> None:
        if territory.id in referential.territories:
            problems.append(
                Problem(file=str(path), row=row, column="id", expected="un identifiant unique", found=territory.id)
            )
            return
        referential.territories[territory.id] = territory
        lines[territory.id] = row

    for row_number, row in _read_rows(territories_csv, ";", TERRITORY_COLUMNS):
        if row["kind"] not in KINDS:
            problems.append(_not_in(territories_csv, row_number, "kind", KINDS, row["kind"]))
            continue
        territory = _territory(row)
        add(territory, territories_csv, row_number)
        for alias in _split(row["aliases"]):  # "245900410: perimeter of 90 communes"
            code, _, note = alias.partition(":")
            first = referential.aliases.get(code.strip())
            if first is not None and first != territory.id:
                problems.append(_alias_twice(territories_csv, row_number, code.strip(), first, lines.get(first)))
                continue
            referential.aliases[code.strip()] = territory.id
            if note.strip():
                referential.alias_notes[code.strip()] = note.strip()

    for row_number, row in _quartier_rows(quartiers_csv):
        quartier = _quartier(referential, row, quartiers_csv, row_number)
        if isinstance(quartier, Territory):
            add(quartier, quartiers_csv, row_number)
        else:
            problems.append(quartier)
            refused.add(row["code"])
    problems += [
        Problem(
            file=str(territories_csv),
            row=lines.get(territory.id),
            column="related",
            expected="un code de quartier du référentiel",
            found=quartier_id,
            hint=f"Territoire {territory.id}.",
        )
        for territory in referential.territories.values()
        for quartier_id in territory.related
        if quartier_id not in referential.territories and quartier_id not in refused
    ]
    if problems:
        raise ObservatoryError(problems, "Le référentiel des territoires contient des erreurs :")
    return referential


def references_for(quartier: Territory, referential: Referential, extra: list[str]) -> list[str]:
    """Reference territories of a quartier, nearest first: communes, EPCI, département,
    région, France, then the contract's declared aggregates (ensemble des QPV…)."""
    candidates = [f"com-{code}" for code in quartier.communes]
    candidates += [f"epci-{siren}" for siren in quartier.epcis]
    candidates += [f"dep-{quartier.departement}", f"reg-{quartier.region}", "fr-metro", "fr"]
    candidates += extra
    seen: list[str] = []
    for candidate in candidates:
        if candidate in referential.territories and candidate not in seen:
            seen.append(candidate)
    return seen
