"""Stage config keys: the README table and the code agree, a key a stage does not read is
refused (a typo never passes as a setting that did nothing), and values are checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gridops_infra.testing import preview
from stacks.config import StageConfigError
from stacks.config_keys import STAGE_KEYS

ROOT = Path(__file__).resolve().parents[2]
STAGES = {"single-server", "express", "fargate", "eks"}


def _readme_table() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in (ROOT / "stacks" / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 3 or not cells[1].startswith("`gridops:"):
            continue
        stages = frozenset(
            STAGES if cells[2] == "all" else (s.strip() for s in cells[2].split(","))
        )
        for key in re.findall(r"`gridops:([a-z_]+)`", cells[1]):
            table[key] = stages
    return table


def test_the_readme_documents_exactly_the_keys_the_stages_read() -> None:
    assert _readme_table() == STAGE_KEYS


def test_the_shipped_stack_files_use_only_their_stage_keys() -> None:
    """Every stack file of a stage, its staging and preview stacks included."""
    for path in (ROOT / "stacks").glob("Pulumi.*.yaml"):
        text = path.read_text()
        stage = re.search(r"gridops:stage: (\S+)", text)
        assert stage, path
        if stage[1] not in STAGES:
            continue  # the cutover stack
        for key in re.findall(r"gridops:([a-z_]+)", text):
            assert stage[1] in STAGE_KEYS[key], (path.name, key)


def test_a_typo_is_refused_with_the_closest_key() -> None:
    with pytest.raises(
        StageConfigError,
        match="gridops:db_replica is not a stage config key; did you mean gridops:db_replicas",
    ):
        preview(ROOT, stack="fargate", config={"db_replica": "0"})


def test_a_key_of_another_stage_is_refused() -> None:
    with pytest.raises(
        StageConfigError,
        match=r"gridops:instance_type is not read by stage eks \(only single-server\)",
    ):
        preview(ROOT, stack="eks", config={"instance_type": "t4g.large"})


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("slo_availability", "99.9", "expected a fraction between 0 and 1"),
        ("slo_availability", "abc", "expected a fraction between 0 and 1"),
        ("slo_latency_objective", "1", "expected a fraction between 0 and 1"),
        ("slo_latency_threshold_ms", "0", "expected at least 1"),
        ("alert_emails", "a@b.io", "expected a list"),
    ],
)
def test_values_are_checked_before_anything_is_built(key: str, value: str, why: str) -> None:
    with pytest.raises(StageConfigError, match=f"gridops:{key}={value!r}: {why}"):
        preview(ROOT, stack="fargate", config={key: value})


def test_a_yaml_list_works_on_the_command_line() -> None:
    plan = preview(ROOT, stack="fargate", config={"alert_emails": "[a@b.io, c@d.io]"})
    endpoints = {
        r.inputs["endpoint"] for r in plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    }
    assert {"a@b.io", "c@d.io"} <= endpoints


@pytest.mark.parametrize("key", ["db_replicas", "cache_replicas"])
def test_drills_name_the_replica_key_they_need(key: str) -> None:
    with pytest.raises(StageConfigError, match=f"gridops:{key}=0: gridops:resilience_drills"):
        preview(ROOT, stack="fargate", config={key: "0"})


def test_single_server_runs_one_api_by_default() -> None:
    """Only the required keys: one API container, as the README says, fits the host."""
    config = {
        "stage": "single-server",
        "api_image": "ghcr.io/acme/api:1.4.2",
        "worker_image": "ghcr.io/acme/worker:1.4.2",
    }
    plan = preview(ROOT, stack="minimal", config=config)
    # No domain: HTTPS on the Elastic IP with a Let's Encrypt IP-address certificate.
    assert plan.outputs["url"].startswith("https://")


def test_db_auto_pause_seconds_makes_the_stage_database_scale_to_zero() -> None:
    # The shipped stack file names a provisioned class; a scaling-to-zero stack says so.
    plan = preview(
        ROOT,
        stack="fargate",
        config={
            "db_auto_pause_seconds": "1800",
            "db_instance_class": "db.serverless",
            "environment": "staging",
        },
    )
    cluster = plan.one("aws:rds/cluster:Cluster")
    assert cluster.inputs["serverlessv2ScalingConfiguration"] == {
        "minCapacity": 0,
        "maxCapacity": 16,
        "secondsUntilAutoPause": 1800,
    }
    members = plan.of_type("aws:rds/clusterInstance:ClusterInstance")
    assert members and {m.inputs["instanceClass"] for m in members} == {"db.serverless"}


@pytest.mark.parametrize(
    ("key", "value"), [("db_instance_class", "db.r7g.large"), ("db_engine_mode", "instance")]
)
def test_db_auto_pause_seconds_refuses_a_provisioned_database(key: str, value: str) -> None:
    with pytest.raises(StageConfigError, match=f"gridops:{key}='{value}': gridops:db_auto_pause"):
        config = {
            "db_auto_pause_seconds": "1800",
            "db_instance_class": "db.serverless",
            "environment": "staging",
        }
        preview(ROOT, stack="fargate", config={**config, key: value})
