"""Case workspaces: only current participants see them; leaving removes access at once."""

from __future__ import annotations

import pytest

from borderless.domain.codes import Purpose, Role
from borderless.domain.messaging import CaseDraft, TaskDraft
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.services import cases
from borderless.services.node import Node
from tests.conftest import Clock, People
from tests.helpers import create_person

P = Purpose.CRIMINAL_INVESTIGATION
NOTE = "Suspect uses a Dutch SIM card registered to a front company"


def _outsider_sees_nothing(node: Node, people: People, agency: str, case_id: str) -> None:
    who = people[agency, Role.SUPERVISOR]
    assert all(c["id"] != case_id for c in cases.list_cases(node, who, P))
    with pytest.raises(NotFound):
        cases.show(node, who, P, case_id)
    with pytest.raises(NotFound):
        cases.add_note(node, who, P, case_id, "let me in")
    with pytest.raises(NotFound):
        cases.add_task(node, who, P, case_id, TaskDraft(title="snoop"))
    with pytest.raises(NotFound):
        cases.leave(node, who, P, case_id)


def test_case_content_never_reaches_non_participants(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.OFFICER]
    opened = cases.open_case(
        node, nl, P, CaseDraft(title="JIT Tulip", participants=["DEU-BKA"], summary="drugs")
    )
    case_id = opened["id"]
    person = create_person(node, nl, "Jan de Vries")
    cases.share_record(node, nl, P, case_id, person.id)
    cases.add_note(node, de, P, case_id, NOTE)
    cases.add_task(node, nl, P, case_id, TaskDraft(title="Check SIM", assignee="DEU-BKA"))
    seen = cases.show(node, de, P, case_id)
    assert [n["text"] for n in seen["notes"]] == [NOTE]
    assert seen["records"][0]["label"] == "Jan de Vries"
    assert [t["title"] for t in seen["tasks"]] == ["Check SIM"]
    timeline = [e["what"] for e in seen["timeline"]]
    assert timeline[:2] == ["opened with DEU-BKA", f"shared record {person.id}"]
    for agency in ("TUR-EGM", "NLD-FIU", "HUB"):
        _outsider_sees_nothing(node, people, agency, case_id)


def test_leaving_removes_access_and_rejoining_restores_it(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    case_id = cases.open_case(node, nl, P, CaseDraft(title="JIT", participants=["DEU-BKA"]))["id"]
    cases.add_note(node, nl, P, case_id, NOTE)
    assert cases.show(node, de, P, case_id)["notes"]
    cases.leave(node, de, P, case_id)
    _outsider_sees_nothing(node, people, "DEU-BKA", case_id)
    members = cases.show(node, nl, P, case_id)["members"]
    assert {m["agency"]: m["left_at"] is not None for m in members} == {
        "DEU-BKA": True,
        "NLD-POL": False,
    }
    with pytest.raises(NotFound):  # a former member cannot let itself back in
        cases.add_participant(node, de, P, case_id, "DEU-BKA")
    cases.add_participant(node, nl, P, case_id, "DEU-BKA")
    assert cases.show(node, de, P, case_id)["notes"][0]["text"] == NOTE


def test_owner_removes_participants_and_cannot_leave(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    tr = people["TUR-EGM", Role.ANALYST]
    case_id = cases.open_case(
        node, nl, P, CaseDraft(title="JIT", participants=["DEU-BKA", "TUR-EGM"])
    )["id"]
    with pytest.raises(PermissionDenied, match="only the case owner"):
        cases.leave(node, de, P, case_id, agency="TUR-EGM")
    cases.leave(node, nl, P, case_id, agency="TUR-EGM")
    _outsider_sees_nothing(node, people, "TUR-EGM", case_id)
    with pytest.raises(InputError, match="cannot leave"):
        cases.leave(node, nl, P, case_id)
    with pytest.raises(NotFound):
        cases.show(node, tr, P, case_id)


def test_shared_records_keep_their_own_access_rules(node: Node, people: People) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    case_id = cases.open_case(node, nl, P, CaseDraft(title="JIT", participants=["DEU-BKA"]))["id"]
    hidden = create_person(node, nl, "Geheime Bron", dissemination="hit_only")
    own_only = create_person(node, nl, "Alleen NL", dissemination="listed", share_countries=["NLD"])
    cases.share_record(node, nl, P, case_id, hidden.id)
    cases.share_record(node, nl, P, case_id, own_only.id)
    by_id = {r["record_id"]: r for r in cases.show(node, de, P, case_id)["records"]}
    assert (by_id[hidden.id]["access"], by_id[hidden.id]["label"]) == ("reference", None)
    assert (by_id[own_only.id]["access"], by_id[own_only.id]["label"]) == ("none", None)
    with pytest.raises(NotFound):  # a member cannot share what it may not see
        cases.share_record(node, de, P, case_id, own_only.id)


def test_tasks_with_deadlines_and_closing(node: Node, people: People, clock: Clock) -> None:
    nl, de = people["NLD-POL", Role.ANALYST], people["DEU-BKA", Role.ANALYST]
    case_id = cases.open_case(node, nl, P, CaseDraft(title="JIT", participants=["DEU-BKA"]))["id"]
    due = {"local": "2026-06-01T18:00", "zone": "Europe/Berlin"}
    task_id = cases.add_task(
        node, nl, P, case_id, TaskDraft.model_validate({"title": "Trace", "due": due})
    )
    with pytest.raises(InputError, match="does not take part"):
        cases.add_task(node, nl, P, case_id, TaskDraft(title="x", assignee="TUR-EGM"))
    [task] = cases.show(node, de, P, case_id)["tasks"]
    assert (task["due_at"], task["overdue"]) == ("2026-06-01T16:00:00+00:00", False)
    clock.advance(1)
    assert cases.show(node, de, P, case_id)["tasks"][0]["overdue"] is True
    cases.finish_task(node, de, P, case_id, task_id)
    assert cases.show(node, de, P, case_id)["tasks"][0]["overdue"] is False
    with pytest.raises(PermissionDenied):
        cases.close_case(node, de, P, case_id)
    cases.close_case(node, nl, P, case_id)
    with pytest.raises(InputError, match="closed"):
        cases.add_note(node, de, P, case_id, "after closing")
