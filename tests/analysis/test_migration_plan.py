"""The migration plan between two stages: the steps depend on what the pair moves, each
step's monthly cost is both stages' own estimates plus the migration's resources, the
durations come from the timing estimate and the options, and the gates name their
thresholds."""

from __future__ import annotations

import pytest

from gridops_infra.analysis import assess, estimate_cost, estimate_timing, load_prices
from gridops_infra.analysis.migration import (
    MigrationError,
    MigrationOptions,
    check_pair,
    parse_weights,
    plan_migration,
)
from gridops_infra.analysis.migration import options as migration_options
from gridops_infra.analysis.migration.plan import (
    CHECK_KEYS,
    COST_PART_KEYS,
    MIGRATION_PLAN_KEYS,
    STEP_KEYS,
)
from gridops_infra.analysis.migration.sides import read_side
from gridops_infra.analysis.migration.steps import moves_the_data
from tests.stage_plans import stage_plan

PRICES = load_prices()
DCU_HOUR = PRICES.rate("dms", "serverless_dcu_hour")
HEALTH_CHECK = PRICES.rate("route53", "health_check_aws_endpoint_month")
QUERIES = PRICES.rate("route53", "standard_queries_million")
SHAREABLE = ("Network/", "ManagedPostgresWithReplicas/", "RedisCache/")


def plan_for(old: str, new: str, **options: object):
    return plan_migration(old, new, stage_plan(old), stage_plan(new), MigrationOptions(**options))  # type: ignore[arg-type]


def total(stage: str) -> float:
    return estimate_cost(stage_plan(stage)).total


def shared_of(stage: str) -> float:
    by_component = estimate_cost(stage_plan(stage)).by_component()
    return sum(v for k, v in by_component.items() if k.startswith(SHAREABLE))


@pytest.mark.parametrize(
    ("old", "new", "keys"),
    [
        (
            "single-server",
            "fargate",
            [
                "stand_up",
                "replicate_full_load",
                "replication_caught_up",
                "shift_10",
                "shift_50",
                "shift_100",
                "done",
                "drain_queues",
                "tear_down",
            ],
        ),
        (
            "single-server",
            "eks",
            [
                "stand_up",
                "replicate_full_load",
                "replication_caught_up",
                "shift_10",
                "shift_50",
                "shift_100",
                "done",
                "drain_queues",
                "tear_down",
            ],
        ),
        # fargate and eks run the same kind of Aurora: no replication, the tier is shared;
        # both serve the name through CloudFront, which gives it to one distribution at a
        # time, so it moves at once instead of by weight
        ("fargate", "eks", ["stand_up", "move_name", "drain_queues", "tear_down"]),
        # an Express service answers only on its AWS-provided domain: clients switch URL
        (
            "single-server",
            "express",
            [
                "stand_up",
                "replicate_full_load",
                "replication_caught_up",
                "switch_clients",
                "drain_queues",
                "tear_down",
            ],
        ),
        # off express the same holds: its service has no name of yours to move by weight
        (
            "express",
            "fargate",
            ["stand_up", "switch_clients", "drain_queues", "tear_down"],
        ),
    ],
)
def test_the_steps_follow_what_the_pair_moves(old: str, new: str, keys: list[str]) -> None:
    plan = plan_for(old, new)
    assert [s.key for s in plan.steps] == keys
    assert [s.order for s in plan.steps] == list(range(1, len(keys) + 1))
    assert plan.moves_data is ("replicate_full_load" in keys)
    by_key = {s.key: s for s in plan.steps}
    if plan.moves_data:
        assert by_key["replicate_full_load"].done_by == "PostgresReplication"
    if "shift_10" in by_key:
        assert all(by_key[f"shift_{w}"].done_by == "TrafficCutover" for w in (10, 50, 100))
    else:
        assert not any(s.done_by.startswith("TrafficCutover") for s in plan.steps)
    assert by_key["drain_queues"].done_by == "SQS message move task"


def test_moving_off_the_single_server_costs_both_stages_plus_replication_and_route53() -> None:
    plan = plan_for("single-server", "fargate")
    old, new = total("single-server"), total("fargate")
    dms = 2 * DCU_HOUR * PRICES.hours_per_month
    # the single server's front door is its Elastic IP: a plain record, so queries are billed
    cutover = HEALTH_CHECK + 1.0 * QUERIES
    expected = {
        "stand_up": old + new,
        "replicate_full_load": old + new + dms,
        "replication_caught_up": old + new + dms,
        "shift_10": old + new + dms + cutover,
        "shift_50": old + new + dms + cutover,
        "shift_100": old + new + dms + cutover,
        "done": old + new + dms + cutover,
        "drain_queues": old + new + dms,
        "tear_down": old + new,
    }
    assert {s.key: round(s.monthly_usd, 6) for s in plan.steps} == {
        k: round(v, 6) for k, v in expected.items()
    }
    assert plan.after_monthly_usd == pytest.approx(new)
    assert plan.peak_monthly_usd == pytest.approx(old + new + dms + cutover)
    data = plan.to_json()
    assert {r["key"]: r["monthly_usd"] for r in data["migration_resources"]} == {
        "replication": round(dms, 2),
        "health_check": round(HEALTH_CHECK, 2),
        "dns_queries": round(QUERIES, 2),
    }


