"""`create_app()`: wires the node, routers, error table, offline docs and background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from borderless import __version__
from borderless.api import errors
from borderless.api.auth import TokenCache
from borderless.api.routers import admin, imports, oversight, records, search
from borderless.api.routers import cases as cases_router
from borderless.api.routers import finance as finance_router
from borderless.api.routers import messages as messages_router
from borderless.api.routers import notices as notices_router
from borderless.api.routers import requests as requests_router
from borderless.api.routers import screening as screening_router
from borderless.api.routers import travel as travel_router
from borderless.config import load_settings
from borderless.domain.codes import Purpose
from borderless.logs import configure
from borderless.runtime import tune_garbage_collector
from borderless.services import retention, travel_intake, webhooks
from borderless.services.node import OPERATOR, Node, open_node

log = logging.getLogger("borderless.api")


async def _every(seconds: int, what: str, job: Callable[[], object]) -> None:
    """Run `job` in a worker thread every `seconds` while the server runs; log, never stop."""
    while True:
        await asyncio.sleep(seconds)
        try:
            result = await asyncio.to_thread(job)
            log.info(what, extra={"result": repr(result)})
        except Exception:
            log.exception("%s failed", what)


def _background_jobs(node: Node) -> list[Coroutine[Any, Any, None]]:
    """Purging expired records and passenger data; posting due webhooks (0 = off)."""
    jobs = []
    if node.settings.retention_interval_s > 0:
        purge = partial(retention.run_retention, node, OPERATOR)
        jobs.append(_every(node.settings.retention_interval_s, "retention run", purge))
        passengers = partial(travel_intake.run_passenger_retention, node, OPERATOR)
        jobs.append(_every(node.settings.retention_interval_s, "passenger retention", passengers))
    if node.settings.webhook_interval_s > 0:
        deliver = partial(webhooks.deliver_due, node, OPERATOR)
        jobs.append(_every(node.settings.webhook_interval_s, "webhook delivery", deliver))
    return jobs


class RequestLog:
    """Logs every HTTP request's method, path, status and duration.

    A plain ASGI middleware: Starlette's `BaseHTTPMiddleware` (what `@app.middleware` builds)
    runs each request through an extra task and memory streams, a cost on every request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless the app starts a response

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )


def create_app(node: Node) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tune_garbage_collector(serving=True)
        tasks = [asyncio.create_task(job) for job in _background_jobs(node)]
        yield
        for task in tasks:
            task.cancel()

    app = FastAPI(
        title="Borderless",
        version=__version__,
        description=(
            "Shared records under their owners' rules. Every request that reads or changes "
            "records states a `purpose` and is audited. Authenticate with "
            "`Authorization: Bearer <token>`."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.node = node
    app.state.tokens = TokenCache(node.settings.auth_cache_s)
    errors.install(app)
    app.add_middleware(RequestLog)
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Borderless API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/purposes", tags=["meta"])
    async def purposes() -> list[str]:
        """The fixed list of purposes a request may state."""
        return [p.value for p in Purpose]

    for router in (
        search.router,
        records.router,
        admin.router,
        oversight.router,
        imports.router,
        finance_router.router,
        messages_router.router,
        requests_router.router,
        notices_router.router,
        cases_router.router,
        travel_router.router,
        screening_router.router,
    ):
        app.include_router(router)
    return app


def from_settings() -> FastAPI:
    """uvicorn factory for serving from several worker processes, each building its own app:
    `uvicorn --factory borderless.api.app:from_settings --workers 2`. Settings come from the
    environment and the config file, as for the CLI; the schema must be current (`borderless
    init`), since workers starting together must not migrate the database at the same time."""
    settings = load_settings()
    configure(settings.log_level, settings.log_json)
    return create_app(open_node(settings, upgrade=False))
