"""Inputs that read without error but would give wrong figures are refused (issue 29): a column
named twice, a line that lost or gained a separator, a YAML key given twice, aliases that multiply
the data; and `check` says the problems of every file in one run. Each case is one fault planted in
a copy of the mini observatory, refused by `check` and the build (tests/test_bad_inputs.py)."""

import shutil
import time
from collections.abc import Callable
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
from openpyxl import Workbook

from observatory.cli import main
from observatory.inputs.files import MAX_ALIAS_EXPANSIONS
from observatory.numbers import format_number
from observatory.pipeline import load

from .conftest import MINI_CONFIG, copy_mini
from .test_bad_inputs import (
    FIGURES,
    PRODUCERS,
    Corrupt,
    _config_text,
    _point,
    _producer,
    _refused,
    _rewrite,
    _row,
    _rows,
    _setting,
)

REVN_HEADER = b"DISP_Q3;TP60;DISP_D1;"  # columns 13 to 15 of the valid REVN_2022.csv
REVN_ROW = ";12\u202f940;;;43,0;;".encode()  # QP059069's DISP_Q2, DISP_Q1, DISP_Q3, TP60 (43,0), DISP_D1


def _twice_tp60(data: bytes) -> bytes:
    """Column 15 (DISP_D1) renamed TP60, with 99,9 in it: the last TP60 would be read."""
    assert REVN_HEADER in data and REVN_ROW in data
    data = data.replace(REVN_HEADER, b"DISP_Q3;TP60;TP60;", 1)
    return data.replace(REVN_ROW, REVN_ROW.replace(b"43,0;;", b"43,0;99,9;"), 1)


def _lost_separator(data: bytes) -> bytes:
    """QP059069's line loses the ';' between DISP_Q1 and DISP_Q3: 43,0 would be read as DISP_Q3."""
    assert REVN_ROW in data
    return data.replace(REVN_ROW, REVN_ROW.replace(b";;;43,0", b";;43,0"), 1)


def _bomb(tmp_path: Path) -> Path:
    """A glossary of six levels of nine aliases (9⁶ leaves from six lines)."""
    names = "abcdef"
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]" for before, name in pairwise(names)]
    glossary = tmp_path / "glossaire-bombe.yml"
    glossary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return glossary


LIMIT = format_number(MAX_ALIAS_EXPANSIONS)

# Every fault read without error before issue 29: (how to corrupt the mini observatory, the parts its
# message must hold, "{file}" standing for the corrupted file), by case id.
STRICT_CASES = [
    pytest.param(
        _producer(_twice_tp60),
        [
            "{file}, ligne 1, colonne 'TP60' : un nom de colonne une seule fois attendu, "
            "trouvé 'TP60 aux colonnes 14 et 15'. Renommez ou retirez l'une de ces colonnes : une seule serait lue."
        ],
        id="colonne-nommee-deux-fois",
    ),
    pytest.param(
        _rewrite(FIGURES, lambda text: text.replace("value;qualifier", "value;value", 1).encode()),
        [
            "{file}, ligne 1, colonne 'value' : un nom de colonne une seule fois attendu, "
            "trouvé 'value aux colonnes 4 et 5'."
        ],
        id="chiffres-colonne-nommee-deux-fois",
    ),
    pytest.param(
        _producer(_lost_separator),
        [
            "{file}, ligne 2 : 72 champs séparés par ';' comme l'en-tête (ligne 1) attendu, trouvé '71 champs'. "
            "Un séparateur ';' manque sur cette ligne : chaque valeur suivante serait lue dans la colonne d'à côté."
        ],
        id="ligne-avec-un-separateur-perdu",
    ),
    pytest.param(
        _rewrite(FIGURES, _rows(_row().replace(";ok;", ";ok", 1))),
        [
            "{file}, ligne 6 : 12 champs séparés par ';' attendu, trouvé '11 champs'. "
            "Un ';' manque sur cette ligne : chaque valeur suivante serait lue dans la colonne d'à côté."
        ],
        id="chiffres-ligne-avec-un-separateur-perdu",
    ),
    pytest.param(
        _config_text('  date: "2024-06-30"\n', '  date: "2024-06-30"\n  label: "Autre édition"\n'),
        [
            "{file}, ligne 7, champ 'label' : une clé une seule fois par bloc attendu, "
            "trouvé 'label aux lignes 5 et 7'. YAML garderait la dernière valeur sans rien dire : "
            "gardez une seule de ces lignes."
        ],
        id="yaml-cle-donnee-deux-fois",
    ),
    pytest.param(
        _setting("glossary", _bomb),
        [
            f"{{file}}, ligne 5 : au plus {LIMIT} alias développés par fichier attendu, trouvé 'plus de {LIMIT} "
            "(alias *d)'. Des alias imbriqués multiplient les données (« billion laughs ») : écrivez les valeurs "
            "sans alias."
        ],
        id="yaml-bombe-d-alias",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), STRICT_CASES)
