"""Agencies, their users, and the principal on whose behalf a request runs."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from borderless.domain.codes import AgencyKind, Role
from borderless.normalize.countries import to_alpha3

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")


def _agency_code(value: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise ValueError("agency code: 2-32 letters, digits, '-' or '_'")
    return code


AgencyCode = Annotated[str, AfterValidator(_agency_code)]


class Agency(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: AgencyCode
    name: str = Field(min_length=1, max_length=300)
    country: Annotated[str, AfterValidator(to_alpha3)]
    kind: AgencyKind
    created_at: datetime | None = None


class User(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    agency: AgencyCode
    role: Role
    active: bool = True
    created_at: datetime | None = None


class Principal(BaseModel):
    """Who is asking: a user of an agency in a country with a role.

    The CLI on the node's own machine acts as the operator principal of the hub agency;
    everything it does is audited like any other request.
    """

    model_config = ConfigDict(frozen=True)

    username: str
    agency: str
    country: str
    role: Role
    agency_kind: AgencyKind
    operator: bool = False  # the node's local operator (CLI); never an API caller

    @property
    def is_hub(self) -> bool:
        return self.agency_kind == AgencyKind.HUB
