"""Request and response bodies that are not domain types themselves."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import Response
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


def model_json(model: BaseModel) -> Response:
    """`model` as JSON, serialised once by pydantic-core.

    For a hot endpoint (frontline search): a returned model would be validated again against
    the route's `response_model` before FastAPI serialises it; a `Response` goes out as it is.
    The route keeps `response_model` for the OpenAPI description.
    """
    return Response(model.model_dump_json(), media_type="application/json")
