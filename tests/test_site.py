"""Publishing: a failed build leaves the previous site intact; data text is always escaped."""

from pathlib import Path

import pytest

from observatory.cli import main
from observatory.errors import ObservatoryError
from observatory.pages.render import md_inline
from observatory.pipeline import build
from observatory.publish.guard import mark

from .conftest import MINI_CONFIG, copy_mini, page_text


def test_markdown_and_html_in_data_are_neutralised():
    assert md_inline("<script>x</script> *a* [b](c)") == ("&lt;script&gt;x&lt;/script&gt; \\*a\\* \\[b\\]\\(c\\)")


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("mini") / "site"
    build(MINI_CONFIG, site)
    return site


def _quartier_pages(site: Path, code: str) -> str:
    """A quartier's page and its section pages, one after the other."""
    folder = site / "quartiers" / code
    return "".join(p.read_text(encoding="utf-8") for p in [folder / "index.html", *sorted(folder.glob("*/index.html"))])


def test_a_quartier_name_with_script_shows_as_text(mini_site: Path):
    html = _quartier_pages(mini_site, "QN05999X")
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html  # producer text is escaped too
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="http://exemple.invalid"' not in html
    index = page_text(mini_site, "quartiers")
    assert "<script>alert(" not in index


def test_secret_statistique_is_shown_as_such(mini_site: Path):
    html = _quartier_pages(mini_site, "QN05999X")
    assert "secret statistique" in html
    assert "Valeur fictive de test" in html


def test_a_failed_build_leaves_the_previous_site_intact(tmp_path: Path):
    config = copy_mini(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    marker = site / "published-before.txt"
    marker.write_text("previous site", encoding="utf-8")
    figures = config.parent / "figures" / "armentieres.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(";41,8;", ";41,O;"), encoding="utf-8")
    with pytest.raises(ObservatoryError):
        build(config, site)
    assert marker.read_text(encoding="utf-8") == "previous site"
    assert not list(tmp_path.glob(".site-build-*")), "the temporary build folder is cleaned up"


def test_a_mkdocs_failure_also_leaves_the_site_intact(tmp_path: Path):
    config = copy_mini(tmp_path)
    site = tmp_path / "site"
    build(config, site)
    (site / "marker.txt").write_text("kept", encoding="utf-8")
    broken = tmp_path / "mkdocs-broken.yml"
    root = MINI_CONFIG.parent.parent.parent.parent
    broken.write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8").replace("name: material", "name: inexistant"),
        encoding="utf-8",
    )
    text = config.read_text(encoding="utf-8").replace(f"mkdocs: {root}/mkdocs.yml", f"mkdocs: {broken}")
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ObservatoryError) as caught:
        build(config, site)
    assert "MkDocs" in caught.value.report()
    assert (site / "marker.txt").read_text(encoding="utf-8") == "kept"


def test_a_successful_build_replaces_the_site(tmp_path: Path):
    config = copy_mini(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    mark(site)
    build(config, site)
    assert not (site / "stale.html").exists()
    assert (site / "quartiers" / "QN05967M" / "index.html").exists()


def test_cli_says_why_in_french_and_exits_non_zero(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    figures = config.parent / "figures" / "armentieres.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("QN05967M;", "QN00000X;"), encoding="utf-8")
    code = main(["build", "--config", str(config), "--site-dir", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 1
    assert "colonne 'territory' : un territoire du référentiel attendu, trouvé 'QN00000X'." in err
    assert f"Échec : aucun site n'a été construit dans {(tmp_path / 'site').resolve()}." in err


def test_a_data_dir_that_does_not_exist_is_an_error_not_an_empty_edition(tmp_path: Path, capsys):
    config = copy_mini(tmp_path)
    missing = tmp_path / "donnees-absentes"
    code = main(["build", "--config", str(config), "--site-dir", str(tmp_path / "site"), "--data-dir", str(missing)])
    err = capsys.readouterr().err
    assert code == 1
    expected = "un dossier ou un fichier des producteurs attendu, trouvé 'aucun fichier ni dossier à ce chemin'"
    assert f"{missing} : {expected}" in err
    assert not (tmp_path / "site").exists()
