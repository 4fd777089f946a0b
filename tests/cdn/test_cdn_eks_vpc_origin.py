"""CdnFrontend in front of a StatelessService on an EksCluster `behind_cdn` with the
default `origin_access: "vpc-origin"`: Pulumi creates an internal ALB in the private
subnets, each service a target group of Pod IPs, a listener rule and a
TargetGroupBinding (no Ingress), and CloudFront reaches the ALB through a VPC origin,
HTTPS with the services' domain certificates, else HTTP inside the VPC."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from cdn_programs import API_IMAGE, CLOUDFRONT_PREFIX_LIST_ID, ZONE, ingress_of, origins

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.network.component import Network
from gridops_infra.platforms import EksCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import Plan, preview, reveal

ALB = "aws:lb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
LISTENER_RULE = "aws:lb/listenerRule:ListenerRule"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding"
VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin"
SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
K8S_INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
PASSWORD = "random:index/randomPassword:RandomPassword"
HTTPS_ONLY_SERVICES = ("shop", "cart")


def _program() -> None:
    net = Network("prod", {})
    edge = EksCluster("edge", {"network": net, "behind_cdn": True})
    api = StatelessService("api", {"platform": edge, "image": API_IMAGE, "port": 8080})
    StatelessService(
        "admin",
        {"platform": edge, "image": API_IMAGE, "port": 8080, "path_patterns": ["/admin/*"]},
    )
    StatelessService(
        "docs",
        {"platform": edge, "image": API_IMAGE, "port": 9000, "path_patterns": ["/docs/*"]},
    )
    CdnFrontend("web", {"api_origin": api})

    tls = EksCluster("tls", {"network": net, "behind_cdn": True, "origin_access": "vpc-origin"})
    shop = StatelessService(
        "shop",
        {"platform": tls, "image": API_IMAGE, "domain": "shop.example.com", "zone_id": ZONE},
    )
    StatelessService(
        "cart",
        {
            "platform": tls,
            "image": API_IMAGE,
            "domain": "cart.example.com",
            "zone_id": ZONE,
            "hosts": ["cart.example.com"],
        },
    )
    CdnFrontend("store", {"api_origin": shop})
    pulumi.export("edge_alb_dns", edge.origin_alb.dns_name if edge.origin_alb else None)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(_program, stack="eks")


def _inputs(plan: Plan, type_: str, name: str) -> dict[str, Any]:
    return reveal(plan.one(type_, name).inputs)


def test_no_ingress_and_no_origin_secret_behind_a_vpc_origin(plan):
    assert plan.of_type(K8S_INGRESS) == []
    assert plan.of_type(PASSWORD) == []
    for name, cdn in (("api", "web"), ("shop", "store")):
        origin = origins(plan, cdn)["api"]
        assert "customOriginConfig" not in origin and "customHeaders" not in origin
        assert origin["vpcOriginConfig"]["vpcOriginId"], name


def test_the_alb_is_internal_in_the_private_subnets(plan):
    for cluster in ("edge", "tls"):
        alb = plan.one(ALB, f"{cluster}-alb")
        assert alb.inputs["internal"] is True
        subnets = [urn.rsplit("::", 1)[-1] for urn in alb.property_dependencies["subnets"]]
        assert sorted(subnets) == ["prod-private-0", "prod-private-1"]
        assert alb.inputs["dropInvalidHeaderFields"] is True
        assert alb.inputs["enableDeletionProtection"] is True
        assert alb.inputs["accessLogs"]["enabled"] is True


def test_the_vpc_origin_points_at_the_internal_alb(plan):
    for cluster, cdn, protocol in (("edge", "web", "http-only"), ("tls", "store", "https-only")):
        alb = plan.one(ALB, f"{cluster}-alb")
        config = _inputs(plan, VPC_ORIGIN, f"{cdn}-vpc-origin")["vpcOriginEndpointConfig"]
        assert config["arn"] == alb.outputs["arn"]
        assert config["originProtocolPolicy"] == protocol
    assert origins(plan, "web")["api"]["domainName"] == plan.outputs["edge_alb_dns"]
    assert origins(plan, "store")["api"]["domainName"] == "shop.example.com"


def test_the_alb_admits_only_cloudfront_on_one_port(plan):
    cidr = "10.0.0.0/16"
    assert ingress_of(plan, "edge-alb-in") == [
        (80, None, CLOUDFRONT_PREFIX_LIST_ID),
        (80, cidr, None),
    ]
    assert ingress_of(plan, "tls-alb-in") == [
        (443, None, CLOUDFRONT_PREFIX_LIST_ID),
        (443, cidr, None),
    ]


def test_one_listener_per_alb_and_a_rule_per_service(plan):
    http = _inputs(plan, LISTENER, "edge-http-listener")
    assert (http["port"], http["protocol"]) == (80, "HTTP")
    assert http["defaultActions"][0]["fixedResponse"]["statusCode"] == "404"
    https = _inputs(plan, LISTENER, "tls-https-listener")
    assert (https["port"], https["protocol"]) == (443, "HTTPS")
    assert https["sslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert len(plan.of_type(LISTENER)) == 2
    # Specific rules first, in registration order; the catch-all last.
    priorities = {
        name: _inputs(plan, LISTENER_RULE, f"{name}-rule")["priority"]
        for name in ("api", "admin", "docs")
    }
    assert priorities == {"admin": 100, "docs": 110, "api": 45000}
    admin = _inputs(plan, LISTENER_RULE, "admin-rule")
    assert admin["conditions"] == [{"pathPattern": {"values": ["/admin/*"]}}]
    cart = _inputs(plan, LISTENER_RULE, "cart-rule")
    assert cart["conditions"] == [{"hostHeader": {"values": ["cart.example.com"]}}]
    # The second HTTPS service adds its certificate to the shared listener.
    (certificate,) = plan.of_type("aws:lb/listenerCertificate:ListenerCertificate")
    assert certificate.name == "cart-listener-certificate"


def test_target_groups_take_pod_ips_tagged_for_the_controller(plan):
    cluster = plan.one("aws:eks/cluster:Cluster", "edge-cluster")
    for name, port in (("api", 8080), ("docs", 9000)):
        group = _inputs(plan, TARGET_GROUP, f"{name}-tg")
        assert (group["targetType"], group["port"], group["protocol"]) == ("ip", port, "HTTP")
        assert group["healthCheck"]["path"] == "/"  # the spec's health_check_path default
        # The controller's policy lets it register targets only in groups so tagged.
        assert group["tags"]["elbv2.k8s.aws/cluster"] == cluster.inputs["name"]


def test_the_controller_may_register_targets_in_those_groups_only(plan):
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "edge-lbc-policy")
    documents = [json.loads(reveal(policy.inputs["policy"]))]
    cluster_name = plan.one("aws:eks/cluster:Cluster", "edge-cluster").inputs["name"]
    registering = [
        s
        for d in documents
        for s in d["Statement"]
        if "elasticloadbalancing:RegisterTargets" in s["Action"]
    ]
    assert registering
    for statement in registering:
        tag = statement["Condition"]["StringEquals"]["aws:ResourceTag/elbv2.k8s.aws/cluster"]
        assert tag == cluster_name


def test_a_target_group_binding_per_service_registers_its_pods(plan):
    for name, port in (("api", 8080), ("admin", 8080), ("docs", 9000), ("shop", 8080)):
        binding = plan.one(BINDING, f"{name}-target-group-binding")
        inputs = reveal(binding.inputs)
        assert inputs["apiVersion"] == "elbv2.k8s.aws/v1beta1"
        assert inputs["metadata"]["namespace"] == name
        group = plan.one(TARGET_GROUP, f"{name}-tg")
        assert inputs["spec"] == {
            "targetGroupARN": group.outputs["arn"],
            "targetType": "ip",
            "serviceRef": {"name": name, "port": port},
        }
        # Created once the controller (its webhook) and the Kubernetes Service exist.
        depends = {urn.rsplit("::", 1)[-1] for urn in binding.dependencies}
        assert f"{name}-kubernetes-service" in depends
        assert any("load-balancer-controller" in d for d in depends), depends


def test_the_alb_reaches_the_pods_group_once_per_port(plan):
    """api and admin share the nodes' group and port 8080: one rule pair, not two (EC2
    refuses a duplicate rule); docs on 9000 gets its own."""
    nodes = [r for r in plan.of_type(SG_INGRESS) if r.name.startswith("edge-alb-to-")]
    assert sorted((r.name, r.inputs["fromPort"]) for r in nodes) == [
        ("edge-alb-to-nodes-8080-in", 8080),
        ("edge-alb-to-nodes-9000-in", 9000),
    ]
    for rule in nodes:
        assert _group(rule, "securityGroupId") == "edge-node-sg"
        assert _group(rule, "referencedSecurityGroupId") == "edge-alb-sg"
    out = [r for r in plan.of_type(SG_EGRESS) if r.name.startswith("edge-alb-to-")]
    assert sorted(r.inputs["fromPort"] for r in out) == [8080, 9000]
    assert {_group(r, "securityGroupId") for r in out} == {"edge-alb-sg"}
    assert {_group(r, "referencedSecurityGroupId") for r in out} == {"edge-node-sg"}


def _group(rule: Any, field: str) -> str:
    """The security group a rule's `field` names, by resource name."""
    (urn,) = rule.property_dependencies[field]
    return urn.rsplit("::", 1)[-1]


