"""Reachability at start (core/aws_rules/vpc_endpoints.py): a workload in subnets without
a route to the internet reaches only the VPC endpoints of its VPC. Components refuse what
they see, naming the field and every endpoint missing, before registering anything; the
policy rules judge what only the whole Plan shows."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra import (
    EksCluster,
    FargateCluster,
    Network,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.analysis.cost.estimate import estimate_cost
from gridops_infra.core.aws_rules.vpc_endpoints import (
    AWSLOGS_ENDPOINT,
    ECR_PRIVATE_REGISTRY_ONLY,
    ECR_PULL_ENDPOINTS,
    EKS_PRIVATE_CLUSTER,
    SECRETS_ENDPOINTS,
    SERVICE_API_ENDPOINT,
)
from gridops_infra.network.endpoints import BUNDLES
from gridops_infra.network.reference import NetworkReference
from gridops_infra.policy import check_plan
from gridops_infra.testing import Plan, preview

ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2"
SSM_PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/api/token"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf"
ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
REACHABILITY_RULES = {
    "workload-image-pull-path",
    "workload-image-registry",
    "workload-log-path",
    "workload-secrets-path",
    "eks-nodes-join-path",
    "vpc-endpoint-private-dns",
    "vpc-endpoint-https-ingress",
}


def service(name: str, cluster: Any, **overrides: Any) -> StatelessService:
    return StatelessService(name, {"platform": cluster, "image": ECR, "port": 8080, **overrides})


# --- components refuse, naming the field, the AWS rule and every endpoint missing --------

NO_ENDPOINTS: list[str] = []
ECR_ONLY = ["ecr.api", "ecr.dkr"]
ECR_AND_LOGS = ["ecr.api", "ecr.dkr", "logs"]

# (endpoints the network has, what is built, the rule, the field, what the message names)
REFUSED: dict[str, tuple[list[str], dict[str, Any], Any, str, str]] = {
    # vpce-ecr-private-registry-only: registries no endpoint reaches
    "ghcr image": (
        ["fargate"],
        {"image": "ghcr.io/acme/api:1.4.2"},
        ECR_PRIVATE_REGISTRY_ONLY,
        "image",
        "ghcr.io",
    ),
    "docker hub image": (
        ["fargate"],
        {"image": "nginx:1.27"},
        ECR_PRIVATE_REGISTRY_ONLY,
        "image",
        "docker.io",
    ),
    "ecr public image": (
        ["fargate"],
        {"image": "public.ecr.aws/nginx/nginx:1.27"},
        ECR_PRIVATE_REGISTRY_ONLY,
        "image",
        "public.ecr.aws",
    ),
    "ecr of another region": (
        ["fargate"],
        {"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1"},
        ECR_PRIVATE_REGISTRY_ONLY,
        "image",
        "eu-west-1",
    ),
    "sidecar from docker hub": (
        ["fargate"],
        {"containers": [{"name": "proxy", "image": "envoyproxy/envoy:v1.31.0"}]},
        ECR_PRIVATE_REGISTRY_ONLY,
        "containers[0].image",
        "docker.io",
    ),
    "tracing collector from ecr public": (
        ["fargate"],
        {"tracing": True},
        ECR_PRIVATE_REGISTRY_ONLY,
        "tracing",
        "public.ecr.aws",
    ),
    # vpce-ecr-pull-endpoints
    "no endpoints": (NO_ENDPOINTS, {}, ECR_PULL_ENDPOINTS, "image", "ecr.api, ecr.dkr, logs"),
    # vpce-awslogs-endpoint
    "no logs endpoint": (ECR_ONLY, {}, AWSLOGS_ENDPOINT, "platform", "logs"),
    # vpce-secrets-endpoints
    "ssm secret without ssm": (
        ECR_AND_LOGS,
        {"secrets": {"TOKEN": SSM_PARAMETER}},
        SECRETS_ENDPOINTS,
        "secrets",
        "ssm",
    ),
    "secret without secretsmanager": (
        [*ECR_AND_LOGS, "ssm"],
        {"secrets": {"DB": SECRET}},
        SECRETS_ENDPOINTS,
        "secrets",
        "secretsmanager",
    ),
    # vpce-service-api-endpoint: ECS Exec works only through ssmmessages
    "exec without ssmmessages": (
        ["fargate"],
        {"enable_execute_command": True},
        SERVICE_API_ENDPOINT,
        "enable_execute_command",
        "ssmmessages",
    ),
}


@pytest.fixture(scope="module")
def refused(preview_refusals) -> tuple[Plan, dict[int, str]]:
    cases = list(REFUSED.values())

    def setup() -> dict[str, FargateCluster]:
        clusters = {}
        for endpoints in dict.fromkeys(tuple(c[0]) for c in cases):
            net = Network(
                f"n{len(clusters)}",
                {"az_count": 2, "nat": "none", "flow_logs": False, "vpc_endpoints": endpoints},
            )
            clusters[endpoints] = FargateCluster(f"c{len(clusters)}", {"network": net})
        return clusters

    def make(clusters: dict[Any, FargateCluster], i: int, case: Any) -> None:
        endpoints, overrides, *_ = case
        service(f"svc{i}", clusters[tuple(endpoints)], **overrides)

    return preview_refusals(setup, make, cases)


@pytest.mark.parametrize("i,case", list(enumerate(REFUSED)), ids=list(REFUSED))
def test_a_task_that_could_not_start_is_refused(refused, i: int, case: str) -> None:
    _, _, rule, field, named = REFUSED[case]
    plan, errors = refused
    message = errors[i]
    assert f"StatelessService 'svc{i}': {field}:" in message
    assert rule.source in message and rule.rule in message
    assert named in message
    assert "nat=" in message  # the fix names both ways out
    assert not [r for r in plan.resources if r.name.startswith(f"svc{i}-")]


def test_refusals_name_every_missing_endpoint_and_the_cheaper_fix(refused) -> None:
    _, errors = refused
    message = errors[list(REFUSED).index("no endpoints")]
    assert "['ecr.api', 'ecr.dkr', 'logs']" in message
    assert 'nat="single"' in message and "vpc_endpoints" in message


def test_a_worker_needs_the_sqs_endpoint(preview_refusals) -> None:
    # vpce-service-api-endpoint (accepted with the endpoint: `isolated` below)
    def setup() -> FargateCluster:
        net = Network("n", {"az_count": 2, "nat": "none", "vpc_endpoints": ECR_AND_LOGS})
        return FargateCluster("c", {"network": net})

    def make(cluster: FargateCluster, i: int, case: Any) -> None:
        SqsWorkerQueue(f"jobs{i}", {"platform": cluster, "image": ECR})

    plan, errors = preview_refusals(setup, make, [None])
    assert SERVICE_API_ENDPOINT.source in errors[0] and "sqs" in errors[0]
    assert "SqsWorkerQueue 'jobs0': platform:" in errors[0]
    assert not [r for r in plan.resources if r.name.startswith("jobs0")]


def test_an_eks_cluster_needs_a_nat_route(preview_refusals) -> None:
    def setup() -> dict[str, Network]:
        return {
            "own": Network("n", {"az_count": 2, "nat": "none", "vpc_endpoints": ["fargate"]}),
            "referenced": NetworkReference(
                "shared",
                vpc_id="vpc-0123456789abcdef0",
                public_subnet_ids=["subnet-a", "subnet-b"],
                private_subnet_ids=["subnet-c", "subnet-d"],
                availability_zones=["us-east-1a", "us-east-1b"],
                nat="none",
            ),
        }

    def make(networks: dict[str, Network], i: int, case: str) -> None:
        EksCluster(f"k{i}", {"network": networks[case]})

    plan, errors = preview_refusals(setup, make, ["own", "referenced"])
    for i in (0, 1):
        assert f"EksCluster 'k{i}': network:" in errors[i]
        assert EKS_PRIVATE_CLUSTER.source in errors[i] and "ghcr.io" in errors[i]
        assert not [r for r in plan.resources if r.name.startswith(f"k{i}")]


@pytest.mark.parametrize(
    "value",
    [["fargate", "s4"], "fargate", ["ecr"], [42]],
    ids=["unknown service", "a string", "half a name", "not a name"],
)
def test_bad_vpc_endpoints_are_refused_before_anything_registers(value: Any) -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            Network("n", {"nat": "none", "vpc_endpoints": value})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert plan.resources == []
    assert errors and "vpc_endpoints" in errors[0] and "fargate" in errors[0]


def test_a_reference_refuses_a_nat_or_endpoint_it_does_not_know() -> None:
    common: dict[str, Any] = {
        "vpc_id": "vpc-1",
        "public_subnet_ids": ["a"],
        "private_subnet_ids": ["b"],
        "availability_zones": ["us-east-1a"],
    }
    with pytest.raises(ValueError, match="nat='nat-instance'"):
        NetworkReference("r", **common, nat="nat-instance")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="vpc_endpoints='s3'"):
        NetworkReference("r", **common, vpc_endpoints=["s3"])


# --- accepted: the endpoints in the Plan, least privilege, priced, no violation ----------


@pytest.fixture(scope="module")
def isolated() -> Plan:
    def program() -> None:
        endpoints = ["fargate", "kms", "ssmmessages"]
        net = Network("iso", {"az_count": 2, "nat": "none", "vpc_endpoints": endpoints})
        cluster = FargateCluster("iso", {"network": net})
        service(
            "api",
            cluster,
            secrets={"TOKEN": SSM_PARAMETER, "DB": SECRET},
            containers=[{"name": "proxy", "image": ECR}],
        )
        SqsWorkerQueue("jobs", {"platform": cluster, "image": ECR, "enable_execute_command": True})

    return preview(program)


def test_an_isolated_network_creates_the_endpoints_asked_for(isolated: Plan) -> None:
    endpoints = {
        r.inputs["serviceName"].removeprefix("com.amazonaws.us-east-1."): r
        for r in isolated.of_type(ENDPOINT)
    }
    assert set(endpoints) == {*BUNDLES["fargate"], "kms", "ssmmessages", "s3"}
    private = [r for r in isolated.of_type("aws:ec2/subnet:Subnet") if "private" in r.name]
    for name, endpoint in endpoints.items():
        if name == "s3":
            assert endpoint.inputs["vpcEndpointType"] == "Gateway"
            continue
        assert endpoint.inputs["vpcEndpointType"] == "Interface"
        assert endpoint.inputs["privateDnsEnabled"] is True
        assert len(endpoint.inputs["subnetIds"]) == len(private) == 2


def test_the_endpoints_admit_https_from_the_vpc_only(isolated: Plan) -> None:
    rules = [r for r in isolated.of_type(INGRESS) if r.name.startswith("iso-endpoints")]
    assert [(r.inputs["fromPort"], r.inputs["toPort"], r.inputs["cidrIpv4"]) for r in rules] == [
        (443, 443, "10.0.0.0/16")
    ]
    vpc = isolated.of_type("aws:ec2/vpc:Vpc")[0]
    assert vpc.inputs["enableDnsSupport"] is True and vpc.inputs["enableDnsHostnames"] is True


def test_gridops_cost_prices_every_interface_endpoint_per_az(isolated: Plan) -> None:
    lines = [line for line in estimate_cost(isolated).lines if line.type == ENDPOINT]
    interface = [line for line in lines if line.monthly_usd > 0]
    assert len(interface) == len(BUNDLES["fargate"]) + 2
    for line in interface:
        # $0.01 per endpoint-AZ-hour, 2 AZs, 730 hours
        assert line.monthly_usd == pytest.approx(0.01 * 2 * 730, rel=0.01)


def test_an_isolated_program_passes_the_reachability_rules(isolated: Plan) -> None:
    report = check_plan(isolated)
    assert not [v for v in report.violations if v.severity == "mandatory"]


def test_with_nat_any_registry_works_and_no_endpoint_is_billed() -> None:
    def program() -> None:
        net = Network("nat", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("nat", {"network": net})
        service("api", cluster, image="ghcr.io/acme/api:1.4.2", tracing=True)
        EksCluster("k", {"network": net})

    plan = preview(program)
    assert [r.inputs["vpcEndpointType"] for r in plan.of_type(ENDPOINT)] == ["Gateway"]
    assert plan.of_type("aws:ecs/service:Service")


def test_a_referenced_network_with_endpoints_runs_an_ecr_service() -> None:
    def program() -> None:
        net = NetworkReference(
            "shared",
            vpc_id="vpc-0123456789abcdef0",
            public_subnet_ids=["subnet-a", "subnet-b"],
            private_subnet_ids=["subnet-c", "subnet-d"],
            availability_zones=["us-east-1a", "us-east-1b"],
            nat="none",
            vpc_endpoints=["fargate"],
        )
        service("api", FargateCluster("c", {"network": net}))

    assert preview(program).of_type("aws:ecs/service:Service")


# --- the Plan: what components cannot see -----------------------------------------------


def _raw_task(image: str, secret: str | None = None) -> aws.ecs.TaskDefinition:
    container: dict[str, Any] = {
        "name": "app",
        "image": image,
        "essential": True,
        "logConfiguration": {"logDriver": "awslogs", "options": {}},
    }
    if secret:
        container["secrets"] = [{"name": "TOKEN", "valueFrom": secret}]
    return aws.ecs.TaskDefinition(
        "raw-task",
        family="raw",
        cpu="256",
        memory="512",
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        container_definitions=json.dumps([container]),
    )


def _raw_workloads(net: Network, image: str, secret: str | None = None) -> None:
    """Your own ECS service and node group in the network's private subnets."""
    task = _raw_task(image, secret)
    aws.ecs.Service(
        "raw-svc",
        cluster="arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        task_definition=task.arn,
        launch_type="FARGATE",
        desired_count=1,
        network_configuration={"subnets": net.private_subnet_ids, "assign_public_ip": False},
    )


