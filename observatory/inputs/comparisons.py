"""How gaps and their evolution are measured (data/ecarts.yml), and the contracts' key indicators.

In: the declared file of families (schema observatory/inputs/schemas/gaps.json), the catalog, the
configuration and the editorial layouts. Out: a GapFamily per indicator of the catalog, checked: an
indicator is in one family at most (a family may name indicators another observatory's catalog
has); every contract's key indicators are known indicators, each once, each in a family (a typo in
a family leaves its key indicator without one: refused); every contract's layout is declared.
All problems at once, each with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.errors import ObservatoryError, Problem
from observatory.inputs import schemas
from observatory.inputs.catalog import Indicator
from observatory.inputs.config import Config
from observatory.inputs.documents import ENJEUX_LAYOUT, Editorial
from observatory.inputs.files import load_yaml

MEASURES = {
    "points": "l'écart en points (quartier − intercommunalité)",
    "relative": "l'écart en pour cent de la valeur de l'intercommunalité",
}


@dataclass(frozen=True)
class GapFamily:
    """Indicators whose gap to a reference and whose evolution are measured alike."""

    id: str
    label: str
    measure: str  # "points" or "relative" (MEASURES)
    band: float  # a change smaller than this is « stable » (points, or % for "relative")
    reason: str
    caution: str = ""  # the producer's warning on evolutions, quoted
    consecutive: bool = True  # False: no evolution between two consecutive millésimes

    @property
    def relative(self) -> bool:
        return self.measure == "relative"

    @property
    def band_text(self) -> str:
        """« 1 point », « 1 % »: the band as the pages say it."""
        number = f"{self.band:g}".replace(".", ",")
        if self.relative:
            return f"{number}\u00a0%"
        return f"{number}\u00a0point" + ("s" if self.band >= 2 else "")


def load_families(path: Path | None, catalog: dict[str, Indicator]) -> dict[str, GapFamily]:
    """{indicator id: its family} from the declared file (none declared: {})."""
    if path is None:
        return {}
    raw = load_yaml(path)
    problems = schemas.check(path, raw, "gaps")
    if problems:
        raise ObservatoryError(problems, schemas.context("La mesure des écarts"))
    fields = schemas.Fields(path)
    families: dict[str, GapFamily] = {}
    for index, item in enumerate(raw["families"]):
        family = GapFamily(
            id=item["id"],
            label=item["label"],
            measure=item["measure"],
            band=float(item["band"]),
            reason=" ".join(item["reason"].split()),
            caution=" ".join((item.get("caution") or "").split()),
            consecutive=item.get("consecutive", True),
        )
        for position, indicator_id in enumerate(item["indicators"]):
            where = ["families", index, "indicators", position]
            if indicator_id not in catalog:
                continue  # a catalog of fewer indicators (another observatory) shares the file
            if indicator_id in families:
                other = families[indicator_id].id
                problems.append(
                    fields.problem(where, "un indicateur d'une seule famille", f"{indicator_id}, déjà dans {other}")
                )
            else:
                families[indicator_id] = family
    if problems:
        raise ObservatoryError(problems, schemas.context("La mesure des écarts"))
    return families


def _closest(word: str, catalog: dict[str, Indicator]) -> str:
    return (
        schemas.closest(word, catalog)
        or f"Les identifiants sont les noms des fichiers de indicators/ ({len(catalog)})."
    )


def check_contracts(
    config: Config, catalog: dict[str, Indicator], families: dict[str, GapFamily], editorial: Editorial
) -> None:
    """Each contract's key indicators: known, once each, in a family of the gap measure (its
    evolution is measured and banded as the file declares); its layout: declared."""
    fields = schemas.Fields(config.path)
    problems: list[Problem] = []
    for index, contract in enumerate(config.contracts):
        for position, indicator_id in enumerate(contract.key_indicators):
            where = ["contracts", index, "key_indicators", position]
            if indicator_id not in catalog:
                problems.append(
                    fields.problem(where, "un indicateur du catalogue", indicator_id, _closest(indicator_id, catalog))
                )
            elif indicator_id in contract.key_indicators[:position]:
                problems.append(
                    fields.problem(where, "un indicateur clé qui n'est pas déjà dans la liste", indicator_id)
                )
            elif indicator_id not in families:
                expected = "un indicateur d'une famille de la mesure des écarts (data.gaps)"
                found = f"{indicator_id}, d'aucune famille" + ("" if config.gaps else " (data.gaps n'est pas déclaré)")
                problems.append(fields.problem(where, expected, found))
        if contract.layout != ENJEUX_LAYOUT and contract.layout not in editorial.layouts:
            declared = ", ".join([ENJEUX_LAYOUT, *editorial.layouts])
            problems.append(
                fields.problem(
                    ["contracts", index, "layout"], f"une organisation déclarée ({declared})", contract.layout
                )
            )
    if problems:
        raise ObservatoryError(problems, schemas.context("La configuration"))
    _check_layouts(config, catalog)


def _check_layouts(config: Config, catalog: dict[str, Indicator]) -> None:
    """The indicators a layout's sections name (data/enjeux.yml): each in one section (one the catalog
    lacks is left to its enjeu's section: the file may serve an observatory of more indicators)."""
    raw = load_yaml(config.enjeux)
    fields = schemas.Fields(config.enjeux)
    problems = []
    for index, layout in enumerate(raw.get("layouts") or []):
        seen: set[str] = set()
        for number, section in enumerate(layout["sections"]):
            for position, indicator_id in enumerate(section.get("indicators") or []):
                where = ["layouts", index, "sections", number, "indicators", position]
                if indicator_id in seen:
                    problems.append(
                        fields.problem(where, "un indicateur qu'aucune autre section ne nomme", indicator_id)
                    )
                seen.add(indicator_id)
    if problems:
        raise ObservatoryError(problems, schemas.context("Les textes déclarés (sources, enjeux)"))
