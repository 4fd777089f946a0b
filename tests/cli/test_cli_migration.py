"""`gridops migration FROM TO`: the plan as a table and as JSON, and a user's mistake (an
unknown stage, a move down, the same stage, a bad option) as one line with exit code 2,
refused before any stage is previewed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gridops_infra.analysis.migration import parse_weights
from gridops_infra.analysis.migration.plan import MIGRATION_PLAN_KEYS
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import loading, register_all
from gridops_infra.cli.console import console

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _in_repo() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.delenv("GRIDOPS_DEBUG", raising=False)
        # wide enough that no table cell wraps a phrase the tests look for
        patch.setattr(console, "_width", 400)
        yield


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["migration", *args])


def test_the_plan_prints_every_step_with_its_cost_time_and_gate() -> None:
    result = invoke("single-server", "fargate", "--database-size-gb", "20")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Moving single-server -> fargate moves the data and the traffic")
    for text in (
        "Stand up fargate beside single-server",
        "Start replication: full load",
        "Shift 10 % of traffic to fargate",
        "Shift 100 % of traffic to fargate",
        "Declare done",
        "Drain single-server's queues",
        "Tear down single-server",
        "2h 00m",  # 20 GB at the default 10 GB/hour
        "PostgresReplication (DMS Serverless) $167.90",
        "DMS CDC latency on the target stays under 60 s",
        "After the move:",
        "https://aws.amazon.com/dms/pricing/",
    ):
        assert text in out, text


def test_json_carries_the_schema_and_the_options() -> None:
    result = invoke(
        "single-server", "fargate", "--steps", "5,25,100", "--bake-minutes", "20", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert tuple(data) == MIGRATION_PLAN_KEYS
    assert data["moves_data"] is True
    shifts = [s for s in data["steps"] if s["key"].startswith("shift_")]
    assert [s["key"] for s in shifts] == ["shift_5", "shift_25", "shift_100"]
    assert {s["duration_seconds"] for s in shifts} == {1200}
    shared = json.loads(invoke("fargate", "eks", "--bake-minutes", "20", "--json").stdout)
    assert shared["shares_tier"]
    (move,) = [s for s in shared["steps"] if s["key"] == "move_name"]
    assert move["duration_seconds"] == 1200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eks", "fargate"], "eks -> fargate moves down a stage"),
        (["fargate", "fargate"], "fargate -> fargate: the same stage"),
        (["singel-server", "eks"], "did you mean 'single-server'?"),
        (["single-server", "fargate", "--steps", "10,50"], "the last weight must be 100"),
        (["single-server", "fargate", "--replication-dcus", "5"], "--replication-dcus 5"),
        (["single-server", "fargate", "--config", "nope"], "--config 'nope': expected key=value"),
    ],
)
def test_mistakes_are_one_line_before_anything_is_previewed(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_preview(*_: object, **__: object) -> None:
        raise AssertionError("a refused command previewed a stage")

    monkeypatch.setattr(loading, "preview", no_preview)
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_the_options_default_to_the_plans_own_assumptions() -> None:
    import typer.main

    from gridops_infra.analysis.migration import MigrationOptions

    command = typer.main.get_command(app).commands["migration"]  # type: ignore[attr-defined]
    shown = {p.name: p.default for p in command.params}
    assumed = MigrationOptions()
    assert parse_weights(shown["steps"]) == assumed.weights
    for name in (
        "bake_minutes",
        "full_load_gb_per_hour",
        "replication_dcus",
        "replication_multi_az",
        "max_lag_seconds",
        "lag_hold_minutes",
        "dns_ttl_seconds",
        "dns_queries_million",
        "dlq_messages",
        "database_size_gb",
    ):
        assert shown[name] == getattr(assumed, name), name


def test_the_command_starts_without_loading_pulumi() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from gridops_infra.cli.app import _register_commands; "
        "_register_commands(); print('pulumi' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
