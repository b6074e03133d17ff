"""Outgoing webhooks against a real HTTP server on 127.0.0.1: signed, retried, addressees only."""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import create_app
from borderless.domain.codes import Purpose, Role
from borderless.domain.messaging import MessageDraft
from borderless.errors import InputError, PermissionDenied
from borderless.services import messages, webhooks
from borderless.services.node import OPERATOR, Node
from tests.conftest import Clock, People

P = Purpose.CRIMINAL_INVESTIGATION


@dataclass
class Receiver:
    """A local endpoint that answers with the queued statuses (then 200) and keeps what came."""

    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""
    delay_s: float = 0.0  # how long each answer takes


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            time.sleep(state.delay_s)
            self.send_response(state.statuses.pop(0) if state.statuses else 200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/borderless"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _send(node: Node, people: People, to: str = "DEU-BKA") -> dict[str, Any]:
    draft = MessageDraft(to=[to], subject="Secret subject", body="Secret body")
    return messages.send(node, people["NLD-POL", Role.ANALYST], P, draft)


def test_signed_delivery_after_a_retry_and_only_to_addressees(
    node: Node, people: People, clock: Clock, receiver: Receiver
) -> None:
    admin = people["DEU-BKA", Role.ADMIN]
    hook = webhooks.register(node, admin, receiver.url)
    webhooks.register(node, people["TUR-EGM", Role.ADMIN], receiver.url + "/tur")
    sent = _send(node, people)
    receiver.statuses = [503]
    first = webhooks.deliver_due(node, OPERATOR)
    assert (first.delivered, first.failed, first.given_up) == (0, 1, 0)
    assert webhooks.deliver_due(node, OPERATOR).delivered == 0  # not due again yet
    clock.current += timedelta(seconds=31)
    assert webhooks.deliver_due(node, OPERATOR).delivered == 1
    assert len(receiver.received) == 2  # one failure, one success; nothing for TUR-EGM
    headers, body = receiver.received[-1]
    assert headers["X-Borderless-Event"] == "message.new"
    expected = webhooks.sign(hook["secret"], headers["X-Borderless-Timestamp"], body)
    assert hmac.compare_digest(headers["X-Borderless-Signature"], expected)
    payload = json.loads(body)
    assert (payload["thread_id"], payload["from"]) == (sent["thread_id"], "NLD-POL")
    assert b"Secret" not in body  # content is fetched through the API, not pushed
    [listed] = webhooks.list_webhooks(node, admin)
    assert "secret" not in listed
    assert [d["attempts"] for d in listed["recent_deliveries"]] == [2]
    assert listed["recent_deliveries"][0]["delivered_at"] is not None


def test_two_delivery_runs_at_once_post_each_event_once(
    node: Node, people: People, receiver: Receiver
) -> None:
    """Two API workers (or a worker and `borderless webhooks deliver`) read the same due
    deliveries; each is claimed before it is posted, so only one of them posts it."""
    webhooks.register(node, people["DEU-BKA", Role.ADMIN], receiver.url)
    _send(node, people)
    _send(node, people)
    receiver.delay_s = 0.3
    runs: list[webhooks.DeliveryRun] = []
    threads = [
        threading.Thread(target=lambda: runs.append(webhooks.deliver_due(node, OPERATOR)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(r.delivered for r in runs) == 2
    assert len(receiver.received) == 2
    assert len({h["X-Borderless-Delivery"] for h, _ in receiver.received}) == 2


def test_gives_up_after_the_last_attempt(
    node: Node, people: People, clock: Clock, receiver: Receiver
) -> None:
    admin = people["DEU-BKA", Role.ADMIN]
    webhooks.register(node, admin, receiver.url)
    _send(node, people)
    receiver.statuses = [500] * webhooks.MAX_ATTEMPTS
    runs = []
    for _ in range(webhooks.MAX_ATTEMPTS):
        runs.append(webhooks.deliver_due(node, OPERATOR))
        clock.current += timedelta(days=1)
    assert [r.failed for r in runs] == [1] * (webhooks.MAX_ATTEMPTS - 1) + [0]
    assert runs[-1].given_up == 1
    assert webhooks.deliver_due(node, OPERATOR).delivered == 0
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS


def test_unreachable_endpoint_is_retried_not_fatal(
    node: Node, people: People, receiver: Receiver
) -> None:
    admin = people["DEU-BKA", Role.ADMIN]
    webhooks.register(node, admin, "http://127.0.0.1:9/nothing-listens-here")
    _send(node, people)
    run = webhooks.deliver_due(node, OPERATOR)
    assert (run.delivered, run.failed) == (0, 1)
    error = webhooks.list_webhooks(node, admin)[0]["recent_deliveries"][0]["last_error"]
    assert "Connection refused" in error or "URLError" in error


def test_registration_rules(node: Node, people: People, receiver: Receiver) -> None:
    with pytest.raises(PermissionDenied):
        webhooks.register(node, people["DEU-BKA", Role.ANALYST], receiver.url)
    with pytest.raises(PermissionDenied):  # node-wide work: hub admins and the operator
        webhooks.deliver_due(node, people["DEU-BKA", Role.ADMIN])
    with pytest.raises(InputError, match="http:// or https://"):
        webhooks.register(node, people["DEU-BKA", Role.ADMIN], "file:///etc/passwd")
    hook = webhooks.register(node, people["DEU-BKA", Role.ADMIN], receiver.url)
    webhooks.deactivate(node, people["DEU-BKA", Role.ADMIN], hook["id"])
    _send(node, people)
    assert webhooks.deliver_due(node, people["HUB", Role.ADMIN]).delivered == 0
    assert receiver.received == []


def test_the_api_server_delivers_due_webhooks_by_itself(
    node: Node, people: People, receiver: Receiver
) -> None:
    settings = node.settings.model_copy(update={"retention_interval_s": 0, "webhook_interval_s": 1})
    server_node = Node(
        settings=settings, engine=node.engine, audit_key=node.audit_key, now=node.now
    )
    webhooks.register(node, people["DEU-BKA", Role.ADMIN], receiver.url)
    with TestClient(create_app(server_node)):
        _send(node, people)
        deadline = time.monotonic() + 15
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [h["X-Borderless-Event"] for h, _ in receiver.received] == ["message.new"]
