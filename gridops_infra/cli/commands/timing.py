"""`gridops timing`: estimated first-deploy time, and what an update would touch."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from gridops_infra.cli.commands.loading import check_target, load_target_plan
from gridops_infra.cli.commands.options import ConfigOpt, Overrides, StackOpt, TargetArg
from gridops_infra.cli.commands.warnings import with_warnings
from gridops_infra.cli.errors import console, friendly_errors

UPDATE_FLAG = "--update"


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
                UPDATE_FLAG,
                help="Estimate an update instead: config key=value changed (e.g. api_image=...).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Critical path through the dependency graph vs the slowest single resource."""
        from gridops_infra.analysis import estimate_timing, estimate_update

        base = Overrides.parse(config)
        changed = Overrides.parse(update, UPDATE_FLAG)
        check_target(target, stack, base)
        check_target(target, stack, base.merged(changed))
        with console.status("Previewing...", spinner="dots"):
            _, plan = load_target_plan(target, stack, base)
            if update:
                _, after = load_target_plan(target, stack, base.merged(changed))
                report = estimate_update(plan, after)
            else:
                report = estimate_timing(plan)
        plans = (plan, after) if update else (plan,)
        typer.echo(
            json.dumps(with_warnings(report.to_json(), *plans), indent=2)
            if as_json
            else report.render_text().rstrip("\n")
        )
