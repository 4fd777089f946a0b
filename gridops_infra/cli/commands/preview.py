"""`gridops preview`: every resource a stage or project would create, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridops_infra.cli.commands.loading import load_references, load_target_plan
from gridops_infra.cli.commands.options import (
    ConfigOpt,
    Overrides,
    ReferenceOpt,
    StackOpt,
    TargetArg,
)
from gridops_infra.cli.commands.paths import check_output_dir, write_error
from gridops_infra.cli.errors import console, friendly_errors

OUTPUT_DIR_FLAG = "--output-dir"


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
            Path | None, typer.Option(OUTPUT_DIR_FLAG, "-o", help="Also write plan.json here.")
        ] = None,
    ) -> None:
        """Show the resource tree, counts by type and stack exports of TARGET."""
        overrides = Overrides.parse(config)
        if output_dir is not None:
            check_output_dir(OUTPUT_DIR_FLAG, output_dir)
        with console.status("Running the program under the offline engine...", spinner="dots"):
            resolved, plan = load_target_plan(target, stack, overrides, load_references(reference))
        if output_dir is not None:
            try:
                output_dir.mkdir(parents=True, exist_ok=True)
                (output_dir / "plan.json").write_text(plan.dumps())
            except OSError as exc:
                raise write_error(OUTPUT_DIR_FLAG, output_dir, exc) from None
        if json_output:
            typer.echo(plan.dumps())
            return
        from gridops_infra.cli.commands.render import (
            print_plan,  # the tree's modules load only for people, not --json
        )

        print_plan(console, plan, resolved.label)
        if output_dir is not None:
            console.print(f"Plan written to {output_dir / 'plan.json'}")
