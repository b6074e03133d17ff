"""The request log: one line per HTTP request with its method, path, status and duration."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import create_app
from borderless.config import Settings
from borderless.services.node import Node
from borderless.store.db import make_engine


def test_every_request_is_logged_with_its_status(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, retention_interval_s=0, log_json=False)
    node = Node(settings=settings, engine=make_engine("sqlite://"), audit_key=b"k")
    app = create_app(node)

    @app.get("/_boom")
    def boom() -> None:
        raise RuntimeError("unexpected")

    caplog.set_level(logging.INFO, logger="borderless.api")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/nowhere").status_code == 404
        assert client.post("/search", json={}).status_code == 401
        assert client.get("/_boom").status_code == 500

    lines = [r for r in caplog.records if r.getMessage() == "request"]
    seen = [(r.__dict__["method"], r.__dict__["path"], r.__dict__["status"]) for r in lines]
    assert seen == [
        ("GET", "/health", 200),
        ("GET", "/nowhere", 404),
        ("POST", "/search", 401),
        ("GET", "/_boom", 500),
    ]
    assert all(r.__dict__["ms"] >= 0 for r in lines)
