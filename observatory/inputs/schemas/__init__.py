"""Declared YAML files checked against their schemas (observatory/inputs/schemas/*.json, JSON Schema 2020-12).

Every departure from a file's schema becomes a Problem naming the file, the key (`contracts[0].epci`),
what is allowed and what was found, with the line of the key; all the problems of a file at once.
The schemas are also the staff's documentation of these files: scripts/schema_reference.py writes
them out as docs/reference-fichiers.md.

Two annotations of our own, read here:
- `"x-vocabulary": "module:NAME"`: the value is one of the keys (or items) of that Python constant,
  filled in as the schema's `enum` when the schema is loaded: closed vocabularies (units, directions…)
  are written once, in Python;
- `"x-expected"`: what the value must be, in French, where the phrase built from the schema would
  not say it (a pattern).

Checks that a schema cannot express (an enjeu number that the enjeux file declares, an indicator that
the catalog holds…) stay with each file's loader, located with `Fields`.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, ValidationError, validators

from observatory.errors import ObservatoryError, Problem
from observatory.inputs.files import load_yaml, read_text

SCHEMA_DIR = Path(__file__).parent  # the JSON files beside this module
#: the declared files, in the order the reference page describes them
KINDS = ("observatory", "indicator", "producer", "enjeux", "gaps", "perimeters", "sources", "glossary")
REFERENCE_PAGE = "docs/reference-fichiers.md"

KeyPath = Sequence[str | int]  # a key path: ("contracts", 0, "epci")


# --- schemas ---------------------------------------------------------------------------------


@functools.cache
def schema(kind: str) -> dict:
    """The schema of a kind of file, its vocabularies filled in and its local references inlined."""
    raw = json.loads((SCHEMA_DIR / f"{kind}.json").read_text(encoding="utf-8"))
    return _prepared(raw, raw.get("$defs", {}))


def vocabulary(reference: str) -> dict[str, str]:
    """The values of the Python constant `module:NAME`, each with its meaning when it has one."""
    module, name = reference.split(":")
    constant = getattr(importlib.import_module(module), name)
    if isinstance(constant, dict):
        return {
            str(key): value if isinstance(value, str) else getattr(value, "label", "")
            for key, value in constant.items()
        }
    return {str(value): "" for value in sorted(constant)}


def _prepared(node: object, definitions: dict) -> object:
    if isinstance(node, list):
        return [_prepared(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:  # only local, non-recursive references: "#/$defs/name"
        node = {**definitions[node["$ref"].removeprefix("#/$defs/")], **{k: v for k, v in node.items() if k != "$ref"}}
    node = {key: _prepared(value, definitions) for key, value in node.items() if key != "$defs"}
    if "x-vocabulary" in node:
        node["enum"] = list(vocabulary(node["x-vocabulary"]))
    return node


def _integer(_checker: object, instance: object) -> bool:
    """An int, not a bool nor a float such as 1.0 (a number of decimals, an enjeu number)."""
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = validators.extend(
    Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _integer)
)


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    return _Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- what a schema allows, in French ---------------------------------------------------------

TYPE_PHRASES = {
    "string": "un texte",
    "number": "un nombre",
    "boolean": "true ou false",
    "null": "rien (null)",
}


def expected(node: dict) -> str:
    """What a value of this schema must be: « une des valeurs : percent, euro… », « un nombre entier de 0 à 3 »."""
    if "x-expected" in node:
        return node["x-expected"]
    if "enum" in node:
        return "une des valeurs : " + ", ".join(str(value) for value in node["enum"])
    if "anyOf" in node:
        return " ou ".join(expected(branch) for branch in node["anyOf"])
    kinds = node.get("type", [])
    return " ou ".join(_phrase(kind, node) for kind in ([kinds] if isinstance(kinds, str) else kinds))


def _phrase(kind: str, node: dict) -> str:
    if kind == "string" and node.get("format") == "date":
        return "une date AAAA-MM-JJ"
    if kind == "string" and (node.get("pattern") == r"\S" or node.get("minLength")):
        return "un texte non vide"
    if kind == "integer":
        return "un nombre entier" + _bounds(node.get("minimum"), node.get("maximum"))
    if kind == "array":
        return _list_phrase(node)
    if kind == "object":
        return _fields_phrase(node)
    return TYPE_PHRASES[kind]


def _bounds(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" de {low} à {high}"
    if low is not None:
        return f" d'au moins {low}"
    return f" d'au plus {high}" if high is not None else ""


def _list_phrase(node: dict) -> str:
    items = node.get("items") or {}
    inner = items.get("title") or (expected(items) if items else "")
    phrase = "une liste non vide" if node.get("minItems") else "une liste"
    return f"{phrase}, chaque élément : {inner}" if inner else phrase


def _fields_phrase(node: dict) -> str:
    if node.get("additionalProperties") is False:
        phrase = "une suite de champs (" + ", ".join(node.get("properties", {})) + ")"
    else:
        key = (node.get("propertyNames") or {}).get("title", "nom")
        value = node.get("additionalProperties")
        inner = (value.get("title") or expected(value)) if isinstance(value, dict) else "valeur"
        phrase = f"une suite de champs « {key} : {inner} »"
    return f"{node['title']} : {phrase}" if node.get("title") else phrase


def shown(value: object) -> str:
    """A found value as a message quotes it."""
    if value is None:
        return "rien"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _cut(value) if value.strip() else "un texte vide"
    if isinstance(value, dict):
        return _cut("une suite de champs (" + ", ".join(str(key) for key in value) + ")")
    if isinstance(value, list):
        return _cut(json.dumps(value, ensure_ascii=False, default=str))
    return str(value)


def _cut(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def closest(word: object, choices: Iterable[object]) -> str:
    """« Vouliez-vous écrire « unit » ? » for a typo of a known word, else ""."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word, [str(choice) for choice in choices], n=1, cutoff=0.6)
    return f"Vouliez-vous écrire « {match[0]} » ?" if match else ""


