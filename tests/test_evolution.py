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
