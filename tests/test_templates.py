"""Templates receive view models, not the observatory: each page template uses exactly the fields
of its view (observatory/pages) and the page's place in the site (render.LAYOUT), calls no method
(only macros), looks nothing up by a computed key, and formats with pure filters only."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest
from jinja2 import meta, nodes

from observatory.pages.indexes import ContractSummary, EditionItem, EditionsView, HomeView
from observatory.pages.page_types import TEMPLATES
from observatory.pages.render import LAYOUT, environment, glossary_linker

from .conftest import ROOT

PAGES = ROOT / "templates" / "pages"
MACROS = "_macros.j2"
#: formatting only: escaping, numbers, dates, glossary links, joining and counting what a view holds
FILTERS = {"md", "prose", "front_title", "number", "date", "glossary", "join", "length", "lower", "capitalize", "safe"}
FILTERS |= {"map"}  # map(attribute=…): a field of each item, read
FILTERS |= {"of_name"}  # « de » contracted before a name: wording, not computation

ENV = environment(str(PAGES))
ENV.filters["glossary"] = glossary_linker([])  # render adds it with the build's glossary
PAGE_TEMPLATES = sorted(path.name for path in PAGES.glob("*.j2") if path.name != MACROS)


def _tree(name: str) -> nodes.Template:
    return ENV.parse((PAGES / name).read_text(encoding="utf-8"))


def _macro_names(tree: nodes.Template) -> tuple[set[str], set[str]]:
    """(macros defined in the template, names its templates are imported as)."""
    defined = {macro.name for macro in tree.find_all(nodes.Macro)}
    imported = {node.target for node in tree.find_all(nodes.Import)}
    return defined | {"caller"}, imported


def test_every_page_template_shows_one_view():
    assert sorted(TEMPLATES.values()) == PAGE_TEMPLATES


@pytest.mark.parametrize("view", list(TEMPLATES), ids=lambda view: view.__name__)
def test_a_template_uses_exactly_the_fields_of_its_view(view: type):
    """Every name a template reads is a field of its view or a layout name, and every field of the
    view is shown (a view holds what its page shows, no more)."""
    tree = _tree(TEMPLATES[view])
    names = meta.find_undeclared_variables(tree)
    if any(node.template.value == MACROS for node in tree.find_all(nodes.Import)):
        names |= meta.find_undeclared_variables(_tree(MACROS))
    declared = {field.name for field in fields(view)}
    assert view.__dataclass_params__.frozen, view
    assert names - declared - set(LAYOUT) == set(), TEMPLATES[view]
    assert declared - names == set(), TEMPLATES[view]


def test_macros_need_only_the_layout():
    assert meta.find_undeclared_variables(_tree(MACROS)) <= set(LAYOUT)


@pytest.mark.parametrize("name", [*PAGE_TEMPLATES, MACROS])
def test_a_template_reads_fields_and_calls_no_method(name: str):
    tree = _tree(name)
    macros, modules = _macro_names(tree)
    problems = []
    for node in tree.find_all(nodes.Name):
        if node.name in ("obs", "observatory"):
            problems.append(f"line {node.lineno}: the observatory ({node.name})")
    for node in tree.find_all(nodes.Call):
        callee = node.node
        is_macro = isinstance(callee, nodes.Name) and callee.name in macros
        is_imported_macro = isinstance(callee, nodes.Getattr) and getattr(callee.node, "name", None) in modules
        if not (is_macro or is_imported_macro):
            problems.append(f"line {node.lineno}: a call that is not a macro")
    for node in tree.find_all(nodes.Getitem):
        if not isinstance(node.arg, nodes.Const):
            problems.append(f"line {node.lineno}: a lookup by a computed key")
    for node in tree.find_all(nodes.Filter):
        if node.name not in FILTERS:
            problems.append(f"line {node.lineno}: the filter {node.name}")
    assert not problems, f"{name}: " + "; ".join(problems)


def _render(view, path_root: str = "") -> str:
    context = {field.name: getattr(view, field.name) for field in fields(view)}
    return ENV.get_template(TEMPLATES[type(view)]).render(root=path_root, latest_root=path_root, **context)


def test_a_view_of_plain_data_is_enough_to_render_its_page():
    """No observatory anywhere: the home page from numbers and texts, the editions page from labels."""
    contract = ContractSummary(id="test", name="Contrat de test", description="Deux quartiers.", quartiers=2, shared=1)
    home = HomeView(
        intro="",
        edition_label="Édition de test",
        quartier_count=2,
        figure_count=10,
        indicator_count=3,
        contract_count=1,
        whole_territory=False,
        contracts=(contract,),
        enjeu_count=6,
        enjeux_of="",
        by_departement=False,
    )
    page = _render(home)
    assert "## Le contrat de ville\n" in page
    assert "Les 2 quartiers 2024 de ce contrat</a>, dont 1 partagés" in page
    assert "Édition de test. 2 quartiers, 10 chiffres publiés, 3 indicateurs suivis." in page
    editions = EditionsView(
        editions=(
            EditionItem(id="2025", label="Édition 2025", date="2025-02-24", latest=True, current=False, files=()),
            EditionItem(
                id="2024", label="Édition 2024", date="2024-05-07", latest=False, current=True, files=("a.csv",)
            ),
        )
    )
    page = _render(editions, "../../")
    assert "24 février 2025" in page
    assert (
        '<a href="../../editions/2024/">Édition 2024</a>, 7 mai 2024 — <strong>édition que vous consultez</strong>'
        in page
    )


def test_configured_wording_is_escaped_but_keeps_its_apostrophes():
    assert str(ENV.filters["prose"]("l'ANCT <b> & co")) == "l'ANCT &lt;b&gt; &amp; co"


def test_no_contract_is_named_in_a_template():
    """Words that belong to one contract (MEL, CALL) come from the configuration's `texts`."""
    for path in PAGES.glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        for words in ("MEL", "CALL", "Lille", "Lens", "Pas-de-Calais", '"call"'):
            assert words not in text, (path.name, words)


def test_the_default_configuration_declares_every_text_the_views_read(tmp_path: Path):
    """A key misspelt in a view or in observatory.yml would silently drop a sentence."""
    from observatory.inputs.config import load_config

    read = set()
    for path in (ROOT / "observatory" / "pages").glob("*.py"):
        read |= set(re.findall(r'text\(obs, "(\w+)"\)', path.read_text(encoding="utf-8")))
    assert len(read) >= 7
    config = load_config(ROOT / "observatory.yml", tmp_path / "site")
    assert read - set(config.texts) == set()
