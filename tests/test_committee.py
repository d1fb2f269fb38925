"""The comité's answer (issue 27): a summary per contract, in the contract's order, every count with its
complement, a measure that suits the unit, and the same story as the quartier pages."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from .conftest import ROOT, page_text
from .html_tables import cell, tables

EXTRACT = ROOT / "data" / "extract"
SUMMARY = {
    "mel": "MEL : évolution de la situation des quartiers et de leur écart avec la MEL, par indicateur clé",
    "call": "CALL : évolution de la situation des quartiers et de leur écart avec la CALL, par indicateur clé",
}
COUNTS = ("réduit", "creusé", "stable")


def _counts(text: str) -> dict[str, int]:
    """« réduit : 5 · creusé : 6 · stable : 11 (sur 22) » → {réduit: 5, creusé: 6, stable: 11, sur: 22}."""
    found = {}
    for part in text.replace("(", "·").replace(")", "").split("·"):
        if ":" in part:
            word, number = part.rsplit(":", 1)
            found[word.strip()] = int(number.split()[0])
        elif part.strip().startswith("sur"):
            found["sur"] = int(part.split()[1])
    return found


def _rows(html: str, caption: str) -> list[str]:
    """The row headers of the table of this caption: the indicators of a summary, in order."""
    return next(table for table in tables(html) if table.caption == caption).row_headers


def test_each_contract_has_a_summary_of_its_key_indicators_in_its_order(default_site: Path, observatory):
    html = page_text(default_site, "comite")
    for contract in observatory.config.contracts:
        labels = _rows(html, SUMMARY[contract.id])
        expected = [observatory.catalog[key].chart_label for key in contract.key_indicators]
        assert labels == expected
    assert len(_rows(html, SUMMARY["call"])) >= 9
    assert len(_rows(html, SUMMARY["mel"])) >= 8


def test_every_count_has_its_complement_and_they_add_up(default_site: Path, observatory):
    html = page_text(default_site, "comite")
    for contract in observatory.config.contracts:
        answered = 0
        epci = "la MEL" if contract.id == "mel" else "la CALL"
        for key in contract.key_indicators:
            label = observatory.catalog[key].chart_label
            gap = cell(html, SUMMARY[contract.id], label, f"Écart avec {epci}")
            level = cell(html, SUMMARY[contract.id], label, "Situation des quartiers")
            if gap != "non mesuré":
                counts = _counts(gap)
                assert counts["réduit"] + counts["creusé"] + counts["stable"] == counts["sur"], (key, gap)
                answered += 1
            if level != "non suivie":
                counts = _counts(level)
                assert sum(v for k, v in counts.items() if k != "sur") == counts["sur"], (key, level)
        assert answered >= 6, contract.id


def test_each_verdict_keeps_the_balance_the_counts_give(default_site: Path, observatory):
    """« Écart avec la CALL : stable pour 11, creusé pour 6, réduit pour 5 (sur 22 quartiers) : pas de
    tendance d'ensemble », never the largest group alone (« stable pour 11 des 22 » hid 6 and 5)."""
    import re

    html = page_text(default_site, "comite")
    for contract in observatory.config.contracts:
        epci = "la MEL" if contract.id == "mel" else "la CALL"
        for key in contract.key_indicators:
            label = observatory.catalog[key].chart_label
            gap = cell(html, SUMMARY[contract.id], label, f"Écart avec {epci}")
            verdict = cell(html, SUMMARY[contract.id], label, "Lecture")
            if gap == "non mesuré":
                continue
            counts = {word: n for word, n in _counts(gap).items() if word != "sur" and n}
            said = verdict.split(" ; ")[0]
            if len(counts) == 1:
                (word,) = counts
                assert f"{word} pour les {_counts(gap)['sur']} quartiers" in said or "le seul quartier" in said
                continue
            found = {word: int(n) for word, n in re.findall(r"(réduit|creusé|stable) pour (\d+)", said)}
            assert found == counts, (key, said, gap)
            top = max(counts.values())
            tendency = "surtout" if 2 * top > _counts(gap)["sur"] else "pas de tendance d'ensemble"
            assert tendency in said, (key, said)


def _read(path: Path, code: str, column: str, key: str = "") -> float:
    text = path.read_bytes().decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        if (row.get(key) or next(iter(row.values()))).strip('"') == code:
            return float(row[column].replace("\u202f", "").replace("\u00a0", "").replace(",", "."))
    raise LookupError(code)