def test_a_fault_read_silently_before_is_refused(tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]):
    """Exit code 1 for `check` and the build, in French, naming the file, the line, the column, what
    was expected and found; quickly (an alias bomb is refused while it is parsed)."""
    config = copy_mini(tmp_path)
    file, producers = corrupt(config, tmp_path)
    start = time.perf_counter()
    message = _refused(config, capsys, producers)
    assert time.perf_counter() - start < 60
    for part in expected:
        filled = part.replace("{file}", str(file))
        assert filled in message, f"{filled!r} not in:\n{message}"


def _two_faults(config: Path, tmp_path: Path, figures: bool) -> tuple[Path, Path]:
    """A figure of the producer file neet_epci_2018.csv written '15,6O', and either the producers'
    correspondence table emptied or (`figures`) a figures file's value made text. Returns the file
    of the first fault and the neet file (in the producers' folder to read)."""
    neet, folder = _producer(lambda data: data.replace(b";15,60", b";15,6O", 1), "neet_epci_2018.csv")(config, tmp_path)
    if figures:
        first = config.parent / FIGURES
        first.write_text(first.read_text(encoding="utf-8").replace(";41,8;", ";41,O;", 1), encoding="utf-8")
    else:
        first = folder / "qpv_correspondance_2024_2015.csv"
        first.write_bytes(b"")
    return first, neet


@pytest.mark.parametrize(
    ("figures", "first_problem"),
    [
        (False, "{first} : un en-tête et des lignes attendu, trouvé 'fichier vide'."),
        (True, "{first}, ligne 3, colonne 'value' : un nombre (virgule décimale) attendu, trouvé '41,O'."),
    ],
    ids=["correspondance-vide", "fichier-de-chiffres"],
)
def test_check_names_the_problems_of_every_file_in_one_run(tmp_path: Path, capsys, figures: bool, first_problem: str):
    """Two files with a problem each: one run of `check` (and of the build) names both, with their
    line and column, and exits 1; the correspondence table, read twice, is named once."""
    config = copy_mini(tmp_path)
    first, neet = _two_faults(config, tmp_path, figures)
    message = _refused(config, capsys, neet.parent)
    assert first_problem.replace("{first}", str(first)) in message
    second = f"{neet}, ligne 3, colonne 'part_non_inseres' : un nombre (virgule décimale) attendu, trouvé '15,6O'."
    assert second in message
    assert message.count(str(first)) == 1
    assert message.splitlines()[-1] == "Échec : données non valides, rien n'a été construit."


def _in_producers(make: Callable[[Path], Path]) -> Corrupt:
    """A copy of the valid producer files, with what `make` adds to it (it returns the path the
    message must name)."""

    def corrupt(_config: Path, tmp: Path) -> tuple[Path, Path | None]:
        folder = tmp / "producteurs"
        shutil.copytree(PRODUCERS, folder)
        return make(folder), folder

    return corrupt


def _old_copy(folder: Path) -> Path:
    """An old copy of REVN_2022.csv left in a sub-folder: both would be read."""
    (folder / "ancien").mkdir()
    return Path(shutil.copy(folder / "REVN_2022.csv", folder / "ancien" / "REVN_2022.csv"))


