"""The OFAC readers: the SDN CSV triple and the sdnList XML, real files and bad input."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from borderless.domain.codes import AliasKind, DocumentType, Gender, RecordKind
from borderless.domain.records import DocumentBody, OrganisationBody, PersonBody, VehicleBody
from borderless.errors import FormatError
from borderless.formats.dataset import Dataset
from borderless.formats.ofac import read_ofac_sdn_csv, read_ofac_xml
from tests.conftest import shared_data

NS = "{https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML}"


@pytest.fixture(scope="module")
def sdn_dir() -> Path:
    return shared_data() / "watchlists" / "ofac_sdn_2021"


@pytest.fixture(scope="module")
def sdn(sdn_dir: Path) -> Dataset:
    return read_ofac_sdn_csv(sdn_dir)


@pytest.fixture(scope="module")
def cons_path() -> Path:
    return shared_data() / "watchlists" / "ofac_consolidated" / "consolidated.xml"


@pytest.fixture(scope="module")
def cons(cons_path: Path) -> Dataset:
    return read_ofac_xml(cons_path)


def _rows(path: Path) -> list[list[str]]:
    """A CSV file read independently of the reader (the trailing DOS EOF row dropped)."""
    with path.open(encoding="latin-1", newline="") as handle:
        return [row for row in csv.reader(handle) if row != ["\x1a"]]


def _names(dataset: Dataset) -> list[tuple[str | None, AliasKind]]:
    return [
        (r.id, n.kind)
        for r in dataset
        if isinstance(r.body, PersonBody | OrganisationBody)
        for n in r.body.names
    ]


def _craft_names(dataset: Dataset) -> int:
    return sum(
        i.scheme.endswith(" name")
        for r in dataset
        if isinstance(r.body, VehicleBody)
        for i in r.body.identifiers
    )


# --- the SDN CSV triple ----------------------------------------------------------------------


@pytest.mark.realdata
def test_sdn_rows_become_drafts_by_type(sdn: Dataset, sdn_dir: Path) -> None:
    rows = _rows(sdn_dir / "sdn.csv")
    assert len(rows) == 8890
    types = Counter(row[2].strip() for row in rows)
    drafts = Counter(
        (r.kind, getattr(r.body, "vehicle_type", None))
        for r in sdn
        if r.kind != RecordKind.DOCUMENT
    )
    assert drafts[(RecordKind.PERSON, None)] == types["individual"] == 4566
    assert drafts[(RecordKind.ORGANISATION, None)] == types["-0-"] == 3644
    assert drafts[(RecordKind.VEHICLE, "vessel")] == types["vessel"] == 403
    assert drafts[(RecordKind.VEHICLE, "aircraft")] == types["aircraft"] == 277
    assert sum(drafts.values()) == 8890
    assert sdn.name == "ofac-sdn"
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", sdn.version)
    assert {r.source.dataset for r in sdn if r.source} == {"ofac-sdn"}


@pytest.mark.realdata
def test_every_alt_row_is_attached(sdn: Dataset, sdn_dir: Path) -> None:
    rows = _rows(sdn_dir / "alt.csv")
    assert len(rows) == 11742
    names = _names(sdn)
    aliases = sum(kind != AliasKind.PRIMARY for _, kind in names)
    assert aliases + _craft_names(sdn) == 11742
    fka = sum(row[2] == "fka" for row in rows)
    on_craft = {row[0] for row in _rows(sdn_dir / "sdn.csv") if row[2] in ("vessel", "aircraft")}
    fka_people = sum(row[2] == "fka" and row[0] not in on_craft for row in rows)
    assert sum(kind == AliasKind.FKA for _, kind in names) == fka_people <= fka


@pytest.mark.realdata
def test_every_address_row_is_attached(sdn: Dataset, sdn_dir: Path) -> None:
    rows = _rows(sdn_dir / "add.csv")
    assert len(rows) == 13761
    with_content = sum(any(v.strip() != "-0-" for v in row[2:]) for row in rows)
    attached = sum(
        len(r.body.addresses) for r in sdn if isinstance(r.body, PersonBody | OrganisationBody)
    )
    on_craft = {row[0] for row in _rows(sdn_dir / "sdn.csv") if row[2] in ("vessel", "aircraft")}
    craft_rows = sum(
        row[0] in on_craft and any(v.strip() != "-0-" for v in row[2:]) for row in rows
    )
    assert attached == with_content - craft_rows


@pytest.mark.realdata
def test_remarks_are_parsed_where_clear(sdn: Dataset) -> None:
    records = {r.id: r for r in sdn}
    person = records["9587"].body  # HUSSEIN, Mazen Ali
    assert isinstance(person, PersonBody)
    assert (person.names[0].full, person.names[0].given, person.names[0].family) == (
        "Mazen Ali HUSSEIN",
        "Mazen Ali",
        "HUSSEIN",
    )
    assert [d.date for d in person.birth_dates] == ["1982-01-01", "1980-01-01"]
    assert [(p.place, p.country) for p in person.birth_places] == [("Baghdad", "IRQ")]
    assert person.nationalities == ["IRQ"]
    assert any(n.kind == AliasKind.AKA and n.full == "Issa SALAH MUHAMAD" for n in person.names)
    # the German travel document of this entry is a linked DOCUMENT draft
    document = records["9587/doc/1"].body
    assert isinstance(document, DocumentBody)
    assert (document.document_type, document.number, document.issuing_country) == (
        DocumentType.TRAVEL_DOCUMENT,
        "A0144378",
        "DEU",
    )
    assert document.person_id == "9587"

    zawahiri = records["2676"].body  # "Passport 1084010 (Egypt); alt. Passport 19820215"
    assert isinstance(zawahiri, PersonBody)
    assert [d.date for d in zawahiri.birth_dates] == ["1951-06-19"]
    passports = [records[f"2676/doc/{n}"].body for n in (1, 2)]
    assert [(p.number, p.issuing_country) for p in passports if isinstance(p, DocumentBody)] == [
        ("1084010", "EGY"),
        ("19820215", None),
    ]
    assert zawahiri.remarks is not None
    assert "Operational and Military Leader of JIHAD GROUP" in zawahiri.remarks

    circa = records["7860"].body
    assert isinstance(circa, PersonBody)
    assert [(d.date, d.circa) for d in circa.birth_dates] == [("1941", True)]

    nasrallah = records["2686"].body
    assert isinstance(nasrallah, PersonBody)
    assert nasrallah.gender == Gender.MALE
    assert len(nasrallah.birth_dates) == 4


@pytest.mark.realdata
def test_entities_and_craft(sdn: Dataset) -> None:
    records = {r.id: r for r in sdn}
    bank = records["306"].body
    assert isinstance(bank, OrganisationBody)
    assert [(n.full, n.kind) for n in bank.names] == [
        ("BANCO NACIONAL DE CUBA", AliasKind.PRIMARY),
        ("NATIONAL BANK OF CUBA", AliasKind.AKA),
    ]
    assert "CHE" in bank.countries
    vessel = records["4243"].body
    assert isinstance(vessel, VehicleBody)
    assert (vessel.vehicle_type, vessel.name, vessel.plate_country) == (
        "vessel",
        "SAND SWAN",
        "CYP",
    )
    assert ("call sign", "P3QG3") in [(i.scheme, i.value) for i in vessel.identifiers]
    imo = [
        r.body for r in sdn if isinstance(r.body, VehicleBody) and r.body.vehicle_type == "vessel"
    ]
    assert any(i.scheme == "IMO" for v in imo for i in v.identifiers)
    aircraft = records["15431"].body
    assert isinstance(aircraft, VehicleBody)
    assert (aircraft.vehicle_type, aircraft.model, aircraft.year) == ("aircraft", "IL76-TD", 1992)


@pytest.mark.realdata
def test_documents_link_to_persons(sdn: Dataset) -> None:
    records = {r.id: r for r in sdn}
    documents = [r for r in sdn if r.kind == RecordKind.DOCUMENT]
    assert len(documents) > 2000
    for document in documents:
        assert isinstance(document.body, DocumentBody)
        assert document.body.person_id is not None
        assert records[document.body.person_id].kind == RecordKind.PERSON
        assert document.source is not None
        assert document.source.source_id == document.id


@pytest.mark.realdata
def test_version_is_the_callers_or_a_stable_hash(sdn: Dataset, sdn_dir: Path) -> None:
    assert read_ofac_sdn_csv(sdn_dir, version="2021-04-20").version == "2021-04-20"
    assert read_ofac_sdn_csv(sdn_dir).version == sdn.version


# --- the sdnList XML --------------------------------------------------------------------------


@pytest.mark.realdata
def test_consolidated_counts_match_the_file(cons: Dataset, cons_path: Path) -> None:
    tree = ET.parse(cons_path).getroot()
    entries = tree.findall(f"{NS}sdnEntry")
    assert len(entries) == 443
    main = [r for r in cons if r.kind != RecordKind.DOCUMENT]
    assert len(main) == 443
    types = Counter(e.findtext(f"{NS}sdnType") for e in entries)
    kinds = Counter(r.kind for r in main)
    assert kinds[RecordKind.PERSON] == types["Individual"]
    assert kinds[RecordKind.ORGANISATION] == types["Entity"]
    akas = list(tree.iter(f"{NS}aka"))
    names = _names(cons)
    assert sum(kind != AliasKind.PRIMARY for _, kind in names) == len(akas) == 1136
    weak = sum(a.findtext(f"{NS}category") == "weak" for a in akas)
    assert sum(kind == AliasKind.WEAK for _, kind in names) == weak > 0
    passports = [
        i
        for e in entries
        if e.findtext(f"{NS}sdnType") == "Individual"
        for i in e.iter(f"{NS}id")
        if i.findtext(f"{NS}idType") in ("Passport", "National ID No.", "Driver's License No.")
    ]
    assert sum(r.kind == RecordKind.DOCUMENT for r in cons) == len(passports)
    assert cons.name == "ofac-cons"
    assert cons.version == "2025-03-28"


@pytest.mark.realdata
def test_consolidated_spot_check(cons: Dataset) -> None:
    records = {r.id: r for r in cons}
    person = records["9639"].body
    assert isinstance(person, PersonBody)
    assert person.names[0].full == "Ismail Abdul Salah HANIYA"
    assert [d.date for d in person.birth_dates] == ["1962"]
    assert [(n.full, n.kind) for n in person.names[1:]] == [
        ("Ismail HANIYA", AliasKind.AKA),
        ("Ismaeel HANIYYA", AliasKind.AKA),
    ]
    bank = records["15268"].body
    assert isinstance(bank, OrganisationBody)
    assert ("SWIFT/BIC", "CKLBCNBJ") in [(i.scheme, i.value) for i in bank.registration_numbers]
    assert AliasKind.FKA in [n.kind for n in bank.names]
    assert bank.countries == ["CHN"]


# --- bad input: CSV --------------------------------------------------------------------------

SDN = (
    '1,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 05 Jan 1960; POB Cairo, Egypt; nationality Egypt; Passport X123 (Egypt)."\r\n'
    '2,"ACME TRADING LTD.",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '3,"SEA STAR","vessel","IRAN",-0- ,"9ABC","Tanker",-0- ,-0- ,"Iran",-0- ,'
    '"Vessel Registration Identification IMO 9123456; MMSI 123456789."\r\n'
)
ALT = (
    '1,10,"aka","DOE, Johnny",-0- \r\n2,11,"fka","ACME OLD",-0- \r\n3,12,"fka","OLD STAR",-0- \r\n'
)
ADD = '1,20,"1 Nile St","Cairo","Egypt",-0- \r\n2,21,-0- ,-0- ,-0- ,-0- \r\n\x1a'


def _triple(tmp_path: Path, sdn: str = SDN, alt: str = ALT, add: str = ADD) -> Path:
    for name, text in (("sdn.csv", sdn), ("alt.csv", alt), ("add.csv", add)):
        (tmp_path / name).write_bytes(text.encode("latin-1"))
    return tmp_path


def test_small_triple(tmp_path: Path) -> None:
    dataset = read_ofac_sdn_csv(_triple(tmp_path), version="v1")
    assert [r.id for r in dataset] == ["1", "1/doc/1", "2", "3"]
    person, passport, company, vessel = (r.body for r in dataset)
    assert isinstance(person, PersonBody)
    assert [(n.full, n.given, n.family, n.kind) for n in person.names] == [
        ("John DOE", "John", "DOE", AliasKind.PRIMARY),
        ("Johnny DOE", "Johnny", "DOE", AliasKind.AKA),
    ]
    assert [d.date for d in person.birth_dates] == ["1960-01-05"]
    assert person.nationalities == ["EGY"]
    assert [a.full for a in person.addresses] == ["1 Nile St, Cairo, Egypt"]
    assert isinstance(passport, DocumentBody)
    assert (passport.number, passport.issuing_country, passport.person_id) == ("X123", "EGY", "1")
    assert isinstance(company, OrganisationBody)
    assert [(n.full, n.kind) for n in company.names][1] == ("ACME OLD", AliasKind.FKA)
    assert company.addresses == []
    assert isinstance(vessel, VehicleBody)
    assert vessel.plate_country == "IRN"
    assert {(i.scheme, i.value) for i in vessel.identifiers} == {
        ("call sign", "9ABC"),
        ("IMO", "9123456"),
        ("MMSI", "123456789"),
        ("fka name", "OLD STAR"),
    }
    assert {r.source.version for r in dataset if r.source} == {"v1"}


def test_wrong_column_count(tmp_path: Path) -> None:
    bad = SDN.replace('2,"ACME TRADING LTD.",-0- ,', '2,"ACME TRADING LTD.",')
    with pytest.raises(FormatError, match=r"sdn\.csv, line 2: expected 12 columns, found 11"):
        read_ofac_sdn_csv(_triple(tmp_path, sdn=bad))


def test_non_integer_ent_num(tmp_path: Path) -> None:
    bad = SDN.replace('2,"ACME', 'x2,"ACME')
    with pytest.raises(FormatError, match=r"sdn\.csv, line 2: ent_num must be an integer"):
        read_ofac_sdn_csv(_triple(tmp_path, sdn=bad))


def test_duplicate_ent_num(tmp_path: Path) -> None:
    bad = SDN.replace('3,"SEA STAR"', '1,"SEA STAR"')
    with pytest.raises(
        FormatError, match=r"sdn\.csv, line 3: duplicate ent_num 1 \(first at line 1\)"
    ):
        read_ofac_sdn_csv(_triple(tmp_path, sdn=bad))


def test_unknown_ent_num_in_alt_and_add(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"alt\.csv, line 2: ent_num 9 is not in sdn\.csv"):
        read_ofac_sdn_csv(_triple(tmp_path, alt=ALT.replace("2,11,", "9,11,")))
    with pytest.raises(FormatError, match=r"add\.csv, line 1: ent_num 7 is not in sdn\.csv"):
        read_ofac_sdn_csv(_triple(tmp_path, add=ADD.replace("1,20,", "7,20,")))


def test_unknown_alias_type(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"alt\.csv, line 1: alt_type must be aka, fka or nka"):
        read_ofac_sdn_csv(_triple(tmp_path, alt=ALT.replace('"aka"', '"xyz"')))


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    _triple(tmp_path)
    (tmp_path / "sdn.csv").write_bytes(SDN.encode("utf-16"))
    with pytest.raises(FormatError, match=r"sdn\.csv, line 1, column \d+: control character"):
        read_ofac_sdn_csv(tmp_path)


def test_invalid_bytes_name_the_line(tmp_path: Path) -> None:
    _triple(tmp_path)
    (tmp_path / "add.csv").write_bytes(ADD.encode("latin-1").replace(b"Nile", b"N\xffle"))
    with pytest.raises(FormatError, match=r"add\.csv, line 1, column 10: byte 0xff is not valid"):
        read_ofac_sdn_csv(tmp_path, encoding="utf-8")
    (tmp_path / "add.csv").write_bytes(ADD.encode("latin-1").replace(b"Cairo", b"Ca\x00ro"))
    with pytest.raises(
        FormatError, match=r"add\.csv, line 1, column \d+: control character U\+0000"
    ):
        read_ofac_sdn_csv(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    _triple(tmp_path)
    (tmp_path / "alt.csv").unlink()
    with pytest.raises(FormatError, match=r"alt\.csv: cannot read the file"):
        read_ofac_sdn_csv(tmp_path)


# --- bad input: XML --------------------------------------------------------------------------

XML = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation>
    <Publish_Date>03/28/2025</Publish_Date>
    <Record_Count>2</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>1</uid>
    <firstName>John</firstName>
    <lastName>DOE</lastName>
    <sdnType>Individual</sdnType>
    <programList><program>SDGT</program></programList>
    <idList>
      <id><uid>5</uid><idType>Passport</idType><idNumber>X1</idNumber><idCountry>Iran</idCountry></id>
      <id><uid>6</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
    </idList>
    <akaList>
      <aka><uid>7</uid><type>a.k.a.</type><category>weak</category><lastName>JD</lastName></aka>
    </akaList>
    <dateOfBirthList>
      <dateOfBirthItem><uid>8</uid><dateOfBirth>05 Feb 1960</dateOfBirth></dateOfBirthItem>
    </dateOfBirthList>
    <nationalityList><nationality><uid>9</uid><country>Iran</country></nationality></nationalityList>
  </sdnEntry>
  <sdnEntry>
    <uid>2</uid>
    <lastName>STAR</lastName>
    <sdnType>Vessel</sdnType>
    <programList><program>IRAN</program></programList>
    <vesselInfo><callSign>9XYZ</callSign><vesselFlag>Panama</vesselFlag></vesselInfo>
  </sdnEntry>
</sdnList>
"""