def _violations(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in check_plan(plan).violations:
        if v.rule in REACHABILITY_RULES:
            assert v.severity == "mandatory"
            out.setdefault(v.rule, []).append(v.message)
    return out


def test_policy_your_own_service_in_an_isolated_network_is_a_mandatory_violation() -> None:
    # vpce-ecr-pull-endpoints, vpce-ecr-private-registry-only, vpce-awslogs-endpoint,
    # vpce-secrets-endpoints: the component never saw this service.
    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "none", "flow_logs": False})
        _raw_workloads(net, "ghcr.io/acme/api:1.4.2", SSM_PARAMETER)

    found = _violations(preview(program))
    assert set(found) == {
        "workload-image-pull-path",
        "workload-image-registry",
        "workload-log-path",
        "workload-secrets-path",
    }
    assert "ecr.api, ecr.dkr" in found["workload-image-pull-path"][0]
    assert "ghcr.io/acme/api:1.4.2" in found["workload-image-registry"][0]
    assert "ssm" in found["workload-secrets-path"][0]


def test_policy_your_own_service_with_the_endpoints_or_a_nat_route_passes() -> None:
    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "none", "vpc_endpoints": ["fargate"]})
        _raw_workloads(net, ECR, SSM_PARAMETER)

    def with_nat() -> None:
        net = Network("n", {"az_count": 2, "nat": "single"})
        _raw_workloads(net, "ghcr.io/acme/api:1.4.2", SSM_PARAMETER)

    def without_private_dns() -> None:
        net = Network(
            "n",
            {
                "nat": "none",
                "vpc_endpoints": ["fargate"],
                "transforms": {"interface_endpoint": {"private_dns_enabled": False}},
            },
        )
        _raw_workloads(net, ECR, SSM_PARAMETER)

    assert _violations(preview(program)) == {}
    assert _violations(preview(with_nat)) == {}
    # Endpoints without private DNS do not answer the names the agents call.
    assert set(_violations(preview(without_private_dns))) == {
        "workload-image-pull-path",
        "workload-log-path",
        "workload-secrets-path",
    }


