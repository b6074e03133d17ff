"""Reader for goAML XML reports (STR, SAR, CTR, EFT, ...), validated against an XSD.

goAML (UNODC) has no public library and every FIU customises the official schema, so the
reader validates with `xmlschema` against **our schema of the public goAML 4.x structure**
(`GOAML_XSD`, below) — or against an FIU-supplied XSD when one is given. Our schema keeps the
element order of goAML 4 for the parts we read:

- report header: ``rentity_id``, ``submission_code`` (E/M), ``report_code``, ``entity_reference``,
  ``submission_date``, ``currency_code_local``, ``reason``, ``action``;
- ``transaction`` elements: ``transactionnumber``, ``date_transaction``, ``transmode_code``,
  ``amount_local``, then ``t_from_my_client`` or ``t_from`` and ``t_to_my_client`` or ``t_to``,
  each holding one ``*_account`` (``t_account``), ``*_person`` (``t_person``) or ``*_entity``
  (``t_entity``) and a ``*_country``;
- ``report_indicators`` (indicator codes).

A transaction's sides become accounts: a side given as a person or entity (cash, a walk-in
customer) gets a pseudo-account ``party:<id>`` so that the money flow stays connected. Persons
and entities become person and organisation records with their phones and e-mails as
identifiers (scheme ``phone`` / ``email``) and their addresses; account signatories and the
account's entity become its holders. The report's code, reason, action and indicators are kept
in each transaction's reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xmlschema
from lxml import etree

from borderless.domain.codes import OrganisationKind, RecordKind
from borderless.errors import FormatError
from borderless.formats.list_common import parse_xml
from borderless.formats.transactions_csv import (
    Account,
    FlowBuilder,
    Party,
    RowError,
    Transfer,
    parse_amount,
    parse_time,
)

_PERSON_FIELDS = [
    "gender",
    "title",
    "first_name",
    "middle_name",
    "prefix",
    "last_name",
    "birthdate",
    "birth_place",
    "mothers_name",
    "alias",
    "ssn",
    "passport_number",
    "passport_country",
    "id_number",
    "nationality1",
    "nationality2",
    "nationality3",
    "residence",
]
_PERSON_TAIL = [
    "email",
    "occupation",
    "employer_name",
    "deceased",
    "date_deceased",
    "tax_number",
    "comments",
]
_ENTITY_FIELDS = [
    "name",
    "commercial_name",
    "incorporation_legal_form",
    "incorporation_number",
    "business",
]
_ENTITY_TAIL = [
    "email",
    "url",
    "incorporation_state",
    "incorporation_country_code",
    "director_id",
    "incorporation_date",
    "business_closed",
    "date_business_closed",
    "tax_number",
    "comments",
]
_ACCOUNT_HEAD = ["institution_name", "institution_code", "swift", "non_bank_institution", "branch"]
_ACCOUNT_FIELDS = ["account", "currency_code", "account_name", "iban", "client_number"]
_ACCOUNT_TAIL = [
    "opened",
    "closed",
    "balance",
    "date_balance",
    "status_code",
    "beneficiary",
    "comments",
]


def _elements(names: list[str], required: tuple[str, ...] = ()) -> str:
    special = {
        "director_id": '<xs:element name="director_id" type="t_person" minOccurs="0" '
        'maxOccurs="unbounded"/>',
        "email": '<xs:element name="email" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>',
    }
    parts = []
    for name in names:
        if name in special:
            parts.append(special[name])
        else:
            low = "1" if name in required else "0"
            parts.append(f'<xs:element name="{name}" type="xs:string" minOccurs="{low}"/>')
    return "\n".join(parts)


_CONTACT = """
<xs:element name="phones" minOccurs="0"><xs:complexType><xs:sequence>
  <xs:element name="phone" maxOccurs="unbounded"><xs:complexType><xs:sequence>
    <xs:element name="tph_contact_type" type="xs:string" minOccurs="0"/>
    <xs:element name="tph_communication_type" type="xs:string" minOccurs="0"/>
    <xs:element name="tph_country_prefix" type="xs:string" minOccurs="0"/>
    <xs:element name="tph_number" type="xs:string"/>
    <xs:element name="tph_extension" type="xs:string" minOccurs="0"/>
    <xs:element name="comments" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="addresses" minOccurs="0"><xs:complexType><xs:sequence>
  <xs:element name="address" maxOccurs="unbounded"><xs:complexType><xs:sequence>
    <xs:element name="address_type" type="xs:string" minOccurs="0"/>
    <xs:element name="address" type="xs:string"/>
    <xs:element name="town" type="xs:string" minOccurs="0"/>
    <xs:element name="city" type="xs:string" minOccurs="0"/>
    <xs:element name="zip" type="xs:string" minOccurs="0"/>
    <xs:element name="country_code" type="xs:string" minOccurs="0"/>
    <xs:element name="state" type="xs:string" minOccurs="0"/>
    <xs:element name="comments" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element>
