"""scripts/estimate-figures: one row per stage from `gridops cost/timing --json`, the p50-p90
range when timing gives it, and a clear error when a figure is missing."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "estimate-figures"


def load_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("estimate_figures", str(SCRIPT))
    spec = importlib.util.spec_from_loader("estimate_figures", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    loader.exec_module(module)
    return module


figures = load_script()

if not app.registered_commands:
    register_all(app)

COST = {
    "total_monthly_usd": 1096.234,
    "usage_monthly_usd": 51.79,
    "not_priced": [{"name": "x"}],
    "price_table": {"region": "us-east-1", "as_of": "2026-06-01"},
}


def test_a_timing_range_fills_both_columns() -> None:
    timing = {
        "total_seconds": 900.0,
        "total_p50_seconds": 900.0,
        "total_p90_seconds": 1330.0,
        "resource_count": 180,
    }
    row = figures.figures_from("fargate", COST, timing)
    assert (row.p50_seconds, row.p90_seconds, row.not_priced) == (900.0, 1330.0, 1)
    table = figures.render_table([row])
    assert "| fargate | $1,096.23 | $51.79 | 1 | 15m | 22m 10s | 180 |" in table
    assert "us-east-1 on-demand as of 2026-06-01" in table
    assert "    gridops timing fargate --json" in table


def test_one_timing_figure_is_p50_with_p90_not_available() -> None:
    row = figures.figures_from("eks", COST, {"total_seconds": 65.0, "resource_count": 3})
    assert row.p90_seconds is None
    assert "| eks | $1,096.23 | $51.79 | 1 | 1m 05s | n/a | 3 |" in figures.render_table([row])


def test_a_missing_field_is_named() -> None:
    with pytest.raises(figures.FiguresError, match="stage eks: the JSON has no 'resource_count'"):
        figures.figures_from("eks", COST, {"total_seconds": 1.0})


def test_the_figures_are_what_the_commands_print(capsys: pytest.CaptureFixture[str]) -> None:
    assert figures.main(["--stage", "single-server", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    # The script runs the commands in their own processes; the reference figure needs no
    # third one.
    printed = CliRunner().invoke(app, ["cost", "single-server", "--json"])
    assert printed.exit_code == 0, printed.output
    cost = json.loads(printed.stdout)
    assert row["monthly_usd"] == cost["total_monthly_usd"] > 0
    assert row["price_as_of"] == cost["price_table"]["as_of"]
    assert row["p50_seconds"] > 0 and row["resources"] > 0


def test_a_root_that_is_not_a_checkout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        figures.main(["--root", str(tmp_path)])
    assert stopped.value.code == 2
