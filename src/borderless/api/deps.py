"""Typed dependencies shared by the routers: the node, the caller, the purpose, paging.

They are `async def` where they do no I/O, so FastAPI calls them on the event loop instead of
handing each one to a worker thread (a thread hop costs more than what they do).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from borderless.api.auth import TokenCache
from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose
from borderless.errors import AuthenticationError, InputError
from borderless.services import directory
from borderless.services.node import Node

_bearer = HTTPBearer(auto_error=False, description="API token issued by an administrator")


async def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


async def get_tokens(request: Request) -> TokenCache:
    tokens: TokenCache = request.app.state.tokens
    return tokens


TokensDep = Annotated[TokenCache, Depends(get_tokens)]


async def get_principal(
    node: NodeDep,
    tokens: TokensDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from the process's token cache or else the directory (see `api.auth`)."""
    if credentials is None:
        raise AuthenticationError("send 'Authorization: Bearer <token>'")
    secret = credentials.credentials
    token_hash = directory.hash_token(secret)
    principal = tokens.get(token_hash)
    if principal is None:
        generation = tokens.generation
        principal = await run_in_threadpool(directory.authenticate, node, secret)
        tokens.put(token_hash, principal, generation)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_purpose(
    purpose: Annotated[
        Purpose | None, Query(description="why the records are read or changed")
    ] = None,
    x_purpose: Annotated[Purpose | None, Header(description="alternative to ?purpose=")] = None,
) -> Purpose | None:
    """The stated purpose (query or ``X-Purpose`` header); services refuse a missing one."""
    return purpose or x_purpose


PurposeDep = Annotated[Purpose | None, Depends(get_purpose)]


async def get_window(
    node: NodeDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=1, description="default 100")] = None,
) -> tuple[int, int]:
    most = node.settings.page_size_max
    if limit is not None and limit > most:
        raise InputError(f"limit must be at most {most}")
    return offset, limit or min(100, most)


WindowDep = Annotated[tuple[int, int], Depends(get_window)]
