"""Amazon RDS and Aurora: each create-time rule of `core/aws_rules/rds.py` refuses a
program AWS would refuse (in ManagedPostgresWithReplicas before it registers anything, or
as a mandatory violation of the Plan) and accepts the nearest one AWS accepts."""

from __future__ import annotations

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network

from .aws_data_programs import assert_plan_rule
from .refusals import assert_cites

AURORA = {"engine_mode": "aurora"}
SERVERLESS_ZERO = {**AURORA, "serverless_v2": {"min_acu": 0}}

# (AWS rule id, field, refused arguments, accepted arguments); the network has two AZs
# unless the case says az_count.
COMPONENT_CASES = [
    ("rds-subnet-group-two-azs", "network", {"az_count": 1}, {"az_count": 2}),
    ("rds-identifier", "identifier", {"identifier": "shop--db"}, {"identifier": "shop-db"}),
    (
        "rds-snapshot-identifier",
        "final_snapshot_identifier",
        {"final_snapshot_identifier": "shop-db-final-"},
        {"final_snapshot_identifier": "shop-db-final"},
    ),
    ("rds-master-username", "master_username", {"master_username": "rdsadmin"}, {"master_username": "shop_admin"}),
    ("rds-database-name", "db_name", {"db_name": "template1"}, {"db_name": "shop"}),
    ("rds-backup-retention-range", "backup_retention_days", {"backup_retention_days": 36}, {"backup_retention_days": 35}),
    (
        "rds-performance-insights-retention",
        "performance_insights_retention_days",
        {"performance_insights_retention_days": 94},
        {"performance_insights_retention_days": 93},
    ),
    ("rds-monitoring-interval", "monitoring_interval_seconds", {"monitoring_interval_seconds": 20}, {"monitoring_interval_seconds": 15}),
    ("rds-aurora-max-replicas", "replicas", {**AURORA, "replicas": 16}, {**AURORA, "replicas": 15}),
    (
        "rds-aurora-max-replicas",
        "reader_autoscaling.max_readers",
        {**AURORA, "reader_autoscaling": {"max_readers": 16}},
        {**AURORA, "reader_autoscaling": {"max_readers": 15}},
    ),
    (
        "rds-instance-class-engine",
        "instance_class",
        {**AURORA, "instance_class": "db.m7g.large"},  # RDS for PostgreSQL has it, Aurora not
        {"instance_class": "db.m7g.large"},
    ),
    (
        "rds-instance-class-engine",
        "instance_class",
        {**AURORA, "instance_class": "db.t4g.small"},  # Aurora's burstables start at medium
        {**AURORA, "instance_class": "db.t4g.medium"},
    ),
    ("rds-storage-range", "allocated_storage_gb", {"allocated_storage_gb": 65537}, {"allocated_storage_gb": 65536}),
    ("rds-storage-range", "allocated_storage_gb", {"allocated_storage_gb": 19}, {"allocated_storage_gb": 20}),
    ("rds-storage-range", "max_allocated_storage_gb", {"max_allocated_storage_gb": 70000}, {"max_allocated_storage_gb": 65536}),
    ("rds-storage-range", "allocated_storage_gb", {"allocated_storage_gb": 70000}, {"allocated_storage_gb": 65536}),
    (
        "rds-serverless-v2-zero-acu-version",
        "serverless_v2.min_acu",
        {**SERVERLESS_ZERO, "engine_version": "16.2"},
        {**SERVERLESS_ZERO, "engine_version": "16.3"},
    ),
    (
        "rds-serverless-v2-zero-acu-version",
        "serverless_v2.min_acu",
        {**SERVERLESS_ZERO, "engine_version": "14.11"},
        {**SERVERLESS_ZERO, "engine_version": "14"},  # a major: AWS picks a current minor
    ),
    (
        "rds-serverless-v2-auto-pause-range",
        "serverless_v2.seconds_until_auto_pause",
        {**AURORA, "serverless_v2": {"min_acu": 0, "seconds_until_auto_pause": 299}},
        {**AURORA, "serverless_v2": {"min_acu": 0, "seconds_until_auto_pause": 300}},
    ),
    (
        "rds-serverless-v2-auto-pause-range",
        "serverless_v2.seconds_until_auto_pause",
        {**AURORA, "serverless_v2": {"min_acu": 0, "seconds_until_auto_pause": 86401}},
        {**AURORA, "serverless_v2": {"min_acu": 0, "seconds_until_auto_pause": 86400}},
    ),
    (
        "rds-serverless-v2-auto-pause-proxy",
        "proxy",
        {**SERVERLESS_ZERO, "proxy": True},
        {**AURORA, "serverless_v2": {"min_acu": 0.5}, "proxy": True},
    ),
    (
        "rds-serverless-v2-auto-pause-logical-replication",
        "parameters",
        {**SERVERLESS_ZERO, "parameters": {"rds.logical_replication": "1"}},
        {**SERVERLESS_ZERO, "parameters": {"rds.logical_replication": "0"}},
    ),
    (
        "rds-instance-class-engine",
        "instance_class",
        {**AURORA, "instance_class": "db.m8g.large"},  # Graviton4: RDS for PostgreSQL, not Aurora
        {**AURORA, "instance_class": "db.r8g.large"},
    ),
    (
        "rds-instance-class-engine",
        "instance_class",
        {"instance_class": "db.c8g.large"},  # no compute-optimized Graviton4 class on RDS
        {"instance_class": "db.m8g.large"},
    ),
]  # fmt: skip


def _networks() -> dict[int, Network]:
    return {n: Network(f"az{n}", {"az_count": n, "nat": "none"}) for n in (1, 2)}


def database_resources(plan, name: str) -> list:
    """The component and every child it registered (children are named `<name>-<role>`)."""
    return [
        r
        for r in plan.resources
        if "ManagedPostgresWithReplicas" in r.urn
        and (r.name == name or r.name.startswith(f"{name}-"))
    ]


@pytest.fixture(scope="module")
def component_runs(preview_refusals):
    def make(networks, i, case):
        kind, (_, _, refused, accepted) = case
        args = dict(refused if kind == "refused" else accepted)
        network = networks[args.pop("az_count", 2)]
        name = f"{kind[:2]}{i % len(COMPONENT_CASES)}"
        ManagedPostgresWithReplicas(name, {"network": network, **args})

    cases = [("refused", c) for c in COMPONENT_CASES] + [("accepted", c) for c in COMPONENT_CASES]
    return preview_refusals(_networks, make, cases)


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_refuses_what_aws_refuses_and_registers_nothing(component_runs, index):
    plan, errors = component_runs
    rule_id, field, _, _ = COMPONENT_CASES[index]
    assert_cites(errors.get(index), rule_id, field)
    assert database_resources(plan, f"re{index}") == []


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_accepts_the_nearest_value_aws_accepts(component_runs, index):
    plan, errors = component_runs
    assert errors.get(len(COMPONENT_CASES) + index) is None
    assert database_resources(plan, f"ac{index}")


@pytest.mark.parametrize(
    "rule",
    [
        "rds-subnet-group-two-azs",
        "rds-proxy-two-azs",
        "rds-backup-retention-range",
        "rds-performance-insights-retention",
    ],
)
def test_the_plan_fails_what_aws_refuses_and_passes_the_rest(rule):
    assert_plan_rule(rule)