def _xml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sdn.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_small_xml(tmp_path: Path) -> None:
    dataset = read_ofac_xml(_xml(tmp_path, XML))
    assert [r.id for r in dataset] == ["1", "1/doc/1", "2"]
    person, passport, vessel = (r.body for r in dataset)
    assert isinstance(person, PersonBody)
    assert [(n.full, n.kind) for n in person.names] == [
        ("John DOE", AliasKind.PRIMARY),
        ("JD", AliasKind.WEAK),
    ]
    assert person.gender == Gender.MALE
    assert [d.date for d in person.birth_dates] == ["1960-02-05"]
    assert person.nationalities == ["IRN"]
    assert isinstance(passport, DocumentBody)
    assert (passport.number, passport.issuing_country, passport.person_id) == ("X1", "IRN", "1")
    assert isinstance(vessel, VehicleBody)
    assert (vessel.vehicle_type, vessel.name, vessel.plate_country) == ("vessel", "STAR", "PAN")
    assert dataset.version == "2025-03-28"


def test_xml_truncated(tmp_path: Path) -> None:
    path = _xml(tmp_path, XML[: XML.index("<sdnType>Vessel")])
    with pytest.raises(FormatError, match=r"sdn\.xml, line \d+, column \d+: not well-formed XML"):
        read_ofac_xml(path)


def test_xml_duplicate_uid(tmp_path: Path) -> None:
    text = XML.replace("<uid>2</uid>", "<uid>1</uid>")
    line = text[: text.index("<sdnEntry>", text.index("</sdnEntry>"))].count("\n") + 1
    with pytest.raises(FormatError, match=rf"line {line}: duplicate id '1' \(first at line 7\)"):
        read_ofac_xml(_xml(tmp_path, text))


def test_xml_record_count_mismatch(tmp_path: Path) -> None:
    text = XML.replace("<Record_Count>2</Record_Count>", "<Record_Count>3</Record_Count>")
    with pytest.raises(FormatError, match=r"line 5: Record_Count says 3, the file has 2"):
        read_ofac_xml(_xml(tmp_path, text))


def test_xml_unknown_type(tmp_path: Path) -> None:
    text = XML.replace("<sdnType>Vessel</sdnType>", "<sdnType>Spaceship</sdnType>")
    with pytest.raises(FormatError, match=r"line \d+: sdnType must be"):
        read_ofac_xml(_xml(tmp_path, text))
