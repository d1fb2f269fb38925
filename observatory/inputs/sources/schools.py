"""Collèges of the quartiers' communes, from the DEPP's IPS file: who they are, not their figures.

The DEPP files carry no collège ↔ quartier link (the ANCT counts collèges within 300 m of a
quartier, a list not in these files). A quartier page therefore shows the collèges *of its
commune*, said as such; their IPS figures are read like any producer figure (depp-ips.yml).
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from fnmatch import fnmatch
from pathlib import Path

from observatory.inputs.data_folder import walk
from observatory.inputs.files import decode, read_bytes
from observatory.inputs.sources.census import commune_code
from observatory.inputs.territories import Referential, Territory

COLLEGES = "fr-en-ips_colleges_*.csv"
COLUMNS = {
    "uai": "UAI",
    "name": "Nom de l'établissment",
    "commune": "Code INSEE de la commune",
    "commune_name": "Nom de la commune",
    "sector": "Secteur",
}


def register_colleges(data_dir: Path | None, referential: Referential, communes: frozenset[str] = frozenset()) -> int:
    """Add (or complete) a territory for each collège of a quartier's commune or of one of
    `communes` (a périmètre d'attention's: linked to no quartier); return how many."""
    if data_dir is None or data_dir.is_file():
        return 0
    quartiers_of: dict[str, list[str]] = {code: [] for code in communes}
    for quartier in referential.quartiers:
        for code in quartier.communes:
            quartiers_of.setdefault(code, []).append(quartier.id)
    added = 0
    for path in (path for path in walk(data_dir)[0] if fnmatch(path.name, COLLEGES)):
        text = decode(path, read_bytes(path))
        for row in csv.DictReader(io.StringIO(text), delimiter=";"):
            commune = commune_code(row.get(COLUMNS["commune"]) or "")
            if commune not in quartiers_of or not row.get(COLUMNS["uai"]):
                continue
            territory_id = f"uai-{row[COLUMNS['uai']].strip()}"
            commune_name = referential.territories.get(f"com-{commune}")
            town = commune_name.name if commune_name else (row.get(COLUMNS["commune_name"]) or "").title()
            known = referential.territories.get(territory_id)
            related = tuple(dict.fromkeys([*(known.related if known else ()), *quartiers_of[commune]]))
            if known is not None:
                referential.territories[territory_id] = replace(
                    known, related=related, communes=(commune,), commune_names=(town,)
                )
                continue
            name = " ".join(
                word.capitalize() if len(word) > 2 else word.lower()
                for word in (row.get(COLUMNS["name"]) or "").split()
            )
            referential.territories[territory_id] = Territory(
                id=territory_id,
                kind="college",
                name=f"{name} ({town})",
                in_phrase=f"au {name.lower()}" if name.lower().startswith("collège") else f"à {name}",
                related=related,
                note=f"UAI {territory_id[4:]}, {row.get(COLUMNS['sector'], '').strip()} ; collège de la commune "
                "du quartier : le fichier de la DEPP ne dit pas quels quartiers il accueille.",
                communes=(commune,),
                commune_names=(town,),
            )
            added += 1
    _tell_apart(referential)
    return added


def _tell_apart(referential: Referential) -> None:
    """Two collèges of one commune with the same name (two « Saint Joseph » in Lille) are named
    with their UAI code, so that no table names one territory twice."""
    colleges = [t for t in referential.territories.values() if t.kind == "college"]
    names = [t.name for t in colleges]
    for college in colleges:
        if names.count(college.name) > 1:
            named = replace(college, name=f"{college.name.removesuffix(')')}, UAI {college.id[4:]})")
            referential.territories[college.id] = named
