"""ManagedPostgresWithReplicas, Aurora mode, the RDS Proxy and the IAM documents."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

CLUSTER = "aws:rds/cluster:Cluster"
MEMBER = "aws:rds/clusterInstance:ClusterInstance"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def aurora_program(extra: dict, sink: dict | None = None) -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    db = ManagedPostgresWithReplicas(
        "db",
        {"network": net, "engine_mode": "aurora", "instance_class": "db.r7g.large", **extra},
    )
    consumer = aws.ec2.SecurityGroup("worker-sg", vpc_id=net.vpc_id, description="workers")
    db.allow_from("worker", consumer.id)
    grant = db.link_grant()
    pulumi.export("environment", grant.environment)
    pulumi.export("secrets", grant.secrets)
    pulumi.export("readers", db.reader_endpoints)
    if sink is not None:
        sink["db"] = db
        sink["grant"] = grant


@pytest.fixture(scope="module")
def built():
    sink: dict = {}
    plan = preview(
        lambda: aurora_program(
            {
                "replicas": 2,
                "proxy": True,
                "customer_managed_key": True,
                "monitoring_interval_seconds": 60,
                "reader_autoscaling": {"min_readers": 2, "max_readers": 6, "metric": "cpu"},
            },
            sink,
        ),
        stack="fargate",
    )
    return plan, sink


@pytest.fixture(scope="module")
def plan(built):
    return built[0]


@pytest.fixture(scope="module")
def cluster(plan):
    return plan.one(CLUSTER)


def members(plan):
    """The writer first, then the readers in order."""
    return sorted(plan.of_type(MEMBER), key=lambda r: (r.name != "db-writer", r.name))


def test_cluster_no_data_loss_defaults(cluster) -> None:
    i = cluster.inputs
    assert i["engine"] == "aurora-postgresql" and i["engineVersion"] == "17"
    assert i["clusterIdentifier"] == "gridops-db-fargate"
    assert i["storageEncrypted"] is True
    assert i["backupRetentionPeriod"] == 14
    assert i["deletionProtection"] is True
    assert i["skipFinalSnapshot"] is False
    assert i["finalSnapshotIdentifier"] == "gridops-db-fargate-final"
    assert i["copyTagsToSnapshot"] is True
    assert i["applyImmediately"] is False
    assert i["deleteAutomatedBackups"] is False
    assert i["manageMasterUserPassword"] is True
    assert i["enabledCloudwatchLogsExports"] == ["postgresql"]
    assert cluster.protect is True and cluster.retain_on_delete is True


def test_writer_and_readers_spread_over_azs_and_start_together(plan, cluster) -> None:
    """Readers of the writer's class do not wait for it: one instance's create time."""
    writer, *readers = members(plan)
    assert [m.name for m in (writer, *readers)] == ["db-writer", "db-reader-1", "db-reader-2"]
    zones = [m.inputs["availabilityZone"] for m in (writer, *readers)]
    assert zones == ["us-east-1a", "us-east-1b", "us-east-1c"]
    for member in (writer, *readers):
        assert cluster.urn in member.dependencies
        assert member.inputs["promotionTier"] == 0
        assert member.inputs["instanceClass"] == "db.r7g.large"
        assert member.inputs["performanceInsightsEnabled"] is True
        assert member.inputs["publiclyAccessible"] is False
        assert member.inputs["monitoringInterval"] == 60
    for reader in readers:
        assert writer.urn not in reader.dependencies
        assert reader.protect is False


def test_smaller_readers_wait_for_the_writer() -> None:
    """Aurora's writer is the first instance created: a smaller reader must not win."""
    plan = preview(
        lambda: aurora_program({"replicas": 2, "replica_instance_class": "db.r7g.medium"}),
        stack="fargate",
    )
    writer, *readers = members(plan)
    assert writer.inputs["promotionTier"] == 0
    for reader in readers:
        assert writer.urn in reader.dependencies
        assert reader.inputs["promotionTier"] == 1
        assert reader.inputs["instanceClass"] == "db.r7g.medium"


