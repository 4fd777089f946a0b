"""Amazon ElastiCache: each create-time rule of `core/aws_rules/elasticache.py` refuses a
program AWS would refuse (in RedisCache before it registers anything, or as a mandatory
violation of the Plan) and accepts the nearest one AWS accepts."""

from __future__ import annotations

import pytest

from gridops_infra import Network, RedisCache

from .aws_data_programs import assert_plan_rule
from .refusals import assert_cites

# (AWS rule id, field, refused arguments, accepted arguments)
COMPONENT_CASES = [
    (
        "elasticache-replication-group-id",
        "identifier",
        {"identifier": "shop-cache-prod-eu-west-1-session-store-x"},  # 41 characters
        {"identifier": "shop-cache-prod-eu-west-1-session-store"},
    ),
    ("elasticache-replication-group-id", "identifier", {"identifier": "9cache"}, {"identifier": "cache9"}),
    ("elasticache-replicas-per-shard", "replicas", {"replicas": 6}, {"replicas": 5}),
    ("elasticache-failover-needs-replica", "multi_az", {"replicas": 0, "multi_az": True}, {"replicas": 0}),
    ("elasticache-node-type", "node_type", {"node_type": "cache.t4g.large"}, {"node_type": "cache.t4g.medium"}),
    ("elasticache-node-type", "node_type", {"node_type": "cache.x9.large"}, {"node_type": "cache.r7g.large"}),
]  # fmt: skip


def cache_resources(plan, name: str) -> list:
    return [
        r
        for r in plan.resources
        if "RedisCache" in r.urn and (r.name == name or r.name.startswith(f"{name}-"))
    ]


@pytest.fixture(scope="module")
def component_runs(preview_refusals):
    def make(network, i, case):
        kind, (_, _, refused, accepted) = case
        name = f"{kind[:2]}{i % len(COMPONENT_CASES)}"
        RedisCache(name, {"network": network, **(refused if kind == "refused" else accepted)})

    cases = [("refused", c) for c in COMPONENT_CASES] + [("accepted", c) for c in COMPONENT_CASES]
    return preview_refusals(lambda: Network("cache", {"az_count": 2, "nat": "none"}), make, cases)


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_refuses_what_aws_refuses_and_registers_nothing(component_runs, index):
    plan, errors = component_runs
    rule_id, field, _, _ = COMPONENT_CASES[index]
    assert_cites(errors.get(index), rule_id, field)
    assert cache_resources(plan, f"re{index}") == []


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)))
def test_the_component_accepts_the_nearest_value_aws_accepts(component_runs, index):
    plan, errors = component_runs
    assert errors.get(len(COMPONENT_CASES) + index) is None
    assert cache_resources(plan, f"ac{index}")


@pytest.mark.parametrize(
    "rule",
    [
        "elasticache-auth-token-needs-tls",
        "elasticache-failover-needs-replica",
        "elasticache-auth-token-format",
    ],
)
def test_the_plan_fails_what_aws_refuses_and_passes_the_rest(rule):
    assert_plan_rule(rule)


def test_a_transform_that_lets_the_auth_token_draw_refused_characters_fails_the_plan():
    """RedisCache's token has no special characters; a transform of its `auth_token` child
    asking for pulumi-random's default specials would make tokens ElastiCache refuses."""
    from gridops_infra.policy import check_plan
    from gridops_infra.testing import preview

    def program(special: bool):
        net = Network("cache", {"az_count": 2, "nat": "none"})
        RedisCache("c", {"network": net, "transforms": {"auth_token": {"special": special}}})

    refused = check_plan(preview(lambda: program(True))).of_rule("elasticache-auth-token-format")
    assert refused and "@" in refused[0].message
    accepted = check_plan(preview(lambda: program(False))).of_rule("elasticache-auth-token-format")
    assert accepted == []


def test_redis_cache_replication_groups_pass_every_elasticache_plan_rule(preview_refusals):
    from gridops_infra.policy import check_plan

    plan, errors = preview_refusals(
        lambda: Network("cache", {"az_count": 2, "nat": "none"}),
        lambda net, i, args: RedisCache(f"c{i}", {"network": net, **args}),
        [{}, {"replicas": 0}, {"shards": 2, "replicas": 0}, {"replicas": 5}],
    )
    assert errors == {}
    report = check_plan(plan)
    rules = (
        "elasticache-auth-token-needs-tls",
        "elasticache-failover-needs-replica",
        "elasticache-auth-token-format",
    )
    for rule in rules:
        assert report.of_rule(rule) == []
