"""The `gridops` command line: preview, check, cost, timing, graph, assess.

`main` stays importable from here, so a `gridops` script installed from an older checkout
(entry point `gridops_infra.cli:main`) still starts."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> None:
    from gridops_infra.cli.app import main as run

    run(argv)
