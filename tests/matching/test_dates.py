"""Birth-date evidence: partial dates, ranges, circa, swaps, typos and contradictions."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

import duckdb
import pytest

from borderless.domain.records import BirthDate
from borderless.matching.dates import FAR, compare_birth_dates, exact_day, far_apart_sql

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
    ("1971-03-04", EXACT, -0.3),  # one digit of the year: a typo, or another person
    ("1971", BirthDate(date="1970"), 0.2),  # a year only, one digit apart: a typo?
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


def _neighbours(day: date, rng: random.Random) -> list[date]:
    """Dates a clerk could make of `day`, dates just beyond, and dates anywhere."""
    text = day.isoformat()
    found = [day + timedelta(days=d) for d in range(-6, 7)]
    for position in (1, 2, 3, 5, 6, 8, 9):
        for digit in "0123456789":
            with contextlib.suppress(ValueError):  # no such day
                found.append(date.fromisoformat(text[:position] + digit + text[position + 1 :]))
    found = [d for d in found if 1800 <= d.year <= 2100]  # the years a record may hold
    if day.day <= 12:
        found.append(day.replace(month=day.day, day=day.month))
    found += [date(1930, 1, 1) + timedelta(days=rng.randrange(30_000)) for _ in range(20)]
    return found


def test_the_vectorised_rule_agrees_with_the_comparison() -> None:
    """Bulk screening drops the pairs `far_apart_sql` holds far apart without comparing
    them: it must say so exactly where the comparison scores `FAR`."""
    rng = random.Random(3)
    pairs = [
        (day, other)
        for day in [date(1970, 3, 4), date(1999, 12, 31), date(1980, 1, 1), date(1961, 11, 11)]
        + [date(1930, 1, 1) + timedelta(days=rng.randrange(30_000)) for _ in range(40)]
        for other in _neighbours(day, rng)
    ]
    found = duckdb.sql(
        f"SELECT {far_apart_sql('q', 's')} FROM (SELECT unnest($q) AS q, unnest($s) AS s)",
        params={"q": [q for q, _ in pairs], "s": [s for _, s in pairs]},
    ).fetchall()
    expected = [
        compare_birth_dates(q.isoformat(), [BirthDate(date=s.isoformat())]).score == FAR
        for q, s in pairs
    ]
    assert [far for (far,) in found] == expected
    assert 0 < sum(expected) < len(expected)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("1970-03-04", date(1970, 3, 4)),
        ("1970-03", None),
        ("not a date", None),
        (None, None),
        (EXACT, date(1970, 3, 4)),
        (BirthDate(date="1970-03-04", circa=True), None),
        (BirthDate(earliest="1970-03-04", latest="1970-03-04"), None),
    ],
)
def test_exact_day(value: str | BirthDate | None, day: date | None) -> None:
    assert exact_day(value) == day