def _folder_named_like_a_file(folder: Path) -> Path:
    """REVN_2022.csv saved as a folder holding the file under another name."""
    (folder / "REVN_2022.csv").rename(folder / "revn.tmp")
    (folder / "REVN_2022.csv").mkdir()
    (folder / "revn.tmp").rename(folder / "REVN_2022.csv" / "REVN_2022 (copie).txt")
    return folder / "REVN_2022.csv"


def _symlink_loop(folder: Path) -> Path:
    """REVN_2022.csv replaced by a symbolic link to itself."""
    path = folder / "REVN_2022.csv"
    path.unlink()
    path.symlink_to(path.name)
    return path


FOLDER_CASES = [
    pytest.param(
        _in_producers(_old_copy),
        [
            "{file} : un seul fichier nommé REVN_2022.csv sous {folder} attendu, trouvé 'un autre exemplaire : "
            "{folder}/REVN_2022.csv'. Les deux seraient lus et leurs chiffres publiés deux fois : gardez un seul "
            "exemplaire (déplacez l'autre hors du dossier des producteurs)."
        ],
        id="deux-fichiers-de-meme-nom",
    ),
    pytest.param(
        _in_producers(_folder_named_like_a_file),
        [
            "{file} : un fichier lisible attendu, trouvé 'un dossier'. Ce nom est celui d'un fichier des producteurs, "
            "qui ne serait pas lu : mettez le fichier lui-même à sa place, ou renommez ce dossier ou ce lien."
        ],
        id="dossier-nomme-comme-un-fichier",
    ),
    pytest.param(
        _in_producers(_symlink_loop),
        ["{file} : un fichier lisible attendu, trouvé 'un lien symbolique qui boucle'."],
        id="lien-symbolique-qui-boucle",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), FOLDER_CASES)
def test_a_producer_file_read_twice_or_not_at_all_is_refused(
    tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]
):
    """A file of the producers' folder that would be read twice (an old copy in a sub-folder) or
    skipped without a word (a folder or a looping link named like a producer file) is refused by
    `check` and the build, naming the paths."""
    config = copy_mini(tmp_path)
    file, folder = corrupt(config, tmp_path)
    message = _refused(config, capsys, folder)
    for part in expected:
        filled = part.replace("{file}", str(file)).replace("{folder}", str(folder))
        assert filled in message, f"{filled!r} not in:\n{message}"


def test_a_symlinked_sub_folder_is_read(tmp_path: Path):
    """Producer files reached through a symbolic link to a folder are read like the others."""
    config = copy_mini(tmp_path)
    plain = tmp_path / "producteurs"
    shutil.copytree(PRODUCERS, plain)
    linked = tmp_path / "lies"
    linked.mkdir()
    (linked / "revenus").symlink_to(plain, target_is_directory=True)
    expected = load(config, data_dir=plain).figures
    assert len(expected) > 0
    assert len(load(config, data_dir=linked).figures) == len(expected)


def _archive(old: str, new: str) -> Corrupt:
    """The mini observatory's archived edition 2022 changed, read with the valid producer files."""

    def corrupt(config: Path, tmp: Path) -> tuple[Path, Path | None]:
        path, _ = _config_text(old, new)(config, tmp)
        return path, PRODUCERS

    return corrupt


ARCHIVE_CASES = [
    pytest.param(
        _archive('    date: "2022-12-31"', '    date: "2024-06-30"'),
        [
            "{file}, champ 'archives' : une date antérieure à celle de l'édition courante test (2024-06-30) attendu, "
            "trouvé 'édition archivée 2022 datée du 2024-06-30'. L'édition courante se présenterait comme la première"
        ],
        id="edition-archivee-du-jour-de-la-courante",
    ),
    pytest.param(
        _archive('    date: "2022-12-31"', "    date: 2025-01-31"),
        ["trouvé 'édition archivée 2022 datée du 2025-01-31'."],
        id="edition-archivee-posterieure",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), ARCHIVE_CASES)
