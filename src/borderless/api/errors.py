"""One table from exception types to JSON error responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderless.errors import AuthenticationError, BorderlessError

log = logging.getLogger("borderless.api")


def _location(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _borderless(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BorderlessError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
    return JSONResponse(
        {"error": exc.code, "message": exc.message}, status_code=exc.status, headers=headers
    )


async def _request_invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError | ValidationError)
    details = [{"field": _location(tuple(e["loc"])), "problem": e["msg"]} for e in exc.errors()]
    message = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
    return JSONResponse(
        {"error": "invalid_input", "message": message, "details": details}, status_code=422
    )


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors (unknown path, wrong method) in our error shape."""
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return JSONResponse(
        {"error": code, "message": str(exc.detail)},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(BorderlessError, _borderless)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(ValidationError, _request_invalid)
