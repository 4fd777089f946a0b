"""The `gridops` command's two consoles: results on stdout, diagnostics on stderr."""

from rich.console import Console

console = Console()
err_console = Console(stderr=True)
