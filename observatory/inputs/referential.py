"""Extract the 2024 quartiers of chosen EPCI from the ANCT layer into the project's referential CSV.

The ANCT layer (decree 2023-1314) is an input, not part of the project: this module reads it
once, keeps the official facts (code, name, communes, EPCI, département, région) and writes the
small CSV that the build reads. Run it again when the layer is updated.
"""

from __future__ import annotations

import csv
from pathlib import Path

from observatory.errors import ObservatoryError, Problem, empty_field
from observatory.inputs.files import load_layer

QUARTIER_COLUMNS = [
    "code",
    "name",
    "communes_insee",
    "communes",
    "epci_sirens",
    "departement",
    "departement_name",
    "region",
    "region_name",
]

#: properties that every feature of the ANCT layer gives (the région code is null for the
#: collectivités d'outre-mer)
LAYER_PROPERTIES = ["code_qp", "lib_qp", "insee_dep", "lib_dep", "lib_reg"]


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _absent_properties(layer: Path, features: list[dict]) -> list[Problem]:
    return [
        empty_field(layer, f"features[{index}].properties.{key}")
        for index, feature in enumerate(features)
        for key in LAYER_PROPERTIES
        if (feature.get("properties") or {}).get(key) in (None, "")
    ]


def read_layer(layer: Path, epci_sirens: list[str] | None) -> list[dict[str, str]]:
    """Return the quartiers of the layer attached to any of `epci_sirens` (None: all), sorted by code."""
    features = load_layer(layer, "une couche GeoJSON de l'ANCT")["features"]
    absent = _absent_properties(layer, features)
    if absent:
        raise ObservatoryError(absent, "La couche des quartiers 2024 est incomplète :")
    wanted = set(epci_sirens) if epci_sirens is not None else None
    rows = []
    for feature in features:
        props = feature.get("properties") or {}
        sirens = _split(props.get("siren_epci"))
        if wanted is not None and not wanted.intersection(sirens):
            continue
        communes_insee = _split(props.get("insee_com"))
        communes = _split(props.get("lib_com"))
        if len(communes) != len(communes_insee):
            raise ObservatoryError(
                [
                    Problem(
                        file=str(layer),
                        column="lib_com",
                        expected=f"autant de noms que de codes commune ({len(communes_insee)})",
                        found=str(props.get("lib_com")),
                        hint=f"quartier {props.get('code_qp')}",
                    )
                ]
            )
        rows.append(
            {
                "code": props["code_qp"],
                "name": props["lib_qp"],
                "communes_insee": "|".join(communes_insee),
                "communes": "|".join(communes),
                "epci_sirens": "|".join(sirens),
                "departement": props["insee_dep"],
                "departement_name": props["lib_dep"],
                "region": props.get("insee_reg"),
                "region_name": props["lib_reg"],
            }
        )
    return sorted(rows, key=lambda row: row["code"])


def write_referential(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=QUARTIER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
