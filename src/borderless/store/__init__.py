"""Database schema, migrations and repositories; the same code serves SQLite and PostgreSQL."""
