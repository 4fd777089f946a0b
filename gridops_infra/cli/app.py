"""The `gridops` command: offline previews and the analyses that read them."""

from __future__ import annotations

import atexit
import gc
import sys

import typer

HELP = (
    "Preview, check, cost and time gridops stacks offline: no cloud account, no Pulumi CLI "
    "(`gridops baseline` alone reads a live account, read-only).\n\n"
    "A mistake in what you pass ends in one line on stderr (error: ...) and exit code 2; "
    "set GRIDOPS_DEBUG=1 to see the traceback behind any error."
)

app = typer.Typer(
    name="gridops",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(help=HELP)
def _root() -> None:
    """The command group; `help` above is what --help shows."""


def _register_commands() -> None:
    from gridops_infra.cli.commands import register_all

    register_all(app)


def main(argv: list[str] | None = None) -> None:
    # At exit the interpreter's final collections walk every object the imports left
    # (about a second); nothing needs them, so the survivors are frozen instead.
    atexit.register(gc.freeze)
    _register_commands()
    app(args=argv if argv is not None else sys.argv[1:], prog_name="gridops")


if __name__ == "__main__":
    main()
