"""French number parsing and formatting (41,5 %; 10 619 €), exact half-up rounding."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

THIN_NBSP = "\u202f"  # thousands separator, as INSEE writes it

_NUMBER = re.compile(r"^[+-]?\d+(,\d+)?$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")


def parse_french_number(text: str) -> tuple[float, int]:
    """Parse '10 619' or '41,5' or '-0,8' into (value, published decimals).

    Thousands separators (space, U+00A0, U+202F) are accepted; a decimal point is not,
    so that '1.234' (ambiguous) is reported rather than guessed.
    """
    cleaned = text.strip().translate(_SPACES)
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    decimals = len(cleaned.split(",")[1]) if "," in cleaned else 0
    return float(cleaned.replace(",", ".")), decimals


def round_half_up(value: float, decimals: int) -> Decimal:
    """Round like a person does (0,25 → 0,3), not like binary floats do."""
    exact = Decimal(repr(round(value, 9)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int = 0) -> str:
    """41.5 → '41,5'; 10619 → '10 619' (U+202F); -8.5 → '−8,5' (U+2212); -0.0 → '0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no number to format")
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)
    sign = "\u2212" if rounded < 0 else ""  # the minus sign, not a hyphen
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = sign + THIN_NBSP.join(groups)
    if decimals > 0:
        text += "," + fraction
    return text


def format_signed(value: float, decimals: int) -> str:
    """+1,3 / −16,2 / 0: a difference always says its direction."""
    text = format_number(value, decimals)
    if text.startswith("\u2212") or set(text) <= {"0", ",", THIN_NBSP}:
        return text
    return "+" + text


def parse_year(period: str) -> int | None:
    """The last four-digit year of a period ('2016-2022' → 2022, 'base 2023' → 2023)."""
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", period)
    return int(years[-1]) if years else None


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def french_date(text: str) -> str:
    """'2025-02-24' → '24 février 2025', '2024-05' → 'mai 2024', '2024' → '2024': one date format."""
    parts = str(text).split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        day = int(parts[2])
        return f"{'1er' if day == 1 else day} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return str(text)
