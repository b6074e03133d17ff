"""`POST /screening`, `POST /passenger-data`, `GET /passenger-data/travellers`."""

from __future__ import annotations

from fastapi.testclient import TestClient

from borderless.domain.codes import Role
from borderless.domain.records import Record
from tests.api.conftest import Auth, api_node, auth, client  # noqa: F401 - fixtures
from tests.travel.conftest import FLIGHT, TRAVELLERS, manifest


def test_post_screening_returns_explained_hits(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
    watchlist: dict[str, Record],
) -> None:
    headers = auth("NLD-POL", Role.ANALYST)
    files = {"files": ("m.json", manifest(TRAVELLERS), "application/json")}
    response = client.post("/screening?purpose=border_control", headers=headers, files=files)
    assert response.status_code == 200, response.text
    [report] = response.json()
    assert report["flight"] == FLIGHT
    hits = {h["record_id"]: h for h in report["hits"]}
    assert set(hits) == {watchlist["listed"].id, watchlist["hit_only"].id}
    assert hits[watchlist["hit_only"].id]["reasons"] == []
    assert hits[watchlist["listed"].id]["reasons"]
    again = client.post(
        "/screening/flight", params={"flight": FLIGHT, "purpose": "border_control"}, headers=headers
    )
    assert again.status_code == 200
    assert len(again.json()["hits"]) == 2


def test_upload_errors_and_owner_only_reads(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
) -> None:
    headers = auth("NLD-POL", Role.ANALYST)
    bad = {
        "files": ("bad.edi", b"UNB+UNOA:4+A+B+200101:0000+1'UNH+1+PAXLST'BGM+745'", "text/plain")
    }
    response = client.post("/passenger-data?purpose=border_control", headers=headers, files=bad)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_format"
    assert "bad.edi, segment 3 (BGM)" in response.json()["message"]
    files = {"files": ("m.json", manifest(TRAVELLERS), "application/json")}
    stored = client.post("/passenger-data?purpose=border_control", headers=headers, files=files)
    assert stored.status_code == 200
    assert stored.json()[0]["travellers"] == 4
    mine = client.get(
        "/passenger-data/travellers",
        params={"flight": FLIGHT, "purpose": "border_control"},
        headers=headers,
    )
    assert len(mine.json()) == 4
    theirs = client.get(
        "/passenger-data/travellers",
        params={"flight": FLIGHT, "purpose": "border_control"},
        headers=auth("DEU-BKA", Role.ANALYST),
    )
    assert theirs.status_code == 404
    no_purpose = client.post("/screening", headers=headers, files=files)
    assert no_purpose.status_code == 400
    officer = client.post(
        "/screening?purpose=border_control", headers=auth("NLD-POL", Role.OFFICER), files=files
    )
    assert officer.status_code == 403


def test_hit_queue_and_decision_over_the_api(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
    watchlist: dict[str, Record],
) -> None:
    headers = auth("NLD-POL", Role.ANALYST)
    files = {"files": ("m.json", manifest(TRAVELLERS), "application/json")}
    client.post("/screening?purpose=border_control", headers=headers, files=files)
    queue = client.get("/screening/hits?purpose=border_control", headers=headers).json()
    assert queue["total"] == 2
    hit_id = queue["items"][0]["id"]
    decided = client.post(
        f"/screening/hits/{hit_id}/decision?purpose=border_control",
        headers=headers,
        json={"status": "needs_follow_up", "reason": "ask the owner for the file"},
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "needs_follow_up"
    short = client.post(
        f"/screening/hits/{hit_id}/decision?purpose=border_control",
        headers=headers,
        json={"status": "confirmed", "reason": "ok"},
    )
    assert short.status_code == 422
    other = client.post(
        f"/screening/hits/{hit_id}/decision?purpose=border_control",
        headers=auth("DEU-BKA", Role.ANALYST),
        json={"status": "confirmed", "reason": "not ours to decide"},
    )
    assert other.status_code == 404


def test_rules_and_affiliates_over_the_api(
    client: TestClient,  # noqa: F811
    auth: Auth,  # noqa: F811
    watchlist: dict[str, Record],
) -> None:
    headers = auth("NLD-POL", Role.ANALYST)
    travellers = [
        {**TRAVELLERS[0], "booking": "AAA111"},
        {"surname": "HELPER", "booking": "AAA111"},
    ]
    files = {"files": ("m.json", manifest(travellers), "application/json")}
    report = client.post("/screening?purpose=border_control", headers=headers, files=files).json()
    refused = client.post(
        "/screening/rules?purpose=border_control",
        headers=headers,
        json={"name": "n", "expression": 'traveller.nationality = "SYR"'},
    )
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("refused: ")
    created = client.post(
        "/screening/rules?purpose=border_control",
        headers=headers,
        json={"name": "companions", "expression": "traveller.travels_with_flagged"},
    )
    rule_id = created.json()["id"]
    early = client.post(
        f"/screening/rules/{rule_id}/activate?purpose=border_control", headers=headers
    )
    assert early.status_code == 409
    tested = client.post(f"/screening/rules/{rule_id}/test?purpose=border_control", headers=headers)
    assert tested.json()["tested"]["matches"] == 2
    active = client.post(
        f"/screening/rules/{rule_id}/activate?purpose=border_control", headers=headers
    )
    assert active.json()["status"] == "active"
    osama = next(h for h in report[0]["hits"] if h["traveller"].startswith("OSAMA"))
    linked = client.get(
        f"/screening/affiliates/{osama['traveller_id']}?purpose=border_control", headers=headers
    ).json()
    assert [(a["name"], a["link"]) for a in linked] == [("HELPER", "same booking")]
