"""ManagedPostgresWithReplicas, instance mode: the DESIGN call, its no-data-loss defaults,
replicas, links, ingress, secrets and metrics, all read from the Plan."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.core.links import Linkable
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.plan import SecretValue

INSTANCE = "aws:rds/instance:Instance"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG = "aws:ec2/securityGroup:SecurityGroup"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def replicas_of(plan):
    return sorted(
        (r for r in plan.of_type(INSTANCE) if r.name != "db-primary"), key=lambda r: r.name
    )


def design_program(extra: dict | None = None, sink: dict | None = None) -> None:
    net = Network("prod", {"az_count": 3, "nat": "per-az"})
    db = ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.r7g.large", "replicas": 2, **(extra or {})}
    )
    consumer = aws.ec2.SecurityGroup("api-sg", vpc_id=net.vpc_id, description="api tasks")
    first = db.allow_from("api", consumer.id)
    again = db.allow_from("api", consumer.id)
    grant = db.link_grant()
    if sink is not None:
        sink.update(db=db, same_rule=first is again, grant=grant)
    pulumi.export("environment", grant.environment)
    pulumi.export("secrets", grant.secrets)
    pulumi.export("secret_arns", grant.secret_arns)
    pulumi.export("writer", db.writer_endpoint)
    pulumi.export("readers", db.reader_endpoints)


@pytest.fixture(scope="module")
def built():
    sink: dict = {}
    return preview(lambda: design_program(sink=sink), stack="fargate"), sink


@pytest.fixture(scope="module")
def plan(built):
    return built[0]


@pytest.fixture(scope="module")
def captured(built):
    return built[1]


@pytest.fixture(scope="module")
def primary(plan):
    return plan.one(INSTANCE, "db-primary")


@pytest.fixture(scope="module")
def random_plan():
    return preview(
        lambda: design_program({"credentials": "random", "customer_managed_key": True}),
        stack="fargate",
    )


def test_the_design_call_builds_a_primary_and_two_replicas(plan, primary, captured) -> None:
    assert sorted(r.name for r in plan.of_type(INSTANCE)) == [
        "db-primary",
        "db-replica-1",
        "db-replica-2",
    ]
    assert primary.inputs["instanceClass"] == "db.r7g.large"
    assert primary.inputs["engine"] == "postgres"
    assert primary.inputs["engineVersion"] == "17"
    assert primary.inputs["identifier"] == "gridops-db-fargate"
    assert isinstance(captured["db"], Linkable)
    component = plan.one("gridops:aws:ManagedPostgresWithReplicas", "db")
    assert {r.urn for r in plan.of_type(INSTANCE)} <= {
        r.urn for r in plan.children_of(component.urn)
    }


def test_no_data_loss_defaults_on_the_primary(primary) -> None:
    i = primary.inputs
    assert i["storageEncrypted"] is True
    assert i["multiAz"] is True
    assert i["backupRetentionPeriod"] == 14
    assert i["deletionProtection"] is True
    assert i["skipFinalSnapshot"] is False
    assert i["finalSnapshotIdentifier"] == "gridops-db-fargate-final"
    assert i["copyTagsToSnapshot"] is True
    assert i["deleteAutomatedBackups"] is False
    assert i["allocatedStorage"] == 100 and i["maxAllocatedStorage"] == 1000
    assert i["storageType"] == "gp3"
    assert i["applyImmediately"] is False
    assert i["publiclyAccessible"] is False
    assert i["autoMinorVersionUpgrade"] is True
    assert i["allowMajorVersionUpgrade"] is False
    assert i["performanceInsightsEnabled"] is True
    assert i["performanceInsightsRetentionPeriod"] == 7
    # Pulumi-side protection comes from the register request, not from the inputs.
    assert primary.protect is True
    assert primary.retain_on_delete is True


def test_the_final_snapshot_identifier_is_stable_across_previews(primary) -> None:
    again = preview(design_program, stack="fargate").one(INSTANCE, "db-primary")
    assert again.inputs["finalSnapshotIdentifier"] == primary.inputs["finalSnapshotIdentifier"]


def test_replicas_are_removable_and_hold_no_backups(plan) -> None:
    for replica in replicas_of(plan):
        assert replica.protect is False and replica.retain_on_delete is False
        assert replica.inputs["deletionProtection"] is False
        assert replica.inputs["skipFinalSnapshot"] is True
        assert replica.inputs["backupRetentionPeriod"] == 0
        assert replica.inputs["storageEncrypted"] is True
        assert replica.inputs["instanceClass"] == "db.r7g.large"


def test_replicas_depend_on_the_primary_and_on_nothing_it_does_not_wait_for(plan, primary) -> None:
    for replica in replicas_of(plan):
        assert replica.inputs["replicateSourceDb"] == "gridops-db-fargate"
        assert primary.urn in replica.dependencies
        assert replica.property_dependencies["replicateSourceDb"] == [primary.urn]
        # anything else a replica waits for, the primary waited for already
        assert set(replica.dependencies) - {primary.urn} <= set(primary.dependencies)


def test_replicas_spread_over_the_other_azs(plan) -> None:
    zones = [r.inputs["availabilityZone"] for r in replicas_of(plan)]
    assert zones == ["us-east-1b", "us-east-1c"]
    single = preview(lambda: design_program({"multi_az": False}), stack="fargate")
    assert single.one(INSTANCE, "db-primary").inputs["availabilityZone"] == "us-east-1a"


def test_private_subnets_and_a_closed_security_group(plan, primary) -> None:
    group = plan.one("aws:rds/subnetGroup:SubnetGroup")
    subnets_by_name = sorted(plan.of_type("aws:ec2/subnet:Subnet"), key=lambda r: r.name)
    private = [r.id for r in subnets_by_name if "private" in r.name]  # in AZ order
    assert group.inputs["subnetIds"] == private
    assert (
        primary.inputs["dbSubnetGroupName"] == group.outputs["name"] == "gridops-db-fargate-subnets"
    )
    sg = plan.one(SG, "db-sg")
    assert primary.inputs["vpcSecurityGroupIds"] == [sg.id]
    assert not sg.inputs.get("ingress") and not sg.inputs.get("egress")
    rules_on_db = [r for r in plan.of_type(INGRESS) if r.inputs["securityGroupId"] == sg.id]
    assert [r.name for r in rules_on_db] == ["db-from-api"]


def test_allow_from_adds_exactly_one_rule_from_the_consumer_on_5432(plan, captured) -> None:
    rule = plan.one(INGRESS, "db-from-api")
    consumer = plan.one(SG, "api-sg")
    assert rule.inputs["securityGroupId"] == plan.one(SG, "db-sg").id
    assert rule.inputs["referencedSecurityGroupId"] == consumer.id
    assert (rule.inputs["fromPort"], rule.inputs["toPort"], rule.inputs["ipProtocol"]) == (
        5432,
        5432,
        "tcp",
    )
    assert "cidrIpv4" not in rule.inputs
    assert rule.parent == plan.one("gridops:aws:ManagedPostgresWithReplicas").urn
    assert captured["same_rule"] is True


def test_parameter_group_forces_tls_and_logs_slow_queries(plan, primary) -> None:
    group = plan.one("aws:rds/parameterGroup:ParameterGroup")
    assert group.inputs["family"] == "postgres17"
    params = {p["name"]: p["value"] for p in group.inputs["parameters"]}
    assert params["rds.force_ssl"] == "1"
    assert params["log_min_duration_statement"] == "1000"
    assert primary.inputs["parameterGroupName"] == group.outputs["name"]


def test_logs_are_exported_to_groups_created_first_with_a_retention(plan, primary) -> None:
    assert primary.inputs["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"]
    groups = {r.inputs["name"]: r for r in plan.of_type(LOG_GROUP) if r.name.startswith("db-")}
    assert set(groups) == {
        "/aws/rds/instance/gridops-db-fargate/postgresql",
        "/aws/rds/instance/gridops-db-fargate/upgrade",
        "/aws/rds/instance/gridops-db-fargate-replica-1/postgresql",
        "/aws/rds/instance/gridops-db-fargate-replica-2/postgresql",
    }
    assert all(g.inputs["retentionInDays"] == 30 for g in groups.values())
    assert {g.urn for g in groups.values()} <= set(primary.dependencies)


def test_rds_managed_password_by_default(plan, primary) -> None:
    assert primary.inputs["manageMasterUserPassword"] is True
    assert "password" not in primary.inputs
    assert not plan.of_type("random:index/randomPassword:RandomPassword")


def test_link_grant_offers_secret_references_and_plain_settings(plan, primary, captured) -> None:
    env = plan.outputs["environment"]
    secrets = plan.outputs["secrets"]
    host = primary.outputs["address"]
    assert env["DATABASE_HOST"] == host
    assert env["DATABASE_PORT"] == "5432"
    assert env["DATABASE_NAME"] == "app"
    assert env["DATABASE_READER_HOST"].startswith("gridops-db-fargate-replica-1.")
    assert len(env["DATABASE_READER_HOSTS"].split(",")) == 2
    secret_arn = primary.outputs["masterUserSecrets"][0]["secretArn"]
    assert secrets == {
        "DATABASE_USER": f"{secret_arn}:username::",
        "DATABASE_PASSWORD": f"{secret_arn}:password::",
    }
    assert plan.outputs["secret_arns"] == [secret_arn]
    assert captured["grant"].kms_key_arns == []  # type: ignore[attr-defined]


def test_outputs(plan) -> None:
    assert plan.outputs["writer"] == plan.one(INSTANCE, "db-primary").outputs["address"]
    assert plan.outputs["readers"] == [r.outputs["address"] for r in replicas_of(plan)]
    component = plan.one("gridops:aws:ManagedPostgresWithReplicas")
    assert component.outputs["port"] == 5432
    assert component.outputs["security_group_id"] == plan.one(SG, "db-sg").id
    assert component.outputs["secret_arn"].startswith("arn:aws:secretsmanager:")


def test_random_password_is_secret_everywhere(random_plan) -> None:
    password_record = random_plan.one("random:index/randomPassword:RandomPassword")
    assert isinstance(password_record.outputs["result"], SecretValue)
    password = reveal(password_record.outputs["result"])
    assert len(password) == 40 and password.isalnum()
    primary = random_plan.one(INSTANCE, "db-primary")
    assert isinstance(primary.inputs["password"], SecretValue)
    version = random_plan.one("aws:secretsmanager/secretVersion:SecretVersion")
    assert isinstance(version.inputs["secretString"], SecretValue)
    exported = random_plan.dumps()
    assert password not in exported
    assert "postgresql://" not in exported
    assert json.loads(exported)["resources"]  # the export is real JSON
    # the value itself is complete and consistent
    document = json.loads(reveal(version.inputs["secretString"]))
    assert document["password"] == password
    assert document["url"] == (
        f"postgresql://app_admin:{password}@{primary.outputs['address']}:5432/app?sslmode=require"
    )
    assert document["reader_url"].startswith(
        f"postgresql://app_admin:{password}@gridops-db-fargate-replica-1."
    )


def test_random_mode_links_urls_and_the_key_that_decrypts_them(random_plan) -> None:
    secret = random_plan.one("aws:secretsmanager/secret:Secret")
    key = random_plan.one("aws:kms/key:Key")
    arn = secret.outputs["arn"]
    assert random_plan.outputs["secrets"] == {
        "DATABASE_USER": f"{arn}:username::",
        "DATABASE_PASSWORD": f"{arn}:password::",
        "DATABASE_URL": f"{arn}:url::",
        "DATABASE_READER_URL": f"{arn}:reader_url::",
    }
    assert secret.inputs["kmsKeyId"] == key.outputs["arn"]
    primary = random_plan.one(INSTANCE, "db-primary")
    assert primary.inputs["kmsKeyId"] == key.outputs["arn"]
    assert primary.inputs["performanceInsightsKmsKeyId"] == key.outputs["arn"]
    # deleting the key or the secret would lose the data (or the way in)
    for record in (key, secret):
        assert record.protect is True and record.retain_on_delete is True
    assert key.inputs["enableKeyRotation"] is True


def test_no_plaintext_credential_in_any_output_or_environment(random_plan) -> None:
    password = reveal(
        random_plan.one("random:index/randomPassword:RandomPassword").outputs["result"]
    )
    env = random_plan.outputs["environment"]
    assert all(password not in str(v) for v in env.values())
    for record in random_plan.resources:
        if record.is_component:
            assert password not in json.dumps(reveal(record.outputs), default=str)


def test_protect_opt_out_and_dev_settings() -> None:
    plan = preview(
        lambda: design_program(
            {
                "protect": False,
                "deletion_protection": False,
                "final_snapshot": False,
                "backup_retention_days": 1,
                "allow_short_backup_retention": True,
                "replicas": 0,
            }
        ),
        stack="dev",
    )
    primary = plan.one(INSTANCE, "db-primary")
    assert (primary.protect, primary.retain_on_delete) == (False, False)
    assert primary.inputs["skipFinalSnapshot"] is True
    assert primary.inputs["backupRetentionPeriod"] == 1
    assert primary.inputs["deletionProtection"] is False
    assert plan.outputs["environment"]["DATABASE_READER_HOST"] == primary.outputs["address"]
    assert plan.outputs["readers"] == []


def test_snapshot_restore_takes_name_and_user_from_the_snapshot() -> None:
    plan = preview(
        lambda: design_program({"snapshot_identifier": "db-single-server-final"}), stack="fargate"
    )
    primary = plan.one(INSTANCE, "db-primary")
    assert primary.inputs["snapshotIdentifier"] == "db-single-server-final"
    assert "dbName" not in primary.inputs and "username" not in primary.inputs


def test_blue_green_and_enhanced_monitoring() -> None:
    plan = preview(
        lambda: design_program({"blue_green_update": True, "monitoring_interval_seconds": 30})
    )
    primary = plan.one(INSTANCE, "db-primary")
    role = plan.one("aws:iam/role:Role", "db-monitoring")
    assert primary.inputs["blueGreenUpdate"] == {"enabled": True}
    assert primary.inputs["monitoringInterval"] == 30
    assert primary.inputs["monitoringRoleArn"] == role.outputs["arn"]
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "db-monitoring-policy")
    assert policy.urn in primary.dependencies


def test_metrics_use_the_rds_namespace_and_identifiers(captured) -> None:
    db = captured["db"]
    assert isinstance(db, ManagedPostgresWithReplicas)
    cpu = db.metric_cpu()
    assert (cpu.namespace, cpu.name, cpu.dimensions) == (
        "AWS/RDS",
        "CPUUtilization",
        {"DBInstanceIdentifier": "gridops-db-fargate"},
    )
    assert db.metric_free_storage().name == "FreeStorageSpace"
    assert db.metric_free_storage().statistic == "Minimum"
    assert db.metric_connections().name == "DatabaseConnections"
    lag = db.metric_replica_lag(2)
    assert (lag.name, lag.dimensions) == (
        "ReplicaLag",
        {"DBInstanceIdentifier": "gridops-db-fargate-replica-2"},
    )
    assert lag.alarm_args()["statistic"] == "Maximum"
    with pytest.raises(ValueError, match="replica"):
        db.metric_replica_lag(3)
    every = db.metric_replica_lag()
    assert [m.dimensions["DBInstanceIdentifier"] for m in every] == [
        "gridops-db-fargate-replica-1",
        "gridops-db-fargate-replica-2",
    ]


def test_golden_signals_read_every_metric_helper(captured) -> None:
    """The ObservabilityStack's alarm specs call these helpers without arguments."""
    from gridops_infra.observability.golden_signals import golden_signal_specs

    specs = golden_signal_specs(captured["db"])
    keys = sorted(spec.key for spec in specs)
    assert keys == [
        "db.connections",
        "db.cpu",
        "db.free-storage",
        "db.replica-lag-0",
        "db.replica-lag-1",
    ]
    no_replicas: dict = {}
    preview(lambda: design_program({"replicas": 0}, no_replicas))
    keys = sorted(spec.key for spec in golden_signal_specs(no_replicas["db"]))
    assert keys == ["db.connections", "db.cpu", "db.free-storage"]


def test_allow_from_refuses_a_second_group_for_the_same_consumer_and_bad_names() -> None:
    errors: list[str] = []

    def program() -> None:
        net = Network("prod", {"az_count": 2})
        db = ManagedPostgresWithReplicas("db", {"network": net})
        db.allow_from("api", "sg-0123456789abcdef0")
        for consumer, group in (("api", "sg-0fedcba9876543210"), ("bad name", "sg-1")):
            try:
                db.allow_from(consumer, group)
            except ValueError as exc:
                errors.append(str(exc))

    plan = preview(program)
    assert len(plan.of_type(INGRESS)) == 1
    assert "already admits sg-0123456789abcdef0" in errors[0]
    assert "consumer_name='bad name'" in errors[1]
