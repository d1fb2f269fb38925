"""Words true for the build that made them: superlatives computed on the whole ranking, two values
of one territory explained, only real new millésimes, one date format, no contract named where the
configuration does not declare it."""

import re
from pathlib import Path

from observatory.numbers import parse_french_number
from observatory.pipeline import build

from .conftest import MINI_CONFIG, page_text
from .html_tables import cells, tables

TABLE = re.compile(r"<tbody>(.*?)</tbody>", re.S)
FOCUS = re.compile(r'<tr class="focus"><th scope="row">[^<]*</th><td>([^<]+)</td>')
PEER = re.compile(
    r'<tr class="peer"><th scope="row">.*?\(valeur la plus (haute|basse) des (\d+) quartiers du contrat\)</span>'
    r"</th><td>([^<]+)</td>"
)


def _number(text: str) -> float:
    return parse_french_number(re.sub(r"[^\d,\u202f\u00a0 +−-]", "", text).strip().replace("−", "-"))[0]


def test_the_highest_of_the_contract_is_never_lower_than_the_quartier(default_site: Path):
    checked = 0
    for page in sorted((default_site / "quartiers").glob("QN*/*/index.html")):  # the quartiers' section pages
        html = page.read_text(encoding="utf-8")
        for body in TABLE.findall(html):
            focus = FOCUS.search(body)
            if not focus or ("%" not in focus.group(1) and "€" not in focus.group(1)):
                continue
            value = _number(focus.group(1))
            for word, _count, other in PEER.findall(body):
                checked += 1
                assert (_number(other) >= value) if word == "haute" else (_number(other) <= value), page
    assert checked > 100


def test_two_values_of_one_reference_say_why(default_site: Path):
    html = page_text(default_site, "quartiers/QN05968M/acces-emploi")
    assert "Deux sources pour ce territoire et ce millésime, reprises telles quelles (59,7\u00a0% selon ADULM" in html


def test_what_changed_lists_only_real_new_millesimes(default_site: Path):
    html = page_text(default_site, "changements")
    new = re.findall(r"<li><a href=\"[^\"]+\">[^<]+</a> : ([^<]+)</li>", html)
    assert new and not [period for period in new if "non précisée" in period or "fichier publié" in period]
    for heading in ("Indicateurs apparus ou disparus", "Quartiers dont l'écart a le plus changé"):
        assert heading in html  # every section the lead announces is there


def test_one_date_format(default_site: Path):
    html = page_text(default_site, "editions")
    assert "24 février 2025" in html and "2025-02-24" not in html
    assert "2024-05-07" not in page_text(default_site, "sources")


def test_a_one_contract_build_speaks_of_its_own_contract(tmp_path: Path):
    site = tmp_path / "site"
    build(MINI_CONFIG, site)
    html = page_text(site, "")
    for words in ("deux contrats", "MEL", "CALL", "Lens-Liévin"):
        assert words not in html, words
    assert "Le contrat de ville" in html
    assert "piliers du contrat de la CALL" not in page_text(site, "enjeux")


STATUS_IN_A_SENTENCE = re.compile(
    r"\b(?:est de|sont de|représentent|moins de|plus de|au moins|soit) (?:non disponible|secret|non publié)"
    r"|(?:^|>)(?:Non disponible|Secret statistique|Non publié) [a-zé]+ (?:sont|est|perçoivent|habitent)"
    r"|\b1 des 1 quartiers|\b0 des 1 quartiers|Écart à (?:MEL|CALL)\b"
)


def test_a_missing_value_is_never_read_as_a_number_in_a_sentence(default_site: Path):
    """« L'indice de jeunesse est de non disponible. » reads as nonsense: a figure without value is
    said as « Indice de jeunesse : non disponible. »; no « 1 des 1 quartiers », no « Écart à MEL »."""
    pages = sorted(default_site.glob("**/index.html"))
    wrong = [
        f"{page.relative_to(default_site)} : {match.group(0)}"
        for page in pages
        for match in STATUS_IN_A_SENTENCE.finditer(page.read_text(encoding="utf-8"))
    ]
    assert wrong == []


def test_a_reference_table_gives_a_territory_s_value_once(default_site: Path):
    """The MEL's 19 % given by the contract's document and by the Insee file is one row of the
    table, not two identical rows; two different values stay, each with its source."""
    repeated = []
    for page in sorted((default_site / "quartiers").glob("*/*/index.html")):
        for table in tables(page.read_text(encoding="utf-8")):
            if "ses territoires de référence" not in table.caption:
                continue
            value = table.header.index("Valeur")
            rows = [(row[0], row[value]) for row in table.rows if len(row) > value]  # not a note across the row
            repeated += [f"{page.parent.name} {table.caption[:60]} {row}" for row in set(rows) if rows.count(row) > 1]
    assert repeated == []
    bizet = page_text(default_site, "quartiers/QN05968M/revenus-pauvrete")
    references = "Taux de pauvreté au seuil de 60 % (revenu disponible) — Bizet - Briqueterie, ses territoires"
    assert cells(bizet, references, "Métropole Européenne de Lille", "Valeur") == ["19 %", "19 %"]  # one per table
