"""Reader for the UN Security Council Consolidated List (the official XML).

The list is public and authoritative, so every draft gets the A1/all-members governance of
`PUBLIC_LIST`. Values that no typed field can hold (a nationality that names no country, a
date of birth given only as prose, a document without a number) are kept in the remarks
rather than failing the import: one odd value must not block a whole sanctions update.
Structural faults (not well-formed XML, a missing reference number or name, a duplicate
reference) raise `FormatError` with the line of the offending element.

Helpers shared with the OFAC reader live in `formats.list_common`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from borderless.domain.codes import (
    AliasKind,
    DocumentType,
    Gender,
    OrganisationKind,
    RecordKind,
)
from borderless.domain.records import (
    Address,
    BirthDate,
    DocumentBody,
    Name,
    OrganisationBody,
    PersonBody,
    Place,
    RecordBody,
    RecordDraft,
    Source,
)
from borderless.errors import FormatError
from borderless.formats.dataset import Dataset
from borderless.formats.list_common import (
    PUBLIC_LIST,
    Notes,
    at_line,
    claim_id,
    clean,
    guess_organisation_kind,
    join,
    lookup_country,
    parse_xml,
    tag_of,
    unique,
    validated,
)

__all__ = ["UN_DATASET", "read_un_list"]

UN_DATASET = "un-sc"

# Public, authoritative lists: completely reliable source, information known to be true.
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ALIAS_KINDS = {
    "good": AliasKind.AKA,
    "low": AliasKind.WEAK,
    "a.k.a.": AliasKind.AKA,
    "f.k.a.": AliasKind.FKA,
}
_GENDERS = {"male": Gender.MALE, "female": Gender.FEMALE}
_GROUP_LISTS = frozenset({"Al-Qaida", "Taliban"})
_DOCUMENT_WORDS = (
    ("passport", DocumentType.PASSPORT),
    ("passeport", DocumentType.PASSPORT),
    ("pasaporte", DocumentType.PASSPORT),
    ("national identification", DocumentType.NATIONAL_ID),
    ("national identity number", DocumentType.NATIONAL_ID),
)


def read_un_list(path: Path) -> Dataset:
    """Read the UN consolidated list: one draft per individual and entity, plus documents."""
    path = Path(path)
    root = parse_xml(path)
    if root.tag != "CONSOLIDATED_LIST":
        raise FormatError(
            path, at_line(root), f"expected root element CONSOLIDATED_LIST, found {tag_of(root)}"
        )
    version = clean(root.get("dateGenerated"))
    if version is None:
        raise FormatError(path, at_line(root), "expected a dateGenerated attribute on the root")
    for container in ("INDIVIDUALS", "ENTITIES"):
        if root.find(container) is None:
            raise FormatError(path, at_line(root), f"expected a {container} element")
    reader = _UnReader(path, version)
    records: list[RecordDraft] = []
    for element in root.findall("INDIVIDUALS/INDIVIDUAL"):
        records.extend(validated(path, at_line(element), "INDIVIDUAL", reader.individual, element))
    for element in root.findall("ENTITIES/ENTITY"):
        records.append(validated(path, at_line(element), "ENTITY", reader.entity, element))
    return Dataset(name=UN_DATASET, version=version, records=records, source_path=str(path))


def _text(element: etree._Element, tag: str) -> str | None:
    return clean(element.findtext(tag))


def _values(element: etree._Element, tag: str) -> list[str]:
    found = (clean(v.text) for v in element.findall(f"{tag}/VALUE"))
    return [v for v in found if v]


class _UnReader:
    """Turns list entries into drafts; holds what every draft shares (file, version, ids)."""

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self.seen: dict[str, int] = {}

    def source(self, source_id: str) -> Source:
        return Source(dataset=UN_DATASET, source_id=source_id, version=self.version)

    def reference(self, element: etree._Element) -> str:
        ref_element = element.find("REFERENCE_NUMBER")
        ref = clean(ref_element.text) if ref_element is not None else None
        if ref_element is None or ref is None:
            raise FormatError(
                self.path, at_line(element), f"{tag_of(element)} without a REFERENCE_NUMBER"
            )
        claim_id(self.path, self.seen, ref, ref_element)
        return ref

    def individual(self, element: etree._Element) -> list[RecordDraft]:
        ref = self.reference(element)
        notes = _listing_notes(element)
        for label, tag in (("title", "TITLE"), ("designation", "DESIGNATION")):
            notes.add(label, join(_values(element, tag), "; "))
        names = [self.primary_name(element), *_aliases(element, "INDIVIDUAL_ALIAS", notes)]
        nationalities = [notes.country(v, "nationality") for v in _values(element, "NATIONALITY")]
        documents = self.documents(element, ref, names[0].full, notes)

        def build() -> RecordDraft:
            body = PersonBody(
                names=names,
                birth_dates=_birth_dates(element, notes),
                birth_places=_places(element.findall("INDIVIDUAL_PLACE_OF_BIRTH")),
                nationalities=unique(c for c in nationalities if c),
                gender=_gender(_text(element, "GENDER"), notes),
                addresses=_addresses(element.findall("INDIVIDUAL_ADDRESS")),
                remarks=notes.text(),
            )
            return self.draft(RecordKind.PERSON, body, ref)

        person = validated(self.path, at_line(element), f"individual {ref}", build)
        return [person, *documents]

    def entity(self, element: etree._Element) -> RecordDraft:
        ref = self.reference(element)
        notes = _listing_notes(element)
        names = [self.primary_name(element), *_aliases(element, "ENTITY_ALIAS", notes)]
        addresses = _addresses(element.findall("ENTITY_ADDRESS"))
        default = (
            OrganisationKind.GROUP
            if _text(element, "UN_LIST_TYPE") in _GROUP_LISTS
            else OrganisationKind.OTHER
        )

        def build() -> RecordDraft:
            body = OrganisationBody(
                names=names,
                organisation_kind=guess_organisation_kind(names[0].full, default),
                countries=unique(a.country for a in addresses if a.country),
                addresses=addresses,
                remarks=notes.text(),
            )
            return self.draft(RecordKind.ORGANISATION, body, ref)

        return validated(self.path, at_line(element), f"entity {ref}", build)

    def draft(self, kind: RecordKind, body: RecordBody, record_id: str) -> RecordDraft:
        return RecordDraft(
            kind=kind,
            body=body,
            governance=PUBLIC_LIST,
            source=self.source(record_id),
            id=record_id,
        )

    def primary_name(self, element: etree._Element) -> Name:
        """FIRST..FOURTH_NAME joined; given/family only for DPRK names, which put family first.

        Elsewhere the parts follow naming customs (patronymics, tribal names) that do not map
        to given/family, so the full name alone is kept.
        """
        parts = [p for p in (_text(element, tag) for tag in _NAME_PARTS) if p]
        if not parts:
            raise FormatError(self.path, at_line(element), f"{tag_of(element)} without FIRST_NAME")
        full = " ".join(parts)
        dprk = _text(element, "UN_LIST_TYPE") == "DPRK"
        if tag_of(element) == "INDIVIDUAL" and dprk and len(parts) > 1:
            return Name(full=full, family=parts[0], given=" ".join(parts[1:]))
        return Name(full=full)

    def documents(
        self, element: etree._Element, ref: str, holder: str, notes: Notes
    ) -> list[RecordDraft]:
        """Numbered documents become DOCUMENT drafts; the rest stays in the person's remarks."""
        drafts: list[RecordDraft] = []
        for doc in element.findall("INDIVIDUAL_DOCUMENT"):
            number = _text(doc, "NUMBER")
            if number is None or len(number) > 100:
                notes.add("document", join((clean(part.text) for part in doc), "; "))
                continue
            doc_id = f"{ref}/doc/{len(drafts) + 1}"
            what = f"document {doc_id}"
            build = self.document_draft
            drafts.append(validated(self.path, at_line(doc), what, build, doc_id, ref, holder, doc))
        return drafts

    def document_draft(
        self, doc_id: str, ref: str, holder: str, doc: etree._Element
    ) -> RecordDraft:
        """A DOCUMENT draft for a numbered INDIVIDUAL_DOCUMENT of person `ref`."""
        notes = Notes()
        type_text = _text(doc, "TYPE_OF_DOCUMENT") or ""
        notes.add("type", join((type_text, _text(doc, "TYPE_OF_DOCUMENT2")), "; "))
        country = notes.country(
            _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE"), "issuing country"
        )
        notes.add("issued in", _text(doc, "CITY_OF_ISSUE"))
        notes.add(None, _text(doc, "NOTE"))
        issued = _partial_date(_text(doc, "DATE_OF_ISSUE"), notes, "date of issue")
        body = DocumentBody(
            document_type=_document_type(type_text),
            number=_text(doc, "NUMBER") or "",
            issuing_country=country,
            issued=issued,
            holder_name=holder,
            person_id=ref,
            remarks=notes.text(),
        )
        return self.draft(RecordKind.DOCUMENT, body, doc_id)


