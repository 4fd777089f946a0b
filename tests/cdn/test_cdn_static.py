"""The static site: a private bucket only this distribution may read, uploaded with the
right content types, routed next to the API, with an optional failover origin."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest
from cdn_programs import API_IMAGE, CACHING_OPTIMIZED, DISTRIBUTION, behaviors, origins

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.cdn.static import content_type, site_files
from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview
from gridops_infra.testing.validators import iam_findings

OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    (root / "css").mkdir()
    (root / ".git").mkdir()
    files = {
        "index.html": "<!doctype html><title>acme</title>",
        "css/site.css": "body{margin:0}",
        "app.js": "console.log(1)",
        "logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "fonts.woff2": "wOF2",
        "data.bin": "\x00",
        ".env": "SECRET=1",
        ".git/config": "[core]",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def _program(site_dir: Path) -> None:
    cluster = FargateCluster("prod", {"network": Network("prod", {}), "behind_cdn": True})
    api = StatelessService(
        "api", {"platform": cluster, "image": API_IMAGE, "path_patterns": ["/api/*"]}
    )
    cdn = CdnFrontend(
        "web",
        {
            "api_origin": api,
            "static_dir": str(site_dir),
            "routes": {"/api/*": "api", "/assets/*": "static"},
            "failover_origin": "backup.example.net",
        },
    )
    pulumi.export("bucket_policy", cdn.static_bucket_policy_document)
    pulumi.export("bucket_name", cdn.static_bucket_name)
    pulumi.export("distribution_arn", cdn.distribution_arn)


@pytest.fixture(scope="module")
def plan(site_dir):
    return preview(lambda: _program(site_dir), stack="fargate")


@pytest.fixture(scope="module")
def bucket(plan):
    return plan.one("aws:s3/bucket:Bucket", "web-site")


def test_bucket_policy_admits_only_this_distribution(plan, bucket):
    document = json.loads(plan.outputs["bucket_policy"])
    allows = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Action": ["s3:GetObject"],
            "Condition": {"StringEquals": {"AWS:SourceArn": plan.outputs["distribution_arn"]}},
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Resource": [f"{bucket.outputs['arn']}/*"],
            "Sid": "CloudFrontDistributionReadsObjects",
        }
    ]
    assert (
        plan.outputs["distribution_arn"]
        == plan.one(DISTRIBUTION, "web-distribution").outputs["arn"]
    )
    deny = next(s for s in document["Statement"] if s["Effect"] == "Deny")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    policy = plan.one("aws:s3/bucketPolicy:BucketPolicy", "web-site-policy")
    assert policy.inputs["bucket"] == bucket.id
    assert json.loads(policy.inputs["policy"]) == document
    assert iam_findings(document) == []


def test_bucket_blocks_all_public_access_and_is_encrypted_and_versioned(plan, bucket):
    block = plan.one(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "web-site-public-access-block"
    )
    assert block.inputs["bucket"] == bucket.id
    for flag in (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ):
        assert block.inputs[flag] is True
    sse = plan.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "web-site-encryption",
    )
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "AES256"
    }
    versioning = plan.one("aws:s3/bucketVersioning:BucketVersioning", "web-site-versioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    ownership = plan.one(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "web-site-ownership"
    )
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_cloudfront_reaches_the_bucket_only_through_origin_access_control(plan, bucket):
    oac = plan.one("aws:cloudfront/originAccessControl:OriginAccessControl", "web-oac")
    assert oac.inputs["originAccessControlOriginType"] == "s3"
    assert oac.inputs["signingBehavior"] == "always"
    assert oac.inputs["signingProtocol"] == "sigv4"
    static = origins(plan)["static"]
    assert static["originAccessControlId"] == oac.id
    assert static["domainName"] == bucket.outputs["bucketRegionalDomainName"]
    assert "s3OriginConfig" not in static  # no legacy origin access identity


def test_routes_send_paths_to_their_origins_in_order(plan):
    inputs = behaviors(plan)
    record = plan.one(DISTRIBUTION, "web-distribution")
    assert [b["pathPattern"] for b in record.inputs["orderedCacheBehaviors"]] == [
        "/api/*",
        "/assets/*",
    ]
    assert inputs["/api/*"]["targetOriginId"] == "api"
    for key in ("default", "/assets/*"):
        static = inputs[key]
        assert static["targetOriginId"] == "static-group"
        assert static["cachePolicyId"] == CACHING_OPTIMIZED
        assert static["allowedMethods"] == ["GET", "HEAD", "OPTIONS"]
        assert static["viewerProtocolPolicy"] == "redirect-to-https"
        assert static["compress"] is True
    assert record.inputs["defaultRootObject"] == "index.html"


def test_failover_group_falls_over_to_the_backup_on_5xx(plan):
    record = plan.one(DISTRIBUTION, "web-distribution")
    (group,) = record.inputs["originGroups"]
    assert group["originId"] == "static-group"
    assert [m["originId"] for m in group["members"]] == ["static", "static-failover"]
    assert group["failoverCriteria"]["statusCodes"] == [500, 502, 503, 504]
    backup = origins(plan)["static-failover"]
    assert backup["domainName"] == "backup.example.net"
    assert backup["customOriginConfig"]["originProtocolPolicy"] == "https-only"


def test_the_directory_is_uploaded_with_content_types(plan, bucket, site_dir):
    objects = {r.inputs["key"]: r for r in plan.of_type(OBJECT)}
    assert sorted(objects) == [
        "app.js",
        "css/site.css",
        "data.bin",
        "fonts.woff2",
        "index.html",
        "logo.svg",
    ]  # dot-files and dot-folders are not uploaded
    types = {key: r.inputs["contentType"] for key, r in objects.items()}
    assert types == {
        "app.js": "text/javascript; charset=utf-8",
        "css/site.css": "text/css; charset=utf-8",
        "data.bin": "application/octet-stream",
        "fonts.woff2": "font/woff2",
        "index.html": "text/html; charset=utf-8",
        "logo.svg": "image/svg+xml",
    }
    assert objects["index.html"].inputs["cacheControl"] == "no-cache"
    assert "cacheControl" not in objects["app.js"].inputs
    for key, r in objects.items():
        assert r.inputs["bucket"] == bucket.id
        assert "tags" not in r.inputs
        assert isinstance(r.inputs["source"], pulumi.FileAsset)
        assert r.inputs["source"].path == str(site_dir / key)


def test_the_site_bucket_logs_its_access_to_the_log_bucket(plan, bucket):
    logging = plan.one("aws:s3/bucketLogging:BucketLogging", "web-site-access-logging")
    logs = plan.one("aws:s3/bucket:Bucket", "web-logs")
    assert logging.inputs["bucket"] == bucket.id
    assert logging.inputs["targetBucket"] == logs.id
    policy = json.loads(
        plan.one("aws:s3/bucketPolicy:BucketPolicy", "web-logs-policy").inputs["policy"]
    )
    writer = next(s for s in policy["Statement"] if s["Effect"] == "Allow")
    assert writer["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert writer["Condition"]["ArnLike"] == {"aws:SourceArn": bucket.outputs["arn"]}
    assert iam_findings(policy) == []


def test_content_types_of_common_web_files():
    assert content_type(Path("a/b.MJS")) == "text/javascript; charset=utf-8"
    assert content_type(Path("x.json")) == "application/json; charset=utf-8"
    assert content_type(Path("x.png")) == "image/png"
    assert content_type(Path("site.webmanifest")) == "application/manifest+json; charset=utf-8"
    assert content_type(Path("no-extension")) == "application/octet-stream"


def test_site_files_are_sorted_and_skip_hidden_paths(site_dir):
    keys = [key for key, _ in site_files(site_dir)]
    assert keys == sorted(keys) and not any(k.startswith(".") or "/." in k for k in keys)