def test_cluster_parameter_group_forces_tls(plan, cluster) -> None:
    group = plan.one("aws:rds/clusterParameterGroup:ClusterParameterGroup")
    assert group.inputs["family"] == "aurora-postgresql17"
    params = {p["name"]: p["value"] for p in group.inputs["parameters"]}
    assert params["rds.force_ssl"] == "1"
    assert cluster.inputs["dbClusterParameterGroupName"] == group.outputs["name"]


def test_customer_key_encrypts_storage_and_is_protected(plan, cluster) -> None:
    key = plan.one("aws:kms/key:Key")
    assert cluster.inputs["kmsKeyId"] == key.outputs["arn"]
    assert cluster.inputs["masterUserSecretKmsKeyId"] == key.outputs["arn"]
    assert key.protect is True and key.retain_on_delete is True


def test_reader_endpoint_and_proxy_endpoints(plan, cluster, built) -> None:
    assert plan.outputs["readers"] == [cluster.outputs["readerEndpoint"]]
    proxy = plan.one("aws:rds/proxy:Proxy")
    read_only = plan.one("aws:rds/proxyEndpoint:ProxyEndpoint")
    env = plan.outputs["environment"]
    assert env["DATABASE_HOST"] == proxy.outputs["endpoint"]
    assert env["DATABASE_READER_HOST"] == read_only.outputs["endpoint"]
    assert read_only.inputs["targetRole"] == "READ_ONLY"
    assert proxy.inputs["requireTls"] is True
    assert proxy.inputs["engineFamily"] == "POSTGRESQL"
    secret_arn = cluster.outputs["masterUserSecrets"][0]["secretArn"]
    assert proxy.inputs["auths"][0]["secretArn"] == secret_arn
    assert plan.outputs["secrets"]["DATABASE_PASSWORD"] == f"{secret_arn}:password::"
    target = plan.one("aws:rds/proxyTarget:ProxyTarget")
    assert target.inputs["dbClusterIdentifier"] == "gridops-db-fargate"
    assert plan.one(MEMBER, "db-writer").urn in target.dependencies
    _, sink = built
    assert sink["grant"].kms_key_arns  # the customer key decrypts the secret


def test_proxy_shares_the_group_with_self_rules_only(plan) -> None:
    sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "db-sg")
    inbound = {r.name: r.inputs for r in plan.of_type(INGRESS)}
    outbound = {r.name: r.inputs for r in plan.of_type(EGRESS)}
    assert set(inbound) == {"db-proxy-in", "db-from-worker"}
    assert set(outbound) == {"db-proxy-out"}
    for rule in (inbound["db-proxy-in"], outbound["db-proxy-out"]):
        assert rule["securityGroupId"] == rule["referencedSecurityGroupId"] == sg.id
        assert rule["fromPort"] == rule["toPort"] == 5432


def test_reader_autoscaling_targets_the_cluster(plan) -> None:
    target = plan.one("aws:appautoscaling/target:Target")
    assert target.inputs["resourceId"] == "cluster:gridops-db-fargate"
    assert target.inputs["scalableDimension"] == "rds:cluster:ReadReplicaCount"
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 6)
    policy = plan.one("aws:appautoscaling/policy:Policy")
    config = policy.inputs["targetTrackingScalingPolicyConfiguration"]
    assert config["predefinedMetricSpecification"]["predefinedMetricType"] == (
        "RDSReaderAverageCPUUtilization"
    )
    assert config["targetValue"] == 70
    assert {m.urn for m in plan.of_type(MEMBER)} <= set(target.dependencies)


def test_monitoring_and_proxy_iam_documents_pass_parliament(plan) -> None:
    for role_name, policy_name in (
        ("db-monitoring", "db-monitoring-policy"),
        ("db-proxy-role", "db-proxy-policy"),
    ):
        role = plan.one(ROLE, role_name)
        policy = plan.one(ROLE_POLICY, policy_name)
        assert iam_findings(role.inputs["assumeRolePolicy"], trust=True) == []
        assert iam_findings(policy.inputs["policy"]) == []
        trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
        assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"


