"""Records owned by agencies: one governed envelope around a typed body per record kind.

The envelope (`Record`) carries what governance needs — owner, handling code, evaluation,
dissemination, purposes, retention, version. The body is the content that access policy may
withhold. Bodies validate their own values (countries to alpha-3, partial dates, scripts), so
an importer or an API request with bad values fails with a field-level message before anything
is stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from borderless.domain.codes import (
    Accuracy,
    AliasKind,
    CaseStatus,
    Dissemination,
    DocumentStatus,
    DocumentType,
    FirearmStatus,
    Gender,
    HandlingCode,
    Modality,
    NoticeKind,
    NoticeStatus,
    OrganisationKind,
    Purpose,
    RecordKind,
    Reliability,
    VehicleStatus,
)
from borderless.normalize.countries import to_alpha3
from borderless.normalize.dates import parse_partial_date
from borderless.normalize.scripts import detect_script

Country = Annotated[str, AfterValidator(to_alpha3)]
PartialDate = Annotated[str, AfterValidator(parse_partial_date)]
RecordId = Annotated[str, Field(min_length=1, max_length=128)]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


# --- pieces of bodies ------------------------------------------------------------------------


class Name(_Value):
    """One name of a person or organisation, in the script it was written in."""

    full: str = Field(min_length=1, max_length=500)
    given: str | None = None
    family: str | None = None
    kind: AliasKind = AliasKind.PRIMARY
    script: str | None = None  # ISO 15924; detected when not given
    lang: str | None = None

    @model_validator(mode="after")
    def _detect_script(self) -> Name:
        if self.script is None:
            object.__setattr__(self, "script", detect_script(self.full))
        return self


class BirthDate(_Value):
    """An exact or partial date of birth (``date``), or a range (``earliest``..``latest``)."""

    date: PartialDate | None = None
    earliest: PartialDate | None = None
    latest: PartialDate | None = None
    circa: bool = False  # "approximately" in the UN list

    @model_validator(mode="after")
    def _one_form(self) -> BirthDate:
        if self.date is None and self.earliest is None and self.latest is None:
            raise ValueError("a birth date needs 'date' or 'earliest'/'latest'")
        if self.date is not None and (self.earliest or self.latest):
            raise ValueError("give either 'date' or a range, not both")
        return self


class Place(_Value):
    place: str | None = None
    country: Country | None = None


class Identifier(_Value):
    """A number that identifies a subject: national id, tax number, registration number, ..."""

    scheme: str = Field(min_length=1, max_length=100)
    value: str = Field(min_length=1, max_length=200)
    country: Country | None = None


class Address(_Value):
    full: str = Field(min_length=1, max_length=1000)
    city: str | None = None
    country: Country | None = None


# --- bodies ----------------------------------------------------------------------------------


class _Body(_Value):
    kind: ClassVar[RecordKind]
    link_fields: ClassVar[tuple[str, ...]] = ()

    def label(self) -> str:
        """A short display text: a name, a number, a title."""
        raise NotImplementedError

    def links(self) -> list[tuple[str, str]]:
        """(role, record id) pairs of the records this body refers to."""
        found: list[tuple[str, str]] = []
        for field_name in self.link_fields:
            value = getattr(self, field_name)
            if isinstance(value, str):
                found.append((field_name, value))
            elif isinstance(value, list):
                found.extend((field_name, item) for item in value)
        return found


class PersonBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.PERSON
    names: list[Name] = Field(min_length=1)
    birth_dates: list[BirthDate] = []
    birth_places: list[Place] = []
    nationalities: list[Country] = []
    gender: Gender = Gender.UNKNOWN
    identifiers: list[Identifier] = []
    addresses: list[Address] = []
    # Known phone numbers and e-mail addresses: screening finds bookings that give them.
    phones: list[Annotated[str, Field(min_length=1, max_length=50)]] = []
    emails: list[Annotated[str, Field(min_length=3, max_length=254)]] = []
    remarks: str | None = None

    def label(self) -> str:
        primary = [n for n in self.names if n.kind == AliasKind.PRIMARY]
        return (primary or self.names)[0].full


class DocumentBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.DOCUMENT
    link_fields: ClassVar[tuple[str, ...]] = ("person_id",)
    document_type: DocumentType = DocumentType.PASSPORT
    number: str = Field(min_length=1, max_length=100)
    issuing_country: Country | None = None
    issued: PartialDate | None = None
    expires: PartialDate | None = None
    status: DocumentStatus = DocumentStatus.VALID
    holder_name: str | None = None
    person_id: RecordId | None = None
    remarks: str | None = None

    def label(self) -> str:
        return f"{self.document_type.value} {self.number} ({self.issuing_country or '?'})"


class VehicleBody(_Body):
    """A road vehicle, or a vessel or aircraft (``vehicle_type``) known by name and identifiers."""

    kind: ClassVar[RecordKind] = RecordKind.VEHICLE
    link_fields: ClassVar[tuple[str, ...]] = ("owner_id",)
    vehicle_type: str = "car"  # car, truck, motorcycle, vessel, aircraft, ...
    name: str | None = None  # vessels and aircraft
    identifiers: list[Identifier] = []  # IMO number, MMSI, call sign, aircraft registration
    vin: str | None = Field(default=None, max_length=32)
    plate: str | None = Field(default=None, max_length=32)
    plate_country: Country | None = None
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    year: int | None = None
    status: VehicleStatus = VehicleStatus.REGISTERED
    owner_id: RecordId | None = None
    remarks: str | None = None

    @model_validator(mode="after")
    def _identified(self) -> VehicleBody:
        if not (self.vin or self.plate or self.name or self.identifiers):
            raise ValueError("a vehicle needs a VIN, a plate, a name or an identifier")
        return self

    def label(self) -> str:
        if self.vin:
            return self.vin
        if self.plate:
            return f"{self.plate} ({self.plate_country or '?'})"
        return self.name or self.identifiers[0].value


class FirearmBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.FIREARM
    link_fields: ClassVar[tuple[str, ...]] = ("holder_id",)
    make: str | None = None
    model: str | None = None
    serial_number: str = Field(min_length=1, max_length=100)
    calibre: str | None = None
    firearm_type: str | None = None
    status: FirearmStatus = FirearmStatus.REGISTERED
    holder_id: RecordId | None = None
    remarks: str | None = None

    def label(self) -> str:
        return f"{self.make or ''} {self.serial_number}".strip()


class BiometricBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.BIOMETRIC
    link_fields: ClassVar[tuple[str, ...]] = ("person_id",)
    modality: Modality
    algorithm: str = Field(min_length=1, max_length=100)
    vector: list[float] = Field(min_length=8, max_length=4096)
    person_id: RecordId | None = None

    def label(self) -> str:
        return f"{self.modality.value} template ({self.algorithm}, {len(self.vector)}-d)"


class OrganisationBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.ORGANISATION
    link_fields: ClassVar[tuple[str, ...]] = ("director_ids",)
    names: list[Name] = Field(min_length=1)
    organisation_kind: OrganisationKind = OrganisationKind.COMPANY
    countries: list[Country] = []
    registration_numbers: list[Identifier] = []
    addresses: list[Address] = []
    director_ids: list[RecordId] = []
    remarks: str | None = None

    def label(self) -> str:
        primary = [n for n in self.names if n.kind == AliasKind.PRIMARY]
        return (primary or self.names)[0].full


class AccountBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.ACCOUNT
    link_fields: ClassVar[tuple[str, ...]] = ("holder_ids",)
    iban: str | None = Field(default=None, max_length=34)
    bic: str | None = Field(default=None, max_length=11)
    number: str | None = Field(default=None, max_length=64)
    institution: str | None = None
    country: Country | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    holder_ids: list[RecordId] = []
    remarks: str | None = None

    @model_validator(mode="after")
    def _identified(self) -> AccountBody:
        if not (self.iban or self.number):
            raise ValueError("an account needs an IBAN or an account number")
        return self

    def label(self) -> str:
        return self.iban or f"{self.number} @ {self.institution or self.bic or '?'}"


class TransactionBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.TRANSACTION
    link_fields: ClassVar[tuple[str, ...]] = ("from_account_id", "to_account_id")
    from_account_id: RecordId
    to_account_id: RecordId
    amount: float = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)
    time: datetime
    channel: str | None = None  # wire, cash, card, crypto, hawala, ...
    from_country: Country | None = None
    to_country: Country | None = None
    reference: str | None = None

    def label(self) -> str:
        return f"{self.amount:.2f} {self.currency} {self.time:%Y-%m-%d}"


class NoticeBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.NOTICE
    link_fields: ClassVar[tuple[str, ...]] = ("subject_id",)
    notice_kind: NoticeKind
    subject_id: RecordId | None = None
    subject_name: str | None = None
    requested_action: str = Field(min_length=1, max_length=2000)
    status: NoticeStatus = NoticeStatus.DRAFT
    offences: list[str] = []
    legal_basis: str | None = None

    def label(self) -> str:
        return f"{self.notice_kind.value} notice: {self.subject_name or self.subject_id or '?'}"


class CaseBody(_Body):
    kind: ClassVar[RecordKind] = RecordKind.CASE
    link_fields: ClassVar[tuple[str, ...]] = ("linked_ids",)
    title: str = Field(min_length=1, max_length=500)
    participants: list[str] = []  # agency codes taking part besides the owner
    linked_ids: list[RecordId] = []
    status: CaseStatus = CaseStatus.OPEN
    summary: str | None = None

    def label(self) -> str:
        return self.title


RecordBody = (
    PersonBody
    | DocumentBody
    | VehicleBody
    | FirearmBody
    | BiometricBody
    | OrganisationBody
    | AccountBody
    | TransactionBody
    | NoticeBody
    | CaseBody
)

BODY_TYPES: dict[RecordKind, type[_Body]] = {
    cls.kind: cls
    for cls in (
        PersonBody,
        DocumentBody,
        VehicleBody,
        FirearmBody,
        BiometricBody,
        OrganisationBody,
        AccountBody,
        TransactionBody,
        NoticeBody,
        CaseBody,
    )
}


def parse_body(kind: RecordKind, data: dict[str, Any] | BaseModel) -> RecordBody:
    """Validate `data` as the body of a record of `kind`."""
    model = BODY_TYPES[kind]
    if isinstance(data, model):
        return data  # type: ignore[return-value]
    if isinstance(data, BaseModel):
        data = data.model_dump()
    return model.model_validate(data)  # type: ignore[return-value]


# --- the governed envelope -------------------------------------------------------------------


class Governance(_Value):
    """Who may see a record, for what, and for how long — set by its owner."""

    handling: HandlingCode = HandlingCode.H0
    handling_note: str | None = Field(default=None, max_length=2000)
    reliability: Reliability = Reliability.X
    accuracy: Accuracy = Accuracy.CANNOT_BE_JUDGED
    dissemination: Dissemination = Dissemination.ALL_MEMBERS
    share_countries: list[Country] = []
    share_agencies: list[str] = []
    purposes: list[Purpose] = []  # empty: any purpose on the fixed list
    retention_until: date | None = None  # None: the default for the record's kind

    @model_validator(mode="after")
    def _consistent(self) -> Governance:
        if self.handling == HandlingCode.H3 and not self.handling_note:
            raise ValueError("handling code H3 needs a handling_note stating the restriction")
        if self.dissemination == Dissemination.LISTED and not (
            self.share_countries or self.share_agencies
        ):
            raise ValueError("dissemination 'listed' needs share_countries or share_agencies")
        return self


class Source(_Value):
    """Where an imported record came from; shown in every output."""

    dataset: str = Field(min_length=1, max_length=100)  # e.g. "un-sc", "ofac-sdn"
    source_id: str = Field(min_length=1, max_length=200)  # e.g. "QDi.001", OFAC ent_num
    version: str | None = None


class RecordDraft(_Value):
    """What a caller or importer submits: content and governance, without stored metadata."""

    kind: RecordKind
    body: RecordBody
    governance: Governance = Governance()
    source: Source | None = None
    id: RecordId | None = None  # callers may choose ids (imports, demo world)

    @model_validator(mode="before")
    @classmethod
    def _typed_body(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" in data and "body" in data:
            data = dict(data)
            data["body"] = parse_body(RecordKind(data["kind"]), data["body"])
        return data

    @model_validator(mode="after")
    def _kind_matches(self) -> RecordDraft:
        if self.body.kind != self.kind:
            raise ValueError(f"body is a {self.body.kind.value}, record kind is {self.kind.value}")
        return self

    @model_validator(mode="after")
    def _unpublished_notice_stays_with_reviewers(self) -> RecordDraft:
        """Until published, a notice is shared only with the reviewing agencies (by code).

        Publication (services/notices.py) gives it the dissemination its owner asked for.
        """
        body, gov = self.body, self.governance
        unpublished = isinstance(body, NoticeBody) and body.status != NoticeStatus.PUBLISHED
        if unpublished and (gov.dissemination != Dissemination.LISTED or gov.share_countries):
            raise ValueError(
                "a notice that is not published must have dissemination 'listed' with "
                "share_agencies = the reviewing hub agencies and no share_countries; "
                "it gets its requested dissemination when published"
            )
        return self


class Record(RecordDraft):
    """A stored record."""

    id: RecordId
    owner: str  # agency code
    created_at: datetime
    updated_at: datetime
    version: int = 1

    @property
    def label(self) -> str:
        return self.body.label()


def share_targets(record: Record) -> set[str]:
    """Who a 'listed' record or a case is shared with: ``C:<country>`` and ``A:<agency>``."""
    gov = record.governance
    targets = {f"C:{c}" for c in gov.share_countries} | {f"A:{a}" for a in gov.share_agencies}
    if isinstance(record.body, CaseBody):
        targets |= {f"A:{a}" for a in record.body.participants}
    return targets
