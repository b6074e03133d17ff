"""Attachments: size-limited, and typed by their content, never by the name a sender gave.

The type is sniffed from the bytes (magic numbers, via `filetype`); only documents and images
on `ALLOWED` pass, and the file name's extension must agree with what the bytes are, so an
executable renamed `report.pdf` is refused. Plain text has no magic number: it is accepted as
`text/plain` when it decodes as UTF-8 and holds no control characters other than whitespace.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, Field

from borderless.errors import InputError

MAX_BYTES = 10 * 1024 * 1024  # one attachment
MAX_TOTAL_BYTES = 25 * 1024 * 1024  # all attachments of one message
MAX_COUNT = 10

# sniffed media type -> file name extensions that may carry it
ALLOWED: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    "image/png": frozenset({"png"}),
    "image/jpeg": frozenset({"jpg", "jpeg"}),
    "image/tiff": frozenset({"tif", "tiff"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({"docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({"xlsx"}),
    "application/vnd.oasis.opendocument.text": frozenset({"odt"}),
    "text/plain": frozenset({"txt", "csv", "json", "xml", "eml", ""}),
}


class AttachmentIn(BaseModel):
    """An attachment as sent over the API: its name and its bytes in base64."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    filename: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(min_length=1)


@dataclass(frozen=True)
class CheckedAttachment:
    filename: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\t\n\r\f" for ch in text)


def sniff(content: bytes) -> str:
    """The media type the bytes are, whatever they are called."""
    kind = filetype.guess(content)
    if kind is not None:
        return str(kind.mime)
    return "text/plain" if _is_text(content) else "application/octet-stream"


def check(filename: str, content: bytes) -> CheckedAttachment:
    """Accept one attachment or say precisely why not."""
    name = PurePath(filename).name
    if not name or name != filename.strip() or "\\" in name:
        raise InputError(f"attachment {filename!r}: give a plain file name without folders")
    if not name.isprintable() or '"' in name:
        raise InputError(f"attachment {filename!r}: no quotes or control characters in the name")
    if not content:
        raise InputError(f"attachment {name}: the file is empty")
    if len(content) > MAX_BYTES:
        raise InputError(f"attachment {name}: {len(content)} bytes, more than {MAX_BYTES} allowed")
    media_type = sniff(content)
    extensions = ALLOWED.get(media_type)
    if extensions is None:
        allowed = ", ".join(sorted(ALLOWED))
        raise InputError(f"attachment {name}: content is {media_type}, not one of: {allowed}")
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in extensions:
        raise InputError(
            f"attachment {name}: content is {media_type} but the name says '.{extension}'"
        )
    return CheckedAttachment(name, media_type, content)


def check_all(items: list[AttachmentIn]) -> list[CheckedAttachment]:
    if len(items) > MAX_COUNT:
        raise InputError(f"at most {MAX_COUNT} attachments per message, not {len(items)}")
    checked = []
    for item in items:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(f"attachment {item.filename}: content_base64 is not base64") from None
        checked.append(check(item.filename, content))
    total = sum(len(c.content) for c in checked)
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"attachments total {total} bytes, more than {MAX_TOTAL_BYTES} allowed")
    return checked
