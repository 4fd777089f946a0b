"""PostgresReplication: the AWS DMS Serverless replication from a SingleServer's PostgreSQL
into ManagedPostgresWithReplicas, its least-privilege access, its alarms, and what it
refuses before anything registers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network
from gridops_infra.migration import PostgresReplication
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import preview
from gridops_infra.testing.plan import Plan
from gridops_infra.testing.validators import iam_findings

CONFIG = "aws:dms/replicationConfig:ReplicationConfig"
ENDPOINT = "aws:dms/endpoint:Endpoint"
SUBNET_GROUP = "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
SECRET = "aws:secretsmanager/secret:Secret"

captured: dict[str, Any] = {}


def _program(extra: dict[str, Any] | None = None, target: dict[str, Any] | None = None):
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "none"})
        server = SingleServer("mvp", {"network": net, "replication_source": {}})
        db = ManagedPostgresWithReplicas(
            "db", {"network": net, "credentials": "random", **(target or {})}
        )
        captured.update(server=server, db=db)
        captured["move"] = PostgresReplication(
            "move", {"source": server, "target": db, **(extra or {})}
        )

    return program


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(_program())


def test_a_serverless_full_load_and_cdc_replication_of_every_table(plan: Plan):
    (config,) = plan.of_type(CONFIG)
    assert config.inputs["replicationType"] == "full-load-and-cdc"
    assert config.inputs["startReplication"] is True
    mappings = json.loads(config.inputs["tableMappings"])
    (rule,) = mappings["rules"]
    assert rule["object-locator"] == {"schema-name": "public", "table-name": "%"}
    assert rule["rule-action"] == "include"
    compute = config.inputs["computeConfig"]
    assert (compute["maxCapacityUnits"], compute["minCapacityUnits"]) == (4, 1)
    (subnets,) = plan.of_type(SUBNET_GROUP)
    assert compute["replicationSubnetGroupId"] == subnets.inputs["replicationSubnetGroupId"]
    assert len(subnets.inputs["subnetIds"]) == 2
    settings = json.loads(config.inputs["replicationSettings"])
    assert settings["FullLoadSettings"]["TargetTablePrepMode"] == "DO_NOTHING"
    assert settings["ValidationSettings"]["EnableValidation"] is True


def test_both_endpoints_require_tls_and_read_their_secret(plan: Plan):
    source = plan.by_name("move-source").inputs
    target = plan.by_name("move-target").inputs
    server, db = captured["server"], captured["db"]
    (server_secret,) = [s for s in plan.of_type(SECRET) if s.name == "mvp-replication-secret"]
    assert source["sslMode"] == target["sslMode"] == "require"
    assert source["secretsManagerArn"] == server_secret.outputs["arn"]
    assert target["secretsManagerArn"].startswith("arn:aws:secretsmanager:")
    assert source["postgresSettings"] == {"pluginName": "test_decoding", "captureDdls": False}
    assert target["postgresSettings"] == {
        "afterConnectScript": "SET session_replication_role = 'replica'"
    }
    assert target["engineName"] == "postgres"
    assert source["databaseName"] == server.database.database
    assert target["databaseName"] == db.settings.db_name
    # No credential is written into an endpoint.
    assert "password" not in source and "password" not in target


def test_the_access_role_reads_exactly_the_two_secrets(plan: Plan):
    move = captured["move"]
    document = json.loads(plan.by_name("move-secrets-role-policy").inputs["policy"])
    (read,) = document["Statement"]
    assert read["Action"] == ["secretsmanager:GetSecretValue"]
    secrets = {s.name: s.outputs["arn"] for s in plan.of_type(SECRET)}
    assert sorted(read["Resource"]) == sorted(
        [secrets["mvp-replication-secret"], secrets["db-credentials"]]
    )
    trust = json.loads(plan.by_name("move-secrets-role").inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "dms.us-east-1.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert iam_findings(json.dumps(document)) == []
    assert move.secrets_policy_document is not None


def test_dms_reaches_only_the_two_databases_and_both_admit_only_dms(plan: Plan):
    sg = plan.by_name("move-sg")
    egress = [r for r in plan.of_type(EGRESS) if r.name.startswith("move-")]
    assert {(r.inputs["fromPort"], r.inputs["referencedSecurityGroupId"]) for r in egress} == {
        (5432, plan.by_name("mvp-sg").id),
        (5432, plan.by_name("db-sg").id),
    }
    admitted = [
        r for r in plan.of_type(INGRESS) if r.inputs.get("referencedSecurityGroupId") == sg.id
    ]
    assert {r.inputs["securityGroupId"] for r in admitted} == {
        plan.by_name("mvp-sg").id,
        plan.by_name("db-sg").id,
    }
    assert all("cidrIpv4" not in r.inputs for r in admitted)


def test_lag_and_failure_reach_the_servers_alarm_topic(plan: Plan):
    topic = plan.by_name("mvp-alarm-topic").outputs["arn"]
    alarms = {a.name: a.inputs for a in plan.of_type(ALARM) if a.name.startswith("move-")}
    assert set(alarms) == {"move-alarm-lag-source", "move-alarm-lag-target"}
    for side, alarm in (
        ("Source", alarms["move-alarm-lag-source"]),
        ("Target", alarms["move-alarm-lag-target"]),
    ):
        assert alarm["metricName"] == f"CDCLatency{side}"
        assert alarm["namespace"] == "AWS/DMS"
        assert alarm["threshold"] == 60
        assert alarm["alarmActions"] == [topic] and alarm["okActions"] == [topic]
        assert alarm["treatMissingData"] == "notBreaching"
    (rule,) = [r for r in plan.of_type(RULE) if r.name == "move-failed"]
    pattern = json.loads(rule.inputs["eventPattern"])
    config_arn = plan.one(CONFIG).outputs["arn"]
    assert pattern == {
        "source": ["aws.dms"],
        "detail-type": ["DMS Replication State Change"],
        "resources": [config_arn],
        "detail": {"eventType": ["REPLICATION_FAILED"]},
    }
    (target,) = [t for t in plan.of_type(TARGET) if t.name == "move-failed-alert"]
    assert target.inputs["arn"] == topic


def test_no_mandatory_violation(plan: Plan):
    mandatory = [v for v in check_plan(plan).violations if v.severity == "mandatory"]
    assert mandatory == [], [v.message for v in mandatory]


def test_an_aurora_target_gets_the_aurora_engine():
    plan = preview(_program(target={"engine_mode": "aurora"}))
    assert plan.by_name("move-target").inputs["engineName"] == "aurora-postgresql"


def test_arguments_reach_the_replication():
    plan = preview(
        _program(
            {
                "max_capacity_units": 16,
                "min_capacity_units": 2,
                "multi_az": True,
                "replication_lag_alarm_seconds": 300,
                "start_replication": False,
                "create_vpc_role": False,
                "database_name": "shop",
                "alarm_topic_arn": "arn:aws:sns:us-east-1:123456789012:ops",
            }
        )
    )
    config = plan.one(CONFIG).inputs
    assert config["computeConfig"]["maxCapacityUnits"] == 16
    assert config["computeConfig"]["minCapacityUnits"] == 2
    assert config["computeConfig"]["multiAz"] is True
    assert config["startReplication"] is False
    assert not [r for r in plan.resources if r.name == "move-dms-vpc-role"]
    assert plan.by_name("move-target").inputs["databaseName"] == "shop"
    lag = plan.by_name("move-alarm-lag-target").inputs
    assert lag["threshold"] == 300
    assert lag["alarmActions"] == ["arn:aws:sns:us-east-1:123456789012:ops"]


def test_metric_latency_names_the_side():
    preview(_program())
    move = captured["move"]
    assert move.metric_latency().name == "CDCLatencyTarget"
    assert move.metric_latency("source").name == "CDCLatencySource"
    with pytest.raises(ValueError, match="side"):
        move.metric_latency("both")


def _refusal_cases() -> list[tuple[str, Any]]:
    return [
        ("no replication_source", "replication_source={} first"),
        ("rds-managed target", "credentials='random'"),
        ("network differs", "must run in the target's network"),
        ("capacity not a number", "expected one of 1, 2, 4"),
        ("lag alarm 0", "replication_lag_alarm_seconds"),
        ("unknown", "unknown argument"),
        ("database without network", "network"),
    ]


@pytest.mark.parametrize(("case", "expected"), _refusal_cases())
def test_bad_input_is_refused_before_anything_registers(preview_refusals, case, expected):
    def setup() -> dict[str, Any]:
        net = Network("net", {"az_count": 2, "nat": "none"})
        other = Network("other", {"az_count": 2, "nat": "none", "cidr_block": "10.9.0.0/16"})
        return {
            "net": net,
            "other": other,
            "plain": SingleServer("plain", {"network": net}),
            "server": SingleServer("mvp", {"network": net, "replication_source": {}}),
            "managed": ManagedPostgresWithReplicas("managed", {"network": net}),
            "db": ManagedPostgresWithReplicas("db", {"network": net, "credentials": "random"}),
        }

    def make(c: dict[str, Any], i: int, which: str) -> None:
        base = {"source": c["server"], "target": c["db"]}
        args = {
            "no replication_source": {**base, "source": c["plain"]},
            "rds-managed target": {**base, "target": c["managed"]},
            "network differs": {**base, "network": c["other"]},
            "capacity not a number": {**base, "max_capacity_units": "4"},
            "lag alarm 0": {**base, "replication_lag_alarm_seconds": 0},
            "unknown": {**base, "max_dcu": 4},
            "database without network": {**base, "source": c["server"].database},
        }[which]
        PostgresReplication(f"bad{i}", args)

    plan, errors = preview_refusals(setup, make, [case])
    assert expected in errors[0], errors[0]
    assert not [r for r in plan.resources if r.name.startswith("bad")]
