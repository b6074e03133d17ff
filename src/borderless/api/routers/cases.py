"""Case workspaces for joint investigation teams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep
from borderless.domain.agencies import AgencyCode
from borderless.domain.messaging import CaseDraft, TaskDraft
from borderless.services import cases

router = APIRouter(tags=["cases"])


class AgencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: AgencyCode


class RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    record_id: str = Field(min_length=1, max_length=128)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)


@router.post("/cases", status_code=201)
def open_case(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, body: CaseDraft
) -> dict[str, Any]:
    return cases.open_case(node, principal, purpose, body)


@router.get("/cases")
def list_cases(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep) -> list[dict[str, Any]]:
    """Cases the caller's agency takes part in now."""
    return cases.list_cases(node, principal, purpose)


@router.get("/cases/{case_id}")
def show(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str
) -> dict[str, Any]:
    """Members, shared records (as the caller may see them), notes, tasks and timeline."""
    return cases.show(node, principal, purpose, case_id)


@router.post("/cases/{case_id}/participants", status_code=204)
def add_participant(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str, body: AgencyIn
) -> None:
    cases.add_participant(node, principal, purpose, case_id, body.agency)


@router.delete("/cases/{case_id}/participants/{agency}", status_code=204)
def leave(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str, agency: str
) -> None:
    """Leave (one's own agency) or remove a participant (the owner); access ends at once."""
    cases.leave(node, principal, purpose, case_id, agency)


@router.post("/cases/{case_id}/records", status_code=204)
def share_record(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str, body: RecordIn
) -> None:
    cases.share_record(node, principal, purpose, case_id, body.record_id)


@router.post("/cases/{case_id}/notes", status_code=201)
def add_note(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str, body: NoteIn
) -> dict[str, int]:
    return {"id": cases.add_note(node, principal, purpose, case_id, body.text)}


@router.post("/cases/{case_id}/tasks", status_code=201)
def add_task(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str, body: TaskDraft
) -> dict[str, int]:
    return {"id": cases.add_task(node, principal, purpose, case_id, body)}


@router.post("/cases/{case_id}/tasks/{task_id}/done", status_code=204)
def finish_task(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str, task_id: int
) -> None:
    cases.finish_task(node, principal, purpose, case_id, task_id)


@router.post("/cases/{case_id}/close", status_code=204)
def close_case(node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, case_id: str) -> None:
    cases.close_case(node, principal, purpose, case_id)
