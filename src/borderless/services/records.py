"""Creating, changing and removing records. Only the owner agency may change or remove one.

Reads are not here: they go through `governance.gate.RecordGate` (`node.gate`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from borderless.config import Settings
from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, NoticeStatus, Purpose, RecordKind
from borderless.domain.records import NoticeBody, Record, RecordDraft
from borderless.errors import Conflict, InputError, NotFound, PermissionDenied, PurposeRequired
from borderless.governance import audit
from borderless.governance.access import Access, access_level, may_change
from borderless.governance.roles import Permission, allowed
from borderless.services.node import Node
from borderless.store import records as store
from borderless.store.records import RecordFilter

OWNER_ONLY = "only the owner agency may change or remove it"

_ID_PREFIX = {
    "person": "P",
    "document": "D",
    "vehicle": "V",
    "firearm": "F",
    "biometric": "B",
    "organisation": "O",
    "account": "A",
    "transaction": "T",
    "notice": "N",
    "case": "C",
}


def new_record_id(draft: RecordDraft, owner: str) -> str:
    return f"{owner}-{_ID_PREFIX[draft.kind.value]}{secrets.token_hex(8).upper()}"


def default_retention(settings: Settings, kind: RecordKind, today: date) -> date:
    return today + timedelta(days=settings.retention_days[kind])


def materialise(
    settings: Settings, draft: RecordDraft, owner: str, at: datetime, record_id: str | None = None
) -> Record:
    """A storable record from a draft: owner, id, timestamps and the default retention date."""
    governance = draft.governance
    if governance.retention_until is None:
        governance = governance.model_copy(
            update={"retention_until": default_retention(settings, draft.kind, at.date())}
        )
    # The draft is validated already; constructing skips a second validation of the body.
    return Record.model_construct(
        id=record_id or draft.id or new_record_id(draft, owner),
        kind=draft.kind,
        owner=owner,
        governance=governance,
        body=draft.body,
        source=draft.source,
        created_at=at,
        updated_at=at,
        version=1,
    )


def _require_purpose(purpose: Purpose | None) -> Purpose:
    if purpose is None:
        raise PurposeRequired("changing records requires a purpose, e.g. data_management")
    return purpose


def check_links(conn: Connection, records: Sequence[Record]) -> None:
    """Every record a body links to must exist (in the batch or the store)."""
    own = {r.id for r in records}
    wanted = {dst for r in records for _, dst in r.body.links()} - own
    missing = wanted - store.existing_ids(conn, sorted(wanted))
    if missing:
        raise InputError(f"linked record(s) not found: {', '.join(sorted(missing)[:10])}")


def _require_write(node: Node, principal: Principal, purpose: Purpose, action: AuditAction) -> None:
    """Refuse (and audit) a change by a role that may not write records."""
    if not allowed(principal, Permission.WRITE_RECORDS):
        raise _refuse(node, principal, purpose, action, None, "role may not write records")


def _draft_notices_only(draft: RecordDraft, current: Record | None = None) -> None:
    """Notices are published by the review workflow (`services.notices`), never written so."""
    notices = [b for b in (draft.body, current.body if current else None) if b is not None]
    if any(isinstance(b, NoticeBody) and b.status != NoticeStatus.DRAFT for b in notices):
        raise InputError(
            "a notice beyond 'draft' changes only through the notice workflow "
            "(borderless notice ..., /notices): submit it for review"
        )


def create(node: Node, principal: Principal, purpose: Purpose | None, draft: RecordDraft) -> Record:
    checked = _require_purpose(purpose)
    _require_write(node, principal, checked, AuditAction.CREATE)
    _draft_notices_only(draft)
    if draft.id is not None and ":" in draft.id:
        raise InputError(f"id {draft.id!r}: ids containing ':' are reserved for imported lists")
    record = materialise(node.settings, draft, principal.agency, node.now())
    with node.engine.begin() as conn:
        if store.existing_ids(conn, [record.id]):
            raise Conflict(f"record {record.id} already exists")
        check_links(conn, [record])
        store.insert_records(conn, [record])
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.CREATE,
                checked,
                {"kind": record.kind.value},
                record_ids=[record.id],
                owners=[record.owner],
            ),
        )
    return record


def _load(
    node: Node, conn: Connection, principal: Principal, purpose: Purpose, record_id: str
) -> Record:
    """The record to change; one the caller may not even see is 'not found', as if absent."""
    found = store.select_rows(conn, RecordFilter(ids=[record_id]), None)
    if not found or access_level(principal, found[0], purpose, node.today()) == Access.NONE:
        raise NotFound(f"no record {record_id} that agency {principal.agency} may see")
    return found[0]


def _refuse(
    node: Node,
    principal: Principal,
    purpose: Purpose,
    action: AuditAction,
    target: Record | None,
    why: str,
) -> PermissionDenied:
    """Audit a refused change (outside the change's own transaction) and say no."""
    with node.engine.begin() as conn:
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.DENIED,
                purpose,
                {"attempted": action.value, "id": target.id if target else None},
                record_ids=[target.id] if target else [],
                owners=[target.owner] if target else [],  # so the owner's auditors see it
                outcome=why,
            ),
        )
    what = f" record {target.id}" if target else " records"
    return PermissionDenied(f"{principal.username} may not {action.value}{what}: {why}")


def update(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    record_id: str,
    draft: RecordDraft,
    expected_version: int | None = None,
) -> Record:
    """Replace a record's content and governance; `expected_version` guards concurrent edits."""
    checked = _require_purpose(purpose)
    _require_write(node, principal, checked, AuditAction.UPDATE)
    with node.engine.begin() as conn:
        current = _load(node, conn, principal, checked, record_id)
        if not may_change(principal, current):
            conn.rollback()
            raise _refuse(node, principal, checked, AuditAction.UPDATE, current, OWNER_ONLY)
        if draft.kind != current.kind:
            raise InputError(
                f"record {record_id} is a {current.kind.value}, not {draft.kind.value}"
            )
        _draft_notices_only(draft, current)
        if expected_version is not None and expected_version != current.version:
            raise Conflict(
                f"record {record_id} is at version {current.version}, not {expected_version}"
            )
        governance = draft.governance
        if governance.retention_until is None:
            governance = governance.model_copy(
                update={"retention_until": current.governance.retention_until}
            )
        changed = current.model_copy(
            update={
                "governance": governance,
                "body": draft.body,
                "source": draft.source or current.source,
                "updated_at": node.now(),
                "version": current.version + 1,
            }
        )
        check_links(conn, [changed])
        if not store.replace_record(conn, changed, current.version):
            raise Conflict(f"record {record_id} was changed concurrently; reload and retry")
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.UPDATE,
                checked,
                {"version": changed.version},
                record_ids=[record_id],
                owners=[current.owner],
            ),
        )
    return changed


def delete(node: Node, principal: Principal, purpose: Purpose | None, record_id: str) -> None:
    checked = _require_purpose(purpose)
    _require_write(node, principal, checked, AuditAction.DELETE)
    with node.engine.begin() as conn:
        current = _load(node, conn, principal, checked, record_id)
        if not may_change(principal, current):
            conn.rollback()
            raise _refuse(node, principal, checked, AuditAction.DELETE, current, OWNER_ONLY)
        store.delete_records(conn, [record_id])
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.DELETE,
                checked,
                {"kind": current.kind.value},
                record_ids=[record_id],
                owners=[current.owner],
            ),
        )
