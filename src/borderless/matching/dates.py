"""Birth-date evidence: does a queried date of birth support or contradict a record's?

Lists hold partial dates ("1970", "1970-05"), ranges ("1968 to 1970") and approximate dates
("circa 1970"); clerks swap day and month and mistype digits. `compare_birth_dates` returns a
score in [-1, 1]: positive supports a match, negative contradicts it, 0 means no evidence.
The best-supporting stored date counts (a record with several dates of birth lists the
alternatives the owner could not rule out).

==============================================  =======  ======================================
seen                                            score    why
==============================================  =======  ======================================
same full date                                  +1.0     one day in ~25,000 by chance
overlap, the wider side spans ≤ a month          +0.8     same year and month
overlap, ≤ a year                               +0.5     same year
overlap, ≤ 5 years (circa ±2, short ranges)     +0.35    plausible, weak
overlap, wider                                  +0.2     barely informative
day and month swapped (1970-03-04 / 1970-04-03)  +0.5    a common clerical error
a year or month, one digit differs in the year  +0.2     a typo is possible; weak
two full dates, one digit apart (year included)  -0.3     a typo, or another person: namesakes
                                                         in a large list often differ so
two full dates, 1–3 days apart                  -0.3     a calendar conversion or registration
                                                         off by a day or two, or another person
two full dates, any other difference            -1.0     no clerical error explains it
partial dates apart by ≤ 6 months               -0.3
partial dates apart by ≤ about a year (400 d)   -0.6
partial dates apart by more                     -1.0     a different person, or a false date
==============================================  =======  ======================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from borderless.domain.records import BirthDate
from borderless.matching.names import Reason
from borderless.normalize.dates import InvalidDate, parse_partial_date, partial_bounds

__all__ = ["FAR", "DateComparison", "compare_birth_dates", "exact_day", "far_apart_sql"]

CIRCA = timedelta(days=2 * 365)
_SPAN_SCORES = ((0, 1.0), (31, 0.8), (366, 0.5), (5 * 366, 0.35))
_WIDE_OVERLAP = 0.2
_SWAPPED = 0.5
_YEAR_TYPO = 0.2
_OTHER_DAY = -0.3
# Full dates this close are often one date converted from another calendar (Hijri, Solar
# Hijri) or registered a day late. A day further apart in the same month is no typo: in the
# screening benchmark, same-month namesakes were over half of all wrong hits.
_NEAR_DAYS = 3
_GAP_SCORES = ((183, -0.3), (400, -0.6))
FAR = -1.0  # the score of dates no clerical error explains


@dataclass(frozen=True)
class DateComparison:
    """Birth-date evidence in [-1, 1] (negative: contradiction; 0: none) and its reasons."""

    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class _Interval:
    """The days a stored or queried date of birth may stand for, and how it was written."""

    first: date
    last: date
    text: str
    exact: str | None  # the partial date as written, when it is not a range or circa

    @property
    def span(self) -> int:
        return (self.last - self.first).days


# Screening and search compare the same few thousand dates over and over (parsing them was
# most of the cost of a birth-date comparison): the parsed forms are cached by their text.
@lru_cache(maxsize=65536)
def _query_interval(value: str) -> _Interval | None:
    try:
        text = parse_partial_date(value)
    except InvalidDate:
        return None
    first, last = partial_bounds(text)
    return _Interval(first, last, text, text)


def _stored_interval(birth: BirthDate) -> _Interval:
    return _interval(birth.date, birth.earliest, birth.latest, birth.circa)


@lru_cache(maxsize=65536)
def _interval(when: str | None, earliest: str | None, latest: str | None, circa: bool) -> _Interval:
    if when is not None:
        first, last = partial_bounds(when)
        text, exact = when, (None if circa else when)
    else:
        first = partial_bounds(earliest)[0] if earliest else date.min
        last = partial_bounds(latest)[1] if latest else date.max
        text, exact = f"{earliest or '…'} to {latest or '…'}", None
    if circa:
        first = max(date.min + CIRCA, first) - CIRCA
        last = min(date.max - CIRCA, last) + CIRCA
        text = f"circa {text}"
    return _Interval(first, last, text, exact)


def _overlap_score(query: _Interval, stored: _Interval) -> float:
    span = max(query.span, stored.span)
    for limit, score in _SPAN_SCORES:
        if span <= limit:
            return score
    return _WIDE_OVERLAP


def _swapped(query: str, stored: str) -> bool:
    """1970-03-04 vs 1970-04-03: the same year, day and month exchanged."""
    q, s = query.split("-"), stored.split("-")
    return len(q) == len(s) == 3 and q[0] == s[0] and q[1] == s[2] and q[2] == s[1] != q[1]


def _year_typo(query: str, stored: str) -> bool:
    """Two years, or two year-months, whose years differ in exactly one digit (1975 vs 1957
    not). Full dates so alike are one digit apart like any other (`_one_digit`)."""
    q, s = query.split("-"), stored.split("-")
    if len(q) != len(s) or len(q) == 3 or q[1:] != s[1:]:
        return False
    return _differ_once(q[0], s[0])


def _one_digit(query: str, stored: str) -> bool:
    return len(query) == len(stored) and _differ_once(query, stored)


def _differ_once(left: str, right: str) -> bool:
    """Equal-length strings that differ in exactly one place (stops at the second)."""
    differences = 0
    for a, b in zip(left, right, strict=True):
        if a != b:
            differences += 1
            if differences > 1:
                return False
    return differences == 1


def _gap_days(query: _Interval, stored: _Interval) -> int:
    if query.last < stored.first:
        return (stored.first - query.last).days
    return (query.first - stored.last).days


@lru_cache(maxsize=262144)
def _compare_one(query: _Interval, stored: _Interval) -> tuple[float, str]:
    seen = f"queried {query.text} vs stored {stored.text}"
    if query.first <= stored.last and stored.first <= query.last:
        score = _overlap_score(query, stored)
        what = "same date of birth" if score == 1.0 else "compatible dates of birth"
        return score, f"{what}: {seen}"
    if stored.exact is not None and query.exact is not None:
        if _swapped(query.exact, stored.exact):
            return _SWAPPED, f"day and month swapped: {seen}"
        if _year_typo(query.exact, stored.exact):
            return _YEAR_TYPO, f"one digit differs in the year (typo?): {seen}"
        if _one_digit(query.exact, stored.exact):
            return _OTHER_DAY, f"one digit differs (typo?): {seen}"
    gap = _gap_days(query, stored)
    if query.span == stored.span == 0:
        # Two full dates that no clerical error explains belong to two people (or one lies).
        score = _OTHER_DAY if gap <= _NEAR_DAYS else FAR
        return score, f"full dates of birth {gap} days apart: {seen}"
    for limit, score in _GAP_SCORES:
        if gap <= limit:
            return score, f"dates of birth {gap} days apart: {seen}"
    return FAR, f"dates of birth {gap // 365} years apart: {seen}"


def compare_birth_dates(query: str | None, candidates: Sequence[BirthDate]) -> DateComparison:
    """Support (> 0) or contradiction (< 0) from a queried date of birth; 0 if either is unknown.

    `query` is a partial ISO date (``1970``, ``1970-05``, ``1970-05-12``); an unreadable one
    gives no evidence rather than an error, since screening must go on without it.
    """
    if not query or not candidates:
        return DateComparison(0.0, (Reason("birth_date", "no date of birth to compare", 0.0),))
    interval = _query_interval(query)
    if interval is None:
        return DateComparison(0.0, (Reason("birth_date", f"unreadable date {query!r}", 0.0),))
    found = [_compare_one(interval, _stored_interval(c)) for c in candidates]
    score, detail = max(found, key=lambda item: item[0])
    return DateComparison(score, (Reason("birth_date", detail, score),))


def exact_day(value: str | BirthDate | None) -> date | None:
    """The one day a queried (text) or stored date of birth stands for, as the comparison
    reads it; None for a partial, approximate, unreadable date or a range."""
    if value is None:
        return None
    interval = _query_interval(value) if isinstance(value, str) else _stored_interval(value)
    if interval is None or interval.exact is None or interval.span != 0:
        return None
    return interval.first


def far_apart_sql(query: str, stored: str) -> str:
    """A DuckDB condition on two full dates (`DATE` columns): true where `compare_birth_dates`
    scores them `FAR` — not the same day, not day and month swapped, not one digit apart,
    more than a few days apart. Bulk screening drops such pairs before loading any record;
    the tests hold this to the rules above."""
    return (
        f"({query} <> {stored}"
        f" AND hamming(strftime({query}, '%Y-%m-%d'), strftime({stored}, '%Y-%m-%d')) > 1"
        f" AND abs(date_diff('day', {query}, {stored})) > {_NEAR_DAYS}"
        f" AND NOT (year({query}) = year({stored}) AND month({query}) = day({stored})"
        f" AND day({query}) = month({stored})))"
    )
