"""Structured requests, follow-up grants, and what was released to the caller."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep, WindowDep
from borderless.api.schemas import PageOut
from borderless.governance.gate import ReleasedView
from borderless.services import request_templates, requests
from borderless.services.requests import RequestDraft

router = APIRouter(tags=["requests"])


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: list[str] | None = None  # None or empty: the whole record
    note: str | None = None


class RefuseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=3, max_length=10_000)


@router.get("/requests/templates")
def templates() -> list[dict[str, Any]]:
    """Every template version with the JSON schema of its fields."""
    return request_templates.describe()


@router.post("/requests", status_code=201)
def submit(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, body: RequestDraft
) -> dict[str, Any]:
    """Submit a request; an incomplete one is answered 422 with one entry per field."""
    return requests.submit(node, principal, purpose, body)


@router.get("/requests", response_model=PageOut[dict[str, Any]])
def list_requests(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    window: WindowDep,
    box: Literal["inbox", "sent", "all"] = "all",
    status: str | None = None,
) -> PageOut[dict[str, Any]]:
    items, total = requests.list_requests(node, principal, purpose, box, status, window)
    return PageOut[dict[str, Any]].of(items, total, window)


@router.get("/requests/{request_id}")
def show(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request_id: str
) -> dict[str, Any]:
    return requests.show(node, principal, purpose, request_id)


@router.post("/requests/{request_id}/answer")
def answer(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request_id: str, body: AnswerIn
) -> dict[str, Any]:
    return requests.answer(node, principal, purpose, request_id, body.text)


@router.post("/requests/{request_id}/grant")
def grant(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request_id: str, body: GrantIn
) -> dict[str, Any]:
    """The owner releases the record of a hit follow-up: whole, or the named body fields."""
    return requests.grant(node, principal, purpose, request_id, body.fields, body.note)


@router.post("/requests/{request_id}/refuse")
def refuse(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request_id: str, body: RefuseIn
) -> dict[str, Any]:
    return requests.refuse(node, principal, purpose, request_id, body.reason)


@router.get("/released/{record_id}", response_model=ReleasedView)
def released(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, record_id: str
) -> ReleasedView:
    """Exactly the fields of a record its owner granted to the caller's agency."""
    return requests.released(node, principal, purpose, record_id)


@router.post("/notifications/{notification_id}/follow-up", status_code=201)
def follow_up(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, notification_id: int
) -> dict[str, Any]:
    """Turn a hit notification into a request for information to the agency that hit."""
    return requests.from_notification(node, principal, purpose, notification_id)
