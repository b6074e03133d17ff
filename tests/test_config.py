"""Settings: TOML file, then environment, then explicit values; secrets stay out of dumps."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from borderless.config import DEFAULT_RETENTION_DAYS, load_settings
from borderless.domain.codes import RecordKind


def test_file_then_environment_then_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "BORDERLESS_CONFIG",
        "BORDERLESS_PORT",
        "BORDERLESS_HIT_THRESHOLD",
        "BORDERLESS_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "node.toml"
    config.write_text(
        'port = 9000\nhit_threshold = 0.85\naudit_key = "s3cret"\n[retention_days]\nperson = 30\n'
    )
    monkeypatch.setenv("BORDERLESS_CONFIG", str(config))
    settings = load_settings(data_dir=tmp_path)
    assert settings.port == 9000
    assert settings.hit_threshold == 0.85
    assert settings.retention_days[RecordKind.PERSON] == 30
    assert settings.retention_days[RecordKind.CASE] == DEFAULT_RETENTION_DAYS[RecordKind.CASE]
    assert settings.audit_secret() == b"s3cret"
    assert "s3cret" not in settings.model_dump_json()
    monkeypatch.setenv("BORDERLESS_PORT", "9100")
    assert load_settings(data_dir=tmp_path).port == 9100
    assert load_settings(data_dir=tmp_path, port=9200).port == 9200
    assert load_settings(data_dir=tmp_path).database.startswith("sqlite:///")


def test_bad_configuration_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "node.toml"
    config.write_text("prot = 9000\n")
    monkeypatch.setenv("BORDERLESS_CONFIG", str(config))
    with pytest.raises(ValidationError, match="prot"):
        load_settings(data_dir=tmp_path)
    config.write_text("[retention_days]\nperson = 0\n")
    with pytest.raises(ValidationError, match="at least 1"):
        load_settings(data_dir=tmp_path)


def test_audit_key_is_created_once_outside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BORDERLESS_CONFIG", raising=False)
    monkeypatch.delenv("BORDERLESS_AUDIT_KEY", raising=False)
    settings = load_settings(data_dir=tmp_path)
    key = settings.audit_secret()
    assert len(key) == 64
    assert (tmp_path / "audit.key").stat().st_mode & 0o077 == 0
    assert load_settings(data_dir=tmp_path).audit_secret() == key
