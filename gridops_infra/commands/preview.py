"""`gridops preview`: every resource a stage or project would create, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..cli import console, friendly_errors
from ..targets import load_plan, parse_config_pairs, parse_references
from .options import ConfigOpt, ReferenceOpt, StackOpt, TargetArg
from .render import print_plan


def register(app: typer.Typer) -> None:
    @app.command("preview")
    @friendly_errors
    def preview_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        reference: ReferenceOpt = None,
        json_output: Annotated[
            bool, typer.Option("--json", help="Print the Plan as JSON instead of the tree.")
        ] = False,
        output_dir: Annotated[
            Path | None, typer.Option("--output-dir", "-o", help="Also write plan.json here.")
        ] = None,
    ) -> None:
        """Show the resource tree, counts by type and stack exports of TARGET."""
        with console.status("Running the program under the offline engine...", spinner="dots"):
            resolved, plan = load_plan(
                target, stack, parse_config_pairs(config), parse_references(reference)
            )
        if output_dir is not None:
            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / "plan.json").write_text(plan.dumps())
        if json_output:
            typer.echo(plan.dumps())
            return
        print_plan(console, plan, resolved.label)
        if output_dir is not None:
            console.print(f"Plan written to {output_dir / 'plan.json'}")
