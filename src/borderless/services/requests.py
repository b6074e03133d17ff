"""Structured requests between agencies: information, hit follow-ups, legal assistance, assets.

A request goes from the requester agency to one addressee agency; only those two see it. The
addressee answers, or — for a hit follow-up — grants the record (whole or some fields) or
refuses with a reason. A grant is a row in `coop_grants`; the requester then reads exactly the
granted fields through the gate (`RecordGate.released`), audited like every read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from borderless.domain.agencies import AgencyCode, Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.domain.messaging import Deadline, Priority, is_overdue, local_time
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.governance.gate import ReleasedView
from borderless.governance.roles import Permission
from borderless.services import request_templates, webhooks
from borderless.services.admission import admit, record
from borderless.services.cooperation import known_agencies, new_id
from borderless.services.node import Node
from borderless.store import messaging as store
from borderless.store import search as search_store
from borderless.store.db import reading
from borderless.store.records import RecordFilter

SUBMITTED, ANSWERED, GRANTED, PARTIAL, REFUSED = (
    "submitted",
    "answered",
    "granted",
    "partially_granted",
    "refused",
)
HIT_FOLLOW_UP = "hit_follow_up"


class RequestDraft(BaseModel):
    """A request as submitted: template (and version; default the latest), whom, the fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str = Field(min_length=1, max_length=32)
    version: int | None = Field(default=None, ge=1)
    to: AgencyCode | None = None  # a hit follow-up goes to the record's owner
    priority: Priority = Priority.ROUTINE
    deadline: Deadline | None = None
    fields: dict[str, Any]


