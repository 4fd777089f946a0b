"""Platform limits a StatelessService spec is held to before anything is registered:
container names (Kubernetes DNS labels, at most 63), image references (ECS: at most 255),
scheduled scaling (IANA zones, Application Auto Scaling's cron/rate/at syntax),
`task_statements` (what IAM would answer MalformedPolicyDocument to) and list fields
given as dicts or sets. Each refusal names the field; the boundary values pass and reach
the resources unchanged."""

from __future__ import annotations

import json
import re
from typing import Any

import botocore.session
import pulumi
import pytest
from botocore.validate import ParamValidator
from parliament import analyze_policy_string

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

COMPONENT = "gridops:aws:StatelessService"
IMAGE = "ghcr.io/acme/api:1.4.2"
BUCKET_OBJECTS = "arn:aws:s3:::acme-uploads/*"


def image_of_length(length: int) -> str:
    prefix = "ghcr.io/acme/"
    image = prefix + "a" * (length - len(prefix) - 2) + ":1"
    assert len(image) == length
    return image


def name_of_length(length: int) -> str:
    return "s" + "a" * (length - 1)


def sidecar(**fields: Any) -> dict[str, Any]:
    return {"containers": [{"name": "proxy", "image": "envoyproxy/envoy:v1.31.0", **fields}]}


def schedule(**fields: Any) -> dict[str, Any]:
    item = {"schedule": "rate(1 day)", "min_count": 1, "max_count": 4, **fields}
    return {"scheduled_scaling": [item]}


def statement(**fields: Any) -> dict[str, Any]:
    st = {"Action": "s3:GetObject", "Resource": BUCKET_OBJECTS, **fields}
    return {"task_statements": [{k: v for k, v in st.items() if v is not None}]}


