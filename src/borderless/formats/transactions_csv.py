"""Transactions as a table (CSV or Parquet), and the builder every financial reader shares.

One row is one transaction. Required columns: ``transaction_id``, ``from_account``,
``to_account``, ``amount``, ``currency``, ``time`` (ISO 8601; a date alone is midnight UTC).
Optional: ``channel``, ``reference``, and per side (``from_``/``to_``) ``country``, ``iban``,
``bic``, ``bank``, ``holder`` (a name), ``holder_type`` (``person`` or ``organisation``),
``holder_id`` (the source's party id; default: the name).

`FlowBuilder` turns parties, accounts and transactions of any source (this table, goAML,
pacs.008, AMLSim) into record drafts with local ids (``acct:…``, ``tx:…``, ``party:…``) and the
source's own ids kept in `Source.source_id`; the importer prefixes them with the owner and the
format. Parties and accounts come out before the transactions that link to them, so one
atomic import can store them all.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from borderless.domain.codes import OrganisationKind, RecordKind
from borderless.domain.records import RecordDraft, Source
from borderless.errors import FormatError
from borderless.formats.records_jsonl import OwnedDraft
from borderless.formats.validation import describe_validation_error

REQUIRED = ("transaction_id", "from_account", "to_account", "amount", "currency", "time")
_SIDE = ("country", "iban", "bic", "bank", "holder", "holder_type", "holder_id")
OPTIONAL = ("channel", "reference", *tuple(f"{s}_{c}" for s in ("from", "to") for c in _SIDE))
COLUMNS = REQUIRED + OPTIONAL


class RowError(Exception):
    """A problem in one row or element; the reader adds the file and the location."""


def parse_time(value: str) -> datetime:
    """ISO 8601 date or date-time; no zone means UTC."""
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(f"time: expected an ISO 8601 date or date-time, got {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_amount(value: Any) -> float:
    try:
        amount = float(str(value).replace(",", "").strip())
    except ValueError:
        raise RowError(f"amount: expected a number, got {value!r}") from None
    if not amount > 0:
        raise RowError(f"amount: must be greater than 0, got {value!r}")
    return amount


@dataclass(frozen=True)
class Party:
    source_id: str
    name: str
    kind: RecordKind = RecordKind.PERSON  # or ORGANISATION
    country: str | None = None
    organisation_kind: OrganisationKind = OrganisationKind.COMPANY
    extra: Mapping[str, Any] = field(default_factory=dict)  # more body fields (birth dates, ...)


@dataclass(frozen=True)
class Account:
    source_id: str
    country: str | None = None
    iban: str | None = None
    bic: str | None = None
    institution: str | None = None
    currency: str | None = None
    holders: tuple[str, ...] = ()  # party source ids
    remarks: str | None = None


@dataclass(frozen=True)
class Transfer:
    source_id: str
    from_account: str
    to_account: str
    amount: float
    currency: str
    time: datetime
    channel: str | None = None
    from_country: str | None = None
    to_country: str | None = None
    reference: str | None = None


def _check(draft: dict[str, Any]) -> RecordDraft:
    try:
        return RecordDraft.model_validate(draft)
    except ValidationError as exc:
        raise RowError(describe_validation_error(exc)) from None


class FlowBuilder:
    """Collects parties, accounts and transfers (deduplicated by source id) as record drafts."""

    def __init__(self, dataset: str, path: Path) -> None:
        self.dataset, self.path = dataset, path
        self._parties: dict[str, tuple[str, RecordDraft]] = {}
        self._accounts: dict[str, tuple[str, Account]] = {}
        self._transfers: list[tuple[str, RecordDraft]] = []
        self._seen_transfers: dict[str, str] = {}

    def _source(self, local: str) -> Source:
        return Source(dataset=self.dataset, source_id=local[:200])

    def party(self, where: str, party: Party) -> str:
        """Add a party once; returns its local record id."""
        rid = f"party:{party.source_id}"
        if rid not in self._parties:
            if party.kind == RecordKind.PERSON:
                body: dict[str, Any] = {"names": [{"full": party.name}], **party.extra}
                if party.country:
                    body.setdefault("nationalities", [party.country])
            else:
                body = {
                    "names": [{"full": party.name}],
                    "organisation_kind": party.organisation_kind.value,
                    **party.extra,
                }
                if party.country:
                    body.setdefault("countries", [party.country])
            draft: dict[str, Any] = {"id": rid, "kind": party.kind.value, "body": body}
            draft["source"] = self._source(party.source_id)
            self._parties[rid] = (where, self._at(where, draft))
        return rid

    def account(self, where: str, account: Account) -> str:
        """Add an account once (the first description wins); returns its local record id."""
        rid = f"acct:{account.source_id}"
        self._accounts.setdefault(rid, (where, account))
        return rid

    def transfer(self, where: str, transfer: Transfer) -> None:
        if transfer.source_id in self._seen_transfers:
            first = self._seen_transfers[transfer.source_id]
            raise self.error(where, f"duplicate transaction id {transfer.source_id!r} ({first})")
        self._seen_transfers[transfer.source_id] = where
        body = {
            "from_account_id": self.account(where, Account(transfer.from_account)),
            "to_account_id": self.account(where, Account(transfer.to_account)),
            "amount": transfer.amount,
            "currency": transfer.currency.upper(),
            "time": transfer.time,
            "channel": transfer.channel,
            "from_country": transfer.from_country,
            "to_country": transfer.to_country,
            "reference": transfer.reference,
        }
        draft = {
            "id": f"tx:{transfer.source_id}",
            "kind": "transaction",
            "body": {k: v for k, v in body.items() if v not in (None, "")},
            "source": self._source(transfer.source_id),
        }
        self._transfers.append((where, self._at(where, draft)))

    def _at(self, where: str, draft: dict[str, Any]) -> RecordDraft:
        try:
            return _check(draft)
        except RowError as exc:
            raise self.error(where, str(exc)) from None

    def error(self, where: str, problem: str) -> FormatError:
        return FormatError(self.path, where, problem)

    def _account_draft(self, rid: str, account: Account) -> dict[str, Any]:
        body: dict[str, Any] = {
            "iban": account.iban,
            "bic": account.bic,
            "number": None if account.iban else account.source_id[:64],
            "institution": account.institution,
            "country": account.country,
            "currency": account.currency.upper() if account.currency else None,
            "holder_ids": [f"party:{h}" for h in account.holders],
            "remarks": account.remarks,
        }
        body = {k: v for k, v in body.items() if v not in (None, "", [])}
        return {"id": rid, "kind": "account", "body": body, "source": self._source(rid[5:])}

    def drafts(self) -> Iterator[OwnedDraft]:
        """Parties, then accounts, then transfers; the location in `line` is the first row."""
        accounts = []
        for rid, (where, account) in self._accounts.items():
            accounts.append((where, self._at(where, self._account_draft(rid, account))))
        for number, (_where, draft) in enumerate(
            [*self._parties.values(), *accounts, *self._transfers], start=1
        ):
            yield OwnedDraft(line=number, owner=None, draft=draft)

    def knows_account(self, source_id: str) -> bool:
        return f"acct:{source_id}" in self._accounts

    def fill_account(self, where: str, account: Account) -> None:
        """Describe an account; fields a second description adds are merged into the first."""
        rid = f"acct:{account.source_id}"
        if rid not in self._accounts:
            self._accounts[rid] = (where, account)
            return
        first_where, known = self._accounts[rid]
        merged = {
            f.name: getattr(known, f.name) or getattr(account, f.name) for f in fields(Account)
        }
        merged["holders"] = tuple(dict.fromkeys(known.holders + account.holders))
        self._accounts[rid] = (first_where, Account(**merged))

    def counts(self) -> dict[str, int]:
        return {
            "parties": len(self._parties),
            "accounts": len(self._accounts),
            "transactions": len(self._transfers),
        }


def _side(row: Mapping[str, Any], side: str, builder: FlowBuilder, where: str) -> str:
    """Add the account (and its holder) of one side of a row; returns the account id."""

    def get(column: str) -> str | None:
        return _text(row.get(f"{side}_{column}"))

    account_id = _text(row.get(f"{side}_account"))
    if not account_id:
        raise RowError(f"{side}_account: required")
    holders: tuple[str, ...] = ()
    if name := get("holder"):
        kind_text = (get("holder_type") or "person").lower()
        if kind_text not in ("person", "organisation"):
            raise RowError(
                f"{side}_holder_type: expected person or organisation, got {kind_text!r}"
            )
        kind = RecordKind.PERSON if kind_text == "person" else RecordKind.ORGANISATION
        party = Party(get("holder_id") or name, name, kind, get("country"))
        builder.party(where, party)
        holders = (party.source_id,)
    if not builder.knows_account(account_id):
        builder.fill_account(
            where,
            Account(
                account_id,
                country=get("country"),
                iban=get("iban"),
                bic=get("bic"),
                institution=get("bank"),
                holders=holders,
            ),
        )
    return account_id


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def add_row(builder: FlowBuilder, row: Mapping[str, Any], where: str) -> None:
    """Validate one table row and add its parties, accounts and transaction."""
    try:
        missing = [c for c in REQUIRED if not _text(row.get(c))]
        if missing:
            raise RowError(f"missing value(s) for {', '.join(missing)}")
        source = _side(row, "from", builder, where)
        target = _side(row, "to", builder, where)
        transfer = Transfer(
            source_id=str(_text(row["transaction_id"])),
            from_account=source,
            to_account=target,
            amount=parse_amount(row["amount"]),
            currency=str(_text(row["currency"])),
            time=parse_time(str(row["time"])),
            channel=_text(row.get("channel")),
            from_country=_text(row.get("from_country")),
            to_country=_text(row.get("to_country")),
            reference=_text(row.get("reference")),
        )
    except RowError as exc:
        raise builder.error(where, str(exc)) from None
    builder.transfer(where, transfer)


def _check_header(path: Path, names: list[str], where: str) -> None:
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FormatError(path, where, f"missing column(s) {', '.join(missing)}")
    unknown = [c for c in names if c not in COLUMNS]
    if unknown:
        raise FormatError(
            path, where, f"unknown column(s) {', '.join(unknown)}; allowed: {', '.join(COLUMNS)}"
        )


def read_transactions_csv(path: Path, dataset: str = "txn-csv") -> FlowBuilder:
    """Read a transactions CSV (UTF-8, header row) completely; errors name the line."""
    builder = FlowBuilder(dataset, path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            _check_header(path, list(reader.fieldnames or []), "line 1")
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise FormatError(
                        path,
                        f"line {reader.line_num}",
                        f"expected {len(reader.fieldnames or [])} fields",
                    )
                add_row(builder, row, f"line {reader.line_num}")
    except UnicodeDecodeError as exc:
        raise FormatError(path, None, f"not valid UTF-8 (byte {exc.start + 1})") from None
    return builder


def read_transactions_parquet(path: Path, dataset: str = "txn-parquet") -> FlowBuilder:
    """Read a transactions Parquet file (the CSV's columns); errors name the row (1-based)."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    builder = FlowBuilder(dataset, path)
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise FormatError(path, None, f"not a readable Parquet file: {exc}") from None
    _check_header(path, table.column_names, "schema")
    for start in range(0, table.num_rows, 50_000):
        for offset, row in enumerate(table.slice(start, 50_000).to_pylist()):
            add_row(builder, row, f"row {start + offset + 1}")
    return builder