def _present(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    shown = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
    if row["deadline_at"] is not None:
        zone = row["deadline_zone"] or "UTC"
        shown["deadline_local"] = local_time(row["deadline_at"], zone)
    shown["overdue"] = is_overdue(row["deadline_at"], row["answered_at"], now)
    return shown


def _owner_of_hit(node: Node, principal: Principal, purpose: Purpose, record_id: str) -> str:
    """The owner of a record the requester may know of (a reference is enough), via the gate."""
    page = node.gate.search(principal, purpose, RecordFilter(ids=[record_id]), (0, 1))
    if not page.items:
        raise NotFound(f"no record {record_id} that agency {principal.agency} may know of")
    return page.items[0].owner


def submit(
    node: Node, principal: Principal, purpose: Purpose | None, draft: RequestDraft
) -> dict[str, Any]:
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    version, fields = request_templates.validate_fields(draft.template, draft.version, draft.fields)
    record_id = getattr(fields, "record_id", None)
    to = draft.to
    if draft.template == HIT_FOLLOW_UP:
        owner = _owner_of_hit(node, principal, checked, str(record_id))
        if to is not None and to != owner:
            raise InputError(f"a hit follow-up goes to the record's owner {owner}, not {to}")
        to = owner
    if to is None:
        raise InputError("name the addressee agency ('to')")
    if to == principal.agency:
        raise InputError("a request goes to another agency")
    deadline = draft.deadline.to_utc() if draft.deadline else None
    if deadline is not None and deadline <= node.now():
        raise InputError(f"deadline {deadline.isoformat()} is already past")
    row = {
        "id": new_id("REQ"),
        "template": draft.template,
        "template_version": version,
        "requester_agency": principal.agency,
        "requester_user": principal.username,
        "addressee_agency": to,
        "priority": draft.priority.value,
        "fields": fields.model_dump(mode="json"),
        "record_id": record_id,
        "status": SUBMITTED,
        "created_at": node.now(),
        "deadline_at": deadline,
        "deadline_zone": draft.deadline.zone if draft.deadline else None,
    }
    with node.engine.begin() as conn:
        known_agencies(conn, [to])
        stored = _insert(conn, node, principal, checked, row)
    return _present(stored, node.now())


def _insert(
    conn: Connection, node: Node, principal: Principal, purpose: Purpose, row: dict[str, Any]
) -> dict[str, Any]:
    """Store a new request, queue its webhook and audit it; returns it as stored."""
    store.add_request(conn, row)
    webhooks.enqueue(
        conn,
        node,
        [row["addressee_agency"]],
        "request.new",
        {"request_id": row["id"], "template": row["template"], "from": row["requester_agency"]},
    )
    record(
        conn,
        node,
        principal,
        AuditAction.REQUEST,
        purpose,
        op="submit",
        request=row["id"],
        template=f"{row['template']} v{row['template_version']}",
        to=row["addressee_agency"],
        record_ids=[row["record_id"]] if row["record_id"] else [],
    )
    stored = store.request(conn, row["id"])
    assert stored is not None
    return stored


def from_notification(
    node: Node, principal: Principal, purpose: Purpose | None, notification_id: int
) -> dict[str, Any]:
    """One step from a hit notification in the owner's inbox to a request for information to
    the agency that hit the record: where, when and in what circumstances."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    with reading(node.engine) as conn:
        found = store.notification(conn, principal.agency, notification_id)
    if found is None:
        raise NotFound(f"no hit notification {notification_id} for agency {principal.agency}")
    fields = {
        "about": "person" if found["record_kind"] == "person" else "object",
        "description": f"{found['searcher_agency']} hit our record {found['record_id']} "
        f"on {found['at']:%Y-%m-%d %H:%M} UTC (purpose: {found['purpose']}).",
        "record_ids": [found["record_id"]],
        "questions": [
            "Where and when was the check made, and who or what was checked?",
            "What action was taken?",
        ],
    }
    _, validated = request_templates.validate_fields("rfi", None, fields)
    row = {
        "id": new_id("REQ"),
        "template": "rfi",
        "template_version": request_templates.latest("rfi"),
        "requester_agency": principal.agency,
        "requester_user": principal.username,
        "addressee_agency": found["searcher_agency"],
        "priority": Priority.URGENT.value,
        "fields": validated.model_dump(mode="json"),
        "record_id": found["record_id"],
        "notification_id": notification_id,
        "status": SUBMITTED,
        "created_at": node.now(),
        "deadline_at": None,
        "deadline_zone": None,
    }
    with node.engine.begin() as conn:
        stored = _insert(conn, node, principal, checked, row)
        search_store.mark_read(conn, principal.agency, [notification_id], node.now())
    return _present(stored, node.now())


def _side(conn: Connection, principal: Principal, request_id: str) -> dict[str, Any]:
    found = store.request(conn, request_id)
    if found is None or principal.agency not in (
        found["requester_agency"],
        found["addressee_agency"],
    ):
        raise NotFound(f"no request {request_id} that agency {principal.agency} takes part in")
    return found


def _answerable(principal: Principal, found: dict[str, Any]) -> None:
    if found["addressee_agency"] != principal.agency:
        raise PermissionDenied(f"only the addressee {found['addressee_agency']} answers it")
    if found["status"] != SUBMITTED:
        raise InputError(f"request {found['id']} is already {found['status']}")


def _close(
    node: Node,
    principal: Principal,
    purpose: Purpose,
    found: dict[str, Any],
    status: str,
    answer: str | None,
    grant: list[str] | None = None,
) -> dict[str, Any]:
    now = node.now()
    with node.engine.begin() as conn:
        current = store.request(conn, found["id"])
        if current is None or current["status"] != SUBMITTED:  # answered concurrently
            raise InputError(f"request {found['id']} is no longer open")
        store.set_request(
            conn,
            found["id"],
            status=status,
            answered_at=now,
            answered_by=principal.username,
            answer=answer,
        )
        if grant is not None:
            store.add_grant(
                conn,
                {
                    "request_id": found["id"],
                    "record_id": found["record_id"],
                    "agency": found["requester_agency"],
                    "fields": grant,
                    "granted_at": now,
                    "granted_by": principal.username,
                },
            )
        webhooks.enqueue(
            conn,
            node,
            [found["requester_agency"]],
            f"request.{status}",
            {"request_id": found["id"]},
        )
        record(
            conn,
            node,
            principal,
            AuditAction.REQUEST,
            purpose,
            op=status,
            request=found["id"],
            fields=grant,
            record_ids=[found["record_id"]] if found["record_id"] else [],
            owners=[principal.agency] if grant is not None else [],
        )
        updated = store.request(conn, found["id"])
    assert updated is not None
    return _present(updated, now)


def _load(node: Node, principal: Principal, request_id: str) -> dict[str, Any]:
    with reading(node.engine) as conn:
        return _side(conn, principal, request_id)


def answer(
    node: Node, principal: Principal, purpose: Purpose | None, request_id: str, text: str
) -> dict[str, Any]:
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    found = _load(node, principal, request_id)
    _answerable(principal, found)
    if found["template"] == HIT_FOLLOW_UP:
        raise InputError("a hit follow-up is granted or refused, not answered")
    if not text.strip():
        raise InputError("the answer is empty")
    return _close(node, principal, checked, found, ANSWERED, text)


def refuse(
    node: Node, principal: Principal, purpose: Purpose | None, request_id: str, reason: str
) -> dict[str, Any]:
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    found = _load(node, principal, request_id)
    _answerable(principal, found)
    if len(reason.strip()) < 3:
        raise InputError("a refusal states its reason")
    return _close(node, principal, checked, found, REFUSED, reason)


def grant(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    request_id: str,
    fields: list[str] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """The owner releases its record to the requester: all body fields, or those named."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    found = _load(node, principal, request_id)
    _answerable(principal, found)
    if found["template"] != HIT_FOLLOW_UP:
        raise InputError("only a hit follow-up releases a record; answer other requests")
    view = node.gate.get(principal, checked, found["record_id"])  # the owner's own record
    if view.owner != principal.agency or view.body is None:
        raise PermissionDenied(f"only the owner of {found['record_id']} may release it")
    present = sorted(view.body)
    chosen = present if not fields else sorted(set(fields))
    unknown = [f for f in chosen if f not in present]
    if unknown:
        raise InputError(
            f"record {view.id} has no field(s) {', '.join(unknown)}; it has: {', '.join(present)}"
        )
    status = GRANTED if chosen == present else PARTIAL
    return _close(node, principal, checked, found, status, note, chosen)


def released(
    node: Node, principal: Principal, purpose: Purpose | None, record_id: str
) -> ReleasedView:
    """What was released to the caller's agency (read through the gate)."""
    return node.gate.released(principal, purpose, record_id)


def show(
    node: Node, principal: Principal, purpose: Purpose | None, request_id: str
) -> dict[str, Any]:
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    with node.engine.begin() as conn:
        found = _side(conn, principal, request_id)
        record(conn, node, principal, AuditAction.REQUEST, checked, op="show", request=request_id)
    return _present(found, node.now())


def list_requests(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    box: str = "all",
    status: str | None = None,
    window: tuple[int, int] = (0, 100),
) -> tuple[list[dict[str, Any]], int]:
    """Requests the caller's agency sent ('sent'), received ('inbox') or both ('all')."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.REQUEST)
    with node.engine.begin() as conn:
        rows, total = store.requests_of(conn, principal.agency, box, status, window)
        record(
            conn,
            node,
            principal,
            AuditAction.REQUEST,
            checked,
            op="list",
            box=box,
            outcome=f"{len(rows)} returned",
        )
    now = node.now()
    return [_present(r, now) for r in rows], total