# (args beyond platform and image, pattern the error must match: the field and the rule)
BAD: list[tuple[dict[str, Any], str]] = [
    (sidecar(name=name_of_length(64)), r"containers\[0\]\.name='sa{63}' .*at most 63 .*has 64"),
    (sidecar(name=name_of_length(300)), r"containers\[0\]\.name='sa{299}' .*at most 63"),
    ({"image": image_of_length(256)}, r"image='ghcr\.io/acme/a+:1' .*at most 255 .*has 256"),
    (sidecar(image=image_of_length(256)), r"containers\[0\]\.image=.*at most 255"),
    (schedule(timezone="Not/AZone"), r"scheduled_scaling\[0\]\.timezone='Not/AZone' .*IANA"),
    (schedule(timezone="europe/paris"), r"scheduled_scaling\[0\]\.timezone='europe/paris'"),
    (schedule(schedule="cron(x)"), r"scheduled_scaling\[0\]\.schedule='cron\(x\)' .*6 fields"),
    (schedule(schedule="cron(0 8 * * *)"), r"schedule='cron\(0 8 \* \* \*\)' .*has 5"),
    (schedule(schedule="cron(0 8 ? * MON-FRI * 1)"), r"schedule=.*has 7"),
    (schedule(schedule="cron(0 16 * * MON-FRI *)"), r"schedule=.*exactly one of .*'\?'"),
    (schedule(schedule="cron(0 8 ? * ? *)"), r"schedule=.*exactly one of .*'\?'"),
    (schedule(schedule="cron(0 8? ? * MON *)"), r"schedule=.*hours field '8\?'"),
    (schedule(schedule="cron(0 8 ? * MON $)"), r"schedule=.*year field '\$'"),
    (schedule(schedule="at(2025-13-45T99:00:00)"), r"schedule='at\(2025-13-45.*real date"),
    (schedule(schedule="at(2025-12-24 18:00:00)"), r"schedule='at\(2025-12-24 18.*real date"),
    (schedule(schedule="at(2030-1-5T1:2:3)"), r"schedule='at\(2030-1-5T1:2:3\)' .*real date"),
    (schedule(schedule="rate(0 days)"), r"schedule='rate\(0 days\)'"),
    (schedule(schedule="rate(2 weeks)"), r"schedule='rate\(2 weeks\)'"),
    (statement(Resource=5), r"task_statements\[0\]\.Resource=5 .*ARN"),
    (statement(Resource={"a": 1}), r"task_statements\[0\]\.Resource=\{'a': 1\} .*ARN"),
    (statement(Resource="bucket"), r"task_statements\[0\]\.Resource='bucket' .*ARN"),
    (statement(Resource=[]), r"task_statements\[0\]\.Resource=\[\] .*non-empty"),
    (statement(Resource=[BUCKET_OBJECTS, "*"]), r"task_statements\[0\]\.Resource='\*' .*refused"),
    (statement(Resource=[BUCKET_OBJECTS, 7]), r"task_statements\[0\]\.Resource=7 "),
    (statement(Resource="arn:aws:s3:::a b"), r"task_statements\[0\]\.Resource='arn:aws:s3:::a b'"),
    (statement(Action=":"), r"task_statements\[0\]\.Action=':' .*service:Action"),
    (statement(Action="S3:GetObject"), r"task_statements\[0\]\.Action='S3:GetObject' .*lowercase"),
    (statement(Action="s3:Get Object"), r"task_statements\[0\]\.Action='s3:Get Object'"),
    (statement(Action={"s3:GetObject": 1}), r"task_statements\[0\]\.Action=\{'s3:GetObject': 1\}"),
    (statement(Action=[]), r"task_statements\[0\]\.Action=\[\]"),
    (statement(Action=None), r"task_statements\[0\]\.Action=None"),
    (statement(Sid="has space!"), r"task_statements\[0\]\.Sid='has space!' .*letters and digits"),
    (statement(Sid="Read-Uploads"), r"task_statements\[0\]\.Sid='Read-Uploads'"),
    (statement(Sid=5), r"task_statements\[0\]\.Sid=5 "),
    (statement(Effect="allow"), r"task_statements\[0\]\.Effect='allow' .*'Allow' or 'Deny'"),
    (statement(Condition="x"), r"task_statements\[0\]\.Condition='x' .*operator"),
    (statement(Condition={}), r"task_statements\[0\]\.Condition=\{\} "),
    (statement(Condition={"StringEquals": "x"}), r"Condition=\{'StringEquals': 'x'\} "),
    (statement(Condition={"StringEquals": {}}), r"Condition=\{'StringEquals': \{\}\} "),
    (statement(Condition={"stringequals": {"aws:SourceVpc": "v"}}), r"Condition='stringequals'"),
    (
        statement(Condition={"StringEquals": {"SourceVpc": "vpc-1"}}),
        r"task_statements\[0\]\.Condition=\{'StringEquals': \{'SourceVpc': 'vpc-1'\}\}",
    ),
    (
        statement(Condition={"StringEquals": {"aws:SourceVpc": {"nested": 1}}}),
        r"task_statements\[0\]\.Condition=\{'StringEquals': \{'aws:SourceVpc'",
    ),
    (
        statement(Condition={"StringEquals": {"aws:SourceVpc": None}}),
        r"task_statements\[0\]\.Condition=",
    ),
    (
        {
            "task_statements": [
                {"Action": "s3:GetObject", "Resource": BUCKET_OBJECTS},
                {"Action": "s3:PutObject", "Resource": "acme-uploads"},
            ]
        },
        r"task_statements\[1\]\.Resource='acme-uploads'",
    ),
    # List fields take lists or tuples only: a dict gives its keys, a set a random order.
    ({"command": {"a": 1}}, r"command=\{'a': 1\} .*expected a list"),
    ({"command": {"serve", "--port"}}, r"command=\{.*\} .*expected a list"),
    ({"hosts": {"api.example.com"}}, r"hosts=\{'api\.example\.com'\} .*expected a list"),
    ({"rollback_alarm_names": {"a": 1}}, r"rollback_alarm_names=\{'a': 1\} .*expected a list"),
    (sidecar(command={"a": 1}), r"containers\[0\]\.command=\{'a': 1\} .*expected a list"),
]


