"""ManagedPostgresWithReplicas refuses bad input with an error naming the field, before it
registers anything. One preview runs every bad call (each caught inside the program)."""

from __future__ import annotations

import re

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.network.component import Network
from gridops_infra.testing import preview

AURORA = {"engine_mode": "aurora"}

BAD_ARGS: list[tuple[str, dict, str]] = [
    ("class without db. prefix", {"instance_class": "r7g.large"}, "instance_class"),
    ("class without size", {"instance_class": "db.r7g"}, "instance_class"),
    ("unknown family", {"instance_class": "db.q9.large"}, "instance_class"),
    ("previous generation", {"instance_class": "db.m4.large"}, "instance_class"),
    ("burstable too big", {"instance_class": "db.t4g.4xlarge"}, "instance_class"),
    ("not a string", {"instance_class": 42}, "instance_class"),
    ("aurora lacks m5", {**AURORA, "instance_class": "db.m5.large"}, "instance_class"),
    ("aurora t4g small", {**AURORA, "instance_class": "db.t4g.small"}, "instance_class"),
    ("bad replica class", {"replica_instance_class": "db.zz.large"}, "replica_instance_class"),
    (
        "replica class without replicas",
        {"replica_instance_class": "db.t4g.large"},
        "replica_instance_class",
    ),
    (
        "reader class without readers",
        {**AURORA, "replicas": 0, "multi_az": False, "replica_instance_class": "db.r7g.large"},
        "replica_instance_class",
    ),
    ("negative replicas", {"replicas": -1}, "replicas"),
    ("too many replicas", {"replicas": 16}, "replicas"),
    ("replicas as text", {"replicas": "2"}, "replicas"),
    ("replicas as bool", {"replicas": True}, "replicas"),
    ("backups off", {"backup_retention_days": 0}, "backup_retention_days"),
    ("backups too long", {"backup_retention_days": 36}, "backup_retention_days"),
    ("short backups unacknowledged", {"backup_retention_days": 3}, "backup_retention_days"),
    ("aurora failover without readers", {**AURORA, "replicas": 0, "multi_az": True}, "multi_az"),
    ("unsupported old major", {"engine_version": "13"}, "engine_version"),
    ("unsupported new major", {"engine_version": "19"}, "engine_version"),
    ("not a version", {"engine_version": "latest"}, "engine_version"),
    ("patch level", {"engine_version": "17.5.1"}, "engine_version"),
    ("uppercase identifier", {"identifier": "DB-prod"}, "identifier"),
    ("identifier starts with a digit", {"identifier": "1db"}, "identifier"),
    ("double hyphen", {"identifier": "db--prod"}, "identifier"),
    ("trailing hyphen", {"identifier": "db-prod-"}, "identifier"),
    ("identifier too long for replicas", {"identifier": "d" * 53}, "identifier"),
    ("aurora identifier too long", {**AURORA, "identifier": "d" * 61}, "identifier"),
    (
        "bad final snapshot id",
        {"final_snapshot_identifier": "snap--x"},
        "final_snapshot_identifier",
    ),
    ("db name with a dash", {"db_name": "my-app"}, "db_name"),
    ("reserved db name", {"db_name": "postgres"}, "db_name"),
    ("reserved user", {"master_username": "rdsadmin"}, "master_username"),
    ("pg_ user", {"master_username": "pg_owner"}, "master_username"),
    ("bad snapshot", {"snapshot_identifier": "not a snapshot"}, "snapshot_identifier"),
    ("unknown engine mode", {"engine_mode": "serverless"}, "engine_mode"),
    ("no network", {"network": None}, "network"),
    ("network as text", {"network": "vpc-123"}, "network"),
    ("too little storage", {"allocated_storage_gb": 10}, "allocated_storage_gb"),
    ("ceiling below 110%", {"max_allocated_storage_gb": 105}, "max_allocated_storage_gb"),
    ("aurora storage", {**AURORA, "allocated_storage_gb": 100}, "allocated_storage_gb"),
    ("autoscaling on instances", {"reader_autoscaling": {}}, "reader_autoscaling"),
    ("too many readers", {**AURORA, "reader_autoscaling": {"max_readers": 20}}, "max_readers"),
    (
        "min above max",
        {**AURORA, "reader_autoscaling": {"min_readers": 5, "max_readers": 2}},
        "max_readers",
    ),
    ("unknown scaling metric", {**AURORA, "reader_autoscaling": {"metric": "memory"}}, "metric"),
    ("cpu target too high", {**AURORA, "reader_autoscaling": {"target": 99}}, "target"),
    ("typo in autoscaling", {**AURORA, "reader_autoscaling": {"max": 3}}, "reader_autoscaling.max"),
    ("serverless on instances", {"serverless_v2": {}}, "serverless_v2"),
    ("acu not a half step", {**AURORA, "serverless_v2": {"min_acu": 0.25}}, "min_acu"),
    ("acu too high", {**AURORA, "serverless_v2": {"max_acu": 300}}, "max_acu"),
    (
        "auto-pause delay without a 0 ACU minimum",
        {**AURORA, "serverless_v2": {"min_acu": 0.5, "seconds_until_auto_pause": 600}},
        "seconds_until_auto_pause",
    ),
    (
        "auto-pause delay not a whole number",
        {**AURORA, "serverless_v2": {"min_acu": 0, "seconds_until_auto_pause": 600.5}},
        "seconds_until_auto_pause",
    ),
    (
        "provisioned class with serverless",
        {**AURORA, "instance_class": "db.r7g.large", "serverless_v2": {}},
        "instance_class",
    ),
    ("blue/green on aurora", {**AURORA, "blue_green_update": True}, "blue_green_update"),
    ("kms alias", {"kms_key_arn": "alias/db"}, "kms_key_arn"),
    (
        "two keys",
        {
            "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef",
            "customer_managed_key": True,
        },
        "customer_managed_key",
    ),
    (
        "PI retention",
        {"performance_insights_retention_days": 30},
        "performance_insights_retention_days",
    ),
    ("monitoring interval", {"monitoring_interval_seconds": 2}, "monitoring_interval_seconds"),
    ("TLS off", {"parameters": {"rds.force_ssl": "0"}}, "parameters"),
    ("slow log via parameters", {"parameters": {"log_min_duration_statement": 5}}, "parameters"),
    ("privileged port", {"port": 80}, "port"),
    ("bad backup window", {"backup_window": "3am"}, "backup_window"),
    ("bad maintenance window", {"maintenance_window": "sunday"}, "maintenance_window"),
    ("credentials typo", {"credentials": "plaintext"}, "credentials"),
    ("lowercase env prefix", {"env_prefix": "database"}, "env_prefix"),
    ("log retention", {"log_retention_days": 10}, "log_retention_days"),
    ("unknown child role", {"transforms": {"nope": {}}}, "nope"),
    ("unknown argument", {"replica_count": 2}, "replica_count"),
]