def _listing_notes(element: etree._Element) -> Notes:
    """The remarks every entry starts with: the UN comments and where it is listed."""
    notes = Notes()
    notes.add(None, _text(element, "COMMENTS1"))
    notes.add("UN list", _text(element, "UN_LIST_TYPE"))
    notes.add("listed on", _text(element, "LISTED_ON"))
    return notes


def _aliases(element: etree._Element, tag: str, notes: Notes) -> list[Name]:
    """Every named alias; alias-specific notes and birth details go to the remarks."""
    names: list[Name] = []
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(Name(full=original))
    for alias in element.findall(tag):
        full = _text(alias, "ALIAS_NAME")
        if full is None:
            continue
        quality = (_text(alias, "QUALITY") or "").lower()
        names.append(Name(full=full, kind=_ALIAS_KINDS.get(quality, AliasKind.AKA)))
        born = join(
            (
                _text(alias, "DATE_OF_BIRTH"),
                _text(alias, "CITY_OF_BIRTH"),
                _text(alias, "COUNTRY_OF_BIRTH"),
            )
        )
        notes.add(f"alias {full}", join((_text(alias, "NOTE"), born and f"born {born}"), "; "))
    return names


def _partial_date(value: str | None, notes: Notes, label: str) -> str | None:
    """A valid partial date, or ``None`` with the value kept as a remark."""
    if value is None:
        return None
    try:
        BirthDate(date=value)
    except ValidationError:
        notes.add(label, value)
        return None
    return value


