"""The staff's reference of the declared YAML files, written from their schemas (observatory/inputs/schemas/).

    python scripts/schema_reference.py           write docs/reference-fichiers.md
    python scripts/schema_reference.py --check   exit 1 when the page is not the one the schemas give

Every key of every kind of file, whether it is required, what it allows (values of closed lists
with their meaning, taken from the Python constants the schemas name) and what it is for. A test
(tests/test_schemas.py) fails when the committed page differs from the generated one.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatory.inputs import schemas  # noqa: E402  (the project's package, run from a checkout)

PAGE = ROOT / schemas.REFERENCE_PAGE

INTRO = """# Référence des fichiers déclarés

Page écrite par `python scripts/schema_reference.py` à partir des schémas des fichiers
(`observatory/inputs/schemas/*.json`) : ne pas la modifier à la main, modifier les schémas puis la refaire.

Chaque construction et `python -m observatory check` vérifient ces fichiers contre leur schéma. Un
champ inconnu (une faute de frappe : `unti:` pour `unit:`), une valeur hors de sa liste, une valeur
d'un autre type (un texte pour un nombre, une liste pour un texte) ou un champ obligatoire absent est
refusé : le message nomme le fichier, le champ (`contracts[0].epci`), sa ligne, ce qui est permis et ce
qui a été trouvé, pour tous les problèmes du fichier à la fois.

Dans les tableaux, `a.b` est le champ `b` de la suite de champs `a`, `a[]` un élément de la liste `a`
et `<nom>` un nom choisi par le fichier (l'identifiant d'un document, une édition, une colonne).
"""


def page() -> str:
    """The whole reference page, one section per kind of file."""
    return "\n".join([INTRO, *(section(kind) for kind in schemas.KINDS)])


def section(kind: str) -> str:
    node = schemas.schema(kind)
    files = ", ".join(f"`{pattern}`" for pattern in node["x-files"])
    lines = [
        f"## {node['title'][0].upper()}{node['title'][1:]}",
        "",
        f"Fichiers : {files} (schéma : `observatory/inputs/schemas/{kind}.json`).",
        "",
        _escaped(node["description"]),
        "",
        "| Champ | Obligatoire | Valeurs admises | Description |",
        "|---|---|---|---|",
    ]
    for path, required, sub in _rows(node, ""):
        cells = [f"`{path}`", "oui" if required else "non", _allowed(sub), _described(sub)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _rows(node: dict, prefix: str) -> Iterator[tuple[str, bool, dict]]:
    """(key path, required, schema) of every key under `node`, depth first, in the schema's order."""
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        yield from _rows(node["items"], f"{prefix}[]")
        return
    required = node.get("required", [])
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, name in required, sub
        yield from _rows(sub, path)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        path = f"{prefix}.<{node.get('propertyNames', {}).get('title', 'nom')}>"
        yield path, False, {**extra, "description": _key_description(node, extra)}
        yield from _rows(extra, path)


def _key_description(node: dict, extra: dict) -> str:
    """« Nom : the key's description Valeur : the value's »."""
    key, value = node.get("propertyNames", {}).get("description", ""), extra.get("description", "")
    return " ".join(
        f"{label} : {text[0].lower()}{text[1:]}" for label, text in (("Nom", key), ("Valeur", value)) if text
    )


def _allowed(node: dict) -> str:
    text = schemas.expected(node)
    if "default" in node:
        default = str(node["default"]).lower() if isinstance(node["default"], bool) else node["default"]
        text += f" ; par défaut : `{default}`"
    return _escaped(text)


def _described(node: dict) -> str:
    text = node.get("description", "")
    meanings = [
        f"`{value}` : {meaning}"
        for reference in _vocabularies(node)
        for value, meaning in schemas.vocabulary(reference).items()
        if meaning
    ]
    if meanings:
        text += " Valeurs : " + " ; ".join(meanings) + "."
    return _escaped(text)


def _vocabularies(node: dict) -> list[str]:
    """The vocabularies a key's value is taken from: its own, or that of its alternatives or items."""
    found = []
    for candidate in [node, *node.get("anyOf", []), node.get("items") or {}, node.get("additionalProperties") or {}]:
        if isinstance(candidate, dict) and "x-vocabulary" in candidate and candidate["x-vocabulary"] not in found:
            found.append(candidate["x-vocabulary"])
    return found


def _escaped(text: str) -> str:
    """Markdown text whose < and > outside `code` are shown, not read as HTML."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else part.replace("<", "&lt;").replace(">", "&gt;") for part in parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit docs/reference-fichiers.md à partir des schémas.")
    parser.add_argument("--check", action="store_true", help="vérifie la page sans l'écrire")
    args = parser.parse_args(argv)
    text = page()
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE.relative_to(ROOT)} n'est plus à jour : python scripts/schema_reference.py", file=sys.stderr)
            return 1
        print(f"{PAGE.relative_to(ROOT)} est à jour.")
        return 0
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    print(f"{PAGE.relative_to(ROOT)} écrit : {len(schemas.KINDS)} genres de fichiers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
