"""`gridops check`: the policy pack against a stage's or project's Plan, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..cli import console, friendly_errors
from ..targets import load_plan, parse_config_pairs
from .options import ConfigOpt, StackOpt, TargetArg

POLICY_FAILED_EXIT = 1


def register(app: typer.Typer) -> None:
    @app.command("check")
    @friendly_errors
    def check_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        policy_config: Annotated[
            Path | None,
            typer.Option(
                "--policy-config",
                help="Enforcement levels/settings as for `pulumi preview --policy-pack-config`.",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Run the gridops policy pack on TARGET; exit 1 on a mandatory violation."""
        from ..policy import check_plan

        enforcement = json.loads(policy_config.read_text()) if policy_config else None
        with console.status("Previewing and checking...", spinner="dots"):
            _, plan = load_plan(target, stack, parse_config_pairs(config))
            report = check_plan(plan, enforcement=enforcement)
        typer.echo(report.dumps() if as_json else report.render_text().rstrip("\n"))
        if not report.passed:
            raise typer.Exit(POLICY_FAILED_EXIT)
