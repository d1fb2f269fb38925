"""indicators/*.yml → validated indicator definitions; every problem of every file reported at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import load_fields
from observatory.model import DIRECTIONS, UNITS, Unit
from observatory.territories import KINDS
from observatory.timing import timed

REQUIRED = {
    "id": str,
    "label": str,
    "definition": str,
    "unit": str,
    "direction": str,
    "enjeu": int,
    "producer": str,
    "decimals": int,
}
OPTIONAL = {"sentence": str, "compare": bool, "order": int, "short_label": str, "map": bool, "applies_to": list}
TYPE_NAMES = {str: "un texte", int: "un nombre entier", bool: "vrai ou faux (true/false)", list: "une liste"}


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    definition: str
    unit_code: str
    direction: str
    enjeu: int
    producer: str
    decimals: int
    sentence: str = ""
    compare: bool = True
    order: int = 100
    short_label: str = ""
    map: bool = False  # drawn as a choropleth on the map page (a few headline indicators)
    applies_to: tuple[str, ...] = ()  # kinds of territory it describes (collèges…); () = any

    def applies(self, kind: str) -> bool:
        """False where the indicator is « hors champ » (a collège's IPS for a quartier)."""
        return not self.applies_to or kind in self.applies_to

    @property
    def unit(self) -> Unit:
        return UNITS[self.unit_code]

    @property
    def chart_label(self) -> str:
        return self.short_label or self.label

    @property
    def direction_text(self) -> str:
        """« une valeur plus faible est favorable »."""
        return DIRECTIONS[self.direction]

    @property
    def has_gaps(self) -> bool:
        """Whether the quartier's distance to a reference is computed and followed over millésimes."""
        return self.compare and bool(self.unit.gap_label)


def _field_problems(path: Path, data: dict, enjeux: set[int]) -> list[Problem]:
    def problem(field: str, expected: str, found: object = "") -> Problem:
        return Problem(file=str(path), column=field, column_label="champ", expected=expected, found=str(found))

    problems = []
    for field, kind in REQUIRED.items():
        if field not in data:
            problems.append(problem(field, f"{TYPE_NAMES[kind]} (champ obligatoire)", "rien"))
    for field, value in data.items():
        kind = REQUIRED.get(field) or OPTIONAL.get(field)
        if kind is None:
            known = ", ".join([*REQUIRED, *OPTIONAL])
            problems.append(problem(field, f"un champ connu ({known})", field))
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(problem(field, TYPE_NAMES[kind], value))
        elif kind is str and not value.strip():
            problems.append(problem(field, "un texte non vide", value))
    if isinstance(data.get("id"), str) and data["id"] != path.stem:
        problems.append(problem("id", f"le nom du fichier ('{path.stem}')", data["id"]))
    if isinstance(data.get("unit"), str) and data["unit"] not in UNITS:
        problems.append(problem("unit", "une unité parmi " + ", ".join(UNITS), data["unit"]))
    if isinstance(data.get("direction"), str) and data["direction"] not in DIRECTIONS:
        problems.append(problem("direction", "un sens parmi " + ", ".join(DIRECTIONS), data["direction"]))
    enjeu = data.get("enjeu")
    if isinstance(enjeu, int) and enjeu not in enjeux:
        choices = ", ".join(str(number) for number in sorted(enjeux))
        problems.append(problem("enjeu", f"un numéro d'enjeu déclaré ({choices})", enjeu))
    decimals = data.get("decimals")
    if isinstance(decimals, int) and not 0 <= decimals <= 3:
        problems.append(problem("decimals", "un nombre de décimales entre 0 et 3", decimals))
    kinds = data.get("applies_to")
    if isinstance(kinds, list) and not set(kinds) <= set(KINDS):
        problems.append(problem("applies_to", "des genres de territoire parmi " + ", ".join(KINDS), kinds))
    sentence = data.get("sentence")
    if isinstance(sentence, str) and "{value}" not in sentence:
        problems.append(problem("sentence", "une phrase contenant {value}", sentence))
    return problems


@timed("read")
def load_catalog(directory: Path, enjeux: set[int]) -> dict[str, Indicator]:
    """Read every indicators/*.yml; raise one ObservatoryError listing all problems."""
    problems: list[Problem] = []
    indicators: dict[str, Indicator] = {}
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise ObservatoryError([Problem(file=str(directory), expected="au moins un fichier d'indicateur .yml")])
    for path in files:
        try:
            data = load_fields(path)
        except ObservatoryError as error:
            problems += error.problems
            continue
        found = _field_problems(path, data, enjeux)
        problems.extend(found)
        if found:
            continue
        indicators[data["id"]] = Indicator(
            id=data["id"],
            label=data["label"].strip(),
            definition=data["definition"].strip(),
            unit_code=data["unit"],
            direction=data["direction"],
            enjeu=data["enjeu"],
            producer=data["producer"].strip(),
            decimals=data["decimals"],
            sentence=data.get("sentence", "").strip(),
            compare=data.get("compare", True),
            order=data.get("order", 100),
            short_label=data.get("short_label", "").strip(),
            map=data.get("map", False),
            applies_to=tuple(data.get("applies_to", ())),
        )
    if problems:
        raise ObservatoryError(problems, "Le catalogue des indicateurs contient des erreurs :")
    return dict(sorted(indicators.items(), key=lambda item: (item[1].enjeu, item[1].order, item[0])))