def test_a_shared_tier_is_counted_once_and_the_name_moves_at_once() -> None:
    plan = plan_for("fargate", "eks")
    expected_new = total("eks") - shared_of("eks")
    assert shared_of("eks") > 900  # the Aurora cluster, the cache and the network
    assert set(plan.costs.shared) == {
        "Network/prod",
        "ManagedPostgresWithReplicas/db",
        "RedisCache/cache",
    }
    stand_up = plan.steps[0]
    assert stand_up.monthly_usd == pytest.approx(total("fargate") + expected_new)
    # the name moves at once between the two distributions: no weighted records, no
    # health check, nothing billed for the cut-over itself
    move = next(s for s in plan.steps if s.key == "move_name")
    assert move.monthly_usd == pytest.approx(total("fargate") + expected_new)
    assert {p.key for p in move.costs} == {"old_stage", "new_stage"}
    assert "replication" not in {p.key for s in plan.steps for p in s.costs}
    assert plan.after_monthly_usd == pytest.approx(total("eks"))
    assert "upper bound" in stand_up.duration_basis  # eks's own Aurora is on its timing path


def test_replication_capacity_and_multi_az_change_its_price() -> None:
    def dms(**options: object) -> float:
        plan = plan_for("single-server", "fargate", **options)
        return next(r for r in plan.to_json()["migration_resources"] if r["key"] == "replication")[
            "monthly_usd"
        ]

    assert dms(replication_dcus=8) == round(8 * DCU_HOUR * 730, 2)
    assert dms(replication_dcus=8, replication_multi_az=True) == round(2 * 8 * DCU_HOUR * 730, 2)


def test_durations_come_from_the_timing_estimate_the_database_size_and_the_options() -> None:
    plan = plan_for(
        "single-server",
        "eks",
        database_size_gb=120,
        full_load_gb_per_hour=40,
        bake_minutes=30,
        lag_hold_minutes=20,
        dns_ttl_seconds=300,
        dlq_messages=5000,
    )
    seconds = {s.key: s.duration_seconds for s in plan.steps}
    assert seconds["stand_up"] == estimate_timing(stage_plan("eks")).total_seconds
    assert seconds["replicate_full_load"] == pytest.approx(120 / 40 * 3600)
    assert seconds["replication_caught_up"] == 20 * 60
    assert seconds["shift_10"] == seconds["shift_50"] == seconds["shift_100"] == 30 * 60
    assert seconds["done"] == 300
    queue_timeout = max(
        q.inputs["visibilityTimeoutSeconds"]
        for q in stage_plan("single-server").of_type("aws:sqs/queue:Queue")
    )
    assert seconds["drain_queues"] == pytest.approx(queue_timeout + 5000 / 500)
    assert seconds["tear_down"] is None
    assert plan.total_known_seconds == pytest.approx(
        sum(v for v in seconds.values() if v is not None)
    )
    assert plan.to_json()["unestimated_steps"] == ["tear_down"]
    # what the move costs: each estimated step's run rate for its time
    month = 730 * 3600
    assert plan.move_usd == pytest.approx(
        sum(s.monthly_usd * s.duration_seconds / month for s in plan.steps if s.duration_seconds)
    )
    assert 0 < plan.move_usd < plan.peak_monthly_usd


def test_without_a_size_the_full_load_copies_the_single_servers_data_volume() -> None:
    volumes = stage_plan("single-server").of_type("aws:ebs/volume:Volume")
    data_gb = sum(v.inputs["size"] for v in volumes)
    plan = plan_for("single-server", "fargate", full_load_gb_per_hour=25)
    full_load = next(s for s in plan.steps if s.key == "replicate_full_load")
    assert full_load.duration_seconds == pytest.approx(data_gb / 25 * 3600)
    assert "upper bound" in full_load.duration_basis
    assert any("pg_database_size" in a for a in plan.assumptions)


