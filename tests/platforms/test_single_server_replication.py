"""SingleServer `replication_source`: what the Plan carries to the host (the very files the
real-PostgreSQL test loads), the secret and who may read it, the port DMS reaches, and
what is refused before anything registers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.platforms.single_server.replication import config_files
from gridops_infra.testing import preview
from gridops_infra.testing.plan import Plan, contains_secret

SECRET = "aws:secretsmanager/secret:Secret"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"

captured: dict[str, Any] = {}


def _plan(extra: dict[str, Any]) -> Plan:
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "none"})
        captured["server"] = SingleServer("mvp", {"network": net, **extra})

    return preview(program)


def _base_fragment(plan: Plan) -> dict[str, Any]:
    (base,) = [r for r in plan.resources if r.name == "mvp-compose-base"]
    return json.loads(base.inputs["insecureValue"])


@pytest.fixture(scope="module")
def source_plan() -> Plan:
    return _plan({"replication_source": {"replication_slots": 2}})


@pytest.fixture(scope="module")
def plain_plan() -> Plan:
    return _plan({})


def test_the_fragment_carries_the_rendered_files_verbatim(source_plan: Plan):
    server = captured["server"]
    assert server.database is not None and server.database.replication is not None
    files = _base_fragment(source_plan)["x-gridops"]["files"]
    expected = config_files(server.database.replication.settings, "app", "app")
    assert {k: v for k, v in files.items() if k.startswith("postgres/")} == expected
    hba = expected["postgres/pg_hba.conf"]
    # DMS's default blocks: the network's private subnets, nothing else.
    assert "hostssl  app  dms_replication  10.0.0.0/18  scram-sha-256" in hba
    assert "hostssl  app  dms_replication  10.0.64.0/18  scram-sha-256" in hba


def test_postgres_publishes_5432_only_as_a_source(source_plan: Plan, plain_plan: Plan):
    source = _base_fragment(source_plan)["services"]
    plain = _base_fragment(plain_plan)["services"]
    assert source["postgres"]["ports"] == ["5432:5432"]
    assert "config_file=/etc/gridops/postgres/postgresql.conf" in source["postgres"]["command"][2]
    assert "ports" not in plain["postgres"] and "command" not in plain["postgres"]
    assert "postgres-replication-user" not in plain
    # Its own network carries the port: no service shares PostgreSQL's `samenet` through it.
    assert source["postgres"]["networks"] == ["db", "replication"]
    assert _base_fragment(source_plan)["networks"]["replication"] == {}
    assert "replication" not in _base_fragment(plain_plan)["networks"]
    job = source["postgres-replication-user"]
    assert job["restart"] == "on-failure"
    assert job["networks"] == ["db"]


def test_the_replication_password_is_a_secret_read_by_reference(source_plan: Plan):
    (version,) = source_plan.of_type(SECRET_VERSION)
    assert contains_secret(version.inputs["secretString"])
    (secret,) = source_plan.of_type(SECRET)
    fragment = _base_fragment(source_plan)
    refs = fragment["x-gridops"]["secrets"]
    ref = refs["GRIDOPS_SECRET__POSTGRES_REPLICATION_USER__GRIDOPS_REPLICATION_PASSWORD"]
    assert ref == f"{secret.outputs['arn']}:password::"
    # The compose file holds a placeholder, never the value.
    env = fragment["services"]["postgres-replication-user"]["environment"]
    assert env["GRIDOPS_REPLICATION_PASSWORD"].startswith("${GRIDOPS_SECRET__")


def test_the_host_may_read_exactly_that_secret(source_plan: Plan, plain_plan: Plan):
    (secret,) = source_plan.of_type(SECRET)
    policy = json.loads(source_plan.by_name("mvp-role-host").inputs["policy"])
    (read,) = [s for s in policy["Statement"] if s.get("Sid") == "ReadReplicationSecret"]
    assert read["Action"] == ["secretsmanager:GetSecretValue"]
    assert read["Resource"] == [secret.outputs["arn"]]
    plain_policy = json.loads(plain_plan.by_name("mvp-role-host").inputs["policy"])
    assert "ReadReplicationSecret" not in json.dumps(plain_policy)


def test_the_alarm_topic_admits_eventbridge_only_as_a_source(source_plan, plain_plan):
    (policy,) = source_plan.of_type(TOPIC_POLICY)
    document = json.loads(policy.inputs["policy"])
    (events,) = [s for s in document["Statement"] if s["Sid"] == "EventBridgeRules"]
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    assert events["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    key = json.loads(source_plan.by_name("mvp-alarm-topic-key").inputs["policy"])
    assert "EventBridgeRules" in {s["Sid"] for s in key["Statement"]}
    # Without a replication source the topic still has a policy (AWS Budgets may publish,
    # for a StackBudget), but EventBridge is not in it.
    (plain,) = plain_plan.of_type(TOPIC_POLICY)
    plain_sids = {s["Sid"] for s in json.loads(plain.inputs["policy"])["Statement"]}
    assert "EventBridgeRules" not in plain_sids and "BudgetsNotifications" in plain_sids


def test_nothing_reaches_5432_until_dms_is_admitted(source_plan: Plan):
    ports = {r.inputs.get("fromPort") for r in source_plan.of_type(INGRESS)}
    assert 5432 not in ports


def test_a_security_group_of_your_own_is_admitted_on_5432():
    plan = _plan({"replication_source": {"security_group_id": "sg-0123456789abcdef0"}})
    (rule,) = [r for r in plan.of_type(INGRESS) if r.inputs.get("fromPort") == 5432]
    assert rule.inputs["referencedSecurityGroupId"] == "sg-0123456789abcdef0"
    assert rule.inputs["toPort"] == 5432


REFUSED = [
    ({"database": False, "replication_source": {}}, "needs database=True"),
    ({"replication_source": {"allowed_cidrs": ["0.0.0.0/0"]}}, "reachable from everywhere"),
    ({"replication_source": {"allowed_cidrs": ["10.0.0.1/18"]}}, "not an IPv4 CIDR block"),
    ({"replication_source": {"allowed_cidrs": []}}, "at least one"),
    ({"replication_source": {"user": "app"}}, "must differ from database_user"),
    ({"replication_source": {"user": "DMS"}}, "replication_source"),
    ({"replication_source": {"replication_slots": 0}}, "replication_slots"),
    ({"replication_source": {"max_slot_wal_keep_gb": 50}}, "max_slot_wal_keep_gb"),
    ({"replication_source": {"slots": 2}}, "unknown argument"),
    ({"replication_source": "yes"}, "expected a dict"),
    ({"replication_source": {"security_group_id": "sg-1"}}, "security_group_id"),
]


@pytest.mark.parametrize(("extra", "expected"), REFUSED)
def test_bad_replication_source_is_refused_before_anything_registers(
    preview_refusals, extra, expected
):
    def setup() -> Network:
        return Network("net", {"az_count": 2, "nat": "none"})

    def make(net: Network, i: int, case: dict[str, Any]) -> None:
        SingleServer(f"bad{i}", {"network": net, **case})

    plan, errors = preview_refusals(setup, make, [extra])
    assert expected in errors[0], errors[0]
    assert not [r for r in plan.resources if r.name.startswith("bad")]


COMPOSE_SCHEMA = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")


def test_the_source_fragment_matches_the_compose_schema(source_plan: Plan):
    jsonschema = pytest.importorskip("jsonschema")
    if not COMPOSE_SCHEMA.exists():
        pytest.skip("compose spec schema not installed (Debian package docker-compose)")
    validator = jsonschema.Draft7Validator(json.loads(COMPOSE_SCHEMA.read_text()))
    assert [e.message for e in validator.iter_errors(_base_fragment(source_plan))] == []


def test_docker_compose_reads_the_source_fragment_and_fills_both_secrets(
    source_plan: Plan, tmp_path: Path
):
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose not installed (Debian package docker-compose)")
    (tmp_path / "00-base.json").write_text(json.dumps(_base_fragment(source_plan)))
    env = {
        "PATH": os.environ["PATH"],
        "GRIDOPS_SECRET__POSTGRES__POSTGRES_PASSWORD": "owner-pw",
        "GRIDOPS_SECRET__POSTGRES_REPLICATION_USER__PGPASSWORD": "owner-pw",
        "GRIDOPS_SECRET__POSTGRES_REPLICATION_USER__GRIDOPS_REPLICATION_PASSWORD": "repl-pw",
    }
    result = subprocess.run(
        [compose, "-p", "gridops", "-f", "00-base.json", "config"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    merged = yaml.safe_load(result.stdout)
    job = merged["services"]["postgres-replication-user"]
    assert job["environment"]["GRIDOPS_REPLICATION_PASSWORD"] == "repl-pw"
    assert job["environment"]["PGPASSWORD"] == "owner-pw"
    assert set(merged["networks"]) == {"web", "db", "replication"}
    # The shell script survives compose's interpolation (`$` escaped to `$$`).
    assert "docker-entrypoint.sh postgres -c config_file=" in " ".join(
        merged["services"]["postgres"]["command"]
    )
