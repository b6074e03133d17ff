"""The UN consolidated list reader: counts on the real list, mapping details, bad input."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from borderless.domain.codes import (
    Accuracy,
    AliasKind,
    Dissemination,
    DocumentType,
    Gender,
    RecordKind,
    Reliability,
)
from borderless.domain.records import DocumentBody, OrganisationBody, PersonBody
from borderless.errors import FormatError
from borderless.formats.dataset import Dataset
from borderless.formats.un_list import read_un_list
from tests.conftest import shared_data


@pytest.fixture(scope="module")
def un_path() -> Path:
    return shared_data() / "watchlists" / "un" / "consolidated.xml"


@pytest.fixture(scope="module")
def un_list(un_path: Path) -> Dataset:
    return read_un_list(un_path)


@pytest.fixture(scope="module")
def un_tree(un_path: Path) -> ET.Element:
    """The same file read independently with the standard library, for cross-checks."""
    return ET.parse(un_path).getroot()


def _text(element: ET.Element, tag: str) -> str:
    return " ".join((element.findtext(tag) or "").split())


def _by_id(dataset: Dataset) -> dict[str, object]:
    return {r.id: r.body for r in dataset if r.id}


# --- the real list ----------------------------------------------------------------------------


@pytest.mark.realdata
def test_counts_match_the_file(un_list: Dataset, un_tree: ET.Element) -> None:
    kinds = [r.kind for r in un_list]
    assert kinds.count(RecordKind.PERSON) == len(un_tree.findall("INDIVIDUALS/INDIVIDUAL")) == 684
    assert kinds.count(RecordKind.ORGANISATION) == len(un_tree.findall("ENTITIES/ENTITY")) == 193
    numbered = [d for d in un_tree.iter("INDIVIDUAL_DOCUMENT") if _text(d, "NUMBER")]
    assert kinds.count(RecordKind.DOCUMENT) == len(numbered) == 431
    assert un_list.name == "un-sc"
    assert un_list.version == un_tree.get("dateGenerated") == "2025-04-19T23:00:04.625Z"


@pytest.mark.realdata
def test_every_alias_and_original_script_name_is_kept(
    un_list: Dataset, un_tree: ET.Element
) -> None:
    aliases = [
        a
        for tag in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS")
        for a in un_tree.iter(tag)
        if _text(a, "ALIAS_NAME")
    ]
    originals = [e for e in un_tree.iter("NAME_ORIGINAL_SCRIPT") if _text(e, ".")]
    bodies = [r.body for r in un_list if isinstance(r.body, PersonBody | OrganisationBody)]
    names = [n for b in bodies for n in b.names]
    assert sum(n.kind != AliasKind.PRIMARY for n in names) == len(aliases) == 2704
    # one primary name per entry, plus the original-script primaries
    assert sum(n.kind == AliasKind.PRIMARY for n in names) == len(bodies) + len(originals)
    weak = sum(_text(a, "QUALITY") == "Low" for a in aliases)
    fka = sum(_text(a, "QUALITY") == "f.k.a." for a in aliases)
    assert sum(n.kind == AliasKind.WEAK for n in names) == weak == 619
    assert sum(n.kind == AliasKind.FKA for n in names) == fka == 18


@pytest.mark.realdata
def test_birth_dates_follow_type_of_date(un_list: Dataset, un_tree: ET.Element) -> None:
    between = [
        d
        for d in un_tree.iter("INDIVIDUAL_DATE_OF_BIRTH")
        if _text(d, "TYPE_OF_DATE") == "BETWEEN" and _text(d, "FROM_YEAR")
    ]
    dates = [d for r in un_list if isinstance(r.body, PersonBody) for d in r.body.birth_dates]
    assert sum(d.earliest is not None for d in dates) == len(between) == 32
    approximately = [
        d
        for d in un_tree.iter("INDIVIDUAL_DATE_OF_BIRTH")
        if _text(d, "TYPE_OF_DATE") == "APPROXIMATELY" and _text(d, "YEAR")
    ]
    assert sum(d.circa and d.date is not None for d in dates) >= len(approximately) > 0


@pytest.mark.realdata
def test_spot_check_qdi_001(un_list: Dataset) -> None:
    records = {r.id: r for r in un_list}
    person = records["QDi.001"]
    assert isinstance(person.body, PersonBody)
    assert person.kind == RecordKind.PERSON
    assert person.body.names[0].full == "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"
    arabic = [n for n in person.body.names if n.script == "Arab"]
    assert arabic
    assert arabic[0].full == "محمد صلاح الدين عبدالحليم زيدان"
    assert [d.date for d in person.body.birth_dates] == ["1963-04-11", "1960-04-11"]
    assert person.body.nationalities == ["EGY"]
    assert person.source is not None
    assert person.source.dataset == "un-sc"
    assert person.source.source_id == "QDi.001"
    assert person.source.version == un_list.version
    assert person.governance.reliability == Reliability.A
    assert person.governance.accuracy == Accuracy.KNOWN
    assert person.governance.dissemination == Dissemination.ALL_MEMBERS
    assert person.body.remarks is not None
    assert "UN list: Al-Qaida" in person.body.remarks


@pytest.mark.realdata
def test_documents_link_to_their_person(un_list: Dataset) -> None:
    records = {r.id: r for r in un_list}
    documents = [r for r in un_list if r.kind == RecordKind.DOCUMENT]
    for document in documents:
        assert isinstance(document.body, DocumentBody)
        assert document.id is not None
        owner = document.id.split("/doc/")[0]
        assert document.body.person_id == owner
        assert records[owner].kind == RecordKind.PERSON
        assert document.source is not None
        assert document.source.source_id == document.id
    types = {d.body.document_type for d in documents if isinstance(d.body, DocumentBody)}
    assert {DocumentType.PASSPORT, DocumentType.NATIONAL_ID} <= types


@pytest.mark.realdata
def test_unmatched_nationality_goes_to_remarks(un_list: Dataset, un_tree: ET.Element) -> None:
    entry = next(
        e
        for e in un_tree.iter("INDIVIDUAL")
        if "former Soviet Union" in [_text(v, ".") for v in e.iterfind("NATIONALITY/VALUE")]
    )
    body = _by_id(un_list)[_text(entry, "REFERENCE_NUMBER")]
    assert isinstance(body, PersonBody)
    assert body.remarks is not None
    assert "nationality: former Soviet Union" in body.remarks


# --- mapping details on a small file ----------------------------------------------------------

SMALL = """<?xml version='1.0' encoding='UTF-8'?>
<CONSOLIDATED_LIST dateGenerated='2025-01-01T00:00:00Z'>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <FIRST_NAME>JOHN</FIRST_NAME>
      <SECOND_NAME>DOE</SECOND_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER>
      <LISTED_ON>2001-01-25</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>جون دو</NAME_ORIGINAL_SCRIPT>
      <COMMENTS1>Some comment.</COMMENTS1>
      <GENDER>Male</GENDER>
      <NATIONALITY><VALUE>Atlantis</VALUE><VALUE>Egypt</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Johnny Doe</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu John</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Cairo</CITY><COUNTRY>Egypt</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1961</YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR>
        <TO_YEAR>1962</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1960-02-29</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973</NOTE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Giza</CITY><COUNTRY>Egypt</COUNTRY>
      </INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>A123</NUMBER>
        <ISSUING_COUNTRY>Egypt</ISSUING_COUNTRY><DATE_OF_ISSUE>2001-05-01</DATE_OF_ISSUE>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
        <NOTE>number not known</NOTE></INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT/>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <FIRST_NAME>EXAMPLE TRADING COMPANY</FIRST_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
      <REFERENCE_NUMBER>KPe.900</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>OLD NAME</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><STREET>1 Main St</STREET><CITY>Pyongyang</CITY>
        <COUNTRY>Democratic People's Republic of Korea</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


