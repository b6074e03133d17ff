"""Case workspaces for joint investigation teams: members, shared records, notes, tasks, timeline.

Only the agencies currently taking part see a case; leaving (or being removed) ends access at
once. Sharing a record into a case does not widen who may read it: every member sees the
shared records through the gate, whole, as a reference, or not at all, as the owner decided.
Every step is written to the case's timeline and audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, CaseStatus, Purpose
from borderless.domain.messaging import CaseDraft, TaskDraft, is_overdue, local_time
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.governance.roles import Permission
from borderless.services import webhooks
from borderless.services.admission import admit, record
from borderless.services.cooperation import known_agencies, new_id
from borderless.services.node import Node
from borderless.store import messaging as store
from borderless.store.records import RecordFilter


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _member_case(conn: Connection, principal: Principal, case_id: str) -> dict[str, Any]:
    found = store.case(conn, case_id)
    if found is None or not store.is_case_member(conn, case_id, principal.agency):
        raise NotFound(f"no case {case_id} that agency {principal.agency} takes part in")
    return found


def _step(
    conn: Connection,
    node: Node,
    principal: Principal,
    purpose: Purpose,
    case_id: str,
    what: str,
    *,
    op: str,
    record_ids: list[str] | None = None,
) -> None:
    """One step: on the case's timeline and in the audit log, in the same transaction."""
    store.add_case_row(
        conn,
        "events",
        {
            "case_id": case_id,
            "at": node.now(),
            "agency": principal.agency,
            "username": principal.username,
            "what": what[:500],
        },
    )
    record(
        conn,
        node,
        principal,
        AuditAction.CASE,
        purpose,
        op=op,
        case=case_id,
        record_ids=record_ids or [],
    )


def _admit(node: Node, principal: Principal, purpose: Purpose | None) -> Purpose:
    return admit(node, principal, purpose, Permission.COOPERATE, AuditAction.CASE)


def open_case(
    node: Node, principal: Principal, purpose: Purpose | None, draft: CaseDraft
) -> dict[str, Any]:
    checked = _admit(node, principal, purpose)
    case_id = new_id("CASE")
    with node.engine.begin() as conn:
        others = [a for a in known_agencies(conn, draft.participants) if a != principal.agency]
        store.add_case(
            conn,
            {
                "id": case_id,
                "title": draft.title,
                "owner": principal.agency,
                "summary": draft.summary,
                "status": CaseStatus.OPEN.value,
                "created_at": node.now(),
            },
            [principal.agency, *others],
            node.now(),
        )
        _step(
            conn,
            node,
            principal,
            checked,
            case_id,
            f"opened with {', '.join(others) or 'no one'}",
            op="open",
        )
        webhooks.enqueue(conn, node, others, "case.invited", {"case_id": case_id})
    return {"id": case_id, "title": draft.title, "owner": principal.agency, "members": others}


def _require_owner(found: dict[str, Any], principal: Principal, doing: str) -> None:
    if found["owner"] != principal.agency:
        raise PermissionDenied(f"only the case owner {found['owner']} may {doing}")


def add_participant(
    node: Node, principal: Principal, purpose: Purpose | None, case_id: str, agency: str
) -> None:
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        found = _member_case(conn, principal, case_id)
        _require_owner(found, principal, "add participants")
        [code] = known_agencies(conn, [agency])
        store.join_case(conn, case_id, code, node.now())
        _step(conn, node, principal, checked, case_id, f"{code} joined", op="add_participant")
        webhooks.enqueue(conn, node, [code], "case.invited", {"case_id": case_id})


def leave(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    case_id: str,
    agency: str | None = None,
) -> None:
    """The caller's agency leaves, or the owner removes `agency`; access ends at once."""
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        found = _member_case(conn, principal, case_id)
        code = (agency or principal.agency).upper()
        if code != principal.agency:
            _require_owner(found, principal, "remove participants")
        if code == found["owner"]:
            raise InputError("the owner cannot leave its own case; close it instead")
        if not store.is_case_member(conn, case_id, code):
            raise NotFound(f"{code} does not take part in case {case_id}")
        store.leave_case(conn, case_id, code, node.now())
        what = f"{code} left" if code == principal.agency else f"{code} removed"
        _step(conn, node, principal, checked, case_id, what, op="leave")


def close_case(node: Node, principal: Principal, purpose: Purpose | None, case_id: str) -> None:
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        found = _member_case(conn, principal, case_id)
        _require_owner(found, principal, "close the case")
        store.set_case_status(conn, case_id, CaseStatus.CLOSED.value)
        _step(conn, node, principal, checked, case_id, "closed", op="close")


def _open_case(conn: Connection, principal: Principal, case_id: str) -> dict[str, Any]:
    found = _member_case(conn, principal, case_id)
    if found["status"] != CaseStatus.OPEN.value:
        raise InputError(f"case {case_id} is closed")
    return found


