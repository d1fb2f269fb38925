"""Audit of the seeds' figures (issue 12, item 4).

The inventory below was made by hand on the plain-text seeds (../shared/seeds/). For each seed
document it lists the tables of the document, and the text passages the project transcribes from,
with how many figures each holds. Counting rule: every number written in digits that measures
something (a value, a share, a count, an amount, a gap or a ratio, an objective); not the years,
dates and millésimes, not footnote numbers, not numbers written in words (« un sur cinq »), not the
coverage of a figure (« sur les 16 QPV dont la donnée est disponible »), not the bounds that define a
category or a class (« 4 pièces ou plus », « moins de 26 ans », « compris entre 30 % et 40 % »), not
the numbers inside a name (« République - Cité 4 »). A figure printed twice in
the same passage is counted twice. Where the document-cadre of the MEL exists in two versions,
the passage of the first version is counted, plus what the second one adds.

For every seed document: figures transcribed (rows of data/figures/*.csv whose `document` and
`location` name the table) + figures listed as left out (`tables:` of data/sources.yml `left_out`)
= the figures of its tables.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "data" / "figures"
SOURCES = ROOT / "data" / "sources.yml"

#: seed file → document id → [(table as named in the `location` column, figures it holds)]
SEED_TABLES: dict[str, dict[str | None, list[tuple[str, int]]]] = {
    "000_b1192ba9cf39aad0.txt": {
        # The press kit has no table: the passages the project transcribes from.
        "mel-dossier-presse-2024": [
            ("Enjeu 1", 2),  # 58 %, 3,3 fois
            ("Enjeu 2", 2),  # un quart (25 %), 16 %
            ("Une nouvelle géographie prioritaire", 3),  # 26 quartiers, 20 communes, près de 20 %
        ],
    },
    "001_f328024f94c5d850.txt": {
        "armentieres-volet-communal-2024": [
            ("Enjeu 1, diagnostic, tableau « MEL / QPV / Écarts »", 14),  # 11 values, 3 gaps
            ("Enjeu 1, diagnostic, sous le tableau", 2),  # 1 166 and 1 786 habitants
            ("Enjeu 1, diagnostic", 3),  # 2 841 élèves, 26 % privé, 74 % public
            ("Enjeu 1, tableau des ambitions", 2),  # entre 50 % et 80 %
            ("Enjeu 2, diagnostic, tableau « MEL / QPV / Écarts »", 11),  # 10 values, 1 gap
            ("Enjeu 2, compléments issus des échanges", 5),  # 389, 368, 80, 190, 45
            ("Enjeu 2, tableau des ambitions", 1),  # 100 % des NEET
            ("Enjeu 3, tableau des ambitions", 1),  # 100 % des QPV (ARLS)
            ("Enjeu 4, tableau des ambitions", 2),  # 18 % de la population, 18 % des projets
            ("Enjeu 5, tableau des ambitions", 5),  # 3 000 logements, 60 %, 20 %, 33 %, 15 %
            ("Enjeu 6, diagnostic, tableau « MEL / QPV / Écarts »", 21),  # 15 values, 6 gaps
            ("Enjeu 6, ambitions et objectifs (rappel)", 4),  # 6 000, 24 %, 3 fois, 15 jours
            # Tables without figures: the coordination instances (durations, frequencies), the calendar.
        ],
        "mel-contrat-2024": [
            ("2.1 Panorama métropolitain de la pauvreté", 22),
            ("2.1 Panorama, tableau « Différents facteurs de fragilisation »", 12),
            ("2.1 Panorama, tableau « Différents facteurs de fragilisation » (seconde version du document-cadre)", 6),
            ("2.1 Panorama, « La pauvreté est très concentrée dans les communes qui comportent des QPV »", 18),
            (
                "2.1 Panorama, « La pauvreté est très concentrée dans les communes qui comportent des QPV »"
                " (première version du document-cadre)",
                2,
            ),
            ("2.2 Diagnostic, tableau général", 2),
            ("2.2 Diagnostic, compositions démographiques", 12),
            ("2.2 Diagnostic, 1. Ségrégation scolaire", 9),
            ("2.2 Diagnostic, 2. Emploi", 13),
            ("2.2 Diagnostic, 3. Santé", 7),
            ("2.2 Diagnostic, 4. Environnement, parc de logements", 6),
            ("4.1 Enjeu 1, ambitions", 4),
            ("4.2 Enjeu 2, ambitions", 9),
            ("4.5 Enjeu 5, ambitions", 2),
        ],
    },
    "002_f558cfb9ffa5ad59.txt": {
        # Annexe 1 « Communes concernées / Quartiers prioritaires / Référents locaux »: names and
        # contacts, no figure. Annexe 2 is a list of ambitions.
        "mel-appel-projets-2025": [],
    },
    "003_8820e1ef86742dce.txt": {
        # MEL annex 4 is not a declared document: its one table (« Thématiques / Partenaires
        # mobilisables ») holds names and e-mail addresses, no figure.
        None: [],
    },
    "004_f10f328d6b5a9076.txt": {
        # The deliberation itself has no table (only the votes: 44, 0, 0).
        "pas-de-calais-deliberation-2025": [],
        "call-contrat-2024": [
            ("Synthèse, « Évolution de la géographie prioritaire »", 6),  # 2014 / 2024 table
            ("Synthèse, « Diagnostic partagé : données froides »", 62),
            ("Synthèse, « Diagnostic partagé : données froides », santé", 2),
            ("Diagnostic, 1.2 tableau « À la CALL / Dans les QPV de la CALL / Comparaison »", 47),
            ("Diagnostic, 1.3 évolution, démographie", 9),
            ("Diagnostic, 1.3 évolution, revenu", 5),
            ("Diagnostic, 1.3 évolution, taux de pauvreté", 5),
            ("Diagnostic, 1.3 évolution, jeunesse", 3),
            # 9 % and 11 % (3 QPV), 5 % (CALL), 8 QPV, 26 pts, 7 élèves, 5 to 13, 6 to 15
            ("Diagnostic, 2.1 retards scolaires", 10),
            ("Diagnostic, 2.1 tableau des collèges (IPS, réussite et valeur ajoutée au brevet)", 55),
            # ANCT box: 133 000, 85 000, 60 %, 28,4 %, 4,1 %; 87,5 %; notes at the written test 12,5 and 8,5
            ("Diagnostic, 2.1 mixité et valeur ajoutée des collèges", 8),
            # 43,3 %, environ 70 %, 56 %; 70 % to 95 %, 19 416, 40 %, 23 %; PNRU 5 communes, 3 quartiers, 3 résidences
            ("Diagnostic, 2.2 logement, prédominance des logements sociaux", 11),
            ("Diagnostic, 2.2 logement, familles nombreuses", 4),  # 12 quartiers (of 14), 1,56 %, 2,10 %, 2,01 %
            ("Diagnostic, 2.2 logement, ménages d'une personne", 3),  # 37 %, 33,5 %, 31,9 %
            # 73,4 %, 60 %, 50,2 %, T2 20 %, 25,2 %, 15,4 %, 15,3 %, PLH 9,6 % and 20,5 %
            ("Diagnostic, 2.2 logement, offre de grande taille", 9),
            ("Diagnostic, 2.2 logement, année de construction", 4),  # 15 QPV, 45,6 %, 26,1 %, « + de 20 % »
            ("Diagnostic, 2.2 logement, vacance", 4),  # 10 quartiers, 6 quartiers, 10,5 %, 21,5 %
            ("Diagnostic, 2.2 logement, personnes logées gratuitement", 4),  # 4 quartiers, 2,6 %, 5 %, 7,9 %
            ("Diagnostic, 2.2 logement, financement des logements sociaux", 3),  # 24,6 %, 38 %, 47 %
            ("Diagnostic, 2.3 santé, espérance de vie", 2),  # 5 ans, 3,1 ans
            # 14,3 %, 29 924, 27 %, 5,8 %, 4,1 %, 31,7 %, 17,8 %, 6 %, 5,1 %, 9,3 %, 10,3 %
            ("Diagnostic, 2.3 santé, couverture santé", 11),
            ("Diagnostic, 2.3 santé, recours aux soins", 4),  # 86 %, 35 %; national (ANCT-ONPV) 40 %, 26 %
            # 2 606, then the sectors: 24 %, 2 100, 38 %, 0,3 %, 2 points, 39,6 %, 3,4 %, 900, 5 %, 42,6 %, 1,6 %,
            # 450, 1,7 % (« les 5 grands secteurs » is the nomenclature, not a measure)
            ("Diagnostic, 2.4 la création d'emploi", 14),
            ("Diagnostic, 2.4 tableau « Nombre d'emplois et évolution selon le secteur d'activité »", 34),
            # The chart next to the table: 0,3 %, 9,4 %, 8,1 %, 42,6 %, 39,6 % (Insee, 2020).
            ("Diagnostic, 2.4 graphique « Une distribution disparate de l'emploi sur le territoire de la CALL »", 5),
            ("Diagnostic, 2.4 texte d'introduction", 2),  # -3,04 %, -1,10 %
            # 56 %, 53 %, 29 %; 43 %, 35 %, 44 %; 179 %, 382, 137, 95 %; 382 (again), 82 %, 10 %, 67 %;
            # 0,7 %, 0,5 %, 1,5 %
            ("Diagnostic, 2.4 création d'établissements dans les QPV", 17),
            # 53,6 %, 55,7 %, 58,8 %, 48,2 %, 50,2 %, 53,8 %; 47,3 %, 30,7 %, 32,3 %; France 73,6 %
            ("Diagnostic, 2.4 taux d'emploi des 15-64 ans", 10),
            # 22 223, 6 617, 30 %, 55 414, 23 %; sex 4, age 4, RSA 4, registration length 12, diplomas 8
            ("Diagnostic, 2.4 caractéristiques des demandeurs d'emploi", 37),
            # The Région's commitment holds no figure; this footnote of the DRAC's contribution does:
            # 204 quartiers, 17,2 %, 9 % (halo), 500 000 personnes, 9 % (chômage), 10,6 % (Aisne).
            ("Engagements des partenaires, contribution de la DRAC Hauts-de-France, note 1", 6),
        ],
    },
}

DOCUMENTS = [(seed, document) for seed, documents in SEED_TABLES.items() for document in documents]


def transcribed(figures_dir: Path = FIGURES) -> Counter[tuple[str, str]]:
    """Rows of the transcription files per (document, location)."""
    counts: Counter[tuple[str, str]] = Counter()
    for path in sorted(figures_dir.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                counts[(row["document"], row["location"])] += 1
    return counts


def left_out(sources: Path = SOURCES) -> Counter[tuple[str, str]]:
    """Figures listed as left out per (document, table)."""
    counts: Counter[tuple[str, str]] = Counter()
    for entry in yaml.safe_load(sources.read_text(encoding="utf-8")).get("left_out") or []:
        for table in entry.get("tables") or []:
            counts[(table["document"], table["table"])] += int(table["figures"])
    return counts


def audit(document: str, done: Counter[tuple[str, str]], skipped: Counter[tuple[str, str]]) -> list[str]:
    """The tables of one document whose figures are not all transcribed or left out."""
    tables = next(tables for docs in SEED_TABLES.values() for doc, tables in docs.items() if doc == document)
    return [
        f"{table} : {figures} chiffres, {done[(document, table)]} transcrits + {skipped[(document, table)]} écartés"
        for table, figures in tables
        if done[(document, table)] + skipped[(document, table)] != figures
    ]


def test_all_five_seeds_are_inventoried() -> None:
    seeds = sorted(path.name for path in (ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if seeds:
        assert seeds == sorted(SEED_TABLES)
    assert len(SEED_TABLES) == 5


@pytest.mark.parametrize(("seed", "document"), DOCUMENTS)
def test_every_figure_of_the_seed_tables_is_transcribed_or_left_out(seed: str, document: str | None) -> None:
    if document is None:
        assert SEED_TABLES[seed][None] == []
        return
    assert audit(document, transcribed(), left_out()) == []


def test_every_transcribed_location_and_left_out_table_is_in_the_inventory() -> None:
    known = {
        (document, table) for docs in SEED_TABLES.values() for document, tables in docs.items() for table, _ in tables
    }
    assert set(transcribed()) - known == set()
    assert set(left_out()) - known == set()


def test_the_audit_fails_when_a_row_is_deleted_or_a_count_is_wrong(tmp_path: Path) -> None:
    source = FIGURES / "call-contrat-2024.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "uai-0620180J;va-note-ecrit-dnb" not in line]
    assert len(kept) == len(lines) - 1
    (tmp_path / "call-contrat-2024.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    for other in FIGURES.glob("*.csv"):
        if other.name != source.name:
            (tmp_path / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    assert audit("call-contrat-2024", transcribed(tmp_path), left_out()) != []

    sources = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))
    sources["left_out"][0]["tables"][0]["figures"] += 1
    wrong = tmp_path / "sources.yml"
    wrong.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    assert audit("call-contrat-2024", transcribed(), left_out(wrong)) != []
