"""AWS DMS: each rule of `core/aws_rules/dms.py` refuses a program AWS would refuse (in
SingleServer or PostgresReplication before they register anything, or as a mandatory
violation of the Plan) and accepts the nearest one AWS accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network
from gridops_infra.migration import PostgresReplication
from gridops_infra.platforms.single_server import args as server_args
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import preview

from .refusals import assert_cites, registered_names


def _databases(network: Network) -> tuple[SingleServer, ManagedPostgresWithReplicas]:
    server = SingleServer("mvp", {"network": network, "replication_source": {}})
    target = ManagedPostgresWithReplicas("db", {"network": network, "credentials": "random"})
    return server, target


def _attempt(build: Callable[[], Any]) -> tuple[Any, str | None]:
    """Preview `build`; (plan, the ValueError it raised or None)."""
    refused: list[str] = []

    def program() -> None:
        try:
            build()
        except ValueError as exc:
            refused.append(str(exc))

    plan = preview(program)
    return plan, refused[0] if refused else None


REPLICATION_CASES = [
    (
        "dms-serverless-capacity-units",
        "max_capacity_units",
        {"max_capacity_units": 3},
        {"max_capacity_units": 4},
    ),
    (
        "dms-serverless-capacity-units",
        "max_capacity_units",
        {"max_capacity_units": 512},
        {"max_capacity_units": 384},
    ),
    (
        "dms-serverless-capacity-units",
        "min_capacity_units",
        {"min_capacity_units": 8, "max_capacity_units": 4},
        {"min_capacity_units": 4, "max_capacity_units": 4},
    ),
]


@pytest.mark.parametrize(("rule", "field", "refused", "accepted"), REPLICATION_CASES)
def test_postgres_replication_refuses_what_dms_refuses(rule, field, refused, accepted):
    for args, expect_refusal in ((refused, True), (accepted, False)):

        def build(extra: dict[str, Any] = args) -> None:
            server, target = _databases(Network("net", {"az_count": 2, "nat": "none"}))
            PostgresReplication("move", {"source": server, "target": target, **extra})

        plan, message = _attempt(build)
        names = registered_names(plan)
        if expect_refusal:
            assert_cites(message, rule, field)
            assert not any(n.startswith("move") for n in names), sorted(names)
        else:
            assert message is None, message
            assert "move-replication" in names


def test_source_version_dms_does_not_read_is_refused(monkeypatch):
    # SingleServer offers 16 and 17 today, which DMS reads; a server on a major DMS does
    # not list (PostgreSQL 18, once SingleServer offers it) is refused before DMS exists.
    monkeypatch.setattr(server_args, "POSTGRES_VERSIONS", ("16", "17", "18"))
    for version, expect_refusal in (("18", True), ("17", False)):

        def build(v: str = version) -> None:
            net = Network("net", {"az_count": 2, "nat": "none"})
            server = SingleServer(
                "mvp", {"network": net, "postgres_version": v, "replication_source": {}}
            )
            target = ManagedPostgresWithReplicas("db", {"network": net, "credentials": "random"})
            PostgresReplication("move", {"source": server, "target": target})

        plan, message = _attempt(build)
        if expect_refusal:
            assert_cites(message, "dms-postgres-source-version", "source")
            assert "PostgreSQL 18" in str(message)
            assert not any(n.startswith("move") for n in registered_names(plan))
        else:
            assert message is None, message


@pytest.mark.parametrize(("refused", "accepted"), [(5, 10), (9, 0)])
def test_wal_sender_timeout_below_ten_seconds_is_refused(refused, accepted):
    for seconds, expect_refusal in ((refused, True), (accepted, False)):

        def build(s: int = seconds) -> None:
            net = Network("net", {"az_count": 2, "nat": "none"})
            SingleServer(
                "mvp",
                {"network": net, "replication_source": {"wal_sender_timeout_seconds": s}},
            )

        plan, message = _attempt(build)
        if expect_refusal:
            assert_cites(
                message,
                "dms-postgres-wal-sender-timeout",
                "replication_source.wal_sender_timeout_seconds",
            )
            assert not any(n.startswith("mvp") for n in registered_names(plan))
        else:
            assert message is None, message


def test_subnet_group_in_one_zone_is_refused():
    for az_count, expect_refusal in ((1, True), (2, False)):

        def build(azs: int = az_count) -> None:
            net = Network("net", {"az_count": 2, "nat": "none"})
            server, target = _databases(net)
            dms_net = net if azs == 2 else Network("one", {"az_count": 1, "nat": "none"})
            PostgresReplication(
                "move",
                {
                    "source": server.database,
                    "target": target,
                    "network": dms_net,
                    "alarm_topic_arn": "arn:aws:sns:us-east-1:123456789012:ops",
                },
            )

        plan, message = _attempt(build)
        if expect_refusal:
            assert_cites(message, "dms-subnet-group-two-azs", "network")
            assert not any(n.startswith("move") for n in registered_names(plan))
        else:
            assert message is None, message


def test_a_second_dms_vpc_role_is_a_mandatory_violation():
    def program(second_creates_role: bool) -> None:
        server, target = _databases(Network("net", {"az_count": 2, "nat": "none"}))
        PostgresReplication("move", {"source": server, "target": target})
        PostgresReplication(
            "again",
            {"source": server, "target": target, "create_vpc_role": second_creates_role},
        )

    refused = check_plan(preview(lambda: program(True))).of_rule("dms-vpc-role")
    accepted = check_plan(preview(lambda: program(False))).of_rule("dms-vpc-role")
    assert len(refused) == 1 and "again-dms-vpc-role" in refused[0].message
    assert accepted == []
