"""What every command needs: settings, the node, who is acting, for what purpose, and output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from borderless.config import Settings
from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose
from borderless.errors import BorderlessError, InputError
from borderless.formats.validation import describe_validation_error
from borderless.services import directory
from borderless.services.node import OPERATOR, Node, open_node

err = Console(stderr=True)
out = Console()


@dataclass
class CliState:
    settings: Settings
    acting_user: str | None = None
    _node: Node | None = field(default=None, repr=False)

    @property
    def node(self) -> Node:
        if self._node is None:
            self._node = open_node(self.settings)
        return self._node

    def close(self) -> None:
        """Release the database connections when the command ends."""
        if self._node is not None:
            self._node.engine.dispose()

    def user(self) -> Principal:
        """The named user the CLI acts as for record reads and changes."""
        name = self.acting_user or self.settings.cli_user
        if not name:
            raise InputError("say who is acting: --as USERNAME (or BORDERLESS_CLI_USER)")
        return directory.principal_by_name(self.node, name)

    def user_or_operator(self) -> Principal:
        name = self.acting_user or self.settings.cli_user
        return directory.principal_by_name(self.node, name) if name else OPERATOR

    def importer(self, agency: str | None) -> Principal:
        """The named user, or else the operator acting as `agency`'s data manager."""
        name = self.acting_user or self.settings.cli_user
        if name:
            return directory.principal_by_name(self.node, name)
        if agency is None:
            raise InputError("name the owning agency with --agency (or act as a user with --as)")
        return directory.operator_for(self.node, agency)

    def purpose(self, given: Purpose | None) -> Purpose | None:
        return given or self.settings.default_purpose


def state(ctx: typer.Context) -> CliState:
    found = ctx.find_root().obj
    assert isinstance(found, CliState)
    return found


def fail(exc: BorderlessError) -> typer.Exit:
    err.print(f"[red]error[/red] ({exc.code}): {exc.message}", highlight=False)
    return typer.Exit(code=2 if exc.status < 500 else 1)


@contextmanager
def reported() -> Iterator[None]:
    """Turn our errors into a message on stderr and a non-zero exit."""
    try:
        yield
    except BorderlessError as exc:
        raise fail(exc) from None
    except ValidationError as exc:
        raise fail(InputError(describe_validation_error(exc))) from None


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> None:
    table = Table(*columns, title=title or None)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    out.print(table)


@contextmanager
def progress_bar(label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr; yields a callback taking the count done so far."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)
