"""The package shows the pipeline (issue 14): stage folders whose imports only go down the flow,
each with a docstring saying what comes in and what goes out, every module in the README's map."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "observatory"
FOUNDATION = ["model", "numbers", "names", "errors", "timing", "hashing", "collector"]  # used by every stage
STAGES = ["inputs", "figures", "compare", "pages", "publish"]  # in the order of the build
ENTRY = ["pipeline", "cli", "bench", "__main__", "__init__"]  # run the stages


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "vendor" not in p.parts)


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported(path: Path) -> set[str]:
    """The first part of every observatory module this file imports (at any depth of the file)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "observatory":
                found.add(parts[1] if len(parts) > 1 else node.names[0].name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "observatory" and len(parts) > 1:
                    found.add(parts[1])
    return found


def test_every_module_is_in_a_stage_the_foundation_or_the_entry_points():
    unknown = [str(p.relative_to(PACKAGE)) for p in _modules() if _layer(p) not in FOUNDATION + STAGES + ENTRY]
    assert unknown == []


def test_imports_only_go_down_the_pipeline():
    rank = {name: -1 for name in FOUNDATION} | {stage: index for index, stage in enumerate(STAGES)}
    backwards = []
    for path in _modules():
        layer = _layer(path)
        if layer in ENTRY:
            continue
        for target in _imported(path):
            if target not in rank:
                backwards.append(f"{path.relative_to(PACKAGE)} importe observatory.{target} (point d'entrée)")
            elif rank[target] > rank[layer] or (layer in FOUNDATION and target not in FOUNDATION):
                backwards.append(f"{path.relative_to(PACKAGE)} importe observatory.{target}")
    assert backwards == []


def test_each_stage_says_what_comes_in_and_what_goes_out():
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert re.search(r"^In:", doc, re.MULTILINE) and re.search(r"^Out:", doc, re.MULTILINE), stage


def test_the_readme_map_lists_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tree = readme.split("## Organisation", 1)[1].split("```", 2)[1]
    listed = set(re.findall(r"[\w.]+\.py\b", tree))
    missing = [str(p.relative_to(PACKAGE)) for p in _modules() if p.name not in listed and p.name != "__init__.py"]
    assert missing == []


def test_no_function_of_the_package_is_longer_than_a_screen():
    """60 lines at most (ruff's C901 caps the complexity at 12, pyproject.toml)."""
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > 60:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({lines})")
    assert long == []