# --- where a key is written ------------------------------------------------------------------


def where(parts: KeyPath) -> str:
    """("contracts", 0, "epci") → "contracts[0].epci"."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class Fields:
    """Problems about the keys of one YAML file, each with the line where its key is written (the
    file is parsed for its lines only when there is a problem to locate)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tree: yaml.Node | None = None
        self._read = False
        self.lines: dict[Problem, int] = {}  # the line each problem was located at (0: none)

    def line(self, parts: KeyPath) -> int | None:
        """The line of the deepest key of `parts` written in the file (keys merged with `<<:` are
        found where they are written)."""
        if not self._read:
            self._read = True
            try:
                self._tree = yaml.compose(read_text(self.path), Loader=yaml.SafeLoader)
            except (ObservatoryError, yaml.YAMLError):
                self._tree = None
        node, line = self._tree, None
        for part in parts:
            found = _child(node, part)
            if found is None:
                break
            key, node = found
            line = key.start_mark.line + 1
        return line

    def problem(self, parts: KeyPath, expected: str, found: str = "", hint: str = "") -> Problem:
        """A problem of the value of the key `parts`."""
        line = self.line(parts)
        return self._problem(parts, expected, found, [f"Ligne {line}." if line else "", hint], line)

    def missing(self, parts: KeyPath, name: str, expected: str) -> Problem:
        """A key `name` that the block `parts` lacks."""
        line = self.line(parts) if parts else None
        hint = f"À ajouter au bloc de la ligne {line}." if line else ""
        return self._problem([*parts, name], f"{expected} (champ obligatoire)", "rien", [hint], line)

    def _problem(self, parts: KeyPath, expected: str, found: str, hints: list[str], line: int | None) -> Problem:
        problem = Problem(
            file=str(self.path),
            column=where(parts) or None,
            column_label="champ",
            expected=expected,
            found=found,
            hint=" ".join(hint for hint in hints if hint),
        )
        self.lines[problem] = line or 0
        return problem


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of `part` in a mapping, (item, item) in a sequence."""
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == str(part) and key.tag != "tag:yaml.org,2002:merge":
            return key, value
    for key, value in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            for merged in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                if found := _child(merged, part):
                    return found
    return None


# --- validation ------------------------------------------------------------------------------


def check(path: Path, data: object, kind: str, fields: Fields | None = None) -> list[Problem]:
    """Every departure of `data`, read from `path`, from the schema of its kind, in the file's order."""
    errors = list(_validator(kind).iter_errors(_plain(data)))
    if not errors:
        return []
    fields = fields or Fields(path)
    problems = dict.fromkeys(problem for error in errors for problem in _problems(error, fields))
    return sorted(problems, key=lambda problem: fields.lines.get(problem, 0))


