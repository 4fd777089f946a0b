"""`gridops assess` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


def test_assess_sample_recommends_fargate() -> None:
    result = runner.invoke(
        app, ["assess", str(ROOT / "examples/metrics/baseline-growing.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["recommended_stage"] == "fargate"
    assert [t["fired"] for t in data["triggers"]].count(True) == 3


def test_assess_bad_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("current_stage: moon\n")
    result = runner.invoke(app, ["assess", str(bad)])
    assert result.exit_code == 2
    assert "current_stage" in result.output and "Traceback" not in result.output


def test_assess_partial_sample_says_how_many_triggers_were_judged() -> None:
    result = runner.invoke(
        app, ["assess", str(ROOT / "examples/metrics/baseline-partial.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["judged_count"], data["action"]) == (2, "stay")
    assert "(2 of 4 triggers judged)" in data["recommendation"]
    assert [i["decision"] for i in data["rightsizing"]["items"]] == ["down", "up", "down", "down"]


def test_assess_both_campaign_forms_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text(
        "current_stage: fargate\nerror_rate_during_campaigns_percent: 1\nslo_objective: 0.99\n"
        "error_rate_during_campaigns_slo_multiple: 1\n"
    )
    result = runner.invoke(app, ["assess", str(bad)])
    assert result.exit_code == 2
    assert "are both given: keep one" in result.output and "Traceback" not in result.output
