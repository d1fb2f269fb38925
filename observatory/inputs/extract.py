"""`observatory extract`: the producers' rows for the configured territories, byte for byte.

The one copy of producer rows the project holds (data/extract/): for each producer or reference
file that a mapping reads, its header line(s) and the lines whose territory concerns the
observatory, unchanged (encoding, BOM, separator, padding, line ends); for the 2024 layer, the
features of the configured quartiers; for a workbook (Filosofi by IRIS 2019), its first sheet's
title rows, header and rows in scope, cell values unchanged, in a workbook written again (a
workbook's bytes cannot be cut). MANIFEST.csv gives each source file's sha256, its rows,
the rows kept and the rule. The default build reads this folder as its producers' folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from xml.sax.saxutils import escape

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.config import Config
from observatory.inputs.data_folder import walk
from observatory.inputs.files import load_layer
from observatory.inputs.perimeters import load_perimeters
from observatory.inputs.sources.census import commune_code, read_geography
from observatory.inputs.sources.mappings import Mapping
from observatory.inputs.sources.producers import producer_files
from observatory.inputs.sources.schools import COLUMNS as SCHOOL_COLUMNS
from observatory.inputs.territories import Referential

MANIFEST = "MANIFEST.csv"
MANIFEST_COLUMNS = ["fichier", "sha256_source", "lignes_source", "lignes_gardees", "regle"]
LAYER = re.compile(r"qpv2024.*\.geojson")


@dataclass(frozen=True)
class Scope:
    """The codes of the configured territories, by kind of code."""

    qp2015: frozenset[str]
    quartiers: frozenset[str]  # 2024 codes
    communes: frozenset[str]  # communes of the quartiers and of the périmètres d'attention
    region_communes: frozenset[str]  # every commune of the quartiers' régions (census sums)
    epci: frozenset[str]
    departements: frozenset[str]
    regions: frozenset[str]
    schools: frozenset[str]  # UAI codes the referential declares
    iris_communes: frozenset[str] = frozenset()  # the quartiers' communes and those of the contracts' EPCI

    def keeps(self, kind: str, code: str) -> bool:
        code = code.strip()
        if kind == "qp2015":
            return code in self.qp2015
        if kind == "commune":
            return commune_code(code) in self.communes
        if kind == "epci":
            return code in self.epci
        if kind == "departement":
            return code.lstrip("0") in self.departements
        if kind == "region":
            return code.lstrip("0") in self.regions
        if kind == "iris":
            return code[:5] in self.iris_communes
        return kind == "metro"


@dataclass
class Extracted:
    name: str  # path relative to the source folder
    sha256: str
    rows: int
    kept: int
    rule: str


def scope_of(config: Config, referential: Referential, source: Path) -> Scope:
    quartiers = [q for q in referential.quartiers if any(set(c.epci) & set(q.epcis) for c in config.contracts)]
    ids = {q.id for q in quartiers}
    regions = {q.region.lstrip("0") for q in quartiers}
    contracts = {f"epci-{siren}" for contract in config.contracts for siren in contract.epci}
    contracts |= {f"epci-{alias}" for alias, target in referential.aliases.items() if target in contracts}
    region_communes: set[str] = set()
    epci_communes: set[str] = set()
    for table in (path for path in walk(source)[0] if fnmatch(path.name, "EPCI*.csv")):
        geography, _ = read_geography(table)
        parents = geography.parents.items() if geography else ()
        region_communes |= {code for code, (_, _, region) in parents if region.removeprefix("reg-") in regions}
        epci_communes |= {code for code, (epci, _, _) in parents if epci in contracts}
    perimeter_communes = frozenset(perimeter.commune for perimeter in load_perimeters(config))
    epci = {t.id.removeprefix("epci-") for t in referential.territories.values() if t.kind == "epci"}
    epci |= {alias for alias, target in referential.aliases.items() if target.startswith("epci-")}
    return Scope(
        qp2015=frozenset(
            code
            for code, links in referential.qp2015.items()
            if any(link.qn2024 in ids or (not link.qn2024 and code in referential.territories) for link in links)
        ),
        quartiers=frozenset(ids),
        communes=frozenset(code for q in quartiers for code in q.communes) | perimeter_communes,
        region_communes=frozenset(region_communes),
        epci=frozenset(epci),
        departements=frozenset(q.departement.lstrip("0") for q in quartiers),
        regions=frozenset(regions),
        schools=frozenset(
            t.id.removeprefix("uai-") for t in referential.territories.values() if t.id.startswith("uai-")
        ),
        iris_communes=frozenset(epci_communes | {code for q in quartiers for code in q.communes} | perimeter_communes),
    )


def _rule(mapping: Mapping, match: re.Match, scope: Scope) -> tuple[str, Callable[[dict], bool]]:
    """The filter of one file: its description and the test on a row's cells."""
    kind = mapping.code_kind(match)
    if mapping.kind in ("geography", "commune_counts"):
        return (
            "communes des régions des quartiers",
            lambda cells: commune_code(_code(cells, mapping)) in scope.region_communes,
        )
    if mapping.kind == "correspondence":
        return "quartiers 2024 configurés", lambda cells: _code(cells, mapping) in scope.quartiers
    if mapping.kind == "metadata" and kind == "iris":

        def label(cells: dict) -> bool:
            return _code(cells, mapping) != "IRIS" or scope.keeps(kind, str(cells.get("COD_MOD") or ""))

        return (
            "libellés des variables et des IRIS des communes des quartiers et des intercommunalités des contrats",
            label,
        )
    if mapping.kind == "metadata":
        return "toutes les lignes", lambda cells: True
    if kind == "uai":
        colleges = match.groupdict().get("kind") == "colleges"

        def school(cells: dict) -> bool:
            if _code(cells, mapping) in scope.schools:
                return True
            return colleges and commune_code(str(cells.get(SCHOOL_COLUMNS["commune"]) or "")) in scope.communes

        return "collèges des communes des quartiers et établissements déclarés", school
    if kind == "qp2015":

        def quartier(cells: dict) -> bool:
            code = _code(cells, mapping)
            return code in mapping.aggregates or scope.keeps(kind, code)

        return "quartiers 2015 liés aux quartiers configurés et lignes d'ensemble", quartier
    if kind == "iris":
        return "IRIS des communes des quartiers et des intercommunalités des contrats", lambda c: scope.keeps(
            kind, _code(c, mapping)
        )
    return f"territoires configurés ({kind})", lambda cells: scope.keeps(kind, _code(cells, mapping))


