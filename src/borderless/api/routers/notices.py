"""Notices under compliance review, diffusions, and the cooperation oversight figures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep
from borderless.domain.codes import NoticeStatus
from borderless.domain.messaging import NoticeStep, RefusalReason
from borderless.domain.records import Governance, NoticeBody
from borderless.services import cooperation_figures, notices

router = APIRouter(tags=["notices"])


class NoticeIn(BaseModel):
    """A notice's content and the dissemination it should get once published."""

    model_config = ConfigDict(extra="forbid")
    body: NoticeBody
    requested: Governance = Governance()


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = None
    refusal: RefusalReason | None = None


@router.post("/notices", status_code=201)
def draft(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, body: NoticeIn
) -> dict[str, Any]:
    """A new notice in draft: until published only its owner and the hub reviewers see it."""
    created = notices.draft(node, principal, purpose, body.body, body.requested)
    return notices.show(node, principal, purpose, created.id)


@router.post("/notices/diffusions", status_code=201)
def diffuse(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, body: NoticeIn
) -> dict[str, Any]:
    """Send straight to the countries/agencies in `requested` ('listed'); reviewed afterwards."""
    created = notices.diffuse(node, principal, purpose, body.body, body.requested)
    return notices.show(node, principal, purpose, created.id)


@router.get("/notices")
def queue(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    status: NoticeStatus | None = None,
) -> list[dict[str, Any]]:
    """For hub reviewers: notices awaiting review and unreviewed diffusions; else one's own."""
    return notices.queue(node, principal, purpose, status)


@router.get("/notices/{record_id}")
def show(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, record_id: str
) -> dict[str, Any]:
    """Workflow state, automated checks (with the words behind each flag) and history."""
    return notices.show(node, principal, purpose, record_id)


@router.put("/notices/{record_id}")
def revise(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, record_id: str, body: NoticeIn
) -> dict[str, Any]:
    notices.revise(node, principal, purpose, record_id, body.body, body.requested)
    return notices.show(node, principal, purpose, record_id)


@router.post("/notices/{record_id}/{step}")
def act(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    record_id: str,
    step: NoticeStep,
    body: StepIn | None = None,
) -> dict[str, Any]:
    """submit, cancel (owner); take, publish, refuse, return, withdraw, confirm (reviewer)."""
    given = body or StepIn()
    return notices.act(node, principal, purpose, record_id, step, given.reason, given.refusal)


@router.get("/cooperation/figures", tags=["oversight"])
def figures(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep) -> dict[str, Any]:
    """Notices submitted/published/refused (reasons counted), request answer times, overdue."""
    return cooperation_figures.figures(node, principal, purpose)
