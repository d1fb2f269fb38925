"""The README's walk-through « Ajouter un indicateur », done as a newcomer would: one YAML file and one
line in a producer mapping, no Python.

On a copy of the mini observatory (tests/fixtures/mini, built with its producers' files), with a
copy of the project's catalog and mappings: the two snippets are read from README.md, written where
the README says, and the build shows the new indicator's figure in the right cell of its page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from observatory.pipeline import build

from .conftest import ROOT, copy_mini
from .html_tables import cell, figures

INDICATOR = "revenu-declare-q1-uc"
LABEL = "Premier quartile du revenu déclaré annuel par unité de consommation"
MAPPING = "anct-revn.yml"


def _snippets() -> tuple[str, str]:
    """The README section's two YAML blocks: the indicator's file, the mapping's line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Ajouter un indicateur\n", 1)[1].split("\n## ", 1)[0]
    blocks = []
    for fence, body in re.findall(r"^( *)```yaml\n(.*?)\n\1```$", section, flags=re.S | re.M):
        blocks.append("\n".join(line.removeprefix(fence) for line in body.split("\n")))
    assert len(blocks) == 2, "la section « Ajouter un indicateur » du README donne deux extraits YAML"
    return blocks[0] + "\n", blocks[1]


def _add_line(mapping: Path, line: str) -> None:
    """Where the README says: among the columns of `&filo_established`, after the line `{TP60:`."""
    lines = mapping.read_text(encoding="utf-8").split("\n")
    group = next(i for i, text in enumerate(lines) if text.strip().startswith("- &filo_established"))
    after = next(i for i in range(group, len(lines)) if lines[i].strip().startswith("{TP60:"))
    lines.insert(after + 1, line)
    mapping.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("walkthrough")
    config = copy_mini(tmp)
    indicators, producers = tmp / "indicators", tmp / "producers"
    shutil.copytree(ROOT / "indicators", indicators)
    shutil.copytree(ROOT / "data" / "producers", producers)
    settings = config.read_text(encoding="utf-8")
    for key, folder in (("catalog", ROOT / "indicators"), ("producers", ROOT / "data" / "producers")):
        assert f"{key}: {folder}" in settings
    settings = settings.replace(f"catalog: {ROOT}/indicators", f"catalog: {indicators}")
    config.write_text(
        settings.replace(f"producers: {ROOT}/data/producers", f"producers: {producers}"), encoding="utf-8"
    )

    indicator, line = _snippets()
    assert not (indicators / f"{INDICATOR}.yml").exists() and INDICATOR not in (producers / MAPPING).read_text()
    (indicators / f"{INDICATOR}.yml").write_text(indicator, encoding="utf-8")  # step 1: one YAML file
    _add_line(producers / MAPPING, line)  # step 2: one line in a producer mapping

    built = tmp / "site"
    build(config, built, config.parent / "producers")  # the mini observatory's REVN files give DECUC_Q1
    return built


def test_the_new_indicator_has_its_page_with_each_quartiers_figure(site: Path):
    html = (site / "indicateurs" / INDICATOR / "index.html").read_text(encoding="utf-8")
    assert cell(html, f"{LABEL} — quartiers, 2018", "Attargette - Chanzy", "Valeur") == "6 430 €"
    earlier = (site / "indicateurs" / INDICATOR / "2017" / "index.html").read_text(encoding="utf-8")  # its own page
    assert cell(earlier, f"{LABEL} — quartiers, 2017", "Attargette - Chanzy", "Valeur") == "6 210 €"
    assert (
        cell(
            html,
            f"{LABEL} — territoires de référence et établissements, 2018",
            "Ensemble des quartiers prioritaires de France métropolitaine et de La Réunion (et de Martinique "
            "dans les fichiers Filosofi)",
            "Valeur",
        )
        == "7 010 €"
    )


def test_the_quartier_page_shows_the_new_figure_with_its_millesime_and_source(site: Path):
    html = (site / "quartiers" / "QN05967M" / "precarite-acces-droits" / "index.html").read_text(encoding="utf-8")
    shown = [f for f in figures(html) if f.heading == LABEL]
    assert [(f.value, f.period) for f in shown] == [("6 430 €", "chiffre de 2018")]
    assert "(REVN_2022.csv, colonne DECUC_Q1)" in shown[0].source
    series = "1er quartile du revenu déclaré : Attargette - Chanzy et ses références au fil des millésimes"
    assert cell(html, series, "Attargette - Chanzy", "2017") == "6 210 €"  # the short label names the series
    assert cell(html, series, "Attargette - Chanzy", "2018") == "6 430 €"