@pytest.fixture(scope="module")
def refused(preview_refusals):
    return preview_refusals(
        lambda: FargateCluster("prod", {"network": Network("prod", {})}),
        lambda cluster, i, case: StatelessService(
            f"svc{i}", {"platform": cluster, "image": IMAGE, **case[0]}
        ),
        BAD,
    )


@pytest.mark.parametrize("index", range(len(BAD)), ids=[b[1][:50] for b in BAD])
def test_each_limit_is_refused_naming_the_field(refused, index):
    _, errors = refused
    assert index in errors, f"accepted: {BAD[index][0]}"
    assert errors[index].startswith(f"StatelessService 'svc{index}': "), errors[index]
    assert re.search(BAD[index][1], errors[index]), errors[index]


def test_refused_services_register_nothing(refused):
    plan, errors = refused
    assert len(errors) == len(BAD)
    assert plan.of_type(COMPONENT) == []
    assert [r.name for r in plan.resources if r.name.startswith("svc")] == []
    assert plan.of_type("aws:ecs/taskDefinition:TaskDefinition") == []


def test_a_refusal_raises_out_of_preview():
    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        StatelessService("api", {"platform": cluster, "image": IMAGE, **statement(Resource=5)})

    with pytest.raises(ValueError, match=r"task_statements\[0\]\.Resource=5"):
        preview(program)


# The boundary values, all in one service: each must pass and reach its resource as given.
EDGE_IMAGE = image_of_length(255)
EDGE_SIDECAR = name_of_length(63)
SCHEDULES = [
    {"schedule": "cron(0 8 ? * MON-FRI *)", "timezone": "Europe/Paris"},
    {"schedule": "cron(0 0 1 * ? *)", "timezone": "America/New_York"},
    {"schedule": "cron(0/15 9-17 ? JAN-MAR 2#1 2030)"},
    {"schedule": "at(2030-12-24T18:00:00)", "timezone": "Asia/Kolkata"},
    {"schedule": "rate(1 day)"},
    {"schedule": "rate(30 minutes)"},
]
CONDITION = {
    "StringEquals": {"s3:ExistingObjectTag/team": ["payments", "ledger"]},
    "Bool": {"aws:SecureTransport": "true"},
}


def _edge_program() -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {})})
    queue_arn = pulumi.Output.from_input("arn:aws:sqs:us-east-1:123456789012:jobs")
    edge = StatelessService(
        "edge",
        {
            "platform": cluster,
            "image": EDGE_IMAGE,
            "command": ("serve", "--port", "8080"),
            "containers": [{"name": EDGE_SIDECAR, "image": EDGE_IMAGE}],
            "scheduled_scaling": [{"min_count": 2, "max_count": 6, **s} for s in SCHEDULES],
            "task_statements": [
                {
                    "Sid": "ReadTeamObjects",
                    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                    "Resource": [BUCKET_OBJECTS],
                    "Condition": CONDITION,
                },
                {"Action": "sqs:SendMessage", "Resource": queue_arn},
                {
                    "Sid": "NoDeletes",
                    "Effect": "Deny",
                    "Action": "s3:Delete*",
                    "Resource": "arn:aws:s3:::acme-uploads/*",
                },
            ],
        },
    )
    pulumi.export("task_policy", edge.policy_documents["task"])


@pytest.fixture(scope="module")
def edge():
    return preview(_edge_program)


def test_boundary_values_register_a_service(edge):
    assert [r.name for r in edge.of_type(COMPONENT)] == ["edge"]