def test_the_gates_name_their_signals_thresholds_and_hold_times() -> None:
    plan = plan_for("single-server", "fargate", max_lag_seconds=15, bake_minutes=45)
    gates = {s.key: {c.name: c for c in s.gate} for s in plan.steps}
    assert gates["stand_up"]["policy clean"].threshold == 0
    assert gates["replicate_full_load"]["full load complete"].threshold == 100
    lag = gates["replication_caught_up"]["replication lag"]
    assert (lag.threshold, lag.unit, lag.signal) == (15, "seconds", "AWS/DMS CDCLatencyTarget")
    assert lag.hold_seconds == 15 * 60  # the default --lag-hold-minutes
    for weight in (10, 50, 100):
        gate = gates[f"shift_{weight}"]
        assert gate["SLO green"].hold_seconds == 45 * 60
        assert "CLOUDWATCH_METRIC" in gate["SLO green"].signal
        assert gate["replication lag"].threshold == 15
    assert gates["drain_queues"]["old queues empty"].threshold == 0
    assert (
        "ApproximateNumberOfMessagesNotVisible" in gates["drain_queues"]["old queues empty"].signal
    )
    # without replication no step waits on replication lag
    shared = plan_for("fargate", "eks")
    assert not [c for s in shared.steps for c in s.gate if c.name == "replication lag"]
    assert shared.steps[-1].gate[0].name == "shared tier kept"


def test_the_json_is_schema_stable() -> None:
    data = plan_for("single-server", "fargate").to_json()
    assert tuple(data) == MIGRATION_PLAN_KEYS
    assert data["schema_version"] == 1
    assert (data["from_stage"], data["to_stage"], data["moves_data"]) == (
        "single-server",
        "fargate",
        True,
    )
    for step in data["steps"]:
        assert tuple(step) == STEP_KEYS
        assert all(tuple(c) == CHECK_KEYS for c in step["gate"])
        assert all(tuple(p) == COST_PART_KEYS for p in step["costs"])
        assert step["monthly_usd"] == pytest.approx(
            sum(p["monthly_usd"] for p in step["costs"]), abs=0.02
        )
    assert data["stages"]["from"]["monthly_usd"] == round(total("single-server"), 2)
    assert (
        data["stages"]["to"]["create_seconds"]
        == estimate_timing(stage_plan("fargate")).total_seconds
    )
    assert all(s["url"].startswith("https://") for s in data["sources"])


def test_a_zero_weight_first_step_puts_the_records_in_place() -> None:
    plan = plan_for("single-server", "fargate", weights=(0, 25, 100))
    shifts = [s for s in plan.steps if s.key.startswith("shift_")]
    assert [s.key for s in shifts] == ["shift_0", "shift_25", "shift_100"]
    assert "nothing moves yet" in shifts[0].title


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("eks", "fargate", "moves down a stage"),
        ("fargate", "single-server", "moves down a stage"),
        ("fargate", "fargate", "the same stage"),
        ("fargat", "eks", "did you mean 'fargate'?"),
        ("single-server", "kubernetes", "'kubernetes' is not a stage"),
    ],
)
def test_impossible_pairs_are_refused_in_one_line(old: str, new: str, message: str) -> None:
    with pytest.raises(MigrationError, match=message) as caught:
        check_pair(old, new)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"weights": (50, 10, 100)}, "weights must rise"),
        ({"weights": (10, 50)}, "the last weight must be 100"),
        ({"weights": (10, 150)}, "from 0 to 100"),
        ({"bake_minutes": 0}, "--bake-minutes 0: expected a number above 0"),
        ({"replication_dcus": 3}, "--replication-dcus 3: AWS DMS Serverless takes one of 1, 2, 4"),
        ({"database_size_gb": -5}, "--database-size-gb -5"),
        ({"full_load_gb_per_hour": float("nan")}, "--full-load-gb-per-hour"),
        ({"dlq_messages": -1}, "--dlq-messages -1"),
    ],
)
def test_bad_options_are_refused_naming_the_flag(options: dict[str, object], message: str) -> None:
    with pytest.raises(MigrationError, match=message.replace("?", r"\?")):
        MigrationOptions(**options)  # type: ignore[arg-type]


def test_weights_parse_from_the_command_line() -> None:
    assert parse_weights("0, 10%,50,100") == (0, 10, 50, 100)
    with pytest.raises(MigrationError, match="--steps 'ten,100'"):
        parse_weights("ten,100")


def test_the_stage_list_is_the_assessment_one() -> None:
    # a stage added to assess.STAGES (between single-server and fargate) joins the pairs
    assert migration_options.STAGES is assess.STAGES


def test_a_move_off_the_managed_database_is_refused() -> None:
    eks, single = stage_plan("eks"), stage_plan("single-server")
    old = read_side("eks", eks, estimate_cost(eks), estimate_timing(eks))
    new = read_side("single-server", single, estimate_cost(single), estimate_timing(single))
    with pytest.raises(MigrationError, match="never leaves the managed database"):
        moves_the_data(old, new)
