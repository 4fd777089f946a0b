"""`gridops graph`: the architecture as DOT, Mermaid or PNG."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gridops_infra.cli.commands.loading import load_target_plan
from gridops_infra.cli.commands.options import (
    ConfigOpt,
    OptionError,
    Overrides,
    StackOpt,
    TargetArg,
)
from gridops_infra.cli.commands.paths import check_output_file, write_error
from gridops_infra.cli.errors import console, friendly_errors

OUTPUT_FLAG = "--output"


class Format(StrEnum):
    dot = "dot"
    mermaid = "mermaid"
    png = "png"


class LevelChoice(StrEnum):
    component = "component"
    resource = "resource"


def register(app: typer.Typer) -> None:
    @app.command("graph")
    @friendly_errors
    def graph_command(
        target: TargetArg = "fargate",
        stack: StackOpt = None,
        config: ConfigOpt = None,
        fmt: Annotated[
            Format, typer.Option("--format", "-f", help="dot, mermaid or png.")
        ] = Format.mermaid,
        level: Annotated[
            LevelChoice | None,
            typer.Option("--level", help="component (one box per component) or resource."),
        ] = None,
        output: Annotated[
            Path | None, typer.Option(OUTPUT_FLAG, "-o", help="Write here (required for png).")
        ] = None,
    ) -> None:
        """Draw TARGET grouped by component, edges from the dependency graph."""
        from gridops_infra.analysis import to_dot, to_mermaid, to_png

        chosen = level.value if level else None
        overrides = Overrides.parse(config)
        if fmt is Format.png and output is None:
            raise OptionError("--format png needs --output FILE.png")
        if output is not None:
            check_output_file(OUTPUT_FLAG, output)
        with console.status("Previewing...", spinner="dots"):
            _, plan = load_target_plan(target, stack, overrides)
        if fmt is Format.png:
            assert output is not None
            try:
                written = to_png(plan, output, level=chosen)  # type: ignore[arg-type]
            except RuntimeError as exc:
                raise OptionError(str(exc)) from None
            typer.echo(f"wrote {written}")
            return
        text = to_dot(plan, level=chosen) if fmt is Format.dot else to_mermaid(plan, level=chosen)  # type: ignore[arg-type]
        if output is not None:
            try:
                output.write_text(text)
            except OSError as exc:
                raise write_error(OUTPUT_FLAG, output, exc) from None
            typer.echo(f"wrote {output}")
        else:
            typer.echo(text)