def _birth_dates(element: etree._Element, notes: Notes) -> list[BirthDate]:
    found = (_birth_date(d, notes) for d in element.findall("INDIVIDUAL_DATE_OF_BIRTH"))
    return [d for d in found if d is not None]


def _birth_date(element: etree._Element, notes: Notes) -> BirthDate | None:
    """EXACT and APPROXIMATELY carry DATE or YEAR; BETWEEN carries FROM_YEAR..TO_YEAR."""
    kind = (_text(element, "TYPE_OF_DATE") or "").upper()
    note = _text(element, "NOTE")
    note_says_circa = (note or "").lower().rstrip(".") == "approximately"
    circa = kind == "APPROXIMATELY" or note_says_circa
    if kind == "BETWEEN":
        raw = join((_text(element, "FROM_YEAR"), _text(element, "TO_YEAR")), " to ")
        values = {"earliest": _text(element, "FROM_YEAR"), "latest": _text(element, "TO_YEAR")}
    else:
        raw = _text(element, "DATE") or _text(element, "YEAR")
        values = {"date": raw}
    if note and (raw is None or not note_says_circa):
        notes.add("date of birth", join((raw, note), " "))
    if raw is None:
        return None
    try:
        return BirthDate(circa=circa, **values)
    except ValidationError:
        notes.add("date of birth", raw)
        return None


def _places(elements: list[etree._Element]) -> list[Place]:
    """Places of birth; a country no code matches stays in the place text."""
    places: list[Place] = []
    for element in elements:
        country_text = _text(element, "COUNTRY")
        country = lookup_country(country_text)
        place = join(
            (
                _text(element, "STREET"),
                _text(element, "CITY"),
                _text(element, "STATE_PROVINCE"),
                None if country else country_text,
                _text(element, "NOTE"),
            )
        )
        if place or country:
            places.append(Place(place=place, country=country))
    return places


def _addresses(elements: list[etree._Element]) -> list[Address]:
    addresses: list[Address] = []
    for element in elements:
        full = join(
            _text(element, tag)
            for tag in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
        )
        if full:
            addresses.append(
                Address(
                    full=full,
                    city=_text(element, "CITY"),
                    country=lookup_country(_text(element, "COUNTRY")),
                )
            )
    return addresses


def _gender(value: str | None, notes: Notes) -> Gender:
    if value is None:
        return Gender.UNKNOWN
    gender = _GENDERS.get(value.lower())
    if gender is None:
        notes.add("gender", value)
    return gender or Gender.UNKNOWN


def _document_type(text: str) -> DocumentType:
    lowered = text.lower()
    for word, document_type in _DOCUMENT_WORDS:
        if word in lowered:
            return document_type
    return DocumentType.OTHER
