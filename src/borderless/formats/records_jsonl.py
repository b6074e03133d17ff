"""Borderless' own interchange format: one record per line as JSON (JSON Lines).

A line is ``RecordDraft.model_dump(mode="json", exclude_none=True)`` plus an optional
``"owner"`` (agency code)::

    {"owner": "DE-BKA", "id": "p-1", "kind": "person", "governance": {...},
     "source": {"dataset": "un-sc", "source_id": "QDi.001"}, "body": {"names": [...]}}

Exports of stored records also carry ``created_at``, ``updated_at`` and ``version``; the reader
accepts and ignores them, so an export can be imported elsewhere unchanged. The reader streams,
but checks every line completely and raises `FormatError` naming the file, the line and the
field, so an importer that collects the drafts first stores nothing from a broken file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import TypeAdapter, ValidationError

from borderless.domain.agencies import AgencyCode
from borderless.domain.codes import RecordKind
from borderless.domain.records import Record, RecordBody, RecordDraft, parse_body
from borderless.errors import FormatError
from borderless.formats.validation import describe_validation_error

ENVELOPE_KEYS = ("owner", "id", "kind", "governance", "source", "body")
STORED_KEYS = ("created_at", "updated_at", "version")  # on exports of stored records; ignored
_KNOWN_KEYS = frozenset(ENVELOPE_KEYS + STORED_KEYS)
_KINDS = ", ".join(kind.value for kind in RecordKind)
_AGENCY_CODE: TypeAdapter[str] = TypeAdapter(AgencyCode)


@dataclass(frozen=True)
class OwnedDraft:
    """A draft read from a file, with the line it came from and the owner it names (if any)."""

    line: int
    owner: str | None
    draft: RecordDraft


class _LineError(Exception):
    """Raised inside the per-line parser; turned into a `FormatError` with file and line."""


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages (``an array``, ``a string``)."""
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else type(value).__name__


def decode_json_line(raw: bytes, path: Path, number: int) -> Any:
    """Decode line `number` of a JSON Lines file; undecodable text or bad JSON is a `FormatError`.

    Shared with the FtM reader, so both formats report these problems in the same words.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not valid UTF-8 (byte {exc.start + 1} of the line)"
        raise FormatError(path, f"line {number}", problem) from None
    if number == 1:
        text = text.removeprefix("\ufeff")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        problem = f"invalid JSON at column {exc.colno}: {exc.msg}"
        raise FormatError(path, f"line {number}", problem) from None


def _owner(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _LineError(f"owner: expected an agency code, got {json_type(value)}")
    try:
        return _AGENCY_CODE.validate_python(value)
    except ValidationError as exc:
        raise _LineError(describe_validation_error(exc, prefix="owner")) from None


def _kind(data: dict[str, Any]) -> RecordKind:
    if "kind" not in data:
        raise _LineError("kind: Field required")
    value = data["kind"]
    try:
        return RecordKind(value)
    except ValueError:
        raise _LineError(f"kind: unknown record kind {value!r} (expected {_KINDS})") from None


def _body(kind: RecordKind, data: dict[str, Any]) -> RecordBody:
    if "body" not in data:
        raise _LineError("body: Field required")
    value = data["body"]
    if not isinstance(value, dict):
        raise _LineError(f"body: expected a JSON object, got {json_type(value)}")
    try:
        return parse_body(kind, value)
    except ValidationError as exc:
        raise _LineError(describe_validation_error(exc, prefix="body")) from None


def _parse_line(data: Any) -> tuple[str | None, RecordDraft]:
    """Validate one decoded line: (owner, draft). Raises `_LineError` with the field path."""
    if not isinstance(data, dict):
        raise _LineError(f"expected a JSON object, got {json_type(data)}")
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        names = ", ".join(repr(key) for key in unknown)
        raise _LineError(f"unknown key(s) {names}; allowed: {', '.join(ENVELOPE_KEYS)}")
    owner = _owner(data.get("owner"))
    kind = _kind(data)
    body = _body(kind, data)
    envelope = {key: data[key] for key in ("id", "governance", "source") if key in data}
    try:
        draft = RecordDraft.model_validate({**envelope, "kind": kind, "body": body})
    except ValidationError as exc:
        raise _LineError(describe_validation_error(exc)) from None
    return owner, draft


def iter_records(path: Path) -> Iterator[OwnedDraft]:
    """Stream the drafts of a records JSONL file; the first problem raises `FormatError`."""
    first_seen: dict[str, int] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            data = decode_json_line(raw, path, number)
            try:
                owner, draft = _parse_line(data)
            except _LineError as exc:
                raise FormatError(path, f"line {number}", str(exc)) from None
            if draft.id is not None:
                if draft.id in first_seen:
                    raise FormatError(
                        path,
                        f"line {number}",
                        f"duplicate id {draft.id!r} (first on line {first_seen[draft.id]})",
                    )
                first_seen[draft.id] = number
            yield OwnedDraft(line=number, owner=owner, draft=draft)


def record_line(item: Record | RecordDraft, owner: str | None = None) -> dict[str, Any]:
    """The JSON object for one record, keys in reading order (owner, id, kind, ..., body).

    A stored `Record` names its own owner; `owner` applies to drafts only.
    """
    data = item.model_dump(mode="json", exclude_none=True)
    line: dict[str, Any] = {}
    line_owner = data.pop("owner", None) or owner
    if line_owner is not None:
        line["owner"] = line_owner
    for key in ENVELOPE_KEYS[1:] + STORED_KEYS:
        if key in data:
            line[key] = data.pop(key)
    line.update(data)
    return line


def write_records(
    records: Iterable[Record | RecordDraft], out: IO[bytes], owner: str | None = None
) -> int:
    """Write `records` as JSON lines to `out`; returns how many were written."""
    count = 0
    for item in records:
        out.write(orjson.dumps(record_line(item, owner), option=orjson.OPT_APPEND_NEWLINE))
        count += 1
    return count
