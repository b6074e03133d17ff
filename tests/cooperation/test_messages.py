"""Threads between agencies: only addressees see them; states, deadlines, search, attachments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose, Role
from borderless.domain.messaging import MessageDraft, ReplyDraft
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.services import messages
from borderless.services.attachments import check
from borderless.services.node import Node
from borderless.store.messaging import MessageQuery
from borderless.store.schema import audit_log
from tests.conftest import Clock, People
from tests.helpers import create_person

P = Purpose.CRIMINAL_INVESTIGATION
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 32


def _draft(**extra: Any) -> MessageDraft:
    data: dict[str, Any] = {
        "to": ["DEU-BKA"],
        "subject": "Stolen Audi A6 seen in Venlo",
        "body": "Please confirm the owner of plate B-XY 123.",
        "priority": "urgent",
        "handling": "H2",
    }
    data.update(extra)
    return MessageDraft.model_validate(data)


def _inbox(node: Node, who: Principal, **q: Any) -> list[dict[str, Any]]:
    items, _ = messages.list_messages(node, who, P, MessageQuery(**q))
    return items


def test_only_addressees_see_a_thread(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.OFFICER]
    sent = messages.send(node, nl, P, _draft(), [check("note.pdf", PDF)])
    [received] = _inbox(node, de, box="inbox")
    assert received["subject"] == "Stolen Audi A6 seen in Venlo"
    assert received["state"] == "delivered"
    for agency in ("TUR-EGM", "HUB", "NLD-FIU"):
        outsider = people[agency, Role.SUPERVISOR]
        assert _inbox(node, outsider) == []
        assert _inbox(node, outsider, text="audi") == []
        with pytest.raises(NotFound):
            messages.open_thread(node, outsider, P, sent["thread_id"])
        with pytest.raises(NotFound):
            messages.reply(node, outsider, P, sent["thread_id"], ReplyDraft(body="me too"))
        with pytest.raises(NotFound):
            messages.attachment(node, outsider, P, received["attachments"][0]["id"])
    # a reply goes to the thread's agencies only, never further
    messages.reply(node, de, P, sent["thread_id"], ReplyDraft(body="Owner is Hans Maier."))
    assert _inbox(node, people["TUR-EGM", Role.ANALYST]) == []
    [answer] = _inbox(node, nl, box="inbox")
    assert answer["from"] == "DEU-BKA"
    assert [a["agency"] for a in answer["addressees"]] == ["NLD-POL"]


def test_states_sent_delivered_read_answered_closed(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    sent = messages.send(node, nl, P, _draft(to=["DEU-BKA", "TUR-EGM"]))

    def states() -> dict[str, str]:
        [mine] = _inbox(node, nl, box="sent")
        return {a["agency"]: a["state"] for a in mine["addressees"]}

    assert states() == {"DEU-BKA": "sent", "TUR-EGM": "sent"}
    _inbox(node, de, box="inbox")
    assert states() == {"DEU-BKA": "delivered", "TUR-EGM": "sent"}
    thread = messages.open_thread(node, de, P, sent["thread_id"])
    assert thread["agencies"] == ["DEU-BKA", "NLD-POL", "TUR-EGM"]
    assert states() == {"DEU-BKA": "read", "TUR-EGM": "sent"}
    messages.reply(node, de, P, sent["thread_id"], ReplyDraft(body="Checking."))
    assert states() == {"DEU-BKA": "answered", "TUR-EGM": "sent"}
    messages.close(node, nl, P, sent["thread_id"])
    assert states() == {"DEU-BKA": "closed", "TUR-EGM": "closed"}
    with pytest.raises(InputError, match="closed"):
        messages.reply(node, de, P, sent["thread_id"], ReplyDraft(body="late"))


def test_deadline_across_the_spring_dst_change(node: Node, people: People, clock: Clock) -> None:
    """Due 03:30 Amsterdam time on the night clocks jump 02:00 -> 03:00, i.e. 01:30 UTC."""
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    clock.current = datetime(2026, 3, 28, 18, 0, tzinfo=UTC)
    deadline = {"local": "2026-03-29T03:30", "zone": "Europe/Amsterdam"}
    sent = messages.send(node, nl, P, _draft(deadline=deadline))
    [item] = _inbox(node, de, box="inbox")
    assert item["deadline"] == {
        "utc": "2026-03-29T01:30:00+00:00",
        "zone": "Europe/Amsterdam",
        "local": "2026-03-29T03:30+02:00",
    }
    clock.current = datetime(2026, 3, 29, 1, 29, tzinfo=UTC)  # 03:29 summer time
    assert not _inbox(node, de, box="inbox")[0]["overdue"]
    assert _inbox(node, de, overdue=True) == []
    clock.current = datetime(2026, 3, 29, 1, 31, tzinfo=UTC)
    assert _inbox(node, de, box="inbox")[0]["overdue"]
    [overdue] = _inbox(node, de, overdue=True)
    assert overdue["thread_id"] == sent["thread_id"]
    [mine] = _inbox(node, nl, box="sent")
    assert mine["addressees"][0]["overdue"]  # the sender sees it too
    messages.reply(node, de, P, sent["thread_id"], ReplyDraft(body="Done."))
    assert _inbox(node, de, overdue=True) == []


def test_deadline_in_a_local_time_that_does_not_exist_is_refused(
    node: Node, people: People, clock: Clock
) -> None:
    clock.current = datetime(2026, 3, 1, tzinfo=UTC)
    nl = people["NLD-POL", Role.ANALYST]
    gap = {"local": "2026-03-29T02:30", "zone": "Europe/Amsterdam"}
    with pytest.raises(InputError, match="does not exist in Europe/Amsterdam"):
        messages.send(node, nl, P, _draft(deadline=gap))
    past = {"local": "2026-02-01T10:00", "zone": "Europe/Amsterdam"}
    with pytest.raises(InputError, match="already past"):
        messages.send(node, nl, P, _draft(deadline=past))


def test_search_in_own_messages(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    messages.send(node, nl, P, _draft(subject="Cocaine shipment Rotterdam", body="Container X"))
    messages.send(node, nl, P, _draft(subject="Missing girl", body="Last seen near Aachen"))
    messages.send(node, de, P, _draft(to=["TUR-EGM"], subject="Aachen burglary", body="..."))
    assert [m["subject"] for m in _inbox(node, de, text="AACHEN")] == [
        "Aachen burglary",
        "Missing girl",
    ]
    assert [m["subject"] for m in _inbox(node, nl, text="aachen")] == ["Missing girl"]
    assert [m["subject"] for m in _inbox(node, de, text="container")] == [
        "Cocaine shipment Rotterdam"
    ]
    assert _inbox(node, people["TUR-EGM", Role.ANALYST], text="cocaine") == []
    assert _inbox(node, de, text="100%_") == []  # LIKE wildcards are literal


def test_attachments_are_typed_by_content(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    with pytest.raises(InputError, match=r"content is application/x-msdownload"):
        check("report.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    with pytest.raises(InputError, match=r"content is image/png but the name says '.jpg'"):
        check("photo.jpg", PNG)
    with pytest.raises(InputError, match="more than"):
        check("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert check("notes.txt", "Straße 12, Köln\n".encode()).media_type == "text/plain"
    for bad_name in ("../etc/passwd.txt", "a\\b.txt", 'x".txt', "x\r\nSet-Cookie: a.txt"):
        with pytest.raises(InputError, match="attachment"):
            check(bad_name, b"text")
    sent = messages.send(node, nl, P, _draft(), [check("plate.png", PNG)])
    [item] = _inbox(node, de, box="inbox")
    [meta] = item["attachments"]
    assert (meta["filename"], meta["media_type"], meta["size"]) == ("plate.png", "image/png", 48)
    name, media_type, content = messages.attachment(node, de, P, meta["id"])
    assert (name, media_type, content) == ("plate.png", "image/png", PNG)
    assert sent["to"] == ["DEU-BKA"]


def test_linked_records_must_be_visible_to_the_sender(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    own = create_person(node, nl, "Jan Jansen")
    secret = create_person(
        node, de, "Karl Geheim", dissemination="listed", share_agencies=["TUR-EGM"]
    )
    with pytest.raises(NotFound, match=secret.id):
        messages.send(node, nl, P, _draft(linked_records=[secret.id]))
    messages.send(node, nl, P, _draft(linked_records=[own.id]))
    assert _inbox(node, de)[0]["linked_records"] == [own.id]


def test_roles_purpose_and_audit(node: Node, people: People) -> None:
    nl = people["NLD-POL", Role.ANALYST]
    with pytest.raises(PermissionDenied):
        messages.send(node, people["NLD-POL", Role.AUDITOR], P, _draft())
    with pytest.raises(InputError, match="purpose"):
        messages.send(node, nl, None, _draft())
    with pytest.raises(InputError, match="unknown agency code"):
        messages.send(node, nl, P, _draft(to=["XXX-NONE"]))
    sent = messages.send(node, nl, P, _draft())
    messages.open_thread(node, people["DEU-BKA", Role.ANALYST], P, sent["thread_id"])
    with node.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.action, audit_log.c.query, audit_log.c.username)
        ).all()
    ops = [(r.action, r.query.get("op") or r.query.get("attempted")) for r in rows]
    assert ("denied", "message") in ops
    assert ("message", "send") in ops
    assert ("message", "open") in ops
    send_entry = next(r for r in rows if r.query.get("op") == "send")
    assert send_entry.query["thread"] == sent["thread_id"]
    assert send_entry.username == nl.username


def test_priority_and_handling_are_kept(node: Node, people: People, clock: Clock) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    messages.send(
        node,
        nl,
        P,
        _draft(priority="immediate", handling="H3", handling_note="not for court use"),
    )
    clock.current += timedelta(minutes=5)
    [item] = _inbox(node, de)
    assert (item["priority"], item["handling"], item["handling_note"]) == (
        "immediate",
        "H3",
        "not for court use",
    )
