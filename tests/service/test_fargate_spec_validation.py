"""The service spec: its defaults, its immutability, and every bad input refused with an
error naming the field, before the service registers anything."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from typing import Any

import pulumi
import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import ServiceSpec, StatelessService
from gridops_infra.testing import preview

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
SIDECAR = {"name": "proxy", "image": "envoyproxy/envoy:v1.31.0"}

# (name, args without platform, pattern the error must match). Each must name the field.
BAD: list[tuple[str, dict[str, Any], str]] = [
    ("svc", {"cpu": 256, "memory": 4096}, r"memory=4096 .*with cpu=256"),
    ("svc", {"cpu": 300}, r"cpu=300 .*one of 256"),
    ("svc", {"min_count": 5, "max_count": 3}, r"min_count=5 .*max_count=3"),
    ("svc", {"min_count": -1}, r"min_count=-1"),
    ("svc", {"max_count": 0}, r"max_count=0"),
    ("svc", {"max_count": -4}, r"max_count=-4"),
    ("svc", {"port": 0}, r"port=0 .*1 to 65535"),
    ("svc", {"port": 70000}, r"port=70000"),
    ("svc", {"port": "8080"}, r"port='8080'"),
    ("has space", {}, r"name='has space' .*letters, digits, hyphens and underscores"),
    ("api.v2", {}, r"name='api.v2' .*letters, digits, hyphens and underscores"),
    ("svc", {"health_check_path": "healthz"}, r"health_check_path='healthz' .*'/'"),
    ("svc", {"health_check_path": "/health check"}, r"health_check_path="),
    ("svc", {"image": ""}, r"image=''"),
    ("svc", {"image": "ghcr.io/acme/api 1.4.2"}, r"image=.*whitespace"),
    ("svc", {"image": " nginx"}, r"image=.*whitespace"),
    ("svc", {"image": None}, r"image=None .*required"),
    ("svc", {"image": "ghcr.io/Acme/API:1"}, r"image=.*image reference"),
    ("svc", {"image": 42}, r"image=42"),
    ("svc", {"domain": "api.example.com"}, r"domain='api.example.com' needs zone_id"),
    ("svc", {"zone_id": "Z0123456789ABC"}, r"zone_id=.*without domain"),
    ("svc", {"domain": "*.example.com", "zone_id": "Z0123456789ABC"}, r"domain="),
    ("svc", {"environment": {"A": "1"}, "secrets": {"A": SECRET}}, r"environment=\['A'\]"),
    ("svc", {"environment": {"PORT": 8080}}, r"environment=.*strings"),
    ("svc", {"environment": {"1BAD": "x"}}, r"environment='1BAD'"),
    ("svc", {"secrets": {"DB_PASSWORD": "hunter2"}}, r"secrets\['DB_PASSWORD'\]=<hidden>.*ARN"),
    ("svc", {"links": [object()]}, r"links='object'"),
    ("svc", {"containers": [{"image": "nginx:1"}]}, r"containers\[0\]\.name=None"),
    ("dup", {"containers": [{"name": "dup", "image": "nginx:1"}]}, r"containers\[0\]\.name='dup'"),
    ("svc", {"containers": [{**SIDECAR, "cpu": 256}]}, r"containers\[0\]\.cpu=256"),
    (
        "svc",
        {"containers": [{**SIDECAR, "app_waits_for": "healthy"}]},
        r"containers\[0\]\.app_waits_for",
    ),
    ("svc", {"containers": [{**SIDECAR, "ports": [1]}]}, r"containers\[0\]=.*unknown field"),
    (
        "svc",
        {"containers": [{**SIDECAR, "name": f"s{i}"} for i in range(10)]},
        r"containers has 10",
    ),
    ("svc", {"cpu_architecture": "arm64"}, r"cpu_architecture='arm64'"),
    ("svc", {"log_retention_days": 10}, r"log_retention_days: 10 is not one of"),
    ("svc", {"path_patterns": ["api/*"]}, r"path_patterns="),
    (
        "svc",
        {"hosts": ["a.x.io", "b.x.io", "c.x.io"], "path_patterns": ["/a", "/b", "/c"]},
        r"path_patterns=.*at most 5",
    ),
    ("svc", {"hosts": ["bad host"]}, r"hosts="),
    ("svc", {"priority": 0}, r"priority=0"),
    ("svc", {"deployment_strategy": "recreate"}, r"deployment_strategy='recreate'"),
    ("svc", {"bake_time_minutes": 5}, r"bake_time_minutes=5 .*only with"),
    (
        "svc",
        {"deployment_strategy": "blue-green", "bake_time_minutes": 2000},
        r"bake_time_minutes=2000",
    ),
    (
        "svc",
        {"deployment_strategy": "linear", "traffic_step_percent": 1},
        r"traffic_step_percent=1",
    ),
    (
        "svc",
        {"deployment_strategy": "blue-green", "traffic_step_minutes": 3},
        r"traffic_step_minutes=3 .*canary or linear",
    ),
    ("svc", {"spot": {"base": 1, "on_demand_base": 1}}, r"spot\.base=1"),
    ("svc", {"spot": {"weight": 0, "on_demand_weight": 0}}, r"spot\.weight=0"),
    ("svc", {"spot": {"wieght": 2}}, r"spot=.*unknown field"),
    (
        "svc",
        {"scheduled_scaling": [{"schedule": "every day", "min_count": 1, "max_count": 2}]},
        r"scheduled_scaling\[0\]\.schedule=",
    ),
    (
        "svc",
        {"scheduled_scaling": [{"schedule": "rate(1 day)", "min_count": 3, "max_count": 2}]},
        r"scheduled_scaling\[0\]\.min_count=3",
    ),
    (
        "svc",
        {"task_statements": [{"Action": "s3:GetObject", "Resource": "*"}]},
        r"task_statements\[0\]\.Resource='\*' .*'\*' is refused",
    ),
    (
        "svc",
        {
            "task_statements": [
                {"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Principal": "*"}
            ]
        },
        r"task_statements\[0\]=",
    ),
    ("svc", {"internet_egress_ports": [0]}, r"internet_egress_ports=\[0\]"),
    ("svc", {"rollback_alarm_names": [""]}, r"rollback_alarm_names="),
    ("svc", {"rollback_5xx_percent": 0}, r"rollback_5xx_percent=0"),
    ("svc", {"health_check_grace_period_seconds": 301}, r"health_check_grace_period_seconds=301"),
    (
        "svc",
        {"container_health_check_command": ["curl", "localhost"]},
        r"container_health_check_command=",
    ),
    ("svc", {"cpu_target_percent": 101}, r"cpu_target_percent=101"),
    ("svc", {"requests_per_target": -1}, r"requests_per_target=-1"),
    ("svc", {"user": "app user"}, r"user='app user'"),
    ("svc", {"writable_paths": ["tmp"]}, r"writable_paths="),
    ("svc", {"image_pull_secret_arn": "hunter2"}, r"image_pull_secret_arn=<hidden>"),
    ("svc", {"replicas": 3}, r"unknown argument\(s\) replicas"),
    ("svc", {"transforms": {"pod": {}}}, r"transforms has unknown child role"),
    (
        "svc",
        {"path_patterns": ["/taken/*"]},
        r"hosts=\[\] and path_patterns=\['/taken/\*'\] .*service 'first'",
    ),
    ("svc", {"path_patterns": ["/free/*"], "priority": 200}, r"priority=200 .*service 'first'"),
]


class FakeEks:
    """Claims to be an EKS platform without being an EksCluster."""

    kind = "eks"

    def __init__(self, network: Network) -> None:
        self.network = network
        self.name = "eks"


@pytest.fixture(scope="module")
def results():
    errors: dict[int, str] = {}
    other: dict[str, str] = {}

    def program() -> None:
        net = Network("prod", {})
        cluster = FargateCluster("prod", {"network": net})
        StatelessService(
            "first",
            {
                "platform": cluster,
                "image": "nginx:1.27",
                "path_patterns": ["/taken/*"],
                "priority": 200,
            },
        )
        for i, (name, extra, _) in enumerate(BAD):
            args = {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2", **extra}
            try:
                StatelessService(name if name != "svc" else f"svc{i}", args)
            except ValueError as exc:
                errors[i] = str(exc)
        for key, args in {
            "missing": {"image": "nginx:1"},
            "network": {"image": "nginx:1", "platform": net},
        }.items():
            try:
                StatelessService("svc", args)
            except ValueError as exc:
                other[key] = str(exc)
        try:
            StatelessService("svc", {"image": "nginx:1", "platform": FakeEks(net)})
        except ValueError as exc:
            other["eks"] = str(exc)

    return preview(program), errors, other


@pytest.mark.parametrize("index", range(len(BAD)), ids=[b[2][:40] for b in BAD])
def test_bad_input_is_refused_naming_the_field(results, index):
    _, errors, _ = results
    assert index in errors, f"accepted: {BAD[index]}"
    assert errors[index].startswith("StatelessService"), errors[index]
    assert re.search(BAD[index][2], errors[index]), errors[index]


def test_platform_must_be_a_platform(results):
    _, _, other = results
    assert "platform=nothing" in other["missing"]
    assert "platform=Network" in other["network"]


def test_a_platform_object_of_the_wrong_kind_is_refused(results):
    _, _, other = results
    assert "platform=FakeEks is not an EksCluster" in other["eks"]


def test_refused_services_register_nothing(results):
    plan, _, _ = results
    services = plan.of_type("gridops:aws:StatelessService")
    assert [s.name for s in services] == ["first"]
    first = services[0].urn
    owned = [r for r in plan.resources if r.parent == first]
    assert owned and all(r.name.startswith("first-") for r in owned)
    assert len(plan.of_type("aws:ecs/service:Service")) == 1
    cluster = plan.one("gridops:aws:FargateCluster", "prod").urn
    assert not [r for r in plan.resources if r.parent == cluster and r.name.startswith("svc")]


def test_preview_surfaces_the_error_when_the_program_does_not_catch_it():
    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        StatelessService(
            "api", {"platform": cluster, "image": "nginx:1", "cpu": 256, "memory": 4096}
        )

    with pytest.raises(ValueError, match="memory=4096"):
        preview(program)


def test_the_workload_name_is_the_name_when_it_is_a_short_dns_label():
    for name in ("api", "a-service-name-of-21c", "a" * 32):
        assert ServiceSpec.from_args(name, {"image": "nginx:1.27"}).name == name


def test_other_names_run_under_a_derived_dns_label():
    """Mixed case, underscores or more than 32 characters: the workload (ECS container,
    Kubernetes objects, compose service) runs under a lowercase DNS label derived from the
    name, stable and distinct for names that share a prefix."""
    derived = {
        name: ServiceSpec.from_args(name, {"image": "nginx:1.27"}).name
        for name in ("Api", "checkout_api", "x" * 60 + "-one", "x" * 60 + "-two")
    }
    for label in derived.values():
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", label) and len(label) <= 32, label
    assert derived["Api"].startswith("api-") and derived["checkout_api"].startswith("checkout-api-")
    assert derived["x" * 60 + "-one"] != derived["x" * 60 + "-two"]
    assert ServiceSpec.from_args("Api", {"image": "nginx:1.27"}).name == derived["Api"]


def test_defaults_are_the_documented_ones():
    spec = ServiceSpec.from_args("api", {"image": "nginx:1.27"})
    assert (spec.port, spec.cpu, spec.memory) == (8080, 256, 512)
    assert (spec.min_count, spec.max_count) == (2, 10)
    assert spec.health_check_path == "/" and spec.health_check_grace_period_seconds == 60
    assert spec.cpu_architecture == "ARM64" and spec.log_retention_days == 30
    assert spec.read_only_root_filesystem is True and spec.writable_paths == ("/tmp",)
    assert spec.path_patterns == ("/*",) and spec.hosts == ()
    assert spec.deployment_strategy == "rolling" and spec.bake_time_minutes == 0
    assert (spec.cpu_target_percent, spec.memory_target_percent, spec.requests_per_target) == (
        60,
        0,
        0,
    )
    assert (spec.scale_in_cooldown_seconds, spec.scale_out_cooldown_seconds) == (300, 60)
    assert spec.deregistration_delay_seconds == 30 and spec.internet_egress_ports == (443,)
    assert spec.spot is None and spec.enable_execute_command is False
    assert spec.container_health_check_command[0] == "CMD-SHELL"


def test_related_defaults_follow_other_fields():
    spec = ServiceSpec.from_args(
        "api",
        {
            "image": "nginx:1",
            "min_count": 12,
            "domain": "Api.Example.com",
            "zone_id": "Z0123456789ABC",
        },
    )
    assert spec.max_count == 12
    assert spec.domain == "api.example.com" and spec.hosts == ("api.example.com",)
    assert spec.path_patterns == ()  # the host routes it
    canary = ServiceSpec.from_args("api", {"image": "nginx:1", "deployment_strategy": "canary"})
    assert (canary.bake_time_minutes, canary.traffic_step_percent, canary.traffic_step_minutes) == (
        5,
        10.0,
        5,
    )
    linear = ServiceSpec.from_args("api", {"image": "nginx:1", "deployment_strategy": "linear"})
    assert linear.traffic_step_percent == 20.0
    both = ServiceSpec.from_args(
        "api",
        {
            "image": "nginx:1",
            "hosts": ["www.example.com"],
            "domain": "example.com",
            "zone_id": "Z0123456789ABC",
        },
    )
    assert both.hosts == ("www.example.com", "example.com")
    off = ServiceSpec.from_args("api", {"image": "nginx:1", "container_health_check_command": []})
    assert off.container_health_check_command == ()


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27-alpine",
        "ghcr.io/acme/api:1.4.2",
        "localhost:5000/team/api:dev",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/api@sha256:" + "0" * 64,
        "public.ecr.aws/docker/library/redis:7",
    ],
)
def test_real_image_references_are_accepted(image):
    assert ServiceSpec.from_args("api", {"image": image}).image == image


def test_an_image_built_elsewhere_in_the_program_may_be_an_output():
    seen: list[bool] = []

    def program() -> None:
        image = pulumi.Output.from_input("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:abc")
        seen.append(ServiceSpec.from_args("api", {"image": image}).image is image)

    preview(program)
    assert seen == [True]


def test_the_spec_is_frozen_and_its_mappings_read_only():
    spec = ServiceSpec.from_args("api", {"image": "nginx:1", "environment": {"A": "1"}})
    with pytest.raises(FrozenInstanceError):
        spec.port = 9090  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.environment["B"] = "2"  # type: ignore[index]


def _field_docs(module: Any, class_name: str) -> dict[str, str]:
    """Field -> the docstring under it, read from the class source."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(module))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    docs: dict[str, str] = {}
    body = cls.body
    for node, following in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            text = ""
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                text = str(following.value.value)
            docs[node.target.id] = text
    return docs


@pytest.mark.parametrize(
    ("module_name", "class_name"),
    [
        ("gridops_infra.service.spec.args", "ServiceSpecArgs"),
        ("gridops_infra.service.spec.args", "SidecarArgs"),
        ("gridops_infra.service.spec.args", "ScheduledScalingArgs"),
        ("gridops_infra.service.spec.args", "SpotArgs"),
        ("gridops_infra.service.args", "StatelessServiceArgs"),
        ("gridops_infra.platforms.fargate.args", "FargateClusterArgs"),
    ],
)
def test_every_argument_documents_its_default_or_that_it_is_required(module_name, class_name):
    import importlib

    docs = _field_docs(importlib.import_module(module_name), class_name)
    assert docs, class_name
    missing = [f for f, d in docs.items() if "Default:" not in d and "Required." not in d]
    assert missing == [], f"{class_name}: {missing}"
