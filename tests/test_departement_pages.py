"""`pages.by: departement` (the national build): the map and each enjeu have a page per département.

Nationally, an enjeu page ranking all 1 609 quartiers weighed 25 MB and the map 21 MB: a phone
could not open them. With `pages.by: departement`, the map page lists the départements, each drawn
on its own page; an enjeu's page keeps its ambitions, counts the quartiers of each indicator,
names their extremes and compares the national references, and lists the départements, whose
pages rank their quartiers against their intercommunalités, département, région and France. By
default (`contract`, the MEL and CALL observatory) nothing changes (tests/test_golden.py).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from observatory.pages.maps import SEQUENTIAL, classes, colour_of
from observatory.pages.rankings import build_enjeu_view
from observatory.pipeline import build, load

from .conftest import AXE, MINI_CONFIG, copy_mini, page_text, serve
from .html_tables import cell, parse, readable, tables, text_of

PRODUCERS = MINI_CONFIG.parent / "producers"
ENJEU = "enjeux/precarite-acces-droits/"
REVENUE = "Revenu disponible médian annuel par unité de consommation"


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    config = copy_mini(tmp_path_factory.mktemp("departements"))
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_dir: site\n", "site_dir: site\npages:\n  by: departement\n"), "utf-8")
    return config


@pytest.fixture(scope="module")
def site(config: Path) -> Path:
    return build(config, config.parent / "site", PRODUCERS).site_dir


# the producers' « Ensemble » rows: not all of France (data/referential/territories.csv says why)
ENSEMBLE = (
    "Ensemble des quartiers prioritaires de France métropolitaine et de La Réunion (et de Martinique dans les "
    "fichiers Filosofi)"
)


def _links(html: str) -> dict[str, str]:
    """The links of a page's article: {text: target}."""
    article = parse(html).find("article")
    return {text_of(node): node.attrs.get("href", "") for node in article.walk() if node.tag == "a"}


def test_the_map_page_lists_the_departements_each_drawn_on_its_own_page(site):
    national = page_text(site, "carte")
    assert '<svg class="map"' not in national
    assert _links(national)["Nord (59)"] == "../carte/59/"
    assert "Nord (59) : 2 quartiers" in text_of(parse(national).find("article"))
    departement = page_text(site, "carte/59")
    assert '<h1 id="carte-des-quartiers-nord-59">Carte des quartiers — Nord (59)</h1>' in departement
    links = _links(departement)
    assert links["Attargette - Chanzy"] == "../../quartiers/QN05967M/"
    assert links["Les autres départements"] == "../../carte/"


def test_an_enjeu_page_counts_the_quartiers_and_lists_the_departements(site):
    html = page_text(site, ENJEU)
    assert _links(html)["Nord (59)"] == "../../enjeux/precarite-acces-droits/59/"
    assert "Les ambitions du contrat" in html
    captions = [t.caption for t in tables(html)]
    assert not any("— quartiers," in caption for caption in captions)  # no ranking of every quartier
    assert "Un seul quartier a une valeur publiée pour 2018 : Attargette - Chanzy (12 940 €)." in readable(html)
    references = f"{REVENUE} — territoires de référence et établissements, 2018"
    assert cell(html, references, ENSEMBLE, "Valeur") == "14 010 €"
    with pytest.raises(AssertionError):  # an intercommunalité is a département page's reference
        cell(html, references, "Métropole Européenne de Lille", "Valeur")


def test_a_departement_page_ranks_its_quartiers_against_their_references(site):
    html = page_text(site, ENJEU + "59")
    ranking = f"{REVENUE} — quartiers, 2018"
    assert cell(html, ranking, "Attargette - Chanzy", "Valeur") == "12 940 €"
    assert cell(html, ranking, "Attargette - Chanzy", "Rang") == "1"
    references = f"{REVENUE} — territoires de référence et établissements, 2018"
    assert cell(html, references, "Métropole Européenne de Lille", "Valeur") == "20 731 €"
    assert _links(html)["Les ambitions du contrat, les références nationales et les autres départements"] == (
        "../../../enjeux/precarite-acces-droits/"
    )
    assert "Les ambitions du contrat</h2>" not in html


def test_a_departement_page_downloads_the_figures_it_shows(site):
    path = site / "telechargements" / "enjeux" / "precarite-acces-droits" / "59.csv.gz"
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8-sig"))))
    territories = {row["territoire_code"] for row in rows}
    assert {"QN05967M", "epci-200093201"} <= territories
    assert not any(code.startswith("com-") for code in territories)  # communes: on the quartiers' pages
    assert (site / "telechargements" / "enjeux" / "precarite-acces-droits" / "59.xlsx").is_file()


def test_a_quartier_page_leads_to_its_departement_enjeu_pages(site):
    links = _links(page_text(site, "quartiers/QN05967M/precarite-acces-droits"))  # the enjeu 6 in full
    assert links["l'enjeu 6 — Grande précarité, accès aux droits"] == "../../../enjeux/precarite-acces-droits/59/"


def test_departement_pages_are_found_by_their_title_only(site):
    entries = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    of_departement = [e for e in entries if e["location"].startswith((ENJEU + "59/", "carte/59/"))]
    assert sorted(e["location"] for e in of_departement) == ["carte/59/", ENJEU + "59/"]
    assert any(e["title"] == "Enjeu 6 — Grande précarité, accès aux droits : Nord (59)" for e in of_departement)
    assert all(e["text"] == "" for e in of_departement)  # 608 pages nationally: their titles only


