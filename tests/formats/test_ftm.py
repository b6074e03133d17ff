"""FollowTheMoney entity streams: export, import of OpenSanctions-style data, and errors."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from borderless.domain.codes import (
    AliasKind,
    DocumentStatus,
    DocumentType,
    Gender,
    Modality,
    NoticeKind,
    NoticeStatus,
    OrganisationKind,
    RecordKind,
    VehicleStatus,
)
from borderless.domain.records import (
    AccountBody,
    Address,
    BiometricBody,
    BirthDate,
    CaseBody,
    DocumentBody,
    FirearmBody,
    Identifier,
    Name,
    NoticeBody,
    OrganisationBody,
    PersonBody,
    Place,
    Record,
    RecordDraft,
    Source,
    TransactionBody,
    VehicleBody,
)
from borderless.errors import FormatError
from borderless.formats.ftm import (
    MAX_DRAFT_ID,
    ImportStats,
    draft_id,
    entity_id,
    iban_valid,
    iter_ftm,
    records_to_entities,
    write_ftm,
)

NOW = datetime(2025, 3, 1, 12, 30, 15, tzinfo=UTC)
PERSON_ID = "QDi.001/person"  # not a valid FtM id: exported as bl-<slug>-<hash>


def _record(record_id: str, body: Any, **extra: Any) -> Record:
    return Record(
        id=record_id,
        kind=body.kind,
        body=body,
        owner="DE-BKA",
        created_at=NOW,
        updated_at=NOW,
        **extra,
    )


PERSON = PersonBody(
    names=[
        Name(full="Ivan PETROV", given="Ivan", family="Petrov"),
        Name(full="Иван Петров", kind=AliasKind.AKA),
        Name(full="Ivan Sidorov", kind=AliasKind.FKA),
        Name(full="The Bear", kind=AliasKind.WEAK),
    ],
    birth_dates=[
        BirthDate(date="1970-05-12"),
        BirthDate(earliest="1960", latest="1962", circa=True),
        BirthDate(date="1971", circa=True),
    ],
    birth_places=[Place(place="Tver", country="RUS")],
    nationalities=["DEU", "XXA", "RKS"],
    gender=Gender.MALE,
    identifiers=[Identifier(scheme="tax", value="DE123456789")],
    addresses=[Address(full="Hauptstr. 1, 10115 Berlin", city="Berlin", country="DEU")],
    remarks="Known to travel under false names.",
)


def _world() -> list[Record]:
    """One of every kind, with the transaction first so that it waits for its accounts."""
    transaction = TransactionBody(
        from_account_id="a-1",
        to_account_id="a-2",
        amount=1250.75,
        currency="EUR",
        time=NOW,
        channel="wire",
        from_country="DEU",
        to_country="ARE",
        reference="INV 2025/17",
    )
    return [
        _record("t-1", transaction),
        _record(PERSON_ID, PERSON, source=Source(dataset="un-sc", source_id="QDi.001")),
        _record(
            "o-1",
            OrganisationBody(
                names=[Name(full="Petrov Trading GmbH"), Name(full="PT", kind=AliasKind.AKA)],
                countries=["DEU"],
                registration_numbers=[Identifier(scheme="registration", value="HRB 1234")],
                director_ids=[PERSON_ID],
            ),
        ),
        _record(
            "o-2",
            OrganisationBody(
                names=[Name(full="Helping Hands")], organisation_kind=OrganisationKind.CHARITY
            ),
        ),
        _record(
            "d-1",
            DocumentBody(
                number="C01X00T47",
                issuing_country="DEU",
                issued="2015-01-02",
                expires="2025-01-01",
                status=DocumentStatus.STOLEN,
                person_id=PERSON_ID,
            ),
        ),
        _record(
            "d-2",
            DocumentBody(
                document_type=DocumentType.ID_CARD, number="L01X00T47", issuing_country="XXA"
            ),
        ),
        _record(
            "v-1",
            VehicleBody(
                vin="WVWZZZ1JZXW000001",
                plate="B-AB 123",
                plate_country="DEU",
                make="Volkswagen",
                model="Golf",
                colour="black",
                year=2019,
                status=VehicleStatus.STOLEN,
                owner_id=PERSON_ID,
            ),
        ),
        _record(
            "v-2",
            VehicleBody(
                vehicle_type="vessel",
                name="SEA STAR",
                identifiers=[Identifier(scheme="IMO", value="9187629")],
                plate_country="PAN",
            ),
        ),
        _record(
            "a-1",
            AccountBody(iban="DE89370400440532013000", bic="COBADEFFXXX", holder_ids=[PERSON_ID]),
        ),
        _record("a-2", AccountBody(number="00123", institution="Gulf Bank", holder_ids=["o-1"])),
        _record(
            "n-1",
            NoticeBody(
                notice_kind=NoticeKind.RED,
                subject_id=PERSON_ID,
                subject_name="Ivan PETROV",
                requested_action="Locate and arrest with a view to extradition",
                status=NoticeStatus.PUBLISHED,
                offences=["fraud"],
            ),
        ),
        _record("f-1", FirearmBody(serial_number="123")),
        _record(
            "b-1",
            BiometricBody(modality=Modality.FACE, algorithm="x", vector=[0.1] * 8),
        ),
        _record("c-1", CaseBody(title="Operation Bear")),
    ]


def _export(records: list[Record], tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    out = io.BytesIO()
    stats = write_ftm(records, out)
    assert stats.records == len(records)
    path = tmp_path / "export.ftm.json"
    path.write_bytes(out.getvalue())
    return path, [orjson.loads(line) for line in out.getvalue().splitlines()]


def _by_id(path: Path, stats: ImportStats | None = None) -> dict[str, RecordDraft]:
    drafts = {item.draft.id or "": item.draft for item in iter_ftm(path, stats)}
    assert "" not in drafts
    return drafts


def _write(tmp_path: Path, entities: list[Any], name: str = "entities.ftm.json") -> Path:
    path = tmp_path / name
    lines = [e if isinstance(e, bytes) else orjson.dumps(e) for e in entities]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _error(path: Path) -> str:
    with pytest.raises(FormatError) as caught:
        list(iter_ftm(path))
    return caught.value.message


# --- export ----------------------------------------------------------------------------------


def test_ids() -> None:
    assert entity_id("p-1") == "p-1"
    assert entity_id("QDi.001") == "QDi.001"
    mapped = entity_id(PERSON_ID)
    assert mapped.startswith("bl-QDi.001-person-")
    assert mapped == entity_id(PERSON_ID)
    assert entity_id("a/b") != entity_id("a-b")
    long = "a" * 60 + "." + "b" * 60
    assert len(draft_id(long)) == MAX_DRAFT_ID
    assert draft_id(long) != draft_id(long[:-1] + "c")
    assert draft_id("NK-abc") == "NK-abc"


def test_iban_checksum() -> None:
    assert iban_valid("DE89370400440532013000")
    assert not iban_valid("DE89370400440532013001")
    assert not iban_valid("DE89")


def test_export_entities(tmp_path: Path) -> None:
    out = io.BytesIO()
    stats = write_ftm(_world(), out)
    assert stats.skipped == {"firearm": 1, "biometric": 1, "case": 1}
    entities = {e["id"]: e for e in map(orjson.loads, out.getvalue().splitlines())}
    assert stats.entities == len(entities)
    person = entities[entity_id(PERSON_ID)]
    assert person["schema"] == "Person"
    assert person["datasets"] == ["un-sc"]
    assert person["referents"] == ["QDi.001"]
    props = person["properties"]
    assert props["name"] == ["Ivan PETROV"]
    assert props["alias"] == ["Иван Петров"]
    assert props["previousName"] == ["Ivan Sidorov"]
    assert props["weakAlias"] == ["The Bear"]
    assert props["nationality"] == ["de", "xk"]  # XXA has no alpha-2: in notes
    assert "Nationality: XXA" in props["notes"][0]
    assert props["birthDate"] == ["1970-05-12", "1960", "1962", "1971"]
    assert props["taxNumber"] == ["DE123456789"]
    assert props["publisher"] == ["DE-BKA"]

    kinds = {e["id"]: e["schema"] for e in entities.values()}
    assert kinds["o-1"] == "Company"
    assert kinds["o-2"] == "Organization"
    assert kinds["d-1"] == "Passport"
    assert kinds["d-2"] == "Identification"
    assert kinds["v-1"] == "Vehicle"
    assert kinds["v-2"] == "Vessel"
    assert kinds["a-1"] == "BankAccount"
    assert kinds["n-1"] == "Sanction"
    assert sorted(kinds.values()).count("Ownership") == 2
    assert sorted(kinds.values()).count("Directorship") == 1
    assert entities["v-2"]["properties"]["imoNumber"] == ["IMO9187629"]  # FtM normalises it

    payment = entities["t-1"]
    assert payment["schema"] == "Payment"
    assert payment["properties"]["payer"] == [entity_id(PERSON_ID)]  # holder of a-1
    assert payment["properties"]["beneficiary"] == ["o-1"]
    assert payment["properties"]["date"] == ["2025-03-01T12:30:15"]
    sanction = entities["n-1"]["properties"]
    assert sanction["entity"] == [entity_id(PERSON_ID)]
    assert sanction["program"] == ["red"]
    assert sanction["reason"] == ["Locate and arrest with a view to extradition"]


def test_records_to_entities_streams() -> None:
    entities = records_to_entities(iter(_world()[1:2]))
    first = next(entities)
    assert first.schema.name == "Person"
    assert list(entities) == []


# --- round trip ------------------------------------------------------------------------------


def test_round_trip(tmp_path: Path) -> None:
    path, _ = _export(_world(), tmp_path)
    stats = ImportStats()
    drafts = _by_id(path, stats)
    person_id = entity_id(PERSON_ID)

    assert stats.skipped == {}
    assert stats.folded == {"Ownership": 2, "Directorship": 1, "Sanction": 1}
    assert set(drafts) == {person_id, "o-1", "o-2", "d-1", "d-2", "v-1", "v-2", "a-1", "a-2", "t-1"}

    person = drafts[person_id]
    assert person.kind == RecordKind.PERSON
    assert person.source == Source(dataset="un-sc", source_id=person_id)
    body = person.body
    assert isinstance(body, PersonBody)
    assert {(n.full, n.kind) for n in body.names} == {(n.full, n.kind) for n in PERSON.names}
    assert body.names[0].given == "Ivan"
    assert body.names[0].family == "Petrov"
    assert set(body.birth_dates) == set(PERSON.birth_dates)
    assert sorted(body.nationalities) == sorted(PERSON.nationalities)
    assert body.birth_places == PERSON.birth_places
    assert body.gender == Gender.MALE
    assert body.identifiers == [Identifier(scheme="taxNumber", value="DE123456789")]
    assert [a.full for a in body.addresses] == ["Hauptstr. 1, 10115 Berlin"]
    assert body.remarks is not None
    assert body.remarks.startswith("Known to travel under false names.")
    assert "Sanction: DE-BKA; red; Locate and arrest" in body.remarks

    organisation = drafts["o-1"].body
    assert isinstance(organisation, OrganisationBody)
    assert organisation.organisation_kind == OrganisationKind.COMPANY
    assert organisation.countries == ["DEU"]
    assert organisation.director_ids == [person_id]
    assert organisation.registration_numbers[0].value == "HRB 1234"
    charity = drafts["o-2"].body
    assert isinstance(charity, OrganisationBody)
    assert charity.organisation_kind == OrganisationKind.CHARITY

    passport = drafts["d-1"].body
    assert isinstance(passport, DocumentBody)
    assert (passport.document_type, passport.number) == (DocumentType.PASSPORT, "C01X00T47")
    assert (passport.issued, passport.expires) == ("2015-01-02", "2025-01-01")
    assert passport.status == DocumentStatus.STOLEN
    assert passport.issuing_country == "DEU"
    assert passport.person_id == person_id
    card = drafts["d-2"].body
    assert isinstance(card, DocumentBody)
    assert card.document_type == DocumentType.ID_CARD
    assert card.issuing_country == "XXA"  # no FtM code: kept as a notes line
    assert card.remarks is None

    car = drafts["v-1"].body
    assert isinstance(car, VehicleBody)
    assert (car.vin, car.plate, car.plate_country) == ("WVWZZZ1JZXW000001", "B-AB 123", "DEU")
    assert (car.make, car.model, car.colour, car.year) == ("Volkswagen", "Golf", "black", 2019)
    assert car.status == VehicleStatus.STOLEN
    assert car.owner_id == person_id
    vessel = drafts["v-2"].body
    assert isinstance(vessel, VehicleBody)
    assert (vessel.vehicle_type, vessel.name, vessel.plate_country) == ("vessel", "SEA STAR", "PAN")
    assert vessel.identifiers == [Identifier(scheme="imoNumber", value="IMO9187629")]

    account = drafts["a-1"].body
    assert isinstance(account, AccountBody)
    assert (account.iban, account.bic) == ("DE89370400440532013000", "COBADEFF")  # FtM drops XXX
    assert account.holder_ids == [person_id]
    other = drafts["a-2"].body
    assert isinstance(other, AccountBody)
    assert (other.number, other.institution, other.holder_ids) == ("00123", "Gulf Bank", ["o-1"])

    payment = drafts["t-1"].body
    assert isinstance(payment, TransactionBody)
    assert (payment.from_account_id, payment.to_account_id) == ("a-1", "a-2")
    assert (payment.amount, payment.currency, payment.time) == (1250.75, "EUR", NOW)
    assert (payment.channel, payment.from_country, payment.to_country) == ("wire", "DEU", "ARE")
    assert payment.reference == "INV 2025/17"


# --- OpenSanctions-style input ---------------------------------------------------------------

OPENSANCTIONS = [
    {
        "id": "NK-bout",
        "schema": "Person",
        "caption": "Viktor Bout",
        "properties": {
            "name": ["Viktor Anatolyevich BOUT"],
            "alias": ["Victor Bout", "Виктор Анатольевич Бут"],
            "weakAlias": ["Boris"],
            "firstName": ["Viktor"],
            "lastName": ["Bout"],
            "birthDate": ["1967-01-13"],
            "birthPlace": ["Dushanbe"],
            "nationality": ["ru", "suhh"],
            "gender": ["male"],
            "passportNumber": ["21N0510015"],
            "addressEntity": ["addr-moscow"],
            "topics": ["sanction", "crime"],
            "notes": ["Arms dealer."],
            "sourceUrl": ["https://sanctionssearch.ofac.treas.gov/"],
        },
        "referents": ["ofac-9823"],
        "datasets": ["us_ofac_sdn"],
        "first_seen": "2023-01-01T00:00:00",
        "last_seen": "2025-01-01T00:00:00",
        "target": True,
    },
    {
        "id": "addr-moscow",
        "schema": "Address",
        "properties": {"full": ["Moscow, Russia"], "city": ["Moscow"], "country": ["ru"]},
        "datasets": ["us_ofac_sdn"],
    },
    {
        "id": "ofac-sanc-9823",
        "schema": "Sanction",
        "properties": {
            "entity": ["NK-bout"],
            "authority": ["Office of Foreign Assets Control"],
            "program": ["SDGT"],
            "listingDate": ["2004-07-22"],
        },
        "datasets": ["us_ofac_sdn"],
    },
    {
        "id": "ofac-pass-1",
        "schema": "Passport",
        "properties": {
            "holder": ["NK-bout"],
            "number": ["21N0510015"],
            "country": ["ru"],
            "type": ["Passport"],
        },
        "datasets": ["us_ofac_sdn"],
    },
    {
        "id": "ofac-id-2",
        "schema": "Identification",
        "properties": {
            "holder": ["NK-aircess"],
            "number": ["12345"],
            "type": ["Registration ID"],
            "country": ["ae"],
        },
    },
    {
        "id": "NK-aircess",
        "schema": "Company",
        "properties": {
            "name": ["Air Cess"],
            "alias": ["Air Cess Inc."],
            "jurisdiction": ["lr"],
            "country": ["ae"],
            "registrationNumber": ["12345"],
            "address": ["Sharjah, United Arab Emirates"],
        },
        "datasets": ["us_ofac_sdn"],
    },
    {
        "id": "dir-1",
        "schema": "Directorship",
        "properties": {"director": ["NK-bout"], "organization": ["NK-aircess"]},
    },
    {
        "id": "NK-ilyushin",
        "schema": "Airplane",
        "properties": {
            "registrationNumber": ["EX-009"],
            "model": ["Il-76"],
            "manufacturer": ["Ilyushin"],
            "owner": ["NK-aircess"],
        },
    },
    {
        "id": "NK-vessel",
        "schema": "Vessel",
        "properties": {"name": ["STAR"], "imoNumber": ["IMO9187629"], "flag": ["pa"]},
    },
    {
        "id": "acct-1",
        "schema": "BankAccount",
        "properties": {
            "iban": ["DE89 3704 0044 0532 0130 00"],
            "bankName": ["Commerzbank"],
            "bic": ["COBADEFFXXX"],
            "country": ["de"],
            "currency": ["eur"],
        },
    },
    {
        "id": "own-1",
        "schema": "Ownership",
        "properties": {"owner": ["NK-aircess"], "asset": ["acct-1"]},
    },
    {
        "id": "pay-1",
        "schema": "Payment",
        "properties": {"payer": ["NK-aircess"], "beneficiary": ["NK-bout"], "amount": ["1000"]},
    },
    {
        "id": "fam-1",
        "schema": "Family",
        "properties": {"person": ["NK-bout"], "relative": ["NK-bout"], "relationship": ["self"]},
    },
    {"id": "le-1", "schema": "LegalEntity", "properties": {"name": ["Unknown Holdings"]}},
    {"id": "new-1", "schema": "SpaceStation", "properties": {"name": ["ISS"]}},
]


def test_opensanctions_sample(tmp_path: Path) -> None:
    path = _write(tmp_path, OPENSANCTIONS)
    stats = ImportStats()
    drafts = _by_id(path, stats)

    assert stats.entities == len(OPENSANCTIONS)
    assert stats.drafts == len(drafts) == 8
    assert stats.folded == {"Address": 1, "Sanction": 1, "Directorship": 1, "Ownership": 1}
    assert stats.skipped == {
        "Family": 1,
        "unknown schema SpaceStation": 1,
        "Payment without payerAccount and beneficiaryAccount": 1,
    }

    bout = drafts["NK-bout"]
    assert bout.source == Source(dataset="us_ofac_sdn", source_id="NK-bout")
    body = bout.body
    assert isinstance(body, PersonBody)
    assert body.label() == "Viktor Anatolyevich BOUT"
    assert [(n.full, n.kind, n.script) for n in body.names[1:]] == [
        ("Victor Bout", AliasKind.AKA, "Latn"),
        ("Виктор Анатольевич Бут", AliasKind.AKA, "Cyrl"),
        ("Boris", AliasKind.WEAK, "Latn"),
    ]
    assert (body.names[0].given, body.names[0].family) == ("Viktor", "Bout")
    assert body.birth_dates == [BirthDate(date="1967-01-13")]
    assert body.birth_places == [Place(place="Dushanbe")]
    assert body.nationalities == ["RUS"]
    assert body.gender == Gender.MALE
    assert body.identifiers == [Identifier(scheme="passportNumber", value="21N0510015")]
    assert body.addresses == [Address(full="Moscow, Russia", city="Moscow", country="RUS")]
    assert body.remarks == (
        "Arms dealer.\n"
        "Country (nationality): suhh\n"
        "Topics: sanction, crime\n"
        "Sanction: Office of Foreign Assets Control; SDGT"
    )

    passport = drafts["ofac-pass-1"].body
    assert isinstance(passport, DocumentBody)
    assert (passport.document_type, passport.number, passport.person_id) == (
        DocumentType.PASSPORT,
        "21N0510015",
        "NK-bout",
    )
    registration = drafts["ofac-id-2"].body
    assert isinstance(registration, DocumentBody)
    assert registration.document_type == DocumentType.OTHER
    assert registration.person_id is None  # the holder is a company
    assert registration.remarks == "Type: Registration ID\nHolder: NK-aircess"
    assert drafts["ofac-id-2"].source == Source(dataset="ftm", source_id="ofac-id-2")

    company = drafts["NK-aircess"].body
    assert isinstance(company, OrganisationBody)
    assert company.organisation_kind == OrganisationKind.COMPANY
    assert company.countries == ["ARE", "LBR"]
    assert company.director_ids == ["NK-bout"]
    assert company.registration_numbers == [Identifier(scheme="registrationNumber", value="12345")]
    unknown = drafts["le-1"].body
    assert isinstance(unknown, OrganisationBody)
    assert unknown.organisation_kind == OrganisationKind.OTHER

    plane = drafts["NK-ilyushin"].body
    assert isinstance(plane, VehicleBody)
    assert (plane.vehicle_type, plane.make, plane.model) == ("aircraft", "Ilyushin", "Il-76")
    assert plane.identifiers == [Identifier(scheme="registrationNumber", value="EX-009")]
    assert plane.owner_id == "NK-aircess"
    vessel = drafts["NK-vessel"].body
    assert isinstance(vessel, VehicleBody)
    assert (vessel.name, vessel.plate_country) == ("STAR", "PAN")

    account = drafts["acct-1"].body
    assert isinstance(account, AccountBody)
    assert account.iban == "DE89370400440532013000"
    assert (account.currency, account.country) == ("EUR", "DEU")
    assert account.holder_ids == ["NK-aircess"]


def test_payment_with_accounts(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"id": "a1", "schema": "BankAccount", "properties": {"accountNumber": ["1"]}},
            {
                "id": "p1",
                "schema": "Payment",
                "properties": {
                    "payerAccount": ["a1"],
                    "beneficiaryAccount": ["a2"],
                    "amount": ["1,000.50"],
                    "currency": ["usd"],
                    "date": ["2021-06"],
                    "purpose": ["Consulting"],
                },
            },
            {"id": "a2", "schema": "BankAccount", "properties": {"accountNumber": ["2"]}},
        ],
    )
    payment = _by_id(path)["p1"].body
    assert isinstance(payment, TransactionBody)
    assert (payment.amount, payment.currency, payment.reference) == (1000.5, "USD", "Consulting")
    assert payment.time == datetime(2021, 6, 1, tzinfo=UTC)


# --- malformed input -------------------------------------------------------------------------

PERSON_LINE = {"id": "p1", "schema": "Person", "properties": {"name": ["Jane Doe"]}}


def test_bad_date(tmp_path: Path) -> None:
    bad = {
        "id": "p2",
        "schema": "Person",
        "properties": {"name": ["X"], "birthDate": ["1970-13-45"]},
    }
    path = _write(tmp_path, [PERSON_LINE, bad])
    assert (
        _error(path) == f"{path}, line 2 (entity p2): property birthDate: invalid date '1970-13-45'"
    )


def test_date_our_model_rejects(tmp_path: Path) -> None:
    bad = {"id": "p2", "schema": "Person", "properties": {"name": ["X"], "birthDate": ["1700"]}}
    path = _write(tmp_path, [bad])
    assert _error(path) == (
        f"{path}, line 1 (entity p2): body.birth_dates.0.date: invalid date '1700': "
        "year out of range"
    )


def test_dangling_link(tmp_path: Path) -> None:
    passport = {
        "id": "d1",
        "schema": "Passport",
        "properties": {"number": ["X1"], "holder": ["ghost"]},
    }
    path = _write(tmp_path, [PERSON_LINE, passport])
    assert (
        _error(path)
        == f"{path}, line 2 (entity d1): property holder: entity 'ghost' is not in the file"
    )


def test_dangling_link_in_link_entity(tmp_path: Path) -> None:
    ownership = {
        "id": "o1",
        "schema": "Ownership",
        "properties": {"owner": ["p1"], "asset": ["gone"]},
    }
    path = _write(tmp_path, [PERSON_LINE, ownership])
    assert (
        _error(path)
        == f"{path}, line 2 (entity o1): property asset: entity 'gone' is not in the file"
    )


def test_person_without_name(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "p1", "schema": "Person", "properties": {"alias": ["J"]}}])
    assert _error(path) == f"{path}, line 1 (entity p1): property name: required for a Person"


def test_bad_iban(tmp_path: Path) -> None:
    account = {
        "id": "a1",
        "schema": "BankAccount",
        "properties": {"iban": ["DE89370400440532013001"]},
    }
    path = _write(tmp_path, [account])
    assert (
        _error(path)
        == f"{path}, line 1 (entity a1): property iban: invalid IBAN 'DE89370400440532013001'"
    )


def test_bad_country(tmp_path: Path) -> None:
    person = {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["X"], "nationality": ["Germany"]},
    }
    path = _write(tmp_path, [person])
    assert (
        _error(path)
        == f"{path}, line 1 (entity p1): property nationality: invalid country 'Germany'"
    )


def test_payment_missing_amount(tmp_path: Path) -> None:
    lines = [
        {"id": "a1", "schema": "BankAccount", "properties": {"accountNumber": ["1"]}},
        {
            "id": "p1",
            "schema": "Payment",
            "properties": {
                "payerAccount": ["a1"],
                "beneficiaryAccount": ["a1"],
                "currency": ["EUR"],
                "date": ["2020-01-01"],
            },
        },
    ]
    path = _write(tmp_path, lines)
    assert _error(path) == f"{path}, line 2 (entity p1): body.amount: Field required"


def test_bad_json_on_line_3(tmp_path: Path) -> None:
    path = _write(tmp_path, [PERSON_LINE, {**PERSON_LINE, "id": "p2"}, b'{"id": "p3", "schema": '])
    assert _error(path).startswith(f"{path}, line 3: invalid JSON at column ")


def test_duplicate_entity(tmp_path: Path) -> None:
    path = _write(tmp_path, [PERSON_LINE, PERSON_LINE])
    assert _error(path) == (
        f"{path}, line 2 (entity p1): duplicate entity id (first on line 1); "
        "merge fragments first, e.g. with `ftm aggregate`"
    )


def test_bad_envelope(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "a/b", "schema": "Person", "properties": {}}])
    assert _error(path) == f"{path}, line 1: id: expected an FtM entity id, got 'a/b'"
    path = _write(tmp_path, [{**PERSON_LINE, "properties": {"name": "Jane"}}, [1]], "b.json")
    assert _error(path) == f"{path}, line 2: expected a JSON object, got an array"
    path = _write(tmp_path, [{**PERSON_LINE, "properties": {"name": [1]}}], "c.json")
    assert _error(path) == (
        f"{path}, line 1 (entity p1): property name: expected a list of strings, got an array"
    )
