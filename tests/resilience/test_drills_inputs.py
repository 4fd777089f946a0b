"""ResilienceDrills refuses what it cannot drill, naming the field, before it registers
anything; `enabled: False` checks everything and registers nothing; the defaults and knobs
that change the templates. One preview runs every refused call (each caught inside it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview, reveal

TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate"
ALARM_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-5xx"
SERVICE_ARGS = {
    "image": "ghcr.io/acme/api:1.4.2",
    "port": 8080,
    "cpu": 512,
    "memory": 1024,
    "min_count": 2,
    "max_count": 4,
}

Env = dict[str, Any]
# (case, targets from the environment, extra args, field the message must name)
BAD: list[tuple[str, Callable[[Env], list[Any]], dict[str, Any], str]] = [
    ("no targets", lambda e: [], {}, "targets"),
    ("targets not a list", lambda e: e["api"], {}, "targets"),
    ("unsupported kinds", lambda e: [e["api"], e["net"], "db"], {}, "targets"),
    ("service on a single server", lambda e: [e["box_svc"]], {}, "targets"),
    ("same target twice", lambda e: [e["api"], e["api"]], {}, "targets"),
    ("single-AZ database", lambda e: [e["api"], e["single_az_db"]], {}, "targets"),
    ("aurora without readers", lambda e: [e["api"], e["lonely_aurora"]], {}, "targets"),
    ("single-AZ cache", lambda e: [e["api"], e["single_az_cache"]], {}, "targets"),
    ("data drills without any alarm", lambda e: [e["db"]], {}, "stop_alarm_names"),
    ("service without an SLO alarm", lambda e: [e["web"]], {"observability": "obs"}, "targets"),
    ("alarm name too long", lambda e: [e["api"]], {"stop_alarm_names": ["a" * 256]}, "stop_alarm_names"),
    ("alarm names as text", lambda e: [e["api"]], {"stop_alarm_names": "api-slo"}, "stop_alarm_names"),
    ("alarm ARN of a topic", lambda e: [e["api"]], {"stop_alarm_arns": ["arn:aws:sns:us-east-1:123456789012:t"]}, "stop_alarm_arns"),
    (
        "six stop alarms",
        lambda e: [e["api"]],
        {"stop_alarm_names": [f"a{i}" for i in range(5)], "stop_alarm_arns": [ALARM_ARN]},
        "stop_alarm_names",
    ),
    ("observability of the wrong kind", lambda e: [e["api"]], {"observability": "net"}, "observability"),
    ("selection typo", lambda e: [e["api"]], {"selection_mode": "COUNT(0)"}, "selection_mode"),
    ("selection over 100%", lambda e: [e["api"]], {"selection_mode": "PERCENT(101)"}, "selection_mode"),
    ("zone outside the network", lambda e: [e["cache"]], {"redis_availability_zone": "eu-west-1a", "stop_alarm_names": ["x"]}, "redis_availability_zone"),
    ("zone without a cache", lambda e: [e["api"]], {"redis_availability_zone": "us-east-1a"}, "redis_availability_zone"),
    ("power cut too short", lambda e: [e["cache"]], {"redis_interruption_seconds": 30, "stop_alarm_names": ["x"]}, "redis_interruption_seconds"),
    ("power cut over 12 hours", lambda e: [e["cache"]], {"redis_interruption_seconds": 43201, "stop_alarm_names": ["x"]}, "redis_interruption_seconds"),
    ("power cut without a cache", lambda e: [e["api"]], {"redis_interruption_seconds": 600}, "redis_interruption_seconds"),
    ("grace period without EKS", lambda e: [e["api"]], {"pod_grace_period_seconds": 0}, "pod_grace_period_seconds"),
    ("log retention CloudWatch refuses", lambda e: [e["api"]], {"log_retention_days": 10}, "log_retention_days"),
    ("enabled as text", lambda e: [e["api"]], {"enabled": "false"}, "enabled"),
    ("unknown transform role", lambda e: [e["api"]], {"transforms": {"template": {}}}, "template"),
    ("unknown argument", lambda e: [e["api"]], {"stop_alarms": ["x"]}, "stop_alarms"),
]  # fmt: skip


def _environment() -> Env:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    cluster = FargateCluster("prod", {"network": net})
    box = SingleServer("box", {"network": net})
    api = StatelessService("api", {"platform": cluster, **SERVICE_ARGS})
    web = StatelessService(
        "web", {"platform": cluster, **SERVICE_ARGS, "path_patterns": ["/web/*"]}
    )
    obs = ObservabilityStack(
        "obs", {"resources": [api], "slos": [Slo.availability(api, objective=0.999)]}
    )
    return {
        "net": net,
        "api": api,
        "web": web,
        "obs": obs,
        "long_db": ManagedPostgresWithReplicas(
            "orders-database-of-the-checkout-service", {"network": net, "identifier": "orders"}
        ),
        "box_svc": StatelessService("boxed", {"platform": box, **SERVICE_ARGS}),
        "db": ManagedPostgresWithReplicas("db", {"network": net, "replicas": 1}),
        "single_az_db": ManagedPostgresWithReplicas("solo", {"network": net, "multi_az": False}),
        "lonely_aurora": ManagedPostgresWithReplicas(
            "aur", {"network": net, "engine_mode": "aurora", "replicas": 0}
        ),
        "cache": RedisCache("cache", {"network": net, "replicas": 1}),
        "single_az_cache": RedisCache("solo-cache", {"network": net, "replicas": 0}),
    }


@pytest.fixture(scope="module")
def refusals():
    errors: dict[str, str | None] = {}
    names: dict[str, str] = {}

    def program() -> None:
        env = _environment()
        for i, (case, targets, extra, _) in enumerate(BAD):
            args = {"targets": targets(env), **extra}
            for key in ("observability",):
                if isinstance(args.get(key), str):
                    args[key] = env[args[key]]
            names[case] = f"bad{i}"
            try:
                ResilienceDrills(names[case], args)
            except ValueError as exc:
                errors[case] = str(exc)
            else:
                errors[case] = None

    return preview(program, stack="fargate"), errors, names


@pytest.mark.parametrize(("case", "targets", "extra", "field"), BAD, ids=[c for c, *_ in BAD])
def test_bad_input_is_refused_naming_the_field(refusals, case, targets, extra, field) -> None:
    _, errors, names = refusals
    message = errors[case]
    assert message is not None, f"{case} was accepted"
    assert message.startswith(f"ResilienceDrills '{names[case]}': ")
    assert field in message


def test_nothing_was_registered_for_any_refused_call(refusals) -> None:
    plan, _, names = refusals
    assert plan.of_type("gridops:aws:StatelessService")  # the program did run
    refused = set(names.values())
    leaked = [r.urn for r in plan.resources if r.name.split("-")[0] in refused]
    assert leaked == []
    assert not plan.of_type("gridops:aws:ResilienceDrills")
    assert not plan.of_type(TEMPLATE)


def test_unsupported_kinds_are_named(refusals) -> None:
    _, errors, _ = refusals
    message = errors["unsupported kinds"] or ""
    assert "Network 'prod'" in message and "str" in message
    assert "StatelessService 'api'" not in message
    assert "StatelessService 'boxed' on single-server" in (
        errors["service on a single server"] or ""
    )


def test_refusals_say_why(refusals) -> None:
    _, errors, _ = refusals
    assert "multi_az=False" in (errors["single-AZ database"] or "")
    assert "replicas=0" in (errors["aurora without readers"] or "")
    assert "Multi-AZ replication group" in (errors["single-AZ cache"] or "")
    assert "gridops-fargate-web-slo-page" in (errors["service without an SLO alarm"] or "")
    assert "at most 5 stop conditions" in (errors["six stop alarms"] or "")


def test_a_single_bad_call_raises_out_of_preview() -> None:
    def program() -> None:
        net = Network("n", {"az_count": 2})
        ResilienceDrills("drills", {"targets": [net]})

    with pytest.raises(ValueError, match=r"targets=.*Network 'n'"):
        preview(program)


def test_bad_component_names_are_refused() -> None:
    for bad in ("drills x", "drills.x", ""):
        with pytest.raises(ValueError, match="name="):
            ResilienceDrills(bad, {"targets": []})
    # Names of any length and case are accepted: what is refused next is the empty targets.
    for good in ("1drills", "drills_x", "d" * 21):
        with pytest.raises(ValueError, match=r"targets=\[\]"):
            ResilienceDrills(good, {"targets": []})


def test_a_drill_role_too_long_to_autoname_gets_a_name_prefix() -> None:
    """`drills-orders-database-of-the-checkout-service-failover-role` plus Pulumi's 8 would
    pass IAM's 64: the drill registers, its role autonamed from a prefix that fits."""

    def program() -> None:
        env = _environment()
        ResilienceDrills("drills", {"targets": [env["api"], env["long_db"]]})

    plan = preview(program, stack="fargate")
    assert len(plan.of_type(TEMPLATE)) == 2
    roles = [r for r in plan.of_type("aws:iam/role:Role") if r.name.startswith("drills-orders")]
    assert len(roles) == 1 and len(roles[0].inputs["namePrefix"]) <= 38


