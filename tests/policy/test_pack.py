"""The pulumi-policy adapter: the same rules as policies, and the same verdicts.

No policy server is started: the policies are called with argument objects shaped like
pulumi-policy's, and the parity test drives pulumi-policy's own analyzer servicer (the
object its gRPC server would call) with protobuf requests built from the Plan.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import (
    EnforcementLevel,
    ResourceValidationPolicy,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from gridops_infra.policy import PolicyReport, all_rules
from gridops_infra.policy import pack as pack_module
from gridops_infra.policy.pack import PACK_NAME, build_policies, initial_config, serve
from gridops_infra.testing import Plan
from gridops_infra.testing.plan import SecretValue, Unknown

REPO = Path(__file__).resolve().parents[2]
OFFLINE_ONLY = {"stateful-resource-protected"}


def test_policies_have_the_rules_names_and_kinds() -> None:
    policies = build_policies()
    rules = {r.name: r for r in all_rules()}
    assert [p.name for p in policies] == [n for n in rules if n not in OFFLINE_ONLY]
    assert {r.name for r in all_rules() if r.offline_only} == OFFLINE_ONLY
    for policy in policies:
        rule = rules[policy.name]
        expected = ResourceValidationPolicy if rule.kind == "resource" else StackValidationPolicy
        assert isinstance(policy, expected)
        assert policy.description == rule.description
        assert policy.enforcement_level == EnforcementLevel(rule.severity)
        assert policy.remediation_steps == rule.remediation


def test_rule_settings_become_config_schemas() -> None:
    (policy,) = [p for p in build_policies() if p.name == "rds-backup-retention"]
    assert policy.config_schema is not None
    assert policy.config_schema.properties == {
        "minimumDays": {"type": "integer", "minimum": 1, "default": 7}
    }


def test_enforcement_overrides_reach_the_policies() -> None:
    policies = {
        p.name: p for p in build_policies({"all": "advisory", "kms-key-rotation": "disabled"})
    }
    assert policies["kms-key-rotation"].enforcement_level == EnforcementLevel.DISABLED
    assert policies["rds-storage-encrypted"].enforcement_level == EnforcementLevel.ADVISORY


def fake_resource_args(resource_type: str, props: dict[str, Any], name: str = "r") -> Any:
    return SimpleNamespace(
        resource_type=resource_type,
        props=unknown_checking_proxy(props),
        urn=f"urn:pulumi:dev::p::{resource_type}::{name}",
        name=name,
        opts=SimpleNamespace(protect=False, parent=None),
        provider=None,
        stack_tags={},
        get_config=lambda: {},
    )


def run(policy: Any, args: Any) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    policy.validate(args, lambda message, urn=None: found.append((message, urn)))
    return found


def test_resource_policy_validates_fake_args() -> None:
    (policy,) = [p for p in build_policies() if p.name == "rds-storage-encrypted"]
    bad = fake_resource_args("aws:rds/instance:Instance", {"storageEncrypted": False})
    good = fake_resource_args("aws:rds/instance:Instance", {"storageEncrypted": True})
    other = fake_resource_args("aws:kms/key:Key", {})
    assert [m for m, _ in run(policy, bad)] == [
        "storageEncrypted is not true: data, backups and snapshots are unencrypted."
    ]
    assert run(policy, good) == [] and run(policy, other) == []


def test_stack_policy_validates_fake_args() -> None:
    (policy,) = [p for p in build_policies() if p.name == "sqs-dead-letter-queue"]

    def queue(name: str, **props: Any) -> Any:
        return SimpleNamespace(
            resource_type="aws:sqs/queue:Queue",
            props=unknown_checking_proxy({"arn": f"arn:aws:sqs:us-east-1:1:{name}", **props}),
            urn=f"urn:{name}",
            name=name,
            property_dependencies={},
        )

    dlq = queue("dlq")
    work = queue("work", redrivePolicy='{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq"}')
    lonely = queue("lonely")
    args = SimpleNamespace(resources=[dlq, work, lonely], get_config=lambda: {})
    assert [urn for _, urn in run(policy, args)] == ["urn:lonely"]


# --- parity: pulumi-policy's analyzer servicer vs the offline runner ------------------------


def wire(value: Any) -> Any:
    """Plan value -> the JSON the engine sends (secrets signed, unknowns as sentinels)."""
    if isinstance(value, SecretValue):
        return {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": wire(value.value)}
    if isinstance(value, Unknown):
        return UNKNOWN_STRING_VALUE
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    return value


def struct(values: dict[str, Any]) -> struct_pb2.Struct:
    return json_format.ParseDict(wire(values), struct_pb2.Struct())


def servicer(enforcement: dict[str, Any] | None = None) -> Any:
    return _PolicyAnalyzerServicer(
        PACK_NAME, "0.0.1", build_policies(enforcement), EnforcementLevel.ADVISORY
    )


def analyze(plan: Plan, analyzer: Any) -> set[tuple[str, str, int]]:
    """(policy, urn, enforcement) of every diagnostic the real pack produces for `plan`."""
    found: set[tuple[str, str, int]] = set()
    for record in plan.custom_resources:
        request = proto.AnalyzeRequest(
            type=record.type,
            properties=struct(record.inputs),
            urn=record.urn,
            name=record.name,
            options=proto.AnalyzerResourceOptions(protect=record.protect),
        )
        for diag in analyzer.Analyze(request, None).diagnostics:
            found.add((diag.policyName, record.urn, diag.enforcementLevel))
    resources = [
        proto.AnalyzerResource(
            type=r.type,
            properties=struct(r.outputs if r.custom and r.outputs else r.inputs),
            urn=r.urn,
            name=r.name,
            parent=r.parent or "",
            dependencies=r.dependencies,
            propertyDependencies={
                k: proto.AnalyzerPropertyDependencies(urns=v)
                for k, v in r.property_dependencies.items()
            },
        )
        for r in plan.resources
    ]
    response = analyzer.AnalyzeStack(proto.AnalyzeStackRequest(resources=resources), None)
    for diag in response.diagnostics:
        found.add((diag.policyName, diag.urn, diag.enforcementLevel))
    return found


def offline(report: PolicyReport) -> set[tuple[str, str, int]]:
    level = {"mandatory": proto.MANDATORY, "advisory": proto.ADVISORY}
    return {
        (v.rule, v.resource_urn or "", level[v.severity])
        for v in report.violations
        if v.rule not in OFFLINE_ONLY
    }


@pytest.mark.parametrize("plan_name", ["bad_plan", "good_plan", "no_tls_plan"])
def test_real_pack_and_offline_runner_agree(plan_name: str, request: pytest.FixtureRequest) -> None:
    from gridops_infra.policy import check_plan

    plan: Plan = request.getfixturevalue(plan_name)
    real = analyze(plan, servicer())
    assert real == offline(check_plan(plan))
    if plan_name == "bad_plan":
        tripped = {policy for policy, _, _ in real}
        practices = {
            r.name
            for r in all_rules()
            # no_tls_plan trips these two (the bad program has a budget to be too low).
            if r.name not in OFFLINE_ONLY | {"alb-http-without-tls", "budget-on-production"}
            and not r.aws_rule
        }
        # Every practice rule trips on the bad program; rules guarding an AWS rule are each
        # proved by tests/deployability's programs, and some trip here as well.
        assert practices <= tripped
        assert tripped - practices <= {r.name for r in all_rules() if r.aws_rule}


def test_policy_config_sets_levels_and_settings_in_the_real_pack(bad_plan: Plan) -> None:
    analyzer = servicer()
    analyzer.Configure(
        proto.ConfigureAnalyzerRequest(
            policyConfig={
                "rds-storage-encrypted": proto.PolicyConfig(enforcementLevel=proto.DISABLED),
                "rds-multi-az": proto.PolicyConfig(enforcementLevel=proto.MANDATORY),
                "rds-backup-retention": proto.PolicyConfig(
                    enforcementLevel=proto.MANDATORY, properties=struct({"minimumDays": 14})
                ),
            }
        ),
        None,
    )
    db = bad_plan.one("aws:rds/instance:Instance", "db")
    request = proto.AnalyzeRequest(
        type=db.type, properties=struct(db.inputs), urn=db.urn, name=db.name
    )
    diagnostics = analyzer.Analyze(request, None).diagnostics
    by_policy = {d.policyName: d for d in diagnostics}
    assert "rds-storage-encrypted" not in by_policy
    assert by_policy["rds-multi-az"].enforcementLevel == proto.MANDATORY
    assert "at least 14 days required" in by_policy["rds-backup-retention"].message


def test_unknown_values_become_preview_diagnostics_in_the_real_pack() -> None:
    request = proto.AnalyzeRequest(
        type="aws:rds/instance:Instance",
        properties=struct({"storageEncrypted": Unknown()}),
        urn="urn:pulumi:dev::p::aws:rds/instance:Instance::db",
        name="db",
    )
    diagnostics = servicer().Analyze(request, None).diagnostics
    (diag,) = [d for d in diagnostics if d.policyName == "rds-storage-encrypted"]
    assert "can't be known during preview" in diag.message
    assert diag.enforcementLevel == proto.ADVISORY


# --- serving the pack -----------------------------------------------------------------------


class RecordingPack:
    calls: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        RecordingPack.calls.append(kwargs)


@pytest.fixture
def recording_pack(monkeypatch: pytest.MonkeyPatch) -> type[RecordingPack]:
    RecordingPack.calls = []
    monkeypatch.setattr(pack_module, "PolicyPack", RecordingPack)
    return RecordingPack


def test_serve_builds_the_pack(recording_pack: type[RecordingPack]) -> None:
    serve({"rds-backup-retention": {"minimumDays": 10}})
    (kwargs,) = recording_pack.calls
    assert kwargs["name"] == PACK_NAME
    assert [p.name for p in kwargs["policies"]] == [p.name for p in build_policies()]
    assert kwargs["initial_config"] == {
        "rds-backup-retention": {"enforcementLevel": EnforcementLevel.MANDATORY, "minimumDays": 10}
    }
    assert initial_config() == {}


def test_policypack_directory_runs_the_pack(recording_pack: type[RecordingPack]) -> None:
    runpy.run_path(str(REPO / "policypack" / "__main__.py"), run_name="__main__")
    (kwargs,) = recording_pack.calls
    assert kwargs["name"] == PACK_NAME and kwargs["initial_config"] is None
    project = yaml.safe_load((REPO / "policypack" / "PulumiPolicy.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    assert project["description"]
