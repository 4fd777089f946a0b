"""The `gridops` subcommands, one module each."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    from . import assess, preview

    preview.register(app)
    assess.register(app)
