from observatory.compare import gap
from observatory.territories import Territory
from observatory.text import comparison_clause, format_value, sentence

MEL = Territory(
    id="epci-200093201", kind="epci", name="Métropole Européenne de Lille", short_name="MEL", in_phrase="dans la MEL"
)


def test_the_issue_sentence(catalog):
    poverty = catalog["taux-pauvrete-60"]
    clause = comparison_clause(poverty, gap(poverty, 41.5, 19), MEL, format_value(poverty, 19, 0), 1)
    assert sentence(poverty, format_value(poverty, 41.5, 1), clause) == (
        "41,5\u00a0% des habitants vivent sous le seuil de pauvreté, "
        "soit 2,2\u00a0fois la part observée dans la MEL (19\u00a0%)."
    )


def test_a_lower_rate_is_said_in_points(catalog):
    employment = catalog["taux-emploi-15-64"]
    clause = comparison_clause(employment, gap(employment, 43.4, 59.6), MEL, "59,6\u00a0%", 1)
    assert clause == ", soit 16,2\u00a0points de moins que dans la MEL (59,6\u00a0%)"


def test_a_lower_income_is_said_as_times_less(catalog):
    income = catalog["revenu-median-declare-mensuel-uc"]
    clause = comparison_clause(income, gap(income, 840, 1710), MEL, "1\u202f710\u00a0€", 0)
    assert clause == ", soit 2,0\u00a0fois moins que dans la MEL (1\u202f710\u00a0€)"


def test_values_are_written_with_their_unit_and_qualifier(catalog):
    assert format_value(catalog["revenu-median-disponible-uc"], 10619, 0) == "10\u202f619\u00a0€"
    assert format_value(catalog["part-orientation-professionnelle"], 28, 0, "<") == "moins de 28\u00a0%"
    assert format_value(catalog["evolution-taux-pauvrete"], 0.8, 1) == "+0,8\u00a0point"
    assert format_value(catalog["ecart-esperance-vie-hommes"], -5, 0) == "\u22125\u00a0ans"
