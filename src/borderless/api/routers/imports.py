"""Uploads of lists and record files; the same readers and import service as the CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from borderless.api.deps import NodeDep, PrincipalDep
from borderless.errors import FormatError, InputError
from borderless.formats.registry import ImportFormat
from borderless.services import imports

router = APIRouter(prefix="/imports", tags=["imports"])
MAX_UPLOAD = 512 * 1024 * 1024


@router.post("/{fmt}")
def upload(
    node: NodeDep,
    principal: PrincipalDep,
    fmt: ImportFormat,
    files: Annotated[list[UploadFile], File(description="the file(s); OFAC CSV: sdn, alt, add")],
    agency: str | None = None,
) -> dict[str, Any]:
    """Import an upload for the caller's agency (all or nothing; lists are idempotent)."""
    with tempfile.TemporaryDirectory(prefix="borderless-upload-") as tmp:
        folder = Path(tmp)
        for upload_file in files:
            name = PurePath(upload_file.filename or "upload").name
            if not name or name.startswith("."):
                raise InputError(f"bad file name {upload_file.filename!r}")
            target = folder / name
            with target.open("wb") as out:
                size = 0
                while chunk := upload_file.file.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        raise InputError(f"{name}: larger than {MAX_UPLOAD // 2**20} MiB")
                    out.write(chunk)
        csv_triple = fmt is ImportFormat.OFAC and len(files) > 1
        path = folder if csv_triple else folder / PurePath(files[0].filename or "upload").name
        try:
            result = imports.import_path(node, principal, fmt, path, agency)
        except FormatError as exc:  # name the uploaded file, not our temporary copy
            uploaded = exc.path.replace(str(folder), "").lstrip("/") or "upload"
            raise FormatError(uploaded, exc.location, exc.problem) from None
    return result.summary()
