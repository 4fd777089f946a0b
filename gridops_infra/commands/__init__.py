"""The `gridops` subcommands, one module each."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    from . import assess, check, preview

    preview.register(app)
    check.register(app)
    assess.register(app)