"""


def _side(direction: str, my_client: bool) -> str:
    d = direction
    name = f"t_{d}_my_client" if my_client else f"t_{d}"
    return f"""
<xs:complexType name="{name}_type"><xs:sequence>
  <xs:element name="{d}_funds_code" type="xs:string"/>
  <xs:element name="{d}_funds_comment" type="xs:string" minOccurs="0"/>
  <xs:element name="{d}_foreign_currency" type="t_foreign_currency" minOccurs="0"/>
  <xs:choice>
    <xs:element name="{d}_account" type="t_account"/>
    <xs:element name="{d}_person" type="t_person"/>
    <xs:element name="{d}_entity" type="t_entity"/>
  </xs:choice>
  <xs:element name="{d}_country" type="xs:string"/>
</xs:sequence></xs:complexType>"""


GOAML_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
<xs:complexType name="t_foreign_currency"><xs:sequence>
  <xs:element name="foreign_currency_code" type="xs:string"/>
  <xs:element name="foreign_amount" type="xs:decimal"/>
  <xs:element name="foreign_exchange_rate" type="xs:decimal"/>
</xs:sequence></xs:complexType>
<xs:complexType name="t_person"><xs:sequence>
  {_elements(_PERSON_FIELDS, ("last_name",))}
  {_CONTACT}
  {_elements(_PERSON_TAIL)}
</xs:sequence></xs:complexType>
<xs:complexType name="t_entity"><xs:sequence>
  {_elements(_ENTITY_FIELDS, ("name",))}
  {_CONTACT}
  {_elements(_ENTITY_TAIL)}
</xs:sequence></xs:complexType>
<xs:complexType name="t_account"><xs:sequence>
  {_elements(_ACCOUNT_HEAD)}
  {_elements(_ACCOUNT_FIELDS, ("account",))}
  <xs:element name="t_entity" type="t_entity" minOccurs="0"/>
  <xs:element name="signatory" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
    <xs:element name="is_primary" type="xs:boolean" minOccurs="0"/>
    <xs:element name="t_person" type="t_person"/>
    <xs:element name="role" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  {_elements(_ACCOUNT_TAIL)}
</xs:sequence></xs:complexType>
{_side("from", True)}{_side("from", False)}{_side("to", True)}{_side("to", False)}
<xs:element name="report"><xs:complexType><xs:sequence>
  <xs:element name="rentity_id" type="xs:string"/>
  <xs:element name="rentity_branch" type="xs:string" minOccurs="0"/>
  <xs:element name="submission_code"><xs:simpleType><xs:restriction base="xs:string">
    <xs:enumeration value="E"/><xs:enumeration value="M"/>
  </xs:restriction></xs:simpleType></xs:element>
  <xs:element name="report_code" type="xs:string"/>
  <xs:element name="entity_reference" type="xs:string" minOccurs="0"/>
  <xs:element name="fiu_ref_number" type="xs:string" minOccurs="0"/>
  <xs:element name="submission_date" type="xs:dateTime"/>
  <xs:element name="currency_code_local" type="xs:string"/>
  <xs:element name="reporting_person" type="t_person" minOccurs="0"/>
  <xs:element name="reason" type="xs:string" minOccurs="0"/>
  <xs:element name="action" type="xs:string" minOccurs="0"/>
  <xs:element name="transaction" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
    <xs:element name="transactionnumber" type="xs:string"/>
    <xs:element name="internal_ref_number" type="xs:string" minOccurs="0"/>
    <xs:element name="transaction_location" type="xs:string" minOccurs="0"/>
    <xs:element name="transaction_description" type="xs:string" minOccurs="0"/>
    <xs:element name="date_transaction" type="xs:dateTime"/>
    <xs:element name="teller" type="xs:string" minOccurs="0"/>
    <xs:element name="authorized" type="xs:string" minOccurs="0"/>
    <xs:element name="value_date" type="xs:dateTime" minOccurs="0"/>
    <xs:element name="transmode_code" type="xs:string"/>
    <xs:element name="transmode_comment" type="xs:string" minOccurs="0"/>
    <xs:element name="amount_local" type="xs:decimal"/>
    <xs:choice>
      <xs:element name="t_from_my_client" type="t_from_my_client_type"/>
      <xs:element name="t_from" type="t_from_type"/>
    </xs:choice>
    <xs:choice>
      <xs:element name="t_to_my_client" type="t_to_my_client_type"/>
      <xs:element name="t_to" type="t_to_type"/>
    </xs:choice>
    <xs:element name="comments" type="xs:string" minOccurs="0"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="report_indicators" minOccurs="0"><xs:complexType><xs:sequence>
    <xs:element name="indicator" type="xs:string" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element>
</xs:schema>
"""

