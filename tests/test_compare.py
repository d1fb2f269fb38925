import math

import pandas as pd
import pytest

from observatory.compare.evolution import improved
from observatory.compare.gaps import assess, comparable, extremes, favourable, gap, main_period, rank_quartiers
from observatory.model import DIRECTIONS, FIGURE_COLUMNS
from observatory.pages.views import quartier_blocks

# The Armentières table publishes its own gaps ("Écarts"): the observatory must find them again.
PUBLISHED_GAPS = [
    ("QN05968M", "part-moins-25-ans", "+11,3\u00a0points"),
    ("QN05967M", "part-neet-16-25", "+20,1\u00a0points"),
    ("QN05968M", "taux-emploi-15-64", "\u221216,2\u00a0points"),
    ("QN05967M", "taux-pauvrete-60", "+22,8\u00a0points"),
    ("QN05968M", "part-allocataires-rsa-socle", "+6,89\u00a0points"),
    ("QN05967M", "part-familles-monoparentales", "+11,1\u00a0points"),
    ("QN05967M", "part-personnes-seules", "+8,5\u00a0points"),
    ("QN05968M", "part-personnes-seules", "\u221214,1\u00a0points"),
]


def _comparison_with_mel(observatory, code, indicator):
    quartier = observatory.territory(code)
    block = next(b for b in quartier_blocks(observatory, quartier) if b.indicator.id == indicator)
    # the document's own comparison: the quartier's figure and the MEL's, both from that document
    return next(
        c
        for figure in block.figures
        for c in figure.comparisons
        if c.reference.territory.id == "epci-200093201" and c.reference.row["document"] == figure.figure.row["document"]
    )


@pytest.mark.parametrize(("code", "indicator", "published"), PUBLISHED_GAPS)
def test_gaps_match_the_gaps_the_document_publishes(observatory, code, indicator, published):
    assert _comparison_with_mel(observatory, code, indicator).difference == published


def test_income_ratio_matches_the_document(observatory):
    # "840 € à Bizet-Briquetterie ... Soit 2 fois moins de revenu" (MEL: 1 710 €)
    comparison = _comparison_with_mel(observatory, "QN05968M", "revenu-median-declare-mensuel-uc")
    assert comparison.ratio == "2,0\u00a0fois plus faible"
    assert comparison.difference == "\u2212870\u00a0€"
    assert comparison.assessment == "moins favorable"


def test_gap_ratio_and_direction(catalog):
    poverty = catalog["taux-pauvrete-60"]
    result = gap(poverty, 41.5, 19)
    assert math.isclose(result.difference, 22.5)
    assert math.isclose(result.ratio, 41.5 / 19)
    assert result.assessment == "moins favorable"
    assert gap(catalog["taux-emploi-15-64"], 48, 59.6).assessment == "moins favorable"
    assert gap(catalog["taux-emploi-15-64"], 60, 59.6).assessment == "plus favorable"
    assert gap(catalog["part-moins-25-ans"], 46.4, 35.1).assessment == ""  # context indicator
    assert assess("lower_is_better", 19.0, 19.0) == "égal"
    assert gap(catalog["population"], 1166, 1786).ratio is None  # no ratio between counts


@pytest.mark.parametrize(
    ("direction", "change", "expected"),
    [
        ("higher_is_better", 2.0, True),
        ("higher_is_better", -2.0, False),
        ("lower_is_better", 2.0, False),
        ("lower_is_better", -2.0, True),
        ("lower_is_better", 1e-12, None),  # a nil change is neither favourable nor not
        ("higher_is_better", 0.0, None),
        ("neutral", 5.0, None),  # a context indicator has no favourable side
    ],
)
def test_the_one_direction_rule(direction, change, expected):
    assert favourable(direction, change) is expected


def test_gaps_and_evolutions_read_the_direction_with_the_same_rule(catalog):
    """assess (gap to a reference) and improved (change over time) both say what favourable says."""
    words = {True: "plus favorable", False: "moins favorable", None: "égal"}
    indicators = {direction: next(i for i in catalog.values() if i.direction == direction) for direction in DIRECTIONS}
    for direction, indicator in indicators.items():
        for value, reference in [(41.5, 19.0), (19.0, 41.5), (19.0, 19.0)]:
            said = assess(direction, value, reference)
            rule = favourable(direction, value - reference)
            assert said == ("" if direction == "neutral" else words[rule])
            assert improved(indicator, value - reference) is rule


