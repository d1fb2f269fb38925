"""Which 2015 quartier's series a 2024 quartier shows: the ANCT's official correspondence, corrected
by a declared file, and the 2015 quartiers that left the geography.

In: the official table (`qpv_correspondance_2024_2015.csv`: qp2024, statut INCHANGE / MODIFIE /
NOUVEAU / COMMUNE, up to three predecessors qp2015_N with their label_qp2015_N), the corrections
declared in `data.correspondence` (qn2024;qp2015;qp2015_name;action;reason — each with its reason),
and the newest ANCT DEMO file (every 2015 quartier with its communes). Out: `referential.qp2015`
(2015 code → its links) and a territory of kind "quartier2015" for each 2015 quartier shown under
its own name (one of several predecessors, or a quartier without successor).

Rules (written on the method page): a series passes to a 2024 quartier only through a link of the
table or of the corrections; INCHANGE passes as is; MODIFIE passes with « périmètre modifié en
2024 »; a 2024 quartier with several predecessors shows each series apart, under its own name (no
sum); a 2015 quartier split over several 2024 quartiers shows its series on each, saying so.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.data_folder import walk
from observatory.inputs.files import decode, read_bytes
from observatory.inputs.sources.tabular import read_table
from observatory.inputs.territories import QpLink, Referential, Territory
from observatory.names import fold

OFFICIAL_STATUSES = {
    "INCHANGE": "périmètre inchangé en 2024",
    "MODIFIE": "périmètre modifié en 2024",
    "NOUVEAU": "nouveau quartier en 2024, sans prédécesseur",
    "COMMUNE": "commune entière (Mayotte), sans prédécesseur",
}
ACTIONS = {
    "remplace": "remplace les prédécesseurs donnés par la table officielle",
    "ajoute": "ajoute un prédécesseur que la table officielle ne donne pas",
}
CORRECTION_COLUMNS = ["qn2024", "qp2015", "qp2015_name", "action", "reason"]
DEMO = re.compile(r"DEMO_(\d{4})\.csv")
QP_CODE = re.compile(r"QP[0-9][0-9AB]{2}[0-9]{3}")


@dataclass(frozen=True)
class OfficialRow:
    number: int
    qn2024: str
    label: str
    status: str
    predecessors: tuple[tuple[str, str], ...]  # (QP code, label)


@dataclass(frozen=True)
class Correction:
    number: int
    qn2024: str
    qp2015: str
    qp2015_name: str
    action: str
    reason: str


@dataclass
class Correspondence:
    """What was read, kept for `observatory check`: the official rows and the corrections applied."""

    official: dict[str, OfficialRow] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    communes_2015: dict[str, tuple[str, ...]] = field(default_factory=dict)  # QP code → commune names
    names_2015: dict[str, str] = field(default_factory=dict)


def read_official(path: Path) -> tuple[dict[str, OfficialRow], list[Problem]]:
    """The official table, one row per 2024 quartier; a status outside the four is an error."""
    table, problems = read_table(path, ("qp2024",), delimiter=",")
    rows: dict[str, OfficialRow] = {}
    if table is None:
        return rows, problems
    header = table.header
    for name in ("label_qp2024", "statut", "qp2015_1", "label_qp2015_1"):
        if name not in header:
            problems.append(Problem(file=str(path), row=1, column=name, expected="la colonne", found="absente"))
    if problems:
        return rows, problems
    slots = sorted(int(name.rsplit("_", 1)[1]) for name in header if re.fullmatch(r"qp2015_\d", name))
    for number, cells in table.rows:
        row = {name: str(value or "").strip() for name, value in zip(header, cells, strict=True)}
        if row["statut"] not in OFFICIAL_STATUSES:
            problems.append(
                Problem(
                    file=str(path),
                    row=number,
                    column="statut",
                    expected="une valeur parmi " + ", ".join(OFFICIAL_STATUSES),
                    found=row["statut"] or "rien",
                )
            )
            continue
        predecessors = tuple(
            (row[f"qp2015_{n}"], row.get(f"label_qp2015_{n}", "")) for n in slots if row[f"qp2015_{n}"]
        )
        bad = [code for code, _ in predecessors if not QP_CODE.fullmatch(code)]
        if bad:
            problems.append(Problem(file=str(path), row=number, column="qp2015_1", expected="un code QP", found=bad[0]))
            continue
        rows[row["qp2024"]] = OfficialRow(number, row["qp2024"], row["label_qp2024"], row["statut"], predecessors)
    return rows, problems


def read_corrections(path: Path, referential: Referential) -> tuple[list[Correction], list[Problem]]:
    """The declared corrections; each names a quartier of the configuration, a QP code, an action
    and its reason."""
    corrections, problems = [], []
    try:
        text = decode(path, read_bytes(path))
    except ObservatoryError as error:
        return [], error.problems
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    missing = [c for c in CORRECTION_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        expected = "les colonnes " + ", ".join(CORRECTION_COLUMNS)
        return [], [Problem(file=str(path), row=1, expected=expected, found="il manque " + ", ".join(missing))]
    rows = list(enumerate(reader, start=2))
    for number, raw in rows:
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        checks = [
            ("qn2024", row["qn2024"] in referential.territories, "un quartier 2024 du référentiel"),
            ("qp2015", bool(QP_CODE.fullmatch(row["qp2015"])), "un code de quartier 2015 (QP…)"),
            ("action", row["action"] in ACTIONS, "une valeur parmi " + ", ".join(ACTIONS)),
            ("reason", bool(row["reason"]), "la raison de la correction"),
        ]
        wrong = [(column, expected) for column, ok, expected in checks if not ok]
        for column, expected in wrong:
            problems.append(
                Problem(file=str(path), row=number, column=column, expected=expected, found=row[column] or "rien")
            )
        if not wrong:
            corrections.append(
                Correction(number, row["qn2024"], row["qp2015"], row["qp2015_name"], row["action"], row["reason"])
            )
    return corrections, problems


def read_2015_quartiers(data_dir: Path | None) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Names and commune names of the 2015 quartiers, from the newest ANCT DEMO file."""
    if data_dir is None or data_dir.is_file():
        return {}, {}
    files = sorted((p for p in walk(data_dir)[0] if DEMO.fullmatch(p.name)), key=lambda p: p.name)
    if not files:
        return {}, {}
    table, _ = read_table(files[-1], ("CODGEO",))
    if table is None or "LIB_COM" not in table.header:
        return {}, {}
    code, name, communes = (table.header.index(c) for c in ("CODGEO", "LIBGEO", "LIB_COM"))
    names, towns = {}, {}
    for _, cells in table.rows:
        qp = str(cells[code] or "")
        if QP_CODE.fullmatch(qp):
            names[qp] = str(cells[name] or "")
            towns[qp] = tuple(part.strip() for part in str(cells[communes] or "").split(",") if part.strip())
    return names, towns


