"""Cooperation between agencies as plain data: messages, deadlines, notice workflow, cases.

Times are stored in UTC. A deadline is given as a local wall-clock time in a named zone (as the
person setting it thinks of it) and converted once, here; a local time that does not exist
(skipped by a daylight-saving change) or exists twice (repeated by one) is refused rather than
guessed, unless the caller adds an explicit UTC offset.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from borderless.domain.agencies import AgencyCode
from borderless.domain.codes import HandlingCode, NoticeStatus
from borderless.domain.records import RecordId
from borderless.errors import InputError


class Priority(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    IMMEDIATE = "immediate"


class MessageState(StrEnum):
    """Where a message stands for one addressee agency (each later state implies the earlier)."""

    SENT = "sent"
    DELIVERED = "delivered"  # the addressee's inbox has listed it
    READ = "read"  # a user of the addressee opened it
    ANSWERED = "answered"  # the addressee replied in the thread
    CLOSED = "closed"  # the thread was closed


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deadline(_Input):
    """A deadline as a person states it: local wall-clock time and the zone it is meant in."""

    local: datetime  # naive local time, or with an explicit offset
    zone: str = Field(default="UTC", min_length=1, max_length=64)

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name, e.g. Europe/Paris)"
            ) from None
        return value

    def to_utc(self) -> datetime:
        """The instant meant, in UTC; refuses a local time a DST change skips or repeats."""
        zone = ZoneInfo(self.zone)
        if self.local.tzinfo is not None:
            return self.local.astimezone(UTC)
        early = self.local.replace(tzinfo=zone, fold=0)
        late = self.local.replace(tzinfo=zone, fold=1)
        if early.utcoffset() != late.utcoffset():
            # fold=0 and fold=1 disagree: the wall time is either skipped or repeated
            round_trip = early.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
            if round_trip != self.local:
                raise InputError(
                    f"deadline {self.local:%Y-%m-%dT%H:%M} does not exist in {self.zone} "
                    "(clocks jump forward then); choose another time"
                )
            raise InputError(
                f"deadline {self.local:%Y-%m-%dT%H:%M} occurs twice in {self.zone} "
                "(clocks go back then); add the UTC offset meant, e.g. +02:00 or +01:00"
            )
        return early.astimezone(UTC)


def local_time(at: datetime, zone: str) -> str:
    """`at` as wall-clock time with offset in `zone` (for showing a deadline as it was set)."""
    return at.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")


def is_overdue(deadline: datetime | None, done_at: datetime | None, now: datetime) -> bool:
    """Past the deadline and still not answered (instants are absolute, so DST cannot shift it)."""
    return deadline is not None and done_at is None and now > deadline


class MessageDraft(_Input):
    """A new thread: who it goes to, what it is about, how it may be used, and by when."""

    to: list[AgencyCode] = Field(min_length=1, max_length=50)
    subject: str = Field(min_length=1, max_length=500)
    body: str = Field(min_length=1, max_length=100_000)
    handling: HandlingCode = HandlingCode.H0
    handling_note: str | None = Field(default=None, max_length=2000)
    priority: Priority = Priority.ROUTINE
    deadline: Deadline | None = None
    linked_records: list[RecordId] = Field(default=[], max_length=100)


class ReplyDraft(_Input):
    body: str = Field(min_length=1, max_length=100_000)
    linked_records: list[RecordId] = Field(default=[], max_length=100)


# --- notices -----------------------------------------------------------------------------------


class NoticeStep(StrEnum):
    """What somebody does to a notice; `NOTICE_STEPS` says from which states and to which."""

    SUBMIT = "submit"
    TAKE = "take"  # a reviewer starts the review
    PUBLISH = "publish"
    REFUSE = "refuse"
    RETURN = "return"  # back to the owner for more information
    CANCEL = "cancel"
    EXPIRE = "expire"
    WITHDRAW = "withdraw"  # a reviewer withdraws a published notice or diffusion
    CONFIRM = "confirm"  # a reviewer confirms a diffusion after the fact


S = NoticeStatus
NOTICE_STEPS: dict[NoticeStep, tuple[frozenset[NoticeStatus], NoticeStatus]] = {
    NoticeStep.SUBMIT: (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    NoticeStep.TAKE: (frozenset({S.SUBMITTED}), S.IN_REVIEW),
    NoticeStep.PUBLISH: (frozenset({S.IN_REVIEW}), S.PUBLISHED),
    NoticeStep.REFUSE: (frozenset({S.IN_REVIEW}), S.REFUSED),
    NoticeStep.RETURN: (frozenset({S.IN_REVIEW}), S.RETURNED),
    NoticeStep.CANCEL: (
        frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.RETURNED, S.PUBLISHED}),
        S.CANCELLED,
    ),
    NoticeStep.EXPIRE: (frozenset({S.PUBLISHED}), S.EXPIRED),
    NoticeStep.WITHDRAW: (frozenset({S.PUBLISHED}), S.CANCELLED),
    NoticeStep.CONFIRM: (frozenset({S.PUBLISHED}), S.PUBLISHED),
}
OWNER_STEPS = frozenset({NoticeStep.SUBMIT, NoticeStep.CANCEL})
REVIEWER_STEPS = frozenset(
    {
        NoticeStep.TAKE,
        NoticeStep.PUBLISH,
        NoticeStep.REFUSE,
        NoticeStep.RETURN,
        NoticeStep.WITHDRAW,
        NoticeStep.CONFIRM,
    }
)
NEEDS_REASON = frozenset({NoticeStep.REFUSE, NoticeStep.RETURN, NoticeStep.WITHDRAW})


def next_status(step: NoticeStep, current: NoticeStatus) -> NoticeStatus:
    sources, target = NOTICE_STEPS[step]
    if current not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise InputError(
            f"cannot {step.value} a notice that is {current.value} (only from: {allowed})"
        )
    return target


class RefusalReason(StrEnum):
    """Why a reviewer refuses a notice (counted in the oversight figures)."""

    POLITICAL = "political"
    MILITARY = "military"
    RELIGIOUS = "religious"
    RACIAL = "racial"
    DATA_QUALITY = "data_quality"
    INSUFFICIENT_BASIS = "insufficient_basis"
    OTHER = "other"


# --- cases -------------------------------------------------------------------------------------


class CaseDraft(_Input):
    title: str = Field(min_length=1, max_length=500)
    participants: list[AgencyCode] = Field(default=[], max_length=50)
    summary: str | None = Field(default=None, max_length=10_000)


class TaskDraft(_Input):
    title: str = Field(min_length=1, max_length=500)
    assignee: AgencyCode | None = None
    due: Deadline | None = None


class ContactDraft(_Input):
    """A liaison contact of an agency: who to call, in which languages, how, and when."""

    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=200)
    languages: list[str] = Field(default=[], max_length=20)  # ISO 639-1, e.g. "en", "fr"
    channels: dict[str, str] = Field(default={})  # e.g. {"phone": "+31 ...", "email": "..."}
    desk_24_7: bool = False

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip().lower() for v in value]
        bad = [v for v in cleaned if not (len(v) in (2, 3) and v.isalpha())]
        if bad:
            raise ValueError(f"languages are ISO 639 codes such as 'en' or 'fra', not {bad}")
        return cleaned