def _write(tmp_path: Path, text: str | bytes, name: str = "list.xml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_small_list_maps_every_field(tmp_path: Path) -> None:
    dataset = read_un_list(_write(tmp_path, SMALL))
    assert [r.id for r in dataset] == ["QDi.900", "QDi.900/doc/1", "KPe.900"]
    person, document, entity = (r.body for r in dataset)
    assert isinstance(person, PersonBody)
    assert [(n.full, n.kind, n.script) for n in person.names] == [
        ("JOHN DOE", AliasKind.PRIMARY, "Latn"),
        ("جون دو", AliasKind.PRIMARY, "Arab"),
        ("Johnny Doe", AliasKind.AKA, "Latn"),
        ("Abu John", AliasKind.WEAK, "Latn"),
    ]
    assert [(d.date, d.earliest, d.latest, d.circa) for d in person.birth_dates] == [
        ("1961", None, None, True),
        (None, "1960", "1962", False),
        ("1960-02-29", None, None, False),
    ]
    assert person.nationalities == ["EGY"]
    assert person.gender == Gender.MALE
    assert [(p.place, p.country) for p in person.birth_places] == [("Giza", "EGY")]
    assert [(a.full, a.city, a.country) for a in person.addresses] == [
        ("Cairo, Egypt", "Cairo", "EGY")
    ]
    assert person.remarks is not None
    for expected in (
        "Some comment.",
        "nationality: Atlantis",
        "date of birth: Nov. 1973",
        "document: National Identification Number; number not known",
        "listed on: 2001-01-25",
    ):
        assert expected in person.remarks
    assert isinstance(document, DocumentBody)
    assert document.document_type == DocumentType.PASSPORT
    assert (document.number, document.issuing_country, document.issued) == (
        "A123",
        "EGY",
        "2001-05-01",
    )
    assert document.person_id == "QDi.900"
    assert isinstance(entity, OrganisationBody)
    assert [(n.full, n.kind) for n in entity.names] == [
        ("EXAMPLE TRADING COMPANY", AliasKind.PRIMARY),
        ("OLD NAME", AliasKind.FKA),
    ]
    assert entity.countries == ["PRK"]


def test_dprk_names_put_the_family_name_first(tmp_path: Path) -> None:
    text = SMALL.replace(
        "<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>", "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"
    )
    person = read_un_list(_write(tmp_path, text)).records[0].body
    assert isinstance(person, PersonBody)
    assert (person.names[0].family, person.names[0].given) == ("JOHN", "DOE")


# --- bad input ---------------------------------------------------------------------------------


def test_truncated_file_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL[: SMALL.index("<ENTITIES>") + 40])
    with pytest.raises(FormatError) as caught:
        read_un_list(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line " in message
    assert "column" in message
    assert caught.value.location is not None


def test_invalid_bytes_name_the_line(tmp_path: Path) -> None:
    raw = SMALL.encode("utf-8").replace(b"Some comment.", b"Some \xff comment.")
    path = _write(tmp_path, raw)
    line = SMALL[: SMALL.index("Some comment.")].count("\n") + 1
    with pytest.raises(FormatError, match=rf"list\.xml, line {line}, column \d+"):
        read_un_list(path)


def test_duplicate_reference_number_is_refused(tmp_path: Path) -> None:
    text = SMALL.replace("KPe.900", "QDi.900")
    line = text[: text.index("<REFERENCE_NUMBER>QDi.900", text.index("<ENTITY>"))].count("\n") + 1
    first = text[: text.index("<REFERENCE_NUMBER>QDi.900")].count("\n") + 1
    with pytest.raises(FormatError) as caught:
        read_un_list(_write(tmp_path, text))
    assert caught.value.location == f"line {line}"
    assert f"duplicate id 'QDi.900' (first at line {first})" in caught.value.problem
    assert "list.xml" in str(caught.value)


def test_missing_reference_number_is_refused(tmp_path: Path) -> None:
    text = SMALL.replace("<REFERENCE_NUMBER>KPe.900</REFERENCE_NUMBER>", "")
    line = text[: text.index("<ENTITY>")].count("\n") + 1
    with pytest.raises(FormatError, match=rf"line {line}: ENTITY without a REFERENCE_NUMBER"):
        read_un_list(_write(tmp_path, text))


def test_wrong_root_and_missing_version_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="line 1: expected root element CONSOLIDATED_LIST"):
        read_un_list(_write(tmp_path, "<sdnList/>"))
    text = SMALL.replace("dateGenerated='2025-01-01T00:00:00Z'", "")
    with pytest.raises(FormatError, match="dateGenerated"):
        read_un_list(_write(tmp_path, text))


def test_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_un_list(tmp_path / "absent.xml")


def test_overlong_alias_is_a_format_error_at_its_entry(tmp_path: Path) -> None:
    text = SMALL.replace("Abu John", "A" * 600)
    line = text[: text.index("<INDIVIDUAL>")].count("\n") + 1
    with pytest.raises(FormatError, match=rf"list\.xml, line {line}: INDIVIDUAL: "):
        read_un_list(_write(tmp_path, text))