def test_policy_an_image_given_as_an_output_is_judged_on_the_plan() -> None:
    # vpce-ecr-private-registry-only: the component cannot read an Output's registry.
    def program() -> None:
        net = Network("n", {"az_count": 2, "nat": "none", "vpc_endpoints": ["fargate"]})
        cluster = FargateCluster("c", {"network": net})
        service("api", cluster, image=pulumi.Output.from_input("quay.io/acme/api:1.4.2"))

    found = _violations(preview(program))
    assert list(found) == ["workload-image-registry"]
    assert "quay.io/acme/api:1.4.2" in found["workload-image-registry"][0]


def _isolated_node_group(endpoints: list[str], private_api: bool = True) -> None:
    net = Network("n", {"az_count": 2, "nat": "none", "vpc_endpoints": endpoints})
    cluster = aws.eks.Cluster(
        "prod",
        role_arn="arn:aws:iam::123456789012:role/cluster",
        vpc_config={
            "subnet_ids": net.private_subnet_ids,
            "endpoint_private_access": private_api,
            "endpoint_public_access": not private_api,
        },
    )
    aws.eks.NodeGroup(
        "nodes",
        cluster_name=cluster.name,
        node_role_arn="arn:aws:iam::123456789012:role/nodes",
        subnet_ids=net.private_subnet_ids,
        scaling_config={"desired_size": 2, "min_size": 2, "max_size": 3},
    )