# goAML transmode codes seen across FIUs' lookup tables, mapped to our channels.
CHANNELS = {"A": "cash", "B": "wire", "C": "cheque", "K": "cash", "W": "wire", "E": "card"}


def load_schema(xsd: Path | None = None) -> xmlschema.XMLSchema:
    """Our goAML 4.x schema, or an FIU-supplied XSD file."""
    if xsd is None:
        return xmlschema.XMLSchema(GOAML_XSD)
    try:
        return xmlschema.XMLSchema(str(xsd))
    except (xmlschema.XMLSchemaException, OSError, etree.XMLSyntaxError) as exc:
        raise FormatError(xsd, None, f"not a usable XSD: {exc}") from None


def _validate(path: Path, root: etree._Element, schema: xmlschema.XMLSchema) -> None:
    tree: Any = etree.ElementTree(root)  # xmlschema reads lxml trees (and keeps line numbers)
    for error in schema.iter_errors(tree):
        element = error.elem
        line = getattr(element, "sourceline", None)
        where = f"line {line}" if line else None
        reason = error.reason or str(error.message)
        raise FormatError(path, where, f"goAML schema: {error.path}: {reason}")


def _text(element: etree._Element | None, name: str) -> str | None:
    if element is None:
        return None
    found = element.find(name)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _where(element: etree._Element) -> str:
    return f"line {element.sourceline}"


def _contacts(element: etree._Element) -> dict[str, Any]:
    identifiers = [
        {"scheme": "phone", "value": f"{_text(p, 'tph_country_prefix') or ''}{num}"}
        for p in element.iterfind("phones/phone")
        if (num := _text(p, "tph_number"))
    ]
    identifiers += [
        {"scheme": "email", "value": e.text.strip()}
        for e in element.iterfind("email")
        if e.text and e.text.strip()
    ]
    addresses = [
        {
            "full": ", ".join(
                v for v in (_text(a, "address"), _text(a, "city"), _text(a, "zip")) if v
            ),
            "city": _text(a, "city"),
            "country": _text(a, "country_code"),
        }
        for a in element.iterfind("addresses/address")
    ]
    found: dict[str, Any] = {}
    if identifiers:
        found["identifiers"] = identifiers
    if addresses:
        found["addresses"] = [{k: v for k, v in a.items() if v} for a in addresses]
    return found


def _person(builder: FlowBuilder, element: etree._Element) -> str:
    names = [_text(element, n) for n in ("first_name", "middle_name", "last_name")]
    full = " ".join(n for n in names if n) or "?"
    extra = _contacts(element)
    ids = [("ssn", "ssn"), ("passport_number", "passport"), ("id_number", "national_id")]
    for tag, scheme in ids:
        if value := _text(element, tag):
            extra.setdefault("identifiers", []).append({"scheme": scheme, "value": value})
    if birth := _text(element, "birthdate"):
        extra["birth_dates"] = [{"date": birth[:10]}]
    nationalities = [n for t in ("nationality1", "nationality2") if (n := _text(element, t))]
    if nationalities:
        extra["nationalities"] = nationalities
    key = next(
        (v for t, _ in ids if (v := _text(element, t))),
        f"{full}|{_text(element, 'birthdate') or ''}",
    )
    return builder.party(
        _where(element), Party(f"person:{key}", full, RecordKind.PERSON, None, extra=extra)
    )


