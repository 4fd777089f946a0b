"""`gridops cost`: monthly estimate per resource, per component and in total."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from gridops_infra.cli.commands.loading import check_target, load_target_plan
from gridops_infra.cli.commands.options import (
    ConfigOpt,
    OptionError,
    Overrides,
    StackOpt,
    TargetArg,
    read_option_file,
)
from gridops_infra.cli.commands.warnings import announce, with_warnings
from gridops_infra.cli.errors import console, friendly_errors
from gridops_infra.core.targets import TargetError
from gridops_infra.testing.project import ProjectError

USAGE_FLAG = "--usage"


def load_usage(path: Path | None) -> dict[str, Any] | None:
    """The usage assumptions file, checked (keys known, values numbers >= 0) before anything
    is previewed."""
    if path is None:
        return None
    from gridops_infra.analysis.cost.usage import check_usage

    where = f"{USAGE_FLAG} {path}"
    try:
        data = yaml.safe_load(read_option_file(USAGE_FLAG, path)) or {}
    except yaml.YAMLError as exc:
        raise OptionError(f"{where}: not valid YAML ({_yaml_problem(exc)})") from None
    if not isinstance(data, dict):
        raise OptionError(f"{where}: expected a mapping of usage keys to numbers")
    try:
        check_usage(data)
    except ValueError as exc:
        raise OptionError(f"{where}: {exc}") from None
    return data


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    return exc.__class__.__name__


def register(app: typer.Typer) -> None:
    @app.command("cost")
    @friendly_errors
    def cost_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        usage: Annotated[
            Path | None,
            typer.Option(USAGE_FLAG, help="YAML of usage assumptions (GB, requests...)."),
        ] = None,
        versus: Annotated[
            str | None, typer.Option("--vs", help="Another stage or project to compare with.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Monthly cost of TARGET from the shipped, dated price table."""
        from gridops_infra.analysis import compare, estimate_cost

        overrides = Overrides.parse(config)
        usage_data = load_usage(usage)
        if versus is not None:
            try:
                check_target(versus)
            except (TargetError, ProjectError, OptionError) as exc:
                raise OptionError(f"--vs {versus}: {exc}") from None
        with console.status("Previewing and pricing...", spinner="dots"):
            _, plan = load_target_plan(target, stack, overrides)
            report = estimate_cost(plan, usage_data)
            plans = [plan]
            if versus is not None:
                _, other_plan = load_target_plan(versus)
                plans.append(other_plan)
                other = estimate_cost(other_plan, usage_data)
                result: Any = compare(report, other)
                own_warnings = [*report.warnings, *other.warnings]
            else:
                result = report
                own_warnings = report.warnings
        if not as_json:
            typer.echo(result.render_text().rstrip("\n"))
            return
        announce(own_warnings)
        payload = with_warnings({**result.to_json(), "warnings": own_warnings}, *plans)
        typer.echo(json.dumps(payload, indent=2))
