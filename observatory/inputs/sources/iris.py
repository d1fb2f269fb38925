"""IRIS of the quartiers' communes and of the contracts' EPCI, named by Insee's dictionary of the
Filosofi IRIS file.

The IRIS files (insee-filosofi-iris.yml) give figures to territories of kind `iris`; this module
declares those territories before the files are read: each IRIS of a commune of a configured
quartier, of the contracts' intercommunalities or of a declared périmètre d'attention, with the
label Insee gives it in the `IRIS` lines of the 2021 variable dictionary (`COD_MOD;LIB_MOD`:
`590170103;Quartier Salengro`). An IRIS the dictionary does not name is not
a territory of the observatory: its rows are reported as outside it.
"""

from __future__ import annotations

import csv
import io
from fnmatch import fnmatch
from pathlib import Path

from observatory.inputs.data_folder import walk
from observatory.inputs.files import decode, read_bytes
from observatory.inputs.sources.census import read_geography
from observatory.inputs.sources.mappings import Mapping
from observatory.inputs.territories import Referential, Territory

LABELS = "meta_BASE_TD_FILO_IRIS_*_DISP.csv"
IRIS_VARIABLE = "IRIS"  # COD_VAR of the lines that label an IRIS


def iris_labels(path: Path) -> dict[str, str]:
    """IRIS code → label, from the `IRIS` lines of an Insee dictionary."""
    text = decode(path, read_bytes(path))
    return {
        row["COD_MOD"].strip(): row["LIB_MOD"].strip()
        for row in csv.DictReader(io.StringIO(text), delimiter=";")
        if row.get("COD_VAR") == IRIS_VARIABLE and (row.get("COD_MOD") or "").strip()
    }


def contract_communes(
    data_dir: Path, mappings: list[Mapping], referential: Referential, epcis: set[str]
) -> dict[str, tuple[str, str]]:
    """Commune code → (its EPCI territory id, its name) for the communes of the contracts' EPCI
    (`epci-…` ids), by Insee's commune → EPCI tables (every geography the folder holds: a commune of
    the EPCI in one of them is one of its communes, as for the extract)."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(walk(data_dir)[0]):
        if not any(m.kind == "geography" and m.match(path.name) for m in mappings):
            continue
        geography, _ = read_geography(path)
        if geography is None:
            continue  # its problems are said when the file is read as a producer file
        for code, parents in geography.parents.items():
            target = referential.aliases.get(parents[0].removeprefix("epci-"), "")
            epci = target if target.startswith("epci-") else parents[0]  # the MEL's former SIREN: the MEL
            if epci in epcis and code not in found:
                found[code] = (epci, geography.commune_names.get(code, code))
    return found


def register_iris(
    data_dir: Path | None,
    referential: Referential,
    mappings: list[Mapping] = (),
    epcis: frozenset[str] = frozenset(),
    perimeter_communes: frozenset[str] = frozenset(),
) -> int:
    """Add a territory for each labelled IRIS of a quartier's commune, of a commune of the contracts'
    EPCI (`epci-…` ids) and of a périmètre's commune (which becomes a territory too, for its
    figures); return how many IRIS."""
    if data_dir is None or data_dir.is_file():
        return 0
    members = contract_communes(data_dir, list(mappings), referential, set(epcis)) if epcis else {}
    for code in sorted(perimeter_communes):
        commune_id = f"com-{code}"
        if commune_id not in referential.territories and code in members:
            name = members[code][1]
            referential.territories[commune_id] = Territory(
                id=commune_id,
                kind="commune",
                name=name,
                in_phrase=f"à {name}",
                epcis=(members[code][0].removeprefix("epci-"),),
            )
    communes = (
        {code for quartier in referential.quartiers for code in quartier.communes}
        | set(members)
        | set(perimeter_communes)
    )
    added = 0
    for path in sorted(path for path in walk(data_dir)[0] if fnmatch(path.name, LABELS)):
        for code, label in iris_labels(path).items():
            commune = code[:5]
            territory_id = f"iris-{code}"
            if commune not in communes or territory_id in referential.territories:
                continue
            known = referential.territories.get(f"com-{commune}")
            town = known.name if known else members.get(commune, ("", commune))[1]
            referential.territories[territory_id] = Territory(
                id=territory_id,
                kind="iris",
                name=f"{label} ({town})",
                short_name=label,
                in_phrase=f"dans l'IRIS {label} ({town})",
                note=f"IRIS {code} de {town}, libellé de l'Insee ({path.name}).",
                communes=(commune,),
                commune_names=(town,),
                epcis=(members[commune][0].removeprefix("epci-"),) if commune in members else (),
            )
            added += 1
    return added
