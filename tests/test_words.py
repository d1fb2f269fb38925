"""Words true for the build that made them: superlatives computed on the whole ranking, two values
of one territory explained, only real new millésimes, one date format, no contract named where the
configuration does not declare it."""

import re
from pathlib import Path

from observatory.numbers import parse_french_number
from observatory.pipeline import build

from .conftest import MINI_CONFIG, page_text

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
    for page in sorted((default_site / "quartiers").glob("QN*/index.html")):
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
    html = page_text(default_site, "quartiers/QN05968M")
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
