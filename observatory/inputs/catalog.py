"""indicators/*.yml → validated indicator definitions; every problem of every file reported at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import schemas
from observatory.inputs.files import load_yaml
from observatory.model import DIRECTIONS, UNITS, Unit
from observatory.timing import timed


@dataclass(frozen=True)
class Base:
    """The people a rate is measured on, estimated as population × share / 100 (the files give
    no count): under `minimum`, the rate rests on very few people."""

    population: str  # the territory's population (an indicator id)
    share: str  # the share of it the rate is measured on, in % (an indicator id)
    minimum: int


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
    variant_of: str = ""  # the reference measure of the same concept (another income, threshold…)
    variant_note: str = ""  # how this measure differs from it, for a resident
    deducted: bool = False  # published negative, as deducted from income (taxes): said in absolute value
    keywords: tuple[str, ...] = ()  # other words residents search it by (« chômage »)
    base: Base | None = None  # who the rate is measured on, when the files give no count

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


def _field_problems(path: Path, data: object, enjeux: set[int]) -> list[Problem]:
    """The indicator file against its schema (observatory/inputs/schemas/indicator.json), then what the
    schema cannot check: the file's name and the enjeux declared."""
    fields = schemas.Fields(path)
    problems = schemas.check(path, data, "indicator", fields)
    if not isinstance(data, dict):
        return problems
    if isinstance(data.get("id"), str) and data["id"] != path.stem:
        problems.append(fields.problem(["id"], f"le nom du fichier ('{path.stem}')", data["id"]))
    enjeu = data.get("enjeu")
    if isinstance(enjeu, int) and not isinstance(enjeu, bool) and enjeu not in enjeux:
        choices = ", ".join(str(number) for number in sorted(enjeux))
        problems.append(fields.problem(["enjeu"], f"un numéro d'enjeu déclaré ({choices})", str(enjeu)))
    return problems


def _indicator(data: dict) -> Indicator:
    return Indicator(
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
        variant_of=data.get("variant_of", ""),
        variant_note=" ".join(data.get("variant_note", "").split()),
        deducted=data.get("deducted", False),
        keywords=tuple(data.get("keywords", ())),
        base=Base(**data["base"]) if data.get("base") else None,
    )


def _unread(path: Path) -> Problem:
    """A file of the catalog's folder the catalog would skip: an indicator in a `.yaml` file would
    be missing, and every producer column mapped to it reported instead."""
    name = path.name
    suffix = name[name.lower().find(".yml") :] if ".yml" in name.lower() else path.suffix
    renamed = path.suffix.lower() in (".yaml", ".yml")
    hint = (
        "Renommez-le en .yml."
        if renamed
        else "Renommez-le en .yml s'il décrit un indicateur, sinon retirez-le du dossier."
    )
    return Problem(
        file=str(path),
        expected="un fichier .yml",
        found=f"un fichier {suffix or 'sans extension'}, que le catalogue ne lit pas",
        hint=hint,
    )


@timed("read")
def load_catalog(directory: Path, enjeux: set[int]) -> dict[str, Indicator]:
    """Read every indicators/*.yml; raise one ObservatoryError listing all problems."""
    problems: list[Problem] = []
    indicators: dict[str, Indicator] = {}
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise ObservatoryError([Problem(file=str(directory), expected="au moins un fichier d'indicateur .yml")])
    # every other file is said first (hidden ones, .DS_Store or an editor's swap file, left alone)
    unread = sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and not path.match("*.yml") and not path.name.startswith(".")
    )
    problems += [_unread(path) for path in unread]
    for path in files:
        try:
            data = load_yaml(path)
        except ObservatoryError as error:
            problems += error.problems
            continue
        found = _field_problems(path, data, enjeux)
        problems += found
        if not found:
            indicators[data["id"]] = _indicator(data)
    # an indicator refused for another reason, or in a file not read, is still known: its problem is
    # said once, not again in every indicator that names it
    known = {path.stem for path in files} | {path.name.split(".")[0] for path in unread}
    problems += [
        schemas.Fields(directory / f"{i.id}.yml").problem(["variant_of"], "un indicateur du catalogue", i.variant_of)
        for i in indicators.values()
        if i.variant_of and i.variant_of not in known
    ]
    problems += [
        schemas.Fields(directory / f"{i.id}.yml").problem(["base", part], "un indicateur du catalogue", named)
        for i in indicators.values()
        if i.base
        for part, named in (("population", i.base.population), ("share", i.base.share))
        if named not in known
    ]
    if problems:
        raise ObservatoryError(problems, schemas.context("Le catalogue des indicateurs"))
    return dict(sorted(indicators.items(), key=lambda item: (item[1].enjeu, item[1].order, item[0])))
