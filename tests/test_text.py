import pytest

from observatory.compare.gaps import gap
from observatory.inputs.territories import Territory
from observatory.pages.text import comparison_clause, format_ratio, format_value, of_name, sentence, than_name

MEL = Territory(
    id="epci-200093201", kind="epci", name="Métropole Européenne de Lille", short_name="MEL", in_phrase="dans la MEL"
)


def test_the_issue_sentence(catalog):
    poverty = catalog["taux-pauvrete-60"]
    clause = comparison_clause(poverty, gap(poverty, 41.5, 19), MEL, format_value(poverty, 19, 0), 1)
    assert sentence(poverty, format_value(poverty, 41.5, 1), clause) == (
        "41,5\u00a0% des habitants vivent sous le seuil de pauvreté, "
        "soit un niveau 2,2\u00a0fois plus élevé que dans la MEL (19\u00a0%)."
    )


def test_a_lower_rate_is_said_in_points(catalog):
    employment = catalog["taux-emploi-15-64"]
    clause = comparison_clause(employment, gap(employment, 43.4, 59.6), MEL, "59,6\u00a0%", 1)
    assert clause == ", soit 16,2\u00a0points de moins que dans la MEL (59,6\u00a0%)"


def test_a_lower_income_is_said_as_times_less(catalog):
    income = catalog["revenu-median-declare-mensuel-uc"]
    clause = comparison_clause(income, gap(income, 840, 1710), MEL, "1\u202f710\u00a0€", 0)
    assert clause == ", soit un niveau 2,0\u00a0fois plus faible que dans la MEL (1\u202f710\u00a0€)"


def test_values_are_written_with_their_unit_and_qualifier(catalog):
    assert format_value(catalog["revenu-median-disponible-uc"], 10619, 0) == "10\u202f619\u00a0€"
    assert format_value(catalog["part-orientation-professionnelle"], 28, 0, "<") == "moins de 28\u00a0%"
    assert format_value(catalog["evolution-taux-pauvrete"], 0.8, 1) == "+0,8\u00a0point"
    assert format_value(catalog["ecart-esperance-vie-hommes"], -5, 0) == "\u22125\u00a0ans"


@pytest.mark.parametrize(
    ("indicator", "value", "reference", "expected"),
    [
        # a higher share: a ratio, with its direction
        ("taux-pauvrete-60", 41.5, 19, ", soit un niveau 2,2\u00a0fois plus élevé que dans la MEL (réf.)"),
        # a lower share: points, with their direction (a ratio of shares below 1 reads badly)
        ("taux-emploi-15-64", 43.4, 59.6, ", soit 16,2\u00a0points de moins que dans la MEL (réf.)"),
        ("taux-emploi-15-64", 60.0, 59.0, ", un niveau proche de celui observé dans la MEL (réf.)"),
        # an amount: a ratio both ways, never « 0,5 fois »
        (
            "revenu-median-declare-mensuel-uc",
            840,
            1710,
            ", soit un niveau 2,0\u00a0fois plus faible que dans la MEL (réf.)",
        ),
        (
            "revenu-median-declare-mensuel-uc",
            1710,
            840,
            ", soit un niveau 2,0\u00a0fois plus élevé que dans la MEL (réf.)",
        ),
        # a signed change: points only
        ("evolution-taux-pauvrete", 0.8, -0.2, ", soit 1,0\u00a0point de plus que dans la MEL (réf.)"),
        ("evolution-taux-pauvrete", 0.8, 0.8, ", comme dans la MEL (réf.)"),
    ],
)
def test_one_wording_for_ratios_and_one_for_points(catalog, indicator, value, reference, expected):
    found = catalog[indicator]
    clause = comparison_clause(found, gap(found, value, reference), MEL, "réf.", 1)
    assert clause == expected
    assert "fois moins" not in clause and "0," not in clause.split("fois")[0][-6:]


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (2.184, "2,2\u00a0fois plus élevé"),
        (0.491, "2,0\u00a0fois plus faible"),
        (1.04, "niveau proche"),
        (0.96, "niveau proche"),
    ],
)
def test_ratio_cells_say_their_direction(ratio, text):
    assert format_ratio(ratio) == text


def test_de_and_que_contract_before_a_name_as_french_writes_them():
    assert [of_name(n) for n in ["le Nord", "les Hauts-de-France", "Armentières", "la MEL", "l'Eurométropole"]] == [
        "du Nord",
        "des Hauts-de-France",
        "d'Armentières",
        "de la MEL",
        "de l'Eurométropole",
    ]
    assert of_name("Hem") == "de Hem"  # no elision before h (aspirated or not, « de Hem » is never wrong)
    assert [than_name(n) for n in ["Avion", "à Lens", "la CALL"]] == ["qu'Avion", "qu'à Lens", "que la CALL"]
