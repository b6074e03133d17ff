"""Blocking keys: short strings under which a record can be found by a frontline query.

A query computes the same kinds of keys from what the officer typed; records sharing a key are
the candidates that the matchers then score and explain. Keys are recall-oriented (spelling,
script and OCR confusions fold together) and typed by a prefix:

    n:<name key>      names of persons, organisations, vessels, notice subjects
    np:<key>|<key>    two tokens of one name together (in either order): among thousands who
                      share a common surname, the few who also share the given name
    ny:<year>:<key>   a person's name skeleton keys with each year of birth on record; they
                      find nobody a plain name key would not, but rank the namesake born in
                      the queried year first among hundreds who share the name
    doc:<number key>  document and identifier numbers (confusable characters folded)
    vin:<VIN>         vehicle identification numbers
    plate:<plate>     registration plates (country is checked when scoring)
    ser:<serial key>  firearm serial numbers
    iban:<IBAN>       bank accounts by IBAN
    phone:<digits>    a person's phone numbers (digits, no international prefix), as
    email:<address>   e-mail addresses: bookings are normalised the same way (`contact_key`)
    address:<print>   a person's postal addresses, as rigour's address fingerprint (case,
                      punctuation and street keywords folded: "Street" / "St.")
    acct:<number>     bank accounts by number

Biometric templates are found by the vector index instead (`index.vectors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

from rigour.addresses import address_fingerprint

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
from borderless.domain.travel import phone_digits
from borderless.normalize.identifiers import (
    document_number_keys,
    normalize_document_number,
    normalize_plate,
    normalize_vin,
)
from borderless.normalize.names import analyse_name, name_keys, name_readings

MAX_KEY = 200
WHOLE_NAME_PART = 99  # the part of keys made from the whole name (e.g. "Xi Jinping" joined)
PAIR_PART = 97  # the part of `np:` keys: two parts of the name together count as one more
PAIRED_TOKENS = 6  # the first tokens of a name that make pair keys (15 pairs at most)
BIRTH_YEAR_PART = 98  # the part of `ny:` keys: the year of birth counts as a part of its own
IDENTIFIER_PART = 100  # the part of every key that is not a name's (documents, VINs, ...)


def names_keys(names: Iterable[str]) -> set[str]:
    return {f"n:{key}" for name in names for key in name_keys(name)}


@lru_cache(maxsize=262_144)
def name_key_parts(name: str) -> tuple[tuple[str, int], ...]:
    """A name's keys, each with the part of the name it comes from: the position of the token,
    or `WHOLE_NAME_PART` for keys of the whole name (spacing variants, other readings).

    Candidates are ranked by how many parts of the name they share keys with: one that shares
    every part outranks one that shares only a common surname, however rare that surname is.
    Cached per name: namesakes, and a traveller on many flights, are keyed once.
    """
    found: list[tuple[str, int]] = []
    seen: set[str] = set()
    for position, token in enumerate(analyse_name(name).tokens):
        for key in sorted(names_keys([token]) - seen):
            found.append((key, position))
            seen.add(key)
    found += [(key, WHOLE_NAME_PART) for key in sorted(names_keys([name]) - seen)]
    found += [(key, PAIR_PART) for key in sorted(pair_keys([name], readings=False))]
    return tuple(found)


def pair_keys(names: Iterable[str], readings: bool = True) -> set[str]:
    """Keys of two tokens of a name together, order-free: "Karim Haddad" and "Haddad Karim"
    share ``np:klm|ht``. A given name and a surname that are each common are rare together,
    so at a million persons the namesakes come first, and a traveller's candidates stay few.

    Records are keyed in every reading of a name (`readings`), a query in its first, as
    `name_key_parts` does.
    """
    found: set[str] = set()
    for name in names:
        forms = name_readings(name) if readings else (analyse_name(name),)
        for form in forms:
            tokens = [key for t in form.tokens if (key := _token_key(t)) is not None]
            ordered = sorted(dict.fromkeys(tokens[:PAIRED_TOKENS]))
            found |= {f"np:{a}|{b}" for a, b in combinations(ordered, 2)}
    return found


def count_namesakes(pair_counts: Iterable[int]) -> int:
    """How many records share a queried name, from the counts of its `np:` keys (those of
    `PAIR_PART`): the fewest that share any two of its tokens together, at least 1.

    For a name of two tokens that is its namesakes, spelling variants included ("Ahmed Ali" /
    "Ahmad Aly"); for a longer name an upper bound. A name of one token has no pair: it
    counts as 1, as does a name no record shares.
    """
    return max(min(pair_counts, default=1), 1)


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str | None:
    """The one key that stands for a token in pairs: its short-token key, else its skeleton."""
    keys = name_keys(token)
    return min((k for k in keys if k.startswith("t:")), default=None) or min(
        (k for k in keys if k.startswith("s:")), default=None
    )


def person_key_parts(name: str, birth_date: str | None) -> list[tuple[str, int]]:
    """The keys of a queried person: its name's (`name_key_parts`), and those dated with the
    year of its birth date, if one is given (`BIRTH_YEAR_PART`)."""
    parts = list(name_key_parts(name))
    if birth_date:
        dated = year_keys((key for key, _ in parts), birth_date[:4])
        parts += [(key, BIRTH_YEAR_PART) for key in sorted(dated)]
    return parts


def year_keys(keys: Iterable[str], year: str) -> set[str]:
    """The `ny:` keys of name keys for one year of birth: of the skeleton keys, and of the
    token keys of short names whose skeleton is too short to be a key ("anna")."""
    return {f"ny:{year}:{key[2:]}" for key in keys if key.startswith(("n:s:", "n:t:"))}


def birth_years(body: PersonBody) -> set[str]:
    """The years of birth a record states outright (no ranges, nothing approximate)."""
    return {b.date[:4] for b in body.birth_dates if b.date and not b.circa}


# Contacts shorter than this say too little to tie a booking to a person ("Paris", "12345").
_MIN_CONTACT = {"phone": 6, "email": 6, "address": 12}


def contact_key(kind: str, value: str) -> str | None:
    """The key of a phone number, e-mail or postal address, normalised alike in bookings and
    person records; None for other kinds and for values too short to mean anyone."""
    if kind == "phone":
        text: str | None = phone_digits(value)
    elif kind == "email":
        text = value.strip().lower()
    elif kind == "address":
        text = address_fingerprint(value)
    else:
        return None
    return f"{kind}:{text}" if text and len(text) >= _MIN_CONTACT[kind] else None


def person_contact_keys(body: PersonBody) -> set[str]:
    pairs = [("phone", p) for p in body.phones] + [("email", e) for e in body.emails]
    pairs += [("address", a.full) for a in body.addresses]
    return {key for kind, value in pairs if (key := contact_key(kind, value)) is not None}


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
            named = names_keys(n.full for n in body.names)
            keys |= named | pair_keys(n.full for n in body.names)
            for year in birth_years(body):
                keys |= year_keys(named, year)
            keys |= number_keys("doc", (i.value for i in body.identifiers))
            keys |= person_contact_keys(body)
        case OrganisationBody():
            keys |= names_keys(n.full for n in body.names) | pair_keys(n.full for n in body.names)
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
                keys |= names_keys([body.subject_name]) | pair_keys([body.subject_name])
    return {key for key in keys if len(key) <= MAX_KEY and key.split(":", 1)[1]}


def record_keys(record: Record) -> set[str]:
    return body_keys(record.body)
