"""StatelessService on a SingleServer: the same spec as on Fargate, run as a compose
service behind the host's proxy."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from gridops_infra.core.links import LinkGrant
from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.policy.engine import check_plan
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.plan import Plan
from gridops_infra.testing.validators import iam_findings

PARAMETER = "aws:ssm/parameter:Parameter"
FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:jobs"
TOKEN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/api-AbCdEf:token::"
ECR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/api:1.4.2"


class FakeQueue:
    """A linkable resource elsewhere in the VPC (like SqsWorkerQueue)."""

    name = "jobs"

    def __init__(self) -> None:
        self.allowed: list[tuple[str, Any]] = []

    def link_grant(self) -> LinkGrant:
        return LinkGrant(
            environment={"JOBS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"},
            task_statements=[
                {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [QUEUE_ARN]}
            ],
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        self.allowed.append((consumer_name, security_group_id))


captured: dict[str, Any] = {}


def program(image: str = "ghcr.io/acme/api:1.4.2", **extra: Any):
    def run() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        server = SingleServer("mvp", {"network": net})
        queue = FakeQueue()
        api = StatelessService(
            "api",
            {
                "platform": server,
                "image": image,
                "port": 8080,
                "cpu": 512,
                "memory": 1024,
                "min_count": 2,
                "max_count": 20,
                "health_check_path": "/healthz",
                "secrets": {"API_TOKEN": TOKEN},
                "links": [server.database, queue],
                **extra,
            },
        )
        captured.update(server=server, queue=queue, api=api)
        pulumi.export("url", api.url)

    return run


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(program(), stack="single-server")


def fragment(plan: Plan) -> dict[str, Any]:
    return json.loads(plan.one(PARAMETER, "api-compose").inputs["insecureValue"])


def test_the_service_is_a_compose_fragment_owned_by_the_service(plan: Plan) -> None:
    service = plan.one("gridops:aws:StatelessService", "api")
    param = plan.one(PARAMETER, "api-compose")
    assert param.parent == service.urn
    assert param.inputs["name"] == "/gridops/gridops/single-server/mvp/compose/api"
    svc = fragment(plan)["services"]["api"]
    assert svc["image"] == "ghcr.io/acme/api:1.4.2"
    assert svc["restart"] == "always"
    assert svc["deploy"] == {
        "replicas": 2,  # min_count: one host does not autoscale
        "resources": {"limits": {"cpus": "0.5", "memory": "1024M"}},
    }
    assert svc["labels"]["gridops.max_count"] == "20"
    assert svc["healthcheck"]["test"] == [
        "CMD-SHELL",
        "curl -fsS http://localhost:8080/healthz > /dev/null || exit 1",
    ]
    assert svc["read_only"] is True and svc["tmpfs"] == ["/tmp"]


def test_links_give_env_secrets_and_the_database_network(plan: Plan) -> None:
    doc = fragment(plan)
    env = doc["services"]["api"]["environment"]
    assert env["DATABASE_HOST"] == "postgres" and env["DATABASE_PORT"] == "5432"
    assert env["JOBS_QUEUE_URL"].endswith("/jobs")
    assert env["DATABASE_PASSWORD"] == "${GRIDOPS_SECRET__API__DATABASE_PASSWORD}"
    assert env["API_TOKEN"] == "${GRIDOPS_SECRET__API__API_TOKEN}"
    refs = doc["x-gridops"]["secrets"]
    assert refs["GRIDOPS_SECRET__API__API_TOKEN"] == TOKEN
    assert refs["GRIDOPS_SECRET__API__DATABASE_URL"].endswith("/mvp/database/url")
    assert doc["services"]["api"]["networks"] == ["web", "db"]
    server = captured["server"]
    assert server.database.consumers == ["mvp"]
    assert captured["queue"].allowed == [("mvp", server.security_group_id)]


def test_proxy_route_with_health_check_and_service_log_field(plan: Plan) -> None:
    files = fragment(plan)["x-gridops"]["files"]
    (route,) = files.values()
    assert "\tpath /*" in route
    assert "reverse_proxy gridops-api-1:8080 gridops-api-2:8080" in route
    assert "health_uri /healthz" in route
    assert "log_append gridops_service api" in route


def test_host_policy_reads_exactly_the_referenced_secrets(plan: Plan) -> None:
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "api-host-policy")
    role = plan.one("aws:iam/role:Role", "mvp-role")
    assert policy.inputs["role"] == role.id
    doc = json.loads(reveal(policy.inputs["policy"]))
    assert iam_findings(doc) == []
    by_sid = {st.get("Sid"): st for st in doc["Statement"]}
    assert by_sid["ReadServiceSecrets"]["Resource"] == [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/api-AbCdEf"
    ]
    params = by_sid["ReadServiceParameters"]["Resource"]
    assert sorted(p.rsplit("/", 1)[-1] for p in params) == ["password", "url"]
    assert by_sid[None]["Action"] == ["sqs:SendMessage"]  # the queue's grant
    assert by_sid[None]["Resource"] == [QUEUE_ARN]


def test_metrics_come_from_the_proxy_logs(plan: Plan) -> None:
    filters = {r.name.removeprefix("api-metric-"): r.inputs for r in plan.of_type(FILTER)}
    assert set(filters) == {"requests", "5xx", "latency", "health"}
    namespace = "Gridops/SingleServer/gridops-single-server-mvp/api"
    assert all(f["logGroupName"] == "/gridops/gridops/single-server/mvp" for f in filters.values())
    assert all(f["metricTransformation"]["namespace"] == namespace for f in filters.values())
    assert filters["5xx"]["pattern"] == '{ $.gridops_service = "api" && $.status >= 500 }'
    assert filters["latency"]["metricTransformation"]["value"] == "$.duration"
    assert '$.host = "gridops-api-2:8080"' in filters["health"]["pattern"]
    api = captured["api"]
    assert api.metric_latency_p99().namespace == namespace
    assert api.metric_latency_p99().statistic == "p99"
    assert api.metric_cpu().dimensions["InstanceId"] is captured["server"].instance_id


def test_outputs(plan: Plan) -> None:
    eip = plan.one("aws:ec2/eip:Eip").outputs["publicIp"]
    assert plan.outputs["url"] == f"https://{eip}"
    outputs = plan.one("gridops:aws:StatelessService", "api").outputs
    assert outputs["task_role_arn"] == plan.one("aws:iam/role:Role", "mvp-role").outputs["arn"]
    assert outputs["deployment_alarm_names"] == []
    api = captured["api"]
    assert api.task_role is captured["server"].instance_role


def test_policy_pack_finds_no_mandatory_violation(plan: Plan) -> None:
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


def test_a_new_image_only_changes_the_services_parameter(plan: Plan) -> None:
    later = preview(program(image="ghcr.io/acme/api:1.5.0"), stack="single-server")
    before = {r.urn: r.inputs for r in plan}
    after = {r.urn: r.inputs for r in later}
    changed = [urn.rsplit("::", 1)[-1] for urn in before if before[urn] != after.get(urn)]
    assert changed == ["api-compose"]


def test_ecr_images_are_pulled_with_the_instance_role(plan: Plan) -> None:
    ecr = preview(program(image=ECR_IMAGE))
    doc = json.loads(
        reveal(ecr.one("aws:iam/rolePolicy:RolePolicy", "api-host-policy").inputs["policy"])
    )
    by_sid = {st.get("Sid"): st for st in doc["Statement"]}
    assert by_sid["EcrLogin"]["Resource"] == ["*"]
    assert by_sid["EcrPull"]["Resource"] == [
        "arn:aws:ecr:us-east-1:123456789012:repository/acme/api"
    ]
    # parliament flags ecr:GetAuthorizationToken as CREDENTIALS_EXPOSURE (it returns a
    # registry token). Pulling from ECR needs it; it is granted only for ECR images.
    assert iam_findings(doc) == ["CREDENTIALS_EXPOSURE: "]
    public = json.loads(
        reveal(plan.one("aws:iam/rolePolicy:RolePolicy", "api-host-policy").inputs["policy"])
    )
    assert not any("ecr:" in str(st["Action"]) for st in public["Statement"])


REFUSED = [
    ({"cpu_architecture": "X86_64"}, "cpu_architecture"),
    ({"deployment_strategy": "canary"}, "deployment_strategy"),
    ({"slo_rollback": True}, "slo_rollback"),
    ({"enable_execute_command": True}, "enable_execute_command"),
    ({"domain": "api.example.com", "zone_id": "Z0123456789ABC"}, "domain"),
    ({"min_count": 6, "max_count": 6}, "asks for 6144 MiB"),
]


@pytest.mark.parametrize(("extra", "field"), REFUSED)
def test_what_one_host_cannot_do_is_refused_before_registering(
    extra: dict[str, Any], field: str
) -> None:
    errors: list[str] = []

    def run() -> None:
        try:
            program(**extra)()
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert len(errors) == 1 and field in errors[0] and "'api'" in errors[0]
    assert not [r for r in plan if r.name.startswith("api")]


@pytest.mark.parametrize(
    "extra",
    [
        {
            "containers": [
                {"name": "proxy-sidecar", "image": "envoyproxy/envoy:v1.31.0", "cpu": 128}
            ]
        },
        {
            "image_pull_secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf"
        },
    ],
)
def test_not_built_yet_says_so(extra: dict[str, Any]) -> None:
    with pytest.raises(NotImplementedError, match="not built yet"):
        preview(program(**extra))


def test_another_servers_database_is_refused() -> None:
    errors: list[str] = []

    def run() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        one = SingleServer("one", {"network": net})
        two = SingleServer("two", {"network": net})
        try:
            StatelessService("api", {"platform": two, "image": "nginx:1", "links": [one.database]})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert len(errors) == 1 and "runs on SingleServer 'one'" in errors[0]
    assert not [r for r in plan if r.name.startswith("api")]
