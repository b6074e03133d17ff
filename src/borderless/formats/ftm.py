"""FollowTheMoney (FtM) entity streams, as OpenSanctions and Aleph exchange them.

Mapping (our record kind ↔ FtM schema)::

    person        ↔ Person
    organisation  ↔ Company (company, front_company) / Organization (others);
                    imports Organization, Company, PublicBody, LegalEntity
    document      ↔ Passport (passport) / Identification (other types), ``holder`` = person
    vehicle       ↔ Vehicle / Vessel (vehicle_type vessel, ship, boat) /
                    Airplane (aircraft, airplane, plane, helicopter)
    account       ↔ BankAccount; each holder is an Ownership (owner → asset = account),
                    because FtM v4's BankAccount has no holder property
    transaction   ↔ Payment (payerAccount, beneficiaryAccount; payer/beneficiary = the
                    accounts' holders when known). A Payment naming only payer/beneficiary
                    legal entities, no accounts, is skipped and counted: our transactions
                    link accounts. A partial date (``2021-06``) becomes its first day, UTC.
    notice        → Sanction (entity = subject, program = notice kind, reason = requested
                    action, status, provisions = legal basis, authority = owner agency):
                    FtM's closest thing to "this person is subject to an action". Imported
                    Sanctions are not turned back into notices (OpenSanctions' sanctions are
                    not INTERPOL notices): they are folded into the subject's remarks.
    director_ids  ↔ Directorship (director → organization)
    firearm, biometric, case: no FtM schema; skipped and counted (`ExportStats.skipped`).

Ids: a record id that is a valid FtM id is the entity id; any other (``QDi.001/doc/1``) becomes
``bl-<slug>-<hash>`` (`entity_id`), applied to links too. On import the draft id is the entity
id (shortened with a hash above 64 characters); the import service namespaces it.

Source: an exported entity carries the record's source in the top-level FtM fields OpenSanctions
uses: ``datasets`` = [source.dataset] and ``referents`` = [source.source_id] (the id the source
gave it), and ``publisher`` = the owner agency. An imported entity gets
``Source(dataset=datasets[0] or "ftm", source_id=<entity id>)``.

Values FtM has no property for (a VIN, a vehicle's make and status, a document's status, a
payment's channel) go into ``notes``/``summary``/``description`` as ``Key: value`` lines, which the
importer reads back; country codes with no ISO alpha-2 (ICAO ``XXA``, ``GBD``) likewise. FtM
normalises some values on the way out (a BIC loses its ``XXX`` branch, an IMO number gains its
``IMO`` prefix); identifier schemes become FtM property names (``tax`` → ``taxNumber``).

The importer reads the file twice: first to index ids and fold link entities (Ownership,
Directorship, Sanction, Address), then to convert. FtM's own cleaning silently drops invalid
values, so every value read is checked against its FtM type (and IBANs against their checksum)
and then against our models; a problem raises `FormatError` naming line, entity and property.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TypeVar

import orjson
import pycountry
from followthemoney import model, registry
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema
from pydantic import ValidationError

from borderless.domain.codes import (
    AliasKind,
    DocumentStatus,
    DocumentType,
    Gender,
    OrganisationKind,
    RecordKind,
    VehicleStatus,
)
from borderless.domain.records import (
    AccountBody,
    DocumentBody,
    NoticeBody,
    OrganisationBody,
    PersonBody,
    Record,
    RecordDraft,
    Source,
    TransactionBody,
    VehicleBody,
    parse_body,
)
from borderless.errors import FormatError
from borderless.formats.records_jsonl import OwnedDraft, decode_json_line, json_type
from borderless.formats.validation import describe_validation_error
from borderless.normalize.countries import UnknownCountry, to_alpha3, try_alpha3

DEFAULT_DATASET = "ftm"
MAX_DRAFT_ID = 96  # RecordId allows 128; the import service adds an owner/dataset prefix

_NAME_PROPS: dict[AliasKind, str] = {
    AliasKind.PRIMARY: "name",
    AliasKind.AKA: "alias",
    AliasKind.FKA: "previousName",
    AliasKind.WEAK: "weakAlias",
}
_VESSEL_TYPES = frozenset({"vessel", "ship", "boat"})
_AIRCRAFT_TYPES = frozenset({"aircraft", "airplane", "plane", "helicopter"})
_SKIPPED_IDENTIFIERS = frozenset({"programId"})  # identifies a sanctions programme, not the subject
_NOTE_LINE = re.compile(r"^([A-Z][A-Za-z ]{0,30}): (.+)$")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_SLUG_UNSAFE = re.compile(r"[^0-9a-zA-Z.-]+")


@dataclass
class ExportStats:
    """What `write_ftm` did: records read, entities written, records with no FtM schema."""

    records: int = 0
    entities: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # record kind -> count


@dataclass
class ImportStats:
    """What `iter_ftm` did with the entities of a stream."""

    entities: int = 0
    drafts: int = 0
    folded: Counter[str] = field(default_factory=Counter)  # link schemata folded into drafts
    skipped: Counter[str] = field(default_factory=Counter)  # schema or reason -> count


# --- ids and countries -----------------------------------------------------------------------


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


def entity_id(record_id: str) -> str:
    """The FtM id for a record id: the id itself when FtM accepts it, else a slug with a hash."""
    if registry.entity.validate(record_id):
        return record_id
    slug = _SLUG_UNSAFE.sub("-", record_id).strip(".-")
    digest = _digest(record_id)[:10]
    return f"bl-{slug}-{digest}" if slug else f"bl-{digest}"


def draft_id(ftm_id: str) -> str:
    """The draft id for an FtM id: the id itself, or (Aleph's 81-character ids) a hashed prefix."""
    if len(ftm_id) <= MAX_DRAFT_ID:
        return ftm_id
    return f"{ftm_id[: MAX_DRAFT_ID - 17]}-{_digest(ftm_id)[:16]}"


def _link_id(kind: str, *parts: str) -> str:
    return f"bl-{kind}-{_digest(*parts)[:24]}"


def ftm_country(alpha3: str) -> str | None:
    """FtM's lowercase alpha-2 code for an alpha-3 code; ``None`` for ICAO-only codes."""
    if alpha3 == "RKS":
        return "xk"  # Kosovo: user-assigned in ISO 3166, used by FtM
    found = pycountry.countries.get(alpha_3=alpha3)
    return str(found.alpha_2).lower() if found is not None else None


def _our_country(code: str) -> str | None:
    """Alpha-3 for an FtM country code; ``None`` for codes with no country of ours (``suhh``)."""
    if len(code) != 2:
        return None  # historical and regional FtM codes: "suhh", "gb-wls", "ge-ab"
    try:
        return to_alpha3(code)
    except UnknownCountry:
        return None  # "zz" (global), "eu"


# --- records -> entities ---------------------------------------------------------------------


class _Builder:
    """Builds the entities of one record: a main entity plus link entities and notes lines."""

    def __init__(self, record: Record, schema: str) -> None:
        self.record = record
        self.entity = self.make(schema, entity_id(record.id))
        self.notes: list[str] = []
        self.extra: list[EntityProxy] = []

    def make(self, schema: str, ftm_id: str) -> EntityProxy:
        entity = model.make_entity(schema)
        entity.id = ftm_id
        source = self.record.source
        if source is not None:
            entity.context["datasets"] = [source.dataset]
            entity.context["referents"] = [source.source_id]
        entity.add("publisher", self.record.owner)
        return entity

    def add(self, prop: str, value: str | None) -> None:
        if value:
            self.entity.add(prop, value)

    def country(self, prop: str, alpha3: str | None, label: str) -> None:
        """Add a country, or a notes line when FtM has no code for it."""
        if alpha3 is None:
            return
        code = ftm_country(alpha3)
        if code is not None:
            self.entity.add(prop, code)
        else:
            self.notes.append(f"{label}: {alpha3}")

    def identifier(self, scheme: str, value: str, default: str) -> None:
        """Add under the FtM property named like the scheme (``taxNumber``, ``IMO``), else
        under `default`."""
        key = re.sub(r"[^a-z0-9]", "", scheme.lower())
        for prop in self.entity.schema.properties.values():
            if prop.type is not registry.identifier or prop.name in _SKIPPED_IDENTIFIERS:
                continue
            if prop.name.lower() in (key, key + "number", key + "code"):
                self.entity.add(prop, value)
                return
        self.entity.add(default, value)

    def link(self, schema: str, props: dict[str, str], **values: str) -> None:
        """Add a link entity (Ownership, Directorship) with a stable id made of its ends."""
        entity = self.make(schema, _link_id(schema.lower(), *props.values()))
        for prop, target in props.items():
            entity.add(prop, target)
        for prop, value in values.items():
            entity.add(prop, value)
        self.extra.append(entity)

    def finish(self, notes_prop: str = "notes", remarks: str | None = None) -> list[EntityProxy]:
        lines = ([remarks] if remarks else []) + self.notes
        if lines:
            self.entity.add(notes_prop, "\n".join(lines))
        return [self.entity, *self.extra]


def _names(builder: _Builder, body: PersonBody | OrganisationBody) -> None:
    for name in body.names:
        builder.add(_NAME_PROPS[name.kind], name.full)
        if name.kind == AliasKind.PRIMARY and isinstance(body, PersonBody):
            builder.add("firstName", name.given)
            builder.add("lastName", name.family)


def _person(record: Record, body: PersonBody) -> list[EntityProxy]:
    b = _Builder(record, "Person")
    _names(b, body)
    for birth in body.birth_dates:
        if birth.date is not None:
            b.add("birthDate", birth.date)
            if birth.circa:
                b.notes.append(f"Birth date: circa {birth.date}")
        else:
            b.add("birthDate", birth.earliest)
            b.add("birthDate", birth.latest)
            if birth.earliest and birth.latest:
                text = f"between {birth.earliest} and {birth.latest}"
            else:
                text = (
                    f"not before {birth.earliest}"
                    if birth.earliest
                    else f"not after {birth.latest}"
                )
            b.notes.append(f"Birth date: {'circa ' if birth.circa else ''}{text}")
    for place in body.birth_places:
        b.add("birthPlace", place.place)
        b.country("birthCountry", place.country, "Birth country")
    for alpha3 in body.nationalities:
        b.country("nationality", alpha3, "Nationality")
    if body.gender != Gender.UNKNOWN:
        b.add("gender", body.gender.value)
    for ident in body.identifiers:
        b.identifier(ident.scheme, ident.value, "idNumber")
    for address in body.addresses:
        b.add("address", address.full)
    return b.finish(remarks=body.remarks)


def _organisation(record: Record, body: OrganisationBody) -> list[EntityProxy]:
    kind = body.organisation_kind
    company = kind in (OrganisationKind.COMPANY, OrganisationKind.FRONT_COMPANY)
    b = _Builder(record, "Company" if company else "Organization")
    _names(b, body)
    b.add("classification", kind.value)
    for alpha3 in body.countries:
        b.country("country", alpha3, "Country")
    for ident in body.registration_numbers:
        b.identifier(ident.scheme, ident.value, "registrationNumber")
    for address in body.addresses:
        b.add("address", address.full)
    for director in body.director_ids:
        director_eid = entity_id(director)
        b.link(
            "Directorship",
            {"organization": b.entity.id or "", "director": director_eid},
            role="director",
        )
    return b.finish(remarks=body.remarks)


def _document(record: Record, body: DocumentBody) -> list[EntityProxy]:
    passport = body.document_type == DocumentType.PASSPORT
    b = _Builder(record, "Passport" if passport else "Identification")
    b.add("number", body.number)
    b.add("type", body.document_type.value)
    b.country("country", body.issuing_country, "Issuing country")
    b.add("startDate", body.issued)
    b.add("endDate", body.expires)
    b.add("namesMentioned", body.holder_name)
    if body.person_id is not None:
        b.add("holder", entity_id(body.person_id))
    b.add("summary", f"Status: {body.status.value}")
    return b.finish(notes_prop="description", remarks=body.remarks)


def _vehicle(record: Record, body: VehicleBody) -> list[EntityProxy]:
    vehicle_type = body.vehicle_type.lower()
    if vehicle_type in _VESSEL_TYPES:
        schema = "Vessel"
    elif vehicle_type in _AIRCRAFT_TYPES:
        schema = "Airplane"
    else:
        schema = "Vehicle"
    b = _Builder(record, schema)
    b.add("name", body.name)
    b.add("type", body.vehicle_type)
    b.add("registrationNumber", body.plate)
    b.country("flag" if schema == "Vessel" else "country", body.plate_country, "Country")
    if schema == "Airplane":
        b.add("manufacturer", body.make)
    elif body.make:
        b.notes.append(f"Make: {body.make}")
    b.add("model", body.model)
    if body.year is not None:
        b.add("buildDate", str(body.year))
    for ident in body.identifiers:
        b.identifier(ident.scheme, ident.value, "registrationNumber")
    if body.vin:
        b.notes.append(f"VIN: {body.vin}")
    if body.colour:
        b.notes.append(f"Colour: {body.colour}")
    b.notes.append(f"Status: {body.status.value}")
    if body.owner_id is not None:
        b.add("owner", entity_id(body.owner_id))
    return b.finish()


def _account(record: Record, body: AccountBody) -> list[EntityProxy]:
    b = _Builder(record, "BankAccount")
    b.add("iban", body.iban)
    b.add("bic", body.bic)
    b.add("accountNumber", body.number)
    b.add("bankName", body.institution)
    b.add("currency", body.currency)
    b.country("country", body.country, "Country")
    for holder in body.holder_ids:
        owner = entity_id(holder)
        b.link("Ownership", {"asset": b.entity.id or "", "owner": owner}, role="account holder")
    return b.finish()


def _transaction(
    record: Record, body: TransactionBody, holders: dict[str, list[str]]
) -> list[EntityProxy]:
    b = _Builder(record, "Payment")
    b.add("payerAccount", entity_id(body.from_account_id))
    b.add("beneficiaryAccount", entity_id(body.to_account_id))
    for holder in holders.get(body.from_account_id, []):
        b.add("payer", entity_id(holder))
    for holder in holders.get(body.to_account_id, []):
        b.add("beneficiary", entity_id(holder))
    b.add("amount", format(Decimal(repr(body.amount)), "f"))  # exact, never "1e+21"
    b.add("currency", body.currency)
    time = body.time.astimezone(UTC) if body.time.tzinfo is not None else body.time
    b.add("date", time.strftime("%Y-%m-%dT%H:%M:%S"))
    b.add("purpose", body.reference)
    if body.channel:
        b.notes.append(f"Channel: {body.channel}")
    if body.from_country:
        b.notes.append(f"From country: {body.from_country}")
    if body.to_country:
        b.notes.append(f"To country: {body.to_country}")
    return b.finish(notes_prop="description")


def _notice(record: Record, body: NoticeBody) -> list[EntityProxy]:
    b = _Builder(record, "Sanction")
    if body.subject_id is not None:
        b.add("entity", entity_id(body.subject_id))
    b.add("namesMentioned", body.subject_name)
    b.add("program", body.notice_kind.value)
    b.add("reason", body.requested_action)
    b.add("status", body.status.value)
    b.add("provisions", body.legal_basis)
    b.add("authority", record.owner)
    if body.offences:
        b.add("summary", "Offences: " + "; ".join(body.offences))
    return b.finish(notes_prop="description")


def _entities(record: Record, holders: dict[str, list[str]]) -> list[EntityProxy] | None:
    body = record.body
    if isinstance(body, PersonBody):
        return _person(record, body)
    if isinstance(body, OrganisationBody):
        return _organisation(record, body)
    if isinstance(body, DocumentBody):
        return _document(record, body)
    if isinstance(body, VehicleBody):
        return _vehicle(record, body)
    if isinstance(body, AccountBody):
        return _account(record, body)
    if isinstance(body, TransactionBody):
        return _transaction(record, body, holders)
    if isinstance(body, NoticeBody):
        return _notice(record, body)
    return None  # firearm, biometric, case: FtM has no schema for them


def records_to_entities(
    records: Iterable[Record], stats: ExportStats | None = None
) -> Iterator[EntityProxy]:
    """The FtM entities for `records`: one per record plus Ownership/Directorship links.

    A transaction names its accounts' holders as payer and beneficiary; one whose accounts have
    not come by yet is held back to the end of the stream, so that they have.
    """
    stats = stats if stats is not None else ExportStats()
    holders: dict[str, list[str]] = {}
    deferred: list[Record] = []

    def emit(record: Record) -> Iterator[EntityProxy]:
        entities = _entities(record, holders)
        if entities is None:
            stats.skipped[record.kind.value] += 1
            return
        stats.entities += len(entities)
        yield from entities

    for record in records:
        stats.records += 1
        body = record.body
        if isinstance(body, AccountBody):
            holders[record.id] = list(body.holder_ids)
        if isinstance(body, TransactionBody) and not (
            body.from_account_id in holders and body.to_account_id in holders
        ):
            deferred.append(record)
            continue
        yield from emit(record)
    for record in deferred:
        yield from emit(record)


def write_ftm(records: Iterable[Record], out: IO[bytes]) -> ExportStats:
    """Write `records` to `out` as an FtM JSON Lines entity stream."""
    stats = ExportStats()
    for entity in records_to_entities(records, stats):
        out.write(orjson.dumps(entity.to_dict(), option=orjson.OPT_APPEND_NEWLINE))
    return stats


# --- entities -> drafts ----------------------------------------------------------------------


class _EntityError(Exception):
    """A problem with one entity; becomes a `FormatError` naming file, line and entity."""


def _kind_of(schema: Schema) -> RecordKind | None:
    if schema.is_a("Person"):
        return RecordKind.PERSON
    if schema.is_a("Organization") or schema.name == "LegalEntity":
        return RecordKind.ORGANISATION
    if schema.is_a("Identification"):
        return RecordKind.DOCUMENT
    if schema.is_a("Vehicle"):
        return RecordKind.VEHICLE
    if schema.is_a("BankAccount"):
        return RecordKind.ACCOUNT
    if schema.is_a("Payment"):
        return RecordKind.TRANSACTION
    return None


def iban_valid(value: str) -> bool:
    """Whether `value` (no spaces, upper case) is an IBAN with a correct ISO 7064 checksum."""
    if not _IBAN.match(value):
        return False
    digits = "".join(str(int(char, 36)) for char in value[4:] + value[:4])
    return int(digits) % 97 == 1


def _valid(schema: Schema, prop: str, value: str) -> bool:
    ftm_prop = schema.properties[prop]
    if prop == "iban":
        return iban_valid(value)
    return bool(ftm_prop.type.validate(value))


def _raw_values(data: dict[str, Any], prop: str) -> list[str]:
    properties = data.get("properties") or {}
    raw = properties.get(prop)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(value, str) for value in raw):
        raise _EntityError(f"property {prop}: expected a list of strings, got {json_type(raw)}")
    return [value.strip() for value in raw if value.strip()]


