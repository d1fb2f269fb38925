import pytest

from observatory.numbers import format_number, format_signed, parse_french_number, parse_year


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (41.5, 1, "41,5"),
        (10619, 0, "10\u202f619"),
        (233500, 0, "233\u202f500"),
        (0.25, 1, "0,3"),  # half up, as a person rounds, not banker's rounding
        (2.675, 2, "2,68"),  # binary float 2.67499… still rounds up
        (19, 0, "19"),
        (-0.04, 1, "0,0"),  # no "-0,0"
        (-8.5, 1, "\u22128,5"),  # a negative share (taxes in the disposable income): the minus sign, not a hyphen
        (-1786, 0, "\u22121\u202f786"),
        (1234567.891, 2, "1\u202f234\u202f567,89"),
    ],
)
def test_format_number_writes_french_numbers(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_signed_always_shows_the_direction():
    assert format_signed(22.799999999999997, 1) == "+22,8"
    assert format_signed(-16.2, 1) == "\u221216,2"
    assert format_signed(0.0, 1) == "0,0"


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("41,5", 41.5, 1),
        ("10 619", 10619, 0),
        ("10\u202f619", 10619, 0),
        ("1\u00a0710", 1710, 0),
        ("-0,8", -0.8, 1),
        ("+23", 23, 0),
        ("22,56", 22.56, 2),
    ],
)
def test_parse_french_number_keeps_published_precision(text, value, decimals):
    assert parse_french_number(text) == (value, decimals)


@pytest.mark.parametrize("text", ["51,O", "1.234", "", "41,5 %", "n.d."])
def test_parse_french_number_rejects_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_french_number(text)


def test_parse_year_reads_the_last_year_of_a_period():
    assert parse_year("31/12/2022") == 2022
    assert parse_year("2016-2022") == 2022
    assert parse_year("rentrée 2022-2023") == 2023
    assert parse_year("non précisée") is None
