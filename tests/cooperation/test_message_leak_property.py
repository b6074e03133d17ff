"""Property: whatever threads and replies agencies exchange, a message reaches exactly the
agencies of its thread — through listing, inbox, text search, opening and replying."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderless.domain.agencies import Agency, Principal
from borderless.domain.codes import AgencyKind, Purpose, Role
from borderless.domain.messaging import MessageDraft, ReplyDraft
from borderless.errors import NotFound
from borderless.services import messages
from borderless.services.node import Node
from borderless.store import directory
from borderless.store.messaging import MessageQuery
from tests.conftest import IN_CI

P = Purpose.CRIMINAL_INVESTIGATION
AGENCIES = 5
_counter = itertools.count()

threads_ = st.lists(
    st.tuples(
        st.integers(0, AGENCIES - 1),  # sender
        st.sets(st.integers(0, AGENCIES - 1), min_size=1, max_size=3),  # addressees
        st.lists(st.integers(0, AGENCIES - 1), max_size=3),  # who tries to reply, in order
    ),
    min_size=1,
    max_size=4,
)


def _principal(code: str) -> Principal:
    return Principal(
        username=f"analyst.{code.lower()}",
        agency=code,
        country="FRA",
        role=Role.ANALYST,
        agency_kind=AgencyKind.POLICE,
    )


def check_exchange(node: Node, plan: list[tuple[int, set[int], list[int]]]) -> None:
    n = next(_counter)
    codes = [f"M{n}-{i}" for i in range(AGENCIES)]
    with node.engine.begin() as conn:
        for code in codes:
            agency = Agency(code=code, name=code, country="FRA", kind=AgencyKind.POLICE)
            directory.add_agency(conn, agency, datetime.now(UTC))
    who = [_principal(c) for c in codes]
    members: dict[str, set[int]] = {}  # thread -> agencies (oracle)
    sent_by: dict[int, tuple[str, int]] = {}  # message id -> (thread, sender)
    for t, (sender, addressees, repliers) in enumerate(plan):
        to = sorted(addressees - {sender})
        if not to:
            continue
        draft = MessageDraft(
            to=[codes[i] for i in to], subject=f"subject t{n}x{t}", body=f"token{n}x{t}"
        )
        made = messages.send(node, who[sender], P, draft)
        thread = made["thread_id"]
        members[thread] = {sender, *to}
        sent_by[made["message_id"]] = (thread, sender)
        for replier in repliers:
            if replier in members[thread]:
                reply = ReplyDraft(body=f"reply token{n}x{t}")
                sent_by[messages.reply(node, who[replier], P, thread, reply)] = (thread, replier)
            else:
                with pytest.raises(NotFound):
                    messages.reply(node, who[replier], P, thread, ReplyDraft(body="intrude"))

    for i, principal in enumerate(who):
        mine = {m for m, (thread, _) in sent_by.items() if i in members[thread]}
        received = {m for m in mine if sent_by[m][1] != i}
        listed, _ = messages.list_messages(node, principal, P, MessageQuery(), (0, 1000))
        assert {m["id"] for m in listed} == mine
        inbox, total = messages.list_messages(
            node, principal, P, MessageQuery(box="inbox"), (0, 1000)
        )
        assert {m["id"] for m in inbox} == received
        assert total == len(received)
        for m in inbox:  # the caller's own state, and no addressee outside the thread
            assert m["state"] in ("delivered", "read", "answered")
            assert {codes.index(a["agency"]) for a in m["addressees"]} <= members[m["thread_id"]]
        for t in range(len(plan)):
            found, _ = messages.list_messages(
                node, principal, P, MessageQuery(text=f"token{n}x{t}"), (0, 1000)
            )
            assert {m["id"] for m in found} <= mine
        for thread, agencies in members.items():
            if i in agencies:
                opened = messages.open_thread(node, principal, P, thread)
                assert {codes.index(a) for a in opened["agencies"]} == agencies
            else:
                with pytest.raises(NotFound):
                    messages.open_thread(node, principal, P, thread)


@settings(
    max_examples=100 if IN_CI else 25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=threads_)
def test_messages_reach_exactly_the_threads_agencies(
    node: Node, plan: list[tuple[int, set[int], list[int]]]
) -> None:
    check_exchange(node, plan)
