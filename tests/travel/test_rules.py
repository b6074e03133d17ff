"""The rule language: parsing, evaluation, and refusal of discriminatory rules."""

from __future__ import annotations

import pytest

from borderless.errors import InputError
from borderless.rules.checks import check_rule
from borderless.rules.evaluate import matches
from borderless.rules.language import parse_rule

FACTS = {
    "traveller.nationality": "SYR",
    "traveller.age": 34.0,
    "traveller.travels_with_flagged": False,
    "booking.paid_cash": True,
    "booking.hours_before_departure": 6.0,
    "booking.route": ("FRA", "IST", "AMS"),
    "booking.one_way": True,
    "flight.destination": "AMS",
}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("booking.paid_cash and booking.hours_before_departure < 24", True),
        ('"ist" in booking.route and booking.one_way', True),
        ('booking.route contains "DXB"', False),
        ("not booking.paid_cash or traveller.travels_with_flagged", False),
        ('(booking.hours_before_departure >= 6) and flight.destination = "AMS"', True),
        ('flight.destination in ["CDG", "AMS"] and booking.paid_cash', True),
        ("booking.bags > 2 and booking.paid_cash", False),  # a missing value never fires
        ('traveller.nationality = "SYR" and booking.paid_cash', True),
    ],
)
def test_rules_evaluate(rule: str, expected: bool) -> None:
    assert matches(check_rule(rule), FACTS) is expected


@pytest.mark.parametrize(
    ("rule", "where"),
    [
        ("booking.paid_cash and", "ends too early"),
        ("booking.paid_cash && true", "character 19"),
        ("booking.route contains", "ends too early"),
        ('booking.paid_cash and (flight.origin = "FRA"', "ends too early"),
        ("__import__('os')", "character 12"),
    ],
)
def test_syntax_errors_say_where(rule: str, where: str) -> None:
    with pytest.raises(InputError, match=where):
        parse_rule(rule)


@pytest.mark.parametrize(
    "rule",
    [
        'traveller.nationality = "SYR"',
        'traveller.nationality in ["SYR", "IRQ"] or booking.paid_cash',
        'not (traveller.residence != "IRN" and booking.paid_cash)',  # DNF: residence = IRN alone
        '"SYR" in traveller.document_countries',
        'traveller.religion = "x" and booking.paid_cash',
        'traveller.ethnicity = "x"',
    ],
)
def test_protected_targeting_is_refused(rule: str) -> None:
    with pytest.raises(InputError, match=r"^refused: "):
        check_rule(rule)


def test_unknown_fields_and_non_conditions_are_refused() -> None:
    with pytest.raises(InputError, match="unknown field"):
        check_rule("booking.price > 100")
    with pytest.raises(InputError, match="not true or false"):
        check_rule("traveller.age")
