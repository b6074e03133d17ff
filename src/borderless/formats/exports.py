"""Serialise a stream of records as JSON Lines (our format) or FollowTheMoney entities."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from enum import StrEnum

import orjson

from borderless.domain.records import Record
from borderless.formats.ftm import records_to_entities
from borderless.formats.records_jsonl import record_line


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    FTM = "ftm"


def stream_export(
    fmt: ExportFormat, first: Record | None, rest: Iterable[Record]
) -> Iterator[bytes]:
    """Lines of `fmt` for `first` followed by `rest` (the first record was pulled early)."""
    records: Iterable[Record] = rest if first is None else itertools.chain([first], rest)
    if fmt is ExportFormat.JSONL:
        for record in records:
            yield orjson.dumps(record_line(record), option=orjson.OPT_APPEND_NEWLINE)
        return
    for entity in records_to_entities(records):
        yield orjson.dumps(entity.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
