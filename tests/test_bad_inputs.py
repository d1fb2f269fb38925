"""Inputs that cannot be right are refused by `check` and by the build, in French, naming the file,
the line and the column; the site published before is left as it was (issue 12, item 5). Every
malformed input is one case of one table: encoding, separator, truncation, syntax, missing file
(issue 14, item 7)."""

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from observatory.cli import main
from observatory.inputs.sources.published import is_period
from observatory.publish.guard import MARKER, mark

from .conftest import FIXTURES, ROOT, copy_mini

LAYER = ROOT / "data" / "extract" / "qpv-2024" / "qpv2024_simplified.geojson"
PRODUCERS = FIXTURES / "producers" / "valid"
BEFORE = "site publié avant"


def _refused(config: Path, capsys, data_dir: Path | None = None) -> str:
    """`check` and the build both exit 1 naming the same problems; returns the message of `check`."""
    site = config.parent / "site"
    site.mkdir()
    (site / "index.html").write_text(BEFORE, encoding="utf-8")
    mark(site)  # a site the build made, which it may replace
    reading = [str(data_dir)] if data_dir else []
    check = ["check", *reading, "--config", str(config)]
    build = ["build", "--config", str(config), "--site-dir", str(site), *(["--data-dir", *reading] if data_dir else [])]
    messages = []
    for argv in (check, build):
        assert main(argv) == 1
        messages.append(capsys.readouterr().err)
    check_said, build_said = (message.splitlines() for message in messages)
    assert check_said[:-1] == build_said[:-1]  # the same problems; the last line says what was (not) built
    assert check_said[-1] == "Échec : données non valides, rien n'a été construit."
    assert "Traceback" not in messages[0]
    assert sorted(path.name for path in site.iterdir()) == [MARKER, "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == BEFORE
    return messages[0]


def _point(config: Path, key: str, target: Path) -> None:
    """Make the setting `key` of the configuration (a data.* key, or a top-level one) name `target`."""
    text = config.read_text(encoding="utf-8")
    line = re.compile(rf"^(\s*){key}:.*$", re.MULTILINE)
    if line.search(text):
        text = line.sub(lambda match: f"{match.group(1)}{key}: {target}", text, count=1)
    else:
        text = text.replace("\ndata:\n", f"\ndata:\n  {key}: {target}\n", 1)
    config.write_text(text, encoding="utf-8")


def _figures(config: Path) -> Path:
    return config.parent / "figures" / "armentieres.csv"


def _add_row(path: Path, row: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")


def _row(period: str = "2019", value: str = "41,8", document: str = "armentieres-volet-communal-2024", where="x"):
    """A figure of QN05967M (its poverty rate in 2019 is 41,8 in the mini observatory's figures)."""
    return f"QN05967M;taux-pauvrete-60;{period};{value};;value;ok;Insee, Filosofi;{document};{where};non_precise;"


Corrupt = Callable[[Path, Path], tuple[Path, Path | None]]
"""Corrupts the copy of the mini observatory (its configuration, the test's folder); returns the file
the message must name and the producers' folder to read (None: the configuration's own)."""


class Rx(str):
    """An expected part of the message given as a regular expression ("{file}": the file, escaped)."""


FIGURES = "figures/armentieres.csv"


def _rewrite(name: str, change: Callable[[str], bytes]) -> Corrupt:
    """A file of the mini observatory (relative to its folder) rewritten: `change` takes its text
    and gives the bytes written."""

    def corrupt(config: Path, _tmp: Path) -> tuple[Path, Path | None]:
        path = config.parent / name
        path.write_bytes(change(path.read_text(encoding="utf-8")))
        return path, None

    return corrupt


def _rows(*rows: str, encoding: str = "utf-8", end: str = "\n") -> Callable[[str], bytes]:
    return lambda text: (text + end.join(rows) + end).encode(encoding)


def _other_figures(row: str) -> Corrupt:
    """A second figures file repeating a figure of the first."""

    def corrupt(config: Path, _tmp: Path) -> tuple[Path, Path | None]:
        other = config.parent / "figures" / "autre.csv"
        header = _figures(config).read_text(encoding="utf-8").splitlines()[0]
        other.write_text(header + "\n" + row + "\n", encoding="utf-8")
        return other, None

    return corrupt


def _producer(change: Callable[[bytes], bytes], name: str = "REVN_2022.csv") -> Corrupt:
    """A copy of the valid producer files, one of them rewritten by `change` (bytes → bytes)."""

    def corrupt(_config: Path, tmp: Path) -> tuple[Path, Path | None]:
        folder = tmp / "producteurs"
        shutil.copytree(PRODUCERS, folder)
        path = folder / name
        path.write_bytes(change(path.read_bytes()))
        return path, folder

    return corrupt


def _producer_fixture(folder: str, name: str) -> Corrupt:
    """A producer fixture of tests/fixtures/producers that holds one defect."""
    path = FIXTURES / "producers" / folder / name
    return lambda _config, _tmp: (path, path.parent)


def _cut_in_a_character(data: bytes) -> bytes:
    """The file cut after the first byte of its last multi-byte character (U+202F, 3 bytes)."""
    data = data.rstrip(b"\r\n")
    return data[: data.rfind("\u202f".encode()) + 1]


def _truncated_xlsx(_config: Path, tmp: Path) -> tuple[Path, Path | None]:
    """The valid REVN file saved as a workbook, then cut in half."""
    folder = tmp / "producteurs"
    folder.mkdir()
    workbook = Workbook()
    for line in (PRODUCERS / "REVN_2022.csv").read_text(encoding="utf-8-sig").splitlines():
        workbook.active.append([cell or None for cell in line.split(";")])
    path = folder / "REVN_2022.xlsx"
    workbook.save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path, folder


def _setting(key: str, make: Callable[[Path], Path]) -> Corrupt:
    """The setting `key` of the configuration names the file `make` writes in the test's folder."""

    def corrupt(config: Path, tmp: Path) -> tuple[Path, Path | None]:
        target = make(tmp)
        _point(config, key, target)
        return target, None

    return corrupt


def _truncated_layer(tmp_path: Path) -> Path:
    text = LAYER.read_text(encoding="utf-8")
    layer = tmp_path / "qpv2024_tronque.geojson"
    layer.write_text(text[: len(text) // 2], encoding="utf-8")
    return layer


def _layer_cut_in_a_character(tmp_path: Path) -> Path:
    data = LAYER.read_bytes()
    layer = tmp_path / "qpv2024_coupe.geojson"
    layer.write_bytes(data[: data.index("é".encode()) + 1])
    return layer


def _layer_without_code(tmp_path: Path) -> Path:
    layer = tmp_path / "qpv2024.geojson"
    layer.write_text(LAYER.read_text(encoding="utf-8").replace('"code_qp": "QN05967M"', '"code_qp": null'), "utf-8")
    return layer


def _latin_glossary(tmp_path: Path) -> Path:
    glossary = tmp_path / "glossaire-latin.yml"
    glossary.write_bytes((ROOT / "data" / "glossaire.yml").read_text(encoding="utf-8").encode("cp1252", "replace"))
    return glossary


def _config_text(old: str, new: str) -> Corrupt:
    def corrupt(config: Path, _tmp: Path) -> tuple[Path, Path | None]:
        text = config.read_text(encoding="utf-8")
        assert old in text
        config.write_text(text.replace(old, new, 1), encoding="utf-8")
        return config, None

    return corrupt


def _with_phrase_left_out(text: str) -> bytes:
    """territories.csv with its optional column with_phrase, every row giving it (empty) but the
    Nord's (line 3), which stops one field short."""
    header, *rows = text.splitlines()
    assert rows[1] == "dep-59;departement;Nord;;dans le Nord;;;"
    rows = [row if number == 1 else row + ";" for number, row in enumerate(rows)]
    return "\n".join([header + ";with_phrase", *rows, ""]).encode()


def _missing_glossary(config: Path, tmp: Path) -> tuple[Path, Path | None]:
    _point(config, "glossary", tmp / "glossaire-absent.yml")
    return config, None


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copie" / source.name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return target


def _broken_yaml(key: str, source: Path, broken: str | None = None) -> Corrupt:
    """A copy of the YAML input named by `key`, with a badly indented line inserted as its third."""

    def corrupt(config: Path, tmp: Path) -> tuple[Path, Path | None]:
        copy = _copy(source, tmp)
        _point(config, key, copy)
        path = copy / broken if broken else copy
        if path.is_dir():
            path = sorted(path.glob("*.yml"))[0]
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.insert(2, "  : mal indenté: [")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path, PRODUCERS if key == "producers" else None

    return corrupt


UNREADABLE_PERIODS = ["deux mille dix-neuf", "2O19", "2019-2017", "31/02/2022", "2019 et 2020"]
LATE_PERIODS = ["2099", "2020-2099", "2025", "31/12/2025"]  # the mini observatory's edition.date: 2024-06-30
LAYER_SETTINGS = {"quartiers": "une couche GeoJSON de l'ANCT", "contours": "une couche GeoJSON des quartiers 2024"}
YAML_INPUTS = {
    "catalog": (ROOT / "indicators", "taux-pauvrete-60.yml"),
    "producers": (ROOT / "data" / "producers", None),
    "enjeux": (ROOT / "data" / "enjeux.yml", None),
    "glossary": (ROOT / "data" / "glossaire.yml", None),
    "sources": (FIXTURES / "mini" / "sources.yml", None),
}
UTF8 = "un fichier encodé en UTF-8 attendu"
SEPARATOR = "Le séparateur semble être ',' (attendu ';')"

# Every malformed input: (how to corrupt the mini observatory, the parts its message must hold, "{file}"
# standing for the corrupted file and "{tmp}" for the test's folder), by case id.
BAD_INPUTS = [
    # figures files (data/figures): rows, duplicates, millésimes
    pytest.param(
        _rewrite(FIGURES, lambda text: (text.splitlines()[0] + "\n").encode()),
        ["{file}, ligne 2 : une ligne de chiffre après l'en-tête attendu, trouvé 'rien'."],
        id="chiffres-en-tete-seul",
    ),
    pytest.param(
        _rewrite(FIGURES, _rows(_row(value="40,2", where="Enjeu 2, texte"))),
        [
            "{file}, ligne 6, colonne 'value' : un seul chiffre par territoire, indicateur, période, statistique "
            "et document attendu, trouvé '40,2'. Chiffre : QN05967M, taux-pauvrete-60, 2019, value, "
            "armentieres-volet-communal-2024, qui vaut déjà 41,8 (ligne 3) : gardez une seule valeur."
        ],
        id="chiffres-deux-valeurs-un-document",
    ),
    pytest.param(
        _other_figures(_row(value="40,2", where="ailleurs")),
        ["{file}, ligne 2", "attendu, trouvé '40,2'."],
        id="chiffres-deux-fichiers-deux-valeurs",
    ),
    pytest.param(
        _other_figures(_row(value="41,8", where="ailleurs")),
        ["{file}, ligne 2", "attendu, trouvé 'doublon (armentieres.csv, ligne 3)'."],
        id="chiffres-deux-fichiers-doublon",
    ),
    *(
        pytest.param(
            _rewrite(FIGURES, _rows(_row(period=period))),
            ["{file}, ligne 6, colonne 'period' : un millésime sous une forme déclarée (", f"trouvé '{period}'."],
            id=f"millesime-illisible-{period}",
        )
        for period in UNREADABLE_PERIODS
    ),
    *(
        pytest.param(
            _rewrite(FIGURES, _rows(_row(period=period))),
            [
                "{file}, ligne 6, colonne 'period' : un millésime au plus tard en 2024, année de l'édition "
                f"(edition.date) attendu, trouvé '{period}'."
            ],
            id=f"millesime-apres-l-edition-{period}",
        )
        for period in LATE_PERIODS
    ),
    # figures files: encoding, separator, truncation
    pytest.param(
        _rewrite(FIGURES, _rows(_row(where="Enjeu 6, tableau é"), encoding="latin-1")),
        [f"{{file}}, ligne 6 : {UTF8}, trouvé 'l'octet e9 (autre encodage ?)'. Le fichier semble encodé en Latin-1"],
        id="chiffres-latin-1",
    ),
    pytest.param(
        _rewrite(FIGURES, _rows(_row(where="Enjeu 6, cœur de quartier"), encoding="cp1252")),
        [f"{{file}}, ligne 6 : {UTF8}, trouvé 'l'octet 9c (autre encodage ?)'.", "semble encodé en Windows-1252"],
        id="chiffres-windows-1252",
    ),
    pytest.param(
        _rewrite(FIGURES, lambda text: text.encode("utf-16")),
        [f"{{file}}, ligne 1 : {UTF8}, trouvé 'l'octet ff (autre encodage ?)'.", "semble encodé en UTF-16"],
        id="chiffres-utf-16",
    ),
    pytest.param(
        _rewrite(FIGURES, lambda text: text.encode("utf-16-le")),
        [f"{{file}}, ligne 1 : {UTF8}, trouvé 'l'octet 00 (autre encodage ?)'.", "UTF-16 (octets nuls"],
        id="chiffres-utf-16-sans-marque",
    ),
    pytest.param(
        _rewrite(FIGURES, lambda text: text.replace(";", ",").encode()),
        ["{file}, ligne 1 : des colonnes séparées par ';' attendu, trouvé 'territory,indicator,", SEPARATOR],
        id="chiffres-separateur-virgule",
    ),
    pytest.param(
        _rewrite(FIGURES, _rows(_row().replace(";", ","))),
        ["{file}, ligne 6 : 12 champs séparés par ';' attendu, trouvé '1 champ'.", SEPARATOR],
        id="chiffres-ligne-separee-par-des-virgules",
    ),
    pytest.param(
        _rewrite(FIGURES, _rows(_row()[:40], end="")),
        ["{file}, ligne 6 : 12 champs séparés par ';' attendu, trouvé '6 champs'.", "(fichier tronqué ?)"],
        id="chiffres-tronque",
    ),
    pytest.param(
        _rewrite(FIGURES, _rows(_row(where="Enjeu 2; tableau"))),
        ["{file}, ligne 6 : 12 champs séparés par ';' attendu, trouvé '13 champs'.", "entre guillemets"],
        id="chiffres-point-virgule-sans-guillemets",
    ),
    # referential (quartiers.csv, territories.csv)
    pytest.param(
        _rewrite(
            "quartiers.csv", lambda text: text.replace("59017,Armentières", "59017|59350,Armentières", 1).encode()
        ),
        [
            "{file}, ligne 2, colonne 'communes' : autant de noms de communes que de codes dans 'communes_insee' (2)",
            "trouvé '1 nom : Armentières'.",
        ],
        id="quartier-plus-de-codes-que-de-communes",
    ),
    pytest.param(
        _rewrite("quartiers.csv", lambda text: ("\n".join(text.splitlines()[:2]) + "\nQN05999X,Cit").encode()),
        ["{file}, ligne 3 : 9 champs séparés par ',' attendu, trouvé '2 champs'.", "(fichier tronqué ?)"],
        id="quartiers-tronque",
    ),
    pytest.param(
        _rewrite("quartiers.csv", lambda text: text.encode("latin-1")),
        [f"{{file}}, ligne 2 : {UTF8}, trouvé 'l'octet e8 (autre encodage ?)'. Le fichier semble encodé en Latin-1"],
        id="quartiers-latin-1",
    ),
    pytest.param(
        _rewrite("correspondance.csv", lambda text: text.encode("latin-1")),
        ["{file}, ligne 2 : " + UTF8 + ", trouvé 'l'octet e9 (autre encodage ?)'. Le fichier semble encodé en Latin-1"],
        id="corrections-latin-1",
    ),
    pytest.param(
        _rewrite("territories.csv", lambda text: text.replace(";", ",").encode()),
        ["{file}, ligne 1 : les colonnes id, kind, name", SEPARATOR],
        id="territoires-separateur-virgule",
    ),
    pytest.param(
        _rewrite(
            "territories.csv",
            lambda text: text.replace("dans le Nord;;;", "dans le Nord;;;Nord ; Hauts-de-France").encode(),
        ),
        ["{file}, ligne 3 : 8 champs séparés par ';' attendu, trouvé '9 champs'. Un texte contient ';'"],
        id="territoires-point-virgule-dans-un-texte",
    ),
    pytest.param(
        _rewrite("territories.csv", _with_phrase_left_out),
        [
            "{file}, ligne 3 : 9 champs séparés par ';' attendu, trouvé '8 champs'. Il manque 1 séparateur ';' : "
            "la colonne with_phrase serait lue vide, ou les valeurs suivantes décalées d'une colonne. Une valeur "
            "vide s'écrit aussi, entre ses deux séparateurs."
        ],
        id="territoires-colonne-facultative-sans-son-champ",
    ),
    pytest.param(
        _rewrite(
            "quartiers.csv", lambda text: text.replace(",59,Nord,32,Hauts-de-France\n", ",59,Nord,32\n", 1).encode()
        ),
        [
            "{file}, ligne 2 : 9 champs séparés par ',' attendu, trouvé '8 champs'. Il manque 1 séparateur ',' : "
            "la colonne region_name serait lue vide"
        ],
        id="quartiers-colonne-facultative-sans-son-champ",
    ),
    # producer files (ANCT, Insee… CSV and XLSX)
    pytest.param(
        _producer(_cut_in_a_character),
        [
            "{file}, ligne 4 : un fichier UTF-8 complet attendu, trouvé 'un caractère coupé à l'octet 597 sur 597, "
            "en fin de fichier (fichier tronqué ?)'."
        ],
        id="producteur-coupe-dans-un-caractere",
    ),
    pytest.param(
        _producer_fixture("truncated-file-with-problems", "REVN_2022.csv"),
        ["{file}, ligne 3 : 32 colonnes et une fin de ligne attendu, trouvé '18 valeurs en fin de fichier (fichier"],
        id="producteur-tronque",
    ),
    pytest.param(
        _producer_fixture("wrong-encoding-with-problems", "neet_epci_2018.csv"),
        [
            f"{{file}}, ligne 2 : {UTF8}, trouvé 'l'octet e9 (autre encodage ?)'. Déclarez l'encodage du fichier "
            "dans sa table de correspondance (encoding: latin-1)."
        ],
        id="producteur-latin-1",
    ),
    pytest.param(
        _producer(lambda data: data.decode("utf-8-sig").encode("utf-16")),
        [f"{{file}}, ligne 1 : {UTF8}, trouvé 'l'octet ff (autre encodage ?)'.", "(encoding: utf-16)."],
        id="producteur-utf-16",
    ),
    pytest.param(
        _producer(lambda data: data.replace(b";", b",")),
        [
            "{file}, ligne 1, colonne 'CODGEO' : une ligne d'en-tête contenant la colonne 'CODGEO' attendu",
            f'{SEPARATOR} : déclarez-le dans la table de correspondance du fichier (delimiter: ",").',
        ],
        id="producteur-separateur-virgule",
    ),
    pytest.param(
        _truncated_xlsx,
        ["{file} : un classeur XLSX lisible attendu, trouvé 'une archive XLSX incomplète ou d'un autre format'."],
        id="producteur-xlsx-tronque",
    ),
    # layers (GeoJSON)
    *(
        pytest.param(
            _setting(setting, _truncated_layer),
            [Rx(rf"{{file}}, ligne 1, colonne \d+ : {re.escape(expected)} attendu"), "(tronqué ?)"],
            id=f"couche-tronquee-{setting}",
        )
        for setting, expected in LAYER_SETTINGS.items()
    ),
    pytest.param(
        _setting("contours", _layer_cut_in_a_character),
        ["{file}, ligne 1 : un fichier UTF-8 complet attendu, trouvé 'un caractère coupé à l'octet"],
        id="couche-coupee-dans-un-caractere",
    ),
    pytest.param(
        _setting("quartiers", _layer_without_code),
        [Rx(r"{file}, champ 'features\[\d+\]\.properties\.code_qp' : une valeur")],
        id="couche-quartier-sans-code",
    ),
    # configuration and YAML inputs
    pytest.param(
        _config_text('title: "Observatoire de test"', 'title: "Observatoire de test'),
        [Rx(r"{file}, ligne \d+, colonne \d+ : un fichier YAML valide attendu")],
        id="configuration-illisible",
    ),
    *(
        pytest.param(
            _broken_yaml(key, source, broken),
            [Rx(r"{file}, ligne \d+, colonne \d+ : un fichier YAML valide attendu")],
            id=f"yaml-illisible-{key}",
        )
        for key, (source, broken) in YAML_INPUTS.items()
    ),
    pytest.param(
        _setting("glossary", _latin_glossary),
        [
            Rx(rf"{{file}}, ligne \d+ : {UTF8}, trouvé 'l'octet [0-9a-f]{{2}} \(autre encodage \?\)'"),
            "semble encodé en",
        ],
        id="yaml-windows-1252",
    ),
    pytest.param(
        _missing_glossary,
        ["{file}, champ 'data.glossary' : le fichier du glossaire attendu, trouvé '{tmp}/glossaire-absent.yml'."],
        id="fichier-configure-absent",
    ),
    pytest.param(
        _config_text('edition:\n  id: "test"\n  label: "Édition de test"\n  date: "2024-06-30"\n', "edition: 2024\n"),
        ["{file}, champ 'edition' : une suite de champs (id, label, date) attendu, trouvé '2024'."],
        id="configuration-edition-sans-champs",
    ),
    pytest.param(
        _config_text("contracts:\n", "contracts:\n  - 12\n"),
        ["{file}, champ 'contracts[0]' : un contrat : une suite de champs (id, name,", "trouvé '12'."],
        id="configuration-contrat-sans-champs",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected"), BAD_INPUTS)
def test_a_malformed_input_is_refused_in_french(tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str]):
    """Exit code 1 for `check` and the build, the same French message naming the file, the line and
    what was expected and found, no traceback, the site published before left as it was."""
    config = copy_mini(tmp_path)
    file, producers = corrupt(config, tmp_path)
    message = _refused(config, capsys, producers)
    assert str(file) in message
    for part in expected:
        if isinstance(part, Rx):
            pattern = part.replace("{file}", re.escape(str(file)))
            assert re.search(pattern, message), f"{pattern!r} not in:\n{message}"
        else:
            filled = part.replace("{file}", str(file)).replace("{tmp}", str(tmp_path))
            assert filled in message, f"{filled!r} not in:\n{message}"


def test_two_documents_may_give_two_values_of_one_figure(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    _add_row(_figures(config), _row(value="40,2", document="mel-appel-projets-2025"))
    assert main(["check", "--config", str(config)]) == 0


@pytest.mark.parametrize(
    "period", ["2019", "2009-2020", "31/12/2022", "septembre 2023", "base 2023", "rentrée 2022-2023", "non précisée"]
)
def test_the_declared_period_formats_are_accepted(period: str):
    assert is_period(period)
