"""Records: browse, search, read, create, change, remove, export — all through the gate."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import StreamingResponse

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep, WindowDep
from borderless.api.schemas import PageOut
from borderless.domain.codes import RecordKind
from borderless.domain.records import RecordDraft
from borderless.formats.exports import ExportFormat, stream_export
from borderless.governance.gate import Page, RecordView
from borderless.services import records as record_service
from borderless.store.records import RecordFilter

router = APIRouter(prefix="/records", tags=["records"])


def _filter(
    kind: list[RecordKind] | None,
    owner: str | None,
    source_dataset: str | None,
    source_id: str | None,
    q: str | None,
) -> RecordFilter:
    return RecordFilter(
        kinds=tuple(kind or ()),
        owner=owner.upper() if owner else None,
        source_dataset=source_dataset,
        source_id=source_id,
        text=q,
    )


def _page(page: Page) -> PageOut[RecordView]:
    return PageOut[RecordView].of(page.items, page.total, (page.offset, page.limit))


KindQuery = Annotated[list[RecordKind] | None, Query()]


@router.get("", response_model=PageOut[RecordView])
def list_records(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    window: WindowDep,
    kind: KindQuery = None,
    owner: str | None = None,
    source_dataset: str | None = None,
    source_id: str | None = None,
    q: Annotated[str | None, Query(description="substring of the record's label")] = None,
) -> PageOut[RecordView]:
    """Browse the records the caller's agency may see whole."""
    flt = _filter(kind, owner, source_dataset, source_id, q)
    return _page(node.gate.list(principal, purpose, flt, window))


@router.get("/search", response_model=PageOut[RecordView])
def search_records(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    window: WindowDep,
    q: Annotated[str, Query(min_length=3, description="substring of the record's label")],
    kind: KindQuery = None,
    owner: str | None = None,
) -> PageOut[RecordView]:
    """Find records by label; matching hit-only records come back as references."""
    flt = _filter(kind, owner, None, None, q)
    return _page(node.gate.search(principal, purpose, flt, window))


class ExportChoice(StrEnum):
    JSONL = "jsonl"
    FTM = "ftm"


@router.get("/export")
def export_records(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    format: ExportChoice = ExportChoice.JSONL,
    kind: KindQuery = None,
    owner: str | None = None,
    source_dataset: str | None = None,
) -> StreamingResponse:
    """Stream every record the caller may see whole, as JSON Lines or FollowTheMoney."""
    flt = _filter(kind, owner, source_dataset, None, None)
    records = node.gate.export(principal, purpose, flt)
    first = next(records, None)  # surfaces purpose/role errors before the stream starts

    def chained() -> Iterator[bytes]:
        yield from stream_export(ExportFormat(format.value), first, records)

    return StreamingResponse(chained(), media_type="application/x-ndjson")


@router.get("/{record_id:path}", response_model=RecordView)
def get_record(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, record_id: str
) -> RecordView:
    return node.gate.get(principal, purpose, record_id)


@router.post("", response_model=RecordView, status_code=status.HTTP_201_CREATED)
def create_record(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, draft: RecordDraft
) -> RecordView:
    """Create a record owned by the caller's agency."""
    record = record_service.create(node, principal, purpose, draft)
    return node.gate.get(principal, purpose, record.id)


@router.put("/{record_id:path}", response_model=RecordView)
def update_record(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    record_id: str,
    draft: RecordDraft,
    expected_version: Annotated[int | None, Query(ge=1)] = None,
) -> RecordView:
    """Replace a record's content; only its owner may. `expected_version` guards lost updates."""
    record_service.update(node, principal, purpose, record_id, draft, expected_version)
    return node.gate.get(principal, purpose, record_id)


@router.delete("/{record_id:path}", status_code=status.HTTP_204_NO_CONTENT)
def delete_record(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, record_id: str
) -> Response:
    record_service.delete(node, principal, purpose, record_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
