"""Declared text inputs (YAML, JSON) read once: a file that is missing, not UTF-8 or does not parse
becomes a Problem naming the file, the line and column where the parser stopped, and why. Bytes
that do not decode (any file, CSV included) say where, whether the file is cut inside a character
and which encoding they look like; a CSV header split by another separator says which one."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

import yaml

from observatory.errors import ObservatoryError, Problem
from observatory.numbers import format_number

UNREADABLE = {FileNotFoundError: "aucun fichier à ce chemin", IsADirectoryError: "un dossier"}


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a file that cannot be read is a Problem (no such file, a folder…)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        found = UNREADABLE.get(type(exc), exc.strerror or str(exc))
        raise ObservatoryError([Problem(file=str(path), expected="un fichier lisible", found=found)]) from exc


def read_text(path: Path) -> str:
    """The file's text (UTF-8, optional BOM)."""
    return decode(path, read_bytes(path))


def decode(path: Path, data: bytes, encoding: str = "utf-8-sig", declared: bool = False) -> str:
    """The text of a file's bytes; a workbook saved under a text name, bytes that do not decode, or
    NUL bytes in UTF-8 (UTF-16 read as UTF-8), raise the Problem that says where and why
    (`declared`: see encoding_problem)."""
    workbook = workbook_problem(path, data, declared)
    if workbook is not None:
        raise ObservatoryError([workbook])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        start = exc.start + len(data) - len(exc.object)  # the decoder counts after a BOM it removed
        cut = exc.reason == "unexpected end of data" and exc.end == len(exc.object)
        raise ObservatoryError([encoding_problem(path, data, start, encoding, declared, cut)]) from exc
    if "\x00" in text and encoding.startswith("utf-8"):
        raise ObservatoryError([encoding_problem(path, data, data.index(b"\x00"), encoding, declared)])
    return text


#: The first bytes of a spreadsheet's binary formats: a ZIP archive (XLSX, ODS) and an OLE2
#: compound file (Excel 97-2003 XLS). No text file starts with them.
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"


def workbook_problem(path: Path, data: bytes, declared: bool = False) -> Problem | None:
    """The problem of a workbook (or another archive) saved under a text file's name, which the
    decoder would otherwise report as text in another encoding; None for any other bytes.
    `declared`: a producer file, whose XLSX twin is read like its CSV (mappings.Mapping.match)."""
    if data.startswith(ZIP_SIGNATURE):
        xlsx = b"xl/workbook.xml" in data  # an entry's name, written uncompressed in the archive
        found = "un classeur Excel (XLSX)" if xlsx else "une archive ZIP"
    elif data.startswith(OLE2_SIGNATURE):
        found, xlsx = "un classeur Excel 97-2003 (XLS)", False
    else:
        return None
    suffix = path.suffix.lower()
    found += f" enregistré sous un nom {suffix or 'sans extension'}"
    if suffix != ".csv":
        return Problem(file=str(path), expected="un fichier texte", found=found, hint="Mettez ici le fichier attendu.")
    hint = "Enregistrez-le en CSV (séparateur ;)"
    if declared:
        hint += " ou renommez-le en .xlsx" if xlsx else " ou au format XLSX (.xlsx)"
    return Problem(file=str(path), expected="un fichier CSV (texte)", found=found, hint=hint + ".")