@pytest.fixture(scope="module")
def refusals():
    errors: dict[str, str | None] = {}

    def program() -> None:
        net = Network("prod", {"az_count": 3})
        for case, args, _ in BAD_ARGS:
            try:
                ManagedPostgresWithReplicas("db", {"network": net, **args})
            except ValueError as exc:
                errors[case] = str(exc)
            else:
                errors[case] = None
        for bad_name in ("db x", "db.x", "db/x", ""):
            try:
                ManagedPostgresWithReplicas(bad_name, {"network": net})
            except ValueError as exc:
                errors[f"name {bad_name!r}"] = str(exc)

    return preview(program, stack="fargate"), errors


@pytest.mark.parametrize(("case", "args", "field"), BAD_ARGS, ids=[c for c, _, _ in BAD_ARGS])
def test_bad_argument_is_refused_naming_the_field(refusals, case, args, field) -> None:
    _, errors = refusals
    message = errors[case]
    assert message is not None, f"{case}: {args} was accepted"
    assert message.startswith("ManagedPostgresWithReplicas 'db': ")
    assert field in message


def test_bad_names_are_refused(refusals) -> None:
    _, errors = refusals
    for bad_name in ("db x", "db.x", "db/x", ""):
        assert "name=" in (errors.get(f"name {bad_name!r}") or "")


def test_names_rds_cannot_take_get_a_derived_identifier() -> None:
    """A digit first, a double hyphen, an underscore or a long name: the default identifier
    `<project>-<name>-<stack>` is cleaned (and, when too long, truncated with a hash) into
    one RDS accepts, distinct per name."""
    names = ("1db", "db--x", "db_x", "Orders_" * 12)

    def program() -> None:
        net = Network("prod", {"az_count": 3})
        for name in names:
            ManagedPostgresWithReplicas(name, {"network": net})

    plan = preview(program, stack="fargate")
    identifiers = [
        r.inputs.get("clusterIdentifier") or r.inputs["identifier"]
        for r in plan.of_type("aws:rds/cluster:Cluster") + plan.of_type("aws:rds/instance:Instance")
        if r.parent and r.parent.split("::")[-1] in names
    ]
    assert len(identifiers) == len(names) == len(set(identifiers))
    for identifier in identifiers:
        assert len(identifier) <= 63
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", identifier), identifier
    assert "gridops-1db-fargate" in identifiers  # the project name comes first


def test_nothing_was_registered_for_any_refused_call(refusals) -> None:
    plan, _ = refusals
    assert plan.of_type("gridops:aws:Network")  # the program did run
    leaked = [r.name for r in plan.resources if not r.urn.split("::")[-1].startswith("prod")]
    assert leaked == []


def test_refusal_message_names_value_and_what_is_allowed(refusals) -> None:
    _, errors = refusals
    assert (errors["unknown family"] or "").startswith(
        "ManagedPostgresWithReplicas 'db': instance_class: 'db.q9.large': "
        "RDS for PostgreSQL offers the families m5, m5d, m6g, m6gd, m6i, m6id, m6idn, m6in, "
        "m7g, m7i, m8g, m8gd, r5, r5b, r5d, r6g, r6gd, r6i, r6id, r6idn, r6in, r7g, r7i, r8g, "
        "r8gd, t3, t4g, x2g, x2idn, x2iedn, x2iezn; not 'q9'. AWS refuses this (Amazon RDS: "
    )
    assert "Concepts.DBInstanceClass.Support.html" in (errors["unknown family"] or "")
    assert "allow_short_backup_retention" in (errors["short backups unacknowledged"] or "")
    assert "replicas is 0" in (errors["aurora failover without readers"] or "")


def test_a_single_bad_call_raises_out_of_preview() -> None:
    with pytest.raises(ValueError, match="replicas=16"):
        preview(
            lambda: ManagedPostgresWithReplicas(
                "db", {"network": Network("n", {"az_count": 2}), "replicas": 16}
            )
        )