@pytest.fixture(scope="module")
def disabled():
    errors: list[str] = []
    seen: dict[str, Any] = {}

    def program() -> None:
        env = _environment()
        seen["drills"] = ResilienceDrills(
            "drills", {"targets": [env["api"], env["db"]], "enabled": False}
        )
        for bad in (
            {"targets": [env["net"]]},
            {"targets": [env["api"]], "tags": "team=sre"},
            {"targets": [env["api"]], "transforms": {"template": {}}},
        ):
            try:
                ResilienceDrills("bad", {**bad, "enabled": False})
            except ValueError as exc:
                errors.append(str(exc))

    return preview(program, stack="fargate"), seen, errors


def test_disabled_drills_register_nothing(disabled) -> None:
    plan, seen, _ = disabled
    assert plan.of_type("gridops:aws:StatelessService")  # the program did run
    assert not plan.of_type("gridops:aws:ResilienceDrills")
    assert not [r for r in plan.resources if r.name.startswith("drills")]
    drills = seen["drills"]
    assert drills.enabled is False
    assert drills.drills == ["api-stop-task", "db-failover"]
    assert drills.experiment_template_ids == {} and drills.nodes == {}


def test_disabled_drills_are_still_checked(disabled) -> None:
    _, _, errors = disabled
    assert len(errors) == 3
    assert "targets=" in errors[0] and "tags=" in errors[1] and "template" in errors[2]


