"""Importers and exporters. Readers are pure: file in, validated `RecordDraft`s out."""
