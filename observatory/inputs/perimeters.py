"""The périmètres d'attention a contract follows outside its quartiers (data/perimetres.yml).

In: the declared file (schema observatory/inputs/schemas/perimeters.json) and the configuration.
Out: one Perimeter per declared sector, checked: a known contract, an identifier used once. Once
the IRIS are registered (sources/iris.py), `check_iris` refuses an IRIS code that Insee's
dictionary does not know or that lies in another commune, and a neighbouring quartier that is not
one of the observatory's — each with the file and line of its declaration. A list of IRIS nobody
confirmed is not an error: the page and `check` say it is a hypothesis (`unconfirmed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import schemas
from observatory.inputs.config import Config
from observatory.inputs.territories import Referential

WHOLE_COMMUNE = "commune"  # `iris: commune`: every IRIS of the commune (the contract names no sector)


@dataclass(frozen=True)
class Perimeter:
    """One sector a contract follows: its commune, the IRIS that make it up, who confirmed them."""

    id: str
    name: str
    contract: str
    commune: str  # Insee code
    iris: tuple[str, ...] | None  # IRIS codes; None: every IRIS of the commune
    quartiers: tuple[str, ...]  # the quartiers to compare it with (empty: those of the commune)
    words: str  # the contract's words
    basis: str  # how its IRIS list was drawn
    confirmed_by: str = ""  # who confirmed the list ("": a hypothesis)
    commune_note: str = ""
    line: int | None = None  # where it is declared

    def iris_codes(self, referential: Referential) -> tuple[str, ...]:
        """Its IRIS codes: those declared, or every IRIS of its commune the observatory knows."""
        if self.iris is not None:
            return self.iris
        return tuple(
            sorted(
                t.id.removeprefix("iris-")
                for t in referential.territories.values()
                if t.kind == "iris" and t.communes == (self.commune,)
            )
        )


def _clean(text: object) -> str:
    return " ".join(str(text or "").split())


def load_perimeters(config: Config) -> tuple[Perimeter, ...]:
    """The declared périmètres (none declared: ())."""
    path = config.perimeters
    if path is None:
        return ()
    raw = schemas.load(path, "perimeters", schemas.context("Les périmètres d'attention"))
    fields = schemas.Fields(path)
    problems: list[Problem] = []
    perimeters: list[Perimeter] = []
    for index, item in enumerate(raw["perimeters"]):
        if item["contract"] not in config.contract_ids:
            declared = ", ".join(sorted(config.contract_ids))
            problems.append(
                fields.problem(
                    ["perimeters", index, "contract"], f"un contrat de la configuration ({declared})", item["contract"]
                )
            )
        if item["id"] in {p.id for p in perimeters}:
            problems.append(
                fields.problem(["perimeters", index, "id"], "un identifiant qui n'est pas déjà pris", item["id"])
            )
        iris = item["iris"]
        perimeters.append(
            Perimeter(
                id=item["id"],
                name=_clean(item["name"]),
                contract=item["contract"],
                commune=item["commune"],
                iris=None if iris == WHOLE_COMMUNE else tuple(iris),
                quartiers=tuple(item.get("quartiers") or ()),
                words=_clean(item["words"]),
                basis=_clean(item["basis"]),
                confirmed_by=_clean(item.get("confirmed_by")),
                commune_note=_clean(item.get("commune_note")),
                line=fields.line(["perimeters", index]),
            )
        )
    if problems:
        raise ObservatoryError(problems, schemas.context("Les périmètres d'attention"))
    return tuple(perimeters)


def check_iris(path: Path, perimeters: tuple[Perimeter, ...], referential: Referential) -> None:
    """Every declared IRIS is one Insee's dictionary labels, in the declared commune; every declared
    quartier is one of the observatory's; a whole commune has IRIS."""
    fields = schemas.Fields(path)
    problems: list[Problem] = []
    for index, perimeter in enumerate(perimeters):
        for position, code in enumerate(perimeter.iris or ()):
            territory = referential.territories.get(f"iris-{code}")
            where = ["perimeters", index, "iris", position]
            if territory is None:
                problems.append(
                    fields.problem(
                        where,
                        "un IRIS que le dictionnaire des IRIS de l'Insee (meta_BASE_TD_FILO_IRIS_*_DISP.csv) nomme",
                        code,
                        "Un code mal recopié, ou un IRIS d'une commune hors des contrats de la configuration.",
                    )
                )
            elif territory.communes != (perimeter.commune,):
                problems.append(
                    fields.problem(
                        where,
                        f"un IRIS de la commune {perimeter.commune}",
                        f"{code}, IRIS de {territory.commune_names[0]}",
                    )
                )
        if perimeter.iris is None and not perimeter.iris_codes(referential):
            problems.append(
                fields.problem(
                    ["perimeters", index, "iris"],
                    f"une commune dont l'Insee publie des IRIS ({perimeter.commune})",
                    "aucun IRIS",
                )
            )
        quartiers = {q.id for q in referential.quartiers}
        for position, code in enumerate(perimeter.quartiers):
            if code not in quartiers:
                problems.append(
                    fields.problem(
                        ["perimeters", index, "quartiers", position], "un quartier 2024 de l'observatoire", code
                    )
                )
    if problems:
        raise ObservatoryError(problems, schemas.context("Les périmètres d'attention"))


def unconfirmed(path: Path, perimeters: tuple[Perimeter, ...]) -> list[str]:
    """One line per périmètre whose IRIS list no person has confirmed (`check` prints them)."""
    return [
        f"{path}, ligne {perimeter.line} : périmètre « {perimeter.name} » — liste d'IRIS à confirmer par une "
        f"personne (champ confirmed_by) : {perimeter.basis}"
        for perimeter in perimeters
        if not perimeter.confirmed_by
    ]
