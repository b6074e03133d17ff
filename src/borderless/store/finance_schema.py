"""Financial flows (issue 4): accounts and transactions laid out for vectorised analytics."""

from borderless.store.schema import metadata

__all__ = ["metadata"]
