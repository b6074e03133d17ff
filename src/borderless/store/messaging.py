"""SQL for cooperation: threads and messages, notice workflow, requests and grants, cases.

Every read here is narrowed to an agency by the caller's arguments (a thread's agencies, a
request's two sides, a case's current members); the services decide who is asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from borderless.store.messaging_schema import (
    coop_attachments,
    coop_case_events,
    coop_case_members,
    coop_case_notes,
    coop_case_records,
    coop_case_tasks,
    coop_cases,
    coop_contacts,
    coop_deliveries,
    coop_grants,
    coop_messages,
    coop_notice_events,
    coop_notices,
    coop_requests,
    coop_thread_agencies,
    coop_threads,
    coop_webhook_deliveries,
    coop_webhooks,
)
from borderless.store.schema import agencies, hit_notifications


def _rows(result: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in result]


def _inserted_id(result: CursorResult[Any]) -> int:
    keys = result.inserted_primary_key
    assert keys is not None
    return int(keys[0])


# --- threads and messages -----------------------------------------------------------------------


def add_thread(conn: Connection, row: dict[str, Any], members: Sequence[str]) -> None:
    conn.execute(insert(coop_threads).values(**row))
    conn.execute(
        insert(coop_thread_agencies), [{"thread_id": row["id"], "agency": a} for a in members]
    )


def add_message(conn: Connection, row: dict[str, Any], addressees: Sequence[str]) -> int:
    message_id = _inserted_id(conn.execute(insert(coop_messages).values(**row)))
    conn.execute(
        insert(coop_deliveries), [{"message_id": message_id, "agency": a} for a in addressees]
    )
    return message_id


def add_attachments(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(coop_attachments), list(rows))


def thread(conn: Connection, thread_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(coop_threads).where(coop_threads.c.id == thread_id)).first()
    return dict(row._mapping) if row else None


def thread_members(conn: Connection, thread_id: str) -> list[str]:
    query = select(coop_thread_agencies.c.agency).where(
        coop_thread_agencies.c.thread_id == thread_id
    )
    return sorted(conn.execute(query).scalars())


@dataclass(frozen=True)
class MessageQuery:
    """Which of an agency's messages: received, sent or both; matching text; overdue only."""

    box: str = "all"  # "inbox", "sent" or "all"
    text: str | None = None
    overdue: bool = False  # only messages to the agency past their deadline, unanswered
    thread_id: str | None = None


def _scope(agency: str, q: MessageQuery, now: datetime) -> tuple[Select[Any], Any]:
    """The ids of the messages `q` asks for, narrowed to threads `agency` takes part in.

    The inbox is the messages addressed to the agency (a delivery row for it), 'sent' its own;
    both walk an index in id order, so the newest page costs the same at any size.
    """
    mine = coop_deliveries.alias("mine")
    if q.box == "inbox" and not (q.thread_id or q.text or q.overdue):
        # the plain inbox: the agency's delivery rows alone, newest first, off one index
        return select(mine.c.message_id).where(mine.c.agency == agency), mine.c.message_id
    if q.box == "inbox" or q.overdue:
        query = (
            select(coop_messages.c.id)
            .select_from(mine)
            .join(coop_messages, coop_messages.c.id == mine.c.message_id)
            .where(mine.c.agency == agency)
        )
    elif q.box == "sent":
        query = select(coop_messages.c.id).where(coop_messages.c.sender_agency == agency)
    else:
        member = coop_thread_agencies.alias("member")
        query = (
            select(coop_messages.c.id)
            .select_from(member)
            .join(coop_messages, coop_messages.c.thread_id == member.c.thread_id)
            .where(member.c.agency == agency)
        )
    if q.thread_id:
        query = query.where(coop_messages.c.thread_id == q.thread_id)
    if q.overdue:
        query = query.join(coop_threads, coop_threads.c.id == coop_messages.c.thread_id).where(
            coop_messages.c.deadline_at < now,
            mine.c.answered_at.is_(None),
            coop_threads.c.closed_at.is_(None),
        )
    if q.text:
        matching = _matching(query, q.text)
        return matching, matching.selected_columns[0]
    return query, coop_messages.c.id


