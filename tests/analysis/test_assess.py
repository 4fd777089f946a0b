"""The growth assessment: triggers at their thresholds, the stage rule, step order, the
sample metrics files, the JSON/text output, and every kind of bad metrics file refused."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from gridops_infra.analysis.assess import (
    AssessError,
    Assessment,
    Metrics,
    assess,
    load_metrics,
    parse_metrics,
)

# By its full module path: a package __init__ re-exporting the `assess` function would shadow
# the submodule attribute, `from gridops_infra.analysis import assess` would get the function.
assess_module = importlib.import_module("gridops_infra.analysis.assess")

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "examples" / "metrics"

ALL_TRIGGERS = (
    "conversion_drop_after_peaks",
    "campaign_error_rate",
    "deploy_lead_time",
    "incident_time_share",
)
STEP_ORDER = ("cdn_and_caching", "ci_cd", "autoscaling", "observability", "infrastructure_as_code")

# A baseline where no trigger fires.
CALM: dict[str, Any] = {
    "current_stage": "single-server",
    "conversion_change_after_peak_percent": -1.0,
    "error_rate_during_campaigns_percent": 0.05,
    "slo_objective": 0.999,
    "deploy_lead_time_minutes": 10,
    "incident_time_share_percent": 10,
    "p95_latency_ms": 300,
    "db_p95_query_ms": 20,
    "error_rate_percent": 0.02,
    "mttr_minutes": 30,
    "deploys_per_week": 10,
    "monthly_cost_usd": 150,
}

# Values that make exactly one trigger fire.
FIRING: dict[str, dict[str, Any]] = {
    "conversion_drop_after_peaks": {"conversion_change_after_peak_percent": -7.5},
    "campaign_error_rate": {"error_rate_during_campaigns_percent": 0.6},
    "deploy_lead_time": {"deploy_lead_time_minutes": 55},
    "incident_time_share": {"incident_time_share_percent": 52},
}
ALL_FIRING = {k: v for values in FIRING.values() for k, v in values.items()}


def metrics(**overrides: Any) -> Metrics:
    data = {**CALM, **overrides}
    return parse_metrics({k: v for k, v in data.items() if v is not None}, source="test")


def trigger(result: Assessment, name: str):
    return next(t for t in result.triggers if t.name == name)


def write(tmp_path: Path, text: str, name: str = "metrics.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def yaml_of(data: dict[str, Any]) -> str:
    return "".join(f"{key}: {json.dumps(value)}\n" for key, value in data.items())


# --------------------------------------------------------------------------- triggers


# (trigger, field, value at the threshold, just below, just above, threshold, measured at it)
THRESHOLD_CASES = [
    (
        "conversion_drop_after_peaks",
        "conversion_change_after_peak_percent",
        -5.0,
        -4.99,
        -5.01,
        5.0,
    ),
    ("campaign_error_rate", "error_rate_during_campaigns_percent", 0.2, 0.19, 0.21, 0.2),
    ("deploy_lead_time", "deploy_lead_time_minutes", 30, 29.9, 30.1, 30.0),
    ("incident_time_share", "incident_time_share_percent", 40, 39.9, 40.1, 40.0),
]


@pytest.mark.parametrize(
    ("name", "field", "at", "below", "above", "threshold"),
    THRESHOLD_CASES,
    ids=[case[0] for case in THRESHOLD_CASES],
)
def test_each_trigger_at_just_below_and_just_above_its_threshold(
    name: str, field: str, at: float, below: float, above: float, threshold: float
) -> None:
    for value, should_fire in ((at, False), (below, False), (above, True)):
        result = assess(metrics(**{field: value}))
        t = trigger(result, name)
        assert t.threshold == threshold
        assert t.comparison == "greater_than"
        assert t.fired is should_fire, f"{name} with {field}={value}"
        # the other three never fire on the calm baseline
        assert result.fired == ((name,) if should_fire else ())
    at_threshold = trigger(assess(metrics(**{field: at})), name)
    assert at_threshold.measured == threshold  # equal, and equal does not fire
    assert not at_threshold.fired
    assert " at the " in at_threshold.explanation or "at the limit" in at_threshold.explanation


def test_conversion_trigger_measures_the_drop_not_the_signed_change() -> None:
    fell = trigger(assess(metrics(conversion_change_after_peak_percent=-7.5)), ALL_TRIGGERS[0])
    assert (fell.measured, fell.fired) == (7.5, True)
    assert "fell 7.5%" in fell.explanation
    rose = trigger(assess(metrics(conversion_change_after_peak_percent=12)), ALL_TRIGGERS[0])
    assert (rose.measured, rose.fired) == (-12.0, False)
    assert "rose 12%" in rose.explanation
    steady = trigger(assess(metrics(conversion_change_after_peak_percent=0)), ALL_TRIGGERS[0])
    assert steady.measured == 0.0 and not steady.fired
    assert json.dumps(steady.measured) == "0.0"  # never "-0.0"


def test_campaign_threshold_is_twice_the_slo_allowance_however_the_slo_is_given() -> None:
    by_objective = metrics(slo_objective=0.995, error_rate_during_campaigns_percent=1.0)
    by_budget = metrics(
        slo_objective=None, slo_error_budget_percent=0.5, error_rate_during_campaigns_percent=1.0
    )
    for m in (by_objective, by_budget):
        assert m.allowed_error_rate_percent == 0.5
        assert m.objective == 0.995
        t = trigger(assess(m), "campaign_error_rate")
        assert (t.threshold, t.fired) == (1.0, False)  # 1.0 is exactly 2 x 0.5: not above
    above = metrics(slo_objective=0.995, error_rate_during_campaigns_percent=1.01)
    assert trigger(assess(above), "campaign_error_rate").fired


def test_campaign_threshold_has_no_float_noise_at_four_nines() -> None:
    # (1 - 0.9999) * 100 is 0.009999999999998899 in binary floating point
    m = metrics(slo_objective=0.9999, error_rate_during_campaigns_percent=0.02)
    t = trigger(assess(m), "campaign_error_rate")
    assert m.allowed_error_rate_percent == 0.01
    assert (t.threshold, t.fired) == (0.02, False)
    assert "burns at 2x" in t.explanation


# --------------------------------------------------------------------------- recommendation


@pytest.mark.parametrize("fired", ALL_TRIGGERS)
def test_any_single_trigger_moves_one_stage_up(fired: str) -> None:
    # From single-server, express answers the deploy lead time (canary deployments with
    # rollback); the CDN and SLO alerting the other triggers call for start at fargate.
    first = "express" if fired == "deploy_lead_time" else "fargate"
    for current, expected in (
        ("single-server", first),
        ("express", "fargate"),
        ("fargate", "eks"),
    ):
        result = assess(metrics(current_stage=current, **FIRING[fired]))
        assert result.fired == (fired,)
        assert (result.recommended_stage, result.action) == (expected, "move_up")
        assert f"Move from {current} to {expected}" in result.recommendation


@pytest.mark.parametrize("current", ["single-server", "express", "fargate", "eks"])
def test_no_trigger_stays(current: str) -> None:
    result = assess(metrics(current_stage=current))
    assert result.fired == ()
    assert (result.recommended_stage, result.action) == (current, "stay")
    assert result.steps == ()


def test_eks_stays_and_fixes_within_when_triggers_fire() -> None:
    result = assess(metrics(current_stage="eks", **ALL_FIRING))
    assert result.fired == ALL_TRIGGERS
    assert (result.recommended_stage, result.action) == ("eks", "stay_and_fix_within")
    assert "fix within" in result.recommendation
    assert result.rule == assess_module.RULE


def test_moves_only_one_stage_even_when_every_trigger_fires() -> None:
    result = assess(metrics(current_stage="single-server", **ALL_FIRING))
    assert result.recommended_stage == "fargate"


# --------------------------------------------------------------------------- steps


def test_steps_follow_the_growth_plan_order_when_everything_fires() -> None:
    result = assess(metrics(**ALL_FIRING))
    assert tuple(s.key for s in result.steps) == STEP_ORDER
    assert [s.order for s in result.steps] == [1, 2, 3, 4, 5]
    assert [s.phase for s in result.steps] == [1, 2, 2, 3, 3]
    components = {s.key: s.components for s in result.steps}
    assert components["cdn_and_caching"] == ("CdnFrontend", "RedisCache")
    assert components["ci_cd"] == ("GithubDeployRole", "deploy workflow templates")
    assert any("StatelessService" in c for c in components["autoscaling"])
    assert "SqsWorkerQueue" in components["autoscaling"]
    assert components["observability"] == ("ObservabilityStack", "Slo")
    assert components["infrastructure_as_code"] == (
        "fargate stage stack (stacks/Pulumi.fargate.yaml)",
    )


def test_conversion_drop_points_first_to_cdn_and_caching() -> None:
    result = assess(metrics(**FIRING["conversion_drop_after_peaks"]))
    assert [s.key for s in result.steps] == [
        "cdn_and_caching",
        "autoscaling",
        "infrastructure_as_code",
    ]
    first = result.steps[0]
    assert first.triggered_by == ("conversion_drop_after_peaks",)
    assert "conversion fell 7.5% after peaks (limit 5%)" in first.reason
    # the baseline latencies back the caching step up
    assert "p95 latency 300 ms" in first.reason and "db p95 20 ms" in first.reason
    assert result.steps[-1].reason.startswith("the move from single-server to fargate")


def test_deploy_lead_time_points_to_ci_cd() -> None:
    result = assess(metrics(current_stage="fargate", **FIRING["deploy_lead_time"]))
    assert [s.key for s in result.steps] == ["ci_cd", "infrastructure_as_code"]
    assert result.steps[0].triggered_by == ("deploy_lead_time",)
    assert "deploy lead time 55 min (limit 30 min)" in result.steps[0].reason
    assert result.steps[1].components == ("eks stage stack (stacks/Pulumi.eks.yaml)",)


def test_incident_share_points_to_observability_and_slo_alerts() -> None:
    result = assess(metrics(current_stage="eks", **FIRING["incident_time_share"]))
    assert [s.key for s in result.steps] == ["observability", "infrastructure_as_code"]
    observability = result.steps[0]
    assert observability.components == ("ObservabilityStack", "Slo")
    assert "52% of engineering time on incidents (limit 40%)" in observability.reason
    assert "burn-rate alerts" in observability.reason
    assert "MTTR 30 min" in observability.reason
    # staying on eks: infrastructure as code answers the incident share, not a move
    iac = result.steps[1]
    assert iac.triggered_by == ("incident_time_share",)
    assert "the move" not in iac.reason
    assert iac.components == ("eks stage stack (stacks/Pulumi.eks.yaml)",)


def test_campaign_errors_without_a_move_skip_infrastructure_as_code() -> None:
    result = assess(metrics(current_stage="eks", **FIRING["campaign_error_rate"]))
    assert [s.key for s in result.steps] == ["cdn_and_caching", "autoscaling", "observability"]
    assert all(s.triggered_by == ("campaign_error_rate",) for s in result.steps)


def test_a_move_lists_every_fired_trigger_behind_infrastructure_as_code() -> None:
    result = assess(metrics(**FIRING["conversion_drop_after_peaks"], **FIRING["deploy_lead_time"]))
    iac = result.steps[-1]
    assert iac.key == "infrastructure_as_code"
    assert iac.triggered_by == ("conversion_drop_after_peaks", "deploy_lead_time")


# --------------------------------------------------------------------------- checklist


def test_checklist_marks_what_the_recommended_stage_covers() -> None:
    stay = assess(metrics())  # stays on single-server
    assert [c.key for c in stay.checklist] == [
        "slos_and_baseline",
        "automated_deploy_with_rollback",
        "slo_dashboards_and_alerts",
        "managed_services_and_caching",
    ]
    assert not any(c.covered for c in stay.checklist)
    arrives = ["fargate", "express", "fargate", "express"]
    for item, stage in zip(stay.checklist, arrives, strict=True):
        assert f"the {stage} stage has it" in item.note
    move = assess(metrics(**FIRING["deploy_lead_time"]))  # single-server -> express
    assert move.recommended_stage == "express"
    assert [c.covered for c in move.checklist] == [False, True, False, True]
    assert "the fargate stage has it" in move.checklist[0].note
    further = assess(metrics(**FIRING["incident_time_share"]))  # single-server -> fargate
    assert further.recommended_stage == "fargate"
    assert all(c.covered for c in further.checklist)
    assert "CdnFrontend" in further.checklist[3].delivered_by


def test_checklist_names_the_baseline_fields_not_measured_yet() -> None:
    result = assess(metrics(mttr_minutes=None, monthly_cost_usd=None))
    assert result.baseline_missing == ("mttr_minutes", "monthly_cost_usd")
    assert "also measure mttr_minutes, monthly_cost_usd" in result.checklist[0].note
    assert "baseline complete" in assess(metrics()).checklist[0].note


# --------------------------------------------------------------------------- sample files


def test_sample_mvp_stays_on_single_server() -> None:
    result = assess(load_metrics(SAMPLES / "baseline-mvp.yaml"))
    assert result.metrics.name == "acme-mvp"
    assert (result.current_stage, result.recommended_stage) == ("single-server", "single-server")
    assert (result.action, result.fired, result.steps) == ("stay", (), ())
    assert result.baseline_missing == ()
    assert result.metrics.allowed_error_rate_percent == 1.0


def test_sample_growing_moves_to_fargate() -> None:
    result = assess(load_metrics(SAMPLES / "baseline-growing.yaml"))
    assert (result.current_stage, result.recommended_stage) == ("single-server", "fargate")
    assert result.action == "move_up"
    assert result.fired == (
        "conversion_drop_after_peaks",
        "campaign_error_rate",
        "deploy_lead_time",
    )
    assert tuple(s.key for s in result.steps) == STEP_ORDER
    assert result.baseline_missing == ("mttr_minutes",)


# --------------------------------------------------------------------------- output


TOP_LEVEL_KEYS = [
    "schema_version",
    "name",
    "source",
    "current_stage",
    "recommended_stage",
    "action",
    "rule",
    "recommendation",
    "fired",
    "triggers",
    "slo",
    "steps",
    "checklist",
    "baseline",
    "baseline_missing",
    "judged_count",
    "unjudged",
    "recovery",
    "rightsizing",
    "sources",
]
TRIGGER_KEYS = [
    "name",
    "title",
    "metric",
    "measured",
    "threshold",
    "unit",
    "comparison",
    "fired",
    "explanation",
    "summary",
    "judged",
    "needs",
    "how_to_measure",
    "source",
]
STEP_KEYS = ["order", "phase", "key", "title", "components", "triggered_by", "reason"]
CHECKLIST_KEYS = ["key", "title", "covered", "delivered_by", "note"]


@pytest.fixture(scope="module")
def growing() -> Assessment:
    return assess(load_metrics(SAMPLES / "baseline-growing.yaml"))


def test_json_has_the_documented_keys_and_types(growing: Assessment) -> None:
    data = json.loads(growing.to_json())
    assert list(data) == TOP_LEVEL_KEYS
    assert data["schema_version"] == 2
    assert [t["name"] for t in data["triggers"]] == list(ALL_TRIGGERS)
    for t in data["triggers"]:
        assert list(t) == TRIGGER_KEYS
        assert isinstance(t["measured"], float) and isinstance(t["threshold"], float)
        assert t["unit"] in ("percent", "minutes")
    assert all(list(s) == STEP_KEYS for s in data["steps"])
    assert all(list(c) == CHECKLIST_KEYS for c in data["checklist"])
    assert data["slo"] == {
        "objective": 0.999,
        "allowed_error_rate_percent": 0.1,
        "given_as": "slo_objective",
    }
    assert data["baseline"]["mttr_minutes"] is None
    assert data["baseline"]["deploy_lead_time_minutes"] == 55
    assert data["source"].endswith("baseline-growing.yaml")
    assert data["fired"] == [t["name"] for t in data["triggers"] if t["fired"]]


def test_every_field_and_json_key_is_documented() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    docstring = assess_module.__doc__ or ""
    for spec in assess_module.FIELD_SPECS:
        assert f"`{spec.name}`" in readme, spec.name
        assert f"``{spec.name}``" in docstring, spec.name
    for key in TOP_LEVEL_KEYS + TRIGGER_KEYS + STEP_KEYS + CHECKLIST_KEYS:
        assert f"`{key}`" in readme, key
        assert f"``{key}``" in docstring, key


def test_render_text_shows_triggers_stage_steps_and_checklist(growing: Assessment) -> None:
    text = growing.render_text()
    assert "Recommended stage: fargate" in text
    assert text.count("[FIRED]") == 3 and text.count("[ ok  ]") == 1
    assert "7.5% (fires above 5%)" in text
    assert "55 min (fires above 30 min)" in text
    positions = [text.index(f"{n}. [phase") for n in range(1, 6)]
    assert positions == sorted(positions)
    assert text.index("CDN and caching") < text.index("CI/CD") < text.index("Observability")
    checklist_marks = [line[:6] for line in text.splitlines() if line.startswith("  [")]
    assert checklist_marks.count("  [x] ") == 4
    assert "not measured yet: mttr_minutes" in text
    assert "[" not in text.splitlines()[0]  # plain text, no rich markup in the title


# --------------------------------------------------------------------------- bad input


def test_current_stage_is_the_one_required_field(tmp_path: Path) -> None:
    path = write(tmp_path, "p95_latency_ms: 300\ndeploy_lead_time_minutes: 45\n")
    with pytest.raises(AssessError) as info:
        load_metrics(path)
    message = str(info.value)
    assert "\n" not in message
    assert message == f"{path}: 1 problem: missing required field current_stage"
    assert {p.kind for p in info.value.problems} == {"missing"}


def test_an_empty_value_counts_as_missing(tmp_path: Path) -> None:
    text = yaml_of({k: v for k, v in CALM.items() if k != "current_stage"})
    with pytest.raises(AssessError, match=r"1 problem: missing required field current_stage$"):
        load_metrics(write(tmp_path, text + "current_stage:\n"))
    # an empty trigger input is not given: that trigger is not judged
    text = yaml_of({k: v for k, v in CALM.items() if k != "deploy_lead_time_minutes"})
    result = assess(load_metrics(write(tmp_path, text + "deploy_lead_time_minutes:\n")))
    assert result.unjudged == ("deploy_lead_time",)


@pytest.mark.parametrize(
    ("field", "yaml_value", "expected"),
    [
        ("deploy_lead_time_minutes", '"45"', "must be a number (minutes), got str '45'"),
        ("conversion_change_after_peak_percent", "7.5%", "got str '7.5%'"),
        ("incident_time_share_percent", "true", "got bool True"),
        ("p95_latency_ms", "[1, 2]", "got list [1, 2]"),
        ("mttr_minutes", "{a: 1}", "got dict"),
        (
            "current_stage",
            "kubernetes",
            "is not a stage: use one of single-server, express, fargate, eks",
        ),
        ("current_stage", "fargat", "(did you mean 'fargate'?)"),
        ("name", "42", "must be non-empty text"),
    ],
)
def test_wrong_types_are_named(tmp_path: Path, field: str, yaml_value: str, expected: str) -> None:
    text = yaml_of({k: v for k, v in CALM.items() if k != field}) + f"{field}: {yaml_value}\n"
    with pytest.raises(AssessError) as info:
        load_metrics(write(tmp_path, text))
    assert info.value.fields == (field,)
    assert field in str(info.value) and expected in str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("deploy_lead_time_minutes", -5, "deploy_lead_time_minutes=-5 is negative: use >= 0"),
        ("mttr_minutes", -1, "mttr_minutes=-1 is negative"),
        ("monthly_cost_usd", -10.5, "monthly_cost_usd=-10.5 is negative"),
        ("p95_latency_ms", -3, "p95_latency_ms=-3 is negative"),
        ("error_rate_during_campaigns_percent", -0.1, "is negative: use >= 0 and <= 100"),
        ("incident_time_share_percent", 140, "=140 is above 100: use >= 0 and <= 100 (percent)"),
        ("error_rate_during_campaigns_percent", 101, "=101 is above 100"),
        ("conversion_change_after_peak_percent", -150, "=-150 is below -100: use >= -100"),
        ("slo_objective", 99.9, "is not below 1: use > 0 and < 1 (fraction: 99.9% is 0.999)"),
        ("slo_objective", 1, "slo_objective=1 is not below 1"),
        ("slo_objective", 0, "slo_objective=0 is not above 0"),
        ("deploy_lead_time_minutes", float("inf"), "must be a finite number"),
    ],
)
def test_out_of_range_values_are_named(field: str, value: float, expected: str) -> None:
    with pytest.raises(AssessError) as info:
        metrics(**{field: value})
    assert info.value.fields == (field,)
    assert expected in str(info.value)


def test_slo_budget_out_of_range_and_both_slo_forms_refused() -> None:
    with pytest.raises(AssessError, match=r"slo_error_budget_percent=0 is not above 0"):
        metrics(slo_objective=None, slo_error_budget_percent=0)
    with pytest.raises(AssessError, match=r"are both given: keep one") as info:
        metrics(slo_error_budget_percent=0.1)
    assert info.value.fields == ("slo_error_budget_percent",)


def test_unknown_fields_are_named_with_the_closest_field(tmp_path: Path) -> None:
    text = yaml_of(CALM) + "deploy_leadtime_minutes: 3\nteam_size: 4\n"
    with pytest.raises(AssessError) as info:
        load_metrics(write(tmp_path, text))
    message = str(info.value)
    assert "unknown field 'deploy_leadtime_minutes' (did you mean 'deploy_lead_time_minutes'?)" in (
        message
    )
    assert "unknown field 'team_size'" in message
    assert info.value.fields == ("deploy_leadtime_minutes", "team_size")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "current_stage: fargat\n"
        'conversion_change_after_peak_percent: "-7"\n'
        "slo_objective: 99.9\n"
        "deploy_lead_time_minutes: -5\n"
        "incident_time_share_percent: 140\n"
        "typo_field: 1\n"
    )
    with pytest.raises(AssessError) as info:
        load_metrics(write(tmp_path, text))
    assert info.value.fields == (
        "current_stage",
        "conversion_change_after_peak_percent",
        "slo_objective",
        "deploy_lead_time_minutes",
        "incident_time_share_percent",
        "typo_field",
    )
    message = str(info.value)
    assert "6 problems" in message and "\n" not in message
    for field in info.value.fields:
        assert field in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- deploy_lead_time_minutes: 45\n- current_stage: eks\n", r"the top level is a list"),
        ("just some words\n", r"the top level is str 'just some words'"),
        ("", r"is empty: expected a mapping"),
        ("# only a comment\n", r"is empty"),
        ("deploy_lead_time_minutes: [45\ncurrent_stage: eks\n", r"not valid YAML at line 2"),
        ("a: b: c\n", r"not valid YAML at line 1, column 5: mapping values are not allowed here"),
        ("current_stage: eks\ncurrent_stage: fargate\n", r"line 2.*'current_stage' is given twice"),
    ],
    ids=["list", "scalar", "empty", "comment-only", "unclosed-list", "bad-mapping", "duplicate"],
)
def test_malformed_files_give_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(AssessError, match=expected) as info:
        load_metrics(path)
    assert str(info.value).startswith(f"{path}: ")
    assert "\n" not in str(info.value)


def test_unreadable_paths_give_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(AssessError, match=r"metrics file not found"):
        load_metrics(tmp_path / "nope.yaml")
    with pytest.raises(AssessError, match=r"is a directory"):
        load_metrics(tmp_path)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(AssessError, match=r"not UTF-8"):
        load_metrics(binary)


def test_metrics_built_in_code_are_validated_too() -> None:
    with pytest.raises(AssessError, match=r"metrics: 2 problems") as info:
        Metrics(
            current_stage="ec2",  # type: ignore[arg-type]
            conversion_change_after_peak_percent=0,
            error_rate_during_campaigns_percent=0,
            deploy_lead_time_minutes=-1,
            incident_time_share_percent=0,
            slo_objective=0.99,
        )
    assert info.value.fields == ("current_stage", "deploy_lead_time_minutes")


def test_the_cli_prints_an_assess_error_as_one_line() -> None:
    from gridops_infra.cli.errors import user_error_message

    with pytest.raises(AssessError) as info:
        metrics(deploy_lead_time_minutes=-5)
    assert isinstance(info.value, ValueError)
    assert user_error_message(info.value) == str(info.value)
    assert re.fullmatch(
        r"test: 1 problem: deploy_lead_time_minutes=-5 is negative.*", str(info.value)
    )
