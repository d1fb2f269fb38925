"""Every ranking of the built site names each quartier once, and the count its text gives is the
number of rows of its table."""

import re
from pathlib import Path

from .conftest import page_text

RANKING = re.compile(r'<div class="ranking">(.*?)</div>\s*(?=<div class="ranking">|<h2|<p class="back"|$)', re.S)
TABLE = re.compile(r"<table class=\"data\">\s*<caption>(.*?)</caption>(.*?)</table>", re.S)
ROW_NAME = re.compile(r'<th scope="row">(.*?)</th>', re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
COUNT = re.compile(r"Parmi les (\d+) quartiers dont la valeur est publiée pour ([^,]+),")


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def _pages(site: Path) -> list[str]:
    """The pages that rank quartiers: each indicator's (one per millésime), each enjeu's, the comité's."""
    urls = [p.parent.relative_to(site).as_posix() for p in sorted((site / "indicateurs").rglob("index.html"))]
    urls += [f"enjeux/{p.name}" for p in sorted((site / "enjeux").iterdir()) if p.is_dir()]
    urls += [p.parent.relative_to(site).as_posix() for p in sorted((site / "comite").rglob("index.html"))]
    return [url for url in urls if url != "indicateurs"]


def test_no_ranking_names_a_quartier_twice_and_counts_match(default_site: Path):
    tables = 0
    for url in _pages(default_site):
        html = page_text(default_site, url)
        for caption, body in TABLE.findall(html):
            if "— quartiers," in caption or "par quartier" in caption:  # rankings, comité
                names = [_text(name) for name in ROW_NAME.findall(body)]
            else:  # references: a territory twice only with two sources, each named in its row
                names = [_text(row) for row in ROW.findall(body) if 'scope="row"' in row]
            duplicated = {name for name in names if names.count(name) > 1}
            assert not duplicated, (url, _text(caption), duplicated)
            tables += 1
        for block in html.split('<div class="ranking">')[1:]:
            ranked = TABLE.search(block)
            count = COUNT.search(block)
            if ranked and "— quartiers," in ranked.group(1) and count:
                assert int(count.group(1)) == len(ROW_NAME.findall(ranked.group(2))), (url, count.group(0))
    assert tables > 500


def test_poverty_2019_ranks_each_of_the_47_quartiers_once(default_site: Path):
    html = page_text(default_site, "indicateurs/taux-pauvrete-60")
    block = html[html.index("Taux de pauvreté au seuil de 60 % (revenu disponible) — quartiers, 2019") :]
    body = block[: block.index("</table>")]
    names = [_text(name) for name in ROW_NAME.findall(body)]
    assert len(names) == 47 == len(set(names))
    assert names.count("Bizet - Briqueterie") == 1 and names.count("Attargette - Chanzy") == 1
