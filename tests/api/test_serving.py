"""Serving from several worker processes: each builds its app from the settings."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import from_settings
from borderless.api.auth import TokenCache


@pytest.fixture
def _restore_logging() -> Iterator[None]:
    """The factory configures the `borderless` logger as `serve` does; undo that afterwards."""
    logger = logging.getLogger("borderless")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.mark.usefixtures("_restore_logging")
def test_a_worker_builds_the_app_from_environment_and_config_file(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(sqlite_template, tmp_path / "borderless.db")
    (tmp_path / "borderless.toml").write_text("auth_cache_s = 0.25\nwebhook_interval_s = 0\n")
    monkeypatch.delenv("BORDERLESS_CONFIG", raising=False)
    monkeypatch.delenv("BORDERLESS_DATABASE_URL", raising=False)
    monkeypatch.setenv("BORDERLESS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BORDERLESS_RETENTION_INTERVAL_S", "0")

    app = from_settings()
    assert app.state.node.engine.url.database == str(tmp_path / "borderless.db")
    tokens = app.state.tokens
    assert isinstance(tokens, TokenCache)
    assert tokens.ttl == 0.25
    with TestClient(app) as client:
        assert client.get("/purposes").status_code == 200
        assert client.get("/me").status_code == 401
    app.state.node.engine.dispose()
