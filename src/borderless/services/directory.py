"""Agencies, users and tokens: creation, authentication, revocation — all audited."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Connection

from borderless.domain.agencies import Agency, Principal, User
from borderless.domain.codes import AuditAction
from borderless.errors import AuthenticationError, NotFound, PermissionDenied
from borderless.governance import audit
from borderless.governance.roles import Permission, require
from borderless.services.node import Node, acting_for
from borderless.store import directory
from borderless.store.db import reading

TOKEN_PREFIX = "bl_"  # noqa: S105 - a visible prefix so leaked tokens are recognisable


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _admin_event(principal: Principal, what: str, **details: str) -> audit.AuditEvent:
    return audit.AuditEvent(principal, AuditAction.ADMIN, None, {"op": what, **details})


def create_agency(node: Node, principal: Principal, agency: Agency) -> Agency:
    require(principal, Permission.MANAGE_AGENCIES)
    with node.engine.begin() as conn:
        created = directory.add_agency(conn, agency, node.now())
        audit.append(
            conn, node.audit_key, _admin_event(principal, "create_agency", code=agency.code)
        )
    return created


def _require_manages(principal: Principal, agency: str) -> None:
    require(principal, Permission.MANAGE_USERS)
    if principal.agency != agency and not principal.is_hub:
        raise PermissionDenied(f"an admin of {principal.agency} manages only its own users")


def create_user(node: Node, principal: Principal, user: User) -> User:
    _require_manages(principal, user.agency)
    with node.engine.begin() as conn:
        created = directory.add_user(conn, user, node.now())
        audit.append(
            conn,
            node.audit_key,
            _admin_event(principal, "create_user", username=user.username, role=user.role.value),
        )
    return created


def _user(node: Node, username: str) -> User:
    with reading(node.engine) as conn:
        found = directory.get_user(conn, username)
    if found is None:
        raise NotFound(f"no user {username}")
    return found


def set_user_active(node: Node, principal: Principal, username: str, active: bool) -> None:
    _require_manages(principal, _user(node, username).agency)
    with node.engine.begin() as conn:
        directory.set_user_active(conn, username, active)
        op = "enable_user" if active else "disable_user"
        audit.append(conn, node.audit_key, _admin_event(principal, op, username=username))


def issue_token(node: Node, principal: Principal, username: str, label: str | None = None) -> str:
    """Create a bearer token for `username`; the secret is returned once and stored as a hash."""
    _require_manages(principal, _user(node, username).agency)
    token_id = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    with node.engine.begin() as conn:
        directory.add_token(conn, token_id, username, hash_token(secret), label, node.now())
        audit.append(
            conn,
            node.audit_key,
            _admin_event(principal, "issue_token", username=username, token_id=token_id),
        )
    return secret


def revoke_token(node: Node, principal: Principal, token_id: str) -> None:
    with reading(node.engine) as conn:
        username = directory.token_owner(conn, token_id)
    if username is None:
        raise NotFound(f"no token {token_id}")
    if username != principal.username:
        _require_manages(principal, _user(node, username).agency)
    with node.engine.begin() as conn:
        directory.revoke_token(conn, token_id, node.now())
        audit.append(
            conn, node.audit_key, _admin_event(principal, "revoke_token", token_id=token_id)
        )


def _principal(conn: Connection, user: User) -> Principal:
    agency = directory.require_agency(conn, user.agency)
    return Principal(
        username=user.username,
        agency=agency.code,
        country=agency.country,
        role=user.role,
        agency_kind=agency.kind,
    )


def authenticate(node: Node, secret: str) -> Principal:
    """The principal behind a bearer token; unknown, revoked or disabled tokens are refused."""
    with reading(node.engine) as conn:  # runs on every API request: one connection
        user = directory.user_for_token_hash(conn, hash_token(secret))
        if user is None:
            raise AuthenticationError("invalid, revoked or expired token")
        return _principal(conn, user)


def principal_by_name(node: Node, username: str) -> Principal:
    """The principal for a named, active user (the CLI acts as one)."""
    with reading(node.engine) as conn:
        user = directory.get_user(conn, username)
        if user is None:
            raise NotFound(f"no user {username}")
        if not user.active:
            raise AuthenticationError(f"user {username} is disabled")
        return _principal(conn, user)


def operator_for(node: Node, agency_code: str) -> Principal:
    """The local operator acting as an agency's data manager (CLI imports)."""
    with reading(node.engine) as conn:
        agency = directory.require_agency(conn, agency_code)
    return acting_for(agency.code, agency.country, agency.kind)
