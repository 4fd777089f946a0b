"""Warnings reach people and machines alike: every one goes to stderr as it is found, and
every command's `--json` carries the same lines under `warnings`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.markup import escape

if TYPE_CHECKING:
    from gridops_infra.testing import Plan


def announce(warnings: Iterable[str]) -> None:
    """Print each warning once on stderr, one line each (a pipe reading stdout misses none)."""
    from gridops_infra.cli.console import err_console

    for warning in dict.fromkeys(warnings):
        err_console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def with_warnings(payload: dict[str, Any], *plans: Plan) -> dict[str, Any]:
    """`payload` with the plans' warnings first in its `warnings` list (the report's own
    warnings, if any, follow), each line once."""
    own = payload.get("warnings", [])
    lines = [w for plan in plans for w in plan.warnings] + list(own)
    return {**payload, "warnings": list(dict.fromkeys(lines))}
