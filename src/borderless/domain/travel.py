"""Passenger data: flights and their legs, travellers, documents, bookings (PNRs), contacts.

These are what the PAXLST (API) and PNRGOV (PNR) readers and the CSV/JSON manifest reader
produce, and what the travel store keeps and screening reads. Plain frozen dataclasses: a
large PNR push holds thousands of travellers, and parsing throughput matters.

Values are normalised by the readers: countries are ISO 3166 alpha-3 (or None when the
message names none we know), dates ISO ``YYYY-MM-DD``, times timezone-naive local times as
the airline sent them (EDIFACT carries no offset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from borderless.domain.codes import Gender
from borderless.normalize.countries import try_alpha3


def country_code(value: str | None) -> str | None:
    """Alpha-2, alpha-3 or ICAO country codes as alpha-3; None for anything else."""
    text = (value or "").strip()
    return try_alpha3(text) if text else None


def phone_digits(text: str) -> str:
    """A phone number as digits, without the international call prefix (00 or +)."""
    digits = "".join(c for c in text if c.isdigit())
    return digits[2:] if digits.startswith("00") else digits


_GENDERS = {"M": Gender.MALE, "F": Gender.FEMALE, "MI": Gender.MALE, "FI": Gender.FEMALE}


def gender_code(value: str | None) -> str | None:
    """M / F (and MI / FI, infants in SSR DOCS) as `Gender` values; None when unknown."""
    found = _GENDERS.get((value or "").strip().upper())
    return found.value if found else None


class MessageKind(StrEnum):
    PAXLST = "paxlst"  # UN/EDIFACT API message (passengers or crew)
    PNRGOV = "pnrgov"  # UN/EDIFACT PNR push
    MANIFEST = "manifest"  # the documented CSV/JSON manifest


class TravellerRole(StrEnum):
    PASSENGER = "passenger"
    CREW = "crew"
    IN_TRANSIT = "in_transit"


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Leg:
    """One flight segment: a carrier's flight between two airports."""

    carrier: str  # IATA airline code of the marketing carrier
    number: str  # flight number without the carrier, e.g. "0989"
    origin: str  # IATA airport code
    destination: str
    departure: datetime | None = None
    arrival: datetime | None = None
    operating_carrier: str | None = None  # set when it differs: a codeshare

    @property
    def flight(self) -> str:
        return f"{self.carrier}{self.number}"

    @property
    def key(self) -> str:
        """The flight's identity: flight, departure date, origin (``UA0989/2017-01-27/FRA``)."""
        day = self.departure.date().isoformat() if self.departure else "?"
        return f"{self.flight}/{day}/{self.origin}"


@dataclass(frozen=True, slots=True)
class TravelDocument:
    document_type: str  # P passport, V visa, I identity card, ... ("" when not given)
    number: str
    issuing_country: str | None = None
    expires: str | None = None  # YYYY-MM-DD
    source: str = "DOC"  # the segment or SSR it came from: DOC, DOCS, DOCO, manifest


@dataclass(frozen=True, slots=True)
class Traveller:
    """A passenger or crew member as the message describes them."""

    reference: str  # unique within the message (e.g. "3", or the PNR's "MFN4TI/1")
    surname: str
    given_names: str
    role: TravellerRole = TravellerRole.PASSENGER
    infant: bool = False
    gender: str | None = None  # "male" / "female" (domain.codes.Gender values) or None
    birth_date: str | None = None  # YYYY-MM-DD
    nationality: str | None = None
    residence: str | None = None
    embarkation: str | None = None  # airport
    debarkation: str | None = None
    booking: str | None = None  # the PNR record locator, when known
    seat: str | None = None
    documents: tuple[TravelDocument, ...] = ()
    addresses: tuple[str, ...] = ()
    bag_tags: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surname) if p)


@dataclass(frozen=True, slots=True)
class Contact:
    kind: ContactKind
    value: str  # normalised: digits for phones, lower-case for e-mails


@dataclass(frozen=True, slots=True)
class Payment:
    method: str  # CC card, CA cash, MS miscellaneous, ... as sent
    card: str | None = None  # vendor and (masked) number, e.g. "VI XXXXXXXX1186"
    amount: str | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    """A passenger name record: who booked together, how, and the itinerary."""

    locator: str
    carrier: str = ""
    booked_at: datetime | None = None
    travellers: tuple[str, ...] = ()  # traveller references
    legs: tuple[Leg, ...] = ()
    contacts: tuple[Contact, ...] = ()
    addresses: tuple[str, ...] = ()
    payments: tuple[Payment, ...] = ()
    bags: int = 0
    other_locators: tuple[str, ...] = ()  # the same booking in other systems (codeshare, split)


@dataclass(frozen=True, slots=True)
class PassengerMessage:
    """One API or PNR message about one flight, as parsed."""

    kind: MessageKind
    reference: str  # sender + interchange and message references: unique per sender
    sender: str
    flight: Leg  # the flight the message reports (arriving in or leaving the country)
    legs: tuple[Leg, ...]
    travellers: tuple[Traveller, ...]
    bookings: tuple[Booking, ...] = ()
    declared_travellers: int | None = None  # CNT+42 / CNT+41
    warnings: tuple[str, ...] = field(default=())

    @property
    def documents(self) -> int:
        return sum(len(t.documents) for t in self.travellers)
