"""Uploaded files saved for the readers, which work on paths: size-limited, named safely."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath

from fastapi import UploadFile

from borderless.errors import FormatError, InputError

MAX_UPLOAD = 512 * 1024 * 1024


def upload_name(upload: UploadFile) -> str:
    """The file's own name, without any folder a client put in front of it."""
    name = PurePath(upload.filename or "upload").name
    if not name or name.startswith("."):
        raise InputError(f"bad file name {upload.filename!r}")
    return name


@contextlib.contextmanager
def saved_uploads(files: Sequence[UploadFile]) -> Iterator[Path]:
    """A private folder holding the uploads, removed afterwards.

    A `FormatError` raised inside names the uploaded file, not our temporary copy of it.
    """
    with tempfile.TemporaryDirectory(prefix="borderless-upload-") as tmp:
        folder = Path(tmp)
        for upload in files:
            name = upload_name(upload)
            with (folder / name).open("wb") as out:
                size = 0
                while chunk := upload.file.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        raise InputError(f"{name}: larger than {MAX_UPLOAD // 2**20} MiB")
                    out.write(chunk)
        try:
            yield folder
        except FormatError as exc:
            uploaded = exc.path.replace(str(folder), "").lstrip("/") or "upload"
            raise FormatError(uploaded, exc.location, exc.problem) from None
