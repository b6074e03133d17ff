"""Uploads of lists and record files; the same readers and import service as the CLI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from borderless.api.deps import NodeDep, PrincipalDep
from borderless.api.uploads import saved_uploads, upload_name
from borderless.formats.registry import ImportFormat
from borderless.services import imports

router = APIRouter(prefix="/imports", tags=["imports"])


@router.post("/{fmt}")
def upload(
    node: NodeDep,
    principal: PrincipalDep,
    fmt: ImportFormat,
    files: Annotated[list[UploadFile], File(description="the file(s); OFAC CSV: sdn, alt, add")],
    agency: str | None = None,
) -> dict[str, Any]:
    """Import an upload for the caller's agency (all or nothing; lists are idempotent)."""
    with saved_uploads(files) as folder:
        csv_triple = fmt is ImportFormat.OFAC and len(files) > 1
        path = folder if csv_triple else folder / upload_name(files[0])
        result = imports.import_path(node, principal, fmt, path, agency)
    return result.summary()
