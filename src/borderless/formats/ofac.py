"""Readers for the US Treasury OFAC lists: the legacy SDN CSV triple and the sdnList XML.

Both formats are read into one intermediate `_Entry`; `_Entry.drafts` alone turns entries into
drafts, so the two readers differ only in how they find names, dates and numbers. The CSV keeps
dates of birth, places of birth, nationalities and id numbers in its free-text Remarks column;
the clear patterns there ("DOB 05 Jan 1960", "POB Cairo, Egypt", "nationality Iran",
"Passport X123 (Iran)") are parsed, everything else stays in the remarks.

Like the UN reader, a value no field can hold is kept as a remark, while structural faults
(wrong column count, unknown or duplicate ids, bad bytes, broken XML) raise `FormatError` with
the file and line. A reader returns the whole dataset or raises; never a part.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
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
    Identifier,
    Name,
    OrganisationBody,
    PersonBody,
    Place,
    RecordBody,
    RecordDraft,
    Source,
    VehicleBody,
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

__all__ = ["OFAC_CONSOLIDATED", "OFAC_SDN", "read_ofac_sdn_csv", "read_ofac_xml"]

OFAC_SDN = "ofac-sdn"
OFAC_CONSOLIDATED = "ofac-cons"

_SDN_COLUMNS = 12  # ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
#                    Tonnage, GRT, Vess_flag, Vess_owner, Remarks
_ALT_COLUMNS = 5  # ent_num, alt_num, alt_type, alt_name, alt_remarks
_ADD_COLUMNS = 6  # ent_num, add_num, address, city/state/postal, country, add_remarks
_NULL = "-0-"
_TYPES = ("individual", "entity", "vessel", "aircraft")
_ALIAS_TYPES = {
    "aka": AliasKind.AKA,
    "a.k.a.": AliasKind.AKA,
    "fka": AliasKind.FKA,
    "f.k.a.": AliasKind.FKA,
    "nka": AliasKind.AKA,
    "n.k.a.": AliasKind.AKA,
}
_GENDERS = {"male": Gender.MALE, "female": Gender.FEMALE}

# Id labels that name a person's identity document.
_DOCUMENT_LABELS: dict[str, DocumentType] = {
    "Passport": DocumentType.PASSPORT,
    "Diplomatic Passport": DocumentType.PASSPORT,
    "National ID No.": DocumentType.NATIONAL_ID,
    "Cedula No.": DocumentType.NATIONAL_ID,
    "D.N.I.": DocumentType.NATIONAL_ID,
    "Kenyan ID No.": DocumentType.NATIONAL_ID,
    "Turkish Identification Number": DocumentType.NATIONAL_ID,
    "Numero de Identidad": DocumentType.NATIONAL_ID,
    "Citizen's Card Number": DocumentType.NATIONAL_ID,
    "National Foreign ID Number": DocumentType.NATIONAL_ID,
    "Personal ID Card": DocumentType.ID_CARD,
    "Travel Document Number": DocumentType.TRAVEL_DOCUMENT,
    "Driver's License No.": DocumentType.DRIVING_LICENCE,
    "Residency Number": DocumentType.RESIDENCE_PERMIT,
    "Identification Number": DocumentType.OTHER,
}
# Id labels that are registration, tax or craft numbers: label -> identifier scheme.
_IDENTIFIER_LABELS: dict[str, str] = {
    label: label.rstrip(":# ")
    for label in (
        "NIT #",
        "C.U.R.P.",
        "R.F.C.",
        "RFC",
        "RUC #",
        "RIF #",
        "Tax ID No.",
        "Registration ID",
        "Registration Number",
        "Company Number",
        "UK Company Number",
        "Commercial Registry Number",
        "Folio Mercantil No.",
        "Matricula Mercantil No",
        "Trade License No.",
        "Government Gazette Number",
        "Public Registration Number",
        "Business Registration Number",
        "Business Registration Document #",
        "Certificate of Incorporation Number",
        "Chamber of Commerce Number",
        "Enterprise Number",
        "Registered Charity No.",
        "C.R. No.",
        "V.A.T. Number",
        "D-U-N-S Number",
        "SWIFT/BIC",
        "BIK (RU)",
        "ISIN",
        "Legal Entity Number",
        "Unified Social Credit Code (USCC)",
        "United Social Credit Code Certificate (USCCC)",
        "Electoral Registry No.",
        "SSN",
        "Italian Fiscal Code",
        "C.U.I.P.",
        "C.U.I.T.",
        "MMSI",
        "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        "Aircraft Tail Number",
    )
}
_IMO_LABEL = "Vessel Registration Identification"
_LABEL_PATTERN = "|".join(
    re.escape(label)
    for label in sorted([*_DOCUMENT_LABELS, *_IDENTIFIER_LABELS, _IMO_LABEL], key=len, reverse=True)
)
# "Passport A123 (Iran) issued 01 Jan 2010 expires 01 Jan 2020"
_ID_SEGMENT = re.compile(
    rf"^(?P<label>{_LABEL_PATTERN})\s+(?P<number>.+?)\s*(?:\((?P<country>[^()]+)\))?"
    r"(?P<rest>\s+(?:issued|expires)\b.*)?$"
)
_ISSUED = re.compile(
    r"\b(?P<what>issued|expires)\s+(?P<date>(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?\d{4})"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DATE = re.compile(r"^(?:(?P<day>\d{1,2}) )?(?:(?P<month>[A-Za-z]{3})[a-z]*\.? )?(?P<year>\d{4})$")
_DOB = re.compile(r"^(?P<circa>circa )?(?P<first>.+?)(?: to (?P<last>.+))?$")
_SEGMENT = re.compile(
    r"^(?P<label>DOB|POB|nationality|citizen|Gender|Aircraft Model|Aircraft Manufacture Date)"
    r"\s+(?P<value>.+)$"
)


# --- the intermediate entry ------------------------------------------------------------------


@dataclass
class _Document:
    document_type: DocumentType
    number: str
    country: str | None
    issued: str | None = None
    expires: str | None = None
    notes: Notes = field(default_factory=Notes)


@dataclass
class _Entry:
    """One listed subject as both formats describe it, before it becomes drafts."""

    uid: str
    element_type: str  # one of _TYPES
    location: str  # where errors about this entry point
    names: list[Name] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)
    programs: list[str] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[Place] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    gender: Gender = Gender.UNKNOWN
    identifiers: list[Identifier] = field(default_factory=list)
    documents: list[_Document] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    flag: str | None = None
    model: str | None = None
    year: int | None = None

    # -- facts, whichever format they came from --

    def add_name(self, kind: AliasKind, last: str | None, first: str | None = None) -> None:
        """A name; individuals get given/family and a "First LAST" full form."""
        if last is None:
            return
        if self.element_type in ("vessel", "aircraft") and kind != AliasKind.PRIMARY:
            # VehicleBody has one name: other names of a craft are kept as identifiers.
            self.identifiers.append(Identifier(scheme=f"{kind.value} name", value=last))
            return
        if self.element_type != "individual" or first is None:
            self.names.append(Name(full=last, kind=kind))
            return
        self.names.append(Name(full=f"{first} {last}", given=first, family=last, kind=kind))

    def add_listed_name(self, kind: AliasKind, text: str | None) -> None:
        """A name as the CSV writes it: "LAST, First" for individuals."""
        if text is not None and self.element_type == "individual" and ", " in text:
            last, first = text.split(", ", 1)
            self.add_name(kind, clean(last), clean(first))
        else:
            self.add_name(kind, text)

    def add_birth_date(self, text: str) -> bool:
        found = _birth_date(text)
        if found is not None:
            self.birth_dates.append(found)
        return found is not None

    def add_birth_place(self, text: str) -> None:
        """ "City, Region, Country": the last part is the country when it names one."""
        head, _, tail = text.rpartition(",")
        country = lookup_country(tail)
        if country is None:
            self.birth_places.append(Place(place=text))
        else:
            self.birth_places.append(Place(place=clean(head), country=country))

    def add_nationality(self, text: str | None) -> bool:
        country = lookup_country(text)
        if country is not None:
            self.nationalities.append(country)
        return country is not None

    def add_id(
        self,
        label: str,
        number: str,
        country_text: str | None,
        dates: str | None = None,
    ) -> bool:
        """An id number: a document for individuals, an identifier otherwise.

        False when the label is not a known number (it is then left in the remarks).
        """
        country = lookup_country(country_text)
        if label in _DOCUMENT_LABELS and self.element_type == "individual" and len(number) <= 100:
            document = _Document(_DOCUMENT_LABELS[label], number, country)
            if country is None:
                document.notes.add("issuing country", country_text)
            document.notes.add("type", label)
            _document_dates(document, dates)
            self.documents.append(document)
            return True
        # An entity's "National ID No." and the like are plain identifiers.
        scheme = _IDENTIFIER_LABELS.get(label) or (label if label in _DOCUMENT_LABELS else None)
        if label == _IMO_LABEL and number.upper().startswith("IMO "):
            scheme, number = "IMO", number[4:].strip()
        if scheme is None or len(number) > 200:
            return False
        self.identifiers.append(Identifier(scheme=scheme, value=number, country=country))
        self.notes.add(f"{scheme} {number}", join((None if country else country_text, dates)))
        return True

    def add_fact(self, label: str, value: str) -> bool:
        """A labelled fact other than an id number; False when it is not one we read."""
        if label == "DOB":
            return self.add_birth_date(value)
        if label == "POB":
            self.add_birth_place(value)
            return True
        if label in ("nationality", "citizen", "Nationality of Registration"):
            if self.element_type == "individual":
                return self.add_nationality(value)
            country = lookup_country(value)
            self.countries.extend([country] if country else [])
            return country is not None
        if label == "Gender" and value.lower() in _GENDERS:
            self.gender = _GENDERS[value.lower()]
            return True
        if label == "Aircraft Model":
            self.model = value
            return True
        if label == "Aircraft Manufacture Date" and re.fullmatch(r"\d{4}", value):
            self.year = int(value)
            return True
        return False

    # -- drafts --

    def drafts(self, dataset: str, version: str, path: Path) -> list[RecordDraft]:
        """The entry's own draft followed by one draft per identity document."""
        if not self.names:
            raise FormatError(path, self.location, f"entry {self.uid} has no name")
        if self.programs:
            self.notes.add("programs", ", ".join(self.programs))

        what = f"entry {self.uid}"
        main = validated(path, self.location, what, self._draft, dataset, version, None)
        documents = [
            validated(
                path, self.location, f"document {n} of {what}", self._draft, dataset, version, n
            )
            for n in range(1, len(self.documents) + 1)
        ]
        return [main, *documents]

    def _draft(self, dataset: str, version: str, document: int | None) -> RecordDraft:
        """The entry's draft, or (`document` = n) the draft of its n-th document."""
        if document is None:
            kind, body = self._body()
            record_id = self.uid
        else:
            kind, body = RecordKind.DOCUMENT, self._document(self.documents[document - 1])
            record_id = f"{self.uid}/doc/{document}"
        source = Source(dataset=dataset, source_id=record_id, version=version)
        return RecordDraft(
            kind=kind, body=body, governance=PUBLIC_LIST, source=source, id=record_id
        )

    def _body(self) -> tuple[RecordKind, RecordBody]:
        if self.element_type == "individual":
            return RecordKind.PERSON, PersonBody(
                names=self.names,
                birth_dates=self.birth_dates,
                birth_places=self.birth_places,
                nationalities=unique(self.nationalities),
                gender=self.gender,
                identifiers=self.identifiers,
                addresses=self.addresses,
                remarks=self.notes.text(),
            )
        if self.element_type == "entity":
            default = OrganisationKind.GROUP if "FTO" in self.programs else OrganisationKind.OTHER
            return RecordKind.ORGANISATION, OrganisationBody(
                names=self.names,
                organisation_kind=guess_organisation_kind(self.names[0].full, default),
                countries=unique(
                    [*self.countries, *(a.country for a in self.addresses if a.country)]
                ),
                registration_numbers=self.identifiers,
                addresses=self.addresses,
                remarks=self.notes.text(),
            )
        return RecordKind.VEHICLE, VehicleBody(
            vehicle_type=self.element_type,
            name=self.names[0].full,
            identifiers=self.identifiers,
            plate_country=self.flag,
            model=self.model,
            year=self.year,
            remarks=self.notes.text(),
        )

    def _document(self, document: _Document) -> DocumentBody:
        return DocumentBody(
            document_type=document.document_type,
            number=document.number,
            issuing_country=document.country,
            issued=document.issued,
            expires=document.expires,
            holder_name=self.names[0].full,
            person_id=self.uid,
            remarks=document.notes.text(),
        )


