"""Settings: one validated object, built once and passed down (never read at import time).

Sources, strongest first: keyword arguments, environment variables (``BORDERLESS_*``), a TOML
file (``BORDERLESS_CONFIG`` or ``<data_dir>/borderless.toml``), defaults.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from borderless.domain.codes import Purpose, RecordKind

DEFAULT_RETENTION_DAYS: dict[RecordKind, int] = {
    RecordKind.PERSON: 5 * 365,
    RecordKind.DOCUMENT: 10 * 365,
    RecordKind.VEHICLE: 10 * 365,
    RecordKind.FIREARM: 20 * 365,
    RecordKind.BIOMETRIC: 5 * 365,
    RecordKind.ORGANISATION: 5 * 365,
    RecordKind.ACCOUNT: 5 * 365,
    RecordKind.TRANSACTION: 5 * 365,
    RecordKind.NOTICE: 5 * 365,
    RecordKind.CASE: 10 * 365,
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BORDERLESS_", extra="forbid")

    data_dir: Path = Path("data")
    database_url: str | None = None  # default: SQLite file under data_dir
    audit_key: SecretStr | None = Field(default=None, exclude=True)  # default: data_dir/audit.key
    host: str = "127.0.0.1"
    port: int = 8000
    cli_user: str | None = None  # the user the CLI acts as for record commands
    default_purpose: Purpose | None = None  # the CLI's purpose when --purpose is not given
    retention_days: dict[RecordKind, int] = Field(
        default_factory=lambda: dict(DEFAULT_RETENTION_DAYS)
    )

    @field_validator("retention_days")
    @classmethod
    def _complete_retention(cls, value: dict[RecordKind, int]) -> dict[RecordKind, int]:
        """Configuring some kinds keeps the defaults for the others."""
        if any(days < 1 for days in value.values()):
            raise ValueError("retention days must be at least 1")
        return {**DEFAULT_RETENTION_DAYS, **value}

    retention_interval_s: int = 3600  # how often the server purges expired records; 0 = never
    webhook_interval_s: int = 15  # how often the server posts due webhooks; 0 = never
    # Passenger data (API/PNR): depersonalised after ~6 months, deleted after 5 years (EU PNR
    # Directive art. 12); the server applies both every `retention_interval_s`.
    passenger_mask_days: int = Field(default=183, ge=1)
    passenger_delete_days: int = Field(default=5 * 365, ge=1)
    page_size_max: int = 1000
    # how long an API server process trusts a token it looked up (0 = look up every request);
    # also how long a revocation made elsewhere (another worker, the CLI) may take to apply
    auth_cache_s: float = Field(default=2.0, ge=0, le=60)
    hit_threshold: float | None = Field(default=None, ge=0, le=1)  # None: the matcher's default
    log_json: bool = True
    log_level: str = "INFO"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'borderless.db').resolve()}"

    def audit_secret(self) -> bytes:
        """The key that authenticates the audit chain; created on first use, kept outside the DB."""
        if self.audit_key is not None:
            return self.audit_key.get_secret_value().encode()
        path = self.data_dir / "audit.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        return path.read_text().strip().encode()


def shared_data_dir() -> Path:
    """The real public data (lists, messages) beside the checkout, or BORDERLESS_SHARED_DATA."""
    configured = os.environ.get("BORDERLESS_SHARED_DATA")
    if configured:
        return Path(configured)
    return (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()


def load_settings(**overrides: Any) -> Settings:
    """Settings from the config file (if any), then the environment, then `overrides`."""
    env_file = os.environ.get("BORDERLESS_CONFIG")
    data_dir = Path(overrides.get("data_dir") or os.environ.get("BORDERLESS_DATA_DIR", "data"))
    path = Path(env_file) if env_file else data_dir / "borderless.toml"
    from_file: dict[str, Any] = {}
    if path.exists():
        from_file = tomllib.loads(path.read_text())
    env_keys = {k[len("BORDERLESS_") :].lower() for k in os.environ if k.startswith("BORDERLESS_")}
    merged = {k: v for k, v in from_file.items() if k not in env_keys}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**merged)
