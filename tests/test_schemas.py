"""The declared YAML files against their schemas (observatory/inputs/schemas/*.json): every real file follows
its schema; a typo (an unknown key, a value out of its list, a value of another type, a missing key)
is refused by `check` with the file, the key, its line and what is allowed; the closed lists are the
Python constants; the staff's reference page is the one the schemas give."""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from observatory.cli import main
from observatory.inputs import schemas
from observatory.inputs.config import FORMER_QUARTIERS
from observatory.inputs.files import load_yaml
from observatory.inputs.sources.mappings import CODE_KINDS, CONFIDENCES, FILE_KINDS
from observatory.inputs.territories import KINDS
from observatory.model import DIRECTIONS, UNITS

from .conftest import FIXTURES, ROOT, copy_mini

VALID_PRODUCERS = FIXTURES / "producers" / "valid"
REAL_FILES = {
    "observatory": ["observatory.yml", "configs/*/observatory.yml", "tests/fixtures/**/observatory.yml"],
    "indicator": ["indicators/*.yml"],
    "producer": ["data/producers/*.yml"],
    "enjeux": ["data/enjeux.yml"],
    "gaps": ["data/ecarts.yml"],
    "sources": ["data/sources.yml", "configs/*/sources.yml", "tests/fixtures/**/sources.yml"],
    "glossary": ["data/glossaire.yml"],
    "perimeters": ["data/perimetres.yml"],
}