def looks_like(data: bytes) -> tuple[str, str]:
    """(the encoding bytes that are not UTF-8 look like, its Python name to declare)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 (marque d'ordre des octets en tête)", "utf-16"
    if b"\x00" in data[:4096]:
        return "UTF-16 (octets nuls entre les caractères)", "utf-16"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "un encodage sur un octet (Latin-1 ?)", "latin-1"
    if re.search(rb"[\x80-\x9f]", data):  # € œ ’ « : Windows-1252, not ISO-8859-1
        return "Windows-1252", "cp1252"
    return "Latin-1 (ISO-8859-1 ou Windows-1252)", "latin-1"


def encoding_problem(
    path: Path, data: bytes, start: int, encoding: str, declared: bool = False, cut: bool = False
) -> Problem:
    """Bytes that do not decode from `start` on: the line of that byte, then either a file `cut`
    inside its last character (truncated) or the encoding the bytes look like. `declared`: the
    encoding is declared in a producer mapping (else the file is to be saved in UTF-8)."""
    line = data[:start].count(b"\n") + 1
    name = encoding.removesuffix("-sig").upper()
    if cut:
        found = f"un caractère coupé à l'octet {start + 1} sur {len(data)}, en fin de fichier (fichier tronqué ?)"
        hint = "Le fichier s'arrête au milieu d'un caractère : téléchargez-le ou exportez-le à nouveau."
        return Problem(file=str(path), row=line, expected=f"un fichier {name} complet", found=found, hint=hint)
    label, codec = looks_like(data)
    hint = (
        f"Déclarez l'encodage du fichier dans sa table de correspondance (encoding: {codec})."
        if declared
        else f"Le fichier semble encodé en {label} : enregistrez-le en {name}."
    )
    found = f"l'octet {data[start : start + 1].hex()} (autre encodage ?)"
    return Problem(file=str(path), row=line, expected=f"un fichier encodé en {name}", found=found, hint=hint)


#: At most this many aliases (*name) are expanded in one YAML file, counting an alias inside a
#: block each time an alias repeats that block. The project's files use a few dozen; nested
#: aliases ("billion laughs") reach millions with a few lines, and whatever walks the data then
#: takes minutes and gigabytes before failing: such a file is refused while it is parsed.
MAX_ALIAS_EXPANSIONS = 1_000


class _Refused(yaml.YAMLError):
    """A YAML file that parses but that the observatory refuses (where, expected, found, hint)."""

    def __init__(self, problems: list[tuple[int, str | None, str, str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems  # (line, key, expected, found, hint)


class StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one block (YAML keeps the last silently)
    and more than MAX_ALIAS_EXPANSIONS expanded aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.expanded = 0  # aliases expanded so far, nested ones counted each time
        self.aliases_in: dict[yaml.Node, int] = {}  # node → aliases expanded inside it
        self.repeated: list[tuple[int, str | None, str, str, str]] = []

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            self.expanded += 1 + self.aliases_in.get(node, 0)
            if self.expanded > MAX_ALIAS_EXPANSIONS:
                raise _Refused([_alias_bomb(event)])
            return node
        start = self.expanded
        node = super().compose_node(parent, index)
        self.aliases_in[node] = self.expanded - start
        return node

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            first: dict[object, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if key in first:
                    found = f"{key} aux lignes {first[key]} et {line}"
                    hint = "YAML garderait la dernière valeur sans rien dire : gardez une seule de ces lignes."
                    self.repeated.append((line, str(key), "une clé une seule fois par bloc", found, hint))
                first.setdefault(key, line)
        return super().construct_mapping(node, deep)


def _alias_bomb(event: yaml.AliasEvent) -> tuple[int, str | None, str, str, str]:
    limit = format_number(MAX_ALIAS_EXPANSIONS)
    found = f"plus de {limit} (alias *{event.anchor})"
    hint = "Des alias imbriqués multiplient les données (« billion laughs ») : écrivez les valeurs sans alias."
    return (event.start_mark.line + 1, None, f"au plus {limit} alias développés par fichier", found, hint)


def load_yaml(path: Path) -> object:
    """The parsed YAML file; a key given twice in one block, or aliases expanded past
    MAX_ALIAS_EXPANSIONS, are refused like a syntax error."""
    text = read_text(path)
    loader = StrictLoader(text)
    try:
        data = loader.get_single_data()
        if loader.repeated:
            raise _Refused(sorted(loader.repeated))
    except _Refused as exc:
        problems = [
            Problem(
                file=str(path), row=line, column=key, column_label="champ", expected=expected, found=found, hint=hint
            )
            for line, key, expected, found, hint in exc.problems
        ]
        raise ObservatoryError(problems) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = Problem(
            file=str(path),
            row=mark.line + 1 if mark else None,
            column=str(mark.column + 1) if mark else None,
            expected="un fichier YAML valide",
            found=getattr(exc, "problem", None) or str(exc),
            hint="Le fichier n'a pas été lu : vérifiez à cet endroit l'indentation, les « : » et les guillemets.",
        )
        raise ObservatoryError([problem]) from exc
    finally:
        loader.dispose()
    return data


def load_fields(path: Path) -> dict:
    """A YAML file of 'name: value' fields (an indicator, a producer mapping)."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        problem = Problem(file=str(path), expected="une suite de champs 'nom: valeur'", found=str(data))
        raise ObservatoryError([problem])
    return data


def load_json(path: Path, expected: str = "un fichier JSON valide") -> object:
    """The parsed JSON (GeoJSON) file; `expected` says what the file should be."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = not text[exc.pos :].strip() or exc.msg.startswith("Unterminated")
        hint = (
            "Le fichier s'arrête au milieu des données (tronqué ?) : téléchargez-le à nouveau."
            if truncated
            else "Le fichier n'a pas été lu : corrigez la syntaxe JSON à cet endroit."
        )
        problem = Problem(
            file=str(path), row=exc.lineno, column=str(exc.colno), expected=expected, found=exc.msg, hint=hint
        )
        raise ObservatoryError([problem]) from exc


def load_layer(path: Path, expected: str) -> dict:
    """A GeoJSON layer (a FeatureCollection: its "features" is a list of objects); `expected` says which."""
    layer = load_json(path, expected)
    features = layer.get("features") if isinstance(layer, dict) else None
    if not isinstance(features, list) or not all(isinstance(feature, dict) for feature in features):
        found = "pas de liste d'objets « features »"
        problem = Problem(file=str(path), column="features", column_label="champ", expected=expected, found=found)
        raise ObservatoryError([problem])
    return layer


SEPARATORS = (";", ",", "\t", "|")


def shown_separator(separator: str) -> str:
    return "une tabulation" if separator == "\t" else f"'{separator}'"


def other_separator(lines: Iterable[str], delimiter: str, names: Iterable[str]) -> str | None:
    """The separator that splits one of the first lines into expected column names, when the
    declared one does not; None when none does."""
    wanted = set(names)
    for line in islice(lines, 20):
        for other in SEPARATORS:
            cells = {cell.replace("\ufeff", "").strip().strip('"').strip() for cell in line.split(other)}
            if other != delimiter and wanted & cells:
                return other
    return None


def separator_phrase(found: str, expected: str) -> str:
    """« Le séparateur semble être ',' (attendu ';') »."""
    return f"Le séparateur semble être {shown_separator(found)} (attendu {shown_separator(expected)})"


def repeated_columns(path: Path, names: Iterable[str], row: int = 1) -> list[Problem]:
    """A header that names a column twice: a reader keeps one of them silently (the last, for a
    dictionary), so each repeated name is a problem, with the positions (1 = first column)."""
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        if name:  # empty names pad the end of some producers' headers
            positions.setdefault(name, []).append(position)
    return [
        Problem(
            file=str(path),
            row=row,
            column=name,
            expected="un nom de colonne une seule fois",
            found=f"{name} aux colonnes {', '.join(map(str, where[:-1]))} et {where[-1]}",
            hint="Renommez ou retirez l'une de ces colonnes : une seule serait lue.",
        )
        for name, where in positions.items()
        if len(where) > 1
    ]
