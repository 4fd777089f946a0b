"""`gridops cost`: monthly estimate per resource, per component and in total."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from ..cli import console, friendly_errors
from ..targets import TargetError, load_plan, parse_config_pairs
from .options import ConfigOpt, StackOpt, TargetArg


def load_usage(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    if not path.is_file():
        raise TargetError(f"--usage {path}: no such file")
    data = yaml.safe_load(path.read_text()) or {}
    if not isinstance(data, dict):
        raise TargetError(f"--usage {path}: expected a mapping of usage keys to numbers")
    return data


def register(app: typer.Typer) -> None:
    @app.command("cost")
    @friendly_errors
    def cost_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        usage: Annotated[
            Path | None,
            typer.Option("--usage", help="YAML of usage assumptions (GB, requests...)."),
        ] = None,
        versus: Annotated[
            str | None, typer.Option("--vs", help="Another stage or project to compare with.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Monthly cost of TARGET from the shipped, dated price table."""
        from ..analysis import compare, estimate_cost

        usage_data = load_usage(usage)
        with console.status("Previewing and pricing...", spinner="dots"):
            _, plan = load_plan(target, stack, parse_config_pairs(config))
            report = estimate_cost(plan, usage_data)
            if versus is not None:
                _, other_plan = load_plan(versus)
                result: Any = compare(report, estimate_cost(other_plan, usage_data))
            else:
                result = report
        typer.echo(
            json.dumps(result.to_json(), indent=2) if as_json else result.render_text().rstrip("\n")
        )