def share_record(
    node: Node, principal: Principal, purpose: Purpose | None, case_id: str, record_id: str
) -> None:
    """Add a record the caller may see to the case (its own access rules still apply)."""
    checked = _admit(node, principal, purpose)
    page = node.gate.search(principal, checked, RecordFilter(ids=[record_id]), (0, 1))
    if not page.items:
        raise NotFound(f"no record {record_id} that agency {principal.agency} may see")
    with node.engine.begin() as conn:
        _open_case(conn, principal, case_id)
        if record_id in {r["record_id"] for r in store.case_rows(conn, "records", case_id)}:
            raise InputError(f"record {record_id} is already shared in case {case_id}")
        store.add_case_row(
            conn,
            "records",
            {
                "case_id": case_id,
                "record_id": record_id,
                "added_by": principal.agency,
                "added_at": node.now(),
            },
        )
        _step(
            conn,
            node,
            principal,
            checked,
            case_id,
            f"shared record {record_id}",
            op="share_record",
            record_ids=[record_id],
        )


def add_note(
    node: Node, principal: Principal, purpose: Purpose | None, case_id: str, text: str
) -> int:
    checked = _admit(node, principal, purpose)
    if not text.strip():
        raise InputError("the note is empty")
    with node.engine.begin() as conn:
        _open_case(conn, principal, case_id)
        note_id = store.add_case_row(
            conn,
            "notes",
            {
                "case_id": case_id,
                "agency": principal.agency,
                "username": principal.username,
                "text": text,
                "at": node.now(),
            },
        )
        _step(conn, node, principal, checked, case_id, f"note {note_id} added", op="note")
    assert note_id is not None
    return note_id


def add_task(
    node: Node, principal: Principal, purpose: Purpose | None, case_id: str, draft: TaskDraft
) -> int:
    checked = _admit(node, principal, purpose)
    due = draft.due.to_utc() if draft.due else None
    with node.engine.begin() as conn:
        _open_case(conn, principal, case_id)
        if draft.assignee and not store.is_case_member(conn, case_id, draft.assignee):
            raise InputError(f"{draft.assignee} does not take part in case {case_id}")
        task_id = store.add_case_row(
            conn,
            "tasks",
            {
                "case_id": case_id,
                "title": draft.title,
                "assignee": draft.assignee,
                "due_at": due,
                "due_zone": draft.due.zone if draft.due else None,
                "created_by": principal.username,
                "created_at": node.now(),
            },
        )
        _step(conn, node, principal, checked, case_id, f"task {task_id}: {draft.title}", op="task")
    assert task_id is not None
    return task_id


def finish_task(
    node: Node, principal: Principal, purpose: Purpose | None, case_id: str, task_id: int
) -> None:
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        _open_case(conn, principal, case_id)
        if not store.finish_task(conn, case_id, task_id, node.now()):
            raise NotFound(f"no open task {task_id} in case {case_id}")
        _step(conn, node, principal, checked, case_id, f"task {task_id} done", op="task_done")


def _records(
    node: Node, principal: Principal, purpose: Purpose, shared: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Shared records as this member may see them, read through the gate."""
    ids = [r["record_id"] for r in shared]
    views = {}
    if ids:
        page = node.gate.search(principal, purpose, RecordFilter(ids=ids), (0, len(ids)))
        views = {v.id: v for v in page.items}
    shown = []
    for row in shared:
        view = views.get(row["record_id"])
        shown.append(
            {
                "record_id": row["record_id"],
                "added_by": row["added_by"],
                "added_at": row["added_at"].isoformat(),
                "access": view.access if view else "none",
                "kind": view.kind.value if view else None,
                "owner": view.owner if view else None,
                "label": view.label if view else None,
                "contact": view.contact if view else None,
            }
        )
    return shown


def show(node: Node, principal: Principal, purpose: Purpose | None, case_id: str) -> dict[str, Any]:
    """The whole workspace as the caller's agency may see it."""
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        found = _member_case(conn, principal, case_id)
        members = store.case_members(conn, case_id, current_only=False)
        parts = {
            name: store.case_rows(conn, name, case_id)
            for name in ("records", "notes", "tasks", "events")
        }
        record(conn, node, principal, AuditAction.CASE, checked, op="show", case=case_id)
    now = node.now()
    tasks = [
        {
            **{k: _iso(v) for k, v in t.items()},
            "due_local": local_time(t["due_at"], t["due_zone"] or "UTC") if t["due_at"] else None,
            "overdue": is_overdue(t["due_at"], t["done_at"], now),
        }
        for t in parts["tasks"]
    ]
    return {
        **{k: _iso(v) for k, v in found.items()},
        "members": [{k: _iso(v) for k, v in m.items()} for m in members],
        "records": _records(node, principal, checked, parts["records"]),
        "notes": [{k: _iso(v) for k, v in n.items()} for n in parts["notes"]],
        "tasks": tasks,
        "timeline": [{k: _iso(v) for k, v in e.items()} for e in parts["events"]],
    }


def list_cases(node: Node, principal: Principal, purpose: Purpose | None) -> list[dict[str, Any]]:
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        rows = store.cases_of(conn, principal.agency)
        record(
            conn,
            node,
            principal,
            AuditAction.CASE,
            checked,
            op="list",
            outcome=f"{len(rows)} returned",
        )
    return [{k: _iso(v) for k, v in r.items()} for r in rows]
