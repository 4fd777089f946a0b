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
from gridops_infra.cli.commands.sides import side, split_config
from gridops_infra.cli.commands.warnings import announce, with_warnings
from gridops_infra.cli.errors import console, friendly_errors, user_error_message
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
            typer.Option(
                USAGE_FLAG,
                help="YAML of usage assumptions (GB, requests...). With --vs: both sides.",
            ),
        ] = None,
        versus: Annotated[
            str | None,
            typer.Option(
                "--vs",
                help="Another stage or project to compare with, previewed with its own "
                "default stack (--stack names TARGET's). It gets the same --config and "
                "--usage; a stage config key only one side reads goes to that side, with a "
                "warning.",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        set_budget: Annotated[
            bool,
            typer.Option(
                "--set-budget",
                help="Write the monthly total into TARGET's stack file as "
                "gridops:monthly_estimate_usd, which the stage turns into an AWS Budget "
                "(StackBudget) at that plus headroom. Priced with the default usage, as the "
                "policy rule budget-below-estimate prices the Plan.",
            ),
        ] = False,
    ) -> None:
        """Monthly cost of TARGET from the shipped, dated price table."""
        from gridops_infra.analysis import estimate_cost

        overrides = Overrides.parse(config)
        usage_data = load_usage(usage)
        if set_budget:
            for given, flag in ((versus, "--vs"), (usage, USAGE_FLAG), (config, "--config")):
                if given:
                    raise OptionError(
                        f"--set-budget prices the stack as its file and the policy rule "
                        f"budget-below-estimate see it; {flag} would write an estimate "
                        "the stack does not have. Drop one of them."
                    )
        if versus is not None:
            _compare_command(target, stack, versus, overrides, usage, usage_data, as_json)
            return
        with console.status("Previewing and pricing...", spinner="dots"):
            resolved, plan = load_target_plan(target, stack, overrides)
            report = estimate_cost(plan, usage_data)
        if set_budget:
            from gridops_infra.cli.commands.budget_file import stack_file_of, write_estimate

            path = stack_file_of(resolved)
            value = write_estimate(path, report.total)
            console.print(
                f'Wrote gridops:monthly_estimate_usd: "{value}" to {path.name} '
                f"({resolved.label}); the budget's limit is that plus its headroom."
            )
        if not as_json:
            typer.echo(report.render_text().rstrip("\n"))
            return
        announce(report.warnings)
        payload = with_warnings({**report.to_json(), "warnings": report.warnings}, plan)
        typer.echo(json.dumps(payload, indent=2))


def _compare_command(
    target: str,
    stack: str | None,
    versus: str,
    overrides: Overrides,
    usage: Path | None,
    usage_data: dict[str, Any] | None,
    as_json: bool,
) -> None:
    """`cost TARGET --vs OTHER`: both sides priced with the same config and usage."""
    from gridops_infra.analysis import compare, estimate_cost

    try:
        side_b = side("B", versus)
        check_target(versus)
    except (TargetError, ProjectError, OptionError) as exc:
        raise OptionError(f"--vs {versus}: {exc}") from None
    side_a = side("A", target, stack)
    (config_a, config_b), split_warnings = split_config(overrides, [side_a, side_b])
    with console.status("Previewing and pricing...", spinner="dots"):
        _, plan_a = load_target_plan(target, stack, config_a)
        try:
            _, plan_b = load_target_plan(versus, None, config_b)
        except ValueError as exc:
            message = user_error_message(exc)
            if message is None:
                raise
            raise OptionError(f"--vs {versus}: {message}") from exc
        comparison = compare(estimate_cost(plan_a, usage_data), estimate_cost(plan_b, usage_data))
    comparison.warnings[:0] = split_warnings
    comparison.notes.extend(_given_to_both(config_a, config_b, usage))
    if not as_json:
        typer.echo(comparison.render_text().rstrip("\n"))
        return
    announce(comparison.warnings)
    typer.echo(json.dumps(with_warnings(comparison.to_json(), plan_a, plan_b), indent=2))


def _given_to_both(config_a: Overrides, config_b: Overrides, usage: Path | None) -> list[str]:
    """What both sides were given, for the comparison's notes (config keys, never values:
    a value may be a secret). A key only one side got is in the warnings."""
    notes = []
    both = [key for key in config_a.values if key in config_b.values]
    if both:
        notes.append(f"--config for both sides: {', '.join(both)}")
    if usage is not None:
        notes.append(f"usage for both sides: {USAGE_FLAG} {usage}")
    else:
        notes.append("usage for both sides: the defaults (see each report's assumptions)")
    return notes
