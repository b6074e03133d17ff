"""Messages, requests, notices and cases over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
from typing import Any

from fastapi.testclient import TestClient

from borderless.domain.codes import Role
from tests.api.conftest import Auth

Q = "?purpose=criminal_investigation"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_messages_over_http(client: TestClient, auth: Auth) -> None:
    nl, de = auth("NLD-POL", Role.ANALYST), auth("DEU-BKA", Role.OFFICER)
    tr = auth("TUR-EGM", Role.SUPERVISOR)
    message = {
        "to": ["DEU-BKA"],
        "subject": "Wire transfers to Izmir",
        "body": "See attached statement.",
        "priority": "immediate",
        "deadline": {"local": "2026-06-02T09:00", "zone": "Europe/Amsterdam"},
        "attachments": [
            {"filename": "statement.pdf", "content_base64": base64.b64encode(PDF).decode()}
        ],
    }
    missing = client.post("/messages", json=message, headers=nl)
    assert missing.json()["error"] == "purpose_required"
    bad = dict(message, attachments=[{"filename": "x.pdf", "content_base64": "TVqQAAMAAAA="}])
    refused = client.post(f"/messages{Q}", json=bad, headers=nl)
    assert refused.status_code == 400
    assert "content is application/x-msdownload" in refused.json()["message"]
    sent = _ok(client.post(f"/messages{Q}", json=message, headers=nl), 201)

    page = _ok(client.get(f"/messages{Q}&box=inbox&q=izmir", headers=de))
    [item] = page["items"]
    assert (item["state"], item["deadline"]["utc"]) == ("delivered", "2026-06-02T07:00:00+00:00")
    download = client.get(f"/messages/attachments/{item['attachments'][0]['id']}{Q}", headers=de)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.content == PDF

    assert _ok(client.get(f"/messages{Q}", headers=tr))["items"] == []
    thread_url = f"/messages/threads/{sent['thread_id']}{Q}"
    assert client.get(thread_url, headers=tr).status_code == 404
    attachment_url = f"/messages/attachments/{item['attachments'][0]['id']}{Q}"
    assert client.get(attachment_url, headers=tr).status_code == 404
    reply_url = f"/messages/threads/{sent['thread_id']}/replies{Q}"
    assert client.post(reply_url, json={"body": "x"}, headers=tr).status_code == 404

    _ok(client.post(reply_url, json={"body": "Received, checking."}, headers=de), 201)
    thread = _ok(client.get(thread_url, headers=nl))
    first = thread["messages"][0]
    assert first["addressees"] == [{"agency": "DEU-BKA", "state": "answered", "overdue": False}]


def test_incomplete_request_is_422_with_field_errors(client: TestClient, auth: Auth) -> None:
    nl = auth("NLD-POL", Role.ANALYST)
    body = {"template": "rfi", "to": "DEU-BKA", "fields": {"about": "person"}}
    response = client.post(f"/requests{Q}", json=body, headers=nl)
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert fields == {"fields.description", "fields.questions"}
    templates = _ok(client.get("/requests/templates", headers=nl))
    assert {(t["template"], t["version"]) for t in templates} >= {("mla", 1), ("mla", 2)}


def test_hit_follow_up_grant_over_http(client: TestClient, auth: Auth) -> None:
    owner, requester = auth("DEU-BKA", Role.ANALYST), auth("NLD-POL", Role.OFFICER)
    created = _ok(
        client.post(
            "/records?purpose=data_management",
            json={
                "kind": "person",
                "body": {"names": [{"full": "Ivan Drago"}], "remarks": "source protection"},
                "governance": {"dissemination": "hit_only"},
            },
            headers=owner,
        ),
        201,
    )
    asked = _ok(
        client.post(
            f"/requests{Q}",
            json={
                "template": "hit_follow_up",
                "fields": {"record_id": created["id"], "reason": "hit at the Bad Bentheim border"},
            },
            headers=requester,
        ),
        201,
    )
    assert client.get(f"/released/{created['id']}{Q}", headers=requester).status_code == 404
    done = _ok(
        client.post(f"/requests/{asked['id']}/grant{Q}", json={"fields": ["names"]}, headers=owner)
    )
    assert done["status"] == "partially_granted"
    released = _ok(client.get(f"/released/{created['id']}{Q}", headers=requester))
    assert set(released["body"]) == {"names"}
    other = auth("TUR-EGM", Role.ANALYST)
    assert client.get(f"/released/{created['id']}{Q}", headers=other).status_code == 404
    assert client.get(f"/requests/{asked['id']}{Q}", headers=other).status_code == 404


def _linked_notices(client: TestClient, headers: dict[str, str]) -> list[Any]:
    found = _ok(
        client.post(
            "/search?purpose=identify", json={"person": {"name": "Carlos Ramirez"}}, headers=headers
        )
    )
    return [n for hit in found["hits"] for n in hit["notices"]]


def test_notice_review_over_http(client: TestClient, auth: Auth) -> None:
    owner, reviewer = auth("NLD-POL", Role.ANALYST), auth("HUB", Role.SUPERVISOR)
    officer = auth("TUR-EGM", Role.OFFICER)
    person = _ok(
        client.post(
            "/records?purpose=data_management",
            json={"kind": "person", "body": {"names": [{"full": "Carlos Ramirez"}]}},
            headers=owner,
        ),
        201,
    )
    notice = {
        "body": {
            "notice_kind": "blue",
            "subject_id": person["id"],
            "requested_action": "Locate and report whereabouts to NLD-POL",
            "offences": ["fraud"],
        }
    }
    drafted = _ok(client.post(f"/notices{Q}", json=notice, headers=owner), 201)
    record_id = drafted["record_id"]
    assert drafted["status"] == "draft"
    _ok(client.post(f"/notices/{record_id}/submit{Q}", headers=owner))
    assert client.post(f"/notices/{record_id}/take{Q}", headers=owner).status_code == 403
    _ok(client.post(f"/notices/{record_id}/take{Q}", headers=reviewer))
    assert _linked_notices(client, officer) == []
    assert client.get(f"/records/{record_id}?purpose=identify", headers=officer).status_code == 404
    published = _ok(client.post(f"/notices/{record_id}/publish{Q}", headers=reviewer))
    assert published["status"] == "published"
    [linked] = _linked_notices(client, officer)
    assert linked["requested_action"] == "blue notice: Locate and report whereabouts to NLD-POL"
    figures = _ok(client.get(f"/cooperation/figures{Q}", headers=auth("HUB", Role.AUDITOR)))
    assert figures["notices"]["published"] == 1


def test_cases_over_http(client: TestClient, auth: Auth) -> None:
    nl, de, tr = (auth(a, Role.ANALYST) for a in ("NLD-POL", "DEU-BKA", "TUR-EGM"))
    case = _ok(
        client.post(f"/cases{Q}", json={"title": "JIT", "participants": ["DEU-BKA"]}, headers=nl),
        201,
    )
    url = f"/cases/{case['id']}"
    _ok(client.post(f"{url}/notes{Q}", json={"text": "first lead"}, headers=de), 201)
    assert _ok(client.get(f"{url}{Q}", headers=de))["notes"][0]["text"] == "first lead"
    assert client.get(f"{url}{Q}", headers=tr).status_code == 404
    assert _ok(client.get(f"/cases{Q}", headers=tr)) == []
    _ok(client.delete(f"{url}/participants/DEU-BKA{Q}", headers=de), 204)
    assert client.get(f"{url}{Q}", headers=de).status_code == 404


def test_every_cooperation_route_needs_a_token(client: TestClient) -> None:
    prefixes = ("/messages", "/requests", "/released", "/notices", "/cases", "/directory")
    paths = client.get("/openapi.json").json()["paths"]
    routes = [
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith((*prefixes, "/webhooks", "/cooperation"))
        and path != "/requests/templates"
        for method in operations
    ]
    assert len(routes) >= 30
    for method, path in routes:
        url = path.replace("{", "").replace("}", "")
        answer = client.request(method, url, json={})
        assert answer.status_code == 401, (method, path, answer.status_code)


def test_contacts_and_webhooks_over_http(client: TestClient, auth: Auth) -> None:
    admin = auth("DEU-BKA", Role.ADMIN)
    contact = {
        "name": "SIRENE",
        "languages": ["de"],
        "channels": {"phone": "+49"},
        "desk_24_7": True,
    }
    _ok(client.post("/directory/contacts", json=contact, headers=admin), 201)
    assert (
        client.post(
            "/directory/contacts", json=contact, headers=auth("DEU-BKA", Role.OFFICER)
        ).status_code
        == 403
    )
    found = _ok(
        client.get("/directory/contacts?desk_24_7=true", headers=auth("NLD-POL", Role.OFFICER))
    )
    assert [(c["agency"], c["country"]) for c in found] == [("DEU-BKA", "DEU")]
    hook = _ok(
        client.post("/webhooks", json={"url": "https://hooks.example.invalid/b"}, headers=admin),
        201,
    )
    listed = _ok(client.get("/webhooks", headers=admin))
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0]
    assert client.post("/webhooks/deliver", headers=admin).status_code == 403
    assert _ok(client.post("/webhooks/deliver", headers=auth("HUB", Role.ADMIN)))["delivered"] == 0
