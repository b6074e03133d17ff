"""The tamper-evident audit log: an HMAC-SHA256 hash chain over every entry.

Each entry's hash authenticates its own fields, its sequence number and the previous entry's
hash, keyed with a secret kept outside the database. Altering, removing, inserting or
reordering entries therefore breaks the chain at that point, and somebody with only database
access cannot recompute it. The head row (newest seq and hash) is locked by every append, which
serialises writers, and lets `verify` notice entries deleted from the end. Truncation together
with a rewritten head is caught by comparing against an anchor the operator keeps elsewhere
(`borderless audit head` prints one; `verify --anchor` checks it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.store.schema import audit_agencies, audit_head, audit_log, audit_records

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    """What happened: built by the gate and the services, written by `append`."""

    principal: Principal
    action: AuditAction
    purpose: Purpose | None
    query: Mapping[str, Any] = field(default_factory=dict)
    record_ids: Sequence[str] = ()
    owners: Sequence[str] = ()
    outcome: str = "ok"


AUDIT_CHUNK = 5000  # record ids per entry when one action touches many records


def append_chunked(
    conn: Connection, key: bytes, event: AuditEvent, record_ids: Sequence[str]
) -> int:
    """Audit one action on many records: an entry per `AUDIT_CHUNK` ids (at least one entry)."""
    seq = 0
    for start in range(0, max(len(record_ids), 1), AUDIT_CHUNK):
        chunk = list(record_ids[start : start + AUDIT_CHUNK])
        seq = append(conn, key, replace(event, record_ids=chunk))
    return seq


def _canonical(row: Mapping[str, Any]) -> bytes:
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _fields(seq: int, at: datetime, prev_hash: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
        **{k: row[k] for k in _HASHED},
    }


_HASHED = (
    "username",
    "agency",
    "role",
    "action",
    "purpose",
    "query",
    "record_ids",
    "owners",
    "outcome",
)


def entry_hash(key: bytes, seq: int, at: datetime, prev_hash: str, row: Mapping[str, Any]) -> str:
    return hmac.new(key, _canonical(_fields(seq, at, prev_hash, row)), hashlib.sha256).hexdigest()


# Built once: every search appends an entry while it holds the write lock, and building the
# statements anew (SQLAlchemy's construction and cache-key work) took most of an append's 1 ms.
_READ_HEAD = (
    select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
)
_INSERT_ENTRY = insert(audit_log)
_INSERT_RECORDS = insert(audit_records)
_INSERT_AGENCIES = insert(audit_agencies)
_INSERT_HEAD = insert(audit_head)
_MOVE_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)


def append(conn: Connection, key: bytes, event: AuditEvent) -> int:
    """Append `event` in the caller's transaction; returns its sequence number."""
    head = conn.execute(_READ_HEAD).first()
    prev_seq, prev_hash = (head.seq, head.hash) if head else (0, GENESIS)
    seq = prev_seq + 1
    at = datetime.now(UTC)
    row: dict[str, Any] = {
        "username": event.principal.username,
        "agency": event.principal.agency,
        "role": event.principal.role.value,
        "action": event.action.value,
        "purpose": event.purpose.value if event.purpose else None,
        "query": json.loads(json.dumps(dict(event.query), default=str)),
        "record_ids": list(event.record_ids),
        "owners": sorted(set(event.owners)),
        "outcome": event.outcome,
    }
    digest = entry_hash(key, seq, at, prev_hash, row)
    conn.execute(
        _INSERT_ENTRY, {"seq": seq, "at": at, "prev_hash": prev_hash, "hash": digest, **row}
    )
    if event.record_ids:
        conn.execute(
            _INSERT_RECORDS,
            [{"seq": seq, "record_id": rid} for rid in dict.fromkeys(event.record_ids)],
        )
    concerned = sorted({row["agency"], *row["owners"]})
    conn.execute(_INSERT_AGENCIES, [{"seq": seq, "agency": a} for a in concerned])
    if head is None:
        conn.execute(_INSERT_HEAD, {"id": 1, "seq": seq, "hash": digest})
    else:
        conn.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": digest})
    return seq


@dataclass
class VerifyReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_rows(key: bytes, rows: Iterable[Any], report: VerifyReport) -> tuple[int, str]:
    """Walk entries in seq order, recording every break; returns the last (seq, hash) seen."""
    expected_seq, prev_hash = 1, GENESIS
    for row in rows:
        report.checked += 1
        if row.seq != expected_seq:
            report.problems.append(
                f"entry {row.seq}: expected sequence number {expected_seq} "
                "(entries removed, inserted or reordered)"
            )
        if row.prev_hash != prev_hash:
            report.problems.append(f"entry {row.seq}: does not link to the entry before it")
        recomputed = entry_hash(key, row.seq, row.at, row.prev_hash, row._mapping)
        if not hmac.compare_digest(recomputed, row.hash):
            report.problems.append(f"entry {row.seq}: content or hash was altered")
        expected_seq, prev_hash = row.seq + 1, row.hash
    return expected_seq - 1, prev_hash


def verify(conn: Connection, key: bytes, anchor: tuple[int, str] | None = None) -> VerifyReport:
    """Check the whole chain, the head row, and optionally an anchor kept outside the database."""
    report = VerifyReport()
    rows = conn.execution_options(yield_per=5000).execute(
        select(audit_log).order_by(audit_log.c.seq)
    )
    last_seq, last_hash = verify_rows(key, rows, report)
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash)).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, last_hash):
        report.problems.append(
            f"head says entry {head_seq} is the newest, the log ends at {last_seq} "
            "(entries removed from the end or the head altered)"
        )
    if anchor is not None:
        anchor_seq, anchor_hash = anchor
        found = conn.execute(
            select(audit_log.c.hash).where(audit_log.c.seq == anchor_seq)
        ).scalar_one_or_none()
        if found is None or not hmac.compare_digest(found, anchor_hash):
            report.problems.append(f"anchor entry {anchor_seq} is missing or differs")
    report.head_seq, report.head_hash = last_seq, last_hash
    count = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    if count != report.checked:
        report.problems.append(f"counted {count} entries but walked {report.checked}")
    return report
