"""Reader for UN/EDIFACT PNRGOV (PNR push to governments), 10.1 and later.

A PNRGOV message reports one flight (the ``TVL`` before the first booking) and carries one
group per passenger name record, opened by ``SRC``:

* ``RCI`` record locator (and the same booking's locators in other systems: codeshare,
  split PNRs), ``DAT+700`` last transaction date (kept as the booking time);
* ``TIF`` travellers (surname; given name, type — ``IN`` is an infant —, reference), each
  followed by its ``FTI``, ``SSR``, ``TKT``, ``FOP`` … until the next ``TIF`` or ``TVL``;
* ``SSR+DOCS`` passport data (``/type/issuer/number/nationality/birth/gender/expiry/names``),
  ``SSR+DOCO`` other documents (visas), ``SSR+DOCA`` addresses, ``SSR+INFT`` infants; an SSR's
  third element names the traveller reference it concerns;
* ``ADD`` addresses (with a phone), ``IFT+4:28`` free text with ``CTC*`` contacts (e-mails in
  IATA's escaped form: ``//`` for @, ``..`` for _, ``./`` for -), ``FOP`` forms of payment,
  ``EBD`` excess bags;
* ``TVL`` itinerary legs (``KE:SQ``: marketing and operating carrier of a codeshare), and in
  their check-in groups ``TIF`` references, ``SSD`` seats and ``TBD`` bag tags.

``EQN`` in the header declares the number of PNRs; it is checked against the ``SRC`` groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

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
    country_code,
    gender_code,
    phone_digits,
)
from borderless.formats.edifact import Interchange, Message, Report, Segment, dmy, stamp

__all__ = ["read_pnrgov"]

_TITLE = re.compile(r"(?<=\w)\s*(?:MRS|MR|MS|MSTR|MISS|DR|CHD|INF)$")
_CONTACT = re.compile(r"^CTC([A-Z])\s*(.*)$")
_EMAIL_ESCAPES = (("//", "@"), ("..", "_"), ("./", "-"))


def _given(value: str) -> str:
    return _TITLE.sub("", value.strip()).strip()


def _phone(text: str) -> str | None:
    digits = phone_digits(text)
    return digits if len(digits) >= 6 else None


def _email(text: str) -> str | None:
    value = text.strip().split(" ")[0]
    for escaped, plain in _EMAIL_ESCAPES:
        value = value.replace(escaped, plain)
    return value.lower() if "@" in value else None


def _free_text(segment: Segment) -> str:
    """An SSR's free text (component 9 of the first element)."""
    return segment.value(0, 8)


@dataclass
class _Person:
    reference: str
    values: dict[str, object]
    documents: list[TravelDocument] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    bags: list[str] = field(default_factory=list)

    def add_document(self, document: TravelDocument) -> None:
        known = {(d.number, d.issuing_country) for d in self.documents}
        if (document.number, document.issuing_country) not in known:
            self.documents.append(document)


@dataclass
class _BookingDraft:
    segment: Segment
    locator: str = ""
    carrier: str = ""
    booked_at: datetime | None = None
    people: list[_Person] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    bags: int = 0
    other_locators: list[str] = field(default_factory=list)
    current: _Person | None = None  # the traveller the next SSRs, seats and bags concern
    pending: list[tuple[Segment, str]] = field(default_factory=list)  # SSRs before their TIF

    def by_reference(self, reference: str) -> _Person | None:
        return next((p for p in self.people if p.values.get("tif") == reference), None)

    def by_name(self, surname: str, given: str) -> _Person | None:
        for person in self.people:
            if person.values["surname"] == surname and person.values["given_names"] == given:
                return person
        return None


def _leg(segment: Segment) -> Leg | None:
    origin, destination = segment.value(1).upper(), segment.value(2).upper()
    if not (origin and destination):
        return None  # an open segment or a hotel/car entry
    day = dmy(segment.value(0, 0))
    arrival_day, arrival_time = segment.value(0, 2), segment.value(0, 3)
    if len(arrival_day) == 4 and not arrival_time:  # date:time:arrival-time
        arrival_day, arrival_time = segment.value(0, 0), arrival_day
    marketing, operating = segment.value(3, 0).upper(), segment.value(3, 1).upper()
    return Leg(
        carrier=marketing,
        number=segment.value(4, 0),
        origin=origin,
        destination=destination,
        departure=stamp(day, segment.value(0, 1)),
        arrival=stamp(dmy(arrival_day or segment.value(0, 0)), arrival_time),
        operating_carrier=operating if operating and operating != marketing else None,
    )