def test_an_archived_edition_not_older_than_the_current_one_is_refused(
    tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]
):
    """An archived edition dated on or after the current edition is refused with the configuration
    file and the edition's id."""
    config = copy_mini(tmp_path)
    file, producers = corrupt(config, tmp_path)
    message = _refused(config, capsys, producers)
    for part in expected:
        filled = part.replace("{file}", str(file)).replace("{producers}", str(producers))
        assert filled in message, f"{filled!r} not in:\n{message}"


MINI_FILES = '["REVN_2021.csv", "DEMO_2021.csv", "FILO2017_DISP_EPCI.csv", "qpv_correspondance_*", "qpv2024_*"]'
ABSENT = (
    "{file}, ligne {line}, champ 'archives[0].files[{position}]' : un fichier nommé « {name} » sous {folder} "
    "(édition archivée 2022) attendu, trouvé 'aucun'. L'édition serait publiée sans les chiffres de ce fichier : "
    "corrigez ce nom, ou mettez le fichier dans le dossier des producteurs."
)


@pytest.mark.parametrize(
    ("files", "absent"),
    [
        pytest.param(MINI_FILES.replace("REVN_2021", "REVN_2012"), [(0, "REVN_2012.csv")], id="un-fichier-mal-nomme"),
        pytest.param(
            '["REVN_2031.csv", "DEMO_203?.csv"]', [(0, "REVN_2031.csv"), (1, "DEMO_203?.csv")], id="aucun-fichier"
        ),
    ],
)
def test_an_archived_edition_declaring_absent_files_is_refused(
    tmp_path: Path, capsys, files: str, absent: list[tuple[int, str]]
):
    """An archive naming files the producers' folder does not hold would be published without
    their figures (with none at all when it names no existing file): the build and `check` of the
    folder the build reads by default (data.extract) refuse it, naming the configuration's line,
    the edition and each absent file."""
    config = copy_mini(tmp_path)
    folder = tmp_path / "producteurs"
    shutil.copytree(MINI_CONFIG.parent / "producers", folder)
    _point(config, "extract", folder)  # read without --data-dir, as the project reads its extract
    _config_text(MINI_FILES, files)(config, tmp_path)
    message = _refused(config, capsys)
    for position, name in absent:
        filled = ABSENT.format(file=config, line=40, position=position, name=name, folder=folder)  # 39 + extract
        assert filled in message, f"{filled!r} not in:\n{message}"
    assert message.count("(édition archivée 2022)") == len(absent)


def test_check_of_a_folder_holding_some_producer_files_still_passes(tmp_path: Path, capsys):
    """`check DOSSIER` checks the files a folder holds: a few producer files pass (exit 0), and it
    says which files the archives declare that a build from this folder would lack; that build
    refuses them, the site left as it was."""
    config = copy_mini(tmp_path)
    assert main(["check", str(PRODUCERS), "--config", str(config)]) == 0
    said = capsys.readouterr().out
    assert "Données valides" in said
    assert (
        f"Éditions archivées : {PRODUCERS} n'a pas tous les fichiers qu'elles déclarent "
        "(2022 : REVN_2021.csv, DEMO_2021.csv, FILO2017_DISP_EPCI.csv, qpv2024_*) ; une construction depuis ce dossier "
        "serait refusée."
    ) in said
    site = tmp_path / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(site), "--data-dir", str(PRODUCERS)]) == 1
    refused = capsys.readouterr().err
    assert ABSENT.format(file=config, line=39, position=0, name="REVN_2021.csv", folder=PRODUCERS) in refused
    assert "Traceback" not in refused and not site.exists()


def _workbook_cell(value: object) -> Corrupt:
    """The valid REVN_2022.csv saved as a workbook (cells as text, as a CSV import gives them),
    with QP059069's TP60 (sheet row 2, column N) replaced by `value` in its type."""

    def corrupt(_config: Path, tmp: Path) -> tuple[Path, Path | None]:
        folder = tmp / "producteurs"
        shutil.copytree(PRODUCERS, folder)
        csv = folder / "REVN_2022.csv"
        workbook = Workbook()
        for line in csv.read_text(encoding="utf-8-sig").splitlines():
            workbook.active.append([cell or None for cell in line.split(";")])
        assert workbook.active["A2"].value == "QP059069" and workbook.active["N2"].value == "43,0"
        workbook.active["N2"] = value
        path = folder / "REVN_2022.xlsx"
        workbook.save(path)
        csv.unlink()
        return path, folder

    return corrupt


