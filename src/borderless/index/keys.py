"""Blocking keys: short strings under which a record can be found by a frontline query.

A query computes the same kinds of keys from what the officer typed; records sharing a key are
the candidates that the matchers then score and explain. Keys are recall-oriented (spelling,
script and OCR confusions fold together) and typed by a prefix:

    n:<name key>      names of persons, organisations, vessels, notice subjects
    doc:<number key>  document and identifier numbers (confusable characters folded)
    vin:<VIN>         vehicle identification numbers
    plate:<plate>     registration plates (country is checked when scoring)
    ser:<serial key>  firearm serial numbers
    iban:<IBAN>       bank accounts by IBAN
    acct:<number>     bank accounts by number

Biometric templates are found by the vector index instead (`index.vectors`).
"""

from __future__ import annotations

from collections.abc import Iterable

from borderless.domain.records import (
    AccountBody,
    DocumentBody,
    FirearmBody,
    NoticeBody,
    OrganisationBody,
    PersonBody,
    Record,
    RecordBody,
    VehicleBody,
)
from borderless.normalize.identifiers import (
    document_number_keys,
    normalize_document_number,
    normalize_plate,
    normalize_vin,
)
from borderless.normalize.names import name_keys

MAX_KEY = 200


def names_keys(names: Iterable[str]) -> set[str]:
    return {f"n:{key}" for name in names for key in name_keys(name)}


def number_keys(prefix: str, numbers: Iterable[str]) -> set[str]:
    return {f"{prefix}:{key}" for number in numbers for key in document_number_keys(number)}


def plate_key(plate: str) -> str:
    return f"plate:{normalize_plate(plate)}"


def vin_key(vin: str) -> str:
    return f"vin:{normalize_vin(vin)}"


def account_keys(iban: str | None, number: str | None) -> set[str]:
    keys = set()
    if iban:
        keys.add(f"iban:{normalize_document_number(iban)}")
    if number:
        keys.add(f"acct:{normalize_document_number(number)}")
    return keys


def body_keys(body: RecordBody) -> set[str]:
    """The keys under which a record with this body can be found."""
    keys: set[str] = set()
    match body:
        case PersonBody():
            keys |= names_keys(n.full for n in body.names)
            keys |= number_keys("doc", (i.value for i in body.identifiers))
        case OrganisationBody():
            keys |= names_keys(n.full for n in body.names)
            keys |= number_keys("doc", (i.value for i in body.registration_numbers))
        case DocumentBody():
            keys |= number_keys("doc", [body.number])
        case VehicleBody():
            if body.vin:
                keys.add(vin_key(body.vin))
            if body.plate:
                keys.add(plate_key(body.plate))
            if body.name:
                keys |= names_keys([body.name])
            keys |= number_keys("doc", (i.value for i in body.identifiers))
        case FirearmBody():
            keys |= number_keys("ser", [body.serial_number])
        case AccountBody():
            keys |= account_keys(body.iban, body.number)
        case NoticeBody():
            if body.subject_name:
                keys |= names_keys([body.subject_name])
    return {key for key in keys if len(key) <= MAX_KEY and key.split(":", 1)[1]}


def record_keys(record: Record) -> set[str]:
    return body_keys(record.body)
