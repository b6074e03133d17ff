"""Notices: compliance review before anyone else sees them; diffusions reviewed afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from borderless.domain.agencies import Principal
from borderless.domain.codes import Dissemination, NoticeStatus, Purpose, RecordKind, Role
from borderless.domain.messaging import NoticeStep, RefusalReason
from borderless.domain.records import Governance, NoticeBody, Record, RecordDraft
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.services import notices, records
from borderless.services.node import Node
from borderless.services.search import search
from borderless.services.search_query import SearchRequest
from borderless.store.records import RecordFilter
from borderless.store.schema import audit_log
from tests.conftest import People

P = Purpose.CRIMINAL_INVESTIGATION
MEMBERS = ("DEU-BKA", "TUR-EGM", "NLD-FIU")


def _subject(node: Node, owner: Principal) -> Record:
    return records.create(
        node,
        owner,
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "person",
                "body": {
                    "names": [{"full": "Pieter van der Berg"}],
                    "birth_dates": [{"date": "1975-02-11"}],
                    "nationalities": ["NLD"],
                },
            }
        ),
    )


def _body(subject: Record, **extra: Any) -> NoticeBody:
    data: dict[str, Any] = {
        "notice_kind": "red",
        "subject_id": subject.id,
        "subject_name": "Pieter van der Berg",
        "requested_action": "Locate and arrest with a view to extradition to the Netherlands",
        "offences": ["armed robbery"],
        "legal_basis": "Arrest warrant 12/345 of the Rotterdam court",
    }
    data.update(extra)
    return NoticeBody.model_validate(data)


def _visible_to_members(node: Node, people: People, notice_id: str) -> set[str]:
    """Which member agencies find the notice: as a record, in a list, or linked to a hit."""
    seen = set()
    for agency in MEMBERS:
        officer = people[agency, Role.OFFICER]
        try:
            node.gate.get(officer, Purpose.IDENTIFY, notice_id)
            seen.add(agency)
        except NotFound:
            pass
        page = node.gate.list(officer, Purpose.IDENTIFY, RecordFilter(kinds=[RecordKind.NOTICE]))
        if notice_id in {v.id for v in page.items}:
            seen.add(agency)
        hits = search(
            node,
            officer,
            Purpose.IDENTIFY,
            SearchRequest.model_validate({"person": {"name": "Pieter van der Berg"}}),
        ).hits
        if any(h.hit.view.id == notice_id for h in hits):
            seen.add(agency)
        if any(n["id"] == notice_id for h in hits for n in h.notices):
            seen.add(agency)
    return seen


@pytest.fixture
def cast(people: People) -> dict[str, Principal]:
    return {
        "owner": people["NLD-POL", Role.ANALYST],
        "reviewer": people["HUB", Role.SUPERVISOR],
        "hub_analyst": people["HUB", Role.ANALYST],
        "foreign_supervisor": people["DEU-BKA", Role.SUPERVISOR],
    }


def test_unreviewed_notice_is_never_searchable_until_published(
    node: Node, people: People, cast: dict[str, Principal]
) -> None:
    owner, reviewer = cast["owner"], cast["reviewer"]
    subject = _subject(node, owner)
    created = notices.draft(node, owner, P, _body(subject), Governance())
    assert created.governance.share_agencies == ["HUB"]
    assert _visible_to_members(node, people, created.id) == set()
    for step in (NoticeStep.SUBMIT, NoticeStep.TAKE):
        who = owner if step == NoticeStep.SUBMIT else reviewer
        notices.act(node, who, P, created.id, step)
        assert _visible_to_members(node, people, created.id) == set()
    done = notices.act(node, reviewer, P, created.id, NoticeStep.PUBLISH)
    assert done["status"] == "published"
    assert _visible_to_members(node, people, created.id) == set(MEMBERS)
    with node.engine.connect() as conn:
        before = conn.execute(select(func.max(audit_log.c.seq))).scalar_one()
    hits = search(
        node,
        people["TUR-EGM", Role.OFFICER],
        Purpose.IDENTIFY,
        SearchRequest.model_validate({"person": {"name": "Pieter van der Berg"}}),
    ).hits
    person_hit = next(h for h in hits if h.hit.view.id == subject.id)
    assert person_hit.notices[0]["status"] == "published"
    assert any("extradition to the Netherlands" in a for a in person_hit.actions)
    with node.engine.connect() as conn:  # one audit entry: the hits and the notice read for them
        [entry] = conn.execute(select(audit_log).where(audit_log.c.seq > before)).all()
    assert {subject.id, created.id} <= set(entry.record_ids)
    assert entry.outcome.endswith("1 related")
    notices.act(node, owner, P, created.id, NoticeStep.CANCEL)
    assert _visible_to_members(node, people, created.id) == set()


def test_refused_notice_is_never_searchable_and_flags_show_their_words(
    node: Node, people: People, cast: dict[str, Principal]
) -> None:
    owner, reviewer = cast["owner"], cast["reviewer"]
    subject = _subject(node, owner)
    body = _body(
        subject,
        offences=["insulting the president", "desertion from military service"],
        requested_action="Arrest the opposition journalist for extradition",
    )
    created = notices.draft(node, owner, P, body, Governance())
    notices.act(node, owner, P, created.id, NoticeStep.SUBMIT)
    shown = notices.show(node, reviewer, P, created.id)
    flags = {c["name"]: c["evidence"] for c in shown["checks"] if c["level"] == "flag"}
    assert set(flags) == {"neutrality:political", "neutrality:military"}
    assert 'offences[0]: "insulting the president"' in flags["neutrality:political"]
    assert 'requested_action: "journalist"' in flags["neutrality:political"]
    assert 'offences[1]: "military service"' in flags["neutrality:military"]
    notices.act(node, reviewer, P, created.id, NoticeStep.TAKE)
    with pytest.raises(InputError, match="refusal reason"):
        notices.act(node, reviewer, P, created.id, NoticeStep.REFUSE, reason="Article 3")
    refused = notices.act(
        node,
        reviewer,
        P,
        created.id,
        NoticeStep.REFUSE,
        reason="predominantly political offences",
        refusal=RefusalReason.POLITICAL,
    )
    assert (refused["status"], refused["refusal_reason"]) == ("refused", "political")
    assert _visible_to_members(node, people, created.id) == set()
    with pytest.raises(InputError, match="cannot publish a notice that is refused"):
        notices.act(node, reviewer, P, created.id, NoticeStep.PUBLISH)
    history = [
        (e["step"], e["to_status"]) for e in notices.show(node, owner, P, created.id)["history"]
    ]
    assert history == [
        ("notice", "draft"),
        ("submit", "submitted"),
        ("take", "in_review"),
        ("refuse", "refused"),
    ]


def test_clean_notice_has_no_flags_and_missing_fields_block_publication(
    node: Node, cast: dict[str, Principal]
) -> None:
    owner, reviewer = cast["owner"], cast["reviewer"]
    subject = _subject(node, owner)
    clean = notices.draft(node, owner, P, _body(subject), Governance())
    notices.act(node, owner, P, clean.id, NoticeStep.SUBMIT)
    assert [c["level"] for c in notices.show(node, reviewer, P, clean.id)["checks"]] == ["ok"]
    incomplete = notices.draft(
        node, owner, P, _body(subject, legal_basis=None, offences=[]), Governance()
    )
    notices.act(node, owner, P, incomplete.id, NoticeStep.SUBMIT)
    errors = [
        c["name"]
        for c in notices.show(node, reviewer, P, incomplete.id)["checks"]
        if c["level"] == "error"
    ]
    assert errors == ["required:legal_basis", "required:offences"]
    notices.act(node, reviewer, P, incomplete.id, NoticeStep.TAKE)
    with pytest.raises(InputError, match=r"cannot be published: .*warrant"):
        notices.act(node, reviewer, P, incomplete.id, NoticeStep.PUBLISH)
    notices.act(node, reviewer, P, incomplete.id, NoticeStep.RETURN, reason="add the warrant")
    notices.revise(node, owner, P, incomplete.id, _body(subject), Governance())
    notices.act(node, owner, P, incomplete.id, NoticeStep.SUBMIT)
    notices.act(node, reviewer, P, incomplete.id, NoticeStep.TAKE)
    assert (
        notices.act(node, reviewer, P, incomplete.id, NoticeStep.PUBLISH)["status"] == "published"
    )


def test_only_hub_supervisors_review_and_never_their_own(
    node: Node, people: People, cast: dict[str, Principal]
) -> None:
    owner = cast["owner"]
    created = notices.draft(node, owner, P, _body(_subject(node, owner)), Governance())
    notices.act(node, owner, P, created.id, NoticeStep.SUBMIT)
    for who in (owner, cast["hub_analyst"], cast["foreign_supervisor"]):
        with pytest.raises((PermissionDenied, NotFound)):
            notices.act(node, who, P, created.id, NoticeStep.TAKE)
    with pytest.raises(NotFound):  # other members cannot even follow it
        notices.show(node, cast["foreign_supervisor"], P, created.id)
    with pytest.raises(PermissionDenied):
        notices.act(node, cast["reviewer"], P, created.id, NoticeStep.CANCEL)
    hub_own = notices.draft(node, cast["reviewer"], P, _body(_subject(node, owner)), Governance())
    notices.act(node, cast["reviewer"], P, hub_own.id, NoticeStep.SUBMIT)
    with pytest.raises(PermissionDenied, match="drafted or submitted"):
        notices.act(node, cast["reviewer"], P, hub_own.id, NoticeStep.TAKE)


def test_published_notice_gets_the_requested_dissemination(
    node: Node, people: People, cast: dict[str, Principal]
) -> None:
    owner, reviewer = cast["owner"], cast["reviewer"]
    requested = Governance(dissemination="listed", share_countries=["DEU"])
    created = notices.draft(node, owner, P, _body(_subject(node, owner)), requested)
    for who, step in (
        (owner, NoticeStep.SUBMIT),
        (reviewer, NoticeStep.TAKE),
        (reviewer, NoticeStep.PUBLISH),
    ):
        notices.act(node, who, P, created.id, step)
    assert _visible_to_members(node, people, created.id) == {"DEU-BKA"}


def test_diffusion_reaches_chosen_countries_at_once_and_is_reviewed_afterwards(
    node: Node, people: People, cast: dict[str, Principal]
) -> None:
    owner, reviewer = people["DEU-BKA", Role.ANALYST], cast["reviewer"]
    subject = _subject(node, cast["owner"])
    requested = Governance(dissemination="listed", share_countries=["TUR"])
    sent = notices.diffuse(node, owner, P, _body(subject), requested)
    assert sent.governance.share_agencies == ["HUB"]
    assert _visible_to_members(node, people, sent.id) == {"TUR-EGM", "DEU-BKA"}
    queue = notices.queue(node, reviewer, P)
    assert [n["record_id"] for n in queue] == [sent.id]
    assert queue[0]["channel"] == "diffusion"
    notices.act(node, reviewer, P, sent.id, NoticeStep.CONFIRM)
    assert notices.queue(node, reviewer, P) == []
    withdrawn = notices.act(
        node, reviewer, P, sent.id, NoticeStep.WITHDRAW, reason="political character found"
    )
    assert withdrawn["status"] == "cancelled"
    assert _visible_to_members(node, people, sent.id) == {"DEU-BKA"}  # its owner only


def test_domain_refuses_an_unpublished_notice_shared_widely(node: Node, people: People) -> None:
    body = {"notice_kind": "blue", "requested_action": "Locate and report whereabouts"}
    with pytest.raises(ValidationError, match="not published must have dissemination 'listed'"):
        RecordDraft.model_validate({"kind": "notice", "body": body})
    with pytest.raises(ValidationError, match="not published"):
        RecordDraft.model_validate(
            {
                "kind": "notice",
                "body": body,
                "governance": {"dissemination": "listed", "share_countries": ["DEU"]},
            }
        )
    held = RecordDraft.model_validate(
        {
            "kind": "notice",
            "body": body,
            "governance": {"dissemination": "listed", "share_agencies": ["HUB"]},
        }
    )
    assert held.body.label() == "blue notice: ?"


def test_records_path_cannot_publish_or_change_a_reviewed_notice(
    node: Node, cast: dict[str, Principal]
) -> None:
    """Review cannot be skipped: `/records` writes only draft notices and never touches others."""
    owner, reviewer = cast["owner"], cast["reviewer"]
    subject = _subject(node, owner)
    published = _body(subject).model_copy(update={"status": NoticeStatus.PUBLISHED})
    with pytest.raises(InputError, match="only through the notice workflow"):
        records.create(node, owner, P, RecordDraft(kind=RecordKind.NOTICE, body=published))
    created = notices.draft(node, owner, P, _body(subject), Governance())
    for step, who in ((NoticeStep.SUBMIT, owner), (NoticeStep.TAKE, reviewer)):
        notices.act(node, who, P, created.id, step)
    in_review = node.gate.get(owner, P, created.id)
    held = Governance(dissemination=Dissemination.LISTED, share_agencies=["HUB"])
    edit = RecordDraft(kind=RecordKind.NOTICE, body=_body(subject), governance=held)
    with pytest.raises(InputError, match="only through the notice workflow"):
        records.update(node, owner, P, created.id, edit)
    after = node.gate.get(owner, P, created.id)
    assert (after.version, after.body) == (in_review.version, in_review.body)


def test_expired_notice_leaves_search_and_only_owner_revises(
    node: Node, people: People, cast: dict[str, Principal]
) -> None:
    owner, reviewer = cast["owner"], cast["reviewer"]
    created = notices.draft(node, owner, P, _body(_subject(node, owner)), Governance())
    with pytest.raises(PermissionDenied):
        notices.revise(node, reviewer, P, created.id, _body(_subject(node, owner)), Governance())
    for who, step in (
        (owner, NoticeStep.SUBMIT),
        (reviewer, NoticeStep.TAKE),
        (reviewer, NoticeStep.PUBLISH),
    ):
        notices.act(node, who, P, created.id, step)
    with pytest.raises(InputError, match="only drafts and returned"):
        notices.revise(node, owner, P, created.id, _body(_subject(node, owner)), Governance())
    assert _visible_to_members(node, people, created.id) == set(MEMBERS)
    assert notices.act(node, owner, P, created.id, NoticeStep.EXPIRE)["status"] == "expired"
    assert _visible_to_members(node, people, created.id) == set()
    [own] = notices.queue(node, owner, P)
    assert (own["record_id"], own["status"]) == (created.id, "expired")