def load(path: Path, kind: str, context: str) -> object:
    """The YAML file, checked against the schema of its kind; all its problems raised at once."""
    data = load_yaml(path)
    problems = check(path, data, kind)
    if problems:
        raise ObservatoryError(problems, context)
    return data


def context(what: str) -> str:
    """« La configuration contient des erreurs (…) : »: the first line of a report."""
    return f"{what} contient des erreurs (chaque champ est décrit dans {REFERENCE_PAGE}) :"


def _plain(value: object) -> object:
    """The data as JSON would hold it: keys as texts, a date YAML read as a date as its text."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def _problems(error: ValidationError, fields: Fields) -> list[Problem]:
    handler = {
        "required": _missing,
        "dependentRequired": _dependent,
        "additionalProperties": _unknown,
        "anyOf": _alternatives,
    }.get(str(error.validator), _wrong)
    return handler(error, fields)


def _wrong(error: ValidationError, fields: Fields) -> list[Problem]:
    found = shown(error.instance)
    if error.validator == "type" and isinstance(error.instance, str):  # enjeu: "6", compare: oui
        found = f"le texte « {found} »"
    hint = closest(error.instance, error.schema.get("enum", ()))
    return [fields.problem(list(error.absolute_path), expected(error.schema), found, hint)]


def _missing(error: ValidationError, fields: Fields) -> list[Problem]:
    properties = error.schema.get("properties", {})
    return [
        fields.missing(list(error.absolute_path), name, expected(properties.get(name, {})) or "une valeur")
        for name in error.validator_value
        if name not in error.instance
    ]


def _dependent(error: ValidationError, fields: Fields) -> list[Problem]:
    """A key that needs another one beside it (variant_of and variant_note go together)."""
    parts = list(error.absolute_path)
    return [
        fields.missing(parts, needed, f"un champ « {needed} » à côté de « {key} »")
        for key, needs in error.validator_value.items()
        if key in error.instance
        for needed in needs
        if needed not in error.instance
    ]


def _unknown(error: ValidationError, fields: Fields) -> list[Problem]:
    known = list(error.schema.get("properties", {}))
    allowed = "un champ connu (" + ", ".join(known) + ")"
    parts = list(error.absolute_path)
    return [
        fields.problem([*parts, key], allowed, key, closest(key, known)) for key in error.instance if key not in known
    ]


def _alternatives(error: ValidationError, fields: Fields) -> list[Problem]:
    """A value that fits none of the alternatives: when its type is that of one alternative only,
    what that alternative says is wrong (a code kind misspelt); else what the alternatives allow."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(int(sub.schema_path[0]), []).append(sub)
    fitting = [
        subs for subs in branches.values() if not any(s.validator == "type" and not s.relative_path for s in subs)
    ]
    if len(fitting) == 1:
        return [problem for sub in fitting[0] for problem in _problems(sub, fields)]
    return _wrong(error, fields)