def _docs(text: str, pivot: int) -> tuple[TravelDocument | None, dict[str, object]]:
    """SSR DOCS free text: the document (if it has a number) and personal details."""
    f = [*text.split("/"), *[""] * 11][:11]
    details: dict[str, object] = {}
    if birth := dmy(f[5], pivot):
        details["birth_date"] = birth
    if gender := gender_code(f[6]):
        details["gender"] = gender
        details["infant"] = f[6].upper() in ("MI", "FI")
    if nationality := country_code(f[4]):
        details["nationality"] = nationality
    number = f[3].replace(" ", "")
    if not number:
        return None, details
    expires = dmy(f[7], pivot=99)
    issuer = country_code(f[2])
    return TravelDocument(f[1].upper(), number, issuer, expires, "DOCS"), details


def _doco(text: str) -> TravelDocument | None:
    f = [*text.split("/"), *[""] * 6][:6]
    number = f[2].replace(" ", "")
    return TravelDocument(f[1].upper(), number, None, None, "DOCO") if number else None


def _doca(text: str) -> str | None:
    f = [part.strip() for part in text.split("/")]
    parts = [p for p in f[3:] if p]
    if not parts:
        return None
    country = country_code(f[2]) if len(f) > 2 else None
    return ", ".join(parts + ([country] if country else []))


