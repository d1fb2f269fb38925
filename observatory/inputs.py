"""Declared text inputs (YAML, JSON) read once: a file that is missing, not UTF-8 or does not parse
becomes a Problem naming the file, the line and column where the parser stopped, and why."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from observatory.errors import ObservatoryError, Problem

UNREADABLE = {FileNotFoundError: "aucun fichier à ce chemin", IsADirectoryError: "un dossier"}


def read_text(path: Path) -> str:
    """The file's text (UTF-8, optional BOM)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        found = UNREADABLE.get(type(exc), exc.strerror or str(exc))
        raise ObservatoryError([Problem(file=str(path), expected="un fichier lisible", found=found)]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        found = f"l'octet {data[exc.start]:#04x}"
        problem = Problem(file=str(path), row=line, expected="un fichier encodé en UTF-8", found=found)
        raise ObservatoryError([problem]) from exc


def load_yaml(path: Path) -> object:
    """The parsed YAML file."""
    text = read_text(path)
    try:
        return yaml.safe_load(text)
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
