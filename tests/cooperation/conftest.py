"""The API fixtures (`client`, `auth`) for the HTTP tests of cooperation."""

from tests.api.conftest import api_node, auth, client

__all__ = ["api_node", "auth", "client"]