def _matching(scope: Select[Any], text: str) -> Select[Any]:
    """The messages of `scope` whose subject or body contains `text` (case-insensitive).

    The agency's messages are taken first (a materialised CTE, on SQLite and PostgreSQL alike)
    and only they are scanned; left to itself PostgreSQL scans every message's body first.
    """
    columns = (coop_messages.c.body, coop_messages.c.thread_id)
    own = scope.add_columns(*columns).cte("own").prefix_with("MATERIALIZED")
    needle = text.lower()
    return (
        select(own.c.id)
        .join(coop_threads, coop_threads.c.id == own.c.thread_id)
        .where(
            or_(
                func.lower(coop_threads.c.subject).contains(needle, autoescape=True),
                func.lower(own.c.body).contains(needle, autoescape=True),
            )
        )
    )


def messages_of(
    conn: Connection, agency: str, q: MessageQuery, window: tuple[int, int], now: datetime
) -> tuple[list[dict[str, Any]], int]:
    """Messages in threads `agency` takes part in, newest first, with the thread's subject."""
    scope, key = _scope(agency, q, now)
    offset, limit = window
    page: Sequence[Any] = []
    if q.text:  # one pass for the page and the total: the text is scanned once, not twice
        counted = scope.add_columns(func.count().over().label("total"))
        page = conn.execute(counted.order_by(key.desc()).offset(offset).limit(limit)).all()
    if page:
        total = page[0].total
    else:  # otherwise an index count, and the newest page straight off the index
        total = conn.execute(select(func.count()).select_from(scope.subquery())).scalar_one()
        page = conn.execute(scope.order_by(key.desc()).offset(offset).limit(limit)).all()
    if not page:
        return [], int(total)
    ids = [row[0] for row in page]
    mine = coop_deliveries.alias("mine")
    details = (
        select(
            coop_messages,
            coop_threads.c.subject,
            coop_threads.c.priority,
            coop_threads.c.handling,
            coop_threads.c.handling_note,
            coop_threads.c.closed_at,
            mine.c.delivered_at,
            mine.c.read_at,
            mine.c.answered_at,
        )
        .join(coop_threads, coop_threads.c.id == coop_messages.c.thread_id)
        .outerjoin(mine, and_(mine.c.message_id == coop_messages.c.id, mine.c.agency == agency))
        .where(coop_messages.c.id.in_(ids))
        .order_by(coop_messages.c.id.desc())
    )
    return _rows(conn.execute(details)), int(total)


