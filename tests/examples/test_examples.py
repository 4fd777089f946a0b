"""Every example previews offline and contains its key resources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.stage_plans import example_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

KEY_RESOURCES = {
    "fargate-api-postgres": {
        "gridops:aws:StatelessService": 1,
        "gridops:aws:ManagedPostgresWithReplicas": 1,
        "aws:ecs/service:Service": 1,
        "aws:rds/instance:Instance": 2,
    },
    "slo-alerts": {
        "gridops:aws:ObservabilityStack": 1,
        "aws:cloudwatch/compositeAlarm:CompositeAlarm": 9,
        # page and ticket, and the cluster's own alarm topic
        "aws:sns/topic:Topic": 3,
    },
    "stack-references/platform": {"gridops:aws:Network": 1, "aws:ec2/natGateway:NatGateway": 2},
    "queue-worker": {
        "gridops:aws:SqsWorkerQueue": 1,
        "aws:sqs/queue:Queue": 2,
        "aws:appautoscaling/policy:Policy": 3,  # API cpu target; worker backlog target + wake step
        "aws:ecs/service:Service": 2,
    },
    "lambda-worker": {
        "gridops:aws:LambdaPlatform": 1,
        "gridops:aws:SqsWorkerQueue": 1,
        "aws:lambda/function:Function": 1,
        "aws:lambda/eventSourceMapping:EventSourceMapping": 1,
        "aws:sqs/queue:Queue": 2,
        "aws:ecs/service:Service": 1,  # the API only: the worker is the function
    },
    "static-site-cdn": {
        "gridops:aws:CdnFrontend": 1,
        "aws:cloudfront/distribution:Distribution": 1,
        "aws:cloudfront/originAccessControl:OriginAccessControl": 1,
        "aws:s3/bucketObjectv2:BucketObjectv2": 2,
    },
    "eks-queue-worker": {
        "gridops:aws:SqsWorkerQueue": 1,
        "kubernetes:apps/v1:Deployment": 2,
        "kubernetes:keda.sh/v1alpha1:ScaledObject": 1,
        "kubernetes:keda.sh/v1alpha1:TriggerAuthentication": 1,
    },
    "single-server-mvp": {
        "gridops:aws:SingleServer": 1,
        "gridops:aws:SqsWorkerQueue": 1,
        "aws:ssm/parameter:Parameter": 6,  # db password + url, origin secret, 3 compose fragments
        "aws:cloudfront/distribution:Distribution": 1,
    },
    "move-single-server-to-managed": {  # step 1: both sides stood up, nothing moving yet
        "gridops:aws:SingleServer": 1,
        "gridops:aws:FargateCluster": 1,
        "gridops:aws:ManagedPostgresWithReplicas": 1,
        "gridops:aws:CdnFrontend": 1,
        "gridops:aws:PostgresReplication": 0,
        "gridops:aws:TrafficCutover": 0,
        "aws:ec2/vpc:Vpc": 1,
    },
    "github-pipeline": {  # the stack "dev": a role trusting the GitHub environment "dev"
        "gridops:aws:GithubDeployRole": 1,
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
    },
    "feature-flags": {
        "gridops:aws:FeatureFlags": 1,
        "aws:appconfig/environment:Environment": 1,
        "aws:appconfig/deployment:Deployment": 1,
        "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": 1,
        "aws:ecs/service:Service": 1,
    },
    "eks-service": {
        "gridops:aws:EksCluster": 1,
        "kubernetes:apps/v1:Deployment": 1,
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
        "kubernetes:external-secrets.io/v1:ExternalSecret": 1,
        "kubernetes:networking.k8s.io/v1:Ingress": 1,
    },
}


def test_every_example_folder_is_covered() -> None:
    projects = {str(p.parent.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("Pulumi.yaml")}
    assert projects == set(KEY_RESOURCES) | {"stack-references/app"}
    for project in projects:
        readme = EXAMPLES / project / "README.md"
        assert readme.exists() or (EXAMPLES / project).parent.joinpath("README.md").exists()


@pytest.mark.parametrize("example", sorted(KEY_RESOURCES))
def test_example_previews_with_its_key_resources(example: str) -> None:
    plan = example_plan(example)
    counts = {t: len(plan.of_type(t)) for t in KEY_RESOURCES[example]}
    assert counts == KEY_RESOURCES[example]
    assert plan.outputs


def test_fargate_api_postgres_links_the_database_by_secret_reference() -> None:
    plan = example_plan("fargate-api-postgres")
    container = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"]
    )[0]
    secret_names = {s["name"] for s in container["secrets"]}
    assert {"DATABASE_USER", "DATABASE_PASSWORD"} <= secret_names


def test_stack_reference_app_runs_on_the_platform_network() -> None:
    platform = example_plan("stack-references/platform")
    app = example_plan("stack-references/app")  # its reference answered by `platform`
    assert not app.of_type("aws:ec2/vpc:Vpc")  # the network is the platform's
    alb = app.one("aws:lb/loadBalancer:LoadBalancer")
    assert alb.inputs["subnets"] == platform.outputs["public_subnet_ids"]
    service = app.one("aws:ecs/service:Service")
    assert (
        service.inputs["networkConfiguration"]["subnets"] == platform.outputs["private_subnet_ids"]
    )


def test_feature_flags_roll_back_on_the_apis_alarms_and_the_api_reads_them() -> None:
    plan = example_plan("feature-flags")
    environment = plan.one("aws:appconfig/environment:Environment")
    alarms = {m["alarmArn"].rsplit(":", 1)[1] for m in environment.inputs["monitors"]}
    composite = plan.one("aws:cloudwatch/compositeAlarm:CompositeAlarm", "shop-api-slo-rollback")
    assert composite.inputs["alarmName"] in alarms
    assert any(name.startswith("api-5xx-ratio-") for name in alarms) and len(alarms) == 2
    task = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"]
    )
    assert {c["name"] for c in task} == {"api", "appconfig-agent"}
    env = {e["name"]: e["value"] for e in task[0]["environment"]}
    assert env["GRIDOPS_FLAGS_URL"] == plan.outputs["flags_url"]


def test_lambda_worker_reads_its_database_through_the_group_and_secret_references() -> None:
    plan = example_plan("lambda-worker")
    function = plan.one("aws:lambda/function:Function")
    variables = function.inputs["environment"]["variables"]
    assert variables["DATABASE_PASSWORD_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
    assert "DATABASE_PASSWORD" not in variables
    (group,) = function.inputs["vpcConfig"]["securityGroupIds"]
    admitted = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs.get("referencedSecurityGroupId") == group
    ]
    assert [r.name for r in admitted] == ["db-from-reports-worker"]
    mapping = plan.one("aws:lambda/eventSourceMapping:EventSourceMapping")
    assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping.inputs["scalingConfig"] == {"maximumConcurrency": 20}
    queue = plan.one("aws:sqs/queue:Queue", "reports-queue")
    assert queue.inputs["visibilityTimeoutSeconds"] == 720


def test_static_site_objects_have_content_types() -> None:
    plan = example_plan("static-site-cdn")
    types = {
        r.inputs["key"]: r.inputs["contentType"]
        for r in plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")
    }
    assert types == {
        "index.html": "text/html; charset=utf-8",
        "style.css": "text/css; charset=utf-8",
    }
