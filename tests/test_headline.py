"""The answer first (issue 26): a quartier page opens on its contract's key indicators against the
contract's intercommunality, is short, and leaves the detail to a page per section."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .conftest import ROOT, page_text
from .html_tables import cell, readable

PANEL_CALL = "Grande Résidence face à la CALL : indicateurs clés du contrat"
PANEL_MEL = "Bizet - Briqueterie face à la MEL : indicateurs clés du contrat"


def _measure_script():
    """scripts/measure_quartier_pages.py, which counts a page's elements as these tests do."""
    spec = importlib.util.spec_from_file_location(
        "measure_quartier_pages", ROOT / "scripts" / "measure_quartier_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_elements = _measure_script().elements


def test_grande_residence_poverty_rate_is_compared_with_the_call_first_ratio_2_1(default_site: Path):
    html = page_text(default_site, "quartiers/QN06225M")
    assert cell(html, PANEL_CALL, "Taux de pauvreté", "Quartier") == "49,9 % chiffre de 2019"
    assert cell(html, PANEL_CALL, "Taux de pauvreté", "CALL, même millésime") == "CALL : 23,6 %"
    assert cell(html, PANEL_CALL, "Taux de pauvreté", "Écart").startswith(
        "2,1 fois le niveau de la CALL (+26,3 points)"
    )
    # the gap's evolution, measured as the comité measures it, with a link to the comité's row
    assert cell(html, PANEL_CALL, "Taux de pauvreté", "Évolution de l'écart") == (
        "écart stable de 2015 à 2019 (+27,2 → +26,3) au comité"
    )
    section = page_text(default_site, "quartiers/QN06225M/revenus-pauvrete")
    lines = readable(section).splitlines()
    start = lines.index("## Taux de pauvreté au seuil de 60 % (revenu disponible)")
    sentence = next(line for line in lines[start:] if line.startswith("49,9 % des habitants"))
    assert sentence.startswith(
        "49,9 % des habitants vivent sous le seuil de pauvreté, soit un niveau 2,1 fois plus élevé que dans la "
        "CALL (23,6 %)"
    )


def test_the_panel_leads_with_the_key_indicators_compared_with_the_epci(default_site: Path):
    lines = readable(page_text(default_site, "quartiers/QN05968M")).splitlines()
    heading = lines.index("## Le quartier face à la MEL")
    assert lines.index("# Bizet - Briqueterie") < heading < lines.index("## Le détail, thème par thème")
    html = page_text(default_site, "quartiers/QN05968M")
    assert cell(html, PANEL_MEL, "Taux de pauvreté", "Quartier") == "41,5 % chiffre de 2019"
    assert cell(html, PANEL_MEL, "Taux de pauvreté", "MEL, même millésime") == "MEL : 19 %"
    assert cell(html, PANEL_MEL, "Taux de pauvreté", "Écart") == "2,2 fois le niveau de la MEL (+22,5 points)"
    # a key indicator without a figure for the quartier says why, never 0
    assert cell(html, PANEL_MEL, "Allocataires au RSA socle", "Quartier") == "22,56 % chiffre au 31 décembre 2021"


def test_a_key_indicator_without_the_epci_at_the_same_millesime_says_so_and_names_what_exists(default_site: Path):
    html = page_text(default_site, "quartiers/QN06225M")
    assert cell(html, PANEL_CALL, "Taux d'emploi 15-64 ans", "CALL, même millésime") == "—"
    assert cell(html, PANEL_CALL, "Taux d'emploi 15-64 ans", "Écart").startswith(
        "Pas de chiffre de la CALL pour 2019 (dernier : 53,5 % en 2018)"
    )
    assert cell(html, PANEL_CALL, "Jeunes 16-25 ans ni en emploi ni en formation", "Quartier") == "non disponible"


def test_quartier_pages_are_short_and_section_pages_hold_the_detail(default_site: Path, observatory):
    for quartier in observatory.quartiers():
        folder = default_site / "quartiers" / quartier.id
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert len(html.encode("utf-8")) <= 150_000, quartier.id
        assert _elements(html) <= 2_000, quartier.id
        sections = sorted(folder.glob("*/index.html"))
        assert len(sections) >= 6, quartier.id
        for page in sections:
            assert _elements(page.read_text(encoding="utf-8")) <= 3_000, page


def test_no_page_of_the_site_is_over_300_kb_or_3000_elements(default_site: Path):
    heavy = [
        (str(page.relative_to(default_site)), size, count)
        for page in default_site.rglob("*.html")
        if (size := page.stat().st_size) > 300_000 or (count := _elements(page.read_text(encoding="utf-8"))) > 3_000
    ]
    assert heavy == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # the CALL's quartiers follow its piliers, the MEL's its enjeux (the sixth on two pages)
        ("QN06225M", ["revenus-pauvrete", "isolement-acces-droits", "enfance-jeunesse", "sante", "emploi"]),
        ("QN05968M", ["enfance-reussite-educative", "acces-emploi", "revenus-pauvrete", "precarite-acces-droits"]),
    ],
)
def test_each_contract_lays_its_quartiers_out_its_own_way(default_site: Path, code: str, expected: list[str]):
    html = page_text(default_site, f"quartiers/{code}")
    for slug in expected:
        assert f'href="../../quartiers/{code}/{slug}/"' in html
        assert (default_site / "quartiers" / code / slug / "index.html").exists()