class _Reader:
    def __init__(self, interchange: Interchange, message: Message, report: Report) -> None:
        self.interchange = interchange
        self.message = message
        self.report = report
        self.flight: Leg | None = None
        self.declared: tuple[Segment, int] | None = None
        self.bookings: list[_BookingDraft] = []
        self.in_itinerary = False
        year = interchange.prepared[:2]
        self.pivot = int(year) if year.isdigit() else 69  # birth years after it: last century

    # --- traveller-level segments --------------------------------------------------------

    def traveller(self, booking: _BookingDraft, segment: Segment) -> None:
        surname = segment.value(0, 0)
        if not surname:
            raise self.report.error(segment.where, "traveller without a surname (TIF element 1)")
        if segment.value(0, 1) == "G":
            return  # a group booking's name ("ACME TEAM PARTY:G"), not a person
        given, kind, tif = _given(segment.value(1, 0)), segment.value(1, 1), segment.value(1, 2)
        known = booking.by_reference(tif) if tif else booking.by_name(surname, given)
        if known is not None:
            booking.current = known
            return
        if self.in_itinerary and booking.people:
            booking.current = None  # a check-in reference to nobody we know
            return
        if kind == "IN":
            person = self.infant(booking, surname, given, None)
            person.values["tif"] = tif
        else:
            reference = f"{booking.locator or len(self.bookings)}/{tif or len(booking.people) + 1}"
            values: dict[str, object] = {"surname": surname, "given_names": given, "tif": tif}
            person = _Person(reference, values)
            booking.people.append(person)
        booking.current = person
        for pending, _ref in [p for p in booking.pending if p[1] == tif]:
            self.ssr(booking, pending)
        booking.pending = [p for p in booking.pending if p[1] != tif]

    def ssr(self, booking: _BookingDraft, segment: Segment) -> None:
        code, text, ref = segment.value(0, 0), _free_text(segment), segment.value(1, 2)
        if code == "INFT":
            self.inft(booking, text)
            return
        if code not in ("DOCS", "DOCO", "DOCA"):
            return
        person = booking.by_reference(ref) if ref else booking.current
        if person is None:
            if ref:
                booking.pending.append((segment, ref))
            return
        if code == "DOCS":
            document, details = _docs(text, self.pivot)
            if details.get("infant") and not person.values.get("infant"):
                f = [*text.split("/"), *[""] * 11][:11]  # an infant's DOCS under its adult
                birth = details.get("birth_date")
                person = self.infant(booking, f[8].strip(), _given(f[9]), str(birth or ""))
            person.values.update(details)
            if document is not None:
                person.add_document(document)
        elif code == "DOCO" and (other := _doco(text)) is not None:
            person.add_document(other)
        elif code == "DOCA" and (address := _doca(text)) is not None:
            person.addresses.append(address)

    def infant(
        self, booking: _BookingDraft, surname: str, given: str, birth: str | None
    ) -> _Person:
        """The booking's infant with this name (or birth date), added if no TIF named it.

        Infants travel on an adult's seat: feeds describe them by ``TIF`` (type ``IN``),
        ``SSR INFT`` and an ``SSR DOCS`` with gender MI/FI filed under the adult, often with
        the name wrapped across lines ("BEL T"), so the same infant is recognised by surname
        without spaces and first given name, or by birth date.
        """
        key = (surname.replace(" ", ""), (given.split() or [""])[0])
        infants = [p for p in booking.people if p.values.get("infant")]
        for known in infants:
            name = (
                str(known.values["surname"]).replace(" ", ""),
                (str(known.values["given_names"]).split() or [""])[0],
            )
            if name == key or (birth and known.values.get("birth_date") == birth):
                return known
        values: dict[str, object] = {"surname": surname, "given_names": given, "infant": True}
        if birth:
            values["birth_date"] = birth
        values["tif"] = ""
        person = _Person(f"{booking.locator}/INF{len(booking.people) + 1}", values)
        booking.people.append(person)
        return person

    def inft(self, booking: _BookingDraft, text: str) -> None:
        """SSR INFT: ``SURNAME/GIVEN/DDMMMYY`` (or the date after the given name)."""
        parts = [*text.split("/"), "", ""][:3]
        words = parts[1].split()
        birth = dmy(parts[2], self.pivot)
        if birth is None and words and (birth := dmy(words[-1], self.pivot)):
            words = words[:-1]
        if parts[0].strip():
            self.infant(booking, parts[0].strip(), _given(" ".join(words)), birth)

    # --- booking-level segments ----------------------------------------------------------

    def booking_detail(self, booking: _BookingDraft, segment: Segment) -> None:
        tag, qualifier = segment.tag, segment.value(0)
        if tag == "RCI":
            self.locators(booking, segment)
        elif tag == "DAT" and qualifier == "700" and booking.booked_at is None:
            booking.booked_at = stamp(dmy(segment.value(0, 1)), segment.value(0, 2))
        elif tag == "TIF":
            self.traveller(booking, segment)
        elif tag == "SSR":
            self.ssr(booking, segment)
        elif tag == "ADD":
            self.address(booking, segment)
        elif tag == "IFT" and segment.value(0, 1) == "28":
            self.contact(booking, segment.value(1))
        elif tag == "FOP":
            card = " ".join(p for p in (segment.value(0, 3), segment.value(0, 4)) if p)
            booking.payments.append(
                Payment(qualifier.upper(), card or None, segment.value(0, 2) or None)
            )
        elif tag == "EBD" and segment.value(1).isdigit():
            booking.bags += int(segment.value(1))
        elif tag == "TVL":
            self.in_itinerary = True
            if (leg := _leg(segment)) is not None:
                booking.legs.append(leg)
        elif tag == "SSD" and booking.current is not None:
            booking.current.values["seat"] = qualifier or None
        elif tag == "TBD":
            self.bags(booking, segment)

    def locators(self, booking: _BookingDraft, segment: Segment) -> None:
        for index, element in enumerate(segment.elements):
            carrier, locator = (*element, "", "")[:2]
            if not locator:
                continue
            if not booking.locator:
                booking.carrier, booking.locator = carrier.upper(), locator.upper()
            elif index and f"{carrier}:{locator}" not in booking.other_locators:
                booking.other_locators.append(f"{carrier.upper()}:{locator.upper()}")

    def address(self, booking: _BookingDraft, segment: Segment) -> None:
        parts = segment.components(1)
        fields = [p for p in parts[1:7] if p]
        if fields:
            booking.addresses.append(", ".join(fields))
        if len(parts) > 7 and (phone := _phone(parts[7])):
            booking.contacts.append(Contact(ContactKind.PHONE, phone))

    def contact(self, booking: _BookingDraft, text: str) -> None:
        found = _CONTACT.match(text.strip().split("+")[0].strip().removeprefix("YY ").strip())
        if found is None:
            found = _CONTACT.match(" ".join(text.split()[1:]))  # "AM CTCP ..." (airline first)
        if found is None:
            return
        kind, rest = found.groups()
        value = _email(rest) if kind == "E" else _phone(rest)
        contact_kind = ContactKind.EMAIL if kind == "E" else ContactKind.PHONE
        if value and Contact(contact_kind, value) not in booking.contacts:
            booking.contacts.append(Contact(contact_kind, value))

    def bags(self, booking: _BookingDraft, segment: Segment) -> None:
        count = segment.value(1, 0)
        if count.isdigit():
            booking.bags += int(count)
        if booking.current is not None:
            for element in segment.elements[4:]:
                if len(element) > 1 and element[1]:
                    booking.current.bags.append(element[0] + element[1])

    # --- the message ---------------------------------------------------------------------

    def read(self) -> PassengerMessage:
        if self.message.type != "PNRGOV":
            raise self.report.error(
                self.message.header.where, f"expected a PNRGOV message, not {self.message.type}"
            )
        for segment in self.message.body:
            if segment.tag == "SRC":
                self.bookings.append(_BookingDraft(segment))
                self.in_itinerary = False
            elif self.bookings:
                self.booking_detail(self.bookings[-1], segment)
            elif segment.tag == "TVL" and self.flight is None:
                self.flight = _leg(segment)
            elif segment.tag == "EQN" and segment.value(0).isdigit():
                self.declared = (segment, int(segment.value(0)))
        return self.build()

    def unresolved(self, booking: _BookingDraft) -> None:
        """SSRs naming a traveller reference no TIF has: the sole traveller's, or a warning."""
        for segment, ref in booking.pending:
            if len(booking.people) == 1:
                booking.current, booking.pending = booking.people[0], []
                self.ssr(booking, replace(segment, elements=segment.elements[:1]))
            else:
                self.report.deviation(segment.where, f"names traveller {ref!r}, which no TIF has")
        booking.pending = []

    def build(self) -> PassengerMessage:
        if self.flight is None:
            raise self.report.error(self.message.header.where, "no reported flight (TVL)")
        if self.declared is not None and self.declared[1] != len(self.bookings):
            self.report.deviation(
                self.declared[0].where,
                f"declares {self.declared[1]} PNRs, counted {len(self.bookings)} (SRC)",
            )
        bookings, travellers = [], []
        seen: set[str] = set()
        for draft in self.bookings:
            if not draft.locator:
                raise self.report.error(draft.segment.where, "PNR without a record locator (RCI)")
            self.unresolved(draft)
            people = []
            for person in draft.people:
                reference = person.reference
                while reference in seen:  # a PNR sent twice in one message (split PNRs)
                    reference += "+"
                seen.add(reference)
                values = {k: v for k, v in person.values.items() if k != "tif"}
                people.append(
                    Traveller(
                        reference=reference,
                        booking=draft.locator,
                        documents=tuple(person.documents),
                        addresses=tuple(person.addresses),
                        bag_tags=tuple(person.bags),
                        **values,  # type: ignore[arg-type]
                    )
                )
            travellers.extend(people)
            bookings.append(
                Booking(
                    locator=draft.locator,
                    carrier=draft.carrier,
                    booked_at=draft.booked_at,
                    travellers=tuple(p.reference for p in people),
                    legs=tuple(draft.legs),
                    contacts=tuple(draft.contacts),
                    addresses=tuple(draft.addresses),
                    payments=tuple(draft.payments),
                    bags=draft.bags,
                    other_locators=tuple(draft.other_locators),
                )
            )
        interchange = self.interchange
        return PassengerMessage(
            kind=MessageKind.PNRGOV,
            reference=f"{interchange.sender}/{interchange.reference}/{self.message.reference}",
            sender=interchange.sender,
            flight=self.flight,
            legs=(self.flight,),
            travellers=tuple(travellers),
            bookings=tuple(bookings),
            warnings=tuple(self.report.warnings),
        )


def read_pnrgov(interchange: Interchange, report: Report) -> list[PassengerMessage]:
    """Every PNRGOV message of a checked interchange, as passenger messages."""
    return [_Reader(interchange, m, report).read() for m in interchange.messages]
