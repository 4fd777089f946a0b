"""Arguments every command that reads a Plan shares."""

from __future__ import annotations

from typing import Annotated

import typer

TargetArg = Annotated[
    str, typer.Argument(help="A stage (single-server, fargate, eks) or a Pulumi project directory.")
]
StackOpt = Annotated[
    str | None,
    typer.Option("--stack", "-s", help="Stack name. Default: the stage's own, else dev."),
]
ConfigOpt = Annotated[
    list[str] | None,
    typer.Option("--config", "-c", help="Override a config value: key=value (repeatable)."),
]
ReferenceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reference",
        "-r",
        help="Answer a StackReference offline: NAME=DIR[:STACK] previews DIR first (repeatable).",
    ),
]
