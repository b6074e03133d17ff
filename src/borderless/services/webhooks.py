"""Outgoing webhooks: an agency's own system hears of new items addressed to it.

Events are written to an outbox (`coop_webhook_deliveries`) in the same transaction as the item
itself, so none is lost or sent for an item that was rolled back. `deliver_due` posts them,
signed, and retries failures with growing delays up to `MAX_ATTEMPTS`. A payload names the
item (ids, kind, sender) but carries no content: the receiver fetches that through the API,
under the same access rules and audit as anyone.

Signature: ``X-Borderless-Signature: sha256=<hex>``, an HMAC-SHA256 with the webhook's secret
over ``<X-Borderless-Timestamp>.<body>``; receivers recompute it and compare in constant time,
and reject old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction
from borderless.errors import InputError, NotFound
from borderless.governance.roles import Permission, require
from borderless.services.admission import record
from borderless.services.cooperation import new_id
from borderless.services.node import Node
from borderless.store import messaging as store
from borderless.store.db import reading

log = logging.getLogger("borderless.webhooks")

MAX_ATTEMPTS = 6
# A delivery being posted is claimed for this long: other processes skip it, and if the one
# posting it dies before recording the outcome, it is due again after that.
CLAIM = timedelta(minutes=5)
RETRY_DELAYS = tuple(timedelta(seconds=30 * 4**n) for n in range(MAX_ATTEMPTS - 1))  # 30 s..8.5 h
TIMEOUT_S = 10.0


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def register(node: Node, principal: Principal, url: str) -> dict[str, str]:
    """Subscribe the caller's agency; the secret is returned once (keep it to check signatures)."""
    require(principal, Permission.MANAGE_AGENCY_PROFILE)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InputError(f"webhook url {url!r}: expected an http:// or https:// address")
    hook_id, secret = new_id("WH"), secrets.token_urlsafe(32)
    with node.engine.begin() as conn:
        store.add_webhook(
            conn,
            {
                "id": hook_id,
                "agency": principal.agency,
                "url": url,
                "secret": secret,
                "active": True,
                "created_at": node.now(),
            },
        )
        record(
            conn,
            node,
            principal,
            AuditAction.COOPERATION_ADMIN,
            None,
            op="webhook_register",
            webhook=hook_id,
            url=url,
        )
    return {"id": hook_id, "url": url, "secret": secret}


def list_webhooks(node: Node, principal: Principal) -> list[dict[str, Any]]:
    require(principal, Permission.MANAGE_AGENCY_PROFILE)
    with reading(node.engine) as conn:
        hooks = store.webhooks_of(conn, principal.agency)
        recent = store.deliveries_of(conn, principal.agency)
    for hook in hooks:
        hook["recent_deliveries"] = [d for d in recent if d["webhook_id"] == hook["id"]][:20]
    return hooks


def deactivate(node: Node, principal: Principal, hook_id: str) -> None:
    require(principal, Permission.MANAGE_AGENCY_PROFILE)
    with node.engine.begin() as conn:
        if not store.deactivate_webhook(conn, principal.agency, hook_id):
            raise NotFound(f"no webhook {hook_id} of agency {principal.agency}")
        record(
            conn,
            node,
            principal,
            AuditAction.COOPERATION_ADMIN,
            None,
            op="webhook_deactivate",
            webhook=hook_id,
        )


def enqueue(
    conn: Connection, node: Node, agencies: Sequence[str], event: str, data: dict[str, Any]
) -> int:
    """Queue `event` for the active webhooks of `agencies`, in the caller's transaction."""
    return store.enqueue_deliveries(conn, agencies, event, {"event": event, **data}, node.now())


@dataclass
class DeliveryRun:
    delivered: int = 0
    failed: int = 0  # will be retried
    given_up: int = 0


def _post(url: str, secret: str, delivery_id: int, payload: dict[str, Any], at: str) -> str | None:
    """POST one event; None on a 2xx answer, else what went wrong."""
    body = json.dumps({"delivery": delivery_id, "at": at, **payload}, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme was checked on registration
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "borderless-webhooks",
            "X-Borderless-Event": str(payload.get("event", "")),
            "X-Borderless-Delivery": str(delivery_id),
            "X-Borderless-Timestamp": at,
            "X-Borderless-Signature": sign(secret, at, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]
    return None if 200 <= status < 300 else f"HTTP {status}"


def deliver_due(node: Node, principal: Principal, limit: int = 500) -> DeliveryRun:
    """Post every delivery that is due (network calls happen outside any transaction).

    Node-wide work: the operator or an administrator of the hub agency runs it.
    """
    require(principal, Permission.MANAGE_AGENCIES)
    run = DeliveryRun()
    with reading(node.engine) as conn:
        due = store.due_deliveries(conn, node.now(), limit)
    for item in due:
        at = node.now()
        with node.engine.begin() as conn:
            if not store.claim_delivery(conn, item["id"], item["next_attempt_at"], at + CLAIM):
                continue  # another server worker or a `webhooks deliver` run posts it
        error = _post(item["url"], item["secret"], item["id"], item["payload"], at.isoformat())
        attempts = item["attempts"] + 1
        with node.engine.begin() as conn:
            if error is None:
                run.delivered += 1
                store.set_delivery(
                    conn, item["id"], attempts=attempts, delivered_at=at, next_attempt_at=None
                )
                continue
            later = at + RETRY_DELAYS[attempts - 1] if attempts < MAX_ATTEMPTS else None
            run.failed += later is not None
            run.given_up += later is None
            store.set_delivery(
                conn, item["id"], attempts=attempts, next_attempt_at=later, last_error=error
            )
        log.warning("webhook delivery failed", extra={"delivery": item["id"], "error": error})
    if due:
        with node.engine.begin() as conn:
            record(
                conn,
                node,
                principal,
                AuditAction.COOPERATION_ADMIN,
                None,
                op="webhook_deliver",
                outcome=f"{run.delivered} delivered, {run.failed} to retry, "
                f"{run.given_up} given up",
            )
    return run
