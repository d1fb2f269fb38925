"""Editions: selecting an edition's files, and what changed since the previous edition."""

from observatory.figures.editions import Edition, changes, select
from observatory.pipeline import load

from .conftest import FIXTURES, MINI_CONFIG

VALID = FIXTURES / "producers" / "valid"


def test_an_edition_keeps_only_its_files():
    obs = load(MINI_CONFIG, data_dir=VALID)
    only_revn = select(
        obs, Edition(id="e1", label="Édition 1", date="2022-12-31", files=("REVN_2022.csv",), published=False)
    )
    assert set(only_revn.figures["document"]) == {"anct-revn"}
    everything = select(obs, Edition(id="e2", label="Édition 2", date="2024-12-31", latest=True))
    assert {"anct-revn", "insee-filosofi-qp", "armentieres-volet-communal-2024"} <= set(everything.figures["document"])


def test_changes_list_new_millesimes_indicators_and_figures():
    obs = load(MINI_CONFIG, data_dir=VALID)
    before = select(
        obs, Edition(id="e1", label="Édition 1", date="2022-12-31", files=("REVN_2022.csv",), published=False)
    )
    after = select(
        obs,
        Edition(
            id="e2",
            label="Édition 2",
            date="2023-12-31",
            files=("REVN_2022.csv", "data_filo19_qp_revdis.csv"),
            published=False,
        ),
    )
    result = changes(after, before, Edition(id="e1", label="Édition 1", date="2022-12-31"))
    assert ("taux-pauvrete-60", "2019") in result.new_periods
    assert ("taux-pauvrete-60", "2018") not in result.new_periods
    assert result.revised == []
    assert result.added == []
    assert result.new_figures == 4  # QN05967M and qpv-metro-reunion, poverty and median, 2019


def test_a_revised_figure_is_listed(tmp_path):
    obs = load(MINI_CONFIG, data_dir=VALID)
    before = select(
        obs, Edition(id="e1", label="Édition 1", date="2022-12-31", files=("REVN_2022.csv",), published=False)
    )
    revised = before.figures.copy()
    mask = (revised["territory"] == "QN05967M") & (revised["indicator"] == "taux-pauvrete-60")
    revised.loc[mask, "value"] = 44.0
    from dataclasses import replace

    result = changes(replace(before, figures=revised), before, None)
    assert [(r.territory, r.indicator, r.period, r.before, r.after) for r in result.revised] == [
        ("QN05967M", "taux-pauvrete-60", "2018", 43.0, 44.0)
    ]


def test_the_changes_page_cites_the_source_of_a_revised_figure():
    from dataclasses import replace

    from observatory.pages.render import render_pages

    obs = load(MINI_CONFIG, data_dir=VALID)
    previous = Edition(id="e1", label="Édition 1", date="2022-12-31", files=("REVN_2022.csv",), published=False)
    before = select(obs, previous)
    revised = before.figures.copy()
    revised.loc[(revised["territory"] == "QN05967M") & (revised["indicator"] == "taux-pauvrete-60"), "value"] = 44.0
    after = replace(before, figures=revised)
    current = Edition(id="e2", label="Édition 2", date="2023-12-31", latest=True)
    page = render_pages(after, current, [current, previous], changes(after, before, previous))["changements.md"]
    row = next(line for line in page.splitlines() if "<td>2018</td>" in line)
    mask = (revised["territory"] == "QN05967M") & (revised["indicator"] == "taux-pauvrete-60")
    producer = revised.loc[mask, "producer"].iloc[0]
    assert row.endswith(f"<td>{producer}</td></tr>")
    assert "<td>44,0\u00a0%</td>" in row  # the revised value with its unit, as everywhere else
    quartier = render_pages(after, current, [current, previous], changes(after, before, previous))[
        "quartiers/QN05967M.md"
    ]
    assert "44,0\u00a0%)</li>" in quartier  # « Révisé : Taux de pauvreté, 2018 (… % → 44,0 %) »