def _document_dates(document: _Document, text: str | None) -> None:
    """ "issued 01 Jan 2010 expires 01 Jan 2020" into the document; what is left, to remarks."""
    if not text:
        return
    rest = text
    for found in _ISSUED.finditer(text):
        value = _partial_date(found["date"])
        if value is None:
            continue
        if found["what"] == "issued":
            document.issued = value
        else:
            document.expires = value
        rest = rest.replace(found[0], "")
    document.notes.add(None, rest)


def _partial_date(text: str) -> str | None:
    """ "05 Jan 1960" -> 1960-01-05, "Jan 1960" -> 1960-01, "1960" -> 1960; else ``None``."""
    found = _DATE.match(text.strip())
    if found is None or (found["day"] and not found["month"]):
        return None
    month = _MONTHS.get(found["month"].lower()) if found["month"] else None
    if found["month"] and month is None:
        return None
    value = found["year"]
    if month is not None:
        value += f"-{month:02d}"
    if found["day"]:
        value += f"-{int(found['day']):02d}"
    try:
        BirthDate(date=value)
    except ValidationError:
        return None
    return value


def _birth_date(text: str) -> BirthDate | None:
    """ "05 Jan 1960", "circa 1960", "1960 to 1962"; ``None`` when the pattern is not clear."""
    found = _DOB.match(text.strip())
    if found is None:
        return None
    first = _partial_date(found["first"])
    last = _partial_date(found["last"]) if found["last"] else None
    circa = bool(found["circa"])
    if first is None or (found["last"] and last is None):
        return None
    try:
        if last is not None:
            return BirthDate(earliest=first, latest=last, circa=circa)
        return BirthDate(date=first, circa=circa)
    except ValidationError:
        return None


