"""`gridops cost-diff BASE.json HEAD.json`: the change in monthly cost between two saved
`gridops cost --json` reports (a pull request's base and head), per component and in
total; `--markdown` for a pull-request comment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from gridops_infra.cli.commands.options import OptionError, read_option_file
from gridops_infra.cli.errors import friendly_errors


def _load(side: str, path: Path) -> object:
    text = read_option_file(side, path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OptionError(
            f"{side} {path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); write it "
            "with `gridops cost TARGET --json > FILE`"
        ) from None


def register(app: typer.Typer) -> None:
    @app.command("cost-diff")
    @friendly_errors
    def cost_diff_command(
        base: Annotated[Path, typer.Argument(help="`gridops cost --json` of the base (old).")],
        head: Annotated[Path, typer.Argument(help="`gridops cost --json` of the head (new).")],
        base_label: Annotated[
            str, typer.Option("--base-label", help="Name of the base column.")
        ] = "base",
        head_label: Annotated[
            str, typer.Option("--head-label", help="Name of the head column.")
        ] = "head",
        markdown: Annotated[
            bool, typer.Option("--markdown", help="A Markdown table for a PR comment.")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the diff as JSON.")] = False,
    ) -> None:
        """Monthly cost of HEAD against BASE, per component: old, new, change and total."""
        from gridops_infra.analysis.cost.diff import diff_reports, read_report, render_markdown

        if markdown and as_json:
            raise OptionError("--markdown and --json: choose one")
        if base_label == head_label:
            raise OptionError(f"--base-label and --head-label are both {base_label!r}")
        comparison = diff_reports(
            read_report(f"BASE {base}", _load("BASE", base)),
            read_report(f"HEAD {head}", _load("HEAD", head)),
            base_label=base_label,
            head_label=head_label,
        )
        if as_json:
            typer.echo(json.dumps(comparison.to_json(), indent=2))
        elif markdown:
            typer.echo(render_markdown(comparison))
        else:
            typer.echo(comparison.render_text().rstrip("\n"))