def predecessors_of(qn2024: str, found: Correspondence) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """(status, predecessors, reason of a correction or "") of one 2024 quartier."""
    row = found.official.get(qn2024)
    status = row.status if row else ""
    predecessors = list(row.predecessors) if row else []
    given = {code for code, _ in predecessors}
    corrections = [c for c in found.corrections if c.qn2024 == qn2024]
    corrections = [c for c in corrections if c.action == "remplace" or c.qp2015 not in given]
    if any(c.action == "remplace" for c in corrections):
        predecessors = []
    for correction in corrections:
        name = correction.qp2015_name or found.names_2015.get(correction.qp2015, correction.qp2015)
        predecessors.append((correction.qp2015, name))
        status = status if status in ("INCHANGE", "MODIFIE") else "MODIFIE"
    reason = " ".join(c.reason for c in corrections)
    return status, tuple(dict.fromkeys(predecessors)), reason


def link_quartiers(
    referential: Referential,
    official: Path | None,
    corrections: Path | None,
    data_dir: Path | None,
    former: str = "communes",
) -> Correspondence:
    """Fill referential.qp2015 from the official table and the corrections; add the 2015 quartiers
    shown under their own name. `former`: which 2015 quartiers without successor get a page —
    "communes" (those of the configured quartiers' communes) or "all"."""
    found = Correspondence()
    problems: list[Problem] = []
    if official is not None:
        found.official, problems = read_official(official)
    if corrections is not None:
        found.corrections, more = read_corrections(corrections, referential)
        problems += more
    if problems:
        raise ObservatoryError(problems, "La correspondance entre quartiers 2015 et 2024 contient des erreurs :")
    found.names_2015, found.communes_2015 = read_2015_quartiers(data_dir)
    chosen = {q.id: predecessors_of(q.id, found) for q in referential.quartiers}
    successors: dict[str, list[str]] = {}
    for qn2024, (_, predecessors, _) in chosen.items():
        for code, _ in predecessors:
            successors.setdefault(code, []).append(qn2024)
    merged = {code for _, predecessors, _ in chosen.values() if len(predecessors) > 1 for code, _ in predecessors}
    for qn2024, (status, predecessors, reason) in sorted(chosen.items()):
        for code, label in predecessors:
            name = label or found.names_2015.get(code, code)
            others = [referential.territories[q] for q in successors[code] if q != qn2024]
            link = QpLink(
                qp2015=code,
                qn2024=qn2024,
                note=_note(code, name, status, others, reason, len(predecessors)),
                name=name,
                status=status,
                territory=code if code in merged else qn2024,
                correction=reason,
                communes=found.communes_2015.get(code, ()),
            )
            referential.qp2015[code] = (*referential.qp2015.get(code, ()), link)
            if code in merged and code not in referential.territories:
                referential.territories[code] = _quartier_2015(code, name, found, tuple(successors[code]))
    if official is not None:
        _add_former(referential, found, former)
    return found