def deliveries(conn: Connection, message_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not message_ids:
        return found
    query = (
        select(coop_deliveries)
        .where(coop_deliveries.c.message_id.in_(list(message_ids)))
        .order_by(coop_deliveries.c.agency)
    )
    for row in _rows(conn.execute(query)):
        found.setdefault(row["message_id"], []).append(row)
    return found


def attachments_meta(
    conn: Connection, message_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not message_ids:
        return found
    cols = [c for c in coop_attachments.c if c.name != "content"]
    query = select(*cols).where(coop_attachments.c.message_id.in_(list(message_ids)))
    for row in _rows(conn.execute(query.order_by(coop_attachments.c.id))):
        found.setdefault(row["message_id"], []).append(row)
    return found


def attachment(conn: Connection, attachment_id: int) -> dict[str, Any] | None:
    query = (
        select(coop_attachments, coop_messages.c.thread_id)
        .join(coop_messages, coop_messages.c.id == coop_attachments.c.message_id)
        .where(coop_attachments.c.id == attachment_id)
    )
    row = conn.execute(query).first()
    return dict(row._mapping) if row else None


def _stamp(conn: Connection, agency: str, ids: Sequence[int], column: str, at: datetime) -> int:
    if not ids:
        return 0
    col = coop_deliveries.c[column]
    done = conn.execute(
        update(coop_deliveries)
        .where(
            coop_deliveries.c.agency == agency,
            coop_deliveries.c.message_id.in_(list(ids)),
            col.is_(None),
        )
        .values({column: at})
    )
    return int(done.rowcount)


def mark_delivered(conn: Connection, agency: str, ids: Sequence[int], at: datetime) -> int:
    return _stamp(conn, agency, ids, "delivered_at", at)


def mark_read(conn: Connection, agency: str, ids: Sequence[int], at: datetime) -> int:
    """Reading implies delivery: both are stamped if missing."""
    mark_delivered(conn, agency, ids, at)
    return _stamp(conn, agency, ids, "read_at", at)


def mark_answered(conn: Connection, thread_id: str, agency: str, at: datetime) -> None:
    """A reply from `agency` answers every earlier message of the thread addressed to it."""
    earlier = select(coop_messages.c.id).where(coop_messages.c.thread_id == thread_id)
    ids = list(conn.execute(earlier).scalars())
    mark_read(conn, agency, ids, at)
    _stamp(conn, agency, ids, "answered_at", at)


def close_thread(conn: Connection, thread_id: str, agency: str, at: datetime) -> None:
    conn.execute(
        update(coop_threads)
        .where(coop_threads.c.id == thread_id, coop_threads.c.closed_at.is_(None))
        .values(closed_at=at, closed_by=agency)
    )


# --- notices ------------------------------------------------------------------------------------


def add_notice(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(coop_notices).values(**row))


def notice(conn: Connection, record_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(coop_notices).where(coop_notices.c.record_id == record_id)).first()
    return dict(row._mapping) if row else None


def set_notice(conn: Connection, record_id: str, **values: Any) -> None:
    conn.execute(update(coop_notices).where(coop_notices.c.record_id == record_id).values(values))


def add_notice_event(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(coop_notice_events).values(**row))


def notice_events(conn: Connection, record_id: str) -> list[dict[str, Any]]:
    query = (
        select(coop_notice_events)
        .where(coop_notice_events.c.record_id == record_id)
        .order_by(coop_notice_events.c.id)
    )
    return _rows(conn.execute(query))


def notices_where(
    conn: Connection,
    *,
    owner: str | None = None,
    statuses: Sequence[str] = (),
    channel: str | None = None,
    unreviewed_diffusions: bool = False,
) -> list[dict[str, Any]]:
    query = select(coop_notices)
    if owner is not None:
        query = query.where(coop_notices.c.owner == owner)
    if statuses:
        query = query.where(coop_notices.c.status.in_(list(statuses)))
    if channel is not None:
        query = query.where(coop_notices.c.channel == channel)
    if unreviewed_diffusions:
        query = query.where(
            coop_notices.c.channel == "diffusion", coop_notices.c.reviewer.is_(None)
        )
    return _rows(conn.execute(query.order_by(coop_notices.c.created_at, coop_notices.c.record_id)))


def notice_figures(conn: Connection) -> dict[str, Any]:
    """Counts of notices by status and of refusals by reason."""
    by_status = conn.execute(
        select(coop_notices.c.status, func.count()).group_by(coop_notices.c.status)
    ).all()
    submitted = conn.execute(
        select(func.count()).where(coop_notices.c.submitted_at.is_not(None))
    ).scalar_one()
    reasons = conn.execute(
        select(coop_notices.c.refusal_reason, func.count())
        .where(coop_notices.c.refusal_reason.is_not(None))
        .group_by(coop_notices.c.refusal_reason)
    ).all()
    steps = conn.execute(
        select(
            coop_notice_events.c.step, func.count(func.distinct(coop_notice_events.c.record_id))
        ).group_by(coop_notice_events.c.step)
    ).all()
    return {
        "submitted": int(submitted),
        "by_status": {s: int(n) for s, n in by_status},
        "refusal_reasons": {r: int(n) for r, n in reasons},
        "notices_by_step": {s: int(n) for s, n in steps},  # notices that went through each step
    }


# --- requests and grants ------------------------------------------------------------------------


def add_request(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(coop_requests).values(**row))


def request(conn: Connection, request_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(coop_requests).where(coop_requests.c.id == request_id)).first()
    return dict(row._mapping) if row else None


def set_request(conn: Connection, request_id: str, **values: Any) -> None:
    conn.execute(update(coop_requests).where(coop_requests.c.id == request_id).values(values))


def requests_of(
    conn: Connection,
    agency: str,
    box: str,
    status: str | None,
    window: tuple[int, int],
) -> tuple[list[dict[str, Any]], int]:
    sides = {
        "inbox": coop_requests.c.addressee_agency == agency,
        "sent": coop_requests.c.requester_agency == agency,
    }
    where = [sides.get(box, or_(*sides.values()))]
    if status:
        where.append(coop_requests.c.status == status)
    total = conn.execute(select(func.count()).select_from(coop_requests).where(*where))
    offset, limit = window
    rows = conn.execute(
        select(coop_requests)
        .where(*where)
        .order_by(coop_requests.c.created_at.desc(), coop_requests.c.id)
        .offset(offset)
        .limit(limit)
    )
    return _rows(rows), int(total.scalar_one())


def notification(conn: Connection, owner: str, notification_id: int) -> dict[str, Any] | None:
    """One hit notification from `owner`'s inbox."""
    row = conn.execute(
        select(hit_notifications).where(
            hit_notifications.c.id == notification_id, hit_notifications.c.owner == owner
        )
    ).first()
    return dict(row._mapping) if row else None


def add_grant(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(coop_grants).values(**row))


def granted_fields(conn: Connection, record_id: str, agency: str) -> set[str] | None:
    """The body fields released to `agency` for `record_id` (union of grants); None: no grant."""
    query = select(coop_grants.c.fields).where(
        coop_grants.c.record_id == record_id, coop_grants.c.agency == agency
    )
    grants = list(conn.execute(query).scalars())
    if not grants:
        return None
    return {name for fields in grants for name in fields}


def request_times(conn: Connection) -> list[dict[str, Any]]:
    """Every request's addressee, creation, deadline and answer times (for the figures)."""
    query = select(
        coop_requests.c.addressee_agency,
        coop_requests.c.created_at,
        coop_requests.c.deadline_at,
        coop_requests.c.answered_at,
    )
    return _rows(conn.execute(query))


# --- cases --------------------------------------------------------------------------------------


def add_case(conn: Connection, row: dict[str, Any], members: Sequence[str], at: datetime) -> None:
    conn.execute(insert(coop_cases).values(**row))
    conn.execute(
        insert(coop_case_members),
        [{"case_id": row["id"], "agency": a, "joined_at": at} for a in members],
    )


def case(conn: Connection, case_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(coop_cases).where(coop_cases.c.id == case_id)).first()
    return dict(row._mapping) if row else None


def case_members(conn: Connection, case_id: str, current_only: bool = True) -> list[dict[str, Any]]:
    query = select(coop_case_members).where(coop_case_members.c.case_id == case_id)
    if current_only:
        query = query.where(coop_case_members.c.left_at.is_(None))
    return _rows(conn.execute(query.order_by(coop_case_members.c.agency)))


def set_case_status(conn: Connection, case_id: str, status: str) -> None:
    conn.execute(update(coop_cases).where(coop_cases.c.id == case_id).values(status=status))


def is_case_member(conn: Connection, case_id: str, agency: str) -> bool:
    query = select(coop_case_members.c.agency).where(
        coop_case_members.c.case_id == case_id,
        coop_case_members.c.agency == agency,
        coop_case_members.c.left_at.is_(None),
    )
    return conn.execute(query).first() is not None


def join_case(conn: Connection, case_id: str, agency: str, at: datetime) -> None:
    conn.execute(
        delete(coop_case_members).where(
            coop_case_members.c.case_id == case_id, coop_case_members.c.agency == agency
        )
    )
    conn.execute(insert(coop_case_members).values(case_id=case_id, agency=agency, joined_at=at))


def leave_case(conn: Connection, case_id: str, agency: str, at: datetime) -> None:
    conn.execute(
        update(coop_case_members)
        .where(coop_case_members.c.case_id == case_id, coop_case_members.c.agency == agency)
        .values(left_at=at)
    )


def cases_of(conn: Connection, agency: str) -> list[dict[str, Any]]:
    member = exists().where(
        coop_case_members.c.case_id == coop_cases.c.id,
        coop_case_members.c.agency == agency,
        coop_case_members.c.left_at.is_(None),
    )
    query = select(coop_cases).where(member).order_by(coop_cases.c.created_at.desc())
    return _rows(conn.execute(query))


def add_case_row(conn: Connection, table_name: str, row: dict[str, Any]) -> int | None:
    table = _CASE_TABLES[table_name]
    result = conn.execute(insert(table).values(**row))
    keys = result.inserted_primary_key
    return int(keys[0]) if keys and isinstance(keys[0], int) else None


def case_rows(conn: Connection, table_name: str, case_id: str) -> list[dict[str, Any]]:
    table = _CASE_TABLES[table_name]
    order = table.c.id if "id" in table.c else table.c.added_at
    return _rows(conn.execute(select(table).where(table.c.case_id == case_id).order_by(order)))


def finish_task(conn: Connection, case_id: str, task_id: int, at: datetime) -> bool:
    done = conn.execute(
        update(coop_case_tasks)
        .where(
            coop_case_tasks.c.case_id == case_id,
            coop_case_tasks.c.id == task_id,
            coop_case_tasks.c.done_at.is_(None),
        )
        .values(done_at=at)
    )
    return bool(done.rowcount)


_CASE_TABLES = {
    "records": coop_case_records,
    "notes": coop_case_notes,
    "tasks": coop_case_tasks,
    "events": coop_case_events,
}


# --- liaison contacts ---------------------------------------------------------------------------


def add_contact(conn: Connection, row: dict[str, Any]) -> int:
    return _inserted_id(conn.execute(insert(coop_contacts).values(**row)))


def contacts(
    conn: Connection, country: str | None, language: str | None, desk_24_7: bool | None
) -> list[dict[str, Any]]:
    query = select(
        coop_contacts,
        agencies.c.name.label("agency_name"),
        agencies.c.country,
        agencies.c.kind.label("agency_kind"),
    ).join(agencies, agencies.c.code == coop_contacts.c.agency)
    if country:
        query = query.where(agencies.c.country == country)
    if desk_24_7 is not None:
        query = query.where(coop_contacts.c.desk_24_7 == desk_24_7)
    rows = _rows(conn.execute(query.order_by(agencies.c.country, coop_contacts.c.id)))
    if language:
        rows = [r for r in rows if language.lower() in r["languages"]]
    return rows


def delete_contact(conn: Connection, agency: str, contact_id: int) -> bool:
    done = conn.execute(
        delete(coop_contacts).where(
            coop_contacts.c.id == contact_id, coop_contacts.c.agency == agency
        )
    )
    return bool(done.rowcount)


# --- webhooks -----------------------------------------------------------------------------------


def add_webhook(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(coop_webhooks).values(**row))


def webhooks_of(conn: Connection, agency: str) -> list[dict[str, Any]]:
    cols = [c for c in coop_webhooks.c if c.name != "secret"]
    query = select(*cols).where(coop_webhooks.c.agency == agency).order_by(coop_webhooks.c.id)
    return _rows(conn.execute(query))


def deactivate_webhook(conn: Connection, agency: str, webhook_id: str) -> bool:
    done = conn.execute(
        update(coop_webhooks)
        .where(coop_webhooks.c.id == webhook_id, coop_webhooks.c.agency == agency)
        .values(active=False)
    )
    return bool(done.rowcount)


def enqueue_deliveries(
    conn: Connection, agencies_: Sequence[str], event: str, payload: dict[str, Any], at: datetime
) -> int:
    hooks = conn.execute(
        select(coop_webhooks.c.id).where(
            coop_webhooks.c.agency.in_(list(agencies_)), coop_webhooks.c.active.is_(True)
        )
    ).scalars()
    rows = [
        {
            "webhook_id": hook,
            "event": event,
            "payload": payload,
            "created_at": at,
            "attempts": 0,
            "next_attempt_at": at,
        }
        for hook in hooks
    ]
    if rows:
        conn.execute(insert(coop_webhook_deliveries), rows)
    return len(rows)


def due_deliveries(conn: Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    query = (
        select(
            coop_webhook_deliveries,
            coop_webhooks.c.url,
            coop_webhooks.c.secret,
            coop_webhooks.c.agency,
        )
        .join(coop_webhooks, coop_webhooks.c.id == coop_webhook_deliveries.c.webhook_id)
        .where(
            coop_webhook_deliveries.c.next_attempt_at <= now,
            coop_webhooks.c.active.is_(True),
        )
        .order_by(coop_webhook_deliveries.c.id)
        .limit(limit)
    )
    return _rows(conn.execute(query))


def claim_delivery(conn: Connection, delivery_id: int, due_at: datetime, until: datetime) -> bool:
    """Take a due delivery for posting: its next attempt moves to `until` only if it is still
    the `due_at` that was read. False when another process took it first."""
    done = conn.execute(
        update(coop_webhook_deliveries)
        .where(
            coop_webhook_deliveries.c.id == delivery_id,
            coop_webhook_deliveries.c.next_attempt_at == due_at,
        )
        .values(next_attempt_at=until)
    )
    return bool(done.rowcount == 1)


def set_delivery(conn: Connection, delivery_id: int, **values: Any) -> None:
    conn.execute(
        update(coop_webhook_deliveries)
        .where(coop_webhook_deliveries.c.id == delivery_id)
        .values(values)
    )


def deliveries_of(conn: Connection, agency: str, limit: int = 100) -> list[dict[str, Any]]:
    cols = [c for c in coop_webhook_deliveries.c if c.name != "payload"]
    query = (
        select(*cols, coop_webhook_deliveries.c.payload)
        .join(coop_webhooks, coop_webhooks.c.id == coop_webhook_deliveries.c.webhook_id)
        .where(coop_webhooks.c.agency == agency)
        .order_by(coop_webhook_deliveries.c.id.desc())
        .limit(limit)
    )
    return _rows(conn.execute(query))
