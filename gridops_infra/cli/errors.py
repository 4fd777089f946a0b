"""How the `gridops` command reports: its consoles, and user mistakes as one line on
stderr with exit code 2 (a bug keeps its traceback)."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer
from rich.markup import escape

from gridops_infra.cli.console import console, err_console

__all__ = ["console", "debugging", "err_console", "friendly_errors", "user_error_message"]

F = TypeVar("F", bound=Callable[..., Any])

USER_ERROR_EXIT = 2
DEBUG_ENV = "GRIDOPS_DEBUG"


def debugging() -> bool:
    """GRIDOPS_DEBUG=1: every error keeps its traceback."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def user_error_message(exc: BaseException) -> str | None:
    """One line for a mistake the user can fix, or None for a bug (which keeps its traceback)."""
    import pulumi

    from gridops_infra.cli.commands.loading import ProgramError
    from gridops_infra.cli.commands.options import OptionError
    from gridops_infra.core.targets import TargetError
    from gridops_infra.core.validation import ArgError
    from gridops_infra.testing.mocks import DuplicateResourceError, StackReferenceError
    from gridops_infra.testing.project import ProjectError

    if isinstance(exc, ProgramError):
        return f"{exc} (set {DEBUG_ENV}=1 for the traceback)"
    if isinstance(exc, TargetError | ProjectError | ArgError | StackReferenceError | OptionError):
        return str(exc)
    if isinstance(exc, DuplicateResourceError):
        return str(exc)  # two resources of one type and name in the user's program
    if isinstance(exc, pulumi.ConfigMissingError):
        return f"missing required configuration key {exc.key!r} (set it in the stack file or with --config)"
    if isinstance(exc, pulumi.ConfigTypeError):
        return str(exc).strip()
    if isinstance(exc, pulumi.RunError):
        return str(exc).strip().splitlines()[0]
    if isinstance(exc, ValueError) and type(exc).__module__.startswith(("gridops_infra", "stacks")):
        return str(exc)
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return str(exc)
    return None


def one_line(message: str) -> str:
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


def friendly_errors(fn: F) -> F:
    """User mistakes end in one clear line on stderr and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except Exception as exc:
            message = None if debugging() else user_error_message(exc)
            if message is None:
                raise
            err_console.print(
                f"[bold red]error:[/] {escape(one_line(message))}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(USER_ERROR_EXIT) from None

    return wrapper  # type: ignore[return-value]
