"""AWS KMS: each rule of `core/aws_rules/kms.py` fails a Plan with a key or alias AWS would
refuse and passes the nearest one AWS accepts; the keys our components create pass."""

from __future__ import annotations

import pytest

from gridops_infra import ManagedPostgresWithReplicas, Network, RedisCache
from gridops_infra.policy import check_plan
from gridops_infra.testing import preview

from .aws_data_programs import assert_plan_rule


@pytest.mark.parametrize("rule", ["kms-deletion-window", "kms-alias-name"])
def test_the_plan_fails_what_aws_refuses_and_passes_the_rest(rule):
    assert_plan_rule(rule)


def test_customer_managed_keys_of_the_data_components_pass():
    def program():
        net = Network("kms", {"az_count": 2, "nat": "none"})
        ManagedPostgresWithReplicas("db", {"network": net, "customer_managed_key": True})
        RedisCache("cache", {"network": net, "customer_managed_key": True})

    plan = preview(program)
    assert len(plan.of_type("aws:kms/key:Key")) == 2
    report = check_plan(plan)
    assert report.of_rule("kms-deletion-window") == report.of_rule("kms-alias-name") == []
