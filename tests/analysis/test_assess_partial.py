"""`gridops assess` on a partial baseline and on the keys `gridops baseline` writes: each
trigger judged only with its data, the campaign error rate in both forms, drills beside
MTTR, right-sizing in the report, sources beside figures, and every bad shape refused in
one line naming the field."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gridops_infra.analysis.assess import AssessError, assess, load_metrics, parse_metrics
from gridops_infra.analysis.cost.prices import load_prices

ROOT = Path(__file__).resolve().parents[2]
PARTIAL_SAMPLE = ROOT / "examples" / "metrics" / "baseline-partial.yaml"

TRIGGERS = (
    "conversion_drop_after_peaks",
    "campaign_error_rate",
    "deploy_lead_time",
    "incident_time_share",
)
#: The inputs of each trigger, calm values (no trigger fires).
INPUTS: dict[str, dict[str, Any]] = {
    "conversion_drop_after_peaks": {"conversion_change_after_peak_percent": -1.0},
    "campaign_error_rate": {"error_rate_during_campaigns_percent": 0.05, "slo_objective": 0.999},
    "deploy_lead_time": {"deploy_lead_time_minutes": 10},
    "incident_time_share": {"incident_time_share_percent": 10},
}
WINDOW = "2026-11-01T00:00:00Z/2026-12-01T00:00:00Z"


def partial(stage: str = "fargate", **fields: Any):
    return assess(parse_metrics({"current_stage": stage, **fields}, source="test"))


def refused(**fields: Any) -> AssessError:
    with pytest.raises(AssessError) as info:
        parse_metrics({"current_stage": "fargate", **fields}, source="m.yaml")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("m.yaml: ")
    return info.value


SUBSETS = [
    combo for size in range(len(TRIGGERS) + 1) for combo in itertools.combinations(TRIGGERS, size)
]


@pytest.mark.parametrize("given", SUBSETS, ids=["+".join(s) or "nothing" for s in SUBSETS])
def test_every_subset_of_trigger_inputs_is_judged_exactly_where_data_exists(
    given: tuple[str, ...],
) -> None:
    fields = {k: v for name in given for k, v in INPUTS[name].items()}
    result = partial(**fields)
    assert tuple(t.name for t in result.triggers) == TRIGGERS
    assert tuple(t.name for t in result.triggers if t.judged) == given
    assert result.unjudged == tuple(n for n in TRIGGERS if n not in given)
    assert result.judged_count == len(given)
    assert result.action == "stay" and result.fired == ()
    if len(given) < 4:
        # never a plain "stay" as if everything had been judged
        assert f"({len(given)} of 4 triggers judged)" in result.recommendation
        for name in result.unjudged:
            assert name in result.recommendation
    else:
        assert "judged" not in result.recommendation
    for t in result.triggers:
        if t.judged:
            assert t.measured is not None and t.needs == ()
        else:
            assert (t.measured, t.fired) == (None, False)
            assert t.explanation.startswith("Not judged: give ")
            assert t.how_to_measure in t.explanation


def test_nothing_judged_says_it_is_no_assessment_yet() -> None:
    result = partial()
    assert result.recommendation.startswith("Stay on fargate (0 of 4 triggers judged)")
    assert "no assessment yet" in result.recommendation


def test_unjudged_triggers_say_which_field_or_command_gives_them() -> None:
    by_name = {t.name: t for t in partial().triggers}
    assert by_name["conversion_drop_after_peaks"].needs == ("conversion_change_after_peak_percent",)
    assert "ask the product team" in by_name["conversion_drop_after_peaks"].how_to_measure
    assert "ask the product team" in by_name["incident_time_share"].how_to_measure
    assert "`gridops baseline`" in by_name["deploy_lead_time"].how_to_measure
    campaign = by_name["campaign_error_rate"]
    assert "`gridops baseline --campaign START/END`" in campaign.how_to_measure
    assert campaign.needs == (
        "error_rate_during_campaigns_percent with slo_objective or slo_error_budget_percent, "
        "or error_rate_during_campaigns_slo_multiple",
    )
    assert campaign.threshold is None  # no SLO, no limit in percent


def test_campaign_percent_without_an_slo_is_not_judged_and_asks_for_the_slo() -> None:
    result = partial(error_rate_during_campaigns_percent=5.0)
    t = result.triggers[1]
    assert (t.judged, t.needs) == (False, ("slo_objective or slo_error_budget_percent",))
    assert (t.measured, t.threshold) == (None, None)
    data = json.loads(result.to_json())
    assert data["slo"] == {"objective": None, "allowed_error_rate_percent": None, "given_as": None}


def test_an_slo_without_campaign_data_still_gives_the_limit() -> None:
    t = partial(slo_objective=0.999).triggers[1]
    assert not t.judged and t.threshold == 0.2
    assert t.needs == (
        "error_rate_during_campaigns_percent or error_rate_during_campaigns_slo_multiple",
    )


def test_a_fired_trigger_moves_even_when_others_are_not_judged() -> None:
    result = partial("single-server", deploy_lead_time_minutes=55)
    assert (result.action, result.recommended_stage) == ("move_up", "express")
    assert result.recommendation.startswith(
        "Move from single-server to express (1 of 4 triggers judged): 1 of 4 growth triggers fired"
    )
    assert "Not judged: conversion_drop_after_peaks, campaign_error_rate, incident_time_share" in (
        result.recommendation
    )
    on_eks = partial("eks", incident_time_share_percent=60)
    assert on_eks.action == "stay_and_fix_within"
    assert "(1 of 4 triggers judged)" in on_eks.recommendation


# --------------------------------------------------------------------------- campaign forms


@pytest.mark.parametrize(
    ("multiple", "fires"), [(2, False), (1.99, False), (2.01, True), (0, False)]
)
def test_campaign_error_rate_as_a_multiple_of_the_slo(multiple: float, fires: bool) -> None:
    result = partial(error_rate_during_campaigns_slo_multiple=multiple)
    t = result.triggers[1]
    assert t.judged and t.metric == "error_rate_during_campaigns_slo_multiple"
    assert (t.measured, t.threshold, t.unit, t.fired) == (float(multiple), 2.0, "multiple", fires)
    assert result.fired == (("campaign_error_rate",) if fires else ())
    assert f"{multiple:g}x the SLO's allowed error rate" in t.explanation


def test_both_campaign_forms_agree_on_the_same_burn() -> None:
    # 0.6% against a 0.1% allowance is a 6x burn: both forms fire, and both lead to fargate
    by_percent = partial(
        "single-server", error_rate_during_campaigns_percent=0.6, slo_objective=0.999
    )
    by_multiple = partial("single-server", error_rate_during_campaigns_slo_multiple=6)
    for result in (by_percent, by_multiple):
        assert result.fired == ("campaign_error_rate",)
        assert result.recommended_stage == "fargate"
    assert [s.key for s in by_percent.steps] == [s.key for s in by_multiple.steps]


def test_both_campaign_forms_together_are_refused() -> None:
    error = refused(
        error_rate_during_campaigns_percent=0.5,
        slo_objective=0.999,
        error_rate_during_campaigns_slo_multiple=5,
    )
    assert error.fields == ("error_rate_during_campaigns_slo_multiple",)
    assert "are both given: keep one" in str(error)


def test_a_negative_multiple_is_refused() -> None:
    error = refused(error_rate_during_campaigns_slo_multiple=-1)
    assert "error_rate_during_campaigns_slo_multiple=-1 is negative: use >= 0" in str(error)


# --------------------------------------------------------------------------- did-you-mean


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("error_rate_during_campaign_slo_multiple", "error_rate_during_campaigns_slo_multiple"),
        ("drill", "drills"),
        ("utilisation", "utilization"),
        ("deploy_per_week", "deploys_per_week"),
    ],
)
def test_unknown_keys_keep_did_you_mean(typo: str, meant: str) -> None:
    error = refused(**{typo: 1})
    assert f"unknown field {typo!r} (did you mean {meant!r}?)" in str(error)


# --------------------------------------------------------------------------- structured fields


DRILL = {"template": "EXT1", "started": "2026-11-17T09:00:00Z", "state": "completed"}
SERVICE = {"kind": "service", "name": "api", "cpu_units": 1024, "memory_mib": 2048}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"drills": {"a": 1}}, "drills must be a list of mappings, got dict"),
        ({"drills": ["EXT1"]}, "drills[0] must be a mapping, got str 'EXT1'"),
        (
            {"drills": [{"started": "2026-11-17T09:00:00Z", "state": "completed"}]},
            "drills[0]: missing template",
        ),
        (
            {"drills": [{**DRILL, "state": "complete"}]},
            "is not an FIS experiment state: use one of pending, initiating, running, completed, stopping, stopped, failed, cancelled (did you mean 'completed'?)",
        ),
        ({"drills": [{**DRILL, "started": "2026-11-17T09:00:00"}]}, "has no time zone"),
        ({"drills": [{**DRILL, "started": "last tuesday"}]}, "is not an ISO 8601 time"),
        (
            {"drills": [{**DRILL, "recovery_minutes": -2}]},
            "drills[0].recovery_minutes=-2 is out of range: use >= 0",
        ),
        (
            {"drills": [{**DRILL, "recovery": 2}]},
            "unknown key 'recovery' (did you mean 'recovery_minutes'?)",
        ),
        (
            {"utilization": [{**SERVICE, "kind": "lambda"}]},
            "utilization[0].kind='lambda': use one of service, worker, database, cache",
        ),
        (
            {"utilization": [{"kind": "service", "cpu_units": 1024, "memory_mib": 2048}]},
            "utilization[0]: missing name",
        ),
        (
            {"utilization": [{**SERVICE, "memory_mib": 512}]},
            "1024 cpu / 512 MiB is not a Fargate size: with cpu=1024, Fargate accepts memory from 2048 to 8192 MiB",
        ),
        (
            {"utilization": [{**SERVICE, "cpu_units": 300}]},
            "Fargate task cpu must be one of 256, 512",
        ),
        (
            {"utilization": [{"kind": "worker", "name": "w", "cpu_units": 256}]},
            "a worker needs memory_mib",
        ),
        ({"utilization": [{"kind": "database", "name": "db"}]}, "a database needs instance_class"),
        (
            {"utilization": [{"kind": "database", "name": "db", "instance_class": "r6g.large"}]},
            "instance_class='r6g.large': expected db.<family>.<size>",
        ),
        (
            {
                "utilization": [
                    {"kind": "cache", "name": "c", "node_type": "cache.t4g.small", "cpu_units": 2}
                ]
            },
            "cpu_units does not apply to a cache (give node_type)",
        ),
        (
            {"utilization": [{**SERVICE, "cpu_p95_percent": 130}]},
            "cpu_p95_percent=130 is out of range: use >= 0 and <= 100",
        ),
        (
            {"utilization": [{**SERVICE, "memory_p95_percent": "40%"}]},
            "memory_p95_percent must be a number, got str '40%'",
        ),
        (
            {"utilization": [{**SERVICE, "cpu_units": 1024.0}]},
            "cpu_units and memory_mib must be whole numbers",
        ),
        ({"sources": ["x"]}, "sources must be a mapping, got list"),
        (
            {"sources": {"p95_latency": {"source": "x", "window": WINDOW}}},
            "sources.p95_latency: no such field (did you mean 'p95_latency_ms'?)",
        ),
        (
            {"sources": {"p95_latency_ms": "CloudWatch"}},
            "sources.p95_latency_ms must be {source, window}",
        ),
        (
            {"sources": {"p95_latency_ms": {"source": "", "window": WINDOW}}},
            "sources.p95_latency_ms.source='' must be non-empty text",
        ),
        (
            {"sources": {"p95_latency_ms": {"source": "x", "window": "last month"}}},
            "must be START/END in ISO 8601",
        ),
        (
            {
                "sources": {
                    "p95_latency_ms": {
                        "source": "x",
                        "window": "2026-12-01T00:00:00Z/2026-11-01T00:00:00Z",
                    }
                }
            },
            "ends before it starts",
        ),
        (
            {"sources": {"p95_latency_ms": {"source": "x", "window": WINDOW, "unit": "ms"}}},
            "unknown key 'unit'",
        ),
    ],
)
def test_bad_structured_fields_are_refused_in_one_line(
    fields: dict[str, Any], expected: str
) -> None:
    error = refused(**fields)
    assert expected in str(error), str(error)
    assert error.fields == (next(iter(fields)),)


def test_every_problem_of_the_structured_fields_is_reported_at_once() -> None:
    error = refused(
        deploy_lead_time_minutes=-1,
        drills=[{**DRILL, "state": "x"}, {**DRILL, "recovery_minutes": "5"}],
        utilization=[{**SERVICE, "memory_mib": 100}],
    )
    assert error.fields == ("deploy_lead_time_minutes", "drills", "drills", "utilization")
    assert str(error).startswith("m.yaml: 4 problems: ")


# --------------------------------------------------------------------------- recovery


def test_mttr_and_drill_recovery_side_by_side() -> None:
    drills = [
        {**DRILL, "recovery_minutes": 3},
        {**DRILL, "recovery_minutes": 6, "started": "2026-11-24T09:00:00+01:00"},
        {**DRILL, "state": "stopped"},
    ]
    result = partial(mttr_minutes=42, drills=drills)
    assert result.drill_recovery == (4.5, "drills")
    recovery = json.loads(result.to_json())["recovery"]
    assert recovery["mttr_minutes"] == 42
    assert (recovery["drill_recovery_minutes"], recovery["drill_recovery_from"]) == (4.5, "drills")
    assert [d["recovery_minutes"] for d in recovery["drills"]] == [3.0, 6.0, None]
    text = result.render_text()
    assert "MTTR from alarms (ALARM to OK): 42 min" in text
    assert "drill recovery (FIS):           4.5 min (mean of 2 drills)" in text
    assert "EXT1  stopped  recovered in -" in text
    # the measured mean, when given, is shown as given
    given = partial(mttr_minutes=42, drill_recovery_minutes=7, drills=drills)
    assert given.drill_recovery == (7.0, "field")
    assert partial().drill_recovery == (None, None)
    assert "Recovery:" not in partial().render_text()


def test_unquoted_yaml_timestamps_are_read(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "current_stage: fargate\n"
        "drills:\n  - {template: EXT1, started: 2026-11-17T09:00:00Z, state: completed}\n",
        encoding="utf-8",
    )
    (drill,) = load_metrics(path).drills
    assert drill.started == "2026-11-17T09:00:00+00:00"


# --------------------------------------------------------------------------- sample and output


def test_partial_sample_judges_two_and_reviews_four_sizes() -> None:
    result = assess(load_metrics(PARTIAL_SAMPLE))
    assert result.judged_count == 2
    assert result.unjudged == ("conversion_drop_after_peaks", "incident_time_share")
    assert result.recommendation.startswith("Stay on fargate (2 of 4 triggers judged)")
    assert [r.decision for r in result.rightsizing] == ["down", "up", "down", "down"]
    prices = load_prices()
    hours = prices.hours_per_month
    fargate = prices.data["fargate"]["x86_64"]
    half_vcpu_one_gb = (0.5 * fargate["vcpu_hour"] + fargate["gb_hour"]) * hours
    rds = prices.data["rds_postgres_instance_hour"]
    cache = prices.data["elasticache_node_hour"]
    expected = [
        round(-half_vcpu_one_gb, 2),  # 1024/2048 -> 512/1024 saves half
        round(half_vcpu_one_gb, 2),  # 512/1024 -> 1024/2048 doubles
        round((rds["db.r6g.large"] - rds["db.r6g.xlarge"]) * hours, 2),
        round((cache["cache.t4g.small"] - cache["cache.t4g.medium"]) * hours, 2),
    ]
    assert [r.monthly_delta_usd for r in result.rightsizing] == expected
    data = json.loads(result.to_json())
    assert data["rightsizing"]["total_monthly_delta_usd"] == round(sum(expected), 2)
    assert data["rightsizing"]["price_table"]["as_of"] == prices.as_of
    text = result.render_text()
    assert "[ --- ] conversion drop after traffic peaks  not judged" in text
    assert (
        "  p95_latency_ms: 310  [CloudWatch AWS/ApplicationELB TargetResponseTime p95, "
        + WINDOW
        + "]"
        in text
    )
    assert "db.r6g.xlarge" in text and "db.r6g.large (down)" in text and "-$164.25" in text
    assert f"total: -${-round(sum(expected), 2):,.2f} a month" in text


def test_json_of_a_partial_baseline_adds_keys_and_nulls_only_what_was_not_judged() -> None:
    data = json.loads(partial(deploy_lead_time_minutes=12).to_json())
    assert data["schema_version"] == 2
    assert (data["judged_count"], data["unjudged"]) == (
        1,
        [n for n in TRIGGERS if n != "deploy_lead_time"],
    )
    deploy = data["triggers"][2]
    assert (deploy["judged"], deploy["needs"], deploy["measured"], deploy["source"]) == (
        True,
        [],
        12.0,
        None,
    )
    conversion = data["triggers"][0]
    assert (conversion["judged"], conversion["measured"], conversion["threshold"]) == (
        False,
        None,
        5.0,
    )
    assert conversion["needs"] == ["conversion_change_after_peak_percent"]
    assert (
        data["rightsizing"]["items"] == [] and data["rightsizing"]["total_monthly_delta_usd"] == 0
    )
    assert data["recovery"]["drills"] == [] and data["sources"] == {}
    item_keys = {
        "kind", "name", "current_size", "recommended_size", "decision", "current_monthly_usd",
        "recommended_monthly_usd", "monthly_delta_usd", "reason", "cpu_p95_percent",
        "memory_p95_percent", "connections_max",
    }  # fmt: skip
    sample = json.loads(assess(load_metrics(PARTIAL_SAMPLE)).to_json())
    assert all(set(i) == item_keys for i in sample["rightsizing"]["items"])
    assert sample["triggers"][1]["source"]["window"] == "2026-11-27T00:00:00Z/2026-11-30T00:00:00Z"
    assert sample["recovery"]["drill_recovery_from"] == "field"


def test_the_partial_sample_is_valid_yaml_of_the_documented_keys() -> None:
    raw = yaml.safe_load(PARTIAL_SAMPLE.read_text(encoding="utf-8"))
    documented = (ROOT / "examples" / "metrics" / "README.md").read_text(encoding="utf-8")
    for key in raw:
        assert f"`{key}`" in documented, key