def test_policy_an_isolated_node_group_that_cannot_join_is_refused() -> None:
    # vpce-eks-private-cluster: a cluster and node group of your own, not an EksCluster.
    found = _violations(preview(lambda: _isolated_node_group(["fargate"])))
    assert list(found) == ["eks-nodes-join-path"]
    assert "lacks the ec2 endpoint" in found["eks-nodes-join-path"][0]
    public_only = _violations(preview(lambda: _isolated_node_group(["fargate", "ec2"], False)))
    assert list(public_only) == ["eks-nodes-join-path"]
    assert "no private endpoint access" in public_only["eks-nodes-join-path"][0]
    assert _violations(preview(lambda: _isolated_node_group(["fargate", "ec2"]))) == {}


def test_policy_private_dns_on_a_vpc_without_dns_hostnames_is_refused() -> None:
    # vpce-private-dns-needs-vpc-dns: a transform only the Plan shows.
    def program(hostnames: bool) -> None:
        Network(
            "n",
            {
                "nat": "none",
                "vpc_endpoints": ["fargate"],
                "transforms": {"vpc": {"enable_dns_hostnames": hostnames}},
            },
        )

    found = _violations(preview(lambda: program(False)))
    assert list(found) == ["vpc-endpoint-private-dns"]
    assert len(found["vpc-endpoint-private-dns"]) == len(BUNDLES["fargate"])
    assert _violations(preview(lambda: program(True))) == {}


def test_policy_an_endpoint_no_one_can_reach_on_443_is_refused() -> None:
    # vpce-endpoint-admits-https
    def program(port: int) -> None:
        vpc = aws.ec2.Vpc(
            "v", cidr_block="10.1.0.0/16", enable_dns_support=True, enable_dns_hostnames=True
        )
        group = aws.ec2.SecurityGroup("endpoints", vpc_id=vpc.id)
        aws.vpc.SecurityGroupIngressRule(
            "in",
            security_group_id=group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            cidr_ipv4="10.1.0.0/16",
        )
        aws.ec2.VpcEndpoint(
            "sqs",
            vpc_id=vpc.id,
            service_name="com.amazonaws.us-east-1.sqs",
            vpc_endpoint_type="Interface",
            private_dns_enabled=True,
            security_group_ids=[group.id],
        )

    found = _violations(preview(lambda: program(80)))
    assert list(found) == ["vpc-endpoint-https-ingress"]
    assert _violations(preview(lambda: program(443))) == {}
