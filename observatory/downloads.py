"""Downloads: the figures of each page as CSV and XLSX, the whole tidy table with its datapackage.json.

Files are built in memory, byte for byte reproducible (XLSX archives get a fixed date), and
written by the site stage like any other asset.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile

import pandas as pd
from openpyxl import Workbook

from observatory.model import DIRECTIONS, GEOGRAPHIES, QUALIFIERS, STATISTICS, STATUSES
from observatory.observatory import Observatory

FOLDER = "telechargements"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
}
# (column, type, description) of the downloaded table
FIELDS = [
    ("territoire_code", "string", "Identifiant du territoire (code officiel du quartier 2024, epci-SIREN, dep-…)"),
    ("territoire", "string", "Nom du territoire"),
    ("indicateur_code", "string", "Identifiant de l'indicateur (voir indicateurs.csv)"),
    ("indicateur", "string", "Intitulé de l'indicateur"),
    ("unite", "string", "Unité de la valeur"),
    ("millesime", "string", "Millésime tel que la source l'indique"),
    ("valeur", "number", "Valeur publiée ; vide quand le chiffre n'est pas disponible (jamais 0)"),
    ("statut", "string", "disponible, secret statistique, non publié ou non disponible"),
    ("qualificatif", "string", "« moins de », « plus de », « environ » quand la source le dit"),
    ("statistique", "string", "minimum, maximum ou moyenne quand la source publie ainsi le chiffre"),
    ("producteur", "string", "Producteur et source cités"),
    ("document", "string", "Document ou fichier d'où le chiffre est lu"),
    ("emplacement", "string", "Endroit du document ou colonne du fichier"),
    ("perimetre", "string", "Périmètre du chiffre d'un quartier (2015, 2024, non précisé)"),
    ("note", "string", "Ce qu'il faut savoir pour lire le chiffre"),
]


def table(obs: Observatory, figures: pd.DataFrame) -> pd.DataFrame:
    """The figures as a reader downloads them: named columns, values as numbers, statuses in words."""
    documents = obs.editorial.documents
    rows = []
    for row in figures.itertuples(index=False):
        indicator = obs.catalog[row.indicator]
        value = None if row.status != "ok" or math.isnan(row.value) else round(float(row.value), 6)
        rows.append(
            [
                row.territory,
                obs.territory(row.territory).name,
                row.indicator,
                indicator.label,
                indicator.unit.label,
                row.period,
                value,
                STATUSES.get(row.status) or "disponible",
                QUALIFIERS.get(row.qualifier, ""),
                STATISTICS.get(row.statistic, ""),
                row.producer,
                documents[row.document].title if row.document in documents else row.document,
                row.location,
                GEOGRAPHIES.get(row.geography, ""),
                row.note,
            ]
        )
    return pd.DataFrame(rows, columns=[name for name, _, _ in FIELDS])


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def to_xlsx(frame: pd.DataFrame, title: str, stamp: tuple[int, int, int]) -> bytes:
    """One sheet with a title row above the header; the archive dated `stamp` for reproducibility."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "chiffres"
    sheet.append([title])
    sheet.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and math.isnan(v)) else v for v in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def _fixed_zip(data: bytes, stamp: tuple[int, int, int]) -> bytes:
    """Rewrite an XLSX archive with fixed entry dates and document properties: same input, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda item: item.filename):
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_core(content, stamp)
            entry = zipfile.ZipInfo(info.filename, date_time=(*stamp, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return output.getvalue()


def _fixed_core(content: bytes, stamp: tuple[int, int, int]) -> bytes:
    iso = f"{stamp[0]:04d}-{stamp[1]:02d}-{stamp[2]:02d}T00:00:00Z"
    return re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), content)


def datapackage(obs: Observatory, edition_id: str, edition_date: str) -> bytes:
    """Frictionless data package: the tidy table and the indicators, with fields, units, sources, licence."""
    documents = sorted(set(obs.figures["document"]))
    package = {
        "profile": "tabular-data-package",
        "name": "observatoire-quartiers",
        "title": obs.config.title,
        "version": edition_id,
        "created": edition_date,
        "licenses": [LICENCE],
        "sources": [
            {"title": obs.editorial.documents[d].title, "path": obs.editorial.documents[d].reference}
            for d in documents
            if d in obs.editorial.documents
        ],
        "resources": [
            {
                "name": "chiffres",
                "path": "donnees.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in FIELDS]},
            },
            {
                "name": "indicateurs",
                "path": "indicateurs.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": "code", "type": "string", "description": "Identifiant de l'indicateur"},
                        {"name": "intitule", "type": "string", "description": "Intitulé"},
                        {"name": "definition", "type": "string", "description": "Définition"},
                        {"name": "unite", "type": "string", "description": "Unité des valeurs"},
                        {"name": "sens", "type": "string", "description": "Sens de lecture"},
                        {"name": "producteur", "type": "string", "description": "Producteur"},
                        {"name": "enjeu", "type": "integer", "description": "Numéro de l'enjeu du contrat de la MEL"},
                    ]
                },
            },
        ],
    }
    return (json.dumps(package, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def indicators_csv(obs: Observatory) -> bytes:
    frame = pd.DataFrame(
        [
            [i.id, i.label, i.definition, i.unit.label, DIRECTIONS[i.direction], i.producer, i.enjeu]
            for i in obs.catalog.values()
        ],
        columns=["code", "intitule", "definition", "unite", "sens", "producteur", "enjeu"],
    )
    return to_csv(frame)


def page_downloads(obs: Observatory, name: str, title: str, figures: pd.DataFrame, date: str) -> dict[str, bytes]:
    """CSV and XLSX of the figures one page shows: {docs-relative path: bytes}."""
    frame = table(obs, figures)
    stamp = tuple(int(part) for part in date.split("-"))
    return {f"{FOLDER}/{name}.csv": to_csv(frame), f"{FOLDER}/{name}.xlsx": to_xlsx(frame, title, stamp)}


def all_downloads(obs: Observatory, edition_id: str, date: str) -> dict[str, bytes]:
    files = page_downloads(obs, "donnees", f"{obs.config.title} — toutes les données", obs.figures, date)
    files[f"{FOLDER}/indicateurs.csv"] = indicators_csv(obs)
    files[f"{FOLDER}/datapackage.json"] = datapackage(obs, edition_id, date)
    return files
