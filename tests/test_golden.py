"""Golden pages: one built page of each type, read as a visitor reads it, compared with a committed
text file.

The mini observatory (tests/fixtures/mini: two quartiers) is built with its producers' files
(tests/fixtures/mini/producers: two editions, a 2015 quartier without successor, contours); each
page below is turned into text by tests/html_tables.readable (headings, paragraphs, table cells row
by row, chart data and labels, link targets) and compared with tests/golden/<name>.txt.

After an intended change: `python -m pytest tests/test_golden.py --update-golden` rewrites the
files; read their diff before committing it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from observatory.pipeline import build

from .conftest import MINI_CONFIG, ROOT, copy_mini
from .html_tables import readable

GOLDEN = Path(__file__).resolve().parent / "golden"
MINI_PRODUCERS = MINI_CONFIG.parent / "producers"
PAGES = {  # golden file → page (URL in the built site); one per page template
    "accueil": "",
    "quartiers": "quartiers/",
    "quartier": "quartiers/QN05967M/",
    "quartier-section": "quartiers/QN05967M/precarite-acces-droits/",
    "quartier-territoires": "quartiers/QN05967M/territoires-lies/",  # built with an IRIS added (`_with_iris`)
    "quartier-2015": "quartiers/QP059071/",
    "enjeux": "enjeux/",
    "enjeu": "enjeux/precarite-acces-droits/",
    "indicateurs": "indicateurs/",
    "indicateur": "indicateurs/taux-pauvrete-60/",
    "indicateur-millesime": "indicateurs/taux-pauvrete-60/2018/",
    "comite": "comite/",
    "comite-indicateur": "comite/taux-pauvrete-60/",
    "changements": "changements/",
    "editions": "editions/",
    "sources": "sources/",
    "carte": "carte/",
    "archive-quartier": "editions/2022/quartiers/QN05967M/",  # an archived edition's page says so
    "hors-quartiers": "perimetres/",  # the mini observatory has no IRIS file: the page says so
    "perimetre": "perimetres/armentieres-salengro/",  # built by the default observatory (`ON_DEFAULT`)
    "secteurs": "perimetres/secteurs-call/",
}
TEMPLATES = {  # page template (templates/pages) → its golden file
    "home": "accueil",
    "quartiers_index": "quartiers",
    "quartier": "quartier",
    "quartier_section": "quartier-section",
    "quartier_others": "quartier-territoires",
    "quartier_2015": "quartier-2015",
    "enjeux_index": "enjeux",
    "enjeu": "enjeu",
    "indicators_index": "indicateurs",
    "indicator": "indicateur",
    "indicator_period": "indicateur-millesime",
    "committee": "comite",
    "committee_indicator": "comite-indicateur",
    "changes": "changements",
    "editions": "editions",
    "sources": "sources",
    "map": "carte",
    "perimeters_index": "hors-quartiers",
    "perimeter": "perimetre",
    "outside_sectors": "secteurs",
}


# the page of the territories linked to a quartier: the mini observatory has none with figures; a
# copy adds one IRIS of the Armentières diagnostic (its real figure, RP 2020) related to Attargette
WITH_IRIS = {"quartier-territoires"}
# the périmètres d'attention and the sectors under the threshold need the Filosofi-by-IRIS files and
# data/perimetres.yml: the default observatory's pages (its build is shared with other tests)
ON_DEFAULT = {"perimetre", "secteurs"}
IRIS_TERRITORY = (
    "iris-armentieres-bizet-leo-lagrange;iris;IRIS Bizet-Léo Lagrange (Armentières);;dans l'IRIS Bizet-Léo Lagrange;;"
    "QN05967M;IRIS concerné par un QPV d'Armentières, le document ne dit pas lequel."
)
IRIS_FIGURE = (
    "iris-armentieres-bizet-leo-lagrange;part-non-scolarises-sans-diplome;2020;23,9;;value;ok;Insee, recensement de "
    "la population 2020;armentieres-volet-communal-2024;Enjeu 1, diagnostic, tableau « MEL / QPV / Écarts »;;"
)


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("golden") / "site"
    report = build(MINI_CONFIG, site, MINI_PRODUCERS)
    assert report.quartiers == 2 and report.editions == 2
    return site


@pytest.fixture(scope="module")
def with_iris(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("golden-iris")
    config = copy_mini(folder)
    for name, line in (("territories.csv", IRIS_TERRITORY), ("figures/armentieres.csv", IRIS_FIGURE)):
        path = config.parent / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n", encoding="utf-8")
    return build(config, folder / "site", MINI_PRODUCERS).site_dir


def test_every_page_template_has_a_golden_page():
    templates = sorted(p.name.removesuffix(".md.j2") for p in (ROOT / "templates" / "pages").glob("*.md.j2"))
    assert templates == sorted(TEMPLATES), "un gabarit de page sans page de référence dans tests/test_golden.py"
    assert set(TEMPLATES.values()) <= set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_its_golden_file(name: str, request):
    fixture = "with_iris" if name in WITH_IRIS else "default_site" if name in ON_DEFAULT else "mini_site"
    site = request.getfixturevalue(fixture)
    shown = readable((site / PAGES[name] / "index.html").read_text(encoding="utf-8"))
    golden = GOLDEN / f"{name}.txt"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(shown, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"{golden} absent : python -m pytest tests/test_golden.py --update-golden", pytrace=False)
    expected = golden.read_text(encoding="utf-8")
    if shown != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            shown.splitlines(keepends=True),
            f"tests/golden/{name}.txt",
            f"page construite {PAGES[name] or '(accueil)'}",
        )
        pytest.fail(
            "".join(diff) + "\nSi le changement est voulu : python -m pytest tests/test_golden.py --update-golden",
            pytrace=False,
        )


def test_no_golden_file_is_left_over(request):
    """Run after the pages (pytest keeps the file's order): with --update-golden, stale files go."""
    if request.config.getoption("--update-golden"):
        for stale in (p for p in GOLDEN.glob("*.txt") if p.stem not in PAGES):
            stale.unlink()
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(PAGES)
