"""The worker on a SingleServer: a compose fragment in its own SSM parameter (valid for
the compose schema and docker-compose itself), no port, the queue in its environment,
secrets only as references, a stop grace period covering the job, the replicas one host
runs, consume rights on this queue only through the instance role, and what one host
cannot do refused before anything is registered."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from queue_programs import DB_SECRET, QUEUE, ROLE_POLICY, WORKER_IMAGE, FakeDatabase, doc

from gridops_infra import RedisCache, StatelessService
from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.platforms.single_server.compose import ContainerSpec
from gridops_infra.policy.engine import check_plan
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.testing import contains_secret, preview, reveal
from gridops_infra.testing.plan import Plan
from gridops_infra.testing.validators import iam_findings

PARAMETER = "aws:ssm/parameter:Parameter"
COMPONENT = "gridops:aws:SqsWorkerQueue"
COMPOSE_SCHEMA = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")
TOKEN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/worker-AbCdEf:token::"
KEY = "arn:aws:kms:us-east-1:123456789012:key/0f4c7c2e-1111-4222-8333-944445555666"
JOB_TIMEOUT = 900  # above Fargate's 120 s stop timeout cap

captured: dict[str, Any] = {}


def program(image: str = WORKER_IMAGE):
    def run() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        server = SingleServer("mvp", {"network": net, "instance_type": "t4g.medium"})
        rds = FakeDatabase()
        jobs = SqsWorkerQueue(
            "jobs",
            {
                "platform": server,
                "image": image,
                "job_timeout_seconds": JOB_TIMEOUT,
                "max_workers": 20,
                "seconds_per_job": 2,
                "environment": {"LOG_LEVEL": "info", "PRICE": "costs $5"},
                "secrets": {"API_TOKEN": TOKEN},
                "command": ["python", "-m", "worker"],
                "links": [server.database, rds],
            },
        )
        emails = SqsWorkerQueue(
            "emails",
            {"platform": server, "image": image, "min_workers": 3, "kms_key_arn": KEY},
        )
        captured.update(server=server, rds=rds, jobs=jobs, emails=emails)
        pulumi.export("jobs_policies", jobs.policy_documents)
        pulumi.export("jobs_service", jobs.service_name)
        pulumi.export("jobs_sg", jobs.security_group_id)
        pulumi.export("emails_policies", emails.policy_documents)

    return run


@pytest.fixture(scope="module")
def plan() -> Plan:
    captured.clear()
    return preview(program(), stack="single-server")


def fragment_text(plan: Plan, queue: str) -> str:
    return plan.one(PARAMETER, f"{queue}-compose").inputs["insecureValue"]


def fragment(plan: Plan, queue: str) -> dict[str, Any]:
    return json.loads(fragment_text(plan, queue))


def worker(plan: Plan, queue: str) -> dict[str, Any]:
    return fragment(plan, queue)["services"][f"{queue}-worker"]


# -- what the worker becomes ------------------------------------------------------------


def test_the_worker_is_a_compose_fragment_in_its_own_parameter(plan: Plan) -> None:
    queue = plan.one(COMPONENT, "jobs")
    param = plan.one(PARAMETER, "jobs-compose")
    assert param.parent == queue.urn
    assert param.inputs["name"] == "/gridops/gridops/single-server/mvp/compose/jobs-worker"
    assert param.inputs["type"] == "String" and param.inputs["tier"] == "Standard"
    doc_ = fragment(plan, "jobs")
    assert list(doc_["services"]) == ["jobs-worker"]
    svc = doc_["services"]["jobs-worker"]
    assert svc["image"] == WORKER_IMAGE
    assert svc["command"] == ["python", "-m", "worker"]
    assert svc["restart"] == "always"
    assert svc["read_only"] is True and svc["tmpfs"] == ["/tmp"]
    assert svc["deploy"]["resources"] == {"limits": {"cpus": "0.25", "memory": "512M"}}
    assert "healthcheck" not in svc  # a worker serves no HTTP


def test_nothing_reaches_the_worker(plan: Plan) -> None:
    doc_ = fragment(plan, "jobs")
    svc = doc_["services"]["jobs-worker"]
    assert "ports" not in svc and "expose" not in svc
    assert "files" not in doc_["x-gridops"]  # no proxy route
    # `web` is its way out to SQS; `db` because it links the server's own database.
    assert svc["networks"] == ["web", "db"]
    assert worker(plan, "emails")["networks"] == ["web"]


def test_environment_has_the_queue_url_and_job_timeout(plan: Plan) -> None:
    env = worker(plan, "jobs")["environment"]
    assert env["QUEUE_URL"] == plan.one(QUEUE, "jobs-queue").outputs["url"]
    assert env["JOB_TIMEOUT_SECONDS"] == str(JOB_TIMEOUT)
    assert env["LOG_LEVEL"] == "info" and env["PRICE"] == "costs $$5"
    assert env["DATABASE_HOST"] == "postgres"  # the server's database
    assert env["DB_HOST"].endswith(".rds.amazonaws.com")  # the other link
    emails = worker(plan, "emails")["environment"]
    assert emails["QUEUE_URL"] == plan.one(QUEUE, "emails-queue").outputs["url"]
    assert emails["JOB_TIMEOUT_SECONDS"] == "60"


def test_secrets_are_references_resolved_on_the_host_never_values(plan: Plan) -> None:
    param = plan.one(PARAMETER, "jobs-compose").inputs
    assert not contains_secret(param)
    text = fragment_text(plan, "jobs")
    password = reveal(plan.one("random:index/randomPassword:RandomPassword").outputs["result"])
    assert password not in text
    doc_ = fragment(plan, "jobs")
    env = doc_["services"]["jobs-worker"]["environment"]
    assert env["API_TOKEN"] == "${GRIDOPS_SECRET__JOBS_WORKER__API_TOKEN}"
    assert env["DATABASE_PASSWORD"] == "${GRIDOPS_SECRET__JOBS_WORKER__DATABASE_PASSWORD}"
    assert env["DB_PASSWORD"] == "${GRIDOPS_SECRET__JOBS_WORKER__DB_PASSWORD}"
    refs = doc_["x-gridops"]["secrets"]
    assert refs["GRIDOPS_SECRET__JOBS_WORKER__API_TOKEN"] == TOKEN
    assert refs["GRIDOPS_SECRET__JOBS_WORKER__DB_PASSWORD"] == f"{DB_SECRET}:password::"
    assert refs["GRIDOPS_SECRET__JOBS_WORKER__DATABASE_PASSWORD"].endswith("/mvp/database/password")


def test_stop_grace_period_is_the_job_timeout_even_above_120_seconds(plan: Plan) -> None:
    assert worker(plan, "jobs")["stop_grace_period"] == f"{JOB_TIMEOUT}s"
    assert worker(plan, "emails")["stop_grace_period"] == "60s"


def test_replicas_are_min_workers_but_at_least_one(plan: Plan) -> None:
    jobs, emails = worker(plan, "jobs"), worker(plan, "emails")
    assert jobs["deploy"]["replicas"] == 1  # min_workers 0: one host pays for it anyway
    assert emails["deploy"]["replicas"] == 3
    assert jobs["labels"] == {
        "gridops.queue": "jobs",
        "gridops.min_workers": "0",
        "gridops.max_workers": "20",
        "gridops.target_backlog_per_worker": "150",  # 300 s / 2 s per job
    }
    assert emails["labels"]["gridops.min_workers"] == "3"


# -- the tools that read it -------------------------------------------------------------


def test_fragments_match_the_compose_spec_schema(plan: Plan) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not COMPOSE_SCHEMA.exists():
        pytest.skip("compose spec schema not installed (Debian package docker-compose)")
    validator = jsonschema.Draft7Validator(json.loads(COMPOSE_SCHEMA.read_text()))
    for queue in ("jobs", "emails"):
        assert [e.message for e in validator.iter_errors(fragment(plan, queue))] == []
    broken = fragment(plan, "jobs")
    broken["services"]["jobs-worker"]["stop_grace_priod"] = "900s"
    assert list(validator.iter_errors(broken))  # the schema does catch a typo


def test_docker_compose_merges_the_worker_with_the_servers_fragment(
    plan: Plan, tmp_path: Path
) -> None:
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose not installed (Debian package docker-compose)")
    base = plan.one(PARAMETER, "mvp-compose-base").inputs["insecureValue"]
    (tmp_path / "00-base.json").write_text(base)
    (tmp_path / "jobs-worker.json").write_text(fragment_text(plan, "jobs"))
    env = {"PATH": os.environ["PATH"]}
    for variable in [
        *json.loads(base)["x-gridops"]["secrets"],
        *fragment(plan, "jobs")["x-gridops"]["secrets"],
    ]:
        env[variable] = f"value-of-{variable.lower()}"
    args = [compose, "-p", "gridops", "-f", "00-base.json", "-f", "jobs-worker.json", "config"]
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    merged = yaml.safe_load(result.stdout)
    assert set(merged["services"]) == {"proxy", "postgres", "jobs-worker"}
    svc = merged["services"]["jobs-worker"]
    assert svc["environment"]["API_TOKEN"] == "value-of-gridops_secret__jobs_worker__api_token"
    assert svc["stop_grace_period"] == f"{JOB_TIMEOUT}s"
    assert set(svc["networks"]) == {"web", "db"}
    assert "ports" not in svc


# -- IAM --------------------------------------------------------------------------------


def _sqs_resources(policy: dict[str, Any]) -> set[str]:
    return {
        r
        for st in policy["Statement"]
        if any(a.startswith("sqs:") for a in st["Action"])
        for r in st["Resource"]
    }


def test_the_host_policy_consumes_only_this_queue_and_passes_parliament(plan: Plan) -> None:
    policy = plan.one(ROLE_POLICY, "jobs-host-policy")
    assert policy.inputs["role"] == plan.one("aws:iam/role:Role", "mvp-role").id
    document = doc(policy.inputs["policy"])
    assert document == doc(plan.outputs["jobs_policies"]["host"])
    assert iam_findings(document) == []
    assert _sqs_resources(document) == {plan.one(QUEUE, "jobs-queue").outputs["arn"]}
    by_sid = {st.get("Sid"): st for st in document["Statement"]}
    assert by_sid["ConsumeJobs"]["Action"] == [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert not any("ecs:" in str(st["Action"]) for st in document["Statement"])
    secrets = by_sid["ReadServiceSecrets"]["Resource"]
    assert sorted(secrets) == sorted(
        [DB_SECRET, "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/worker-AbCdEf"]
    )


def test_a_customer_key_is_usable_through_sqs_only(plan: Plan) -> None:
    document = doc(plan.outputs["emails_policies"]["host"])
    assert iam_findings(document) == []
    assert _sqs_resources(document) == {plan.one(QUEUE, "emails-queue").outputs["arn"]}
    (decrypt,) = [st for st in document["Statement"] if st.get("Sid") == "DecryptEmails"]
    assert decrypt["Resource"] == [KEY]
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}
    }


def test_outputs_name_the_compose_service_and_the_hosts_role(plan: Plan) -> None:
    server, jobs = captured["server"], captured["jobs"]
    assert plan.outputs["jobs_service"] == "jobs-worker"
    assert plan.outputs["jobs_sg"] == plan.one("aws:ec2/securityGroup:SecurityGroup", "mvp-sg").id
    assert jobs.task_role is server.instance_role
    assert jobs.container_definitions is None
    registered = plan.one(COMPONENT, "jobs").outputs
    assert registered["task_role_arn"] == plan.one("aws:iam/role:Role", "mvp-role").outputs["arn"]


def test_links_admit_the_host(plan: Plan) -> None:
    server = captured["server"]
    assert captured["rds"].allowed == [("mvp", server.security_group_id)]
    assert server.database.consumers == ["mvp"]


def test_transforms_reach_the_workers_children() -> None:
    assert {"compose_parameter", "host_policy"} <= set(SqsWorkerQueue.CHILD_ROLES)


def test_policy_pack_finds_no_mandatory_violation(plan: Plan) -> None:
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


def test_a_new_image_only_changes_the_workers_parameters(plan: Plan) -> None:
    later = preview(program(image="ghcr.io/acme/worker:1.5.0"), stack="single-server")
    before = {r.urn: r.inputs for r in plan}
    after = {r.urn: r.inputs for r in later}
    assert set(before) == set(after)
    changed = sorted(urn.rsplit("::", 1)[-1] for urn in before if before[urn] != after[urn])
    assert changed == ["emails-compose", "jobs-compose"]


# -- what one host cannot do ------------------------------------------------------------

SIDECAR = {"name": "envoy", "image": "envoyproxy/envoy:v1.31.0", "cpu": 128}
REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"spot": True}, r"spot=True .*no Spot capacity"),
    ({"task_protection": True}, r"task_protection=True .*only on a FargateCluster"),
    ({"containers": [SIDECAR]}, r"containers=\['envoy'\] is not allowed on a SingleServer"),
    ({"memory": 4096, "cpu": 1024}, r"memory=4096 is not allowed; 1 worker\(s\)"),
    ({"min_workers": 5}, r"memory=512 is not allowed; 5 worker\(s\) \(max\(min_workers=5"),
    ({"cpu": 4096, "memory": 8192}, r"cpu=4096 is not allowed; t4g.medium has 2 vCPU"),
    ({"cpu_architecture": "X86_64"}, r"cpu_architecture='X86_64' .*host is arm64"),
    ({"rollback_alarm_names": ["api-5xx"]}, r"rollback_alarm_names=\['api-5xx'\]"),
    ({"enable_execute_command": True}, r"enable_execute_command=True .*ssm start-session"),
]


@pytest.fixture(scope="module")
def refused() -> tuple[Plan, dict[int, str], list[str]]:
    errors: dict[int, str] = {}
    clash: list[str] = []

    def run() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        server = SingleServer("mvp", {"network": net, "instance_type": "t4g.medium"})
        other = SingleServer("other", {"network": net, "instance_type": "t4g.medium"})
        for i, (extra, _) in enumerate(REFUSED):
            try:
                SqsWorkerQueue(f"bad{i}", {"platform": server, "image": WORKER_IMAGE, **extra})
            except ValueError as exc:
                errors[i] = str(exc)
        try:
            SqsWorkerQueue(
                "bad-link", {"platform": server, "image": WORKER_IMAGE, "links": [other.database]}
            )
        except ValueError as exc:
            errors[len(REFUSED)] = str(exc)
        server.add_container(ContainerSpec(name="taken-worker", image="nginx:1", memory_mb=64))
        try:
            SqsWorkerQueue("taken", {"platform": server, "image": WORKER_IMAGE})
        except ValueError as exc:
            clash.append(str(exc))
        # Nothing above reserved memory: 4 x 512 MiB still fit in what t4g.medium has left
        # (4096 - 512 OS - 256 proxy - 1024 database - 64 nginx = 2240 MiB).
        SqsWorkerQueue(
            "fits",
            {"platform": server, "image": WORKER_IMAGE, "cpu": 256, "min_workers": 4},
        )

    return preview(run), errors, clash


@pytest.mark.parametrize("index", range(len(REFUSED)), ids=[r[1] for r in REFUSED])
def test_what_one_host_cannot_do_is_refused_naming_the_field(refused, index: int) -> None:
    _, errors, _ = refused
    assert index in errors, f"{REFUSED[index][0]} was accepted"
    assert errors[index].startswith(f"SqsWorkerQueue 'bad{index}'"), errors[index]
    assert re.search(REFUSED[index][1], errors[index]), errors[index]


def test_another_servers_database_and_a_taken_name_are_refused(refused) -> None:
    _, errors, clash = refused
    assert errors[len(REFUSED)].startswith("SqsWorkerQueue 'bad-link': links='other-postgres'")
    assert "runs on SingleServer 'other', not on 'mvp'" in errors[len(REFUSED)]
    assert clash == [
        "SqsWorkerQueue 'taken': SingleServer 'mvp': a container named 'taken-worker' already "
        "runs here"
    ]


def test_refused_workers_register_nothing_and_reserve_nothing(refused) -> None:
    plan, _, _ = refused
    assert [r.name for r in plan.of_type(COMPONENT)] == ["fits"]
    names = [r.name for r in plan.resources]
    assert not [n for n in names if n.startswith(("bad", "taken"))]
    assert worker(plan, "fits")["deploy"]["replicas"] == 4


def test_image_pull_secrets_are_not_built_yet() -> None:
    def run() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        server = SingleServer("mvp", {"network": net, "instance_type": "t4g.medium"})
        hub = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbCdEf"
        SqsWorkerQueue(
            "jobs", {"platform": server, "image": WORKER_IMAGE, "image_pull_secret_arn": hub}
        )

    with pytest.raises(NotImplementedError, match="not built yet"):
        preview(run)


def test_only_a_single_server_takes_the_single_server_backend() -> None:
    class NotAServer:
        kind = "single-server"
        name = "fake"

        def __init__(self, network: Network) -> None:
            self.network = network

    errors: list[str] = []

    def run() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        try:
            SqsWorkerQueue("jobs", {"platform": NotAServer(net), "image": WORKER_IMAGE})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(run)
    assert errors == [
        "SqsWorkerQueue 'jobs': platform=NotAServer is not allowed by the single-server "
        "worker backend; expected a SingleServer"
    ]
    assert plan.of_type(COMPONENT) == [] and plan.of_type(QUEUE) == []


def test_an_api_and_a_worker_on_one_host_share_one_ingress_rule_per_linked_resource() -> None:
    """Both leave through the host's one security group: EC2 refuses a second rule with
    the same source and port, so the host is admitted once."""

    def program() -> None:
        net = Network("mvp", {"az_count": 2, "nat": "none"})
        server = SingleServer("mvp", {"network": net})
        cache = RedisCache("cache", {"network": net, "node_type": "cache.t4g.small"})
        SqsWorkerQueue("jobs", {"platform": server, "image": WORKER_IMAGE, "links": [cache]})
        StatelessService("api", {"platform": server, "image": WORKER_IMAGE, "links": [cache]})

    plan = preview(program)
    rules = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.name.startswith("cache-")
    ]
    assert [r.name for r in rules] == ["cache-from-mvp"]
    sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "mvp-sg")
    assert rules[0].inputs["referencedSecurityGroupId"] == sg.id
