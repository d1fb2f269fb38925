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
    assert result.new_figures == 4  # QN05967M and qpv-france, poverty and median, 2019


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
