"""Notices under compliance review, and diffusions reviewed afterwards.

A notice is a record (kind ``notice``) with a workflow beside it (`coop_notices`):

    draft -> submitted -> in_review -> published | refused | returned (-> submitted again)
    draft / submitted / in_review / returned / published -> cancelled;  published -> expired

Until it is published the record is 'listed' to the hub agencies only — the reviewers — so the
access rules (rule 4) hide it from every other member; the domain refuses anything wider.
Publication by a supervisor of a hub agency gives it the dissemination its owner asked for.
Each step is checked against the state machine (`domain.messaging.NOTICE_STEPS`), logged in
`coop_notice_events` with its reason, and audited.

A diffusion goes straight to the countries and agencies its owner chooses (published at once,
and listed to the hubs too), and a reviewer confirms or withdraws it afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import (
    AuditAction,
    Dissemination,
    NoticeStatus,
    Purpose,
    RecordKind,
)
from borderless.domain.messaging import (
    NEEDS_REASON,
    OWNER_STEPS,
    REVIEWER_STEPS,
    NoticeStep,
    RefusalReason,
    next_status,
)
from borderless.domain.records import Governance, NoticeBody, PersonBody, Record, RecordDraft
from borderless.errors import Conflict, InputError, NotFound, PermissionDenied
from borderless.governance.gate import RecordView
from borderless.governance.roles import Permission, allowed
from borderless.services import notice_checks, records, webhooks
from borderless.services.admission import admit, record
from borderless.services.cooperation import known_agencies
from borderless.services.node import Node
from borderless.store import directory
from borderless.store import messaging as store
from borderless.store import records as record_store
from borderless.store.db import reading

NOTICE = "notice"
DIFFUSION = "diffusion"


def _held(requested: Governance, hubs: Sequence[str]) -> Governance:
    """The governance of a notice nobody has published: listed to the reviewing hubs only."""
    return requested.model_copy(
        update={
            "dissemination": Dissemination.LISTED,
            "share_countries": [],
            "share_agencies": list(hubs),
        }
    )


def _hubs(conn: Connection) -> list[str]:
    hubs = directory.hub_agencies(conn)
    if not hubs:
        raise InputError("no hub agency on this node reviews notices; create one first")
    return hubs


def _subject(
    node: Node, principal: Principal, purpose: Purpose, body: NoticeBody
) -> PersonBody | None:
    """The subject's person record as the actor may see it (read through the gate), if any."""
    if not body.subject_id:
        return None
    try:
        view = node.gate.get(principal, purpose, body.subject_id)
    except NotFound:
        return None
    if view.kind != RecordKind.PERSON or view.body is None:
        return None
    return PersonBody.model_validate(view.body)


def _checks(
    node: Node, principal: Principal, purpose: Purpose, body: NoticeBody
) -> list[dict[str, Any]]:
    return notice_checks.as_json(
        notice_checks.run_checks(body, _subject(node, principal, purpose, body))
    )


def _event(
    conn: Connection,
    node: Node,
    principal: Principal,
    purpose: Purpose,
    record_id: str,
    owner: str,
    step: str,
    before: str | None,
    after: str,
    reason: str | None = None,
) -> None:
    store.add_notice_event(
        conn,
        {
            "record_id": record_id,
            "at": node.now(),
            "agency": principal.agency,
            "username": principal.username,
            "step": step,
            "from_status": before,
            "to_status": after,
            "reason": reason,
        },
    )
    record(
        conn,
        node,
        principal,
        AuditAction.NOTICE,
        purpose,
        op=step,
        status=after,
        record_ids=[record_id],
        owners=[owner],
    )


def _create(
    node: Node,
    principal: Principal,
    purpose: Purpose,
    body: NoticeBody,
    governance: Governance,
    workflow: dict[str, Any],
) -> Record:
    draft = RecordDraft(kind=RecordKind.NOTICE, body=body, governance=governance)
    created = records.materialise(node.settings, draft, principal.agency, node.now())
    with node.engine.begin() as conn:
        records.check_links(conn, [created])
        record_store.insert_records(conn, [created])
        store.add_notice(
            conn,
            {
                "record_id": created.id,
                "owner": principal.agency,
                "created_at": node.now(),
                **workflow,
            },
        )
        status = workflow["status"]
        _event(
            conn,
            node,
            principal,
            purpose,
            created.id,
            created.owner,
            workflow["channel"],
            None,
            status,
        )
        if workflow["channel"] == DIFFUSION:
            recipients = _diffusion_recipients(conn, governance)
            webhooks.enqueue(conn, node, recipients, "notice.diffusion", {"record_id": created.id})
    return created


