"""AWS AppConfig: each rule of `core/aws_rules/appconfig.py` refuses, in FeatureFlags and
before it registers anything, a program AWS would refuse, and accepts the nearest one AWS
accepts."""

from __future__ import annotations

import pytest

from gridops_infra import FeatureFlags

from .refusals import assert_cites

ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors-{}"
ONE = {"new-checkout": {"enabled": True}}


def attributes(count: int) -> dict:
    return {"new-checkout": {"attributes": {f"a{i}": {"value": i} for i in range(count)}}}


# (AWS rule id, field, refused arguments, accepted arguments)
COMPONENT_CASES = [
    ("appconfig-flag-key", "flags", {"flags": {"NewCheckout": {}}}, {"flags": {"newCheckout": {}}}),
    ("appconfig-flag-key", "flags", {"flags": {"new.checkout": {}}}, {"flags": {"new_checkout": {}}}),
    ("appconfig-flag-key", "flags", {"flags": {"n" * 65: {}}}, {"flags": {"n" * 64: {}}}),
    (
        "appconfig-flag-key",
        "flags['new-checkout'].attributes",
        {"flags": {"new-checkout": {"attributes": {"Page size": {"value": 1}}}}},
        {"flags": {"new-checkout": {"attributes": {"page-size": {"value": 1}}}}},
    ),
    ("appconfig-flag-attributes", "flags['new-checkout'].attributes", {"flags": attributes(26)}, {"flags": attributes(25)}),
    (
        "appconfig-flag-attributes",
        "flags['new-checkout'].attributes['page-size']",
        {"flags": {"new-checkout": {"attributes": {"page-size": {"value": 101, "maximum": 100}}}}},
        {"flags": {"new-checkout": {"attributes": {"page-size": {"value": 100, "maximum": 100}}}}},
    ),
    (
        "appconfig-flag-attributes",
        "flags['new-checkout'].attributes['page-size']",
        {"flags": {"new-checkout": {"attributes": {"page-size": {"value": 0, "minimum": 1}}}}},
        {"flags": {"new-checkout": {"attributes": {"page-size": {"value": 1, "minimum": 1}}}}},
    ),
    (
        "appconfig-flag-attributes",
        "flags['new-checkout'].attributes['colour']",
        {"flags": {"new-checkout": {"attributes": {"colour": {"value": "red", "enum": ["blue", "green"]}}}}},
        {"flags": {"new-checkout": {"attributes": {"colour": {"value": "blue", "enum": ["blue", "green"]}}}}},
    ),
    (
        "appconfig-flag-attributes",
        "flags['new-checkout'].attributes['colour']",
        {"flags": {"new-checkout": {"attributes": {"colour": {"value": "Blue", "pattern": "^[a-z]+$"}}}}},
        {"flags": {"new-checkout": {"attributes": {"colour": {"value": "blue", "pattern": "^[a-z]+$"}}}}},
    ),
    (
        "appconfig-environment-monitors",
        "alarm_arns",
        {"flags": ONE, "alarm_arns": [ALARM.format(i) for i in range(4)]},
        {"flags": ONE, "alarm_arns": [ALARM.format(i) for i in range(3)]},
    ),
    ("appconfig-strategy-ranges", "strategy.growth_factor", {"flags": ONE, "strategy": {"growth_factor": 101}}, {"flags": ONE, "strategy": {"growth_factor": 100}}),
    ("appconfig-strategy-ranges", "strategy.growth_factor", {"flags": ONE, "strategy": {"growth_factor": 0.5}}, {"flags": ONE, "strategy": {"growth_factor": 1}}),
    ("appconfig-strategy-ranges", "strategy.deployment_minutes", {"flags": ONE, "strategy": {"deployment_minutes": 1441}}, {"flags": ONE, "strategy": {"deployment_minutes": 1440}}),
    ("appconfig-strategy-ranges", "strategy.final_bake_minutes", {"flags": ONE, "strategy": {"final_bake_minutes": -1}}, {"flags": ONE, "strategy": {"final_bake_minutes": 0}}),
]  # fmt: skip

# A name whose strategy name `gridops-dev-<name>-rollout` exceeds 64 characters, and one at 64.
NAME_CASES = [("appconfig-name-length", "name", "f" * 45, "f" * 44)]


@pytest.fixture(scope="module")
def component_runs(preview_refusals):
    def make(_, i, case):
        kind, (_, _, refused, accepted) = case
        FeatureFlags(
            f"{kind[:2]}{i % len(COMPONENT_CASES)}", refused if kind == "refused" else accepted
        )

    cases = [("refused", c) for c in COMPONENT_CASES] + [("accepted", c) for c in COMPONENT_CASES]
    return preview_refusals(lambda: None, make, cases)


def flags_resources(plan, name: str) -> list:
    return [r for r in plan.resources if r.name.startswith(f"{name}-") or r.name == name]


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_refuses_what_aws_refuses_and_registers_nothing(component_runs, index):
    plan, errors = component_runs
    rule_id, field, _, _ = COMPONENT_CASES[index]
    assert_cites(errors.get(index), rule_id, field)
    assert flags_resources(plan, f"re{index}") == []


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_accepts_the_nearest_value_aws_accepts(component_runs, index):
    plan, errors = component_runs
    assert errors.get(len(COMPONENT_CASES) + index) is None
    types = {r.type for r in flags_resources(plan, f"ac{index}")}
    assert "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion" in types


def test_a_name_too_long_for_appconfig_is_refused_and_the_longest_accepted(preview_refusals):
    ((rule_id, field, refused, accepted),) = NAME_CASES
    plan, errors = preview_refusals(
        lambda: None, lambda _, i, name: FeatureFlags(name, {"flags": ONE}), [refused, accepted]
    )
    assert_cites(errors.get(0), rule_id, field)
    assert 1 not in errors
    assert flags_resources(plan, refused) == []
    strategy = next(r for r in flags_resources(plan, accepted) if "deploymentStrategy" in r.type)
    assert len(strategy.inputs["name"]) == 64
