"""`gridops cost TARGET --set-budget`: the monthly total written into the stack file as
gridops:monthly_estimate_usd (other lines kept as written), replaced on a rerun, and
refused with the options that would price a stack the file does not describe."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all
from gridops_infra.cli.commands.budget_file import write_estimate

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "mvp"
    shutil.copytree(ROOT / "examples" / "single-server-mvp", target)
    return target


def test_the_estimate_lands_in_the_stack_file_and_is_replaced_on_rerun(project: Path) -> None:
    stack_file = project / "Pulumi.dev.yaml"
    before = stack_file.read_text()
    result = runner.invoke(app, ["cost", str(project), "--set-budget"])
    assert result.exit_code == 0, result.output
    total = json.loads(runner.invoke(app, ["cost", str(project), "--json"]).output)[
        "total_monthly_usd"
    ]
    written = stack_file.read_text()
    assert written.startswith(before.rstrip("\n"))
    assert yaml.safe_load(written)["config"]["gridops:monthly_estimate_usd"] == f"{total:.2f}"
    assert runner.invoke(app, ["cost", str(project), "--set-budget"]).exit_code == 0
    assert stack_file.read_text().count("gridops:monthly_estimate_usd") == 1


def test_an_existing_value_is_replaced_in_place(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.prod.yaml"
    path.write_text(
        'config:\n  aws:region: us-east-1\n  gridops:monthly_estimate_usd: "10.00"\n'
        "  gridops:stage: fargate\n"
    )
    assert write_estimate(path, 1171.3) == "1171.30"
    assert path.read_text() == (
        'config:\n  aws:region: us-east-1\n  gridops:monthly_estimate_usd: "1171.30"\n'
        "  gridops:stage: fargate\n"
    )


@pytest.mark.parametrize(
    ("extra", "flag"),
    [
        (["--vs", "express"], "--vs"),
        (["--config", "gridops:az_count=3"], "--config"),
    ],
)
def test_options_that_change_the_priced_stack_are_refused(project: Path, extra, flag) -> None:
    before = (project / "Pulumi.dev.yaml").read_text()
    result = runner.invoke(app, ["cost", str(project), "--set-budget", *extra])
    assert result.exit_code != 0
    assert flag in result.output and "--set-budget" in result.output
    assert (project / "Pulumi.dev.yaml").read_text() == before