def _read_remarks(entry: _Entry, remarks: str | None) -> None:
    """Parse the clear "; "-separated facts of a CSV Remarks field; keep the rest as text."""
    if remarks is None:
        return
    kept: list[str] = []
    for segment in re.split(r";\s*", remarks.removesuffix(".")):
        text = segment.removeprefix("alt. ").strip()
        if not _read_segment(entry, text):
            kept.append(segment)
    entry.notes.add(None, "; ".join(kept) + "." if kept else None)


def _read_segment(entry: _Entry, text: str) -> bool:
    fact = _SEGMENT.match(text)
    if fact is not None:
        return entry.add_fact(fact["label"], fact["value"].strip())
    found = _ID_SEGMENT.match(text)
    if found is not None:
        return entry.add_id(found["label"], found["number"], found["country"], found["rest"])
    return False


# --- the legacy CSV triple ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_ofac_sdn_csv(
    directory: Path, version: str | None = None, encoding: str = "latin-1"
) -> Dataset:
    """Read sdn.csv, alt.csv and add.csv from `directory`, joined on ent_num.

    The files carry no date, so the version is `version` when the caller knows it, else
    ``sha256:`` and the first 16 hex digits of the hash of the three files: the same files
    always give the same version (file times change on every copy, so they are not used).
    """
    directory = Path(directory)
    digest = hashlib.sha256()
    tables: dict[str, list[tuple[int, list[str | None]]]] = {}
    for name, columns in (
        ("sdn.csv", _SDN_COLUMNS),
        ("alt.csv", _ALT_COLUMNS),
        ("add.csv", _ADD_COLUMNS),
    ):
        raw = _read_bytes(directory / name)
        digest.update(raw)
        tables[name] = _csv_rows(directory / name, raw, columns, encoding)
    version = version or f"sha256:{digest.hexdigest()[:16]}"
    entries = _sdn_entries(directory / "sdn.csv", tables["sdn.csv"])
    _attach_aliases(directory / "alt.csv", tables["alt.csv"], entries)
    _attach_addresses(directory / "add.csv", tables["add.csv"], entries)
    records: list[RecordDraft] = []
    for entry in entries.values():
        records.extend(entry.drafts(OFAC_SDN, version, directory / "sdn.csv"))
    return Dataset(name=OFAC_SDN, version=version, records=records, source_path=str(directory))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FormatError(path, None, f"cannot read the file: {exc.strerror or exc}") from None


