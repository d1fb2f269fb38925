"""Producer files read through the declared mappings: figures, statuses, accounting, messages."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from observatory.cli import main
from observatory.errors import ObservatoryError
from observatory.inputs.sources.tabular import FirstSeen
from observatory.pipeline import load

from .conftest import DEFAULT_CONFIG, FIXTURES, MINI_CONFIG, ROOT, copy_mini

PRODUCERS = FIXTURES / "producers"
VALID = PRODUCERS / "valid"


@pytest.fixture(scope="module")
def mini():
    return load(MINI_CONFIG, data_dir=VALID)


def _figure(obs, territory, indicator, period, document=None):
    rows = obs.figures[
        (obs.figures["territory"] == territory)
        & (obs.figures["indicator"] == indicator)
        & (obs.figures["period"] == period)
    ]
    if document:
        rows = rows[rows["document"] == document]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_filosofi_millesime_is_declared_not_the_file_suffix(mini):
    # REVN_2022 is a 2022 publication of Filosofi 2018
    row = _figure(mini, "QN05967M", "taux-pauvrete-60", "2018")
    assert row["value"] == 43.0 and row["precision"] == 1
    assert row["producer"] == "Insee-DGFiP-Cnaf-Cnav-CCMSA, Filosofi 2018"
    assert row["location"] == "REVN_2022.csv, colonne TP60"


def test_a_2015_quartier_reaches_its_2024_page_only_through_the_correspondence(mini):
    row = _figure(mini, "QN05967M", "revenu-median-disponible-uc", "2019")
    assert row["value"] == 13000.0  # "13 000" with U+202F
    assert row["geography"] == "qp2015"
    assert row["note"] == "Données du quartier 2015 « Attargette - Chanzy » (QP059069) : périmètre modifié en 2024."


def test_aggregate_ensemble_row_is_the_all_qpv_reference(mini):
    row = _figure(mini, "qpv-metro-reunion", "taux-pauvrete-60", "2019")
    assert row["value"] == 43.6


def test_long_and_point_decimal_layouts(mini):
    assert _figure(mini, "epci-200093201", "part-jeunes-non-inseres", "2013")["value"] == 17.0
    assert _figure(mini, "epci-200093201", "part-jeunes-non-inseres", "2018")["value"] == 15.6
    ips = _figure(mini, "uai-0593246H", "ips-college", "2021-2022")
    assert ips["value"] == 83.0 and ips["precision"] == 1


def test_groups_without_an_established_date_are_published_with_their_publication_year_only(mini):
    # ARSAS / A (Cnaf) of REVN_2022: the file does not date them; published, never compared over time
    row = _figure(
        mini, "QN05967M", "part-allocataires-rsa-socle", "fichier publié en 2022, date d'observation non documentée"
    )
    assert row["value"] == 20.0  # ARSAS 200 / A 1 000
    assert pd.isna(row["year"])  # no year: never placed in a series
    assert row["location"] == "REVN_2022.csv, calculé par l'observatoire : ARSAS / A × 100"
    assert "Allocataires du RSA socle : 200 ; allocataires de la CAF : 1\u202f000" in row["note"]


def test_every_row_is_used_or_reported(mini):
    accounts = {a.file: a for a in mini.accounts}
    assert all(a.balanced for a in accounts.values())
    assert accounts["REVN_2022.csv"].used == 1
    assert accounts["REVN_2022.csv"].reported == {"territoire hors de l'observatoire": 2}
    assert accounts["DEMO_2022.csv"].used == 1 and accounts["DEMO_2022.csv"].figures > 0


def test_empty_cell_with_a_quality_flag_is_secret_never_zero():
    obs = load(DEFAULT_CONFIG, data_dir=VALID)
    row = _figure(obs, "QN05968M", "taux-pauvrete-60", "2018")
    assert row["status"] == "secret"
    assert row["value"] != row["value"]  # NaN, not 0
    assert "Indicateur de qualité NOTE_FILO = 1 : cellule vide, le producteur ne diffuse pas ce chiffre" in row["note"]


def test_empty_cell_without_a_flag_is_not_available_not_secret(mini):
    # REVN_2022, Attargette: DISP_D1 empty while NOTE_FILO = 0 — nothing says it is secret
    row = _figure(mini, "QN05967M", "revenu-disponible-d1-uc", "2018")
    assert row["status"] == "non_disponible" and "Indicateur de qualité" not in row["note"]


def test_an_xlsx_twin_with_title_rows_reads_like_its_csv(tmp_path: Path, mini):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Revenus et pauvreté des quartiers prioritaires"])
    sheet.append(["Source : Insee, Filosofi"])
    lines = (VALID / "REVN_2022.csv").read_text(encoding="utf-8-sig").splitlines()
    for line in lines:
        sheet.append([cell or None for cell in line.split(";")])
    workbook.save(tmp_path / "REVN_2022.xlsx")
    obs = load(MINI_CONFIG, data_dir=tmp_path)
    row = _figure(obs, "QN05967M", "taux-pauvrete-60", "2018")
    assert row["value"] == _figure(mini, "QN05967M", "taux-pauvrete-60", "2018")["value"]
    assert row["row"] == 4  # title rows count: the message points at the spreadsheet row


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        (
            "duplicate-row",
            "REVN_2022.csv, ligne 3, colonne 'CODGEO' : une seule ligne par territoire attendu, "
            "trouvé 'QP059069 (déjà ligne 2)'.",
        ),
        ("empty-file", "REVN_2022.csv : un en-tête et des lignes attendu, trouvé 'fichier vide'."),
        (
            "missing-column",
            "REVN_2022.csv, ligne 1, colonne 'TP60' : la colonne 'TP60' déclarée pour l'édition "
            "2022 dans anct-revn.yml attendu, trouvé 'absente'.",
        ),
        (
            "negative-count",
            "DEMO_2022.csv, ligne 2, colonne 'POP_MUN' : un nombre positif ou nul attendu, trouvé '-1\u202f786'.",
        ),
        ("rate-above-100", "REVN_2022.csv, ligne 2, colonne 'TP60' : un taux entre 0 et 100 attendu, trouvé '143,0'."),
        (
            "text-in-number",
            "REVN_2022.csv, ligne 2, colonne 'TP60' : un nombre (virgule décimale) attendu, trouvé '43,O'.",
        ),
        (
            "truncated-file",
            "REVN_2022.csv, ligne 3 : 32 colonnes et une fin de ligne attendu, "
            "trouvé '18 valeurs en fin de fichier (fichier tronqué ?)'.",
        ),
        (
            "undeclared-edition",
            "REVN_2030.csv : une édition déclarée dans anct-revn.yml attendu, trouvé 'édition "
            "2030'. Ajoutez l'édition et ses colonnes à la table de correspondance.",
        ),
        (
            "unknown-quartier-code",
            "REVN_2022.csv, ligne 2, colonne 'CODGEO' : un code de quartier 2015 (QP, "
            "département sur 3 caractères, 3 chiffres) attendu, trouvé 'Q59069'.",
        ),
        (
            "wrong-encoding",
            "neet_epci_2018.csv, ligne 2 : un fichier encodé en UTF-8 attendu, trouvé 'l'octet e9 "
            "(autre encodage ?)'. Déclarez l'encodage du fichier dans sa table de correspondance "
            "(encoding: latin-1).",
        ),
    ],
)
def test_each_defect_has_its_message(folder, expected):
    directory = PRODUCERS / f"{folder}-with-problems"
    with pytest.raises(ObservatoryError) as caught:
        load(MINI_CONFIG, data_dir=directory)
    messages = [p.message().replace(f"{directory}/", "") for p in caught.value.problems]
    assert messages == [expected]


def test_the_one_duplicate_rule():
    """A key is given once; every later row with that key is reported against the first row that
    gave it (producer rows by territory and period, commune counts, published figures)."""
    seen = FirstSeen()
    rows = [(2, "QP059069"), (3, "QP059070"), (4, "QP059069"), (5, "QP059069"), (6, ("epci", "2013"))]
    assert [seen.earlier(key, row) for row, key in rows] == [None, None, 2, 2, None]


def test_check_command_reports_accounting_and_problems(capsys):
    assert main(["check", str(VALID), "--config", str(MINI_CONFIG)]) == 0
    out = capsys.readouterr().out
    assert "REVN_2022.csv (anct-revn) : 3 lignes lues = 1 utilisées + 2 territoire hors de l'observatoire" in out
    assert (
        main(["check", str(PRODUCERS / "rate-above-100-with-problems" / "REVN_2022.csv"), "--config", str(MINI_CONFIG)])
        == 1
    )
    assert "un taux entre 0 et 100 attendu" in capsys.readouterr().err


def test_a_dated_group_needs_its_confidence(tmp_path: Path):
    """A millésime declared without saying how sure it is (etabli or deduit) is refused."""
    config = copy_mini(tmp_path)
    producers = tmp_path / "producers"
    shutil.copytree(ROOT / "data" / "producers", producers)
    mapping = producers / "anct-revn.yml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace("      confidence: deduit\n", "", 1), encoding="utf-8"
    )
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"{ROOT}/data/producers", str(producers)), encoding="utf-8"
    )
    with pytest.raises(ObservatoryError) as error:
        load(config, data_dir=VALID)
    assert (
        "anct-revn.yml, champ 'editions.2017[0].confidence' : le degré de certitude du millésime : "
        in error.value.report()
    )
