"""Request and response bodies that are not domain types themselves."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from borderless.domain.codes import Role

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int
    next_offset: int | None

    @classmethod
    def of(cls, items: list[T], total: int, window: tuple[int, int]) -> PageOut[T]:
        offset, limit = window
        end = offset + len(items)
        return cls(
            items=items,
            total=total,
            offset=offset,
            limit=limit,
            next_offset=end if end < total else None,
        )


class ErrorOut(BaseModel):
    error: str
    message: str
    details: list[dict[str, Any]] | None = None


class UserIn(BaseModel):
    username: str
    agency: str
    role: Role


class TokenIn(BaseModel):
    label: str | None = None


class TokenOut(BaseModel):
    token: str
    note: str = "Shown once. Only a hash is stored; keep it secret."


class ActiveIn(BaseModel):
    active: bool
