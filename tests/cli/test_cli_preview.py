"""`gridops preview` as a user meets it: tree, counts, exports, JSON, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridops_infra.cli.app import app, main

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _commands() -> None:
    from gridops_infra.cli.commands import register_all

    if not app.registered_commands:
        register_all(app)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_preview_fargate_prints_tree_counts_and_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke("preview", "fargate")
    assert result.exit_code == 0, result.output
    assert "Offline preview of stage fargate" in result.output
    assert "gridops:aws:Network" in result.output
    assert "aws:ec2/vpc:Vpc" in result.output
    assert "Resources by type" in result.output
    assert "vpc_id" in result.output


def test_preview_json_is_the_plan(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke("preview", "fargate", "--json", "--output-dir", str(tmp_path))
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["stack"] == "fargate"
    assert data["resource_count"] == sum(data["counts_by_type"].values())
    assert json.loads((tmp_path / "plan.json").read_text()) == data


def test_config_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke("preview", "fargate", "--json", "--config", "nat=single")
    assert json.loads(result.output)["counts_by_type"]["aws:ec2/natGateway:NatGateway"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["preview", "no-such-stage"], "unknown stage or project directory 'no-such-stage'"),
        (["preview", "fargate", "--config", "az_count=9"], "az_count=9 is not allowed"),
        (["preview", "fargate", "--config", "stage=mars"], "unknown stage 'mars'"),
        (["preview", "fargate", "--config", "broken"], "expected key=value"),
        (["preview", "fargate", "--stack", "nosuch"], "stacks/Pulumi.nosuch.yaml does not exist"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) <= 3


def test_preview_of_a_project_directory(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: tiny\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  tiny:queue: orders\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi, pulumi_aws as aws\n"
        "q = aws.sqs.Queue(pulumi.Config().require('queue'))\n"
        "pulumi.export('url', q.url)\n"
    )
    result = invoke("preview", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "orders" in result.output and "aws:sqs/queue:Queue" in result.output


def test_console_script_end_to_end_from_another_directory(tmp_path: Path) -> None:
    """The installed `gridops` finds the root project even outside the checkout."""
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gridops_infra.cli.app import main; main()",
            "preview",
            "single-server",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "stage single-server" in proc.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gridops_infra.cli.app import main; main()",
            "preview",
            "nowhere",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: unknown stage")
    assert callable(main)
