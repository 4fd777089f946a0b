"""FargateCluster with `capacity="managed-instances"`: the capacity provider and what it is
made of, least-privilege IAM, services and workers placed on it, bad input refused with
nothing registered, its cost and its first-deploy time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gridops_infra import FargateCluster, Network, SqsWorkerQueue, StatelessService
from gridops_infra.analysis import estimate_cost
from gridops_infra.analysis.graph import PlanIndex
from gridops_infra.analysis.timing.rules import create_estimate
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import Plan, preview

IMAGE = "ghcr.io/acme/api:1.4.2"
WORKER = "ghcr.io/acme/worker:1.4.2"
PROVIDER = "aws:ecs/capacityProvider:CapacityProvider"


def program(
    capacity: str = "managed-instances",
    managed: dict[str, Any] | None = None,
    cpu_architecture: str = "ARM64",
) -> Any:
    def run() -> None:
        args: dict[str, Any] = {"network": Network("prod", {"az_count": 2}), "capacity": capacity}
        if managed is not None:
            args["managed_instances"] = managed
        cluster = FargateCluster("prod", args)  # pyright: ignore[reportArgumentType]
        StatelessService(
            "api",
            {
                "platform": cluster,
                "image": IMAGE,
                "cpu": 512,
                "memory": 1024,
                "cpu_architecture": cpu_architecture,  # pyright: ignore[reportAssignmentType]
            },
        )
        SqsWorkerQueue(
            "jobs",
            {
                "platform": cluster,
                "image": WORKER,
                "max_workers": 5,
                "min_workers": 1,
                "cpu_architecture": cpu_architecture,  # pyright: ignore[reportAssignmentType]
            },
        )

    return run


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(program())


def one(plan: Plan, name: str) -> Any:
    (found,) = [r for r in plan.resources if r.name == name]
    return found


def test_the_capacity_provider_launches_the_allowed_types_in_the_private_subnets(
    plan: Plan,
) -> None:
    (provider,) = plan.of_type(PROVIDER)
    template = provider.inputs["managedInstancesProvider"]["instanceLaunchTemplate"]
    requirements = template["instanceRequirements"]
    assert requirements["allowedInstanceTypes"] == ["m8g.large", "m8g.xlarge", "m8g.2xlarge"]
    assert requirements["vcpuCount"] == {"min": 2, "max": 8}
    assert requirements["memoryMib"] == {"min": 8192, "max": 32768}
    assert requirements["cpuManufacturers"] == ["amazon-web-services"]
    assert template["storageConfiguration"] == {"storageSizeGib": 30}
    network = plan.of_type("aws:ec2/subnet:Subnet")
    private = {s.id for s in network if not s.inputs.get("mapPublicIpOnLaunch")}
    assert set(template["networkConfiguration"]["subnets"]) <= private
    assert provider.inputs["cluster"] == one(plan, "prod-cluster").outputs["name"]
    (association,) = plan.of_type("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    name = provider.outputs["name"]
    assert association.inputs["capacityProviders"] == [name]
    assert association.inputs["defaultCapacityProviderStrategies"][0]["capacityProvider"] == name


def test_services_and_workers_place_their_tasks_on_it(plan: Plan) -> None:
    (provider,) = plan.of_type(PROVIDER)
    for service in plan.of_type("aws:ecs/service:Service"):
        strategy = service.inputs["capacityProviderStrategies"]
        assert [s["capacityProvider"] for s in strategy] == [provider.outputs["name"]]
        assert "platformVersion" not in service.inputs  # Fargate's alone
        assert "launchType" not in service.inputs
    for task in plan.of_type("aws:ecs/taskDefinition:TaskDefinition"):
        assert task.inputs["requiresCompatibilities"] == ["MANAGED_INSTANCES"]
        assert task.inputs["networkMode"] == "awsvpc"


def test_iam_is_least_privilege(plan: Plan) -> None:
    instance_role = one(plan, "prod-instance-role")
    assert instance_role.inputs["namePrefix"].startswith("ecsInstanceRole-")
    trust = json.loads(instance_role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    attached = {
        r.name: r.inputs["policyArn"]
        for r in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if r.name.startswith("prod-")
    }
    assert attached == {
        "prod-instance-role-policy": (
            "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances"
        ),
        "prod-infrastructure-role-policy": (
            "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"
        ),
    }
    infra = one(plan, "prod-infrastructure-role")
    (statement,) = json.loads(infra.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "ecs.amazonaws.com"}
    assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    (pass_role,) = json.loads(one(plan, "prod-infrastructure-pass-role-policy").inputs["policy"])[
        "Statement"
    ]
    assert pass_role["Action"] == ["iam:PassRole"]
    assert pass_role["Resource"] == [instance_role.outputs["arn"]]
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    provider = plan.of_type(PROVIDER)[0].inputs["managedInstancesProvider"]
    assert provider["infrastructureRoleArn"] == infra.outputs["arn"]
    profile = one(plan, "prod-instance-profile")
    assert provider["instanceLaunchTemplate"]["ec2InstanceProfileArn"] == profile.outputs["arn"]
    assert profile.inputs["role"] == instance_role.outputs["name"]


def test_the_instances_admit_nothing_and_send_only_https(plan: Plan) -> None:
    group = one(plan, "prod-instances-sg")
    rules = [r for r in plan.resources if r.inputs.get("securityGroupId") == group.id]
    assert [r.type for r in rules] == ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]
    assert (rules[0].inputs["fromPort"], rules[0].inputs["toPort"]) == (443, 443)
    assert "ingress" not in group.inputs or not group.inputs["ingress"]


def test_no_mandatory_violation(plan: Plan) -> None:
    report = check_plan(plan)
    assert [v for v in report.violations if v.severity == "mandatory"] == []


def test_fargate_stays_the_default() -> None:
    plan = preview(program(capacity="fargate"))
    assert plan.of_type(PROVIDER) == []
    (association,) = plan.of_type("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    assert association.inputs["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    for task in plan.of_type("aws:ecs/taskDefinition:TaskDefinition"):
        assert task.inputs["requiresCompatibilities"] == ["FARGATE"]
    for service in plan.of_type("aws:ecs/service:Service"):
        assert service.inputs["platformVersion"] == "LATEST"


def test_giving_managed_instances_implies_the_capacity() -> None:
    def run() -> None:
        net = Network("prod", {"az_count": 2})
        FargateCluster("prod", {"network": net, "managed_instances": {"storage_gib": 40}})

    (provider,) = preview(run).of_type(PROVIDER)
    template = provider.inputs["managedInstancesProvider"]["instanceLaunchTemplate"]
    assert template["storageConfiguration"] == {"storageSizeGib": 40}


def test_x86_instances_follow_the_architecture() -> None:
    plan = preview(
        program(
            managed={"cpu_architecture": "X86_64", "instance_types": ["c6a.2xlarge"]},
            cpu_architecture="X86_64",
        )
    )
    requirements = plan.of_type(PROVIDER)[0].inputs["managedInstancesProvider"][
        "instanceLaunchTemplate"
    ]["instanceRequirements"]
    assert requirements["cpuManufacturers"] == ["intel", "amd"]
    assert requirements["vcpuCount"] == {"min": 8, "max": 8}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"capacity": "ec2"}, "capacity='ec2' is not allowed"),
        (
            {"capacity": "fargate", "managed_instances": {"storage_gib": 50}},
            "managed_instances='<settings>' is not allowed; only with capacity='managed-instances'",
        ),
        (
            {"capacity": "managed-instances", "managed_instances": {"instance_types": []}},
            "managed_instances.instance_types=[] is not allowed; expected at least one",
        ),
        (
            {
                "capacity": "managed-instances",
                "managed_instances": {"instance_types": ["m7i.large"]},
            },
            "'m7i.large': not a ARM64 type (cpu_architecture='ARM64')",
        ),
        (
            {
                "capacity": "managed-instances",
                "managed_instances": {"instance_types": ["t4g.large"]},
            },
            "burstable types are not offered",
        ),
        (
            {
                "capacity": "managed-instances",
                "managed_instances": {"instance_types": ["m8g.large", "m8g.large"]},
            },
            "'m8g.large' is listed twice",
        ),
        (
            {"capacity": "managed-instances", "managed_instances": {"storage_gib": 0}},
            "managed_instances.storage_gib=0 is not allowed",
        ),
        (
            {"capacity": "managed-instances", "managed_instances": {"spot": True}},
            "unknown field(s) spot",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_registers(
    args: dict[str, Any], expected: str
) -> None:
    errors: list[str] = []

    def run() -> None:
        try:
            FargateCluster("prod", {"network": Network("prod", {"az_count": 2}), **args})  # pyright: ignore[reportArgumentType]
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    (message,) = errors
    assert expected in message, message
    assert [r for r in plan.resources if "FargateCluster" in r.urn] == []


def test_cost_prices_the_instances_and_their_volumes() -> None:
    report = estimate_cost(preview(program()))
    (line,) = [ln for ln in report.lines if ln.type == PROVIDER]
    # 3 tasks (2 api + 1 worker) of 0.5 vCPU / 1 GiB and 0.25 vCPU / 0.5 GiB fit one
    # m8g.large; one instance per zone (2) at the table's EC2 rate, plus 30 GB gp3 each.
    expected = 2 * 0.08976 * 730 + 2 * 30 * 0.08
    assert line.monthly_usd == pytest.approx(expected)
    assert "2 x m8g.large" in line.formula and "management fee not priced" in line.formula
    for service in [ln for ln in report.lines if ln.type == "aws:ecs/service:Service"]:
        assert service.monthly_usd == 0 and "priced on the instances" in service.formula


def test_cost_adds_the_published_management_fee_where_it_is_known() -> None:
    plan = preview(
        program(
            managed={"cpu_architecture": "X86_64", "instance_types": ["c6a.2xlarge"]},
            cpu_architecture="X86_64",
        )
    )
    (line,) = [ln for ln in estimate_cost(plan).lines if ln.type == PROVIDER]
    assert "2 x c6a.2xlarge" in line.formula and "$0.037/h management fee" in line.formula
    assert line.monthly_usd == pytest.approx(2 * (0.306 + 0.037) * 730 + 2 * 30 * 0.08)


def test_first_deploy_waits_for_an_instance_to_launch() -> None:
    def service_estimate(capacity: str) -> Any:
        plan = preview(program(capacity=capacity))
        index = PlanIndex(plan)
        return create_estimate(one(plan, "api-service"), index)

    fargate, managed = service_estimate("fargate"), service_estimate("managed-instances")
    assert managed.p50 == pytest.approx(fargate.p50 + 60)
    assert managed.p90 == pytest.approx(fargate.p90 + 150)
    assert managed.rule.startswith("a Managed Instance launched and registered")
