"""Borderless: shared records under their owners' rules, for agencies working across borders."""

__version__ = "0.1.0"
