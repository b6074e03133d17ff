"""The error table: every `BorderlessError` subclass answers with its declared status and code."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

import borderless.errors as errors_module
from borderless.api.app import create_app
from borderless.config import Settings
from borderless.errors import AuthenticationError, BorderlessError, FormatError
from borderless.services.node import Node
from borderless.store.db import make_engine


def _subclasses(cls: type[BorderlessError]) -> Iterator[type[BorderlessError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


ERRORS = sorted(set(_subclasses(BorderlessError)), key=lambda c: c.__name__)


def _instance(cls: type[BorderlessError]) -> BorderlessError:
    if issubclass(cls, FormatError):
        return cls("upload.xml", "line 7", "unexpected end of file")
    return cls(f"a {cls.__name__} happened")


class _Strict(BaseModel):
    size: int = Field(gt=0)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """A fresh app with throwaway routes that raise each error (no database is touched)."""
    data_dir = tmp_path_factory.mktemp("errors")
    settings = Settings(data_dir=data_dir, retention_interval_s=0, log_json=False)
    node = Node(settings=settings, engine=make_engine("sqlite://"), audit_key=b"k")
    app = create_app(node)
    by_name = {cls.__name__: cls for cls in ERRORS}

    @app.get("/_raise/{name}")
    def raise_it(name: str) -> None:
        raise _instance(by_name[name])

    @app.get("/_invalid_model")
    def invalid_model() -> None:
        _Strict(size=-1)

    return app


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_the_hierarchy_is_not_empty() -> None:
    assert len(ERRORS) >= 7


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_each_error_maps_to_its_declared_status(
    client: TestClient, cls: type[BorderlessError]
) -> None:
    response = client.get(f"/_raise/{cls.__name__}")
    assert response.status_code == cls.status
    assert 400 <= cls.status < 500
    expected = _instance(cls)
    assert response.json() == {"error": cls.code, "message": expected.message}
    challenged = issubclass(cls, AuthenticationError)
    assert ("WWW-Authenticate" in response.headers) is challenged
    if challenged:
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_codes_are_distinct() -> None:
    codes = [cls.code for cls in ERRORS]
    assert len(codes) == len(set(codes))
    assert BorderlessError.code not in codes


def test_format_errors_name_file_and_place(client: TestClient) -> None:
    body = client.get("/_raise/FormatError").json()
    assert body == {
        "error": "invalid_format",
        "message": "upload.xml, line 7: unexpected end of file",
    }


def test_validation_errors_are_422_with_details(client: TestClient) -> None:
    response = client.get("/_invalid_model")
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_input",
        "message": "size: Input should be greater than 0",
        "details": [{"field": "size", "problem": "Input should be greater than 0"}],
    }


_TREE_LINE = re.compile(r"^(?P<prefix>[ │├└─]*)(?P<name>\w+)(?: \((?P<status>\d{3})\))?(?:\s|$)")


def _documented() -> list[tuple[int, str, int]]:
    """(indent, class name, status) per line of the tree in the errors module's docstring."""
    lines = (errors_module.__doc__ or "").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "BorderlessError")
    found = []
    for line in lines[start:]:
        if not line.strip():
            break
        match = _TREE_LINE.match(line)
        assert match, line
        found.append((len(match["prefix"]), match["name"], int(match["status"] or 0)))
    return found


def test_the_docstring_lists_exactly_these_classes_and_statuses() -> None:
    documented = {name: status for _, name, status in _documented() if name != "BorderlessError"}
    assert documented == {cls.__name__: cls.status for cls in ERRORS}
    for name in documented:
        assert hasattr(errors_module, name)


def test_the_docstring_tree_matches_the_class_hierarchy() -> None:
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for indent, name, _ in _documented():
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            parents[name] = stack[-1][1]
        stack.append((indent, name))
    actual = {cls.__name__: cls.__mro__[1].__name__ for cls in ERRORS}
    assert parents == actual


def test_a_real_route_uses_the_table(client: TestClient) -> None:
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json()["error"] == AuthenticationError.code


def test_unknown_paths_and_methods_answer_in_the_same_shape(client: TestClient) -> None:
    missing = client.get("/no/such/path")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "message": "Not Found"}
    wrong = client.delete("/health")
    assert wrong.status_code == 405
    assert wrong.json()["error"] == "method_not_allowed"
    assert "GET" in wrong.headers["allow"]