@dataclass
class _Indexed:
    schema: Schema | None  # None: a schema this FtM version does not know
    line: int


@dataclass
class _Index:
    """What the first pass learns: every id in the file, and the link entities' effects."""

    entities: dict[str, _Indexed] = field(default_factory=dict)
    owners: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    directors: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sanctions: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    addresses: dict[str, dict[str, str | None]] = field(default_factory=dict)
    # (line, entity id, property, target) of links made by link entities; checked after pass 1
    pending: list[tuple[int, str, str, str]] = field(default_factory=list)

    def kind(self, ftm_id: str) -> RecordKind | None:
        indexed = self.entities.get(ftm_id)
        if indexed is None or indexed.schema is None:
            return None
        return _kind_of(indexed.schema)


class _Entity:
    """One input entity, read property by property with every value checked."""

    def __init__(self, data: dict[str, Any], schema: Schema, index: _Index) -> None:
        self.data = data
        self.id: str = data["id"]
        self.schema = schema
        self.index = index

    def values(self, prop: str) -> list[str]:
        if prop not in self.schema.properties:
            return []
        found: list[str] = []
        for value in _raw_values(self.data, prop):
            if prop == "iban":
                value = value.replace(" ", "").upper()
            if not _valid(self.schema, prop, value):
                type_name = "IBAN" if prop == "iban" else self.schema.properties[prop].type.name
                raise _EntityError(f"property {prop}: invalid {type_name} {value!r}")
            if value not in found:
                found.append(value)
        return found

    def first(self, prop: str) -> str | None:
        values = self.values(prop)
        return values[0] if values else None

    def require(self, prop: str) -> list[str]:
        values = self.values(prop)
        if not values:
            raise _EntityError(f"property {prop}: required for a {self.schema.name}")
        return values

    def links(self, prop: str, *kinds: RecordKind) -> list[str]:
        """Draft ids of the entities `prop` points to that become records of `kinds`."""
        found: list[str] = []
        for target in self.values(prop):
            if target not in self.index.entities:
                raise _EntityError(f"property {prop}: entity {target!r} is not in the file")
            if self.index.kind(target) in kinds:
                found.append(draft_id(target))
        return found

    def countries(self, *props: str) -> tuple[list[str], list[str]]:
        """(alpha-3 codes, notes lines for FtM codes we have no country for)."""
        codes: list[str] = []
        notes: list[str] = []
        for prop in props:
            for value in self.values(prop):
                alpha3 = _our_country(value)
                if alpha3 is None:
                    notes.append(f"Country ({prop}): {value}")
                elif alpha3 not in codes:
                    codes.append(alpha3)
        return codes, notes

    def identifiers(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        for prop in self.schema.properties.values():
            if prop.type is registry.identifier and prop.name not in _SKIPPED_IDENTIFIERS:
                found.extend({"scheme": prop.name, "value": v} for v in self.values(prop.name))
        return found

    def addresses(self) -> list[dict[str, str | None]]:
        found: list[dict[str, str | None]] = [{"full": v} for v in self.values("address")]
        for target in self.values("addressEntity"):
            if target not in self.index.entities:
                raise _EntityError(f"property addressEntity: entity {target!r} is not in the file")
            if target in self.index.addresses:
                found.append(self.index.addresses[target])
        return found

    def texts(self, *props: str) -> list[str]:
        return [value for prop in props for value in self.values(prop)]


def _split_notes(
    texts: Iterable[str], keys: Iterable[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Pull ``Key: value`` lines with known `keys` out of notes; return (fields, other lines)."""
    wanted = set(keys)
    fields: defaultdict[str, list[str]] = defaultdict(list)
    rest: list[str] = []
    for text in texts:
        for line in text.splitlines():
            found = _NOTE_LINE.match(line.strip())
            if found is not None and found.group(1) in wanted:
                fields[found.group(1)].append(found.group(2).strip())
            elif line.strip():
                rest.append(line)
    return dict(fields), rest


def _note(fields: dict[str, list[str]], key: str) -> str | None:
    values = fields.get(key)
    return values[0] if values else None


def _noted_countries(fields: dict[str, list[str]], key: str, rest: list[str]) -> list[str]:
    """Alpha-3 codes the exporter wrote as ``Key: XXA`` lines; lines naming none stay in `rest`."""
    found: list[str] = []
    for value in fields.get(key, []):
        alpha3 = try_alpha3(value)
        if alpha3 is None:
            rest.append(f"{key}: {value}")
        elif alpha3 not in found:
            found.append(alpha3)
    return found


def _names_in(e: _Entity) -> list[dict[str, Any]]:
    e.require("name")
    names: list[dict[str, Any]] = []
    for kind, prop in _NAME_PROPS.items():
        names.extend({"full": value, "kind": kind} for value in e.values(prop))
    return names


def _person_body(e: _Entity) -> dict[str, Any]:
    names = _names_in(e)
    primary = [name for name in names if name["kind"] == AliasKind.PRIMARY]
    given, family = e.values("firstName"), e.values("lastName")
    if len(primary) == 1 and len(given) <= 1 and len(family) <= 1:
        primary[0]["given"] = given[0] if given else None
        primary[0]["family"] = family[0] if family else None
    keys = ["Nationality", "Birth date", "Birth country"]
    notes, other = _split_notes(e.texts("notes"), keys)
    nationalities, country_notes = e.countries("nationality", "citizenship")
    nationalities.extend(_noted_countries(notes, "Nationality", other))
    places: list[dict[str, str | None]] = [{"place": v} for v in e.values("birthPlace")]
    birth_countries, birth_notes = e.countries("birthCountry")
    birth_countries.extend(_noted_countries(notes, "Birth country", other))
    if len(places) == 1 and len(birth_countries) == 1:
        places[0]["country"] = birth_countries[0]
    else:
        places.extend({"country": code} for code in birth_countries)
    gender = e.first("gender")
    remarks = [*other, *e.texts("summary", "description"), *country_notes, *birth_notes]
    return {
        "names": names,
        "birth_dates": _birth_dates(e.values("birthDate"), notes.get("Birth date", [])),
        "birth_places": places,
        "nationalities": nationalities,
        "gender": gender or Gender.UNKNOWN,
        "identifiers": e.identifiers(),
        "addresses": e.addresses(),
        "remarks": _remarks(e, remarks),
    }


_BIRTH_NOTE = re.compile(
    r"^(circa )?(?:between (\S+) and (\S+)|not before (\S+)|not after (\S+)|(\S+))$"
)


def _birth_dates(values: list[str], notes: list[str]) -> list[dict[str, Any]]:
    """Birth dates, with the ranges and "circa" that the exporter wrote as notes restored."""
    dates: dict[str, dict[str, Any]] = {value[:10]: {"date": value[:10]} for value in values}
    ranges: list[dict[str, Any]] = []
    for note in notes:
        found = _BIRTH_NOTE.match(note)
        if found is None:
            continue
        circa, earliest, latest, after, before, single = found.groups()
        earliest, latest = earliest or after, latest or before
        if single is not None:
            if single in dates:
                dates[single]["circa"] = bool(circa)
            continue
        bounds = {bound for bound in (earliest, latest) if bound is not None}
        if bounds and all(bound in dates for bound in bounds):
            for bound in bounds:
                del dates[bound]
            ranges.append({"earliest": earliest, "latest": latest, "circa": bool(circa)})
    return [*dates.values(), *ranges]


def _remarks(e: _Entity, lines: list[str]) -> str | None:
    topics = e.values("topics")
    if topics:
        lines.append("Topics: " + ", ".join(topics))
    lines.extend(e.index.sanctions.get(e.id, []))
    return "\n".join(lines) or None


def _organisation_body(e: _Entity) -> dict[str, Any]:
    default = OrganisationKind.COMPANY if e.schema.is_a("Company") else OrganisationKind.OTHER
    kind = _enum(OrganisationKind, e.first("classification"), default)
    countries, country_notes = e.countries("country", "jurisdiction", "mainCountry")
    notes, remarks = _split_notes(e.texts("notes", "summary", "description"), ["Country"])
    countries.extend(c for c in _noted_countries(notes, "Country", remarks) if c not in countries)
    directors = [
        draft_id(director)
        for director in e.index.directors.get(e.id, [])
        if e.index.kind(director) in (RecordKind.PERSON, RecordKind.ORGANISATION)
    ]
    return {
        "names": _names_in(e),
        "organisation_kind": kind,
        "countries": countries,
        "registration_numbers": e.identifiers(),
        "addresses": e.addresses(),
        "director_ids": directors,
        "remarks": _remarks(e, [*remarks, *country_notes]),
    }


_E = TypeVar("_E", bound=StrEnum)
_DOCUMENT_TYPES = frozenset(member.value for member in DocumentType)


def _enum(cls: type[_E], value: str | None, default: _E) -> _E:
    """The member of `cls` named by `value`, else `default`."""
    try:
        return cls(value) if value is not None else default
    except ValueError:
        return default


def _document_type(schema: Schema, types: list[str]) -> DocumentType | None:
    for value in types:
        if value in _DOCUMENT_TYPES:
            return DocumentType(value)
    if schema.name == "Passport":
        return DocumentType.PASSPORT
    text = " ".join(types).lower()
    for needle, document_type in (
        ("passport", DocumentType.PASSPORT),
        ("driv", DocumentType.DRIVING_LICENCE),
        ("residen", DocumentType.RESIDENCE_PERMIT),
        ("visa", DocumentType.VISA),
        ("travel", DocumentType.TRAVEL_DOCUMENT),
        ("card", DocumentType.ID_CARD),
        ("national", DocumentType.NATIONAL_ID),
    ):
        if needle in text:
            return document_type
    return None


def _document_body(e: _Entity) -> dict[str, Any]:
    number = e.require("number")[0]
    types = e.values("type")
    document_type = _document_type(e.schema, types)
    fields, summary = _split_notes(e.texts("summary"), ["Status"])
    status_text = _note(fields, "Status")
    status = _enum(DocumentStatus, status_text, DocumentStatus.VALID)
    if status_text is not None and status.value != status_text:
        summary.append(f"Status: {status_text}")
    notes, remarks = _split_notes(e.texts("description"), ["Issuing country"])
    remarks.extend([*summary, *e.texts("notes")])
    if document_type is None:
        remarks.append("Type: " + ", ".join(types))
    countries, country_notes = e.countries("country")
    countries.extend(_noted_countries(notes, "Issuing country", remarks))
    persons = e.links("holder", RecordKind.PERSON)
    others = e.links("holder", RecordKind.ORGANISATION)
    remarks.extend(f"Holder: {holder}" for holder in others)
    names = e.values("namesMentioned")
    return {
        "document_type": document_type or DocumentType.OTHER,
        "number": number,
        "issuing_country": countries[0] if countries else None,
        "issued": _date_part(e.first("startDate")),
        "expires": _date_part(e.first("endDate")),
        "status": status,
        "holder_name": names[0] if names else None,
        "person_id": persons[0] if persons else None,
        "remarks": "\n".join([*remarks, *country_notes]) or None,
    }


def _date_part(value: str | None) -> str | None:
    return value[:10] if value else None


def _vehicle_body(e: _Entity) -> dict[str, Any]:
    if e.schema.is_a("Vessel"):
        vehicle_type = "vessel"
    elif e.schema.is_a("Airplane"):
        vehicle_type = "aircraft"
    else:
        types = e.values("type")
        vehicle_type = types[0].lower() if types else "car"
    fields, rest = _split_notes(e.texts("notes"), ["VIN", "Make", "Colour", "Status", "Country"])
    identifiers = e.identifiers()
    plates: list[str] = []
    if vehicle_type not in ("vessel", "aircraft"):  # a road vehicle's registration is its plate
        plates = e.values("registrationNumber")[:1]
        identifiers = [i for i in identifiers if i["value"] not in plates]
    countries, _ = e.countries("flag", "country")
    countries.extend(_noted_countries(fields, "Country", rest))
    owners = e.links("owner", RecordKind.PERSON, RecordKind.ORGANISATION)
    owners.extend(
        draft_id(owner)
        for owner in e.index.owners.get(e.id, [])
        if e.index.kind(owner) in (RecordKind.PERSON, RecordKind.ORGANISATION)
    )
    build = e.first("buildDate")
    status = _enum(VehicleStatus, _note(fields, "Status"), VehicleStatus.REGISTERED)
    return {
        "vehicle_type": vehicle_type,
        "name": e.first("name"),
        "identifiers": identifiers,
        "vin": _note(fields, "VIN"),
        "plate": plates[0] if plates else None,
        "plate_country": countries[0] if countries else None,
        "make": e.first("manufacturer") or _note(fields, "Make"),
        "model": e.first("model"),
        "colour": _note(fields, "Colour"),
        "year": int(build[:4]) if build else None,
        "status": status,
        "owner_id": owners[0] if owners else None,
    }


def _account_body(e: _Entity) -> dict[str, Any]:
    countries, _ = e.countries("country")
    notes, rest = _split_notes(e.texts("notes"), ["Country"])
    countries.extend(_noted_countries(notes, "Country", rest))
    currency = e.first("currency")
    holders = [
        draft_id(owner)
        for owner in e.index.owners.get(e.id, [])
        if e.index.kind(owner) in (RecordKind.PERSON, RecordKind.ORGANISATION)
    ]
    return {
        "iban": e.first("iban"),
        "bic": e.first("bic"),
        "number": e.first("accountNumber"),
        "institution": e.first("bankName"),
        "country": countries[0] if countries else None,
        "currency": currency.upper() if currency else None,
        "holder_ids": holders,
    }


def _payment_time(value: str | None) -> datetime | None:
    """A datetime (UTC, as FtM keeps dates) for an FtM date; partial dates start the period."""
    if value is None:
        return None
    if len(value) == 4:
        value += "-01-01"
    elif len(value) == 7:
        value += "-01"
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _payment_body(e: _Entity) -> dict[str, Any] | None:
    payers = e.links("payerAccount", RecordKind.ACCOUNT)
    beneficiaries = e.links("beneficiaryAccount", RecordKind.ACCOUNT)
    if not (payers and beneficiaries):
        return None
    fields, _ = _split_notes(e.texts("description"), ["Channel", "From country", "To country"])
    amount = e.first("amount")
    currency = e.first("currency")
    reference = e.first("purpose") or e.first("transactionNumber")
    return {
        "from_account_id": payers[0],
        "to_account_id": beneficiaries[0],
        "amount": registry.number.to_number(amount) if amount else None,
        "currency": currency.upper() if currency else None,
        "time": _payment_time(e.first("date") or e.first("startDate")),
        "channel": _note(fields, "Channel"),
        "from_country": _note(fields, "From country"),
        "to_country": _note(fields, "To country"),
        "reference": reference,
    }


_NO_ACCOUNTS = "Payment without payerAccount and beneficiaryAccount"


def _draft(e: _Entity, kind: RecordKind) -> RecordDraft | None:
    """The draft for a converted entity; ``None`` for a Payment between legal entities only."""
    if kind == RecordKind.PERSON:
        data = _person_body(e)
    elif kind == RecordKind.ORGANISATION:
        data = _organisation_body(e)
    elif kind == RecordKind.DOCUMENT:
        data = _document_body(e)
    elif kind == RecordKind.VEHICLE:
        data = _vehicle_body(e)
    elif kind == RecordKind.ACCOUNT:
        data = _account_body(e)
    else:
        payment = _payment_body(e)
        if payment is None:
            return None
        data = payment
    data = {key: value for key, value in data.items() if value is not None}
    try:
        body = parse_body(kind, data)
    except ValidationError as exc:
        raise _EntityError(describe_validation_error(exc, prefix="body")) from None
    datasets = e.data.get("datasets")
    dataset = DEFAULT_DATASET
    if isinstance(datasets, list) and datasets and isinstance(datasets[0], str) and datasets[0]:
        dataset = datasets[0]
    try:
        source = Source(dataset=dataset, source_id=e.id)
    except ValidationError as exc:
        raise _EntityError(describe_validation_error(exc, prefix="datasets")) from None
    return RecordDraft(kind=kind, body=body, source=source, id=draft_id(e.id))


def _where(number: int, ftm_id: str | None) -> str:
    return f"line {number} (entity {ftm_id})" if ftm_id else f"line {number}"


def _envelope(data: Any, path: Path, number: int) -> tuple[str, Schema | None]:
    """Check the id and schema of a decoded line: (entity id, schema or None if unknown)."""
    if not isinstance(data, dict):
        raise FormatError(path, f"line {number}", f"expected a JSON object, got {json_type(data)}")
    ftm_id = data.get("id")
    if not isinstance(ftm_id, str) or not registry.entity.validate(ftm_id):
        problem = f"id: expected an FtM entity id, got {ftm_id!r}"
        raise FormatError(path, f"line {number}", problem)
    schema_name = data.get("schema")
    if not isinstance(schema_name, str):
        raise FormatError(path, _where(number, ftm_id), "schema: expected a schema name")
    properties = data.get("properties", {})
    if not isinstance(properties, dict):
        problem = f"properties: expected a JSON object, got {json_type(properties)}"
        raise FormatError(path, _where(number, ftm_id), problem)
    return ftm_id, model.get(schema_name)


def _index_links(index: _Index, e: _Entity, number: int, stats: ImportStats) -> None:
    """Record what a link entity (Ownership, Directorship, Sanction, Address) adds to others."""
    schema = e.schema
    if schema.is_a("Ownership"):
        pairs = [("asset", "owner")]
        target = index.owners
    elif schema.is_a("Directorship"):
        pairs = [("organization", "director")]
        target = index.directors
    elif schema.is_a("Sanction"):
        text = "Sanction: " + "; ".join(
            part
            for part in (
                ", ".join(e.texts("authority")),
                ", ".join(e.texts("program")),
                ", ".join(e.texts("reason")),
            )
            if part
        )
        for subject in e.values("entity"):
            index.pending.append((number, e.id, "entity", subject))
            index.sanctions[subject].append(text)
        stats.folded[schema.name] += 1
        return
    elif schema.is_a("Address"):
        countries, _ = e.countries("country")
        parts = [*e.texts("street"), *e.texts("postalCode"), *e.texts("city")]
        full = e.first("full") or ", ".join(parts) or e.first("name")
        if full:
            index.addresses[e.id] = {
                "full": full,
                "city": e.first("city"),
                "country": countries[0] if countries else None,
            }
        stats.folded[schema.name] += 1
        return
    else:
        stats.skipped[schema.name] += 1
        return
    for key_prop, value_prop in pairs:
        for key in e.values(key_prop):
            index.pending.append((number, e.id, key_prop, key))
            for value in e.values(value_prop):
                index.pending.append((number, e.id, value_prop, value))
                target[key].append(value)
    stats.folded[schema.name] += 1


def _first_pass(path: Path, stats: ImportStats) -> _Index:
    index = _Index()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            data = decode_json_line(raw, path, number)
            ftm_id, schema = _envelope(data, path, number)
            stats.entities += 1
            if ftm_id in index.entities:
                first = index.entities[ftm_id].line
                problem = (
                    f"duplicate entity id (first on line {first}); "
                    "merge fragments first, e.g. with `ftm aggregate`"
                )
                raise FormatError(path, _where(number, ftm_id), problem)
            index.entities[ftm_id] = _Indexed(schema=schema, line=number)
            if schema is None:
                stats.skipped[f"unknown schema {data['schema']}"] += 1
            elif _kind_of(schema) is None:
                try:
                    _index_links(index, _Entity(data, schema, index), number, stats)
                except _EntityError as exc:
                    raise FormatError(path, _where(number, ftm_id), str(exc)) from None
    for number, ftm_id, prop, target in index.pending:
        if target not in index.entities:
            problem = f"property {prop}: entity {target!r} is not in the file"
            raise FormatError(path, _where(number, ftm_id), problem)
    return index


def iter_ftm(path: Path, stats: ImportStats | None = None) -> Iterator[OwnedDraft]:
    """Stream the drafts of an FtM JSON Lines entity file (OpenSanctions, Aleph exports).

    Entities of schemata we have no record kind for are counted in `stats` and skipped; so are
    Payments that name only legal entities, not accounts (our transactions link accounts).
    """
    stats = stats if stats is not None else ImportStats()
    index = _first_pass(path, stats)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            data = decode_json_line(raw, path, number)
            ftm_id, schema = _envelope(data, path, number)
            kind = _kind_of(schema) if schema is not None else None
            if schema is None or kind is None:
                continue
            try:
                draft = _draft(_Entity(data, schema, index), kind)
            except _EntityError as exc:
                raise FormatError(path, _where(number, ftm_id), str(exc)) from None
            if draft is None:
                stats.skipped[_NO_ACCOUNTS] += 1
                continue
            stats.drafts += 1
            yield OwnedDraft(line=number, owner=None, draft=draft)
