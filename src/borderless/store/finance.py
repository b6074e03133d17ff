"""Columns of financial records for analytics, read with the caller's visibility applied.

The money-flow analytics work on NumPy/Arrow columns, not on `Record` objects: this module
selects only the fields they need straight out of the record bodies (SQL JSON extraction, the
same statement on SQLite and PostgreSQL) in chunks. It never decides who may see what: the
caller passes the visibility clause (`services.finance` passes the gate's browse clause, the
SQL twin of the access rules), so these reads are as governed as any other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from borderless.domain.codes import RecordKind
from borderless.store.schema import record_links, records

FLOW_KINDS = (
    RecordKind.ACCOUNT,
    RecordKind.TRANSACTION,
    RecordKind.PERSON,
    RecordKind.ORGANISATION,
)
CHUNK = 50_000

TRANSACTION_COLUMNS = (
    "id",
    "source_id",
    "owner",
    "from_account_id",
    "to_account_id",
    "amount",
    "currency",
    "time",
    "channel",
    "from_country",
    "to_country",
)
ACCOUNT_COLUMNS = ("id", "source_id", "owner", "country", "iban", "number", "holder_ids")
PARTY_COLUMNS = ("id", "kind", "source_id", "label", "body")


def _chunks(conn: Connection, query: Any) -> Iterator[Sequence[Any]]:
    result = conn.execution_options(yield_per=CHUNK).execute(query)
    while rows := result.fetchmany(CHUNK):
        yield rows


def transaction_rows(conn: Connection, visible: ColumnElement[bool]) -> Iterator[Sequence[Any]]:
    """Chunks of rows in `TRANSACTION_COLUMNS` order, of transactions the clause lets through."""
    body = records.c.body
    query = select(
        records.c.id,
        records.c.source_id,
        records.c.owner,
        body["from_account_id"].as_string(),
        body["to_account_id"].as_string(),
        body["amount"].as_float(),
        body["currency"].as_string(),
        body["time"].as_string(),
        body["channel"].as_string(),
        body["from_country"].as_string(),
        body["to_country"].as_string(),
    ).where(records.c.kind == RecordKind.TRANSACTION.value, visible)
    return _chunks(conn, query)


def account_rows(conn: Connection, visible: ColumnElement[bool]) -> Iterator[Sequence[Any]]:
    """Chunks of rows in `ACCOUNT_COLUMNS` order (holder_ids is a JSON list)."""
    body = records.c.body
    query = select(
        records.c.id,
        records.c.source_id,
        records.c.owner,
        body["country"].as_string(),
        body["iban"].as_string(),
        body["number"].as_string(),
        body["holder_ids"],
    ).where(records.c.kind == RecordKind.ACCOUNT.value, visible)
    return _chunks(conn, query)


def party_rows(conn: Connection, visible: ColumnElement[bool]) -> Iterator[Sequence[Any]]:
    """Chunks of persons and organisations holding accounts: id, kind, source id, label, body."""
    holders = select(record_links.c.dst_id).where(record_links.c.role == "holder_ids")
    query = select(
        records.c.id, records.c.kind, records.c.source_id, records.c.label, records.c.body
    ).where(
        records.c.kind.in_([RecordKind.PERSON.value, RecordKind.ORGANISATION.value]),
        records.c.id.in_(holders),
        visible,
    )
    return _chunks(conn, query)


def holder_document_rows(conn: Connection, visible: ColumnElement[bool]) -> Iterator[Sequence[Any]]:
    """Chunks of (person id, number, issuing country) of the documents the clause lets through
    whose person holds an account (for linking holders to travellers)."""
    holders = select(record_links.c.dst_id).where(record_links.c.role == "holder_ids")
    of_holders = select(record_links.c.src_id).where(
        record_links.c.role == "person_id", record_links.c.dst_id.in_(holders)
    )
    body = records.c.body
    query = select(
        body["person_id"].as_string(),
        body["number"].as_string(),
        body["issuing_country"].as_string(),
    ).where(records.c.kind == RecordKind.DOCUMENT.value, records.c.id.in_(of_holders), visible)
    return _chunks(conn, query)


def data_version(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever a financial record (or a holder) is added, changed or removed."""
    query = select(
        func.count(), func.max(records.c.updated_at), func.coalesce(func.sum(records.c.version), 0)
    ).where(records.c.kind.in_([k.value for k in FLOW_KINDS]))
    row = conn.execute(query).one()
    return tuple(row)
