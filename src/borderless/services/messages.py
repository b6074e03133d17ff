"""Threads between agencies: send, reply, read, search one's own messages, close.

A thread is visible only to the agencies it is between (the sender and its addressees); every
read is narrowed to those in SQL (`store.messaging.messages_of`) and every step is audited.
Each message carries a state per addressee: sent, delivered (the addressee's inbox listed it),
read (a user opened the thread), answered (the addressee replied), closed (the thread was).
Deadlines are absolute instants (UTC); overdue means past the deadline without an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.domain.messaging import (
    MessageDraft,
    MessageState,
    ReplyDraft,
    is_overdue,
    local_time,
)
from borderless.errors import InputError, NotFound
from borderless.governance.roles import Permission
from borderless.services import webhooks
from borderless.services.admission import admit, record
from borderless.services.attachments import CheckedAttachment
from borderless.services.cooperation import known_agencies, new_id
from borderless.services.node import Node
from borderless.store import messaging as store
from borderless.store.records import RecordFilter


def _check_links(
    node: Node, principal: Principal, purpose: Purpose, ids: Sequence[str]
) -> list[str]:
    """Linked records must be ones the sender may see (read, and audited, through the gate)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    page = node.gate.search(principal, purpose, RecordFilter(ids=wanted), (0, len(wanted)))
    missing = sorted(set(wanted) - {v.id for v in page.items})
    if missing:
        raise NotFound(f"no record(s) {', '.join(missing)} that agency {principal.agency} may see")
    return wanted


def _store_message(
    conn: Connection,
    node: Node,
    principal: Principal,
    thread_id: str,
    body: str,
    links: list[str],
    addressees: Sequence[str],
    files: Sequence[CheckedAttachment],
    deadline: tuple[datetime, str] | None = None,
) -> int:
    message_id = store.add_message(
        conn,
        {
            "thread_id": thread_id,
            "sender_agency": principal.agency,
            "sender_user": principal.username,
            "body": body,
            "sent_at": node.now(),
            "deadline_at": deadline[0] if deadline else None,
            "deadline_zone": deadline[1] if deadline else None,
            "linked_records": links,
        },
        addressees,
    )
    store.add_attachments(
        conn,
        [
            {
                "message_id": message_id,
                "filename": f.filename,
                "media_type": f.media_type,
                "size": len(f.content),
                "sha256": f.sha256,
                "content": f.content,
            }
            for f in files
        ],
    )
    webhooks.enqueue(
        conn,
        node,
        addressees,
        "message.new",
        {"thread_id": thread_id, "message_id": message_id, "from": principal.agency},
    )
    return message_id


def send(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    draft: MessageDraft,
    files: Sequence[CheckedAttachment] = (),
) -> dict[str, Any]:
    """Open a thread to the addressees with a first message; returns the thread and message ids."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.MESSAGE)
    deadline = (draft.deadline.to_utc(), draft.deadline.zone) if draft.deadline else None
    if deadline and deadline[0] <= node.now():
        raise InputError(f"deadline {deadline[0].isoformat()} is already past")
    links = _check_links(node, principal, checked, draft.linked_records)
    thread_id = new_id("THR")
    with node.engine.begin() as conn:
        to = [a for a in known_agencies(conn, draft.to) if a != principal.agency]
        if not to:
            raise InputError("address the message to at least one other agency")
        store.add_thread(
            conn,
            {
                "id": thread_id,
                "subject": draft.subject,
                "handling": draft.handling.value,
                "handling_note": draft.handling_note,
                "priority": draft.priority.value,
                "created_by_agency": principal.agency,
                "created_by_user": principal.username,
                "created_at": node.now(),
            },
            [principal.agency, *to],
        )
        message_id = _store_message(
            conn, node, principal, thread_id, draft.body, links, to, files, deadline
        )
        record(
            conn,
            node,
            principal,
            AuditAction.MESSAGE,
            checked,
            op="send",
            thread=thread_id,
            message=message_id,
            to=to,
            attachments=len(files),
            record_ids=links,
        )
    return {"thread_id": thread_id, "message_id": message_id, "to": to}


def _members_or_404(conn: Connection, principal: Principal, thread_id: str) -> list[str]:
    members = store.thread_members(conn, thread_id)
    if principal.agency not in members:
        raise NotFound(f"no thread {thread_id} that agency {principal.agency} takes part in")
    return members


def reply(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    thread_id: str,
    draft: ReplyDraft,
    files: Sequence[CheckedAttachment] = (),
) -> int:
    """Answer in a thread: goes to its other agencies, and marks what it answers as answered."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.MESSAGE)
    links = _check_links(node, principal, checked, draft.linked_records)
    with node.engine.begin() as conn:
        members = _members_or_404(conn, principal, thread_id)
        found = store.thread(conn, thread_id)
        if found is not None and found["closed_at"] is not None:
            raise InputError(f"thread {thread_id} is closed")
        others = [a for a in members if a != principal.agency]
        store.mark_answered(conn, thread_id, principal.agency, node.now())
        message_id = _store_message(
            conn, node, principal, thread_id, draft.body, links, others, files
        )
        record(
            conn,
            node,
            principal,
            AuditAction.MESSAGE,
            checked,
            op="reply",
            thread=thread_id,
            message=message_id,
            record_ids=links,
        )
    return message_id