@pytest.fixture(scope="module")
def tuned():
    seen: dict[str, Any] = {}

    def program() -> None:
        env = _environment()
        seen["drills"] = ResilienceDrills(
            "drills",
            {
                "targets": [env["api"], env["web"], env["db"], env["cache"]],
                "selection_mode": "ALL",
                "redis_availability_zone": env["net"].availability_zones[2],
                "redis_interruption_seconds": 90,
                "log_retention_days": 30,
                "transforms": {"role": {"max_session_duration": 7200}},
            },
        )
        seen["zone"] = env["net"].availability_zones[2]

    return preview(program, stack="fargate"), seen


def _template(plan, key: str) -> dict[str, Any]:
    return reveal(plan.one(TEMPLATE, f"drills-{key}").inputs)


def _alarm(service: str) -> dict[str, str]:
    arn = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:gridops-fargate-{service}-slo-page"
    return {"source": "aws:cloudwatch:alarm", "value": arn}


def test_by_default_a_service_stops_on_its_own_alarm_and_data_on_every_service(tuned) -> None:
    plan, _ = tuned
    assert _template(plan, "api-stop-task")["stopConditions"] == [_alarm("api")]
    assert _template(plan, "web-stop-task")["stopConditions"] == [_alarm("web")]
    for key in ("db-failover", "cache-az-power"):
        assert _template(plan, key)["stopConditions"] == [_alarm("api"), _alarm("web")]


def test_knobs_reach_the_templates(tuned) -> None:
    plan, seen = tuned
    assert _template(plan, "api-stop-task")["targets"][0]["selectionMode"] == "ALL"
    cache = _template(plan, "cache-az-power")
    assert cache["targets"][0]["parameters"] == {"availabilityZoneIdentifier": seen["zone"]}
    assert cache["actions"][0]["parameters"] == [{"key": "duration", "value": "PT1M30S"}]
    group = plan.one("aws:cloudwatch/logGroup:LogGroup", "drills-logs")
    assert group.inputs["retentionInDays"] == 30


def test_transforms_reach_every_drill_role(tuned) -> None:
    plan, seen = tuned
    roles = [plan.one("aws:iam/role:Role", f"drills-{key}-role") for key in seen["drills"].drills]
    assert len(roles) == 4
    assert all(r.inputs["maxSessionDuration"] == 7200 for r in roles)


def test_iso_durations() -> None:
    from gridops_infra.resilience.experiments import iso_duration

    assert [iso_duration(s) for s in (60, 90, 600, 3600, 3661, 43200)] == [
        "PT1M",
        "PT1M30S",
        "PT10M",
        "PT1H",
        "PT1H1M1S",
        "PT12H",
    ]
