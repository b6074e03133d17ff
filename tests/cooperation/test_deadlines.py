"""Deadlines given in local time become the right UTC instant, around daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from borderless.domain.messaging import Deadline, is_overdue, local_time
from borderless.errors import InputError

AMS = "Europe/Amsterdam"  # CET/CEST: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00
NYC = "America/New_York"  # EST/EDT: 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00


@pytest.mark.parametrize(
    ("local", "zone", "utc"),
    [
        ("2026-03-29T01:59", AMS, "2026-03-29T00:59"),  # still winter time (+01:00)
        ("2026-03-29T03:00", AMS, "2026-03-29T01:00"),  # first minute of summer time (+02:00)
        ("2026-10-25T01:30", AMS, "2026-10-24T23:30"),  # before the repeated hour (+02:00)
        ("2026-10-25T03:30", AMS, "2026-10-25T02:30"),  # after it (+01:00)
        ("2026-03-08T03:30", NYC, "2026-03-08T07:30"),  # EDT, -04:00
        ("2026-03-07T03:30", NYC, "2026-03-07T08:30"),  # EST the day before, -05:00
        ("2026-06-01T12:00", "UTC", "2026-06-01T12:00"),
    ],
)
def test_local_deadline_to_utc(local: str, zone: str, utc: str) -> None:
    deadline = Deadline(local=datetime.fromisoformat(local), zone=zone)
    assert deadline.to_utc() == datetime.fromisoformat(utc).replace(tzinfo=UTC)


@pytest.mark.parametrize(("local", "zone"), [("2026-03-29T02:30", AMS), ("2026-03-08T02:15", NYC)])
def test_skipped_local_time_is_refused(local: str, zone: str) -> None:
    with pytest.raises(InputError, match="does not exist"):
        Deadline(local=datetime.fromisoformat(local), zone=zone).to_utc()


@pytest.mark.parametrize(("local", "zone"), [("2026-10-25T02:30", AMS), ("2026-11-01T01:30", NYC)])
def test_repeated_local_time_needs_an_offset(local: str, zone: str) -> None:
    with pytest.raises(InputError, match="occurs twice"):
        Deadline(local=datetime.fromisoformat(local), zone=zone).to_utc()


def test_explicit_offset_settles_the_repeated_hour() -> None:
    summer = Deadline(local=datetime.fromisoformat("2026-10-25T02:30+02:00"), zone=AMS)
    winter = Deadline(local=datetime.fromisoformat("2026-10-25T02:30+01:00"), zone=AMS)
    assert winter.to_utc() - summer.to_utc() == timedelta(hours=1)
    assert local_time(summer.to_utc(), AMS) == "2026-10-25T02:30+02:00"
    assert local_time(winter.to_utc(), AMS) == "2026-10-25T02:30+01:00"


def test_unknown_zone_is_a_field_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Atlantis'"):
        Deadline(local=datetime(2026, 1, 1), zone="Europe/Atlantis")


def test_24_hours_across_the_spring_change_is_23_wall_clock_hours() -> None:
    """A deadline 'tomorrow 09:00' set at 09:00 the day before the change is 23 hours away."""
    before = Deadline(local=datetime(2026, 3, 28, 9, 0), zone=AMS).to_utc()
    after = Deadline(local=datetime(2026, 3, 29, 9, 0), zone=AMS).to_utc()
    assert after - before == timedelta(hours=23)


def test_overdue_is_strictly_after_the_instant_and_only_while_unanswered() -> None:
    deadline = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert not is_overdue(deadline, None, deadline)
    assert is_overdue(deadline, None, deadline + timedelta(seconds=1))
    assert not is_overdue(deadline, deadline, deadline + timedelta(days=3))
    assert not is_overdue(None, None, deadline)