def _note(code: str, name: str, status: str, others: list[Territory], reason: str, count: int) -> str:
    """The note every figure carried by the link shows."""
    note = f"Données du quartier 2015 « {name} » ({code})"
    if status == "INCHANGE":
        note += ", de périmètre inchangé en 2024 (table de correspondance de l'ANCT)."
    else:
        note += " : périmètre modifié en 2024."
    if count > 1:
        note += f" Le quartier 2024 réunit {count} quartiers 2015 : chaque série est montrée à part, sans somme."
    if others:
        names = ", ".join(f"{t.name} ({t.id})" for t in others)
        note += f" Ancien quartier partagé entre ce quartier et {names} : la même série est montrée sur chacun."
    if reason:
        note += f" Lien corrigé par l'observatoire : {reason}"
    return note


def _quartier_2015(code: str, name: str, found: Correspondence, successors: tuple[str, ...]) -> Territory:
    communes = found.communes_2015.get(code, ())
    return Territory(
        id=code,
        kind="quartier2015",
        name=name,
        in_phrase=f"dans le quartier 2015 « {name} »",
        related=successors,
        commune_names=communes,
        departement=code[2:5].lstrip("0"),
    )


def _add_former(referential: Referential, found: Correspondence, former: str) -> None:
    """2015 quartiers that no 2024 quartier follows: a territory each (and a page), so that their
    history stays findable — in the configured quartiers' communes, or everywhere."""
    linked = {code for row in found.official.values() for code, _ in row.predecessors}
    linked |= {c.qp2015 for c in found.corrections}
    communes = {(q.departement.lstrip("0"), fold(name)) for q in referential.quartiers for name in q.commune_names}
    for code, name in sorted(found.names_2015.items()):
        if code in linked or code in referential.territories:
            continue
        departement = code[2:5].lstrip("0")
        towns = found.communes_2015.get(code, ())
        if former != "all" and not any((departement, fold(town)) in communes for town in towns):
            continue
        note = (
            f"Quartier 2015 « {name} » ({code}), sorti de la géographie prioritaire en 2024 : "
            "la table de correspondance de l'ANCT ne lui donne aucun successeur."
        )
        referential.territories[code] = _quartier_2015(code, name, found, ())
        referential.qp2015[code] = (QpLink(code, "", note, name, "SORTI", code),)


def _town(name: str) -> str:
    """A commune's folded name; Paris, Lyon and Marseille's arrondissements count as the city."""
    return re.sub(r" \d+(er|e) arrondissement$", "", fold(name))


def doubtful_rows(found: Correspondence, referential: Referential) -> list[str]:
    """Rows for a person to confirm: 2024 and 2015 labels that share no word of four letters or
    more, predecessors whose communes are none of the 2024 quartier's (crossed pairs)."""
    lines = []
    for quartier in referential.quartiers:
        _, predecessors, reason = predecessors_of(quartier.id, found)
        row = found.official.get(quartier.id)
        where = f"{quartier.id} « {quartier.name} »" + (f" (ligne {row.number})" if row else "")
        towns = {_town(name) for name in quartier.commune_names}
        words = {w for w in fold(quartier.name).split() if len(w) >= 4}
        official = set(row.predecessors) if row else set()
        for code, label in predecessors:
            corrected = " — corrigé : " + reason if (code, label) not in official and reason else ""
            theirs = found.communes_2015.get(code)
            if theirs and not towns & {_town(t) for t in theirs}:
                lines.append(
                    f"{where} ← {code} « {label} » : communes différentes "
                    f"({', '.join(quartier.commune_names)} / {', '.join(theirs)}){corrected}"
                )
            elif fold(label) != fold(quartier.name) and not words & {w for w in fold(label).split() if len(w) >= 4}:
                lines.append(f"{where} ← {code} « {label} » : aucun mot commun aux deux noms{corrected}")
    return lines