def draft(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    body: NoticeBody,
    requested: Governance,
) -> Record:
    """A new notice in draft: a record only its owner and the reviewers can see."""
    checked = admit(node, principal, purpose, Permission.WRITE_RECORDS, AuditAction.NOTICE)
    body = body.model_copy(update={"status": NoticeStatus.DRAFT})
    with reading(node.engine) as conn:
        hubs = _hubs(conn)
    workflow = {
        "channel": NOTICE,
        "status": NoticeStatus.DRAFT.value,
        "requested": requested.model_dump(mode="json"),
        "checks": [],
    }
    return _create(node, principal, checked, body, _held(requested, hubs), workflow)


def _diffusion_recipients(conn: Connection, governance: Governance) -> list[str]:
    countries = set(governance.share_countries)
    return sorted(
        a.code
        for a in directory.list_agencies(conn)
        if a.country in countries or a.code in governance.share_agencies
    )


def diffuse(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    body: NoticeBody,
    requested: Governance,
) -> Record:
    """Send a notice straight to chosen countries/agencies; reviewers see it and decide later."""
    checked = admit(node, principal, purpose, Permission.WRITE_RECORDS, AuditAction.NOTICE)
    if requested.dissemination != Dissemination.LISTED:
        raise InputError("a diffusion goes to chosen countries or agencies: use 'listed'")
    body = body.model_copy(update={"status": NoticeStatus.PUBLISHED})
    with reading(node.engine) as conn:
        hubs = _hubs(conn)
        known_agencies(conn, requested.share_agencies)
    governance = requested.model_copy(
        update={"share_agencies": sorted({*requested.share_agencies, *hubs})}
    )
    workflow = {
        "channel": DIFFUSION,
        "status": NoticeStatus.PUBLISHED.value,
        "requested": governance.model_dump(mode="json"),
        "checks": _checks(node, principal, checked, body),
    }
    return _create(node, principal, checked, body, governance, workflow)


def _workflow(conn: Connection, principal: Principal, record_id: str) -> dict[str, Any]:
    """The notice's workflow row, for its owner and the hub reviewers only."""
    found = store.notice(conn, record_id)
    if found is None or not (found["owner"] == principal.agency or principal.is_hub):
        raise NotFound(f"no notice {record_id} that agency {principal.agency} may follow")
    return found


def _rewrite(
    conn: Connection, node: Node, view: RecordView, body: NoticeBody, governance: Governance
) -> Record:
    """Store the notice record's new status (and governance), guarded by its version."""
    assert view.created_at is not None
    assert view.version is not None
    changed = Record(
        id=view.id,
        kind=RecordKind.NOTICE,
        owner=view.owner,
        body=body,
        governance=governance,
        source=view.source,
        created_at=view.created_at,
        updated_at=node.now(),
        version=view.version + 1,
    )
    if not record_store.replace_record(conn, changed, view.version):
        raise Conflict(f"notice {view.id} was changed concurrently; reload and retry")
    return changed


def _may(principal: Principal, step: NoticeStep, workflow: dict[str, Any]) -> None:
    is_owner = workflow["owner"] == principal.agency
    reviewer = principal.is_hub and allowed(principal, Permission.REVIEW_NOTICES)
    if step in OWNER_STEPS and is_owner and allowed(principal, Permission.WRITE_RECORDS):
        return
    if step in REVIEWER_STEPS and reviewer:
        return
    if step == NoticeStep.EXPIRE and (is_owner or reviewer):
        return
    who = "its owner" if step in OWNER_STEPS else "a supervisor of a hub agency"
    raise PermissionDenied(f"only {who} may {step.value} notice {workflow['record_id']}")


def revise(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    record_id: str,
    body: NoticeBody,
    requested: Governance,
) -> Record:
    """The owner changes a draft or a returned notice (content and requested dissemination)."""
    checked = admit(node, principal, purpose, Permission.WRITE_RECORDS, AuditAction.NOTICE)
    with reading(node.engine) as conn:
        workflow = _workflow(conn, principal, record_id)
        hubs = _hubs(conn)
    _may(principal, NoticeStep.SUBMIT, workflow)
    status = NoticeStatus(workflow["status"])
    if status not in (NoticeStatus.DRAFT, NoticeStatus.RETURNED):
        raise InputError(
            f"notice {record_id} is {status.value}; only drafts and returned ones change"
        )
    view = node.gate.get(principal, checked, record_id)
    assert view.governance is not None
    held = _held(requested, hubs)
    if held.retention_until is None:
        held = held.model_copy(update={"retention_until": view.governance.retention_until})
    with node.engine.begin() as conn:
        changed = _rewrite(conn, node, view, body.model_copy(update={"status": status}), held)
        records.check_links(conn, [changed])
        store.set_notice(conn, record_id, requested=requested.model_dump(mode="json"))
        _event(
            conn, node, principal, checked, record_id, workflow["owner"], "revise", status, status
        )
    return changed


