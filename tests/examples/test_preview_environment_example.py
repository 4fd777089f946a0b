"""examples/preview-environment: the README's commands run, and the figures it states are
what `gridops cost` prints for the preview and production stacks."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "examples" / "preview-environment" / "README.md"
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


def _commands() -> list[list[str]]:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S)
    return [shlex.split(line)[1:] for block in blocks for line in block.splitlines() if line]


def _monthly(stack: str) -> float:
    result = runner.invoke(app, ["cost", stack, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["total_monthly_usd"]


def test_the_readme_commands_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    commands = _commands()
    assert [c[:2] for c in commands] == [
        ["preview", "fargate-preview"],
        ["check", "fargate-preview"],
        ["cost", "fargate-preview"],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)


def test_the_readme_states_the_estimates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = README.read_text()
    preview, production = _monthly("fargate-preview"), _monthly("fargate")
    assert f"About ${preview:,.2f} a month" in text
    assert f"about ${preview * 72 / 730:,.2f} for a pull request open 3 days" in text
    assert f"is ${production:,.2f} a month" in text