def test_63_character_sidecar_and_255_character_images_reach_the_task_definition(edge):
    task = edge.one("aws:ecs/taskDefinition:TaskDefinition", "edge-task-definition")
    containers = {c["name"]: c for c in json.loads(task.inputs["containerDefinitions"])}
    assert containers["edge"]["image"] == EDGE_IMAGE and len(EDGE_IMAGE) == 255
    assert containers[EDGE_SIDECAR]["image"] == EDGE_IMAGE and len(EDGE_SIDECAR) == 63
    assert containers["edge"]["command"] == ["serve", "--port", "8080"]
    shape = (
        botocore.session.get_session()
        .get_service_model("ecs")
        .operation_model("RegisterTaskDefinition")
        .input_shape
    )
    request = {"family": "edge", "containerDefinitions": list(containers.values())}
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()


def test_schedules_and_time_zones_reach_the_scheduled_actions(edge):
    actions = edge.of_type("aws:appautoscaling/scheduledAction:ScheduledAction")
    seen = {(a.inputs["schedule"], a.inputs["timezone"]) for a in actions}
    assert seen == {(s["schedule"], s.get("timezone", "UTC")) for s in SCHEDULES}


def test_checked_statements_reach_the_task_policy_and_pass_parliament(edge):
    document = edge.outputs["task_policy"]
    statements = json.loads(document)["Statement"]
    by_sid = {s.get("Sid"): s for s in statements}
    assert by_sid["ReadTeamObjects"] == {
        "Sid": "ReadTeamObjects",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:GetObjectVersion"],
        "Resource": [BUCKET_OBJECTS],
        "Condition": CONDITION,
    }
    assert by_sid["NoDeletes"]["Effect"] == "Deny"
    send = next(s for s in statements if s["Action"] == ["sqs:SendMessage"])
    assert send["Resource"] == ["arn:aws:sqs:us-east-1:123456789012:jobs"]
    findings = analyze_policy_string(document, include_community_auditors=True).findings
    assert findings == [], [(f.issue, f.detail) for f in findings]


@pytest.fixture(scope="module")
def on_eks():
    errors: dict[str, str] = {}

    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "single", "flow_logs": False})
        cluster = EksCluster("c", {"network": net})
        StatelessService(
            "edge",
            {"platform": cluster, "image": EDGE_IMAGE, **sidecar(name=EDGE_SIDECAR)},
        )
        for length in (64, 300):
            args = {"platform": cluster, "image": IMAGE, **sidecar(name=name_of_length(length))}
            try:
                StatelessService(f"long{length}", args)
            except ValueError as exc:
                errors[f"long{length}"] = str(exc)

    return preview(program), errors


def test_eks_refuses_sidecar_names_over_63_characters(on_eks):
    plan, errors = on_eks
    for length in (64, 300):
        message = errors[f"long{length}"]
        assert message.startswith(f"StatelessService 'long{length}': containers[0].name=")
        assert "at most 63" in message
    assert [r.name for r in plan.of_type(COMPONENT)] == ["edge"]
    assert [r.name for r in plan.resources if r.name.startswith("long")] == []


def test_eks_runs_a_63_character_sidecar(on_eks):
    plan, _ = on_eks
    deployment = plan.one("kubernetes:apps/v1:Deployment", "edge-deployment")
    names = [c["name"] for c in deployment.inputs["spec"]["template"]["spec"]["containers"]]
    assert EDGE_SIDECAR in names


@pytest.mark.parametrize(
    ("containers", "clash"),
    [
        ([{"name": "proxy", "image": IMAGE, "port": 8080}], "'api'"),
        (
            [
                {"name": "proxy", "image": IMAGE, "port": 9000},
                {"name": "metrics", "image": IMAGE, "port": 9000},
            ],
            "'proxy'",
        ),
    ],
)
def test_sidecar_ports_must_not_clash(containers: list[dict[str, Any]], clash: str) -> None:
    """Containers of one task or pod share one network namespace."""
    with pytest.raises(
        ValueError, match=rf"containers\[\d\]\.port=\d+ .*already used by container {clash}"
    ):
        preview(
            lambda: StatelessService(
                "api",
                {
                    "platform": FargateCluster("prod", {"network": Network("prod", {})}),
                    "image": IMAGE,
                    "port": 8080,
                    "containers": containers,
                },
            )
        )
