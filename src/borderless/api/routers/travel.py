"""Passenger data: upload API/PNR messages and manifests, read a flight's travellers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep
from borderless.api.uploads import upload_name
from borderless.domain.travel import Traveller
from borderless.errors import InputError
from borderless.formats.edifact import Conformance
from borderless.services.travel_intake import IntakeResult, Upload, flight_travellers, ingest

router = APIRouter(prefix="/passenger-data", tags=["passenger data"])
MAX_MESSAGE = 64 * 1024 * 1024

FilesField = Annotated[
    list[UploadFile], File(description="PAXLST / PNRGOV (EDIFACT) or CSV / JSON manifests")
]
StrictQuery = Annotated[
    bool, Query(description="reject wrong envelope counts and references instead of warning")
]


def read_uploads(files: list[UploadFile], strict: bool) -> list[Upload]:
    """The uploaded files, each named by its own file name in errors."""
    conformance = Conformance.STRICT if strict else Conformance.TOLERANT
    uploads = []
    for upload_file in files:
        name = upload_name(upload_file)
        data = upload_file.file.read(MAX_MESSAGE + 1)
        if len(data) > MAX_MESSAGE:
            raise InputError(f"{name}: larger than {MAX_MESSAGE // 2**20} MiB")
        uploads.append(Upload(data, name, conformance))
    return uploads


@router.post("", response_model=list[IntakeResult])
def upload(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    files: FilesField,
    strict: StrictQuery = False,
) -> list[IntakeResult]:
    """Store passenger messages for the caller's agency: each file whole or not at all; a
    re-sent message replaces what it said before."""
    uploads = read_uploads(files, strict)
    return [r for u in uploads for r in ingest(node, principal, purpose, u)]


@router.get("/travellers", response_model=list[Traveller])
def travellers(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    flight: Annotated[str, Query(description="flight key, e.g. UA0989/2017-01-27/FRA")],
) -> list[Traveller]:
    """The travellers of one of the caller's agency's flights (masked data is not served)."""
    return flight_travellers(node, principal, purpose, flight)
