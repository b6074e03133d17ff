"""No agency's trace or alert ever holds a transaction it may not see whole — and it holds
every one it may.

Thirty payments fan out from one account, each owned by a random agency with random
governance (dissemination, shared countries and agencies, purposes, an expired retention
date). For every agency and two purposes, the one-hop trace must return exactly the payments
that `expected` — the rules of docs/governance.md restated here, independently of
`governance.access` — says the agency may see whole; the fan-out alert's evidence must hold
nothing else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import pytest

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose, Role
from borderless.domain.records import RecordDraft
from borderless.finance.typologies import Typology
from borderless.services import records
from borderless.services.finance_detect import run_detect
from borderless.services.finance_models import TraceRequest
from borderless.services.finance_trace import run_trace
from borderless.services.node import Node
from tests.conftest import AGENCIES, People

COUNTRY = {a.code: a.country for a in AGENCIES}
MEMBERS = [a.code for a in AGENCIES]
PURPOSES = (Purpose.FINANCIAL_INVESTIGATION, Purpose.COUNTER_TERRORISM)


@dataclass(frozen=True)
class Payment:
    id: str
    owner: str
    dissemination: str
    countries: tuple[str, ...]
    agencies: tuple[str, ...]
    purposes: tuple[Purpose, ...]
    expired: bool


def expected(payment: Payment, viewer: str, purpose: Purpose) -> bool:
    """May `viewer` see `payment` whole for `purpose`? (docs/governance.md, rules 1-7)"""
    if viewer == payment.owner:
        return True
    if payment.expired:
        return False
    if payment.dissemination == "listed" and not (
        COUNTRY[viewer] in payment.countries or viewer in payment.agencies
    ):
        return False
    if payment.dissemination == "hit_only":
        return False
    return not payment.purposes or purpose in payment.purposes


def _account(node: Node, owner: Principal, number: str) -> str:
    draft = RecordDraft.model_validate({"kind": "account", "body": {"number": number}})
    return records.create(node, owner, Purpose.DATA_MANAGEMENT, draft).id


def _payments(node: Node, people: People, seed: int) -> tuple[str, list[Payment]]:
    rnd = random.Random(seed)
    fiu = people["NLD-FIU", Role.ANALYST]
    source = _account(node, fiu, "SOURCE")
    made = []
    for i in range(30):
        owner = rnd.choice(MEMBERS)
        dissemination = rnd.choice(["all", "all", "listed", "hit_only"])
        countries = tuple(rnd.sample(sorted(set(COUNTRY.values())), rnd.randint(0, 2)))
        agencies = tuple(rnd.sample(MEMBERS, rnd.randint(0, 1)))
        if dissemination == "listed" and not (countries or agencies):
            countries = ("DEU",)
        purposes = tuple(rnd.sample(PURPOSES, rnd.randint(0, 1)))
        expired = rnd.random() < 0.15
        governance = {
            "dissemination": dissemination,
            "share_countries": list(countries) if dissemination == "listed" else [],
            "share_agencies": list(agencies) if dissemination == "listed" else [],
            "purposes": [p.value for p in purposes],
            "retention_until": "2026-01-01" if expired else "2030-01-01",
        }
        draft = RecordDraft.model_validate(
            {
                "kind": "transaction",
                "body": {
                    "from_account_id": source,
                    "to_account_id": _account(node, fiu, f"T{i}"),
                    "amount": 2_000,
                    "currency": "EUR",
                    "time": f"2025-05-01T{i % 24:02d}:00:00Z",
                },
                "governance": governance,
            }
        )
        stored = records.create(node, people[owner, Role.ANALYST], Purpose.DATA_MANAGEMENT, draft)
        made.append(
            Payment(
                stored.id,
                owner,
                dissemination,
                tuple(governance["share_countries"]),
                tuple(governance["share_agencies"]),
                purposes,
                expired,
            )
        )
    return source, made


@pytest.mark.parametrize("seed", [3, 11])
def test_traces_and_alerts_hold_exactly_what_may_be_seen(
    node: Node, people: People, seed: int
) -> None:
    source, payments = _payments(node, people, seed)
    assert node.today() > date(2026, 1, 1)  # the expired ones are past their retention date
    checked = 0
    for viewer in MEMBERS:
        analyst = people[viewer, Role.ANALYST]
        for purpose in PURPOSES:
            allowed = {p.id for p in payments if expected(p, viewer, purpose)}
            traced = run_trace(node, analyst, purpose, TraceRequest(account=source, hops=1))
            seen = {t.id for t in traced.sections[0].transactions}
            assert seen == allowed, (viewer, purpose)
            alerts = run_detect(node, analyst, purpose, [Typology.FAN_OUT]).alerts
            evidence = {t.id for a in alerts for t in a.transactions}
            assert evidence <= allowed, (viewer, purpose)
            assert bool(alerts) == (len(allowed) >= 8), (viewer, purpose)
            checked += len(allowed)
    assert 0 < checked < len(payments) * len(MEMBERS) * len(PURPOSES)  # a real mix