def test_iam_documents_are_scoped_to_arns(plan, cluster) -> None:
    proxy_doc = json.loads(plan.one(ROLE_POLICY, "db-proxy-policy").inputs["policy"])
    by_sid = {s["Sid"]: s for s in proxy_doc["Statement"]}
    assert by_sid["ReadCredentials"]["Resource"] == [
        cluster.outputs["masterUserSecrets"][0]["secretArn"]
    ]
    assert by_sid["ReadCredentials"]["Action"] == ["secretsmanager:GetSecretValue"]
    assert by_sid["DecryptCredentials"]["Resource"] == [plan.one("aws:kms/key:Key").outputs["arn"]]
    monitoring = json.loads(plan.one(ROLE_POLICY, "db-monitoring-policy").inputs["policy"])
    resources = [r for s in monitoring["Statement"] for r in s["Resource"]]
    assert all(":log-group:RDSOSMetrics" in r for r in resources)
    assert not any("*" in r.split(":log-stream:")[0] for r in resources)


def test_aurora_metrics_use_the_cluster_and_the_writer_role(built) -> None:
    db = built[1]["db"]
    writer = {"DBClusterIdentifier": "gridops-db-fargate", "Role": "WRITER"}
    assert db.metric_cpu().dimensions == writer
    assert db.metric_connections().dimensions == writer
    (lag,) = db.metric_replica_lag()
    assert (lag.name, lag.unit, lag.dimensions) == (
        "AuroraReplicaLagMaximum",
        "Milliseconds",
        writer,
    )
    assert db.metric_free_storage().name == "FreeLocalStorage"


def test_serverless_v2_with_random_credentials() -> None:
    plan = preview(
        lambda: aurora_program(
            {
                "instance_class": "db.serverless",
                "serverless_v2": {"min_acu": 0.5, "max_acu": 8},
                "credentials": "random",
            }
        ),
        stack="fargate",
    )
    cluster = plan.one(CLUSTER)
    assert cluster.inputs["serverlessv2ScalingConfiguration"] == {
        "minCapacity": 0.5,
        "maxCapacity": 8,
    }
    assert {m.inputs["instanceClass"] for m in plan.of_type(MEMBER)} == {"db.serverless"}
    assert len(plan.of_type(MEMBER)) == 2  # a writer and, by default, one reader
    assert "masterPassword" in cluster.inputs and "manageMasterUserPassword" not in cluster.inputs
    secret_arn = plan.one("aws:secretsmanager/secret:Secret").outputs["arn"]
    assert plan.outputs["secrets"]["DATABASE_URL"] == f"{secret_arn}:url::"


def test_serverless_v2_scales_to_zero_with_an_auto_pause_delay() -> None:
    def program(extra: dict) -> None:
        aurora_program(
            {"instance_class": "db.serverless", "serverless_v2": {"min_acu": 0, **extra}}
        )

    default = preview(lambda: program({}), stack="fargate").one(CLUSTER)
    assert default.inputs["serverlessv2ScalingConfiguration"] == {
        "minCapacity": 0,
        "maxCapacity": 16,
        "secondsUntilAutoPause": 300,  # the AWS default, written out
    }
    hour = preview(lambda: program({"seconds_until_auto_pause": 3600}), stack="fargate")
    scaling = hour.one(CLUSTER).inputs["serverlessv2ScalingConfiguration"]
    assert scaling["secondsUntilAutoPause"] == 3600 and scaling["minCapacity"] == 0


def test_aurora_without_replicas_is_single_az_unless_asked() -> None:
    plan = preview(lambda: aurora_program({"replicas": 0}), stack="fargate")
    assert [m.name for m in plan.of_type(MEMBER)] == ["db-writer"]
    assert (
        plan.outputs["environment"]["DATABASE_READER_HOST"]
        == (plan.one(CLUSTER).outputs["readerEndpoint"])
    )
