"""Birth-date evidence: partial dates, ranges, circa, swaps, typos and contradictions."""

from __future__ import annotations

import pytest

from borderless.domain.records import BirthDate
from borderless.matching.dates import compare_birth_dates

EXACT = BirthDate(date="1970-03-04")

CASES = [
    # (query, stored, expected score)
    ("1970-03-04", EXACT, 1.0),
    ("1970-03", EXACT, 0.8),
    ("1970", EXACT, 0.5),
    ("1970-03-04", BirthDate(date="1970"), 0.5),
    ("1970-03-04", BirthDate(date="1970-03"), 0.8),
    ("1969-06-01", BirthDate(earliest="1968", latest="1970"), 0.35),
    ("1955", BirthDate(earliest="1950", latest="1960"), 0.2),
    ("1968-05-05", BirthDate(date="1970", circa=True), 0.35),
    ("1960", BirthDate(earliest="1958"), 0.2),  # open-ended range
    ("1970-04-03", EXACT, 0.5),  # day and month swapped
    ("1971-03-04", EXACT, 0.2),  # one digit of the year
    ("1970-03-14", EXACT, -0.3),  # one digit of the day
    ("1970-03-06", EXACT, -0.3),  # two days apart: a calendar conversion, a late registration
    ("1970-02-27", BirthDate(date="1970-03-01"), -0.3),  # across a month's end
    ("1970-03-21", EXACT, -1.0),  # same month, a day no clerical error explains: two people
    ("1970-08-04", EXACT, -0.3),  # two full dates one digit apart (the month): a typo?
    ("1970-07-20", EXACT, -1.0),  # two full dates no clerical error explains: two people
    ("1971-01-10", EXACT, -1.0),
    ("1972-06-01", EXACT, -1.0),
    ("1971", EXACT, -0.6),  # a year only, within a year
    ("1971-06", EXACT, -1.0),  # a month only, more than a year apart
    ("1971-09-01", BirthDate(date="1970"), -0.6),
    ("1972-06-01", BirthDate(date="1970"), -1.0),  # another year of birth altogether
    ("1973-06-01", BirthDate(date="1970"), -1.0),
    ("1985-03-04", EXACT, -1.0),  # two digits of the year differ: no typo
    ("1966", BirthDate(date="1970", circa=True), -0.6),
]


@pytest.mark.parametrize(("query", "stored", "score"), CASES)
def test_birth_date_evidence(query: str, stored: BirthDate, score: float) -> None:
    result = compare_birth_dates(query, [stored])
    assert result.score == score, result.reasons
    assert result.reasons[0].feature == "birth_date"


def test_the_best_stored_date_counts() -> None:
    stored = [BirthDate(date="1960-01-01"), BirthDate(date="1970-03-04")]
    assert compare_birth_dates("1970-03-04", stored).score == 1.0


@pytest.mark.parametrize(
    ("query", "stored"), [(None, [EXACT]), ("1970", []), ("03/04/1970", [EXACT])]
)
def test_no_evidence(query: str | None, stored: list[BirthDate]) -> None:
    assert compare_birth_dates(query, stored).score == 0.0


def test_reasons_name_both_dates() -> None:
    detail = compare_birth_dates("1970-04-03", [EXACT]).reasons[0].detail
    assert detail == "day and month swapped: queried 1970-04-03 vs stored 1970-03-04"
