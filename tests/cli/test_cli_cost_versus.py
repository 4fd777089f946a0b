"""`gridops cost A --vs B`: both sides get the same --config and --usage; the comparison
keeps dollars, per month, the price date and each side's region warning, in text and JSON;
a stage config key only one side reads goes to that side with a warning naming both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gridops_infra.analysis.cost.comparison import COMPARISON_KEYS, compare
from gridops_infra.analysis.cost.prices import PriceTable, load_prices
from gridops_infra.analysis.cost.report import CostReport
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all
from gridops_infra.cli.commands.options import Overrides
from gridops_infra.cli.commands.sides import side, split_config

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()
PRICES = load_prices()
EU = "eu-west-1"


@pytest.fixture(scope="module", autouse=True)
def _in_repo() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.delenv("GRIDOPS_DEBUG", raising=False)
        yield


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def run_json(*args: str) -> dict:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def component(payload: dict, name: str) -> dict:
    return next(row for row in payload["by_component"] if row["component"] == name)


@pytest.fixture(scope="module")
def baseline() -> dict:
    return run_json("cost", "fargate", "--vs", "eks")


@pytest.fixture(scope="module")
def configured() -> dict:
    return run_json(
        "cost", "fargate", "--vs", "eks", "-c", "db_replicas=1", "-c", f"aws:region={EU}"
    )


def test_json_keeps_dollars_per_month_and_the_price_date(baseline: dict) -> None:
    assert list(baseline) == list(COMPARISON_KEYS)
    assert (baseline["currency"], baseline["period"]) == ("USD", "month")
    assert baseline["price_table"] == PRICES.describe()
    assert baseline["total_b_usd"] - baseline["total_a_usd"] == pytest.approx(
        baseline["delta_usd"], abs=0.011
    )
    assert not [w for w in baseline["warnings"] if "prices are for" in w]


def test_the_same_usage_file_changes_both_totals(baseline: dict, tmp_path: Path) -> None:
    usage = tmp_path / "usage.yaml"
    usage.write_text("nat_gateway_gb: 1000\n")
    heavy = run_json("cost", "fargate", "--vs", "eks", "--usage", str(usage))
    more_a = heavy["total_a_usd"] - baseline["total_a_usd"]
    more_b = heavy["total_b_usd"] - baseline["total_b_usd"]
    # Both stages run three NAT gateways: 900 GB more through each, on both sides.
    expected = 3 * 900 * PRICES.rate("nat_gateway", "gb_processed")
    assert more_a == pytest.approx(expected, abs=0.02)
    assert more_b == pytest.approx(expected, abs=0.02)
    assert heavy["usage_a_usd"] > baseline["usage_a_usd"]
    assert heavy["usage_b_usd"] > baseline["usage_b_usd"]
    assert f"usage for both sides: --usage {usage}" in heavy["notes"]


def test_the_same_config_reaches_both_sides(baseline: dict, configured: dict) -> None:
    for side_total in ("a_usd", "b_usd"):
        before = component(baseline, "ManagedPostgresWithReplicas/db")[side_total]
        after = component(configured, "ManagedPostgresWithReplicas/db")[side_total]
        assert after < before, (side_total, before, after)
    assert "--config for both sides: db_replicas, aws:region" in configured["notes"]


def test_each_side_keeps_its_region_warning_in_json(configured: dict) -> None:
    region = [w for w in configured["warnings"] if f"targets {EU}" in w]
    assert any(w.startswith("A gridops/fargate: ") for w in region), configured["warnings"]
    assert any(w.startswith("B gridops/eks: ") for w in region), configured["warnings"]
    assert all(PRICES.region in w for w in region)


def test_text_keeps_dollars_per_month_the_price_date_and_both_region_warnings() -> None:
    result = invoke("cost", "single-server", "--vs", "fargate", "-c", f"aws:region={EU}")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "USD per month" in text
    assert f"as of {PRICES.as_of}" in text
    total = next(line for line in text.splitlines() if line.startswith("TOTAL"))
    assert total.count("$") == 3 and total.count("/month") == 3, total
    assert f"A gridops/single-server: The plan targets {EU}" in text
    assert f"B gridops/fargate: The plan targets {EU}" in text


def test_a_key_only_one_stage_reads_goes_to_that_side_with_a_warning() -> None:
    result = invoke("cost", "fargate", "--vs", "eks", "-c", "gitops_path=staging", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = (
        "--config gitops_path: stage fargate (A) does not read gridops:gitops_path "
        "(only stage eks reads it); given to stage eks (B) only"
    )
    assert expected in payload["warnings"]
    assert f"warning: {expected}" in " ".join(result.stderr.split())
    assert not [n for n in payload["notes"] if n.startswith("--config")]


def test_split_config_gives_each_side_only_the_stage_keys_it_reads() -> None:
    overrides = Overrides.parse(
        ["gitops_path=staging", "gridops:db_replicas=1", "aws:region=eu-west-1", "nat=single"]
    )
    (single, eks), warnings = split_config(
        overrides, [side("A", "single-server"), side("B", "eks")]
    )
    assert single.values == {"aws:region": "eu-west-1", "nat": "single"}
    assert eks.values == overrides.values
    assert eks.flags == overrides.flags
    assert [w.split(":")[0] for w in warnings] == ["--config gitops_path", "--config gridops"]
    assert "only stages eks, express, fargate read it" in warnings[1]


def test_a_project_directory_side_gets_every_key() -> None:
    overrides = Overrides.parse(["gitops_path=staging", "anything=1"])
    (fargate, project), warnings = split_config(
        overrides, [side("A", "fargate"), side("B", "examples/queue-worker")]
    )
    assert project.values == overrides.values
    assert fargate.values == {"anything": "1"}
    assert len(warnings) == 1 and "project examples/queue-worker (B)" in warnings[0]


def test_a_key_neither_stage_reads_is_refused_not_dropped() -> None:
    result = invoke("cost", "fargate", "--vs", "eks", "-c", "server_name=box")
    assert result.exit_code == 2, result.output
    assert "gridops:server_name is not read by stage fargate" in result.stderr


def test_a_value_the_other_side_refuses_names_that_side() -> None:
    result = invoke("cost", "fargate", "--vs", "eks", "-c", "eks_node_autoscaler=bogus")
    assert result.exit_code == 2, result.output
    line = " ".join(result.stderr.split())
    assert line.startswith("error: --vs eks: "), line
    assert "node_autoscaler='bogus'" in line


def test_estimates_from_two_price_tables_are_not_compared() -> None:
    older = PriceTable({**PRICES.data, "as_of": "2020-01-01"})
    a = CostReport("p", "a", PRICES, [], [], [], [])
    b = CostReport("p", "b", older, [], [], [], [])
    with pytest.raises(ValueError, match=r"different tables.*2020-01-01"):
        compare(a, b)
    same = compare(a, CostReport("p", "b", PRICES, [], [], [], ["w"], ["eu"]))
    assert same.warnings == ["B p/b: eu"]