def _position(text: str, offset: int) -> str:
    """ "line L, column C" of a character offset (columns count from 1)."""
    before = text[:offset]
    return f"line {before.count(chr(10)) + 1}, column {offset - before.rfind(chr(10))}"


def _decode(path: Path, raw: bytes, encoding: str) -> str:
    """Decode strictly; control characters (NULs of UTF-16, binary data) are refused too."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FormatError(
            path,
            _position(raw[: exc.start].decode("latin-1"), exc.start),
            f"byte 0x{raw[exc.start]:02x} is not valid {encoding}",
        ) from None
    text = text.removesuffix("\x1a")  # DOS end-of-file marker that OFAC files end with
    bad = _CONTROL.search(text)
    if bad is not None:
        raise FormatError(
            path,
            _position(text, bad.start()),
            f"control character U+{ord(bad.group()):04X}: not {encoding} CSV text "
            "(UTF-16 or binary data?)",
        )
    return text


def _csv_rows(
    path: Path, raw: bytes, columns: int, encoding: str
) -> list[tuple[int, list[str | None]]]:
    """(line, values) per row, ``-0-`` as ``None``; line is where the row ends."""
    reader = csv.reader(io.StringIO(_decode(path, raw, encoding), newline=""), strict=True)
    rows: list[tuple[int, list[str | None]]] = []
    try:
        for row in reader:
            if not any(value.strip() for value in row):
                continue
            if len(row) != columns:
                raise FormatError(
                    path, f"line {reader.line_num}", f"expected {columns} columns, found {len(row)}"
                )
            rows.append((reader.line_num, [_value(value) for value in row]))
    except csv.Error as exc:
        raise FormatError(path, f"line {reader.line_num}", f"malformed CSV: {exc}") from None
    return rows


def _value(text: str) -> str | None:
    value = clean(text)
    return None if value == _NULL else value


def _ent_num(path: Path, line: int, value: str | None) -> str:
    if value is None or not value.isdigit():
        raise FormatError(path, f"line {line}", f"ent_num must be an integer, found {value!r}")
    return str(int(value))


def _sdn_entries(path: Path, rows: list[tuple[int, list[str | None]]]) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    lines: dict[str, int] = {}
    for line, row in rows:
        ent_num = _ent_num(path, line, row[0])
        if ent_num in lines:
            raise FormatError(
                path,
                f"line {line}",
                f"duplicate ent_num {ent_num} (first at line {lines[ent_num]})",
            )
        lines[ent_num] = line
        entries[ent_num] = validated(
            path, f"line {line}", f"ent_num {ent_num}", _sdn_entry, path, line, ent_num, row
        )
    return entries


def _sdn_entry(path: Path, line: int, ent_num: str, row: list[str | None]) -> _Entry:
    _, name, sdn_type, program, title, call_sign, _, _, _, flag, _, remarks = row
    element_type = (sdn_type or "entity").lower()
    if element_type not in _TYPES:
        raise FormatError(
            path,
            f"line {line}",
            f"SDN_Type must be individual, vessel, aircraft or -0-, found {sdn_type!r}",
        )
    if name is None:
        raise FormatError(path, f"line {line}", "SDN_Name is empty")
    entry = _Entry(uid=ent_num, element_type=element_type, location=f"line {line}")
    entry.add_listed_name(AliasKind.PRIMARY, name)
    entry.programs = [p.strip("[] ") for p in (program or "").split("] [") if p.strip("[] ")]
    entry.notes.add("title", title)
    if call_sign:
        entry.identifiers.append(Identifier(scheme="call sign", value=call_sign))
    entry.flag = lookup_country(flag)
    _read_remarks(entry, remarks)
    return entry


def _owner(path: Path, line: int, value: str | None, entries: dict[str, _Entry]) -> _Entry:
    ent_num = _ent_num(path, line, value)
    if ent_num not in entries:
        raise FormatError(path, f"line {line}", f"ent_num {ent_num} is not in sdn.csv")
    return entries[ent_num]


def _attach_aliases(
    path: Path, rows: list[tuple[int, list[str | None]]], entries: dict[str, _Entry]
) -> None:
    for line, (ent_num, _, alt_type, alt_name, alt_remarks) in rows:
        entry = _owner(path, line, ent_num, entries)
        kind = _ALIAS_TYPES.get((alt_type or "").lower())
        if kind is None:
            raise FormatError(
                path, f"line {line}", f"alt_type must be aka, fka or nka, found {alt_type!r}"
            )
        if alt_name is None:
            raise FormatError(path, f"line {line}", "alt_name is empty")
        validated(path, f"line {line}", "alias", entry.add_listed_name, kind, alt_name)
        entry.notes.add(f"alias {alt_name}", alt_remarks)


def _attach_addresses(
    path: Path, rows: list[tuple[int, list[str | None]]], entries: dict[str, _Entry]
) -> None:
    for line, (ent_num, _, street, city, country, add_remarks) in rows:
        entry = _owner(path, line, ent_num, entries)
        full = join((street, city, country, add_remarks))
        if full:
            address = validated(
                path,
                f"line {line}",
                "address",
                Address,
                full=full,
                city=city,
                country=lookup_country(country),
            )
            entry.addresses.append(address)


# --- the sdnList XML ------------------------------------------------------------------------


def read_ofac_xml(path: Path) -> Dataset:
    """Read an OFAC list in the sdnList XML schema (SDN or consolidated non-SDN list)."""
    # The same schema carries the SDN list (sdn.xml) and the consolidated non-SDN list: they
    # are different lists, and importing one must not delist the other's entries.
    name = OFAC_SDN if path.stem.lower().startswith("sdn") else OFAC_CONSOLIDATED
    path = Path(path)
    root = parse_xml(path)
    if tag_of(root) != "sdnList":
        raise FormatError(
            path, at_line(root), f"expected root element sdnList, found {tag_of(root)}"
        )
    version = _publish_date(path, root)
    entries = root.findall("{*}sdnEntry")
    count = root.find("{*}publshInformation/{*}Record_Count")
    if count is not None and clean(count.text) != str(len(entries)):
        raise FormatError(
            path,
            at_line(count),
            f"Record_Count says {clean(count.text)}, the file has {len(entries)} entries",
        )
    seen: dict[str, int] = {}
    records: list[RecordDraft] = []
    for element in entries:
        entry = validated(path, at_line(element), "sdnEntry", _xml_entry, path, element, seen)
        records.extend(entry.drafts(name, version, path))
    return Dataset(name=name, version=version, records=records, source_path=str(path))


def _publish_date(path: Path, root: etree._Element) -> str:
    """Publish_Date as ISO (it is written MM/DD/YYYY); kept as written if it is not."""
    element = root.find("{*}publshInformation/{*}Publish_Date")
    text = clean(element.text) if element is not None else None
    if text is None:
        raise FormatError(path, at_line(root), "expected publshInformation/Publish_Date")
    try:
        return datetime.strptime(text, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return text


def _find(element: etree._Element, tag: str) -> str | None:
    return clean(element.findtext(f"{{*}}{tag}"))


def _all(element: etree._Element, path: str) -> list[etree._Element]:
    return element.findall("/".join(f"{{*}}{part}" for part in path.split("/")))


def _xml_entry(path: Path, element: etree._Element, seen: dict[str, int]) -> _Entry:
    uid = _find(element, "uid")
    if uid is None:
        raise FormatError(path, at_line(element), "sdnEntry without uid")
    claim_id(path, seen, uid, element)
    sdn_type = (_find(element, "sdnType") or "").lower()
    if sdn_type not in _TYPES:
        raise FormatError(
            path,
            at_line(element),
            f"sdnType must be Individual, Entity, Vessel or Aircraft, found {sdn_type!r}",
        )
    entry = _Entry(uid=uid, element_type=sdn_type, location=at_line(element))
    entry.add_name(AliasKind.PRIMARY, _find(element, "lastName"), _find(element, "firstName"))
    for aka in _all(element, "akaList/aka"):
        weak = (_find(aka, "category") or "").lower() == "weak"
        kind = (
            AliasKind.WEAK
            if weak
            else _ALIAS_TYPES.get((_find(aka, "type") or "").lower(), AliasKind.AKA)
        )
        entry.add_name(kind, _find(aka, "lastName"), _find(aka, "firstName"))
    entry.programs = [p for p in (clean(e.text) for e in _all(element, "programList/program")) if p]
    entry.notes.add("title", _find(element, "title"))
    _xml_facts(entry, element)
    _xml_ids(entry, element)
    _xml_vessel(entry, element)
    addresses = (_xml_address(a) for a in _all(element, "addressList/address"))
    entry.addresses.extend(a for a in addresses if a is not None)
    entry.notes.add(None, _find(element, "remarks"))
    return entry


def _xml_facts(entry: _Entry, element: etree._Element) -> None:
    """Dates and places of birth, nationalities and citizenships; unclear values to remarks."""
    for label, list_path, tag in (
        ("DOB", "dateOfBirthList/dateOfBirthItem", "dateOfBirth"),
        ("POB", "placeOfBirthList/placeOfBirthItem", "placeOfBirth"),
        ("nationality", "nationalityList/nationality", "country"),
        ("citizen", "citizenshipList/citizenship", "country"),
    ):
        for item in _all(element, list_path):
            value = _find(item, tag)
            if value is not None and not entry.add_fact(label, value):
                entry.notes.add(label, value)


def _xml_ids(entry: _Entry, element: etree._Element) -> None:
    for item in _all(element, "idList/id"):
        label, number = _find(item, "idType") or "", _find(item, "idNumber")
        dates = join(
            (
                _find(item, "issueDate") and f"issued {_find(item, 'issueDate')}",
                _find(item, "expirationDate") and f"expires {_find(item, 'expirationDate')}",
            ),
            " ",
        )
        if number is None:
            entry.notes.add(None, label)
        elif not (
            entry.add_fact(label, number)
            or entry.add_id(label, number, _find(item, "idCountry"), dates)
        ):
            entry.notes.add(
                label.rstrip(":- "), join((number, _find(item, "idCountry"), dates), "; ")
            )


def _xml_vessel(entry: _Entry, element: etree._Element) -> None:
    for info in _all(element, "vesselInfo"):
        call_sign = _find(info, "callSign")
        if call_sign:
            entry.identifiers.append(Identifier(scheme="call sign", value=call_sign))
        entry.flag = lookup_country(_find(info, "vesselFlag"))


def _xml_address(element: etree._Element) -> Address | None:
    full = join(
        _find(element, tag)
        for tag in (
            "address1",
            "address2",
            "address3",
            "city",
            "stateOrProvince",
            "postalCode",
            "country",
        )
    )
    if full is None:
        return None
    return Address(
        full=full, city=_find(element, "city"), country=lookup_country(_find(element, "country"))
    )