def test_a_figure_s_millesime_is_said_once_in_plain_words_and_file_names_stay_in_the_source(default_site: Path):
    lines = readable(page_text(default_site, "quartiers/QN06225M/isolement-acces-droits")).splitlines()
    said = [line for line in lines if "date d'observation non documentée" in line]
    assert said == []  # the producer's phrase for an undated file is never printed as is
    visible = [line for line in lines if "chiffre publié en" in line.lower() and "non précisée par la source" in line]
    assert visible  # said once, in the source details
    assert not any("TX_TOT_0A24" in line for line in lines if not line.startswith("Source :"))


def test_several_measures_of_poverty_say_how_they_differ(default_site: Path):
    lines = readable(page_text(default_site, "quartiers/QN06225M/revenus-pauvrete")).splitlines()
    declared = lines.index("## Taux de pauvreté au seuil de 60 % du revenu déclaré")
    note = next(line for line in lines[declared:] if line.startswith("Une autre mesure"))
    assert note.startswith(
        "Une autre mesure que [Taux de pauvreté au seuil de 60 % (revenu disponible)](#taux-pauvrete-60) : Calculé "
        "sur le revenu déclaré"
    )


def test_taxes_read_as_the_producer_means_them(default_site: Path):
    lines = readable(page_text(default_site, "quartiers/QN06225M/revenus-pauvrete")).splitlines()
    taxes = lines.index("## Part des impôts dans le revenu disponible")
    sentence = next(line for line in lines[taxes:] if line.startswith("Les impôts directs retirent"))
    assert "−" not in sentence.split(",")[0]  # « retirent 7,2 % », not « −7,2 % »
    assert "de moins que dans la CALL" in sentence


def test_every_link_of_a_quartier_panel_lands_on_its_figure(default_site: Path):
    """A tap on a key indicator opens its section at its heading: no link to a heading the section does
    not have (an indicator without a figure for the quartier is not linked)."""
    import re

    targets = 0
    for page in sorted((default_site / "quartiers").glob("QN*/index.html")):
        html = page.read_text(encoding="utf-8")
        panel = html[html.index('<table class="data key">') : html.index("</table>", html.index('class="data key"'))]
        for section, anchor in re.findall(r'href="\.\./\.\./quartiers/[^/]+/([^/]+)/#([^"]+)"', panel):
            target = (page.parent / section / "index.html").read_text(encoding="utf-8")
            assert f'id="{anchor}"' in target, f"{page.parent.name}/{section}/#{anchor}"
            targets += 1
    assert targets > 300  # 48 quartiers, 12 key indicators each, most of them with a figure
    le_parc = page_text(default_site, "quartiers/QN05991N")  # new in 2024: no figure, no link
    assert "QN05991N/enfance-reussite-educative/#" not in le_parc