TP60_CELL = "{file}, ligne 2, colonne 'TP60' : un nombre (virgule décimale) attendu,"
RETYPE = "Donnez à la cellule le format Nombre (ou Standard) dans le tableur et écrivez-y le nombre."
XLSX_CASES = [
    pytest.param(
        _workbook_cell(datetime(2022, 1, 31)),
        [f"{TP60_CELL} trouvé 'une date (2022-01-31)'. {RETYPE}"],
        id="xlsx-date",
    ),
    pytest.param(
        _workbook_cell(False),
        [f"{TP60_CELL} trouvé 'un booléen (FAUX)'. {RETYPE}"],
        id="xlsx-booleen",
    ),
    pytest.param(
        _workbook_cell("=K2/C2"),
        [
            "{file}, ligne 2, colonne 'TP60' : un nombre (virgule décimale) attendu, trouvé 'une formule sans valeur "
            "enregistrée (=K2/C2)'. Le classeur n'a pas enregistré le résultat de la formule : ouvrez et enregistrez "
            "le fichier dans un tableur, qui le calculera."
        ],
        id="xlsx-formule-sans-valeur",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), XLSX_CASES)
def test_a_workbook_cell_that_is_no_number_is_refused(tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]):
    """A date, a boolean or a formula saved without its value where a figure is expected: refused
    with the sheet row, the column and what the cell holds (no traceback, no « non disponible »)."""
    config = copy_mini(tmp_path)
    file, folder = corrupt(config, tmp_path)
    message = _refused(config, capsys, folder)
    for part in expected:
        filled = part.replace("{file}", str(file))
        assert filled in message, f"{filled!r} not in:\n{message}"


MEL_2018 = "200093201;Métropole Européenne de Lille;2018;15,60\r\n"  # line 3 of the valid neet_epci_2018.csv


def _mel_under_its_former_code(data: bytes) -> bytes:
    """The MEL's 2018 row repeated under its former EPCI code, an alias of the same territory."""
    assert MEL_2018.encode() in data
    return data.replace(MEL_2018.encode(), (MEL_2018 + MEL_2018.replace("200093201", "245900410")).encode(), 1)


TWO_CODES_CASES = [
    pytest.param(
        _producer(_mel_under_its_former_code, "neet_epci_2018.csv"),
        [
            "{file}, ligne 4, colonne 'codgeo' : un territoire sous un seul code dans un fichier attendu, trouvé "
            "'245900410, code de epci-200093201 déjà lu sous 200093201 à la ligne 3'. Ces deux lignes donneraient "
            "deux chiffres au même territoire"
        ],
        id="un-territoire-sous-deux-codes-dans-un-fichier",
    ),
    pytest.param(
        _rewrite(
            "territories.csv",
            lambda text: text.replace(
                "dep-59;departement;Nord;;dans le Nord;;", "dep-59;departement;Nord;;dans le Nord;245900410;", 1
            ).encode(),
        ),
        [
            "{file}, ligne 3, colonne 'aliases' : un alias déclaré pour un seul territoire attendu, trouvé "
            "'245900410, déjà alias de epci-200093201 (ligne 2)'. Les chiffres publiés sous ce code seraient "
            "attribués au mauvais territoire : retirez l'alias de l'un des deux."
        ],
        id="un-alias-declare-pour-deux-territoires",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), TWO_CODES_CASES)
def test_one_territory_under_two_codes_is_refused(tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]):
    """The MEL under its two EPCI codes in one file (two figures for one territory), or one alias
    declared on two territories (the MEL's figures published as the Nord's): refused, naming the
    file, the rows and both codes or territories."""
    config = copy_mini(tmp_path)
    file, producers = corrupt(config, tmp_path)
    message = _refused(config, capsys, producers)
    for part in expected:
        filled = part.replace("{file}", str(file))
        assert filled in message, f"{filled!r} not in:\n{message}"
