"""Bad CdnFrontend input is refused with an error naming the field before anything is
registered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cdn_programs import API_IMAGE, ZONE

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.queue import SqsWorkerQueue
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview

COMPONENT = "gridops:aws:CdnFrontend"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"

# (args, regex); "$api" is the Fargate API service, "$hosted" one routing by host,
# "$tls_api" one on a cluster with certificate_arn only, "$queue" a SqsWorkerQueue,
# "$single" a service on a SingleServer routing by a host CloudFront will not send.
BAD: list[tuple[dict[str, Any], str]] = [
    ({"api_origin": "$api", "routes": {"/img/*": "static"}}, "routes=.*unknown origin 'static'"),
    ({"api_origin": "$api", "routes": {"/img/*": "cdn"}}, "routes=.*unknown origin 'cdn'"),
    ({"api_origin": "$api", "routes": {"/*": "api"}}, "routes=.*use default_origin"),
    (
        {"api_origin": "$api", "routes": {"api/ v1": "api"}},
        "routes: 'api/ v1' is not a path pattern",
    ),
    ({"api_origin": "$api", "domain": "www.example.com"}, "domain='www.example.com' needs zone_id"),
    ({"api_origin": "$api", "zone_id": ZONE}, "zone_id=.*without domain"),
    (
        {"static_dir": "/nonexistent/site"},
        "static_dir='/nonexistent/site' .*not an existing directory",
    ),
    ({"static_dir": "/tmp", "static_site": False}, "static_site=False .*static_dir"),
    ({}, "api_origin=None .*static_site"),
    ({"static_site": False}, "api_origin=None .*static_site"),
    (
        {"api_origin": "$queue"},
        "api_origin='SqsWorkerQueue' .*StatelessService with a load balancer",
    ),
    ({"api_origin": "$single"}, "api_origin='web' .*routes by hosts .*by path only"),
    ({"api_origin": "$hosted"}, "api_origin='hosted' .*routes by hosts"),
    ({"api_origin": "$tls_api"}, "api_origin='tlsapi' .*api_origin_domain"),
    (
        {"api_origin_domain": "api.example.com", "static_site": True},
        "api_origin_domain=.*only with api_origin",
    ),
    ({"api_origin": "$api", "api_origin_domain": "https://x"}, "api_origin_domain="),
    (
        {"api_origin": "$api", "failover_origin": "backup.example.net"},
        "failover_origin=.*needs static_site",
    ),
    ({"static_site": True, "default_origin": "api"}, "default_origin='api'"),
    ({"api_origin": "$api", "price_class": "PriceClass_Cheap"}, "price_class="),
    ({"api_origin": "$api", "waf_rate_limit": 9}, "waf_rate_limit: 9 requests"),
    ({"api_origin": "$api", "access_log_retention_days": 0}, "access_log_retention_days=0"),
    ({"api_origin": "$api", "transforms": {"nope": {}}}, "transforms has unknown child role"),
    ({"api_origin": "$api", "origin": "x"}, "unknown argument"),
]


def _resolve(args: dict[str, Any], refs: dict[str, Any]) -> dict[str, Any]:
    return {k: refs.get(v, v) if isinstance(v, str) else v for k, v in args.items()}


@pytest.fixture(scope="module")
def results():
    errors: dict[int, str] = {}

    def program() -> None:
        net = Network("prod", {})
        cluster = FargateCluster("prod", {"network": net})
        tls = FargateCluster("tls", {"network": net, "certificate_arn": CERT})
        refs = {
            "$api": StatelessService("api", {"platform": cluster, "image": API_IMAGE}),
            "$hosted": StatelessService(
                "hosted", {"platform": cluster, "image": API_IMAGE, "hosts": ["api.example.com"]}
            ),
            "$tls_api": StatelessService("tlsapi", {"platform": tls, "image": API_IMAGE}),
            "$queue": SqsWorkerQueue("jobs", {"platform": cluster, "image": API_IMAGE}),
            "$single": StatelessService(
                "web",
                {
                    "platform": SingleServer("mvp", {"network": net, "ip_certificate": False}),
                    "image": API_IMAGE,
                    "hosts": ["shop.example.com"],
                },
            ),
        }
        for i, (args, _) in enumerate(BAD):
            try:
                CdnFrontend("edge", _resolve(args, refs))
            except ValueError as exc:
                errors[i] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize("index", range(len(BAD)), ids=[b[1] for b in BAD])
def test_bad_input_is_refused_naming_the_field(results, index):
    _, errors = results
    assert index in errors, f"{BAD[index]} was accepted"
    assert errors[index].startswith("CdnFrontend"), errors[index]
    assert re.search(BAD[index][1], errors[index]), errors[index]


def test_refused_cdns_register_nothing(results):
    plan, errors = results
    assert len(errors) == len(BAD)
    assert plan.of_type(COMPONENT) == []
    assert plan.of_type("aws:cloudfront/distribution:Distribution") == []
    assert not [r for r in plan.resources if r.name.startswith("edge")]


def test_a_bad_name_is_refused():
    with pytest.raises(ValueError, match="CdnFrontend: name="):
        preview(lambda: CdnFrontend("web 1", {"static_site": True}))


def test_a_long_mixed_case_name_is_accepted():
    plan = preview(lambda: CdnFrontend("Web_" + "x" * 100, {"static_site": True}))
    assert [r.name for r in plan.of_type("gridops:aws:CdnFrontend")] == ["Web_" + "x" * 100]
    for bucket in plan.of_type("aws:s3/bucket:Bucket") + plan.of_type("aws:s3/bucketV2:BucketV2"):
        prefix = bucket.inputs["bucketPrefix"]
        assert len(prefix) + 26 <= 63 and prefix == prefix.lower(), prefix


def test_an_api_origin_on_a_platform_without_a_load_balancer_is_refused():
    # EKS origins are built (tests/cdn/test_cdn_eks_origin.py); a platform that is neither
    # a FargateCluster nor an EksCluster has no ALB to point CloudFront at.
    errors: list[str] = []

    class FakeEks:
        kind = "eks"
        name = "k8s"

    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        api = StatelessService("api", {"platform": cluster, "image": API_IMAGE})
        api.platform = FakeEks()  # type: ignore[assignment]  # not an EksCluster
        try:
            CdnFrontend("edge", {"api_origin": api})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert errors and "api_origin='api'" in errors[0] and "FakeEks without one" in errors[0]
    assert plan.of_type(COMPONENT) == []
