"""FargateCluster on the offline engine: ECS cluster, capacity providers, the shared ALB
with its access-log bucket and listeners, HTTPS modes, priorities, and bad input."""

from __future__ import annotations

import json
import re

import pulumi
import pytest
from parliament import analyze_policy_string

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster, Platform
from gridops_infra.platforms.alb import (
    FIRST_CATCH_ALL_PRIORITY,
    FIRST_SPECIFIC_PRIORITY,
    TLS_POLICY,
    RulePriorities,
)
from gridops_infra.testing import preview
from gridops_infra.testing.outputs import ACCOUNT_ID

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
ZONE = "Z0123456789ABCDEFGHIJ"
CLUSTER = "gridops:aws:FargateCluster"


def _program() -> None:
    net = Network("net", {"az_count": 2})
    plain = FargateCluster("plain", {"network": net})
    tls = FargateCluster(
        "tls", {"network": net, "certificate_arn": CERT, "ingress_cidrs": ["203.0.113.0/24"]}
    )
    web = FargateCluster(
        "web",
        {
            "network": net,
            "domain": "app.example.com",
            "zone_id": ZONE,
            "alb_deletion_protection": False,
            "access_log_retention_days": 30,
            "container_insights": "enhanced",
        },
    )
    assert isinstance(plain, Platform) and plain.kind == "fargate" and plain.network is net
    assert plain.listener is plain.http_listener and plain.https_listener is None
    assert tls.listener is tls.https_listener and web.listener is web.https_listener
    for c in (plain, tls, web):
        pulumi.export(f"{c.name}_url", c.url)
        pulumi.export(f"{c.name}_bucket_policy", c.access_log_policy_document)
    pulumi.export("public_subnets", net.public_subnet_ids)


@pytest.fixture(scope="module")
def plan():
    return preview(_program, stack="fargate")


def _child(plan, cluster: str, token: str, name: str):
    record = plan.one(token, name)
    assert record.parent == plan.one(CLUSTER, cluster).urn
    return record


def test_ecs_cluster_has_container_insights_and_both_fargate_capacity_providers(plan):
    cluster = _child(plan, "plain", "aws:ecs/cluster:Cluster", "plain-cluster")
    assert cluster.inputs["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    web = plan.one("aws:ecs/cluster:Cluster", "web-cluster")
    assert web.inputs["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    providers = plan.one(
        "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "plain-capacity-providers"
    )
    assert providers.inputs["clusterName"] == cluster.outputs["name"]
    assert sorted(providers.inputs["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]


def test_alb_is_internet_facing_in_public_subnets_with_protection_and_header_hygiene(plan):
    alb = _child(plan, "plain", "aws:lb/loadBalancer:LoadBalancer", "plain-alb")
    assert alb.inputs["loadBalancerType"] == "application"
    assert alb.inputs["internal"] is False
    assert alb.inputs["subnets"] == plan.outputs["public_subnets"]
    assert alb.inputs["dropInvalidHeaderFields"] is True
    assert alb.inputs["enableDeletionProtection"] is True
    assert alb.inputs["desyncMitigationMode"] == "defensive"
    sg = plan.one("aws:ec2/securityGroup:SecurityGroup", "plain-alb-sg")
    assert alb.inputs["securityGroups"] == [sg.id]
    web_alb = plan.one("aws:lb/loadBalancer:LoadBalancer", "web-alb")
    assert web_alb.inputs["enableDeletionProtection"] is False


def test_alb_name_fits_the_32_character_limit_with_the_random_suffix(plan):
    for name in ("plain-alb", "tls-alb", "web-alb"):
        physical = plan.one("aws:lb/loadBalancer:LoadBalancer", name).outputs["name"]
        assert physical.startswith(f"{name}-") and len(physical) <= 32


def test_access_logs_go_to_an_encrypted_private_bucket_that_expires_them(plan):
    alb = plan.one("aws:lb/loadBalancer:LoadBalancer", "plain-alb")
    bucket = _child(plan, "plain", "aws:s3/bucket:Bucket", "plain-alb-logs-bucket")
    logs = alb.inputs["accessLogs"]
    assert logs == {"bucket": bucket.outputs["bucket"], "enabled": True, "prefix": "alb"}
    assert bucket.inputs["forceDestroy"] is False
    policy = plan.one("aws:s3/bucketPolicy:BucketPolicy", "plain-alb-logs-policy")
    assert policy.urn in alb.dependencies  # log delivery is checked when the ALB is created
    sse = plan.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "plain-alb-logs-encryption",
    )
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "AES256"  # the only encryption ALB log delivery supports
    }
    block = plan.one(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "plain-alb-logs-public-access-block",
    )
    assert all(
        block.inputs[k]
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    owner = plan.one(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "plain-alb-logs-ownership"
    )
    assert owner.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    plain_rule = plan.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "plain-alb-logs-lifecycle",
    ).inputs["rules"][0]
    assert plain_rule["status"] == "Enabled" and plain_rule["expiration"] == {"days": 90}
    web_rule = plan.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "web-alb-logs-lifecycle",
    ).inputs["rules"][0]
    assert web_rule["expiration"] == {"days": 30}


