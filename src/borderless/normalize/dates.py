"""Partial dates (``1970``, ``1970-05``, ``1970-05-12``) as they appear in lists and messages."""

import re
from datetime import date

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class InvalidDate(ValueError):
    """A date that is not YYYY, YYYY-MM or YYYY-MM-DD, or names no real day."""


def parse_partial_date(value: str) -> str:
    """Validate a partial ISO date and return it in canonical form."""
    text = value.strip()
    found = _PARTIAL.match(text)
    if found is None:
        raise InvalidDate(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = found.groups()
    if not 1800 <= int(year) <= 2200:
        raise InvalidDate(f"invalid date {value!r}: year out of range")
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidDate(f"invalid date {value!r}: month out of range")
    if day is not None:
        try:
            date(int(year), int(month), int(day))
        except ValueError as exc:
            raise InvalidDate(f"invalid date {value!r}: {exc}") from None
    return text


def partial_bounds(value: str) -> tuple[date, date]:
    """The first and last day a partial date may stand for."""
    year, _, rest = value.partition("-")
    y = int(year)
    if not rest:
        return date(y, 1, 1), date(y, 12, 31)
    month, _, day = rest.partition("-")
    m = int(month)
    if day:
        d = date(y, m, int(day))
        return d, d
    last = (date(y + (m == 12), m % 12 + 1, 1)).toordinal() - 1
    return date(y, m, 1), date.fromordinal(last)
