"""Versioned templates for structured requests, validated field by field on submission.

A request names its template and version; both are stored with it, so a request made under
an older version stays readable after the template changes. An incomplete or wrong request
fails with pydantic's field-level errors located under ``fields.<name>`` (the API answers 422
with one entry per field; the CLI prints each).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from borderless.domain.messaging import Priority
from borderless.domain.records import Country, RecordId
from borderless.errors import InputError

Text = Field(min_length=3, max_length=10_000)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RfiV1(_Fields):
    """Request for information about a person, an object or an account."""

    about: Literal["person", "object", "account"]
    description: str = Text
    record_ids: list[RecordId] = []
    questions: list[str] = Field(min_length=1, max_length=50)
    legal_basis: str | None = None


class HitFollowUpV1(_Fields):
    """After a hit on a hit-only record: ask its owner to release it (all or some fields)."""

    record_id: RecordId
    reason: str = Field(min_length=10, max_length=5000)
    requested_fields: list[str] = []  # empty: the whole record


class MlaV1(_Fields):
    """Mutual legal assistance request between judicial authorities."""

    legal_basis: str = Text
    offences: list[str] = Field(min_length=1)
    facts: str = Field(min_length=20, max_length=50_000)
    requested_measures: list[str] = Field(min_length=1)
    urgency: Priority = Priority.ROUTINE


class MlaV2(MlaV1):
    """Version 2 also names the issuing authority and confirms dual criminality."""

    issuing_authority: str = Text
    dual_criminality: bool


class AssetTracingV1(_Fields):
    """Trace assets, or freeze them (a freeze needs a legal basis and an amount)."""

    measure: Literal["trace", "freeze"]
    subjects: list[str] = Field(min_length=1)
    accounts: list[str] = []
    countries: list[Country] = []
    amount: float | None = Field(default=None, gt=0)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    legal_basis: str | None = None
    grounds: str = Text

    @model_validator(mode="after")
    def _freeze_needs_basis(self) -> AssetTracingV1:
        if self.measure == "freeze" and not (self.legal_basis and self.amount and self.currency):
            raise ValueError("a freeze needs legal_basis, amount and currency")
        return self


TEMPLATES: dict[tuple[str, int], type[_Fields]] = {
    ("rfi", 1): RfiV1,
    ("hit_follow_up", 1): HitFollowUpV1,
    ("mla", 1): MlaV1,
    ("mla", 2): MlaV2,
    ("asset_tracing", 1): AssetTracingV1,
}


def latest(template: str) -> int:
    versions = [v for name, v in TEMPLATES if name == template]
    if not versions:
        names = ", ".join(sorted({name for name, _ in TEMPLATES}))
        raise InputError(f"unknown request template {template!r}; templates: {names}")
    return max(versions)


def validate_fields(
    template: str, version: int | None, fields: dict[str, Any]
) -> tuple[int, _Fields]:
    """(version used, validated fields); raises pydantic's ValidationError per field."""
    used = version if version is not None else latest(template)
    model = TEMPLATES.get((template, used))
    if model is None:
        latest(template)  # names the templates when the name itself is unknown
        raise InputError(
            f"template {template!r} has no version {used}; latest is {latest(template)}"
        )
    wrapper = create_model(f"{template} v{used}", fields=(model, ...))
    return used, wrapper.model_validate({"fields": fields}).fields  # type: ignore[attr-defined]


def describe() -> list[dict[str, Any]]:
    """Every template version with its JSON schema (for forms, `borderless request templates`)."""
    return [
        {"template": name, "version": version, "schema": model.model_json_schema()}
        for (name, version), model in sorted(TEMPLATES.items())
    ]
