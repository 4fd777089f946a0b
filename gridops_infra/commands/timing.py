"""`gridops timing`: estimated first-deploy time, and what an update would touch."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..cli import console, friendly_errors
from ..targets import load_plan, parse_config_pairs
from .options import ConfigOpt, StackOpt, TargetArg


def register(app: typer.Typer) -> None:
    @app.command("timing")
    @friendly_errors
    def timing_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        update: Annotated[
            list[str] | None,
            typer.Option(
                "--update",
                help="Estimate an update instead: config key=value changed (e.g. api_image=...).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Critical path through the dependency graph vs the slowest single resource."""
        from ..analysis import estimate_timing, estimate_update

        base_config = parse_config_pairs(config)
        with console.status("Previewing...", spinner="dots"):
            _, plan = load_plan(target, stack, base_config)
            if update:
                _, after = load_plan(target, stack, {**base_config, **parse_config_pairs(update)})
                report = estimate_update(plan, after)
            else:
                report = estimate_timing(plan)
        typer.echo(
            json.dumps(report.to_json(), indent=2) if as_json else report.render_text().rstrip("\n")
        )
