"""What is told when an input is wrong in a way that used to be told poorly (issue 29, « Messages »):
a workbook saved under a .csv name, a share over a zero denominator, an indicator file the catalog
does not read; and the CSV downloads, whose texts a spreadsheet never runs as formulas, a tab or a
carriage return in front of the formula included. Each case is planted in a copy of the mini
observatory and run through the CLI (tests/test_bad_inputs.py)."""

import csv
import gzip
import io
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from observatory.cli import main
from observatory.pages.downloads import table_downloads
from observatory.pipeline import build, load

from .conftest import ROOT, copy_mini
from .test_bad_inputs import FIGURES, PRODUCERS, Corrupt, _point, _producer, _refused, _rewrite

# --- a workbook saved under a .csv name ----------------------------------------------------------


def _xlsx(text: str) -> bytes:
    """The rows of a ';'-separated text as the bytes of an XLSX workbook."""
    workbook = Workbook()
    for line in text.splitlines():
        workbook.active.append([cell or None for cell in line.split(";")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # the header of an Excel 97-2003 (XLS) file
TEXT = "un fichier CSV (texte) attendu, trouvé"

# --- a share over a zero denominator (REVN_2022.csv: ARSAS / A × 100, AAAH / A × 100, APPA / A × 100) ---

CAF = b";0;1 000;;200;50;0;"  # NOTE_CNAM; A; APPA; ARSAS; AAAH; NOTE_CNAF of QP059069 (line 2)


def _caf(cells: bytes) -> Callable[[bytes], bytes]:
    """QP059069's CAF counts replaced by `cells` (A; APPA; ARSAS; AAAH)."""

    def change(data: bytes) -> bytes:
        assert CAF in data
        return data.replace(CAF, b";0;" + cells + b";0;", 1)

    return change


# --- an indicator file the catalog does not read -------------------------------------------------


def _catalog_file(name: str, source: str | None = "taux-pauvrete-60.yml", keep: bool = False) -> Corrupt:
    """A copy of the catalog holding the file `name`: the indicator `source` renamed (or copied, with
    `keep`) to it, or an empty file; the producers' files are read, their columns mapped to it."""

    def corrupt(config: Path, tmp: Path) -> tuple[Path, Path | None]:
        folder = tmp / "indicateurs"
        shutil.copytree(ROOT / "indicators", folder)
        _point(config, "catalog", folder)
        path = folder / name
        if source is None:
            path.write_text("notes\n", encoding="utf-8")
        elif keep:
            shutil.copy(folder / source, path)
        else:
            (folder / source).rename(path)
        return path, PRODUCERS

    return corrupt


UNREAD = "{file} : un fichier .yml attendu, trouvé 'un fichier {suffix}, que le catalogue ne lit pas'. {hint}"
RENAME = "Renommez-le en .yml."
RENAME_OR_REMOVE = "Renommez-le en .yml s'il décrit un indicateur, sinon retirez-le du dossier."

# (how to corrupt the mini observatory, the problems its message must say — every one of them when
# `only` —, "{file}" standing for the corrupted file), by case id.
MESSAGES = [
    pytest.param(
        _producer(lambda data: _xlsx(data.decode("utf-8-sig"))),
        [
            f"{{file}} : {TEXT} 'un classeur Excel (XLSX) enregistré sous un nom .csv'. "
            "Enregistrez-le en CSV (séparateur ;) ou renommez-le en .xlsx."
        ],
        False,
        id="producteur-xlsx-nomme-csv",
    ),
    pytest.param(
        _producer(lambda _data: OLE2),
        [
            f"{{file}} : {TEXT} 'un classeur Excel 97-2003 (XLS) enregistré sous un nom .csv'. "
            "Enregistrez-le en CSV (séparateur ;) ou au format XLSX (.xlsx)."
        ],
        False,
        id="producteur-xls-nomme-csv",
    ),
    pytest.param(
        _rewrite(FIGURES, _xlsx),
        [
            f"{{file}} : {TEXT} 'un classeur Excel (XLSX) enregistré sous un nom .csv'. "
            "Enregistrez-le en CSV (séparateur ;)."
        ],
        False,
        id="chiffres-xlsx-nomme-csv",
    ),
    pytest.param(
        _producer(_caf(b"0;;200;50")),
        [
            "{file}, ligne 2, colonne 'A' : un effectif non nul, dénominateur d'une part calculée attendu, "
            "trouvé '0'. Le numérateur de la part n'est pas nul : une part de quelque chose sur 0 n'existe pas."
        ],
        True,
        id="denominateur-nul-sous-un-numerateur",
    ),
    pytest.param(
        _producer(_caf(b"-5;;200;50")),
        ["{file}, ligne 2, colonne 'A' : un nombre positif ou nul attendu, trouvé '-5'."],
        True,
        id="denominateur-negatif",
    ),
    pytest.param(
        _catalog_file("taux-pauvrete-60.yaml"),
        [UNREAD.format(file="{file}", suffix=".yaml", hint=RENAME)],
        True,
        id="indicateur-yaml",
    ),
    pytest.param(
        _catalog_file("taux-pauvrete-60.YML"),
        [UNREAD.format(file="{file}", suffix=".YML", hint=RENAME)],
        True,
        id="indicateur-yml-majuscules",
    ),
    pytest.param(
        _catalog_file("taux-pauvrete-60.yml.bak", keep=True),
        [UNREAD.format(file="{file}", suffix=".yml.bak", hint=RENAME_OR_REMOVE)],
        True,
        id="indicateur-copie-bak",
    ),
    pytest.param(
        _catalog_file("notes.txt", source=None),
        [UNREAD.format(file="{file}", suffix=".txt", hint=RENAME_OR_REMOVE)],
        True,
        id="catalogue-fichier-texte",
    ),
]


@pytest.mark.parametrize(("corrupt", "expected", "only"), MESSAGES)
def test_the_message_says_what_was_found_and_what_to_do(
    tmp_path: Path, capsys, corrupt: Corrupt, expected: list[str], only: bool
):
    """`check` and the build refuse the input with its own problem (`only`: and nothing else, not the
    consequences in other files), never a share told 'nan' nor an encoding to declare."""
    config = copy_mini(tmp_path)
    file, producers = corrupt(config, tmp_path)
    message = _refused(config, capsys, producers)
    said = [part.replace("{file}", str(file)) for part in expected]
    for part in said:
        assert part in message, f"{part!r} not in:\n{message}"
    assert "'nan'" not in message and "encoding:" not in message, message
    if only:
        problems = [line for line in message.splitlines()[:-1] if line.startswith(str(tmp_path))]
        assert len(problems) == len(said), message


@pytest.mark.parametrize(
    ("cells", "undivided"),
    [
        pytest.param(b"0;;0;0", ["part-allocataires-rsa-socle", "part-allocataires-aah"], id="zero-sur-zero"),
        pytest.param(
            b"0;0;0;0",
            ["part-allocataires-rsa-socle", "part-allocataires-aah", "part-allocataires-prime-activite"],
            id="zero-sur-zero-appa",
        ),
    ],
)
def test_a_share_of_nothing_is_not_available_never_a_number(tmp_path: Path, capsys, cells: bytes, undivided: list):
    """0 out of 0 allocataires: the share is « non disponible », said in the row accounting of
    `check` and in the figure's note; never 0, never 'nan', never secret."""
    config = copy_mini(tmp_path)
    _file, folder = _producer(_caf(cells))(config, tmp_path)
    assert main(["check", str(folder), "--config", str(config)]) == 0, capsys.readouterr().err
    said = capsys.readouterr().out
    assert (
        f"  attention : {len(undivided)} part(s) calculée(s) non disponible(s) : effectif du dénominateur à 0 "
        "dans le fichier, rien à diviser (voir la note de chaque chiffre)"
    ) in said, said
    figures = load(config, data_dir=folder).figures
    shares = figures[
        (figures["territory"] == "QN05967M")
        & figures["indicator"].isin(undivided)
        & figures["location"].str.startswith("REVN_2022.csv")
    ]
    assert sorted(shares["indicator"]) == sorted(undivided)
    for figure in shares.itertuples():
        assert figure.status == "non_disponible" and math.isnan(figure.value), figure
        assert "Part non calculable : allocataires de la CAF : 0 (colonne A), rien à diviser." in figure.note


# --- CSV downloads: no formula behind a tab or a carriage return ----------------------------------

TABBED = '\t=HYPERLINK("http://evil.example")'  # the name of QN05967M


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The mini observatory built by the CLI, a quartier named with a formula behind a tab."""
    tmp = tmp_path_factory.mktemp("messages")
    config = copy_mini(tmp)
    path = config.parent / "quartiers.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    rows[0]["name"] = TABBED
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    built = tmp / "site"
    assert main(["build", "--config", str(config), "--site-dir", str(built)]) == 0
    return built


@pytest.mark.parametrize(
    "download", ["quartiers/QN05967M.csv.gz", "indicateurs/taux-pauvrete-60.csv.gz", "donnees.csv.gz"]
)
def test_a_formula_behind_a_tab_is_neutralised_in_the_downloads(site: Path, download: str):
    """The name is kept, behind an apostrophe (OWASP: a tab in front too); numbers, negative ones
    included, are left as numbers."""
    with gzip.open(site / "telechargements" / download, "rt", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {row["territoire"] for row in rows if row["territoire_code"] == "QN05967M"} == {"'" + TABBED}
    for row in rows:
        for cell in row.values():
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell)  # a number, never a text a spreadsheet would run


@pytest.mark.parametrize(
    ("value", "start"),
    [
        pytest.param("\t=1+2", "'\t=1+2", id="tabulation"),
        pytest.param("\r=1+2", '"\'\r=1+2"', id="retour-chariot"),
        pytest.param("\r\n=1+2", '"\'\r\n=1+2"', id="fin-de-ligne"),
        pytest.param("=1+2", "'=1+2", id="egal"),
        pytest.param(-3.5, "-3.5\n", id="nombre-negatif"),
        pytest.param("a\t=1", "a\t=1\n", id="tabulation-au-milieu"),
    ],
)
def test_a_table_download_neutralises_every_formula_start(value: object, start: str):
    """A carriage return cannot reach a name through the CSV inputs (it ends their line): the
    comité's table writer is given one directly. What the line of the cell starts with."""
    files = table_downloads("synthese", "Synthèse", ["valeur"], [[value]], "2024-06-30")
    header, body = gzip.decompress(files["telechargements/synthese.csv.gz"]).decode("utf-8").split("\n", 1)
    assert header == "valeur" and body.startswith(start), body


# --- a line break inside a downloaded text cell -------------------------------------------------

LINE_BREAKS = [
    pytest.param("ligne 1\rligne 2", id="retour-chariot-seul"),
    pytest.param("ligne 1\nligne 2", id="saut-de-ligne"),
    pytest.param("ligne 1\r\nligne 2", id="fin-de-ligne-windows"),
    pytest.param("fin\r", id="retour-chariot-final"),
]


@pytest.mark.parametrize("value", LINE_BREAKS)
def test_a_line_break_in_a_downloaded_cell_stays_in_its_cell(value: str):
    """A text holding a carriage return (alone or not) or a line feed is quoted: read back as CSV (as
    a spreadsheet reads it), the table has its rows and the text is whole in its cell."""
    rows = [[value, "x"], ["autre", "y"]]
    files = table_downloads("synthese", "Synthèse", ["valeur", "suite"], rows, "2024-06-30")
    text = gzip.decompress(files["telechargements/synthese.csv.gz"]).decode("utf-8")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["valeur", "suite"], *rows]


def test_ordinary_cells_are_written_as_before():
    """Quoting a line break changes nothing else: the bytes of ordinary cells are those written before."""
    rows = [["x,y", 'q"', 2.5], ["texte", "", None]]
    files = table_downloads("synthese", "Synthèse", ["a", "b", "c"], rows, "2024-06-30")
    assert gzip.decompress(files["telechargements/synthese.csv.gz"]) == b'a,b,c\n"x,y","q""",2.5\ntexte,,\n'


def test_an_indicator_label_with_a_carriage_return_keeps_every_downloaded_row_whole(tmp_path: Path):
    """An indicator's label written with a carriage return (a YAML "\\r"): every CSV the site offers
    reads back with the header's number of fields on every row and the label whole."""
    config = copy_mini(tmp_path)
    folder = config.parent
    shutil.copytree(ROOT / "indicators", folder / "indicators")
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings.replace(f"catalog: {ROOT}/indicators", "catalog: indicators"), encoding="utf-8")
    indicator = folder / "indicators" / "taux-pauvrete-60.yml"
    label = "Taux de pauvreté\rau seuil de 60 %"
    text = indicator.read_text(encoding="utf-8")
    old = "label: Taux de pauvreté au seuil de 60 % (revenu disponible)\n"
    assert old in text
    indicator.write_text(text.replace(old, f"label: {json.dumps(label, ensure_ascii=False)}\n"), encoding="utf-8")
    site = build(config, tmp_path / "site").site_dir
    for name, column in (("donnees.csv.gz", "indicateur"), ("indicateurs.csv", "intitule")):
        data = (site / "telechargements" / name).read_bytes()
        text = (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        assert all(len(row) == len(header) for row in rows), name
        assert label in {row[header.index(column)] for row in rows}, name
