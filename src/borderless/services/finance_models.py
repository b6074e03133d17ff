"""What the finance services take and give: requests and explained results (API and CLI)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from borderless.finance.trace import Direction


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TraceRequest(_Model):
    """Whose money to follow, how far and when. Give exactly one of account, person."""

    account: str | None = Field(
        default=None, description="account record id, or the source's account id / IBAN"
    )
    person: str | None = Field(
        default=None, description="person or organisation record id: all accounts it holds"
    )
    hops: int = Field(default=4, ge=1, le=12)
    direction: Direction = Direction.FORWARD
    start: datetime | None = Field(default=None, description="window start (ISO 8601)")
    end: datetime | None = Field(default=None, description="window end (ISO 8601)")
    limit: int = Field(default=2000, ge=1, le=100_000, description="most transactions listed")

    @model_validator(mode="after")
    def _one_subject(self) -> TraceRequest:
        if (self.account is None) == (self.person is None):
            raise ValueError("give exactly one of 'account' or 'person'")
        if self.start and self.end and self.start > self.end:
            raise ValueError("'start' must not be after 'end'")
        return self


class FlowAccount(_Model):
    id: str
    source_id: str | None = None
    country: str | None = None
    holders: list[str] = []
    hop: int = 0  # 0: a seed
    time: datetime | None = None  # first arrival (forward) or last departure (backward)
    amount_eur: float = 0.0  # traced money received (forward) or sent on (backward)
    end_point: bool = False


class FlowTransaction(_Model):
    id: str
    source_id: str | None = None
    from_account: str
    to_account: str
    amount: float
    currency: str
    amount_eur: float  # the traced part of it
    time: datetime
    channel: str | None = None
    from_country: str | None = None
    to_country: str | None = None
    hop: int = 0
    direction: Direction = Direction.FORWARD


class Corridor(_Model):
    from_country: str
    to_country: str
    transactions: int
    amount_eur: float


class TraceSection(_Model):
    direction: Direction
    accounts: list[FlowAccount]
    transactions: list[FlowTransaction]
    transactions_total: int
    truncated: bool
    end_points: list[str]
    countries: list[str]
    corridors: list[Corridor]
    total_eur: float  # traced money reaching the end points (forward) / leaving origins
    cash_outs: list[str]  # transactions paid in cash
    first_time: datetime | None
    last_time: datetime | None
    elapsed_hours: float


class TraceResponse(_Model):
    seeds: list[FlowAccount]
    hops: int
    start: datetime | None
    end: datetime | None
    sections: list[TraceSection]
    took_ms: float


class AlertOut(_Model):
    """One typology alert, explained, with its evidence subgraph."""

    rank: int
    typology: str
    score: float
    explanation: str
    accounts: list[FlowAccount]  # the focal account first
    transactions: list[FlowTransaction]
    countries: list[str]
    total_eur: float
    facts: dict[str, str] = {}  # evidence beyond the flows: the flight, how the holder was linked


class DetectResponse(_Model):
    alerts: list[AlertOut]
    alerts_total: int
    by_typology: dict[str, int]
    transactions_scanned: int
    took_ms: float
    skipped: dict[str, str] = Field(
        default={}, description="typologies that did not run, and why (e.g. passenger data)"
    )


class NetworkRequest(_Model):
    """Which networks: the one around an account or holder, or the biggest stories."""

    account: str | None = None
    person: str | None = Field(default=None, description="person or organisation record id")
    limit: int = Field(default=20, ge=1, le=500)


class HolderOut(_Model):
    id: str
    kind: str
    label: str
    source_id: str | None = None


class NetworkOut(_Model):
    rank: int
    accounts: list[FlowAccount]
    holders: list[HolderOut]
    countries: list[str]
    total_eur: float  # strong ties inside the network
    transactions: int
    alerts: list[str]  # "typology: explanation"
    shared: dict[str, list[str]]  # attribute value -> holders sharing it


class NetworksResponse(_Model):
    networks: list[NetworkOut]
    networks_total: int
    took_ms: float
