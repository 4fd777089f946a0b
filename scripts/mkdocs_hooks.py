"""MkDocs hooks for the documentation site: the CLI reference, generated from the `gridops`
command's own definition when the site is built."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = str(Path(__file__).resolve().parents[1])

CLI_MARKER = "<!-- gridops-cli-reference -->"


def cli_reference() -> str:
    """Markdown for every `gridops` subcommand: its help, usage, arguments and options."""
    import typer.main

    cli = _cli_module()
    if not cli.app.registered_commands:
        cli._register_commands()  # what `gridops` itself does before it parses arguments
    group = typer.main.get_command(cli.app)
    commands = getattr(group, "commands", None)
    if not commands:
        raise RuntimeError("the gridops CLI has no subcommands to document")
    # Typer carries its own copy of click: contexts come from the commands' own classes.
    root = group.context_class(group, info_name="gridops")
    sections: list[str] = []
    for name, command in commands.items():
        context = command.context_class(command, info_name=name, parent=root)
        usage = " ".join(["gridops", name, *command.collect_usage_pieces(context)])
        lines = [f"## `gridops {name}`", "", command.help or "", "", "```text", usage, "```"]
        rows = [param.get_help_record(context) for param in command.params]
        rows = [row for row in rows if row]
        if rows:
            lines += ["", "| argument or option | meaning |", "|---|---|"]
            lines += [f"| `{flags}` | {_cell(text)} |" for flags, text in rows]
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


def _cli_module() -> ModuleType:
    """The module holding the `gridops` Typer app (`cli/app.py` in a `cli` package), from
    this checkout whatever else the environment has installed (MkDocs resets `sys.path`
    after loading the hooks, so it is set here)."""
    if sys.path[:1] != [ROOT]:
        sys.path.insert(0, ROOT)
    try:
        return importlib.import_module("gridops_infra.cli.app")
    except ModuleNotFoundError:
        return importlib.import_module("gridops_infra.cli")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def on_page_markdown(markdown: str, **_: Any) -> str:
    if CLI_MARKER not in markdown:
        return markdown
    return markdown.replace(CLI_MARKER, cli_reference())
