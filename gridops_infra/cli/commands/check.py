"""`gridops check`: the policy pack against a stage's or project's Plan, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from gridops_infra.cli.commands.loading import load_references, load_target_plan
from gridops_infra.cli.commands.options import (
    ConfigOpt,
    OptionError,
    Overrides,
    ReferenceOpt,
    StackOpt,
    TargetArg,
    read_option_file,
)
from gridops_infra.cli.commands.warnings import with_warnings
from gridops_infra.cli.errors import console, friendly_errors

POLICY_FAILED_EXIT = 1
POLICY_CONFIG_FLAG = "--policy-config"


def load_enforcement(path: Path | None) -> dict[str, Any] | None:
    """The policy config file (JSON, as for `pulumi preview --policy-pack-config`), checked
    against the rules before anything is previewed."""
    if path is None:
        return None
    from gridops_infra.policy import resolve_enforcement

    where = f"{POLICY_CONFIG_FLAG} {path}"
    try:
        data = json.loads(read_option_file(POLICY_CONFIG_FLAG, path))
    except json.JSONDecodeError as exc:
        raise OptionError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise OptionError(
            f'{where}: expected a JSON object of rule name (or "all") -> level or settings'
        )
    try:
        resolve_enforcement(data)
    except ValueError as exc:
        raise OptionError(f"{where}: {exc}") from None
    return data


def register(app: typer.Typer) -> None:
    @app.command("check")
    @friendly_errors
    def check_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        reference: ReferenceOpt = None,
        policy_config: Annotated[
            Path | None,
            typer.Option(
                POLICY_CONFIG_FLAG,
                help="Enforcement levels/settings (JSON) as for "
                "`pulumi preview --policy-pack-config`.",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Run the gridops policy pack on TARGET; exit 1 on a mandatory violation."""
        from gridops_infra.policy import check_plan

        overrides = Overrides.parse(config)
        enforcement = load_enforcement(policy_config)
        with console.status("Previewing and checking...", spinner="dots"):
            references = load_references(reference)
            _, plan = load_target_plan(target, stack, overrides, references)
            report = check_plan(plan, enforcement=enforcement)
        if as_json:
            typer.echo(json.dumps(with_warnings(report.to_json(), plan), indent=2))
        else:
            typer.echo(report.render_text().rstrip("\n"))
        if not report.passed:
            raise typer.Exit(POLICY_FAILED_EXIT)