def _code(cells: dict, mapping: Mapping) -> str:
    return next((str(cells[c] or "").strip().strip('"') for c in mapping.code_columns if c in cells), "")


def extract_file(path: Path, mapping: Mapping, match: re.Match, scope: Scope, target: Path) -> Extracted:
    """Keep the header and the lines in scope, each line's bytes unchanged."""
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    encoding = mapping.encoding
    rule, keep = _rule(mapping, match, scope)
    header: list[str] | None = None
    kept: list[bytes] = []
    rows = header_lines = 0
    for line in lines:
        text = line.decode(encoding if not kept else encoding.replace("-sig", ""), errors="strict")
        cells = next(csv.reader([text.rstrip("\r\n")], delimiter=mapping.delimiter), [])
        if header is None:
            kept.append(line)
            names = [cell.replace("\ufeff", "").strip().strip('"') for cell in cells]
            if set(mapping.code_columns) & set(names):
                header, header_lines = names, len(kept)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if keep(dict(zip(header, cells, strict=False))):
            kept.append(line)
    if header is None:
        raise ObservatoryError(
            [Problem(file=str(path), expected="un en-tête avec " + " ou ".join(mapping.code_columns), found="aucun")]
        )
    if len(kept) > header_lines:  # a file with no row in scope is not written (the manifest says 0)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(kept))
    digest = hashlib.sha256(data).hexdigest()
    return Extracted(name="", sha256=digest, rows=rows, kept=len(kept) - header_lines, rule=rule)


