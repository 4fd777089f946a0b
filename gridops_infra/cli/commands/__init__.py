"""The `gridops` subcommands, one module each."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    from gridops_infra.cli.commands import (
        assess,
        baseline,
        check,
        cost,
        cost_diff,
        graph,
        migration,
        preview,
        timing,
    )

    for command in (preview, check, cost, cost_diff, timing, graph, assess, baseline, migration):
        command.register(app)