def test_the_network_policy_admits_the_private_subnets(plan):
    policy = _inputs(plan, NETWORK_POLICY, "api-network-policy")
    cidrs = [peer["ipBlock"]["cidr"] for peer in policy["spec"]["ingress"][0]["from"]]
    subnets = [r for r in plan.of_type("aws:ec2/subnet:Subnet") if "private" in r.name]
    assert sorted(cidrs) == sorted(s.inputs["cidrBlock"] for s in subnets)


def test_https_services_route_their_domain_to_the_internal_alb(plan):
    alb = plan.one(ALB, "tls-alb")
    for name in HTTPS_ONLY_SERVICES:
        record = _inputs(plan, "aws:route53/record:Record", f"{name}-alias")
        assert record["aliases"][0]["name"] == alb.outputs["dnsName"]


def test_the_service_metrics_use_the_pulumi_target_group(plan):
    """No lookup of controller-made resources: nothing waits for an Ingress."""
    assert not [r for r in plan.resources if "getLoadBalancer" in r.type]


REFUSED_ORIGIN_ACCESS: list[dict[str, Any]] = [
    {"origin_access": "vpc-origin"},  # without behind_cdn
    {"behind_cdn": True, "origin_access": "public"},
]


def test_a_wrong_origin_access_is_refused_and_registers_nothing(preview_refusals):
    plan, errors = preview_refusals(
        lambda: Network("prod", {}),
        lambda net, i, case: EksCluster(f"edge{i}", {"network": net, **case}),
        REFUSED_ORIGIN_ACCESS,
    )
    assert "origin_access" in errors[0] and "behind_cdn" in errors[0], errors[0]
    assert "origin_access" in errors[1] and "'vpc-origin'" in errors[1], errors[1]
    assert not [r for r in plan.resources if r.name.startswith("edge")]
