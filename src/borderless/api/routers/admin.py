"""Agencies, users and tokens."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from borderless.api.deps import NodeDep, PrincipalDep, TokensDep
from borderless.api.schemas import ActiveIn, TokenIn, TokenOut, UserIn
from borderless.domain.agencies import Agency, User
from borderless.errors import PermissionDenied
from borderless.governance.roles import Permission, allowed
from borderless.services import directory as service
from borderless.store import directory
from borderless.store.db import reading

router = APIRouter(tags=["administration"])


@router.get("/agencies", response_model=list[Agency])
def list_agencies(node: NodeDep, _principal: PrincipalDep) -> list[Agency]:
    """The member agencies (a directory: codes, names, countries, kinds)."""
    with reading(node.engine) as conn:
        return directory.list_agencies(conn)


@router.post("/agencies", response_model=Agency, status_code=status.HTTP_201_CREATED)
def create_agency(node: NodeDep, principal: PrincipalDep, agency: Agency) -> Agency:
    """Admins of the hub agency register member agencies."""
    return service.create_agency(node, principal, agency)


@router.get("/users", response_model=list[User])
def list_users(node: NodeDep, principal: PrincipalDep, agency: str | None = None) -> list[User]:
    """Users of the caller's agency (admins of the hub may list any agency's)."""
    if not allowed(principal, Permission.MANAGE_USERS):
        raise PermissionDenied("only admins list users")
    # A hub admin sees every agency's users (or one agency's, if asked); others their own.
    scope = (agency.upper() if agency else None) if principal.is_hub else principal.agency
    with reading(node.engine) as conn:
        return directory.list_users(conn, scope)


@router.post("/users", response_model=User, status_code=status.HTTP_201_CREATED)
def create_user(node: NodeDep, principal: PrincipalDep, body: UserIn) -> User:
    user = User(username=body.username, agency=body.agency, role=body.role)
    return service.create_user(node, principal, user)


@router.patch("/users/{username}", status_code=status.HTTP_204_NO_CONTENT)
def set_active(
    node: NodeDep, principal: PrincipalDep, tokens: TokensDep, username: str, body: ActiveIn
) -> Response:
    """Disable (or re-enable) a user; its tokens stop working at once in this server process
    and within `auth_cache_s` seconds in the others (see `api.auth`)."""
    service.set_user_active(node, principal, username, body.active)
    tokens.clear()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users/{username}/tokens", response_model=TokenOut, status_code=status.HTTP_201_CREATED
)
def issue_token(node: NodeDep, principal: PrincipalDep, username: str, body: TokenIn) -> TokenOut:
    return TokenOut(token=service.issue_token(node, principal, username, body.label))


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(
    node: NodeDep, principal: PrincipalDep, tokens: TokensDep, token_id: str
) -> Response:
    """Revoke a token (one's own, or as an admin any of one's agency's); it stops working at
    once in this server process and within `auth_cache_s` seconds in the others."""
    service.revoke_token(node, principal, token_id)
    tokens.clear()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me")
def whoami(principal: PrincipalDep) -> dict[str, str]:
    return {
        "username": principal.username,
        "agency": principal.agency,
        "country": principal.country,
        "role": principal.role.value,
    }
