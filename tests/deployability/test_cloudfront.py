"""CloudFront's create-time rules: CdnFrontend refuses routes CloudFront would refuse
before it registers anything; the policy pack fails distributions built otherwise (user
resources, transforms) and passes the ones CloudFront accepts."""

from __future__ import annotations

import pytest

from gridops_infra.cdn.component import CdnFrontend

from .edge_reports import assert_policy_accepts, assert_policy_refuses

CDN = "gridops:aws:CdnFrontend"
POLICY_CASES = {
    "cloudfront-acm-certificate-us-east-1": {"refused-cloudfront-acm-certificate-us-east-1"},
    "cloudfront-aliases-need-certificate": {
        "refused-cloudfront-aliases-need-certificate",
        "refused-cloudfront-aliases-need-certificate-default",
    },
    "cloudfront-cache-behaviors-quota": {"refused-cloudfront-cache-behaviors-quota"},
    "cloudfront-origin-custom-header-names": {"refused-cloudfront-origin-custom-header-names"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_what_cloudfront_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_what_cloudfront_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)


def _routes(count: int) -> dict[str, str]:
    return {f"/assets-{i}/*": "static" for i in range(count)}


# (name, routes, the AWS rule the refusal cites; None: accepted)
COMPONENT_CASES = [
    ("behaviors75", _routes(75), "cloudfront-cache-behaviors-quota"),
    ("behaviors74", _routes(74), None),
    ("badpattern", {"api/ v1": "static"}, "cloudfront-path-pattern"),
    ("longpattern", {"/" + "a" * 255: "static"}, "cloudfront-path-pattern"),
    ("goodpattern", {"/img/*.jpg": "static", "/docs/v1.2/~user/*": "static"}, None),
]


@pytest.fixture(scope="module")
def component_refusals(preview_refusals):
    return preview_refusals(
        lambda: None,
        lambda _, i, case: CdnFrontend(case[0], {"static_site": True, "routes": case[1]}),
        COMPONENT_CASES,
    )


@pytest.mark.parametrize("index", range(len(COMPONENT_CASES)), ids=[c[0] for c in COMPONENT_CASES])
def test_cdn_frontend_refuses_routes_cloudfront_refuses(component_refusals, index: int) -> None:
    plan, errors = component_refusals
    name, _, aws_rule_id = COMPONENT_CASES[index]
    cdns = {r.name for r in plan.of_type(CDN)}
    if aws_rule_id is None:
        assert index not in errors, errors.get(index)
        assert name in cdns
        return
    message = errors[index]
    assert message.startswith(f"CdnFrontend '{name}': routes: "), message
    assert "Amazon CloudFront" in message and "docs.aws.amazon.com" in message
    assert name not in cdns
    assert not [r for r in plan.resources if r.name.startswith(f"{name}-")]
