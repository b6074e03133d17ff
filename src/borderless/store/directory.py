"""Agencies, users and API tokens (tokens are stored only as SHA-256 hashes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from borderless.domain.agencies import Agency, User
from borderless.domain.codes import AgencyKind, Role
from borderless.errors import Conflict, NotFound
from borderless.store.schema import agencies, tokens, users


def add_agency(conn: Connection, agency: Agency, at: datetime) -> Agency:
    if get_agency(conn, agency.code) is not None:
        raise Conflict(f"agency {agency.code} already exists")
    conn.execute(
        insert(agencies).values(**agency.model_dump(exclude={"created_at"}), created_at=at)
    )
    return agency.model_copy(update={"created_at": at})


def get_agency(conn: Connection, code: str) -> Agency | None:
    row = conn.execute(select(agencies).where(agencies.c.code == code.upper())).first()
    return Agency.model_validate(dict(row._mapping)) if row else None


def require_agency(conn: Connection, code: str) -> Agency:
    found = get_agency(conn, code)
    if found is None:
        raise NotFound(f"no agency {code.upper()}")
    return found


def list_agencies(conn: Connection) -> list[Agency]:
    rows = conn.execute(select(agencies).order_by(agencies.c.code))
    return [Agency.model_validate(dict(row._mapping)) for row in rows]


def hub_agencies(conn: Connection) -> list[str]:
    query = select(agencies.c.code).where(agencies.c.kind == AgencyKind.HUB.value)
    return list(conn.execute(query).scalars())


def add_user(conn: Connection, user: User, at: datetime) -> User:
    require_agency(conn, user.agency)
    try:
        with conn.begin_nested():
            conn.execute(
                insert(users).values(**user.model_dump(exclude={"created_at"}), created_at=at)
            )
    except IntegrityError:
        raise Conflict(f"user {user.username} already exists") from None
    return user.model_copy(update={"created_at": at})


def get_user(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(users).where(users.c.username == username)).first()
    return User.model_validate(dict(row._mapping)) if row else None


def list_users(conn: Connection, agency: str | None = None) -> list[User]:
    query = select(users).order_by(users.c.username)
    if agency:
        query = query.where(users.c.agency == agency)
    return [User.model_validate(dict(row._mapping)) for row in conn.execute(query)]


def set_user_active(conn: Connection, username: str, active: bool) -> None:
    done = conn.execute(update(users).where(users.c.username == username).values(active=active))
    if done.rowcount != 1:
        raise NotFound(f"no user {username}")


def set_user_role(conn: Connection, username: str, role: Role) -> None:
    done = conn.execute(update(users).where(users.c.username == username).values(role=role.value))
    if done.rowcount != 1:
        raise NotFound(f"no user {username}")


def add_token(
    conn: Connection, token_id: str, username: str, token_hash: str, label: str | None, at: datetime
) -> None:
    conn.execute(
        insert(tokens).values(
            token_id=token_id, username=username, token_hash=token_hash, label=label, created_at=at
        )
    )


def user_for_token_hash(conn: Connection, token_hash: str) -> User | None:
    """The active user holding an unrevoked token with this hash."""
    query = (
        select(users)
        .join(tokens, tokens.c.username == users.c.username)
        .where(tokens.c.token_hash == token_hash, tokens.c.revoked_at.is_(None), users.c.active)
    )
    row = conn.execute(query).first()
    return User.model_validate(dict(row._mapping)) if row else None


def token_owner(conn: Connection, token_id: str) -> str | None:
    query = select(tokens.c.username).where(tokens.c.token_id == token_id)
    return conn.execute(query).scalar_one_or_none()


def revoke_token(conn: Connection, token_id: str, at: datetime) -> None:
    done = conn.execute(
        update(tokens)
        .where(tokens.c.token_id == token_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    if done.rowcount != 1:
        raise NotFound(f"no active token {token_id}")


def list_tokens(conn: Connection, username: str) -> list[dict[str, object]]:
    query = (
        select(tokens.c.token_id, tokens.c.label, tokens.c.created_at, tokens.c.revoked_at)
        .where(tokens.c.username == username)
        .order_by(tokens.c.created_at)
    )
    return [dict(row._mapping) for row in conn.execute(query)]