def extract_workbook(path: Path, mapping: Mapping, match: re.Match, scope: Scope, target: Path) -> Extracted:
    """The first sheet's rows down to the header (title rows, labels, codes) and the rows in scope,
    each cell's value unchanged, written again as a workbook of one sheet of the same name."""
    from openpyxl import load_workbook

    data = path.read_bytes()
    rule, keep = _rule(mapping, match, scope)
    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    title = sheet.title
    workbook.close()
    names = [[str(cell or "").strip() for cell in row] for row in rows]
    codes = set(mapping.code_columns)
    header = next(  # the row of codes: it names the code column and the row below does not
        (
            i
            for i, row in enumerate(names)
            if codes & set(row) and not codes & set(names[i + 1] if i + 1 < len(rows) else [])
        ),
        None,
    )
    if header is None:
        raise ObservatoryError(
            [Problem(file=str(path), expected="un en-tête avec " + " ou ".join(mapping.code_columns), found="aucun")]
        )
    body = [row for row in rows[header + 1 :] if any(cell not in (None, "") for cell in row)]
    kept = [row for row in body if keep(dict(zip(names[header], [str(c or "") for c in row], strict=False)))]
    if kept:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(target, title, rows[: header + 1] + kept)
    digest = hashlib.sha256(data).hexdigest()
    return Extracted(
        name="", sha256=digest, rows=len(body), kept=len(kept), rule=f"{rule} (classeur réécrit, valeurs inchangées)"
    )


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _cell(reference: str, value: object) -> str:
    """One cell of a sheet: a number as Python read it, a text inline; no cell for an empty one."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{reference}: {value!r}")  # Insee's sheets hold numbers and texts only
    if isinstance(value, str):
        return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    return f'<c r="{reference}"><v>{value!r}</v></c>'


def write_workbook(path: Path, title: str, rows: list[list[object]]) -> None:
    """A workbook of one sheet, the same bytes for the same rows (no date, fixed archive times)."""
    from openpyxl.utils import get_column_letter

    lines = [
        f'<row r="{r}">' + "".join(_cell(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, 1)) + "</row>"
        for r, row in enumerate(rows, 1)
    ]
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_REL_NS}"><Relationship Id="rId1" '
        f'Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_SHEET_NS}" xmlns:r="{_DOC_REL}"><sheets>'
        f'<sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_REL_NS}"><Relationship Id="rId1" '
        f'Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_SHEET_NS}"><sheetData>'
        + "".join(lines)
        + "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _XML + text)


def extract_layer(path: Path, scope: Scope, target: Path) -> Extracted:
    """The features of the configured quartiers, in the layer's order and structure."""
    data = path.read_bytes()
    layer = load_layer(path, "une couche GeoJSON des quartiers 2024")
    features = layer["features"]
    kept = [f for f in features if (f.get("properties") or {}).get("code_qp") in scope.quartiers]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({**layer, "features": kept}, ensure_ascii=False), encoding="utf-8")
    return Extracted(
        name="",
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(features),
        kept=len(kept),
        rule="contours des quartiers 2024 configurés (objets GeoJSON réécrits, valeurs inchangées)",
    )


def source_files(source: Path, mappings: list[Mapping]) -> list[Path]:
    """The files of `source` an extract may keep (sorted by path): its producer files and 2024
    layers, walked as the build walks the producers' folder (data_folder.walk). What the build
    refuses there (two files of one name, a folder or a looping link named like a producer
    file) is refused here with the same problems, before the previous extract is replaced."""
    if not source.is_dir():
        raise ObservatoryError([Problem(file=str(source), expected="le dossier des fichiers des producteurs")])
    files, problems = producer_files(source, mappings)
    if problems:
        raise ObservatoryError(problems, "Les fichiers des producteurs contiennent des erreurs :")
    return sorted([*files, *(path for path in walk(source)[0] if LAYER.fullmatch(path.name))])


def extract(
    config: Config, referential: Referential, mappings: list[Mapping], source: Path, files: list[Path], target: Path
) -> list[Extracted]:
    """Write the extract of the `files` of `source` (source_files) a mapping reads, and its manifest."""
    scope = scope_of(config, referential, source)
    done: list[Extracted] = []
    for path in files:
        relative = path.relative_to(source)
        if LAYER.fullmatch(path.name):
            item = extract_layer(path, scope, target / relative)
        elif path.suffix.lower() == ".csv":
            found = next(((m, m.match(path.name)) for m in mappings if m.match(path.name)), None)
            if found is None:
                continue
            item = extract_file(path, found[0], found[1], scope, target / relative)
        elif path.suffix.lower() == ".xlsx":
            found = next(((m, m.match(path.name)) for m in mappings if m.match(path.name)), None)
            if found is None:
                continue
            item = extract_workbook(path, found[0], found[1], scope, target / relative)
        else:
            continue
        item.name = relative.as_posix()
        done.append(item)
    write_manifest(target / MANIFEST, done)
    return done


def write_manifest(path: Path, items: list[Extracted]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for item in items:
        writer.writerow([item.name, item.sha256, item.rows, item.kept, item.rule])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def stale_sources(extract_dir: Path, source: Path) -> list[Problem]:
    """Files of the extract whose source no longer has the bytes the manifest recorded."""
    manifest = extract_dir / MANIFEST
    if not manifest.exists() or not source.is_dir():
        return []
    problems = []
    for number, row in enumerate(csv.DictReader(manifest.open(encoding="utf-8"), delimiter=";"), start=2):
        origin = source / row["fichier"]
        if not origin.exists():
            found = "fichier source absent"
        elif hashlib.sha256(origin.read_bytes()).hexdigest() != row["sha256_source"]:
            found = "empreinte différente : la source a changé depuis l'extraction"
        else:
            continue
        problems.append(
            Problem(
                file=str(manifest),
                row=number,
                column="sha256_source",
                expected=f"l'empreinte de {origin}",
                found=found,
                hint=f"Refaites l'extrait : python -m observatory extract --from {source}",
            )
        )
    return problems
