"""Shared fixtures: the project's real inputs, a built default site, a two-quartier observatory;
the `--update-golden` option (tests/test_golden.py); the browser tools each browser test needs."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from pathlib import Path

import pytest

from observatory.inputs.catalog import load_catalog
from observatory.pipeline import build, load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_CONFIG = ROOT / "observatory.yml"
MINI_CONFIG = FIXTURES / "mini" / "observatory.yml"


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="réécrit tests/golden/*.txt d'après les pages construites (relire le diff avant de committer)",
    )


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(ROOT / "indicators", {1, 2, 3, 4, 5, 6})


@pytest.fixture(scope="session")
def observatory():
    """The default observatory (seeds' figures), read and checked, not built."""
    return load(DEFAULT_CONFIG)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Path:
    """The default observatory built once into a temporary folder."""
    site = tmp_path_factory.mktemp("default") / "site"
    build(DEFAULT_CONFIG, site)
    return site


SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The observatory built from the real producer files of ../shared/data (CI has them beside)."""
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not beside the project")
    site = tmp_path_factory.mktemp("real") / "site"
    build(DEFAULT_CONFIG, site, SHARED_DATA)
    return site


def page_text(site: Path, url: str) -> str:
    path = site / url / "index.html"
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _read(path: Path, *_version: int) -> str:
    """A page read once per version of the file (tests look up many figures on one page)."""
    return path.read_text(encoding="utf-8")


def copy_mini(tmp_path: Path) -> Path:
    """A writable copy of the two-quartier observatory; returns its configuration file."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI_CONFIG.parent, folder)
    config = folder / "observatory.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/"), encoding="utf-8")
    return config


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """A built site served on 127.0.0.1 (a free port), for the browser tests."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def default_site_url(default_site):
    server = serve(default_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")  # Debian's, installed by .ci/run
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# --- the browser tools: each browser test skips only for a tool it needs, unless CI requires them ---

AXE = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"  # installed by scripts/install-browser-tools.sh
REQUIRE_BROWSER = "OBSERVATORY_REQUIRE_BROWSER"  # set to 1 by .ci/run: a missing tool fails the tests
INSTALL = "bash scripts/install-browser-tools.sh"
BROWSER_TOOLS = {  # tool → (present?, what to do when it is missing)
    "playwright": (
        lambda: importlib.util.find_spec("playwright") is not None,
        'Playwright absent : python -m pip install -e ".[test]"',
    ),
    "chromium": (lambda: CHROMIUM is not None, f"chromium absent : {INSTALL} (apt-get install chromium)"),
    "axe": (lambda: AXE.exists(), f"axe-core absent : {INSTALL} (npm, dans .tools/)"),
}


def missing_tools(*tools: str) -> list[str]:
    """Why each of `tools` that is not installed is missing (French), in the order given."""
    return [BROWSER_TOOLS[tool][1] for tool in tools if not BROWSER_TOOLS[tool][0]()]


def browser_tools_required() -> bool:
    return os.environ.get(REQUIRE_BROWSER, "") not in {"", "0"}


def need(*tools: str) -> None:
    """Skip the running test when one of `tools` is missing; fail instead where they are required (CI)."""
    reasons = missing_tools(*tools)
    if not reasons:
        return
    if browser_tools_required():
        pytest.fail(f"{REQUIRE_BROWSER}=1 et " + " ; ".join(reasons), pytrace=False)
    pytest.skip(" ; ".join(reasons))


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        f"needs(*tools): outils du navigateur dont le test a besoin, parmi {', '.join(BROWSER_TOOLS)} ; "
        f"le test est ignoré s'il en manque un, sauf avec {REQUIRE_BROWSER}=1 (CI) où il échoue",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """Before any fixture of the test is set up: the tools named by its `needs` markers."""
    tools = [tool for marker in item.iter_markers("needs") for tool in marker.args]
    unknown = sorted(set(tools) - set(BROWSER_TOOLS))
    if unknown:
        pytest.fail(f"needs : outil inconnu {unknown}, attendu parmi {list(BROWSER_TOOLS)}", pytrace=False)
    if tools:
        need(*dict.fromkeys(tools))


def pytest_report_header(config) -> list[str]:
    """Said once, at the top of the session: which browser tools are there, which are missing."""
    missing = missing_tools(*BROWSER_TOOLS)
    if not missing:
        return ["outils du navigateur : Playwright, chromium et axe-core présents"]
    then = "ces tests échouent" if browser_tools_required() else "les tests qui en ont besoin sont ignorés"
    return [f"outils du navigateur manquants ({then}) : " + " ; ".join(missing)]


def pytest_terminal_summary(terminalreporter) -> None:
    """Said once more at the end: how many browser tests a missing tool left out."""
    missing = missing_tools(*BROWSER_TOOLS)
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if any(m in str(r.longrepr) for m in missing)]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} tests du navigateur ignorés faute d'outils ({' ; '.join(missing)}). "
            f"La CI les installe et pose {REQUIRE_BROWSER}=1 : elle n'en ignore aucun."
        )


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, driven by Playwright (the browser tests)."""
    need("playwright", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