def test_an_archive_keeps_a_figure_republished_by_a_later_file_it_did_not_have(observatory):
    """Filosofi 2018 per quartier: Insee's data_filo18_qp_revdis.csv (2021), then the ANCT's
    REVN_2022.csv, identical. The 2022 file was read first and kept, the 2021 edition (without
    it) lost 576 figures; each edition now keeps the figure from its own files, and a note names
    only files the edition had."""
    from fnmatch import fnmatch
    from pathlib import Path

    from observatory.pipeline import editions_of

    editions = {edition.id: edition for edition in editions_of(observatory)}
    edition_2021 = select(observatory, editions["2021"])
    figures = edition_2021.figures
    of_quartiers = figures["territory"].str.startswith("QN")
    d1 = figures[of_quartiers & (figures["indicator"] == "revenu-disponible-d1-uc") & (figures["period"] == "2018")]
    assert len(d1) == 47  # every quartier of the two contracts but Le Parc, new in 2024
    assert set(d1["file"].map(lambda path: Path(path).name)) == {"data_filo18_qp_revdis.csv"}
    now = observatory.figures
    now_d1 = now["territory"].str.startswith("QN") & (now["indicator"] == "revenu-disponible-d1-uc")
    assert len(now[now_d1 & (now["period"] == "2018")]) == len(d1)  # the current edition has them too
    for edition_id in ("2021", "2019", "2017"):
        patterns = editions[edition_id].files
        notes = select(observatory, editions[edition_id]).figures["note"]
        named = notes.str.extractall(r"(?:Chiffre identique dans : |; )([\w.\[\]?*-]+\.(?:csv|CSV)), colonne")[0]
        assert [name for name in named if not any(fnmatch(name, pattern) for pattern in patterns)] == [], edition_id


def test_a_gap_move_is_shown_with_the_decimals_of_its_tables(observatory):
    """« Ce qui a changé » gave the gaps with the indicator's decimals (« +2 points » for +1,5)."""
    from observatory.figures.editions import GapMove
    from observatory.pages.changes import _gap_move

    move = GapMove(
        "QN05980M",
        "part-de-inscrits-plus-24-mois",  # decimals: 0, published with one decimal
        "epci-200093201",
        ("31/12/2016", 1.5),
        ("31/12/2018", -0.5),
        (1, 1, 1, 1),
    )
    row = _gap_move(observatory, move)
    assert (row.before, row.after) == ("+1,5\u00a0point", "\u22120,5\u00a0point")


def test_the_changes_page_says_what_the_two_editions_tables_show(default_site):
    """Issue 28: « Aucun quartier n'a d'écart … calculable dans les deux éditions » was false: QN05965M's
    2019 poverty gap to the MEL (+29,4 points) is in both the 2022 archive and the current edition,
    unchanged; the page counts such gaps instead."""
    from .conftest import page_text
    from .html_tables import readable

    line = "| Métropole Européenne de Lille | 19 % | +29,4 points, 2,5 fois plus élevé (moins favorable) |"
    for page in ("quartiers/QN05965M/revenus-pauvrete", "editions/2022/quartiers/QN05965M/revenus-pauvrete"):
        assert line in readable(page_text(default_site, page)).splitlines(), page
    changes = readable(page_text(default_site, "changements"))
    assert "Aucun quartier n'a d'écart" not in changes
    said = next(text for text in changes.splitlines() if "n'ont pas changé" in text)
    assert int("".join(ch for ch in said.split(" écarts")[0] if ch.isdigit())) >= 1


def test_the_site_has_one_plotly_and_an_archive_loads_the_root_assets(default_site):
    """Issue 31: one Plotly file and one set of theme assets for the whole site; an archived
    edition links to the root's (relative URLs, so that the site works from any folder)."""
    import re
    from pathlib import Path

    from observatory.publish.site import PLOTLY_ASSET

    plotly = Path(PLOTLY_ASSET).name
    assert [p.relative_to(default_site).as_posix() for p in default_site.rglob(plotly)] == [PLOTLY_ASSET]
    archive = default_site / "editions" / "2022"
    assert not (archive / "assets").exists()
    page = archive / "quartiers" / "QN05965M" / "revenus-pauvrete" / "index.html"
    html = page.read_text(encoding="utf-8")
    charts, bundle = re.search(r'<script defer src="([^"]+)" data-plotly="([^"]+)"', html).groups()
    assert (page.parent / charts).resolve() == (default_site / "assets" / "javascripts" / "charts.js").resolve()
    assert (page.parent / bundle).resolve() == (default_site / PLOTLY_ASSET).resolve()
    assets = re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', html) + re.findall(r'"search": "([^"]+)"', html)
    assert len(assets) >= 5  # stylesheets, scripts, favicon, search worker
    for url in assets:
        target = (page.parent / url).resolve()
        assert target.is_file() and target.is_relative_to((default_site / "assets").resolve()), url
