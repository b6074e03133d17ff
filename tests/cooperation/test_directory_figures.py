"""Liaison contacts in the directory, and the oversight figures on notices and requests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from borderless.domain.codes import Purpose, Role
from borderless.domain.messaging import ContactDraft, NoticeStep, RefusalReason
from borderless.domain.records import Governance, NoticeBody
from borderless.errors import PermissionDenied
from borderless.services import contacts, cooperation_figures, notices, requests
from borderless.services.node import Node
from borderless.services.requests import RequestDraft
from tests.conftest import Clock, People

P = Purpose.OVERSIGHT


def test_contacts_by_country_language_and_desk(node: Node, people: People) -> None:
    desk = ContactDraft(
        name="SIRENE desk",
        languages=["DE", "en"],
        channels={"phone": "+49 611 55-0", "email": "sirene@example.invalid"},
        desk_24_7=True,
    )
    contacts.add_contact(node, people["DEU-BKA", Role.ADMIN], desk)
    contacts.add_contact(
        node, people["NLD-POL", Role.ADMIN], ContactDraft(name="Liaison officer", languages=["nl"])
    )
    with pytest.raises(PermissionDenied):
        contacts.add_contact(node, people["NLD-POL", Role.ANALYST], desk)
    with pytest.raises(ValueError, match="ISO 639"):
        ContactDraft(name="x", languages=["german"])
    [german] = contacts.find_contacts(node, country="DE")
    assert (german["agency"], german["country"], german["languages"]) == (
        "DEU-BKA",
        "DEU",
        ["de", "en"],
    )
    assert [c["agency"] for c in contacts.find_contacts(node, desk_24_7=True)] == ["DEU-BKA"]
    assert [c["agency"] for c in contacts.find_contacts(node, language="nl")] == ["NLD-POL"]
    assert len(contacts.find_contacts(node)) == 2


def _notice(node: Node, people: People, offences: list[str]) -> str:
    owner = people["NLD-POL", Role.ANALYST]
    body = NoticeBody(
        notice_kind="blue",
        subject_name="Some One",
        requested_action="Locate and report the whereabouts to NLD-POL",
        offences=offences,
    )
    created = notices.draft(node, owner, Purpose.CRIMINAL_INVESTIGATION, body, Governance())
    notices.act(node, owner, Purpose.CRIMINAL_INVESTIGATION, created.id, NoticeStep.SUBMIT)
    notices.act(node, people["HUB", Role.SUPERVISOR], P, created.id, NoticeStep.TAKE)
    return created.id


def test_oversight_figures(node: Node, people: People, clock: Clock) -> None:
    reviewer = people["HUB", Role.SUPERVISOR]
    published = _notice(node, people, ["fraud"])
    notices.act(node, reviewer, P, published, NoticeStep.PUBLISH)
    for offence in ("apostasy", "blasphemy"):
        refused = _notice(node, people, [offence])
        notices.act(
            node, reviewer, P, refused, NoticeStep.REFUSE, "religious", RefusalReason.RELIGIOUS
        )
    refused = _notice(node, people, ["robbery"])
    notices.act(node, reviewer, P, refused, NoticeStep.REFUSE, "no warrant", RefusalReason.OTHER)

    nl = people["NLD-POL", Role.ANALYST]
    rfi = {"about": "person", "description": "who is it", "questions": ["name?"]}
    due = {"local": "2026-06-03T12:00", "zone": "UTC"}
    answered = [
        requests.submit(node, nl, P, RequestDraft(template="rfi", to=to, fields=rfi))
        for to in ("DEU-BKA", "DEU-BKA", "TUR-EGM")
    ]
    late = RequestDraft.model_validate(
        {"template": "rfi", "to": "TUR-EGM", "fields": rfi, "deadline": due}
    )
    requests.submit(node, nl, P, late)
    for hours, item in zip((2, 4, 30), answered, strict=True):
        clock.current += timedelta(hours=hours)
        who = people[item["addressee_agency"], Role.ANALYST]
        requests.answer(node, who, P, item["id"], "answer")
    clock.current += timedelta(days=3)

    with pytest.raises(PermissionDenied):
        cooperation_figures.figures(node, nl, P)
    found = cooperation_figures.figures(node, people["DEU-BKA", Role.AUDITOR], P)
    assert found["notices"]["submitted"] == 4
    assert (found["notices"]["published"], found["notices"]["refused"]) == (1, 3)
    assert found["notices"]["refusal_reasons"] == {"religious": 2, "other": 1}
    reqs = found["requests"]
    assert (reqs["total"], reqs["answered"]) == (4, 3)
    # answered after 2 h, 6 h and 36 h: the median is 6 h
    assert reqs["median_hours_to_answer"] == 6.0
    assert reqs["median_hours_to_answer_by_agency"] == {"DEU-BKA": 4.0, "TUR-EGM": 36.0}
    assert reqs["overdue_by_agency"] == {"TUR-EGM": 1}
