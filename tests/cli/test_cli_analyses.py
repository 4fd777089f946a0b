"""`gridops cost|timing|graph` on the stages, with schema-stable JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridops_infra.analysis.cost.estimate import COST_REPORT_KEYS
from gridops_infra.analysis.timing.estimate import TIMING_REPORT_KEYS, UPDATE_REPORT_KEYS
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("stage", ["single-server", "express", "fargate", "eks"])
def test_cost_json_keys_and_total(stage: str) -> None:
    report = run_json("cost", stage)
    assert set(report) == set(COST_REPORT_KEYS)
    assert report["total_monthly_usd"] == pytest.approx(
        sum(line["monthly_usd"] for line in report["lines"]), abs=0.05
    )


def test_cost_comparison_between_stages() -> None:
    result = runner.invoke(app, ["cost", "fargate", "--vs", "single-server"])
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.output and "delta" in result.output


def test_cost_usage_file(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yaml"
    usage.write_text("nat_gateway_gb: 1000\n")
    heavy = run_json("cost", "fargate", "--usage", str(usage))
    light = run_json("cost", "fargate")
    assert heavy["total_monthly_usd"] > light["total_monthly_usd"]
    bad = runner.invoke(app, ["cost", "fargate", "--usage", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2 and "no such file" in bad.output


@pytest.mark.parametrize("stage", ["single-server", "express", "fargate", "eks"])
def test_timing_json_keys(stage: str) -> None:
    report = run_json("timing", stage)
    assert set(report) == {*TIMING_REPORT_KEYS, "warnings"}
    assert report["total_seconds"] >= report["floor_seconds"] > 0


def test_timing_update_touches_only_what_changed() -> None:
    report = run_json("timing", "fargate", "--update", "nat=single")
    assert set(report) == {*UPDATE_REPORT_KEYS, "warnings"}
    assert report["changes"]


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_graph_text_formats(fmt: str) -> None:
    result = runner.invoke(app, ["graph", "fargate", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert ("digraph" in result.output) if fmt == "dot" else ("flowchart" in result.output)


def test_graph_png(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("graphviz not installed (apt-get install graphviz)")
    out = tmp_path / "fargate.png"
    result = runner.invoke(app, ["graph", "fargate", "--format", "png", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    missing = runner.invoke(app, ["graph", "fargate", "--format", "png"])
    assert missing.exit_code == 2 and "--output" in missing.output
