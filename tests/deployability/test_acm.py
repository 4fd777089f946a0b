"""ACM's create-time rules: a domain over 64 characters (the certificate's Common Name) is
refused by the components that request a certificate for it, before anything registers;
the policy pack fails certificates ACM would refuse and passes the ones it accepts."""

from __future__ import annotations

import pytest

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.platforms.fargate.component import FargateCluster

from .edge_reports import assert_policy_accepts, assert_policy_refuses

ZONE = "Z0123456789ABCDEFGHIJ"
DOMAIN_65 = "a" * 53 + ".example.com"
DOMAIN_64 = "a" * 52 + ".example.com"
POLICY_CASES = {
    "acm-common-name-length": {"refused-acm-common-name-length"},
    "acm-domain-names-quota": {"refused-acm-domain-names-quota"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_certificates_acm_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_certificates_acm_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)


def _make(net, i, case):
    kind, domain = case
    if kind == "cdn":
        CdnFrontend(f"cdn{i}", {"static_site": True, "domain": domain, "zone_id": ZONE})
    else:
        FargateCluster(f"fc{i}", {"network": net, "domain": domain, "zone_id": ZONE})


CASES = [("cdn", DOMAIN_65), ("cluster", DOMAIN_65), ("cdn", DOMAIN_64), ("cluster", DOMAIN_64)]


def test_acm_common_name_length_is_refused_before_anything_registers(preview_refusals) -> None:
    assert len(DOMAIN_65) == 65 and len(DOMAIN_64) == 64
    plan, errors = preview_refusals(
        lambda: Network("net", {"az_count": 2, "nat": "single"}), _make, CASES
    )
    assert sorted(errors) == [0, 1]
    for i in (0, 1):
        assert f"domain: '{DOMAIN_65}' has 65 characters" in errors[i]
        assert "AWS Certificate Manager" in errors[i]
    names = {r.name for r in plan.resources}
    assert not [n for n in names if n.startswith(("cdn0", "fc1"))]
    assert {"cdn2", "fc3"} <= names
    certificates = [r.inputs["domainName"] for r in plan.of_type("aws:acm/certificate:Certificate")]
    assert certificates.count(DOMAIN_64) == 2