def _real_files() -> Iterator:
    for kind, patterns in REAL_FILES.items():
        for pattern in patterns:
            for path in sorted(ROOT.glob(pattern)):
                yield pytest.param(kind, path, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize(("kind", "path"), list(_real_files()))
def test_every_real_file_follows_its_schema(kind: str, path: Path):
    assert [problem.message() for problem in schemas.check(path, load_yaml(path), kind)] == []


def test_the_real_files_are_all_found():
    found = {kind: sum(len(list(ROOT.glob(pattern))) for pattern in patterns) for kind, patterns in REAL_FILES.items()}
    assert found["indicator"] > 90 and found["producer"] > 10
    assert found["observatory"] >= 3 and found["sources"] >= 3
    for kind in schemas.KINDS:  # the files each schema says it describes are among those checked
        assert set(schemas.schema(kind)["x-files"]) <= set(REAL_FILES[kind])


def _keys(node: dict, path: str = "") -> Iterator[tuple[str, dict]]:
    """(path, schema) of every key a file may hold: named properties and keys chosen by the file."""
    for name, sub in node.get("properties", {}).items():
        yield f"{path}.{name}", sub
        yield from _keys(sub, f"{path}.{name}")
    if isinstance(node.get("additionalProperties"), dict):
        yield f"{path}.<nom>", node["additionalProperties"]
        yield from _keys(node["additionalProperties"], f"{path}.<nom>")
    if isinstance(node.get("items"), dict):
        yield from _keys(node["items"], f"{path}[]")


def _nodes(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_each_schema_is_valid_and_documents_every_key(kind: str):
    node = schemas.schema(kind)
    Draft202012Validator.check_schema(node)
    assert node["title"] and node["description"] and node["x-files"]
    assert [path for path, sub in _keys(node) if not sub.get("description")] == []
    # a pattern says in French what it allows (« un identifiant en minuscules… »), except « non vide »
    assert [
        sub["pattern"] for sub in _nodes(node) if sub.get("pattern", r"\S") != r"\S" and "x-expected" not in sub
    ] == []
    # a closed set of keys refuses the others (a typo): every object says whether it is closed
    assert [
        sub.get("title", sub.get("description"))
        for sub in _nodes(node)
        if "properties" in sub and "additionalProperties" not in sub
    ] == []


def test_closed_lists_are_the_python_constants():
    """No list is written twice: the schemas name the constant, filled in when they are loaded."""
    indicator = schemas.schema("indicator")["properties"]
    assert indicator["unit"]["enum"] == list(UNITS)
    assert indicator["direction"]["enum"] == list(DIRECTIONS)
    assert indicator["applies_to"]["items"]["enum"] == list(KINDS)
    producer = schemas.schema("producer")["properties"]
    assert producer["kind"]["enum"] == list(FILE_KINDS)
    assert [branch["enum"] for branch in producer["codes"]["anyOf"][:1]] == [list(CODE_KINDS)]
    assert producer["editions"]["additionalProperties"]["items"]["properties"]["confidence"]["enum"] == list(
        CONFIDENCES
    )
    data = schemas.schema("observatory")["properties"]["data"]["properties"]
    assert data["former_quartiers"]["enum"] == list(FORMER_QUARTIERS)
    for path in schemas.SCHEMA_DIR.glob("*.json"):
        assert '"enum"' not in path.read_text(encoding="utf-8"), f"{path.name}: use x-vocabulary"


def test_the_reference_page_is_the_generated_one():
    spec = importlib.util.spec_from_file_location("schema_reference", ROOT / "scripts" / "schema_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = module.page()
    assert (ROOT / schemas.REFERENCE_PAGE).read_text(encoding="utf-8") == page, "python scripts/schema_reference.py"
    assert "| `unit` | oui | une des valeurs : percent," in page
    assert "`neutral` : ni favorable ni défavorable en soi (indicateur de contexte)" in page
    assert "| `editions.<édition>[].confidence` | non | une des valeurs : etabli, deduit |" in page


# --- typos refused by `check` ------------------------------------------------------------------

COPIED = {  # setting of observatory.yml → the project's file a test edits a copy of
    "catalog": ROOT / "indicators",
    "producers": ROOT / "data" / "producers",
    "enjeux": ROOT / "data" / "enjeux.yml",
    "glossary": ROOT / "data" / "glossaire.yml",
}


def _point(config: Path, key: str, target: Path) -> None:
    text = config.read_text(encoding="utf-8")
    line = re.compile(rf"^(\s*){key}:.*$", re.MULTILINE)
    assert line.search(text), key
    config.write_text(line.sub(lambda match: f"{match.group(1)}{key}: {target}", text, count=1), encoding="utf-8")


def _edited(config: Path, setting: str | None, name: str | None, old: str, new: str) -> tuple[Path, int]:
    """The file to edit (the configuration, the mini observatory's sources, or a copy of a project
    file named by `setting`), with `old` replaced by `new` once; returns it and the line of `new`."""
    if setting is None:
        path = config
    elif setting == "sources":
        path = config.parent / "sources.yml"
    else:
        source = COPIED[setting]
        copy = config.parent / "copies" / source.name
        if source.is_dir():
            shutil.copytree(source, copy)
        else:
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(source, copy)
        _point(config, setting, copy)
        path = copy / name if name else copy
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1 if new else 0
    return path, line


KNOWN_INDICATOR = (
    "un champ connu (id, label, definition, unit, direction, enjeu, producer, decimals, sentence, compare, "
    "order, short_label, map, applies_to, variant_of, variant_note, deducted, base, keywords)"
)
TYPOS = [
    # (setting, file in the copy, old, new, expected: {file} the edited file, {line} the line of `new`)
    pytest.param(
        None,
        None,
        "site_dir: site",
        "site_dri: site",
        [
            "{file}, champ 'site_dir' : un texte non vide (champ obligatoire) attendu, trouvé 'rien'.",
            "{file}, champ 'site_dri' : un champ connu (title, edition, data, texts, catalog, mkdocs, templates, "
            "search, pages, iris, site_dir, contracts, archives) attendu, trouvé 'site_dri'. Ligne {line}. "
            "Vouliez-vous écrire « site_dir » ?",
        ],
        id="configuration-champ-inconnu",
    ),
    pytest.param(
        None,
        None,
        "  correspondence: correspondance.csv\n",
        "  correspondence: correspondance.csv\n  former_quartiers: toutes\n",
        ["{file}, champ 'data.former_quartiers' : une des valeurs : communes, all attendu, trouvé 'toutes'."],
        id="configuration-valeur-hors-liste",
    ),
    pytest.param(
        None,
        None,
        'epci: ["200093201"]',
        "epci: 200093201",
        [
            "{file}, champ 'contracts[0].epci' : une liste non vide, chaque élément : un numéro SIREN de 9 chiffres "
            "entre guillemets, ou \"*\" attendu, trouvé '200093201'. Ligne {line}."
        ],
        id="configuration-type",
    ),
    pytest.param(
        None,
        None,
        'date: "2024-06-30"',
        'date: "2024-06-31"',
        ["{file}, champ 'edition.date' : une date AAAA-MM-JJ attendu, trouvé '2024-06-31'. Ligne {line}."],
        id="configuration-date-impossible",
    ),
    pytest.param(
        None,
        None,
        "    short_name: TEST\n",
        "",
        [
            "{file}, champ 'contracts[0].short_name' : un texte non vide (champ obligatoire) attendu, trouvé 'rien'. "
            "À ajouter au bloc de la ligne"
        ],
        id="configuration-champ-manquant",
    ),
    pytest.param(
        "catalog",
        "taux-pauvrete-60.yml",
        "unit: percent",
        "unti: percent",
        [
            "{file}, champ 'unit' : une des valeurs : percent, percent_income, ratio_value, percent_change, points, "
            "years, euro, count, count_change, index, score, rate_per_inhabitant (champ obligatoire) attendu, "
            "trouvé 'rien'.",
            "{file}, champ 'unti' : " + KNOWN_INDICATOR + " attendu, trouvé 'unti'. Ligne {line}. "
            "Vouliez-vous écrire « unit » ?",
        ],
        id="indicateur-champ-inconnu",
    ),
    pytest.param(
        "catalog",
        "taux-pauvrete-60.yml",
        "direction: lower_is_better",
        "direction: lower_is_beter",
        [
            "{file}, champ 'direction' : une des valeurs : higher_is_better, lower_is_better, neutral attendu, "
            "trouvé 'lower_is_beter'. Ligne {line}. Vouliez-vous écrire « lower_is_better » ?"
        ],
        id="indicateur-valeur-hors-liste",
    ),
    pytest.param(
        "catalog",
        "taux-pauvrete-60.yml",
        "decimals: 1",
        'decimals: "un"',
        ["{file}, champ 'decimals' : un nombre entier de 0 à 3 attendu, trouvé 'le texte « un »'. Ligne {line}."],
        id="indicateur-type",
    ),
    pytest.param(
        "catalog",
        "taux-pauvrete-60.yml",
        "label: Taux de pauvreté au seuil de 60 % (revenu disponible)\n",
        "",
        ["{file}, champ 'label' : un texte non vide (champ obligatoire) attendu, trouvé 'rien'."],
        id="indicateur-champ-manquant",
    ),
    pytest.param(
        "producers",
        "anct-revn.yml",
        "code_column: CODGEO",
        "code_colum: CODGEO",
        [
            "{file}, champ 'code_column' : un texte ou une liste non vide, chaque élément : un texte "
            "(champ obligatoire) attendu, trouvé 'rien'.",
            "{file}, champ 'code_colum' : un champ connu (id, kind, title, publisher, reference, files, code_column, "
            "codes, aggregates, encoding, delimiter, decimal, geography, editions) attendu, trouvé 'code_colum'. "
            "Ligne {line}. Vouliez-vous écrire « code_column » ?",
        ],
        id="producteur-champ-inconnu",
    ),
    pytest.param(
        "producers",
        "anct-revn.yml",
        "codes: qp2015",
        "codes: qp2051",
        [
            "{file}, champ 'codes' : une des valeurs : qp2015, commune, epci, departement, region, metro, uai, iris "
            "attendu, trouvé 'qp2051'. Ligne {line}. Vouliez-vous écrire « qp2015 » ?"
        ],
        id="producteur-valeur-hors-liste",
    ),
    pytest.param(  # in an anchored group (&caf_old) that a later edition merges (<<: *caf_old): found where written
        "producers",
        "anct-revn.yml",
        "      dated: false\n",
        "      dated: non\n",
        [
            "{file}, champ 'editions.2017[1].dated' : true ou false attendu, trouvé 'le texte « non »'. Ligne {line}.",
            "{file}, champ 'editions.2018[1].dated' : true ou false attendu, trouvé 'le texte « non »'. Ligne {line}.",
        ],
        id="producteur-type-dans-un-groupe-repris",
    ),
    pytest.param(
        "enjeux",
        None,
        "    slug: acces-emploi",
        "    slug: Accès emploi",
        [
            "{file}, champ 'enjeux[1].slug' : un identifiant en minuscules, chiffres et tirets attendu, "
            "trouvé 'Accès emploi'. Ligne {line}."
        ],
        id="enjeux-motif",
    ),
    pytest.param(
        "enjeux",
        None,
        "  - number: 2\n",
        "  - numbre: 2\n",
        [
            "{file}, champ 'enjeux[1].number' : un nombre entier d'au moins 1 (champ obligatoire) attendu, "
            "trouvé 'rien'. À ajouter au bloc de la ligne {line}.",
            "{file}, champ 'enjeux[1].numbre' : un champ connu (number, title, short_title, slug, source, ambitions, "
            "call_mapping) attendu, trouvé 'numbre'. Ligne {line}. Vouliez-vous écrire « number » ?",
        ],
        id="enjeux-champ-inconnu",
    ),
    pytest.param(
        "sources",
        None,
        'date: "2024-05-30"',
        'date: "30/05/2024"',
        [
            "{file}, champ 'documents.armentieres-volet-communal-2024.date' : une date AAAA-MM-JJ, un mois AAAA-MM "
            "ou une année AAAA attendu, trouvé '30/05/2024'. Ligne {line}."
        ],
        id="sources-date",
    ),
    pytest.param(
        "sources",
        None,
        '    publisher: "Ville d\'Armentières"',
        '    publsher: "Ville d\'Armentières"',
        [
            "{file}, champ 'documents.armentieres-volet-communal-2024.publsher' : un champ connu (title, publisher, "
            "date, reference, summary) attendu, trouvé 'publsher'. Ligne {line}. Vouliez-vous écrire « publisher » ?"
        ],
        id="sources-champ-inconnu",
    ),
    pytest.param(
        "glossary",
        None,
        "  forms:",
        "  form:",
        [
            "{file}, champ '[0].form' : un champ connu (id, term, forms, definition) attendu, trouvé 'form'. "
            "Ligne {line}. Vouliez-vous écrire « forms » ?"
        ],
        id="glossaire-champ-inconnu",
    ),
]


@pytest.mark.parametrize(("setting", "name", "old", "new", "expected"), TYPOS)
def test_a_typo_is_refused_with_the_file_the_key_and_what_is_allowed(
    tmp_path: Path, capsys, setting: str | None, name: str | None, old: str, new: str, expected: list[str]
):
    config = copy_mini(tmp_path)
    path, line = _edited(config, setting, name, old, new)
    reading = [str(VALID_PRODUCERS)] if setting == "producers" else []  # mappings are read with producer files
    assert main(["check", *reading, "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert f"(chaque champ est décrit dans {schemas.REFERENCE_PAGE}) :" in captured.err
    for part in expected:
        filled = part.replace("{file}", str(path)).replace("{line}", str(line))
        assert filled in captured.err, f"{filled!r} not in:\n{captured.err}"


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    text = config.read_text(encoding="utf-8")
    for old, new in [
        ("title:", "titre:"),
        ('date: "2024-06-30"', "date: demain"),
        ("short_name: TEST", "short_name: 3"),
    ]:
        text = text.replace(old, new, 1)
    config.write_text(text, encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 1
    located = [line for line in capsys.readouterr().err.splitlines() if line.startswith(f"{config}, champ")]
    assert [re.search(r"champ '([^']+)'", line).group(1) for line in located] == [
        "title",  # missing: no line, first
        "titre",
        "edition.date",
        "contracts[0].short_name",
    ]