def act(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    record_id: str,
    step: NoticeStep,
    reason: str | None = None,
    refusal: RefusalReason | None = None,
) -> dict[str, Any]:
    """Take one workflow step; returns the notice's workflow as it is afterwards."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.NOTICE)
    with reading(node.engine) as conn:
        workflow = _workflow(conn, principal, record_id)
        hubs = _hubs(conn)
        history = store.notice_events(conn, record_id)
    _may(principal, step, workflow)
    before = NoticeStatus(workflow["status"])
    after = next_status(step, before)
    if step in NEEDS_REASON and not (reason and reason.strip()):
        raise InputError(f"say why: {step.value} needs a reason")
    if step == NoticeStep.REFUSE and refusal is None:
        raise InputError(
            "refusing needs a refusal reason: " + ", ".join(r.value for r in RefusalReason)
        )
    if step in REVIEWER_STEPS and principal.username in {
        e["username"] for e in history if e["step"] in (NOTICE, DIFFUSION, "submit", "revise")
    }:
        raise PermissionDenied("a reviewer may not review a notice they drafted or submitted")
    if step == NoticeStep.CONFIRM and workflow["channel"] != DIFFUSION:
        raise InputError("only a diffusion is confirmed after the fact; review notices instead")
    view = node.gate.get(principal, checked, record_id)
    assert view.body is not None
    assert view.governance is not None
    body = NoticeBody.model_validate(view.body)
    updates: dict[str, Any] = {"status": after.value}
    if step == NoticeStep.SUBMIT:
        updates |= {"checks": _checks(node, principal, checked, body), "submitted_at": node.now()}
    if step == NoticeStep.PUBLISH:
        checks = _checks(node, principal, checked, body)
        problems = notice_checks.blocking(checks)
        if problems:
            raise InputError(f"notice {record_id} cannot be published: " + "; ".join(problems))
        updates["checks"] = checks
    if step in REVIEWER_STEPS:
        updates |= {"reviewer": principal.username, "decided_at": node.now()}
    if step == NoticeStep.REFUSE and refusal is not None:
        updates["refusal_reason"] = refusal.value
    published = after == NoticeStatus.PUBLISHED
    requested = Governance.model_validate(workflow["requested"])
    if requested.retention_until is None:
        requested = requested.model_copy(
            update={"retention_until": view.governance.retention_until}
        )
    governance = requested if published else _held(view.governance, hubs)
    with node.engine.begin() as conn:
        current = store.notice(conn, record_id)
        if current is None or current["status"] != before.value:
            raise Conflict(f"notice {record_id} changed meanwhile; reload and retry")
        if after != before or published:
            _rewrite(conn, node, view, body.model_copy(update={"status": after}), governance)
        store.set_notice(conn, record_id, **updates)
        _event(
            conn,
            node,
            principal,
            checked,
            record_id,
            workflow["owner"],
            step.value,
            before,
            after,
            reason,
        )
        _notify(conn, node, step, workflow, hubs)
        current = store.notice(conn, record_id)
    assert current is not None
    return _present(current)


def _notify(
    conn: Connection,
    node: Node,
    step: NoticeStep,
    workflow: dict[str, Any],
    hubs: list[str],
) -> None:
    data = {"record_id": workflow["record_id"], "step": step.value}
    if step == NoticeStep.SUBMIT:
        webhooks.enqueue(conn, node, hubs, "notice.submitted", data)
    elif step in REVIEWER_STEPS:
        webhooks.enqueue(conn, node, [workflow["owner"]], f"notice.{step.value}", data)


def _present(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def show(
    node: Node, principal: Principal, purpose: Purpose | None, record_id: str
) -> dict[str, Any]:
    """The workflow, the automated checks and the history — for the owner and the reviewers."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.NOTICE)
    with node.engine.begin() as conn:
        workflow = _workflow(conn, principal, record_id)
        history = store.notice_events(conn, record_id)
        record(
            conn,
            node,
            principal,
            AuditAction.NOTICE,
            checked,
            op="show",
            record_ids=[record_id],
            owners=[workflow["owner"]],
        )
    return {**_present(workflow), "history": [_present(e) for e in history]}


def queue(
    node: Node, principal: Principal, purpose: Purpose | None, status: NoticeStatus | None = None
) -> list[dict[str, Any]]:
    """What the caller follows: for hub reviewers every notice awaiting review and every
    diffusion not yet reviewed; for others their own agency's notices."""
    checked = admit(node, principal, purpose, Permission.COOPERATE, AuditAction.NOTICE)
    statuses = [status.value] if status else []
    with node.engine.begin() as conn:
        if principal.is_hub and not statuses:
            rows = store.notices_where(
                conn, statuses=[NoticeStatus.SUBMITTED.value, NoticeStatus.IN_REVIEW.value]
            ) + store.notices_where(conn, unreviewed_diffusions=True)
        elif principal.is_hub:
            rows = store.notices_where(conn, statuses=statuses)
        else:
            rows = store.notices_where(conn, owner=principal.agency, statuses=statuses)
        record(
            conn,
            node,
            principal,
            AuditAction.NOTICE,
            checked,
            op="queue",
            record_ids=[r["record_id"] for r in rows],
            owners=[r["owner"] for r in rows],
        )
    return [_present(r) for r in rows]
