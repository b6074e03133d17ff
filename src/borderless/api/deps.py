"""Typed dependencies shared by the routers: the node, the caller, the purpose, paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose
from borderless.errors import AuthenticationError, InputError
from borderless.services import directory
from borderless.services.node import Node

_bearer = HTTPBearer(auto_error=False, description="API token issued by an administrator")


def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


def get_principal(
    node: NodeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise AuthenticationError("send 'Authorization: Bearer <token>'")
    return directory.authenticate(node, credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_purpose(
    purpose: Annotated[
        Purpose | None, Query(description="why the records are read or changed")
    ] = None,
    x_purpose: Annotated[Purpose | None, Header(description="alternative to ?purpose=")] = None,
) -> Purpose | None:
    """The stated purpose (query or ``X-Purpose`` header); services refuse a missing one."""
    return purpose or x_purpose


PurposeDep = Annotated[Purpose | None, Depends(get_purpose)]


def get_window(
    node: NodeDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int | None, Query(ge=1, description="default 100")] = None,
) -> tuple[int, int]:
    most = node.settings.page_size_max
    if limit is not None and limit > most:
        raise InputError(f"limit must be at most {most}")
    return offset, limit or min(100, most)


WindowDep = Annotated[tuple[int, int], Depends(get_window)]
