"""Accounts emptied shortly before the holder travels: the detector, the holder-traveller link,
and the governance of passenger data in `detect`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import orjson
import pytest
from sqlalchemy import select

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.domain.records import RecordDraft
from borderless.domain.travel import Leg, TravelDocument, Traveller
from borderless.finance.frame import ArrayFlows, FlowFrame, Holder, from_arrays
from borderless.finance.typologies import Typology
from borderless.finance.typologies.travel import (
    Departures,
    DrainParams,
    HolderDocument,
    drained_before_travel,
    link_departures,
)
from borderless.services import records
from borderless.services.finance_detect import run_detect
from borderless.services.node import Node
from borderless.services.travel_intake import Upload, ingest
from borderless.store.schema import audit_log
from tests.conftest import People

DAY = 86_400
T0 = 1_740_000_000  # 2025-02-19
DRAIN = (Typology.DRAINED_BEFORE_TRAVEL,)
FI = Purpose.FINANCIAL_INVESTIGATION


def _frame() -> FlowFrame:
    """Account 0 receives 3 x 8,000 EUR over ten days, then pays 22,000 out (cash and abroad)
    on days 20-21; account 5 gets a salary and spends a little."""
    rows = [
        (1, 0, 8_000.0, T0, "transfer"),
        (2, 0, 8_000.0, T0 + 4 * DAY, "transfer"),
        (3, 0, 8_000.0, T0 + 10 * DAY, "transfer"),
        (0, 4, 12_000.0, T0 + 20 * DAY, "wire"),
        (0, 1, 10_000.0, T0 + 21 * DAY, "cash"),
        (2, 5, 6_000.0, T0, "transfer"),
        (5, 1, 300.0, T0 + 19 * DAY, "card"),
    ]
    src, dst, amount, time, channel = zip(*rows, strict=True)
    return from_arrays(
        ArrayFlows(
            account_ids=[f"A{i}" for i in range(6)],
            src=np.array(src, np.int64),
            dst=np.array(dst, np.int64),
            amount=np.array(amount),
            time=np.array(time, np.int64),
            account_country=["NLD", "NLD", "NLD", "NLD", "ARE", "NLD"],
            channel=list(channel),
        )
    )


def _leaving(account: int, at: int) -> Departures:
    return Departures.of([(account, at, (("flight", "XX1/2025-03-13/AMS"),))])


def test_an_account_drained_just_before_its_holder_departs_fires() -> None:
    frame = _frame()
    [alert] = drained_before_travel(frame, _leaving(0, T0 + 22 * DAY), DrainParams())
    assert alert.typology == "drained_before_travel"
    assert alert.accounts[0] == 0
    assert sorted(alert.transactions) == [0, 1, 2, 3, 4]  # what came in, and what left
    assert alert.facts == (("flight", "XX1/2025-03-13/AMS"),)
    assert "22,000 EUR (92% of the 24,000 EUR" in alert.explanation
    assert "100% as cash or abroad" in alert.explanation


def test_a_departure_before_the_draining_does_not_fire() -> None:
    frame = _frame()
    assert drained_before_travel(frame, _leaving(0, T0 + 15 * DAY), DrainParams()) == []
    # ...nor one long after it, nor an account that is not emptied
    assert drained_before_travel(frame, _leaving(0, T0 + 40 * DAY), DrainParams()) == []
    assert drained_before_travel(frame, _leaving(5, T0 + 20 * DAY), DrainParams()) == []


def test_thresholds_are_parameters() -> None:
    frame = _frame()
    stricter = DrainParams(min_drained=0.95)
    assert drained_before_travel(frame, _leaving(0, T0 + 22 * DAY), stricter) == []
    shorter = DrainParams(drain_days=0.5)  # only the cash withdrawal is within 12 hours
    assert drained_before_travel(frame, _leaving(0, T0 + 21 * DAY + 3600), shorter) == []


def test_repeated_messages_about_one_trip_make_one_alert() -> None:
    frame = _frame()
    leaving = T0 + 22 * DAY
    twice = Departures.of([(0, leaving, ()), (0, leaving + 3600, ()), (0, leaving, ())])
    assert len(drained_before_travel(frame, twice, DrainParams())) == 1


def _with_holders(frame: FlowFrame) -> FlowFrame:
    body: dict[str, Any] = {
        "names": [{"full": "Jan de Vries"}, {"full": "Johannes de Vries", "kind": "aka"}],
        "birth_dates": [{"date": "1980-02-03"}],
    }
    frame.holders["P1"] = Holder("P1", "person", "Jan de Vries", None, body)
    frame.holders["P2"] = Holder("P2", "person", "Eva Smit", None, {"names": [{"full": "Eva"}]})
    frame.account_holders[0] = ("P1",)
    frame.account_holders[5] = ("P2",)
    return frame


LEG = Leg("XX", "1", "AMS", "DXB", datetime(2025, 3, 13, 9, 30))


def _traveller(surname: str, given: str, born: str | None, *docs: TravelDocument) -> Traveller:
    return Traveller("1", surname, given, birth_date=born, documents=docs)


@pytest.mark.parametrize(
    ("traveller", "linked_by"),
    [
        (_traveller("DE VRIES", "JAN", "1980-02-03"), "name and birth date (1980-02-03)"),
        (_traveller("de Vries", "Johannes", "1980-02-03"), "name and birth date (1980-02-03)"),
        (_traveller("X", "Y", None, TravelDocument("P", "nx-12 345", "NLD")), "document NX12345"),
        (_traveller("Vries", "Jan", "1980-02-04"), None),  # another birth date
        (_traveller("de Vries", "Jan", None), None),  # no birth date
        (_traveller("de Vries", "Jan Pieter", "1980-02-03"), None),  # another name
        (_traveller("X", "Y", None, TravelDocument("P", "NX12345", "BEL")), None),  # issuer
    ],
)
def test_holders_are_linked_to_travellers_conservatively(
    traveller: Traveller, linked_by: str | None
) -> None:
    frame = _with_holders(_frame())
    documents = [HolderDocument("P1", "NX12345", "NLD"), HolderDocument("P9", "NX12345", "NLD")]
    found = link_departures(frame, documents, [(LEG, traveller)])
    if linked_by is None:
        assert found.account.size == 0
        return
    assert found.account.tolist() == [0]
    facts = dict(found.facts[0])
    assert facts["linked by"].startswith(linked_by)
    assert facts["holder"] == "P1"
    assert facts["flight"] == "XX1/2025-03-13/AMS"
    assert facts["departure"] == "2025-03-13T09:30"


# --- through the service: governance of passenger data ------------------------------------------


def _create(node: Node, who: Principal, draft: dict[str, Any]) -> str:
    return records.create(node, who, Purpose.DATA_MANAGEMENT, RecordDraft.model_validate(draft)).id


def _drained_account(node: Node, people: People) -> str:
    """A person with a passport, her account filled by three payers and emptied abroad and in
    cash on 2025-03-20/21 (records of NLD-FIU, shared with all)."""
    fiu = people["NLD-FIU", Role.ANALYST]
    person = _create(
        node,
        fiu,
        {
            "kind": "person",
            "body": {"names": [{"full": "Fatma Demir"}], "birth_dates": [{"date": "1985-07-01"}]},
        },
    )
    _create(
        node,
        fiu,
        {
            "kind": "document",
            "body": {"number": "U12345678", "issuing_country": "TUR", "person_id": person},
        },
    )
    account = _create(
        node, fiu, {"kind": "account", "body": {"number": "NL-9", "holder_ids": [person]}}
    )
    others = [
        _create(node, fiu, {"kind": "account", "body": {"number": n}}) for n in ("P1", "P2", "X")
    ]
    flows = [
        (others[0], account, 9_000, "2025-03-01T10:00:00Z", "transfer"),
        (others[1], account, 9_000, "2025-03-05T10:00:00Z", "transfer"),
        (account, others[2], 10_000, "2025-03-20T10:00:00Z", "wire"),
        (account, others[0], 7_500, "2025-03-21T09:00:00Z", "cash"),
    ]
    for src, dst, amount, time, channel in flows:
        body = {"from_account_id": src, "to_account_id": dst, "amount": amount}
        body |= {"currency": "EUR", "time": time, "channel": channel}
        _create(node, fiu, {"kind": "transaction", "body": body})
    return account


def _flight(node: Node, who: Principal, departure: str, traveller: dict[str, Any]) -> None:
    manifest = {
        "reference": f"M-{departure}",
        "sender": "TEST AIR",
        "flight": {
            "carrier": "XX",
            "number": "7",
            "origin": "AMS",
            "destination": "IST",
            "departure": departure,
        },
        "travellers": [traveller],
    }
    ingest(node, who, Purpose.BORDER_CONTROL, Upload(orjson.dumps(manifest), "m.json"))


PASSPORT = {"type": "P", "number": "U 1234 5678", "country": "TUR"}


def test_detect_links_passenger_data_of_the_callers_own_agency(node: Node, people: People) -> None:
    account = _drained_account(node, people)
    police = people["NLD-POL", Role.ANALYST]
    traveller = {"surname": "DEMIR", "given_names": "FATMA", "documents": [PASSPORT]}
    _flight(node, police, "2025-03-21T18:00", traveller)
    _flight(node, police, "2025-03-10T08:00", traveller)  # before the draining: no alert
    response = run_detect(node, police, FI, DRAIN)
    assert response.skipped == {}
    [alert] = response.alerts
    assert alert.accounts[0].id == account
    assert alert.facts["flight"] == "XX7/2025-03-21/AMS"
    assert alert.facts["linked by"] == "document U12345678 (TUR)"
    assert alert.facts["traveller"] == "FATMA DEMIR"
    assert "before its holder FATMA DEMIR departed on XX7/2025-03-21/AMS" in alert.explanation
    assert len(alert.transactions) == 4
    with node.engine.connect() as conn:
        entries = conn.execute(
            select(audit_log).where(audit_log.c.username == police.username)
        ).all()
    actions = [e.action for e in entries]
    assert AuditAction.VIEW.value in actions  # the passenger data read
    detect_entry = entries[actions.index(AuditAction.DETECT.value)]
    assert detect_entry.query["passenger_data"]["flights_returned"] == ["XX7/2025-03-21/AMS"]


def test_without_passenger_data_access_the_typology_is_skipped_and_says_why(
    node: Node, people: People
) -> None:
    _drained_account(node, people)
    police = people["NLD-POL", Role.ANALYST]
    _flight(
        node,
        police,
        "2025-03-21T18:00",
        {"surname": "DEMIR", "given_names": "FATMA", "birth_date": "1985-07-01"},
    )
    fiu = run_detect(node, people["NLD-FIU", Role.ANALYST], FI, DRAIN)
    assert fiu.alerts == []
    assert "agency NLD-FIU holds no passenger data" in fiu.skipped["drained_before_travel"]
    other_purpose = run_detect(node, police, Purpose.IDENTIFY, DRAIN)
    assert other_purpose.alerts == []
    assert "may not be used for 'identify'" in other_purpose.skipped["drained_before_travel"]
    # the same caller, for a purpose that allows it, does get the alert (linked by name)
    allowed = run_detect(node, police, Purpose.COUNTER_TERRORISM, DRAIN)
    assert allowed.skipped == {}
    assert allowed.alerts[0].facts["linked by"] == "name and birth date (1985-07-01)"
    # other typologies are not skipped, and none is skipped when the travel one is not asked for
    assert run_detect(node, police, Purpose.IDENTIFY, [Typology.FAN_IN]).skipped == {}
    with node.engine.connect() as conn:
        views = conn.execute(
            select(audit_log).where(
                audit_log.c.action == AuditAction.VIEW.value,
                audit_log.c.agency.in_(["NLD-FIU", "NLD-POL"]),
            )
        ).all()
    # the FIU looked into its own (empty) passenger data; the police read it only when allowed
    assert sorted((v.agency, v.outcome) for v in views) == [
        ("NLD-FIU", "0 travellers on 0 flights"),
        ("NLD-POL", "1 travellers on 1 flights"),
    ]
