"""The errors Borderless raises on purpose, each with an HTTP status and a stable code.

    BorderlessError
    ├── InputError (400)            a request or value is malformed
    │   ├── FormatError (400)       a file or message is malformed: names file and line/element
    │   └── PurposeRequired (400)   a read or change without a purpose from the fixed list
    ├── AuthenticationError (401)   no or bad credentials
    ├── PermissionDenied (403)      the role or the owner rule forbids it
    ├── NotFound (404)              nothing the caller may see has that id
    └── Conflict (409)              duplicate id, stale version, already exists

The API maps each class to its status in one handler table; the CLI prints the message and
exits non-zero.
"""

from __future__ import annotations

from pathlib import Path


class BorderlessError(Exception):
    status: int = 500
    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(BorderlessError):
    status = 400
    code = "invalid_input"


class FormatError(InputError):
    """A malformed file or message, located as precisely as the format allows."""

    code = "invalid_format"

    def __init__(self, path: str | Path, location: str | None, problem: str) -> None:
        self.path = str(path)
        self.location = location
        self.problem = problem
        where = f"{self.path}, {location}" if location else self.path
        super().__init__(f"{where}: {problem}")


class AuthenticationError(BorderlessError):
    status = 401
    code = "unauthenticated"


class PermissionDenied(BorderlessError):
    status = 403
    code = "forbidden"


class PurposeRequired(InputError):
    code = "purpose_required"


class NotFound(BorderlessError):
    status = 404
    code = "not_found"


class Conflict(BorderlessError):
    status = 409
    code = "conflict"
