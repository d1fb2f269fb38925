"""Evolution arithmetic on small hand-made series: expected values computed by hand."""

import pytest

from observatory.compare.evolution import evolution, improved, quadrant
from observatory.figures.points import SeriesPoint
from observatory.inputs.territories import Territory
from observatory.pages.text import evolution_sentence

MEL = Territory(
    id="epci-200093201", kind="epci", name="Métropole Européenne de Lille", short_name="MEL", in_phrase="dans la MEL"
)


def _points(values: dict[str, float], geography: str = "qp2015") -> list[SeriesPoint]:
    return [SeriesPoint(period, int(period), value, 1, geography) for period, value in values.items()]


def test_gap_evolution_between_first_and_last_shared_millesimes():
    quartier = _points({"2016": 40.0, "2017": 41.0, "2019": 42.3})
    reference = _points({"2016": 19.9, "2019": 20.9, "2021": 21.0}, geography="")
    result = evolution(quartier, reference, "epci-200093201")
    assert (result.first_period, result.last_period) == ("2016", "2019")  # 2017 and 2021 are not shared
    assert result.first_gap == pytest.approx(20.1)
    assert result.last_gap == pytest.approx(21.4)
    assert result.gap_change == pytest.approx(1.3)
    assert result.level_change == pytest.approx(2.3)


def test_the_issue_sentence(catalog):
    quartier = _points({"2016": 40.0, "2019": 42.3})
    reference = _points({"2016": 19.9, "2019": 20.9}, geography="")
    result = evolution(quartier, reference, "epci-200093201")
    assert evolution_sentence(catalog["taux-pauvrete-60"], result, MEL) == (
        "L'écart avec la MEL s'est creusé de 1,3\u00a0point entre 2016 et 2019 "
        "(+20,1\u00a0points puis +21,4\u00a0points)."
    )


def test_the_sentence_adds_up_with_the_gaps_the_tables_show(catalog):
    """Shares published with one decimal of an indicator whose own decimals are 0: the gaps are
    said with one decimal, as in the comparison tables, and the change is that of the gaps
    shown (+3,5 then +4,4: 0,9 point, not the 1,0 of the unrounded values)."""
    indicator = catalog["part-de-inscrits-plus-24-mois"]
    quartier = _points({"2016": 28.45, "2018": 30.44})
    reference = _points({"2016": 25.0, "2018": 26.0}, geography="")
    result = evolution(quartier, reference, "epci-200093201")
    assert evolution_sentence(indicator, result, MEL) == (
        "L'écart avec la MEL s'est creusé de 0,9\u00a0point entre 2016 et 2018 "
        "(+3,5\u00a0points puis +4,4\u00a0points)."
    )


def test_a_gap_that_changes_sign_is_reversed_not_widened(catalog):
    """Seen on a quartier page: 27,1 % against 25,6 %, then 26,5 % against 26,9 % was said
    « réduit de 1 point (+2 point puis 0 point) »."""
    indicator = catalog["part-de-inscrits-plus-24-mois"]
    result = evolution(_points({"2016": 27.1, "2018": 26.5}), _points({"2016": 25.6, "2018": 26.9}), "x")
    assert evolution_sentence(indicator, result, MEL) == (
        "L'écart avec la MEL s'est inversé entre 2016 et 2018 (+1,5\u00a0point puis \u22120,4\u00a0point)."
    )


def test_plural_follows_the_number_shown(catalog):
    indicator = catalog["taux-pauvrete-60"]
    result = evolution(_points({"2016": 41.96, "2019": 41.0}), _points({"2016": 40.0, "2019": 40.0}), "x")
    assert "(+2,0\u00a0points puis +1,0\u00a0point)" in evolution_sentence(indicator, result, MEL)


def test_a_change_of_perimeter_is_said(catalog):
    quartier = [SeriesPoint("2016", 2016, 40.0, 1, "qp2015"), SeriesPoint("2019", 2019, 38.0, 1, "non_precise")]
    reference = _points({"2016": 20.0, "2019": 20.0}, geography="")
    result = evolution(quartier, reference, "epci-200093201")
    assert not result.same_geography
    assert evolution_sentence(catalog["taux-pauvrete-60"], result, MEL).endswith(
        "Attention : les deux chiffres du quartier ne portent pas sur le même périmètre."
    )


def test_one_shared_millesime_is_no_evolution():
    assert evolution(_points({"2019": 41.5}), _points({"2019": 19.0}), "x") is None


@pytest.mark.parametrize(
    ("indicator", "quartier", "reference", "reading"),
    [
        # poverty falls 2 points while the reference falls 1: better, and better than the reference
        (
            "taux-pauvrete-60",
            {"2016": 40.0, "2019": 38.0},
            {"2016": 20.0, "2019": 19.0},
            "s'améliore, et plus que la référence",
        ),
        (
            "taux-pauvrete-60",
            {"2016": 40.0, "2019": 39.5},
            {"2016": 20.0, "2019": 18.0},
            "s'améliore, mais moins que la référence",
        ),
        (
            "taux-pauvrete-60",
            {"2016": 40.0, "2019": 41.0},
            {"2016": 20.0, "2019": 22.0},
            "se dégrade, mais moins que la référence",
        ),
        (
            "taux-pauvrete-60",
            {"2016": 40.0, "2019": 43.0},
            {"2016": 20.0, "2019": 21.0},
            "se dégrade, et plus que la référence",
        ),
        # employment: higher is better
        (
            "taux-emploi-15-64",
            {"2016": 40.0, "2019": 43.0},
            {"2016": 60.0, "2019": 61.0},
            "s'améliore, et plus que la référence",
        ),
    ],
)
def test_quadrant_takes_the_direction_into_account(catalog, indicator, quartier, reference, reading):
    result = evolution(_points(quartier), _points(reference, geography=""), "ref")
    assert quadrant(catalog[indicator], result) == reading


def test_context_indicators_have_no_favourable_side(catalog):
    assert improved(catalog["part-moins-25-ans"], 2.0) is None
