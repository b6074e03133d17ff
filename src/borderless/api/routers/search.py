"""Frontline search, pairwise comparison, and the owner's hit notifications."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep, WindowDep
from borderless.api.schemas import PageOut, model_json
from borderless.services import notifications
from borderless.services import search as search_service
from borderless.services.match import MatchRequest, MatchResponse, compare
from borderless.services.search_query import SearchRequest, SearchResponse

router = APIRouter(tags=["search"])


@router.post("/search", response_model=SearchResponse)
def search(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request: SearchRequest
) -> Response:
    """One query (person, document or MRZ, vehicle, firearm, account, biometric) against every
    record the caller's agency may see; hits are ranked, scored in [0, 1] and explained."""
    result = search_service.search(node, principal, purpose, request)
    return model_json(search_service.to_response(result))


@router.post("/match", response_model=MatchResponse)
def match(_principal: PrincipalDep, request: MatchRequest) -> MatchResponse:
    """Score two names or two person descriptions with exactly the search's scoring."""
    return compare(request)


class ReadIn(BaseModel):
    ids: list[int]


@router.get("/notifications", response_model=PageOut[dict[str, Any]])
def list_notifications(
    node: NodeDep,
    principal: PrincipalDep,
    window: WindowDep,
    unread: Annotated[bool, Query(description="only unread ones")] = False,
) -> PageOut[dict[str, Any]]:
    """Hits other agencies had on the caller's agency's records: who, when, why, how close."""
    items, total = notifications.inbox(node, principal, unread, window)
    return PageOut[dict[str, Any]].of(items, total, window)


@router.post("/notifications/read")
def mark_read(node: NodeDep, principal: PrincipalDep, body: ReadIn) -> dict[str, int]:
    return {"marked": notifications.mark_read(node, principal, body.ids)}