def test_a_departement_page_reads_the_figures_of_its_territories_only(config):
    """What an incremental build re-renders: a département's enjeu page depends on its
    indicators' figures of its territories, not on every quartier's (publish/incremental.py)."""
    obs = load(config, config.parent / "site", PRODUCERS)
    enjeu = next(e for e in obs.editorial.enjeux.values() if e.slug == "precarite-acces-droits")
    with obs.recording() as reads:
        view = build_enjeu_view(obs, enjeu, "59")
    assert view.place == "Nord (59)" and view.indicators
    assert not any(read[0] in ("figures_of", "all_figures", "figures_of_indicators") for read in reads)
    scoped = [read for read in reads if read[0] == "figures_of_territories_for"]
    assert set(scoped[0][1]) == {i.id for i in obs.catalog.values() if i.enjeu == enjeu.number}
    assert {"QN05967M", "QN05999X", "dep-59", "epci-200093201"} <= set(scoped[0][2])
    with obs.recording() as reads:
        build_enjeu_view(obs, enjeu)
    assert any(read[0] == "figures_of" for read in reads)


def test_an_incremental_build_renders_again_the_departement_pages_of_a_changed_figure_only(tmp_path):
    """The RSA share of the second quartier (enjeu 6, a headline indicator of the maps) becomes
    known: its page, the indicator's, the enjeu's, the enjeu's page for its département and the
    département's map are rendered again; the département's other enjeu pages are not."""
    config = copy_mini(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_dir: site\n", "site_dir: site\npages:\n  by: departement\n"), "utf-8")
    site = tmp_path / "site"
    first = build(config, site, PRODUCERS, incremental=True)
    assert {"carte/59.md", ENJEU.rstrip("/") + "/59.md", "enjeux/acces-emploi/59.md"} <= set(first.rendered)
    again = build(config, site, PRODUCERS, incremental=True)
    assert not any(page.startswith(("carte/", "enjeux/acces-emploi/")) for page in again.rendered)
    figures = config.parent / "figures" / "armentieres.csv"
    lines = figures.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(";")
    for number, line in enumerate(lines):
        row = line.split(";")
        if row[:2] == ["QN05999X", "part-allocataires-rsa-socle"]:
            row[header.index("value")], row[header.index("status")], row[header.index("note")] = "12,5", "ok", ""
            lines[number] = ";".join(row)
    figures.write_text("\n".join(lines), encoding="utf-8")
    report = build(config, site, PRODUCERS, incremental=True)
    owned = ("quartiers/QN", "indicateurs/", "enjeux/", "carte/")
    rendered = sorted(p for p in report.rendered if p.startswith(owned) and not p.endswith("index.md"))
    quartier = [p for p in rendered if p.startswith("quartiers/QN05999X/")]  # its section pages, with its page
    indicator = [p for p in rendered if p.startswith("indicateurs/part-allocataires-rsa-socle/")]  # its millésimes
    assert sorted(set(rendered) - set(quartier) - set(indicator)) == [
        "carte/59.md",
        "enjeux/precarite-acces-droits.md",
        "enjeux/precarite-acces-droits/59.md",
        "indicateurs/part-allocataires-rsa-socle.md",
        "quartiers/QN05999X.md",
    ]
    assert len(quartier) == 6  # the six enjeux
    full = build(config, tmp_path / "full", PRODUCERS).site_dir
    changed = page_text(site, ENJEU + "59")
    assert changed == page_text(full, ENJEU + "59") and "12,5" in changed


def test_an_indicator_page_counts_the_quartiers_and_leads_to_each_departement(site):
    html = page_text(site, "indicateurs/revenu-median-disponible-uc")
    assert not any("— quartiers," in t.caption for t in tables(html))
    assert "Un seul quartier a une valeur publiée pour 2018 : Attargette - Chanzy (12 940 €)." in readable(html)
    assert _links(html)["Nord (59)"] == "../../enjeux/precarite-acces-droits/59/#revenu-median-disponible-uc"
    departement = page_text(site, ENJEU + "59")
    assert f'<h3 data-search-exclude id="revenu-median-disponible-uc">{REVENUE}</h3>' in departement


DEPARTEMENT_PAGES = ["carte/", "carte/59/", ENJEU, ENJEU + "59/", "indicateurs/revenu-median-disponible-uc/"]


@pytest.mark.needs("playwright", "chromium", "axe")
@pytest.mark.parametrize("path", DEPARTEMENT_PAGES)
def test_departement_pages_are_accessible_and_fit_a_375_px_phone(browser, site, path):
    server = serve(site)
    try:
        page = browser.new_page(viewport={"width": 375, "height": 812})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}", wait_until="networkidle")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], len(v["nodes"])) for v in results["violations"] if v["impact"] in {"serious", "critical"}]
        assert serious == []
        page.close()
    finally:
        server.shutdown()


def test_a_map_legend_has_no_empty_class_where_quartiers_share_a_value():
    """Seven quartiers of a département, three at 36,3 %: equal-count cuts fell twice on 36,3 and
    the legend showed « de 36,3 % à 36,3 % », a colour no quartier had (seen on the national maps)."""
    values = dict(zip("abcdefg", [32.8, 36.3, 36.3, 36.3, 40.5, 41.8, 42.3], strict=True))
    breaks = classes(values)
    assert [(low, high) for low, high, _ in breaks] == [(32.8, 36.3), (36.3, 40.5), (40.5, 42.3)]
    used = {colour_of(value, breaks) for value in values.values()}
    assert used == {colour for _, _, colour in breaks}  # every colour of the legend is on the map
    assert classes({"a": 5.0, "b": 5.0}) == [(5.0, 5.0, SEQUENTIAL[0])]
