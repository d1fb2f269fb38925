"""IRIS of the quartiers' communes, named by Insee's dictionary of the Filosofi IRIS file.

The IRIS files (insee-filosofi-iris.yml) give figures to territories of kind `iris`; this module
declares those territories before the files are read: each IRIS of a commune of a configured
quartier, with the label Insee gives it in the `IRIS` lines of the 2021 variable dictionary
(`COD_MOD;LIB_MOD`: `590170103;Quartier Salengro`). An IRIS the dictionary does not name is not
a territory of the observatory: its rows are reported as outside it.
"""

from __future__ import annotations

import csv
import io
from fnmatch import fnmatch
from pathlib import Path

from observatory.inputs.data_folder import walk
from observatory.inputs.files import decode, read_bytes
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


def register_iris(data_dir: Path | None, referential: Referential) -> int:
    """Add a territory for each labelled IRIS of a quartier's commune; return how many."""
    if data_dir is None or data_dir.is_file():
        return 0
    communes = {code for quartier in referential.quartiers for code in quartier.communes}
    added = 0
    for path in sorted(path for path in walk(data_dir)[0] if fnmatch(path.name, LABELS)):
        for code, label in iris_labels(path).items():
            commune = code[:5]
            territory_id = f"iris-{code}"
            if commune not in communes or territory_id in referential.territories:
                continue
            town = referential.territories[f"com-{commune}"].name
            referential.territories[territory_id] = Territory(
                id=territory_id,
                kind="iris",
                name=f"{label} ({town})",
                short_name=label,
                in_phrase=f"dans l'IRIS {label} ({town})",
                note=f"IRIS {code} de {town}, libellé de l'Insee ({path.name}).",
                communes=(commune,),
                commune_names=(town,),
            )
            added += 1
    return added
