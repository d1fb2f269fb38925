"""The published-figures reader: every defect gets a message naming file, row and column."""

from pathlib import Path

import pytest

from observatory.errors import ObservatoryError
from observatory.inputs.sources import read_figures
from observatory.inputs.sources.published import read_published
from observatory.inputs.territories import load_referential

from .conftest import FIXTURES, ROOT

PUBLISHED = FIXTURES / "published"
DOCUMENTS = {"armentieres-volet-communal-2024"}


@pytest.fixture(scope="module")
def referential():
    return load_referential(ROOT / "data/referential/quartiers_2024.csv", ROOT / "data/referential/territories.csv")


def _messages(name, referential, catalog):
    path = PUBLISHED / name
    frame, problems = read_published(path, referential, catalog, DOCUMENTS)
    return frame, [p.message().replace(str(path), name) for p in problems]


def test_valid_file_gives_tidy_figures(referential, catalog):
    frame, messages = _messages("valid.csv", referential, catalog)
    assert messages == []
    assert list(frame["territory"]) == ["epci-200093201", "QN05967M"]
    assert list(frame["value"]) == [19.0, 41.8]
    assert list(frame["precision"]) == [0, 1]
    assert list(frame["row"]) == [2, 3]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "unknown-territory-with-problems.csv",
            [
                "unknown-territory-with-problems.csv, ligne 3, colonne 'territory' : "
                "un territoire du référentiel attendu, trouvé 'QN09999Z'."
            ],
        ),
        (
            "text-in-number-with-problems.csv",
            [
                "text-in-number-with-problems.csv, ligne 3, colonne 'value' : un nombre (virgule décimale) attendu, "
                "trouvé '41,O'."
            ],
        ),
        (
            "rate-above-100-with-problems.csv",
            [
                "rate-above-100-with-problems.csv, ligne 3, colonne 'value' : un taux entre 0 et 100 attendu, "
                "trouvé '141,8'."
            ],
        ),
        (
            "duplicate-with-problems.csv",
            [
                "duplicate-with-problems.csv, ligne 3 : un seul chiffre par territoire, indicateur, période, "
                "statistique et document attendu, trouvé 'doublon (ligne 2)'. Chiffre : epci-200093201, "
                "taux-pauvrete-60, 2019, value, armentieres-volet-communal-2024."
            ],
        ),
        (
            "extra-field-with-problems.csv",
            [
                "extra-field-with-problems.csv, ligne 3 : 12 champs séparés par ';' attendu, trouvé '13 champs'. "
                "Un texte qui contient ';' doit être entre guillemets."
            ],
        ),
        (
            "secret-with-zero-with-problems.csv",
            [
                "secret-with-zero-with-problems.csv, ligne 2, colonne 'value' : une cellule vide (statut 'secret') "
                "attendu, trouvé '0'."
            ],
        ),
        (
            "empty-with-problems.csv",
            ["empty-with-problems.csv : un en-tête et des lignes attendu, trouvé 'fichier vide'."],
        ),
    ],
)
def test_each_defect_has_its_message(name, expected, referential, catalog):
    assert _messages(name, referential, catalog)[1] == expected


def test_missing_columns_are_listed(referential, catalog):
    _, messages = _messages("missing-columns-with-problems.csv", referential, catalog)
    assert len(messages) == 1
    assert messages[0].startswith("missing-columns-with-problems.csv, ligne 1 : les colonnes territory, indicator")
    assert messages[0].endswith(
        "trouvé 'il manque qualifier, statistic, status, producer, document, location, geography, note'."
    )


def test_a_folder_reports_the_problems_of_all_its_files_at_once(tmp_path: Path, referential, catalog):
    for name in ["valid.csv", "text-in-number-with-problems.csv", "rate-above-100-with-problems.csv"]:
        (tmp_path / name).write_bytes((PUBLISHED / name).read_bytes())
    with pytest.raises(ObservatoryError) as caught:
        read_figures(tmp_path, referential, catalog, DOCUMENTS, 2024)
    files = {Path(p.file).name for p in caught.value.problems}
    # the valid file's rows are duplicated by the other two files' first row, each reported
    assert {"text-in-number-with-problems.csv", "rate-above-100-with-problems.csv"} <= files


def test_a_figure_given_by_two_files_is_reported_against_the_first(tmp_path: Path, referential, catalog):
    for name in ["a.csv", "b.csv"]:
        (tmp_path / name).write_bytes((PUBLISHED / "valid.csv").read_bytes())
    with pytest.raises(ObservatoryError) as caught:
        read_figures(tmp_path, referential, catalog, DOCUMENTS, 2024)
    found = [(Path(p.file).name, p.row, p.found) for p in caught.value.problems]
    assert found == [("b.csv", 2, "doublon (a.csv, ligne 2)"), ("b.csv", 3, "doublon (a.csv, ligne 3)")]


def test_secret_stays_a_status_never_a_zero(referential, catalog, tmp_path: Path):
    path = tmp_path / "secret.csv"
    path.write_text(
        (PUBLISHED / "valid.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
        "QN05967M;part-allocataires-rsa-socle;31/12/2021;;;value;secret;Cnaf;armentieres-volet-communal-2024;"
        "Enjeu 6;;\n",
        encoding="utf-8",
    )
    frame, problems = read_published(path, referential, catalog, DOCUMENTS)
    assert problems == []
    assert frame.loc[0, "status"] == "secret"
    assert frame["value"].isna().all()
