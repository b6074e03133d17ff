"""Uploads over HTTP: the real UN and OFAC lists, broken files, and who may import for whom."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.domain.codes import Role
from tests.api.conftest import Auth, Headers
from tests.conftest import shared_data

CT = "counter_terrorism"


@pytest.fixture
def un_xml() -> Path:
    return shared_data() / "watchlists" / "un" / "consolidated.xml"


def upload(
    client: TestClient,
    headers: Headers,
    fmt: str,
    files: list[tuple[str, bytes]],
    agency: str | None = None,
) -> Any:
    params = {"agency": agency} if agency else {}
    parts = [("files", (name, content, "application/octet-stream")) for name, content in files]
    return client.post(f"/imports/{fmt}", params=params, files=parts, headers=headers)


def total(client: TestClient, headers: Headers, **filters: str) -> int:
    response = client.get(
        "/records", params={"purpose": CT, "limit": 1, **filters}, headers=headers
    )
    assert response.status_code == 200, response.text
    count: int = response.json()["total"]
    return count


@pytest.mark.realdata
def test_un_list_upload_imports_every_entry_once(
    client: TestClient, auth: Auth, un_xml: Path
) -> None:
    hub_admin = auth("HUB", Role.ADMIN)
    content = un_xml.read_bytes()
    first = upload(client, hub_admin, "un-list", [("consolidated.xml", content)], agency="HUB")
    assert first.status_code == 200, first.text
    summary = first.json()
    assert summary["owner"] == "HUB"
    assert summary["dataset"] == "un-sc"
    assert summary["inserted"] == 1308 == 684 + 193 + 431
    assert (summary["updated"], summary["removed"], summary["skipped"]) == (0, 0, False)

    reader = auth("DEU-BKA", Role.OFFICER)
    assert total(client, reader, kind="person") == 684
    assert total(client, reader, kind="organisation") == 193
    assert total(client, reader, kind="document") == 431
    assert total(client, reader, source_dataset="un-sc") == 1308

    people = client.get(
        "/records", params={"purpose": CT, "kind": "person", "limit": 5}, headers=reader
    ).json()["items"]
    for view in people:
        assert view["id"].startswith("HUB:un-sc:")
        assert view["source"]["dataset"] == "un-sc"
        assert view["id"].endswith(view["source"]["source_id"])
    document_id = "HUB:un-sc:TAi.008/doc/1"  # ids with '/' are addressable too
    document = client.get(f"/records/{document_id}", params={"purpose": CT}, headers=reader)
    assert document.status_code == 200
    assert document.json()["kind"] == "document"
    assert document.json()["body"]["person_id"] == "HUB:un-sc:TAi.008"

    again = upload(client, hub_admin, "un-list", [("consolidated.xml", content)], agency="HUB")
    assert again.status_code == 200
    assert again.json()["skipped"] is True
    assert (again.json()["inserted"], again.json()["unchanged"]) == (0, 1308)
    assert total(client, reader, source_dataset="un-sc") == 1308


@pytest.mark.realdata
def test_ofac_csv_triple_upload(client: TestClient, auth: Auth) -> None:
    folder = shared_data() / "watchlists" / "ofac_sdn_2021"
    files = [(name, (folder / name).read_bytes()) for name in ("sdn.csv", "alt.csv", "add.csv")]
    response = upload(client, auth("NLD-FIU", Role.ANALYST), "ofac", files)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["owner"] == "NLD-FIU"
    assert summary["dataset"] == "ofac-sdn"
    assert summary["inserted"] == 11766  # 8890 SDN entries and 2876 identity documents
    assert summary["skipped"] is False
    reader = auth("TUR-EGM", Role.ANALYST)
    assert total(client, reader, source_dataset="ofac-sdn") == 11766
    assert total(client, reader, source_dataset="ofac-sdn", kind="person") == 4566
    assert total(client, reader, source_dataset="ofac-sdn", kind="vehicle") == 403 + 277


@pytest.mark.realdata
def test_truncated_xml_is_400_naming_file_and_line_and_stores_nothing(
    client: TestClient, auth: Auth, un_xml: Path
) -> None:
    content = un_xml.read_bytes()
    hub_admin = auth("HUB", Role.ADMIN)
    response = upload(
        client, hub_admin, "un-list", [("consolidated.xml", content[: len(content) // 2])]
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_format"
    assert "consolidated.xml" in body["message"]
    assert "line " in body["message"]
    assert total(client, auth("HUB", Role.ANALYST)) == 0


def test_records_upload_with_a_bad_line_stores_nothing(client: TestClient, auth: Auth) -> None:
    good = {"id": "p-1", "kind": "person", "body": {"names": [{"full": "Good Line"}]}}
    bad = {
        "id": "p-2",
        "kind": "person",
        "body": {"names": [{"full": "X"}], "nationalities": ["ZZQ"]},
    }
    content = f"{json.dumps(good)}\n{json.dumps(bad)}\n".encode()
    analyst = auth("NLD-POL", Role.ANALYST)
    response = upload(client, analyst, "records", [("batch.jsonl", content)])
    assert response.status_code == 400
    message = response.json()["message"]
    assert "batch.jsonl" in message
    assert "line 2" in message
    assert "nationalities" in message
    assert total(client, analyst) == 0

    fixed = f"{json.dumps(good)}\n".encode()
    ok = upload(client, analyst, "records", [("batch.jsonl", fixed)])
    assert ok.status_code == 200
    assert ok.json()["inserted"] == 1
    assert total(client, analyst) == 1


def test_importing_for_another_agency_is_403(client: TestClient, auth: Auth) -> None:
    line = {"id": "p-1", "kind": "person", "body": {"names": [{"full": "Planted"}]}}
    content = (json.dumps(line) + "\n").encode()
    analyst = auth("NLD-POL", Role.ANALYST)
    refused = upload(client, analyst, "records", [("x.jsonl", content)], agency="DEU-BKA")
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert "DEU-BKA" in refused.json()["message"]
    owned_by_line = {**line, "owner": "DEU-BKA"}
    sneaky = upload(
        client, analyst, "records", [("x.jsonl", (json.dumps(owned_by_line) + "\n").encode())]
    )
    assert sneaky.status_code == 403
    hub_admin = upload(
        client, auth("HUB", Role.ADMIN), "records", [("x.jsonl", content)], "DEU-BKA"
    )
    assert hub_admin.status_code == 403  # the hub administers; it does not own others' data
    officer = upload(client, auth("DEU-BKA", Role.OFFICER), "records", [("x.jsonl", content)])
    assert officer.status_code == 403
    assert total(client, auth("DEU-BKA", Role.ANALYST)) == 0


def test_unknown_format_and_missing_file_are_422(client: TestClient, auth: Auth) -> None:
    analyst = auth("NLD-POL", Role.ANALYST)
    unknown = upload(client, analyst, "excel", [("x.xlsx", b"PK")])
    assert unknown.status_code == 422
    missing = client.post("/imports/records", headers=analyst)
    assert missing.status_code == 422
    assert "files" in missing.json()["message"]
