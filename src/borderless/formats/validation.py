"""One-line descriptions of pydantic validation errors, for file readers and API responses.

A `FormatError` or a 400 response should tell the caller which field is wrong in words they
can act on (``body.names.0.full: Field required``), not pydantic's multi-line report with
URLs and input dumps.
"""

from __future__ import annotations

from pydantic import ValidationError

# Prefixes pydantic puts before the message of an exception raised inside a validator.
_NOISE = ("Value error, ", "Assertion failed, ")


def _location(loc: tuple[int | str, ...], prefix: str) -> str:
    parts = [prefix] if prefix else []
    parts.extend(str(part) for part in loc)
    return ".".join(parts)


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """All errors of `exc` as ``field.path: message``, joined by ``"; "``.

    `prefix` is put before every location: a reader that validates a body on its own passes
    ``"body"`` so that the path reads as in the file.
    """
    described: list[str] = []
    for error in exc.errors(include_url=False, include_input=False):
        message = str(error["msg"])
        for noise in _NOISE:
            if message.startswith(noise):
                message = message[len(noise) :]
        where = _location(tuple(error["loc"]), prefix)
        text = f"{where}: {message}" if where else message
        if text not in described:
            described.append(text)
    return "; ".join(described)
