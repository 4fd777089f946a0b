"""ExpressCluster: the cluster, its Fargate capacity, the infrastructure role ECS Express
Mode needs, and where its services run."""

from __future__ import annotations

import json

import pytest

from gridops_infra import ExpressCluster, Network, StatelessService
from gridops_infra.testing import preview

IMAGE = "ghcr.io/acme/api:1.4.2"


def plan_of(**args):
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = ExpressCluster("prod", {"network": net, **args})
        StatelessService("api", {"platform": cluster, "image": IMAGE})

    return preview(program)


def test_the_infrastructure_role_trusts_ecs_of_this_account_with_the_express_policy() -> None:
    plan = plan_of()
    (role,) = [r for r in plan.of_type("aws:iam/role:Role") if r.name == "prod-infra-role"]
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "ecs.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    (attachment,) = plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs["policyArn"] == (
        "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"
    )
    (service,) = plan.of_type("aws:ecs/expressGatewayService:ExpressGatewayService")
    assert service.inputs["infrastructureRoleArn"] == role.outputs["arn"]
    # The service waits for the policy, so deleting it never strands the service draining.
    assert attachment.urn in service.dependencies


def test_the_cluster_has_container_insights_and_fargate_capacity() -> None:
    plan = plan_of(container_insights="enhanced")
    (cluster,) = plan.of_type("aws:ecs/cluster:Cluster")
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    (providers,) = plan.of_type("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
    assert providers.inputs["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


@pytest.mark.parametrize(("endpoint", "tier"), [("public", "public"), ("internal", "private")])
def test_services_run_in_the_subnets_their_endpoint_needs(endpoint: str, tier: str) -> None:
    plan = plan_of(endpoint=endpoint)
    subnets = {r.id for r in plan.of_type("aws:ec2/subnet:Subnet") if tier in r.name}
    (service,) = plan.of_type("aws:ecs/expressGatewayService:ExpressGatewayService")
    (network,) = service.inputs["networkConfigurations"]
    assert set(network["subnets"]) == subnets and len(subnets) == 2


def test_a_bad_endpoint_is_refused_naming_it() -> None:
    errors: list[str] = []

    def program() -> None:
        net = Network("prod", {"az_count": 2})
        try:
            ExpressCluster("prod", {"network": net, "endpoint": "private"})  # type: ignore[typeddict-item]
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert errors and "endpoint='private'" in errors[0] and "internal" in errors[0]
    assert not [r for r in plan if "ExpressCluster" in r.urn]
