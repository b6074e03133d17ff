"""Small builders shared by tests."""

from __future__ import annotations

from typing import Any

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose
from borderless.domain.records import Record, RecordDraft
from borderless.services import records
from borderless.services.node import Node


def person(name: str = "Ahmad Karimi", **governance: Any) -> RecordDraft:
    return RecordDraft.model_validate(
        {"kind": "person", "body": {"names": [{"full": name}]}, "governance": governance}
    )


def create_person(node: Node, who: Principal, name: str = "Ahmad Karimi", **gov: Any) -> Record:
    return records.create(node, who, Purpose.DATA_MANAGEMENT, person(name, **gov))
