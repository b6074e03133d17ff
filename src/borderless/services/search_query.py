"""What a frontline query may contain, validated at the edge (API, CLI options, batch lines)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from borderless.domain.codes import DocumentType, Gender, Modality
from borderless.domain.records import Country, PartialDate


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonCriteria(_Part):
    name: str | None = Field(default=None, max_length=500, description="full name, any script")
    given_name: str | None = None
    family_name: str | None = None
    birth_date: PartialDate | None = None
    nationality: Country | None = None
    gender: Gender | None = None

    @property
    def full_name(self) -> str | None:
        parts = [p for p in (self.given_name, self.family_name) if p]
        return self.name or (" ".join(parts) if parts else None)

    @model_validator(mode="after")
    def _named(self) -> PersonCriteria:
        if not self.full_name:
            raise ValueError("a person query needs a name (name, or given_name/family_name)")
        return self


class DocumentCriteria(_Part):
    number: str | None = Field(default=None, max_length=100)
    country: Country | None = None
    document_type: DocumentType | None = None
    mrz: list[str] | None = Field(default=None, description="the 2 or 3 MRZ lines")

    @model_validator(mode="after")
    def _given(self) -> DocumentCriteria:
        if not (self.number or self.mrz):
            raise ValueError("a document query needs a number or MRZ lines")
        return self


class VehicleCriteria(_Part):
    vin: str | None = Field(default=None, max_length=32)
    plate: str | None = Field(default=None, max_length=32)
    country: Country | None = None

    @model_validator(mode="after")
    def _given(self) -> VehicleCriteria:
        if not (self.vin or self.plate):
            raise ValueError("a vehicle query needs a VIN or a plate")
        return self


class FirearmCriteria(_Part):
    serial: str = Field(min_length=1, max_length=100)
    make: str | None = None


class AccountCriteria(_Part):
    iban: str | None = Field(default=None, max_length=42)
    number: str | None = Field(default=None, max_length=64)
    bic: str | None = None

    @model_validator(mode="after")
    def _given(self) -> AccountCriteria:
        if not (self.iban or self.number):
            raise ValueError("an account query needs an IBAN or an account number")
        return self


class BiometricCriteria(_Part):
    vector: list[float] = Field(min_length=8, max_length=4096)
    modality: Modality = Modality.FACE
    algorithm: str | None = None


class SearchRequest(_Part):
    """Any combination of parts; each part finds the records of its kinds."""

    person: PersonCriteria | None = None
    document: DocumentCriteria | None = None
    vehicle: VehicleCriteria | None = None
    firearm: FirearmCriteria | None = None
    account: AccountCriteria | None = None
    biometric: BiometricCriteria | None = None
    limit: int = Field(default=20, ge=1, le=200)
    threshold: float | None = Field(default=None, ge=0, le=1, description="default: the node's")

    @model_validator(mode="after")
    def _something(self) -> SearchRequest:
        parts = (self.person, self.document, self.vehicle, self.firearm, self.account)
        if not any(parts) and self.biometric is None:
            raise ValueError(
                "give at least one of person, document, vehicle, firearm, account, biometric"
            )
        return self


class HitOut(BaseModel):
    """One hit: what the caller may see of the record, its score, and why it matched."""

    id: str
    kind: str
    owner: str
    owner_country: str
    owner_name: str
    access: str  # "full" or "reference" (hit-only: ask the owner)
    score: float
    reasons: list[str]
    actions: list[str]
    notices: list[dict[str, Any]]
    label: str | None = None
    source: dict[str, Any] | None = None
    record: dict[str, Any] | None = None  # the body, when the caller may see it whole
    contact: str | None = None


class SearchResponse(BaseModel):
    hits: list[HitOut]
    threshold: float
    took_ms: float
    mrz: dict[str, Any] | None = None  # the parsed MRZ with its check-digit results
