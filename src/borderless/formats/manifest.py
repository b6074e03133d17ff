"""The Borderless passenger manifest: one flight's travellers as CSV or JSON.

For carriers and systems that cannot send EDIFACT (charters, general aviation, a spreadsheet
from a ship's agent). Documented in docs/screening.md.

**JSON** — one object::

    {"reference": "GA-2026-0001", "sender": "ACME CHARTER",
     "flight": {"carrier": "XX", "number": "123", "origin": "LHR", "destination": "AMS",
                "departure": "2026-06-01T09:15", "arrival": "2026-06-01T11:30"},
     "travellers": [{"surname": "Jansen", "given_names": "Jan", "birth_date": "1980-02-03",
                     "gender": "male", "nationality": "NLD", "booking": "ABC123",
                     "documents": [{"type": "P", "number": "NX1234567", "country": "NLD",
                                    "expires": "2030-01-01"}]}],
     "bookings": [{"locator": "ABC123", "booked_at": "2026-05-31T22:10",
                   "phones": ["+31 20 123 4567"], "emails": ["jan@example.org"],
                   "addresses": ["Damrak 1, Amsterdam"],
                   "payments": [{"method": "CC", "card": "VI XXXX1186"}]}]}

**CSV** — a header and one row per traveller, with the columns ``carrier, number, origin,
destination, departure`` (the same on every row), ``surname`` (required), and optionally
``given_names, birth_date, gender, nationality, role, infant, booking, seat, document_type,
document_number, document_country, document_expires, phone, email, address, payment_method,
payment_card, booked_at, reference, sender``. Booking fields of rows sharing a ``booking``
locator are merged.

Every problem is a `FormatError` naming the line (CSV) or the JSON path.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from typing import Annotated

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from borderless.domain.codes import Gender
from borderless.domain.records import Country, PartialDate
from borderless.domain.travel import (
    Booking,
    Contact,
    ContactKind,
    Leg,
    MessageKind,
    PassengerMessage,
    Payment,
    TravelDocument,
    Traveller,
    TravellerRole,
    phone_digits,
)
from borderless.errors import FormatError
from borderless.formats.validation import describe_validation_error

__all__ = ["read_manifest"]

Code = Annotated[str, Field(min_length=2, max_length=3), AfterValidator(str.upper)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FlightIn(_In):
    carrier: Code
    number: str = Field(min_length=1, max_length=5)
    origin: Code
    destination: Code
    departure: datetime
    arrival: datetime | None = None


class DocumentIn(_In):
    type: str = Field(default="P", max_length=2)
    number: str = Field(min_length=1, max_length=40)
    country: Country | None = None
    expires: PartialDate | None = None


class TravellerIn(_In):
    surname: str = Field(min_length=1, max_length=200)
    given_names: str = Field(default="", max_length=200)
    birth_date: PartialDate | None = None
    gender: Gender | None = None
    nationality: Country | None = None
    role: TravellerRole = TravellerRole.PASSENGER
    infant: bool = False
    booking: str | None = Field(default=None, max_length=20)
    seat: str | None = Field(default=None, max_length=5)
    documents: list[DocumentIn] = []


class PaymentIn(_In):
    method: str = Field(min_length=1, max_length=10)
    card: str | None = Field(default=None, max_length=40)
    amount: str | None = None


class BookingIn(_In):
    locator: str = Field(min_length=1, max_length=20)
    booked_at: datetime | None = None
    phones: list[str] = []
    emails: list[str] = []
    addresses: list[str] = []
    payments: list[PaymentIn] = []


class ManifestIn(_In):
    reference: str | None = Field(default=None, max_length=100)
    sender: str = Field(default="manifest", max_length=100)
    flight: FlightIn
    travellers: list[TravellerIn] = Field(min_length=1)
    bookings: list[BookingIn] = []


def _contacts(booking: BookingIn) -> tuple[Contact, ...]:
    phones = (Contact(ContactKind.PHONE, phone_digits(p)) for p in booking.phones)
    emails = (Contact(ContactKind.EMAIL, e.strip().lower()) for e in booking.emails)
    return tuple(dict.fromkeys(c for c in (*phones, *emails) if c.value))


def _with_implied_bookings(manifest: ManifestIn) -> list[BookingIn]:
    """The bookings given, and one for each locator a traveller names but no booking lists."""
    given = {b.locator for b in manifest.bookings}
    implied = dict.fromkeys(t.booking for t in manifest.travellers if t.booking not in given)
    return [*manifest.bookings, *(BookingIn(locator=k) for k in implied if k)]


def _message(manifest: ManifestIn, digest: str) -> PassengerMessage:
    f = manifest.flight
    flight = Leg(f.carrier, f.number, f.origin, f.destination, f.departure, f.arrival)
    travellers = tuple(
        Traveller(
            reference=str(index),
            surname=t.surname,
            given_names=t.given_names,
            role=t.role,
            infant=t.infant,
            gender=t.gender.value if t.gender and t.gender != Gender.UNKNOWN else None,
            birth_date=t.birth_date,
            nationality=t.nationality,
            booking=t.booking,
            seat=t.seat,
            documents=tuple(
                TravelDocument(d.type.upper(), d.number, d.country, d.expires, "manifest")
                for d in t.documents
            ),
        )
        for index, t in enumerate(manifest.travellers, 1)
    )
    bookings = tuple(
        Booking(
            locator=b.locator,
            booked_at=b.booked_at,
            travellers=tuple(t.reference for t in travellers if t.booking == b.locator),
            contacts=_contacts(b),
            addresses=tuple(b.addresses),
            payments=tuple(Payment(p.method.upper(), p.card, p.amount) for p in b.payments),
        )
        for b in _with_implied_bookings(manifest)
    )
    return PassengerMessage(
        kind=MessageKind.MANIFEST,
        reference=f"{manifest.sender}/{manifest.reference or digest}",
        sender=manifest.sender,
        flight=flight,
        legs=(flight,),
        travellers=travellers,
        bookings=bookings,
    )


def _validated(data: object, source: str, location: str | None) -> ManifestIn:
    try:
        return ManifestIn.model_validate(data)
    except ValidationError as exc:
        raise FormatError(source, location, describe_validation_error(exc)) from None


_FLIGHT = ("carrier", "number", "origin", "destination", "departure", "arrival")
_TRAVELLER = (
    "surname",
    "given_names",
    "birth_date",
    "gender",
    "nationality",
    "role",
    "infant",
    "booking",
    "seat",
)
_DOCUMENT = {
    "document_type": "type",
    "document_number": "number",
    "document_country": "country",
    "document_expires": "expires",
}
_BOOKING = ("phone", "email", "address", "payment_method", "payment_card", "booked_at")
_KNOWN = {*_FLIGHT, *_TRAVELLER, *_DOCUMENT, *_BOOKING, "reference", "sender"}


def _csv(text: str, source: str) -> ManifestIn:
    reader = csv.DictReader(io.StringIO(text))
    unknown = set(reader.fieldnames or ()) - _KNOWN
    if unknown:
        raise FormatError(source, "line 1", f"unknown column(s) {sorted(unknown)}")
    flight: dict[str, str] | None = None
    travellers: list[dict[str, object]] = []
    bookings: dict[str, dict[str, list[object] | str]] = {}
    head: dict[str, str] = {}
    for line, row in enumerate(reader, 2):
        given = {k: v.strip() for k, v in row.items() if k and v and v.strip()}
        this_flight = {k: given[k] for k in _FLIGHT if k in given}
        if flight is None:
            flight = this_flight
            head = {k: given[k] for k in ("reference", "sender") if k in given}
        elif this_flight != flight:
            raise FormatError(source, f"line {line}", "every row must name the same flight")
        traveller: dict[str, object] = {k: given[k] for k in _TRAVELLER if k in given}
        if "document_number" in given:
            traveller["documents"] = [{v: given[k] for k, v in _DOCUMENT.items() if k in given}]
        travellers.append(traveller)
        if "booking" in given:
            _merge_booking(bookings.setdefault(given["booking"], {}), given)
        try:
            TravellerIn.model_validate(traveller)
        except ValidationError as exc:
            raise FormatError(source, f"line {line}", describe_validation_error(exc)) from None
    if flight is None:
        raise FormatError(source, "line 2", "no travellers")
    data = {
        **head,
        "flight": flight,
        "travellers": travellers,
        "bookings": [{"locator": k, **v} for k, v in bookings.items()],
    }
    return _validated(data, source, "line 2")


def _merge_booking(booking: dict[str, list[object] | str], row: dict[str, str]) -> None:
    for column, key in (("phone", "phones"), ("email", "emails"), ("address", "addresses")):
        if column in row:
            values = booking.setdefault(key, [])
            assert isinstance(values, list)
            if row[column] not in values:
                values.append(row[column])
    if "payment_method" in row:
        payments = booking.setdefault("payments", [])
        assert isinstance(payments, list)
        payment = {"method": row["payment_method"], "card": row.get("payment_card")}
        if payment not in payments:
            payments.append(payment)
    if "booked_at" in row:
        booking["booked_at"] = row["booked_at"]


def read_manifest(data: bytes, source: str) -> PassengerMessage:
    """A manifest file (JSON when it starts with '{', CSV otherwise) as one passenger message."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(source, None, f"not UTF-8 text: {exc}") from None
    if text.lstrip().startswith("{"):
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise FormatError(source, None, f"invalid JSON: {exc}") from None
        return _message(_validated(parsed, source, None), digest)
    return _message(_csv(text, source), digest)
