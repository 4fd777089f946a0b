"""`gridops assess METRICS.yaml`: which growth triggers fire, which stage next, first steps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gridops_infra.cli.errors import friendly_errors


def register(app: typer.Typer) -> None:
    @app.command("assess")
    @friendly_errors
    def assess_command(
        metrics_file: Annotated[
            Path, typer.Argument(help="Measured baseline YAML (see examples/metrics/README.md).")
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the schema-stable JSON.")
        ] = False,
    ) -> None:
        """Growth triggers -> which fire, which stage to move to, which steps come first."""
        from gridops_infra.analysis.assess import assess, load_metrics

        result = assess(load_metrics(metrics_file))
        typer.echo(result.to_json() if as_json else result.render_text().rstrip("\n"))
