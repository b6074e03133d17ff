"""The records JSON Lines format: round trips, and messages that name file, line and field."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from borderless.domain.codes import (
    AliasKind,
    Dissemination,
    DocumentStatus,
    HandlingCode,
    Purpose,
    RecordKind,
)
from borderless.domain.records import (
    AccountBody,
    BirthDate,
    DocumentBody,
    Governance,
    Name,
    PersonBody,
    Record,
    RecordDraft,
    Source,
    TransactionBody,
)
from borderless.errors import FormatError
from borderless.formats.records_jsonl import iter_records, record_line, write_records
from borderless.formats.validation import describe_validation_error

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _record(record_id: str, kind: RecordKind, body: Any, **extra: Any) -> Record:
    return Record(
        id=record_id,
        kind=kind,
        body=body,
        owner="DE-BKA",
        created_at=NOW,
        updated_at=NOW,
        **extra,
    )


def _records() -> list[Record]:
    person = PersonBody(
        names=[
            Name(full="Ivan PETROV", given="Ivan", family="Petrov"),
            Name(full="Иван Петров", kind=AliasKind.AKA),
        ],
        birth_dates=[BirthDate(date="1970-05"), BirthDate(earliest="1960", latest="1962")],
        nationalities=["RUS", "XXA"],
    )
    governance = Governance(
        handling=HandlingCode.H2,
        dissemination=Dissemination.LISTED,
        share_countries=["FRA"],
        purposes=[Purpose.COUNTER_TERRORISM],
        retention_until=date(2030, 1, 1),
    )
    return [
        _record(
            "p-1",
            RecordKind.PERSON,
            person,
            governance=governance,
            source=Source(dataset="un-sc", source_id="QDi.001", version="2025-01-01"),
        ),
        _record(
            "QDi.001/doc/1",
            RecordKind.DOCUMENT,
            DocumentBody(number="X123", issuing_country="RUS", person_id="p-1"),
        ),
        _record("a-1", RecordKind.ACCOUNT, AccountBody(iban="DE89370400440532013000")),
        _record("a-2", RecordKind.ACCOUNT, AccountBody(number="1234", institution="Bank")),
        _record(
            "t-1",
            RecordKind.TRANSACTION,
            TransactionBody(
                from_account_id="a-1", to_account_id="a-2", amount=99.5, currency="EUR", time=NOW
            ),
        ),
    ]


def _write(tmp_path: Path, lines: list[Any], name: str = "records.jsonl") -> Path:
    path = tmp_path / name
    encoded = [line if isinstance(line, bytes) else orjson.dumps(line) for line in lines]
    path.write_bytes(b"\n".join(encoded) + b"\n")
    return path


def _error(path: Path) -> str:
    with pytest.raises(FormatError) as caught:
        list(iter_records(path))
    return caught.value.message


PERSON = {"kind": "person", "body": {"names": [{"full": "Jane Doe"}]}}


def test_records_round_trip(tmp_path: Path) -> None:
    records = _records()
    out = io.BytesIO()
    assert write_records(records, out) == len(records)
    path = tmp_path / "export.jsonl"
    path.write_bytes(out.getvalue())

    read = list(iter_records(path))

    assert [item.line for item in read] == [1, 2, 3, 4, 5]
    assert {item.owner for item in read} == {"DE-BKA"}
    for item, record in zip(read, records, strict=True):
        expected = RecordDraft(
            kind=record.kind,
            body=record.body,
            governance=record.governance,
            source=record.source,
            id=record.id,
        )
        assert item.draft == expected


def test_export_line_shape() -> None:
    line = record_line(_records()[0])
    assert list(line)[:6] == ["owner", "id", "kind", "governance", "source", "body"]
    assert list(line)[6:] == ["created_at", "updated_at", "version"]
    assert "given" not in line["body"]["names"][1]  # exclude_none


def test_drafts_take_the_given_owner(tmp_path: Path) -> None:
    drafts = [RecordDraft.model_validate(PERSON), RecordDraft.model_validate(PERSON)]
    out = io.BytesIO()
    assert write_records(drafts, out, owner="FR-DCPJ") == 2
    path = tmp_path / "drafts.jsonl"
    path.write_bytes(out.getvalue())
    read = list(iter_records(path))
    assert [(item.owner, item.draft) for item in read] == [("FR-DCPJ", d) for d in drafts]


def test_blank_lines_are_skipped_and_lines_counted(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(PERSON) + b"\n\n   \n" + orjson.dumps(PERSON))
    assert [item.line for item in iter_records(path)] == [1, 4]


def test_owner_is_normalised_and_optional(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**PERSON, "owner": "de-bka"}, PERSON])
    assert [item.owner for item in iter_records(path)] == ["DE-BKA", None]


def test_bad_json_on_line_3(tmp_path: Path) -> None:
    path = _write(tmp_path, [PERSON, PERSON, b'{"kind": "person", "body": {]'])
    message = _error(path)
    assert message.startswith(f"{path}, line 3: invalid JSON at column ")


def test_missing_body_field(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"kind": "person", "body": {"names": [{"given": "Jane"}]}}])
    assert _error(path) == f"{path}, line 1: body.names.0.full: Field required"


def test_missing_body(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"kind": "person"}])
    assert _error(path) == f"{path}, line 1: body: Field required"


def test_bad_value_in_body(tmp_path: Path) -> None:
    body = {"names": [{"full": "X"}], "birth_dates": [{"date": "1970-13"}]}
    path = _write(tmp_path, [PERSON, {"kind": "person", "body": body}])
    message = _error(path)
    assert message == (
        f"{path}, line 2: body.birth_dates.0.date: invalid date '1970-13': month out of range"
    )


def test_wrong_kind(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**PERSON, "kind": "persn"}])
    message = _error(path)
    assert message.startswith(f"{path}, line 1: kind: unknown record kind 'persn' (expected ")
    assert "person, document" in message


def test_body_of_another_kind(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**PERSON, "kind": "document"}])
    assert _error(path) == (
        f"{path}, line 1: body.number: Field required; body.names: Extra inputs are not permitted"
    )


def test_duplicate_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [{**PERSON, "id": "p-1"}, {**PERSON, "id": "p-2"}, {**PERSON, "id": "p-1"}]
    )
    assert _error(path) == f"{path}, line 3: duplicate id 'p-1' (first on line 1)"


def test_unknown_key(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**PERSON, "onwer": "DE-BKA"}])
    message = _error(path)
    assert message.startswith(f"{path}, line 1: unknown key(s) 'onwer'; allowed: owner, id, ")


def test_stored_keys_are_ignored(tmp_path: Path) -> None:
    line = {**PERSON, "created_at": "x", "updated_at": "y", "version": 3}
    path = _write(tmp_path, [line])
    assert len(list(iter_records(path))) == 1


def test_non_object_line(tmp_path: Path) -> None:
    path = _write(tmp_path, [PERSON, [1, 2]])
    assert _error(path) == f"{path}, line 2: expected a JSON object, got an array"


def test_undecodable_utf8(tmp_path: Path) -> None:
    path = _write(tmp_path, [PERSON, b'{"kind": "person", "body": {"names": [{"full": "\xff"}]}}'])
    assert _error(path) == f"{path}, line 2: not valid UTF-8 (byte 49 of the line)"


def test_bad_owner_and_governance(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**PERSON, "owner": "x"}])
    assert _error(path) == (f"{path}, line 1: owner: agency code: 2-32 letters, digits, '-' or '_'")
    path = _write(tmp_path, [{**PERSON, "governance": {"handling": "H3"}}], "gov.jsonl")
    assert _error(path) == (
        f"{path}, line 1: governance: handling code H3 needs a handling_note stating the "
        "restriction"
    )


def test_errors_keep_streaming_semantics(tmp_path: Path) -> None:
    path = _write(tmp_path, [PERSON, {"kind": "person", "body": []}])
    items = iter_records(path)
    assert next(items).line == 1
    with pytest.raises(FormatError, match="line 2: body: expected a JSON object, got an array"):
        next(items)


def test_describe_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        Name.model_validate({"full": "", "kind": "nick"})
    text = describe_validation_error(caught.value)
    assert text == (
        "full: String should have at least 1 character; "
        "kind: Input should be 'primary', 'aka', 'fka' or 'weak'"
    )
    assert describe_validation_error(caught.value, prefix="body.names.0").startswith(
        "body.names.0.full: "
    )


def test_document_status_survives(tmp_path: Path) -> None:
    body = {"number": "X1", "status": DocumentStatus.STOLEN.value}
    path = _write(tmp_path, [{"kind": "document", "body": body}])
    (item,) = iter_records(path)
    assert isinstance(item.draft.body, DocumentBody)
    assert item.draft.body.status == DocumentStatus.STOLEN