def _figure(**values):
    base = {"value": 10.0, "status": "ok", "period": "2019", "qualifier": "", "statistic": "value", "precision": 1}
    return {**base, **values}


def test_no_gap_across_periods_approximations_or_means(catalog):
    poverty = catalog["taux-pauvrete-60"]
    assert comparable(poverty, _figure(), _figure()) == ""
    assert comparable(poverty, _figure(), _figure(period="2021")).startswith("période différente")
    assert comparable(poverty, _figure(), _figure(qualifier="<")).startswith("valeur approchée")
    assert comparable(poverty, _figure(), _figure(statistic="mean")).startswith("moyenne")
    assert comparable(poverty, _figure(), _figure(status="secret", value=float("nan"))) == "valeur non disponible"
    assert comparable(catalog["population"], _figure(), _figure()).startswith("indicateur de contexte")


def test_rank_and_extremes_name_every_tied_quartier():
    frame = pd.DataFrame(
        [
            {"territory": t, "value": v, "status": "ok", "statistic": "value", "qualifier": ""}
            for t, v in [("A", 30.0), ("B", 50.0), ("C", 30.0), ("D", 40.0), ("REF", 99.0)]
        ]
    ).reindex(columns=FIGURE_COLUMNS)
    ranked = rank_quartiers(frame, {"A", "B", "C", "D"})
    assert [(r.territory, r.rank) for r in ranked] == [("B", 1), ("D", 2), ("A", 3), ("C", 3)]
    low, high = extremes(ranked)
    assert [r.territory for r in low] == ["A", "C"]
    assert [r.territory for r in high] == ["B"]


def test_main_period_is_the_one_most_quartiers_share():
    frame = pd.DataFrame(
        [
            {"territory": "A", "period": "2019", "year": 2019, "status": "ok"},
            {"territory": "B", "period": "2019", "year": 2019, "status": "ok"},
            {"territory": "A", "period": "2021", "year": 2021, "status": "ok"},
        ]
    )
    assert main_period(frame, {"A", "B"}) == "2019"


def test_a_ranking_names_each_quartier_once_preferring_the_producers_file(observatory):
    from observatory.pages.views import ranking

    view = ranking(observatory, observatory.catalog["taux-pauvrete-60"], "2019", "graphique-test")
    names = [figure.territory.id for _, figure in view.ranked]
    assert len(names) == len(set(names)) == 48 - 1  # every quartier with a predecessor, once
    bizet = next(figure for _, figure in view.ranked if figure.territory.id == "QN05968M")
    assert bizet.row.document == "insee-filosofi-qp"  # the seed gives the same 41,5 %: the file is ranked
    assert f"Parmi les {len(names)} quartiers" in view.summary


def test_no_gap_of_the_site_sets_figures_of_unknown_or_unequal_millesimes_side_by_side(observatory):
    """Issue 28: over every quartier's figures, a gap is computed only between figures of one
    indicator and one known millésime (two « non précisée » are never equal; a base's publication
    year or an undated file only within its own document); by name, Grande Résidence's 70 % and Cité
    des Taberneaux's 52 % (the CALL's declared-income table) are no longer set against
    Hauts-de-France's 17,2 % (Filosofi 2020, disposable income)."""
    from observatory.inputs.sources.published import UNSTATED
    from observatory.model import is_base_year, is_undated
    from observatory.pages.views import quartier_blocks

    compared = 0
    for quartier in observatory.quartiers():
        for block in quartier_blocks(observatory, quartier):
            for figure in block.figures:
                subject = figure.figure.row
                for comparison in figure.comparisons:
                    if comparison.reason:
                        continue
                    reference = comparison.reference.row
                    compared += 1
                    assert reference.indicator == subject.indicator
                    assert reference.period == subject.period != UNSTATED, (quartier.id, subject.indicator)
                    if is_undated(subject.period) or is_base_year(subject.period):
                        assert reference.document == subject.document, (quartier.id, subject.indicator)
    assert compared > 4000  # the audit counted 4 105 right gaps
    for code, value in (("QN06225M", 70.0), ("QN06235M", 52.0)):  # Grande Résidence, Cité des Taberneaux
        blocks = quartier_blocks(observatory, observatory.territory(code))
        (figure,) = [
            f for b in blocks if b.indicator.id == "taux-pauvrete" for f in b.figures if f.figure.row.value == value
        ]
        regions = [c for c in figure.comparisons if c.reference.territory.id == "reg-32"]
        assert regions and all(c.reason and not c.difference for c in regions)
