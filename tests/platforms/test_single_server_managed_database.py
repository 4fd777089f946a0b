"""A SingleServer beside a ManagedPostgresWithReplicas: the host runs its own PostgreSQL
only when asked. A workload on the server that links the managed database is refused
while the server's `database` is left to its default (which runs a local one), and when it
links both; `database=False` runs no local database, `database=True` keeps both on
purpose. The managed database admits the host's security group and nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
PARAMETER = "aws:ssm/parameter:Parameter"
IMAGE = "ghcr.io/acme/api:1.4.2"


def _managed(net: Network) -> ManagedPostgresWithReplicas:
    return ManagedPostgresWithReplicas(
        "db", {"network": net, "instance_class": "db.t4g.medium", "replicas": 0}
    )


def _workload(kind: str, name: str, server: SingleServer, links: list[Any]) -> None:
    if kind == "service":
        StatelessService(name, {"platform": server, "image": IMAGE, "port": 8080, "links": links})
    else:
        SqsWorkerQueue(name, {"platform": server, "image": IMAGE, "links": links})


def test_a_managed_database_beside_the_default_local_one_is_refused(preview_refusals):
    def setup() -> tuple[SingleServer, ManagedPostgresWithReplicas]:
        net = Network("net", {"az_count": 2, "nat": "single"})
        return SingleServer("mvp", {"network": net, "instance_type": "t4g.large"}), _managed(net)

    cases = [("service", "api"), ("worker", "jobs"), ("both", "web")]

    def make(context: tuple[SingleServer, Any], i: int, case: tuple[str, str]) -> None:
        server, db = context
        kind, name = case
        if kind == "both":
            _workload("service", name, server, [server.database, db])
        else:
            _workload(kind, name, server, [db])

    plan, errors = preview_refusals(setup, make, cases)
    assert sorted(errors) == [0, 1, 2]
    for i in (0, 1):
        assert "links=['db'] is not allowed on SingleServer 'mvp'" in errors[i]
        assert "database=False" in errors[i] and "database=True" in errors[i]
    assert errors[0].startswith("StatelessService 'api':")
    assert errors[1].startswith("SqsWorkerQueue 'jobs':")
    assert "web" in errors[2] and "DATABASE_HOST" in errors[2]
    refused = [r.name for r in plan.resources if r.name.startswith(("api", "jobs", "web"))]
    assert refused == []
    assert not [r for r in plan.of_type(INGRESS) if r.name.startswith("db-")]


@pytest.mark.parametrize("keep_local", [False, True])
def test_an_explicit_choice_links_the_managed_database_to_the_host_only(keep_local: bool):
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "single"})
        server = SingleServer(
            "mvp", {"network": net, "instance_type": "t4g.large", "database": keep_local}
        )
        assert (server.database is not None) is keep_local
        db = _managed(net)
        _workload("service", "api", server, [db])
        _workload("worker", "jobs", server, [db])

    plan = preview(program)
    host_group = plan.one("aws:ec2/securityGroup:SecurityGroup", "mvp-sg").id
    db_group = plan.one("aws:ec2/securityGroup:SecurityGroup", "db-sg").id
    admitted = [r for r in plan.of_type(INGRESS) if r.inputs["securityGroupId"] == db_group]
    # Every container on the host leaves through its one group: one rule, that group only.
    assert [(r.name, r.inputs["referencedSecurityGroupId"]) for r in admitted] == [
        ("db-from-mvp", host_group)
    ]
    assert admitted[0].inputs["fromPort"] == admitted[0].inputs["toPort"] == 5432
    base = json.loads(plan.one(PARAMETER, "mvp-compose-base").inputs["insecureValue"])
    assert ("postgres" in base["services"]) is keep_local
    local_secrets = [r for r in plan.of_type(PARAMETER) if "/database/" in r.inputs["name"]]
    assert bool(local_secrets) is keep_local
    fragment = json.loads(plan.one(PARAMETER, "api-compose").inputs["insecureValue"])
    (app,) = fragment["services"].values()
    assert "db" not in (app.get("networks") or {})  # the local database network: not joined
