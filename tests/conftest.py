"""Shared fixtures: the project's real inputs, a built default site, a two-quartier observatory."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from observatory.catalog import load_catalog
from observatory.pipeline import build, load

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_CONFIG = ROOT / "observatory.yml"
MINI_CONFIG = FIXTURES / "mini" / "observatory.yml"


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


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, driven by Playwright (the browser tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
