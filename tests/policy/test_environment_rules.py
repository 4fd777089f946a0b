"""Environments in the policy pack: a preview environment's database may go without
deletion protection only when it says when it expires, a stack is one environment, and a
production database without protection is still refused."""

from __future__ import annotations

from typing import Any

from policy_programs import plan_of, record

from gridops_infra.policy import check_plan

CLUSTER = "aws:rds/cluster:Cluster"
REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
ALB = "aws:lb/loadBalancer:LoadBalancer"
QUEUE = "aws:sqs/queue:Queue"
DATA_RULES = ("rds-deletion-protection", "stateful-resource-protected")
EXPIRES = "2027-01-05T00:00:00Z"

DISPOSABLE_DB = {
    "storageEncrypted": True,
    "backupRetentionPeriod": 7.0,
    "deletionProtection": False,
    "skipFinalSnapshot": True,
}


def _violations(*records: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for v in check_plan(plan_of(*records)).violations:
        found.setdefault(v.rule, []).append(v.message)
    return found


def _tags(**tags: str) -> dict[str, dict[str, str]]:
    return {"tags": {k.replace("_", "-"): v for k, v in tags.items()}}


def test_a_preview_database_with_an_expiry_is_disposable() -> None:
    found = _violations(
        record(
            CLUSTER, "db", {**DISPOSABLE_DB, **_tags(environment="preview", expires_at=EXPIRES)}
        ),
        record(REDIS, "cache", _tags(environment="preview", expires_at=EXPIRES)),
        record(
            ALB,
            "alb",
            {"enableDeletionProtection": False, **_tags(environment="preview", expires_at=EXPIRES)},
        ),
    )
    for rule in (*DATA_RULES, "lb-deletion-protection", "environment-tags-consistent"):
        assert rule not in found, found.get(rule)


def test_the_preview_tag_alone_exempts_nothing() -> None:
    """Without a valid expires-at the data rules still apply, and the stack is refused."""
    for tags in (_tags(environment="preview"), _tags(environment="preview", expires_at="soon")):
        found = _violations(record(CLUSTER, "db", {**DISPOSABLE_DB, **tags}))
        assert set(DATA_RULES) <= set(found)
        assert (
            "the sweeper cannot tell when to destroy it" in found["environment-tags-consistent"][0]
        )


def test_production_without_protection_is_refused() -> None:
    found = _violations(
        record(CLUSTER, "db", {**DISPOSABLE_DB, **_tags(environment="production")}),
        record(ALB, "alb", {"enableDeletionProtection": False, **_tags(environment="production")}),
    )
    assert "deletionProtection is not true" in " ".join(found["rds-deletion-protection"])
    assert "stateful-resource-protected" in found
    assert found["lb-deletion-protection"] == ["enableDeletionProtection is not true."]
    assert "environment-tags-consistent" not in found


def test_a_stack_is_one_environment() -> None:
    """A production stack cannot lift protection from one database by tagging it preview."""
    found = _violations(
        record(QUEUE, "jobs", _tags(environment="production")),
        record(QUEUE, "dlq", _tags(environment="production")),
        record(
            CLUSTER, "db", {**DISPOSABLE_DB, **_tags(environment="preview", expires_at=EXPIRES)}
        ),
    )
    assert found["environment-tags-consistent"] == [
        "db is tagged environment=preview in a stack whose resources are production: a stack "
        "is one environment, and a preview tag would lift data protection inside another."
    ]


def test_untagged_stacks_are_not_judged_by_environment() -> None:
    found = _violations(record(QUEUE, "jobs", {}))
    assert "environment-tags-consistent" not in found