def _entity(builder: FlowBuilder, element: etree._Element) -> str:
    name = _text(element, "name") or "?"
    extra = _contacts(element)
    if number := _text(element, "incorporation_number"):
        extra["registration_numbers"] = [{"scheme": "incorporation", "value": number}]
    directors = [_person(builder, d) for d in element.iterfind("director_id")]
    if directors:
        extra["director_ids"] = directors
    kind = OrganisationKind.COMPANY
    if "charit" in (_text(element, "incorporation_legal_form") or "").lower():
        kind = OrganisationKind.CHARITY
    party = Party(
        f"entity:{number or name}",
        name,
        RecordKind.ORGANISATION,
        _text(element, "incorporation_country_code"),
        kind,
        extra,
    )
    return builder.party(_where(element), party)


def _account(builder: FlowBuilder, element: etree._Element, country: str | None) -> str:
    holders = [_person(builder, person) for person in element.iterfind("signatory/t_person")]
    entity = element.find("t_entity")
    if entity is not None:
        holders.append(_entity(builder, entity))
    number = _text(element, "account") or "?"
    institution = _text(element, "institution_code") or _text(element, "swift") or ""
    source_id = f"{institution}/{number}" if institution else number
    account = Account(
        source_id,
        country=country,
        iban=_text(element, "iban"),
        bic=_text(element, "swift"),
        institution=_text(element, "institution_name"),
        currency=_text(element, "currency_code"),
        holders=tuple(h.removeprefix("party:") for h in holders),
    )
    builder.fill_account(_where(element), account)
    return source_id


def _party_account(builder: FlowBuilder, element: etree._Element, country: str | None) -> str:
    """A pseudo-account for a side given as a person or entity (cash, walk-in customers)."""
    tag = etree.QName(element).localname
    rid = _person(builder, element) if tag.endswith("person") else _entity(builder, element)
    note = "pseudo-account for a party without an account (goAML)"
    builder.fill_account(
        _where(element),
        Account(rid, country=country, holders=(rid.removeprefix("party:"),), remarks=note),
    )
    return rid


def _side_account(builder: FlowBuilder, tx: etree._Element, d: str) -> tuple[str, str | None]:
    side = tx.find(f"t_{d}_my_client")
    if side is None:
        side = tx.find(f"t_{d}")
    assert side is not None  # the schema requires one of them
    country = _text(side, f"{d}_country")
    holder = side.find(f"{d}_account")
    if holder is not None:
        return _account(builder, holder, country), country
    for kind in ("person", "entity"):
        party = side.find(f"{d}_{kind}")
        if party is not None:
            return _party_account(builder, party, country), country
    raise builder.error(_where(side), f"t_{d}: no account, person or entity")


def read_goaml(path: Path, xsd: Path | None = None) -> FlowBuilder:
    """Validate a goAML report (our schema, or `xsd`) and read its parties and transactions."""
    root = parse_xml(path)
    _validate(path, root, load_schema(xsd))
    if etree.QName(root).localname != "report":
        raise FormatError(path, _where(root), "expected a goAML <report> root element")
    builder = FlowBuilder("goaml", path)
    header = {k: _text(root, k) for k in ("report_code", "reason", "action", "entity_reference")}
    indicators = [i.text.strip() for i in root.iterfind("report_indicators/indicator") if i.text]
    currency = _text(root, "currency_code_local") or ""
    reference = "; ".join(
        [f"goAML {header['report_code']} from {_text(root, 'rentity_id')}"]
        + [f"{k}: {v}" for k, v in header.items() if v and k != "report_code"]
        + ([f"indicators: {', '.join(indicators)}"] if indicators else [])
    )
    for tx in root.iterfind("transaction"):
        where = _where(tx)
        src, from_country = _side_account(builder, tx, "from")
        dst, to_country = _side_account(builder, tx, "to")
        try:
            transfer = Transfer(
                source_id=_text(tx, "transactionnumber") or "?",
                from_account=src,
                to_account=dst,
                amount=parse_amount(_text(tx, "amount_local")),
                currency=currency,
                time=parse_time(_text(tx, "date_transaction") or ""),
                channel=CHANNELS.get(
                    _text(tx, "transmode_code") or "", _text(tx, "transmode_code")
                ),
                from_country=from_country,
                to_country=to_country,
                reference=reference[:2000],
            )
        except RowError as exc:
            raise builder.error(where, str(exc)) from None
        builder.transfer(where, transfer)
    return builder
