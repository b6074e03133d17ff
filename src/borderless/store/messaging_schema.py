"""Cooperation (issue 5): threads, structured requests, notices under review, cases."""

from borderless.store.schema import metadata

__all__ = ["metadata"]
