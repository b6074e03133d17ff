"""Passenger data (issue 3): flights, travellers, bookings, screening, rules, hit decisions."""

from borderless.store.schema import metadata

__all__ = ["metadata"]
