"""The API docs work without the internet: every asset is served by the node itself."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.api.app import create_app
from borderless.config import Settings
from borderless.services.node import Node
from borderless.store.db import make_engine


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("docs")
    settings = Settings(data_dir=data_dir, retention_interval_s=0, log_json=False)
    node = Node(settings=settings, engine=make_engine("sqlite://"), audit_key=b"k")
    with TestClient(create_app(node)) as test_client:
        yield test_client


def _assets(html: str) -> list[str]:
    return re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", html)


def test_docs_page_uses_only_local_assets(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assets = _assets(html)
    assert any(a.endswith(".js") for a in assets)
    assert any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
    assert "http://" not in html
    assert "https://" not in html
    assert "cdn.jsdelivr.net" not in html
    assert "'/openapi.json'" in html


def test_docs_assets_are_served(client: TestClient) -> None:
    assets = _assets(client.get("/docs").text)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.content, asset
    script = next(a for a in assets if a.endswith(".js"))
    assert "SwaggerUIBundle" in client.get(script).text
    css = next(a for a in assets if a.endswith(".css"))
    assert client.get(css).headers["content-type"].startswith("text/css")


def test_docs_layout_has_no_online_validator_badge(client: TestClient) -> None:
    # The standalone layout shows a badge fetched from validator.swagger.io; the base one not.
    assert '"layout": "BaseLayout"' in client.get("/docs").text


def test_openapi_describes_the_records_api(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.text)
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Borderless"
    paths = spec["paths"]
    for path in ("/records", "/records/search", "/records/export", "/records/{record_id}"):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/records"])
    assert {"get", "put", "delete"} <= set(paths["/records/{record_id}"])
    for path in ("/audit", "/audit/verify", "/retention/run", "/agencies", "/imports/{fmt}"):
        assert path in paths, path
    assert "/docs" not in paths
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_redoc_is_off_and_health_answers(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
    assert client.get("/health").json()["status"] == "ok"
    purposes = client.get("/purposes").json()
    assert "counter_terrorism" in purposes
    assert "data_management" in purposes
