"""Screening: upload and screen, re-screen a stored flight, the hit queue and decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep, WindowDep
from borderless.api.routers.travel import FilesField, StrictQuery, read_uploads
from borderless.api.schemas import PageOut
from borderless.services.adjudication import Decision, QueuedHit, decide, hit_queue
from borderless.services.affiliates import Affiliate, affiliates
from borderless.services.screening import ScreeningReport, screen_flight, screen_upload
from borderless.services.targeting import (
    Rule,
    activate_rule,
    check_against_history,
    create_rule,
    list_rules,
)

router = APIRouter(prefix="/screening", tags=["screening"])
ThresholdQuery = Annotated[float | None, Query(ge=0, le=1, description="default: the node's")]


@router.post("", response_model=list[ScreeningReport])
def screen(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    files: FilesField,
    strict: StrictQuery = False,
    threshold: ThresholdQuery = None,
) -> list[ScreeningReport]:
    """Store the uploaded passenger files, then screen every traveller of the flights they
    concern against every person, notice and document the caller's agency may see."""
    uploads = read_uploads(files, strict)
    return [
        report
        for upload in uploads
        for report in screen_upload(node, principal, purpose, upload, threshold)
    ]


@router.post("/flight", response_model=ScreeningReport)
def screen_stored(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    flight: Annotated[str, Query(description="flight key, e.g. UA0989/2017-01-27/FRA")],
    threshold: ThresholdQuery = None,
) -> ScreeningReport:
    """Screen a stored flight again (e.g. after the watchlists changed)."""
    return screen_flight(node, principal, purpose, flight, threshold)


class DecisionIn(BaseModel):
    status: Decision
    reason: str = Field(min_length=5, max_length=2000)


@router.get("/hits", response_model=PageOut[QueuedHit])
def hits(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    window: WindowDep,
    status: Annotated[str | None, Query(description="open (default), a decision, or all")] = "open",
) -> PageOut[QueuedHit]:
    """The agency's hit queue, best score first."""
    wanted = None if status == "all" else status
    items, total = hit_queue(node, principal, purpose, wanted, window)
    return PageOut[QueuedHit].of(items, total, window)


@router.post("/hits/{hit_id}/decision", response_model=QueuedHit)
def decision(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, hit_id: int, body: DecisionIn
) -> QueuedHit:
    """Mark a hit confirmed, false_positive or needs_follow_up, with the reason (audited)."""
    return decide(node, principal, purpose, hit_id, body.status, body.reason)


class RuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    expression: str = Field(min_length=1, max_length=2000)


@router.get("/rules", response_model=list[Rule])
def rules(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep) -> list[Rule]:
    """The agency's targeting rules, every version."""
    return list_rules(node, principal, purpose)


@router.post("/rules", response_model=Rule)
def add_rule(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, body: RuleIn) -> Rule:
    """Save a new version of a rule (a draft); the validator refuses discriminatory rules."""
    return create_rule(node, principal, purpose, body.name, body.expression)


@router.post("/rules/{rule_id}/test", response_model=Rule)
def test_on_history(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, rule_id: int
) -> Rule:
    """Run a rule over every stored traveller: how many, which flights, a sample."""
    return check_against_history(node, principal, purpose, rule_id)


@router.post("/rules/{rule_id}/activate", response_model=Rule)
def activate(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, rule_id: int) -> Rule:
    """Activate a tested version; the name's previous active version is retired."""
    return activate_rule(node, principal, purpose, rule_id)


@router.get("/affiliates/{traveller_id}", response_model=list[Affiliate])
def linked(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, traveller_id: int
) -> list[Affiliate]:
    """Possible affiliates of a traveller: same booking, shared contacts, other flights."""
    return affiliates(node, principal, purpose, traveller_id)
