"""Structured requests: templates validate per field; a grant releases exactly what it names."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.services import notifications, records, requests
from borderless.services.node import Node
from borderless.services.requests import RequestDraft
from borderless.services.search import search
from borderless.services.search_query import SearchRequest
from tests.conftest import Clock, People

P = Purpose.CRIMINAL_INVESTIGATION


def _hidden(node: Node, owner: Principal) -> Record:
    return records.create(
        node,
        owner,
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "person",
                "body": {
                    "names": [{"full": "Viktor Petrovich Sokolov"}],
                    "birth_dates": [{"date": "1968-07-01"}],
                    "nationalities": ["RUS"],
                    "gender": "male",
                    "remarks": "informant; do not approach",
                },
                "governance": {"dissemination": "hit_only"},
            }
        ),
    )


def _follow_up(record_id: str, **extra: Any) -> RequestDraft:
    fields = {"record_id": record_id, "reason": "hit during border check at Schiphol, 2026-05-30"}
    return RequestDraft(template="hit_follow_up", fields=fields, **extra)


def test_grant_releases_exactly_the_granted_fields_to_exactly_the_requester(
    node: Node, people: People
) -> None:
    owner, requester = people["DEU-BKA", Role.ANALYST], people["NLD-POL", Role.OFFICER]
    outsider = people["TUR-EGM", Role.ANALYST]
    hidden = _hidden(node, owner)
    assert node.gate.get(requester, P, hidden.id).access == "reference"
    with pytest.raises(NotFound):
        requests.released(node, requester, P, hidden.id)
    asked = requests.submit(node, requester, P, _follow_up(hidden.id))
    assert (asked["addressee_agency"], asked["status"]) == ("DEU-BKA", "submitted")
    with pytest.raises(NotFound):
        requests.show(node, outsider, P, asked["id"])
    with pytest.raises(PermissionDenied, match="only the addressee"):
        requests.grant(node, requester, P, asked["id"], ["names"])
    with pytest.raises(InputError, match=r"no field.*passport"):
        requests.grant(node, owner, P, asked["id"], ["names", "passport"])
    done = requests.grant(node, owner, P, asked["id"], ["names", "birth_dates"])
    assert done["status"] == "partially_granted"

    released = requests.released(node, requester, P, hidden.id)
    full = hidden.body.model_dump(mode="json", exclude_none=True)
    assert released.fields == ["birth_dates", "names"]
    assert released.body == {"names": full["names"], "birth_dates": full["birth_dates"]}
    assert "remarks" not in released.body
    # nobody else gains anything, and the ordinary read paths are unchanged
    for who in (outsider, people["NLD-FIU", Role.ANALYST], people["HUB", Role.SUPERVISOR]):
        with pytest.raises(NotFound):
            requests.released(node, who, P, hidden.id)
    assert node.gate.get(requester, P, hidden.id).access == "reference"
    with pytest.raises(InputError, match="already partially_granted"):
        requests.grant(node, owner, P, asked["id"])

    again = requests.submit(node, requester, P, _follow_up(hidden.id))
    assert requests.grant(node, owner, P, again["id"])["status"] == "granted"
    assert requests.released(node, requester, P, hidden.id).body == full


def test_refusal_releases_nothing(node: Node, people: People) -> None:
    owner, requester = people["DEU-BKA", Role.ANALYST], people["NLD-POL", Role.OFFICER]
    hidden = _hidden(node, owner)
    asked = requests.submit(node, requester, P, _follow_up(hidden.id))
    with pytest.raises(InputError, match="states its reason"):
        requests.refuse(node, owner, P, asked["id"], "")
    done = requests.refuse(node, owner, P, asked["id"], "ongoing covert operation")
    assert (done["status"], done["answer"]) == ("refused", "ongoing covert operation")
    with pytest.raises(NotFound):
        requests.released(node, requester, P, hidden.id)


def test_follow_up_needs_a_record_the_requester_knows_of(node: Node, people: People) -> None:
    owner = people["DEU-BKA", Role.ANALYST]
    secret = records.create(
        node,
        owner,
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "person",
                "body": {"names": [{"full": "Nobody Known"}]},
                "governance": {"dissemination": "listed", "share_countries": ["DEU"]},
            }
        ),
    )
    with pytest.raises(NotFound):
        requests.submit(node, people["NLD-POL", Role.OFFICER], P, _follow_up(secret.id))
    hidden = _hidden(node, owner)
    with pytest.raises(InputError, match="goes to the record's owner DEU-BKA"):
        requests.submit(
            node, people["NLD-POL", Role.OFFICER], P, _follow_up(hidden.id, to="TUR-EGM")
        )


@pytest.mark.parametrize(
    ("template", "version", "fields", "problems"),
    [
        ("rfi", None, {"about": "person", "description": "who is he?"}, {"fields.questions"}),
        (
            "rfi",
            None,
            {"about": "ship", "description": "x", "questions": ["?"]},
            {
                "fields.about",
                "fields.description",
            },
        ),
        (
            "mla",
            1,
            {"legal_basis": "ETS 030", "offences": []},
            {
                "fields.offences",
                "fields.facts",
                "fields.requested_measures",
            },
        ),
        (
            "mla",
            None,
            {
                "legal_basis": "ETS 030",
                "offences": ["fraud"],
                "facts": "Twenty characters of facts at least.",
                "requested_measures": ["bank records"],
            },
            {"fields.issuing_authority", "fields.dual_criminality"},
        ),
        (
            "asset_tracing",
            None,
            {"measure": "freeze", "subjects": ["X"], "grounds": "laundering"},
            {
                "fields",
            },
        ),
        (
            "hit_follow_up",
            None,
            {"record_id": "X", "reason": "short", "extra": 1},
            {
                "fields.reason",
                "fields.extra",
            },
        ),
    ],
)
def test_templates_reject_incomplete_requests_field_by_field(
    node: Node,
    people: People,
    template: str,
    version: int | None,
    fields: dict[str, Any],
    problems: set[str],
) -> None:
    draft = RequestDraft(template=template, version=version, to="DEU-BKA", fields=fields)
    with pytest.raises(ValidationError) as caught:
        requests.submit(node, people["NLD-POL", Role.ANALYST], P, draft)
    located = {".".join(str(p) for p in e["loc"]) for e in caught.value.errors()}
    assert located == problems


def test_template_versions(node: Node, people: People) -> None:
    nl = people["NLD-POL", Role.ANALYST]
    mla = {
        "legal_basis": "ETS 030",
        "offences": ["fraud"],
        "facts": "Twenty characters of facts at least.",
        "requested_measures": ["bank records"],
    }
    old = requests.submit(
        node, nl, P, RequestDraft(template="mla", version=1, to="DEU-BKA", fields=mla)
    )
    assert old["template_version"] == 1
    v2 = {**mla, "issuing_authority": "Public Prosecutor Rotterdam", "dual_criminality": True}
    new = requests.submit(node, nl, P, RequestDraft(template="mla", to="DEU-BKA", fields=v2))
    assert new["template_version"] == 2
    with pytest.raises(InputError, match="no version 9; latest is 2"):
        requests.submit(
            node, nl, P, RequestDraft(template="mla", version=9, to="DEU-BKA", fields=v2)
        )
    with pytest.raises(InputError, match="unknown request template 'visa'"):
        requests.submit(node, nl, P, RequestDraft(template="visa", to="DEU-BKA", fields={}))


def test_answer_deadline_overdue_and_sides(node: Node, people: People, clock: Clock) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.OFFICER]
    rfi = RequestDraft(
        template="rfi",
        to="DEU-BKA",
        priority="urgent",
        deadline={"local": "2026-06-02T09:00", "zone": "Europe/Berlin"},
        fields={"about": "account", "description": "IBAN DE89...", "questions": ["holder?"]},
    )
    asked = requests.submit(node, nl, P, rfi)
    assert asked["deadline_at"] == "2026-06-02T07:00:00+00:00"
    assert asked["deadline_local"] == "2026-06-02T09:00+02:00"
    assert requests.list_requests(node, people["TUR-EGM", Role.ANALYST], P) == ([], 0)
    clock.advance(1)
    [pending], _ = requests.list_requests(node, de, P, box="inbox")
    assert pending["overdue"] is True
    with pytest.raises(PermissionDenied):
        requests.answer(node, nl, P, asked["id"], "answering my own request")
    done = requests.answer(node, de, P, asked["id"], "Holder is Hans Maier, Köln.")
    assert (done["status"], done["overdue"]) == ("answered", False)
    [mine], _ = requests.list_requests(node, nl, P, box="sent")
    assert mine["answer"] == "Holder is Hans Maier, Köln."


def test_hit_notification_turns_into_a_request_in_one_step(node: Node, people: People) -> None:
    owner, searcher = people["DEU-BKA", Role.ANALYST], people["NLD-POL", Role.OFFICER]
    hidden = _hidden(node, owner)
    search(
        node,
        searcher,
        Purpose.IDENTIFY,
        SearchRequest.model_validate({"person": {"name": "Viktor Sokolov"}}),
    )
    [note], _ = notifications.inbox(node, owner)
    assert note["record_id"] == hidden.id
    made = requests.from_notification(node, owner, P, note["id"])
    assert (made["addressee_agency"], made["template"], made["record_id"]) == (
        "NLD-POL",
        "rfi",
        hidden.id,
    )
    assert "NLD-POL hit our record" in made["fields"]["description"]
    [received], _ = requests.list_requests(node, searcher, P, box="inbox")
    assert received["id"] == made["id"]
    assert notifications.inbox(node, owner, unread_only=True) == ([], 0)
    with pytest.raises(NotFound):
        requests.from_notification(node, people["TUR-EGM", Role.ANALYST], P, note["id"])