def test_bucket_policy_lets_only_elb_write_this_accounts_logs_and_refuses_plain_http(plan):
    doc = json.loads(plan.outputs["plain_bucket_policy"])
    bucket = plan.one("aws:s3/bucket:Bucket", "plain-alb-logs-bucket").outputs["arn"]
    by_sid = {s["Sid"]: s for s in doc["Statement"]}
    for sid in ("ElbAccountWritesLogs", "LogDeliveryWritesLogs"):
        assert by_sid[sid]["Action"] == ["s3:PutObject"]
        assert by_sid[sid]["Resource"] == [f"{bucket}/alb/AWSLogs/{ACCOUNT_ID}/*"]
    deny = by_sid["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }
    assert (
        plan.one("aws:s3/bucketPolicy:BucketPolicy", "plain-alb-logs-policy").inputs["policy"]
        == plan.outputs["plain_bucket_policy"]
    )
    findings = analyze_policy_string(
        plan.outputs["plain_bucket_policy"], include_community_auditors=True
    ).findings
    assert findings == []


def test_without_a_certificate_port_80_serves_and_only_80_is_open(plan):
    http = _child(plan, "plain", "aws:lb/listener:Listener", "plain-http-listener")
    assert http.inputs["port"] == 80 and http.inputs["protocol"] == "HTTP"
    assert http.inputs["defaultActions"][0]["type"] == "fixed-response"
    assert plan.outputs["plain_url"].startswith("http://plain-alb-")
    ingress = [
        r
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.name.startswith("plain-")
    ]
    assert [(r.inputs["fromPort"], r.inputs["cidrIpv4"]) for r in ingress] == [(80, "0.0.0.0/0")]
    assert not [
        r
        for r in plan.of_type("aws:lb/listener:Listener")
        if r.name.startswith("plain-") and r.inputs["port"] == 443
    ]


def test_with_a_certificate_port_80_only_redirects_and_443_uses_tls12_or_newer(plan):
    http = plan.one("aws:lb/listener:Listener", "tls-http-listener")
    action = http.inputs["defaultActions"][0]
    assert action["type"] == "redirect"
    assert action["redirect"] == {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}
    https = plan.one("aws:lb/listener:Listener", "tls-https-listener")
    assert https.inputs["protocol"] == "HTTPS" and https.inputs["port"] == 443
    assert https.inputs["sslPolicy"] == TLS_POLICY == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert https.inputs["certificateArn"] == CERT
    ingress = sorted(
        (r.inputs["fromPort"], r.inputs["cidrIpv4"])
        for r in plan.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.name.startswith("tls-")
    )
    assert ingress == [(80, "203.0.113.0/24"), (443, "203.0.113.0/24")]
    assert plan.outputs["tls_url"].startswith("https://tls-alb-")


def test_domain_gets_a_dns_validated_wildcard_certificate_and_an_alias(plan):
    cert = _child(plan, "web", "aws:acm/certificate:Certificate", "web-certificate")
    assert cert.inputs["domainName"] == "app.example.com"
    assert cert.inputs["subjectAlternativeNames"] == ["*.app.example.com"]
    assert cert.inputs["validationMethod"] == "DNS"
    record = plan.one("aws:route53/record:Record", "web-cert-validation-record")
    option = cert.outputs["domainValidationOptions"][0]
    assert record.inputs["zoneId"] == ZONE
    assert record.inputs["name"] == option["resourceRecordName"]
    validation = plan.one(
        "aws:acm/certificateValidation:CertificateValidation", "web-cert-validation"
    )
    https = plan.one("aws:lb/listener:Listener", "web-https-listener")
    assert https.inputs["certificateArn"] == validation.outputs["certificateArn"] == cert.id
    alias = plan.one("aws:route53/record:Record", "web-alias")
    alb = plan.one("aws:lb/loadBalancer:LoadBalancer", "web-alb")
    assert alias.inputs["type"] == "A" and alias.inputs["name"] == "app.example.com"
    assert alias.inputs["aliases"][0]["name"] == alb.outputs["dnsName"]
    assert plan.outputs["web_url"] == "https://app.example.com"
    assert (
        plan.one("aws:lb/listener:Listener", "web-http-listener").inputs["defaultActions"][0][
            "type"
        ]
        == "redirect"
    )


def test_alb_security_group_has_no_egress_until_a_service_adds_its_own(plan):
    egress = [
        r
        for r in plan.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if r.parent == plan.one(CLUSTER, "plain").urn
    ]
    assert egress == []


def test_rule_priorities_follow_registration_order_and_put_catch_alls_last():
    rules = RulePriorities()
    assert rules.reserve("api", (), ("/api/*",)) == FIRST_SPECIFIC_PRIORITY
    assert rules.reserve("web", (), ("/*",)) == FIRST_CATCH_ALL_PRIORITY
    assert rules.reserve("admin", ("admin.example.com",), ()) == FIRST_SPECIFIC_PRIORITY + 10
    assert rules.reserve("pinned", (), ("/pinned/*",), priority=7) == 7
    assert RulePriorities().reserve("api", (), ("/api/*",)) == FIRST_SPECIFIC_PRIORITY


def test_rule_priorities_refuse_identical_conditions_and_taken_priorities():
    rules = RulePriorities()
    rules.reserve("api", ("Api.Example.com",), ("/v1/*",))
    with pytest.raises(ValueError, match=r"hosts=.*path_patterns=.*service 'api'"):
        rules.reserve("api2", ("api.example.com",), ("/v1/*",))
    with pytest.raises(ValueError, match=r"priority=100 .*service 'api'"):
        rules.reserve("other", (), ("/other/*",), priority=100)


BAD_CLUSTERS = [
    ("a cluster", {}, "name=.*hyphens and underscores"),
    ("prod", {"network": None}, "network='nothing'"),
    ("prod", {"domain": "app.example.com"}, "needs zone_id"),
    ("prod", {"zone_id": ZONE}, "zone_id=.*without domain"),
    ("prod", {"domain": "https://app.example.com", "zone_id": ZONE}, "domain="),
    ("prod", {"domain": "app.example.com", "zone_id": "zone-1"}, "zone_id="),
    ("prod", {"certificate_arn": "arn:aws:iam::1:server-certificate/x"}, "certificate_arn="),
    (
        "prod",
        {"certificate_arn": CERT, "domain": "app.example.com", "zone_id": ZONE},
        "certificate_arn=.*either",
    ),
    ("prod", {"access_log_retention_days": 0}, "access_log_retention_days=0"),
    ("prod", {"idle_timeout_seconds": 5000}, "idle_timeout_seconds=5000"),
    ("prod", {"ingress_cidrs": ["0.0.0.0"]}, "ingress_cidrs="),
    ("prod", {"ingress_cidrs": []}, "ingress_cidrs="),
    ("prod", {"container_insights": "disabled"}, "container_insights="),
    ("prod", {"transforms": {"nope": {}}}, "transforms has unknown child role"),
    ("prod", {"alb_name": "x"}, "unknown argument"),
]


@pytest.fixture(scope="module")
def bad_cluster_results():
    errors: dict[int, str] = {}

    def program() -> None:
        net = Network("net", {"az_count": 2})
        for i, (name, extra, _) in enumerate(BAD_CLUSTERS):
            args = {"network": net, **extra}
            try:
                FargateCluster(name, args)
            except ValueError as exc:
                errors[i] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize("index", range(len(BAD_CLUSTERS)), ids=[c[2] for c in BAD_CLUSTERS])
def test_bad_cluster_input_is_refused_naming_the_field(bad_cluster_results, index):
    _, errors = bad_cluster_results
    assert index in errors, f"{BAD_CLUSTERS[index]} was accepted"
    assert errors[index].startswith("FargateCluster")
    assert re.search(BAD_CLUSTERS[index][2], errors[index]), errors[index]


def test_bad_cluster_input_registers_nothing(bad_cluster_results):
    plan, _ = bad_cluster_results
    assert plan.of_type(CLUSTER) == []
    assert not [r for r in plan.resources if r.type.startswith(("aws:ecs", "aws:lb", "aws:s3"))]


def test_preview_raises_the_validation_error():
    def program() -> None:
        FargateCluster("prod", {"network": Network("net", {}), "domain": "app.example.com"})

    with pytest.raises(ValueError, match="zone_id"):
        preview(program)
