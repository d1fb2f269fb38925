from pathlib import Path

import pytest

from observatory.errors import ObservatoryError
from observatory.inputs.catalog import load_catalog

GOOD = """id: taux-test
label: Taux de test
definition: Une définition.
unit: percent
direction: lower_is_better
enjeu: 6
producer: Insee
decimals: 1
"""


def test_every_real_indicator_loads(catalog):
    assert len(catalog) > 90
    assert catalog["taux-pauvrete-60"].unit.gap_label == "point"
    assert catalog["taux-pauvrete-60"].direction == "lower_is_better"


def test_bad_yaml_names_the_file_and_every_bad_field(tmp_path: Path):
    (tmp_path / "taux-test.yml").write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "mauvais.yml"
    bad.write_text(
        GOOD.replace("unit: percent", "unit: pourcent").replace("decimals: 1\n", "") + "couleur: bleu\n",
        encoding="utf-8",
    )
    with pytest.raises(ObservatoryError) as caught:
        load_catalog(tmp_path, {6})
    messages = [problem.message() for problem in caught.value.problems]
    assert messages == [  # the schema's problems in the file's order, then the file name
        f"{bad}, champ 'decimals' : un nombre entier de 0 à 3 (champ obligatoire) attendu, trouvé 'rien'.",
        f"{bad}, champ 'unit' : une des valeurs : percent, percent_income, ratio_value, percent_change, points, "
        "years, euro, count, count_change, index, score, rate_per_inhabitant attendu, trouvé 'pourcent'. "
        "Ligne 4. Vouliez-vous écrire « percent » ?",
        f"{bad}, champ 'couleur' : un champ connu (id, label, definition, unit, direction, enjeu, producer, "
        "decimals, sentence, compare, order, short_label, map, applies_to, variant_of, variant_note, deducted, "
        "base, keywords) attendu, trouvé 'couleur'. Ligne 8.",
        f"{bad}, champ 'id' : le nom du fichier ('mauvais') attendu, trouvé 'taux-test'. Ligne 1.",
    ]


def test_unknown_enjeu_and_unreadable_yaml_are_reported(tmp_path: Path):
    (tmp_path / "taux-test.yml").write_text(GOOD.replace("enjeu: 6", "enjeu: 9"), encoding="utf-8")
    (tmp_path / "casse.yml").write_text("id: [", encoding="utf-8")
    with pytest.raises(ObservatoryError) as caught:
        load_catalog(tmp_path, {1, 6})
    report = caught.value.report()
    assert "casse.yml, ligne 1, colonne 6 : un fichier YAML valide attendu" in report
    assert "champ 'enjeu' : un numéro d'enjeu déclaré (1, 6) attendu, trouvé '9'. Ligne 6." in report