def close(node: Node, principal: Principal, purpose: Purpose | None, thread_id: str) -> None:
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.MESSAGE)
    with node.engine.begin() as conn:
        _members_or_404(conn, principal, thread_id)
        store.close_thread(conn, thread_id, principal.agency, node.now())
        record(conn, node, principal, AuditAction.MESSAGE, checked, op="close", thread=thread_id)


def state_of(delivery: dict[str, Any], closed_at: datetime | None) -> MessageState:
    if closed_at is not None:
        return MessageState.CLOSED
    for column, state in (
        ("answered_at", MessageState.ANSWERED),
        ("read_at", MessageState.READ),
        ("delivered_at", MessageState.DELIVERED),
    ):
        if delivery.get(column) is not None:
            return state
    return MessageState.SENT


def _deadline(row: dict[str, Any]) -> dict[str, str] | None:
    at = row["deadline_at"]
    if at is None:
        return None
    zone = row["deadline_zone"] or "UTC"
    return {"utc": at.isoformat(), "zone": zone, "local": local_time(at, zone)}


def _present(
    node: Node,
    agency: str,
    row: dict[str, Any],
    to: list[dict[str, Any]],
    files: list[dict[str, Any]],
) -> dict[str, Any]:
    now = node.now()
    addressees = [
        {
            "agency": d["agency"],
            "state": state_of(d, row["closed_at"]).value,
            "overdue": row["closed_at"] is None
            and is_overdue(row["deadline_at"], d["answered_at"], now),
        }
        for d in to
    ]
    mine = next((a for a in addressees if a["agency"] == agency), None)
    return {
        "id": row["id"],
        "thread_id": row["thread_id"],
        "subject": row["subject"],
        "priority": row["priority"],
        "handling": row["handling"],
        "handling_note": row["handling_note"],
        "from": row["sender_agency"],
        "sender": row["sender_user"],
        "sent_at": row["sent_at"].isoformat(),
        "body": row["body"],
        "linked_records": row["linked_records"],
        "deadline": _deadline(row),
        "state": mine["state"] if mine else None,
        "overdue": bool(mine and mine["overdue"]),
        "addressees": addressees,
        "attachments": [
            {k: f[k] for k in ("id", "filename", "media_type", "size", "sha256")} for f in files
        ],
    }


def _page(
    conn: Connection,
    node: Node,
    agency: str,
    q: store.MessageQuery,
    window: tuple[int, int],
    stamp: Callable[[Connection, str, Sequence[int], datetime], int],
) -> tuple[list[dict[str, Any]], int]:
    """A page of messages; those addressed to `agency` are stamped (delivered or read) first."""
    rows, total = store.messages_of(conn, agency, q, window, node.now())
    received = [r["id"] for r in rows if r["sender_agency"] != agency]
    stamp(conn, agency, received, node.now())
    ids = [r["id"] for r in rows]
    to = store.deliveries(conn, ids)
    files = store.attachments_meta(conn, ids)
    items = [_present(node, agency, r, to.get(r["id"], []), files.get(r["id"], [])) for r in rows]
    return items, total


def list_messages(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    q: store.MessageQuery,
    window: tuple[int, int] = (0, 100),
) -> tuple[list[dict[str, Any]], int]:
    """The caller's agency's messages (received, sent or both), newest first, searchable.

    Listing the inbox is what delivers a message: each one addressed to the agency and listed
    here is stamped delivered.
    """
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.MESSAGE)
    with node.engine.begin() as conn:
        items, total = _page(conn, node, principal.agency, q, window, store.mark_delivered)
        record(
            conn,
            node,
            principal,
            AuditAction.MESSAGE,
            checked,
            op="list",
            box=q.box,
            text=q.text,
            outcome=f"{len(items)} returned",
        )
    return items, total


def open_thread(
    node: Node, principal: Principal, purpose: Purpose | None, thread_id: str
) -> dict[str, Any]:
    """A whole thread, oldest message first; opening it marks the messages to the caller read."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.MESSAGE)
    with node.engine.begin() as conn:
        members = _members_or_404(conn, principal, thread_id)
        q = store.MessageQuery(thread_id=thread_id)
        items, _ = _page(conn, node, principal.agency, q, (0, 10_000), store.mark_read)
        found = store.thread(conn, thread_id)
        record(conn, node, principal, AuditAction.MESSAGE, checked, op="open", thread=thread_id)
    assert found is not None
    return {
        "id": thread_id,
        "subject": found["subject"],
        "priority": found["priority"],
        "handling": found["handling"],
        "handling_note": found["handling_note"],
        "agencies": members,
        "created_at": found["created_at"].isoformat(),
        "closed_at": found["closed_at"].isoformat() if found["closed_at"] else None,
        "messages": list(reversed(items)),
    }


def attachment(
    node: Node, principal: Principal, purpose: Purpose | None, attachment_id: int
) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of an attachment in a thread the caller takes part in."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.MESSAGE)
    with node.engine.begin() as conn:
        found = store.attachment(conn, attachment_id)
        if found is None or principal.agency not in store.thread_members(conn, found["thread_id"]):
            raise NotFound(f"no attachment {attachment_id} that agency {principal.agency} may see")
        record(
            conn,
            node,
            principal,
            AuditAction.MESSAGE,
            checked,
            op="attachment",
            thread=found["thread_id"],
            attachment=attachment_id,
        )
    return found["filename"], found["media_type"], bytes(found["content"])