def test_a_median_income_gap_is_measured_relative_to_the_call_never_in_nominal_euros(default_site: Path):
    """Grande Résidence (2015 quartier QP062025), median disposable income 2014 → 2019, from the raw files."""
    quartier_2014 = _read(EXTRACT / "qpv-2015" / "REVN_2018.csv", "QP062025", "DISP_Q2", "CODGEO")
    quartier_2019 = _read(EXTRACT / "qpv-2015" / "data_filo19_qp_revdis.csv", "QP062025", "DISP_MED_A19", "CODGEO")
    call_2014 = _read(EXTRACT / "references" / "FILO2014_DISP_EPCI.csv", "246200364", "Q214", "CODGEO")
    call_2019 = _read(EXTRACT / "references" / "FILO2019_DISP_EPCI.csv", "246200364", "Q219", "CODGEO")
    first = 100 * (quartier_2014 - call_2014) / call_2014
    last = 100 * (quartier_2019 - call_2019) / call_2019
    shown = f"{first:+.1f} % puis {last:+.1f} %".replace(".", ",").replace("-", "\u2212")  # as a reader reads it
    html = page_text(default_site, "comite/revenu-median-disponible-uc")
    caption = (
        "Revenu disponible médian annuel par unité de consommation — CALL : niveau et écart avec la CALL, par quartier"
    )
    gaps = cell(html, caption, "Grande Résidence", "Écart au début puis à la fin")
    assert gaps.startswith(shown)
    # in current euros the gap widened (prices and incomes rise everywhere); as a share of the CALL's it did not
    assert abs(quartier_2019 - call_2019) > abs(quartier_2014 - call_2014)
    verdict = cell(html, caption, "Grande Résidence", "Écart")
    assert verdict.startswith("stable") and "en euros courants l'écart paraît creusé" in verdict


def test_the_quartier_page_and_the_comite_tell_the_same_story(default_site: Path):
    quartier = page_text(default_site, "quartiers/QN06216M")
    panel = "Quartier Saint-Elie - Fosse 13 face à la CALL : indicateurs clés du contrat"
    said = cell(quartier, panel, "Taux de pauvreté", "Évolution de l'écart")
    assert said.startswith("écart réduit de 4,7 points de 2015 à 2019 (+13,9 → +9,2)")
    assert 'href="../../comite/taux-pauvrete-60/#call-QN06216M"' in quartier
    comite = page_text(default_site, "comite/taux-pauvrete-60")
    caption = (
        "Taux de pauvreté au seuil de 60 % (revenu disponible) — CALL : niveau et écart avec la CALL, par quartier"
    )
    assert cell(comite, caption, "Quartier Saint-Elie - Fosse 13", "Écart au début puis à la fin") == (
        "+13,9 points puis +9,2 points (−4,7 points)"
    )
    assert cell(comite, caption, "Quartier Saint-Elie - Fosse 13", "Écart").startswith("réduit")
    assert 'id="call-QN06216M"' in comite


def test_the_summary_downloads_as_csv_and_xlsx(default_site: Path):
    folder = default_site / "telechargements" / "comite"
    rows = list(csv.DictReader(io.StringIO(gzip.decompress((folder / "synthese.csv.gz").read_bytes()).decode("utf-8"))))
    poverty = next(r for r in rows if r["contrat"] == "CALL" and r["indicateur"] == "Taux de pauvreté")
    assert int(poverty["écart : réduit"]) + int(poverty["écart : creusé"]) + int(poverty["écart : stable"]) == int(
        poverty["écart : quartiers comparés"]
    )
    assert (folder / "synthese.xlsx").read_bytes()[:2] == b"PK"


def test_a_base_year_is_not_a_millesime_the_comite_follows(default_site: Path):
    """The CALL's diagnostic gives employment rates from « Insee, bases 2023 »: the year the base was
    published, not the census year it describes. Saint-Elie's 47,3 % (RP 2019 in IPRO_2022) published
    again there is no second observation: no « 2019 → base 2023 » change is counted."""
    comite = page_text(default_site, "comite/taux-emploi-15-64")
    assert "base 2023" not in comite
    summary = page_text(default_site, "comite")
    row = next(t for t in tables(summary) if t.caption == SUMMARY["call"])
    assert "base 2023" not in " ".join(" ".join(r) for r in row.rows)


def test_a_median_income_of_undeclared_definition_stays_out_of_the_disposable_income_series(default_site: Path):
    """The CALL's diagnostic table 1.2 (CALL 17 020 €, QPV 10 619 €, « disponibles en 2020 ») matches no
    Filosofi disposable-income file: it is filed as a median of undeclared definition, not drawn in the
    disposable-income series where the CALL would seem to lose 960 € in a year."""
    series = page_text(default_site, "indicateurs/revenu-median-disponible-uc")
    assert "17\u202f020" not in series and "10\u202f619" not in series
    assert "17\u202f020" in page_text(default_site, "indicateurs/revenu-median-annuel")
