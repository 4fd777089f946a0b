"""Plan-level properties: a new image touches only the task definition and the service;
services on one cluster share one ALB with distinct rules; names stay within AWS limits."""

from __future__ import annotations

import json

import pulumi
import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.service import StatelessService
from gridops_infra.testing import preview, reveal

LONG_NAME = "reporting-dashboards"  # 20 characters: the longest a service may have


def _program(api_image: str):
    def program() -> None:
        net = Network("prod", {"az_count": 2})
        cluster = FargateCluster("prod", {"network": net})
        StatelessService(
            "api",
            {
                "platform": cluster,
                "image": api_image,
                "port": 8080,
                "cpu": 512,
                "memory": 1024,
                "path_patterns": ["/api/*"],
                "environment": {"LOG_LEVEL": "info"},
            },
        )
        StatelessService(
            "web",
            {"platform": cluster, "image": "ghcr.io/acme/web:2.0.0", "port": 3000},
        )
        StatelessService(
            LONG_NAME,
            {
                "platform": cluster,
                "image": "ghcr.io/acme/reports:1.0.0",
                "hosts": ["reports.example.com"],
                "deployment_strategy": "blue-green",
            },
        )
        pulumi.export("cluster_url", cluster.url)

    return program


@pytest.fixture(scope="module")
def before():
    return preview(_program("ghcr.io/acme/api:1.4.2"), stack="fargate")


@pytest.fixture(scope="module")
def after():
    return preview(_program("ghcr.io/acme/api:1.5.0"), stack="fargate")


def _changed(before, after) -> dict[str, list[str]]:
    """URN -> the input keys whose values differ between the two plans."""
    old = {r.urn: reveal(r.inputs) for r in before.resources}
    new = {r.urn: reveal(r.inputs) for r in after.resources}
    assert old.keys() == new.keys()
    changed = {}
    for urn, inputs in old.items():
        keys = sorted(
            k for k in inputs.keys() | new[urn].keys() if inputs.get(k) != new[urn].get(k)
        )
        if keys:
            changed[urn] = keys
    return changed


def test_changing_only_the_image_changes_only_the_task_definition_and_the_service(before, after):
    changed = _changed(before, after)
    names = {urn.rsplit("::", 1)[-1]: keys for urn, keys in changed.items()}
    assert names == {
        "api-task-definition": ["containerDefinitions"],
        "api-service": ["taskDefinition"],
    }
    old_td = before.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    new_td = after.one("aws:ecs/taskDefinition:TaskDefinition", "api-task-definition")
    assert old_td.outputs["arn"] != new_td.outputs["arn"]  # a new revision
    assert (
        after.one("aws:ecs/service:Service", "api-service").inputs["taskDefinition"]
        == (new_td.outputs["arn"])
    )


def test_services_on_one_cluster_share_one_alb_with_distinct_rules(before):
    assert len(before.of_type("aws:lb/loadBalancer:LoadBalancer")) == 1
    http = before.one("aws:lb/listener:Listener", "prod-http-listener").outputs["arn"]
    rules = {r.name: r.inputs for r in before.of_type("aws:lb/listenerRule:ListenerRule")}
    assert set(rules) == {"api-rule", "web-rule", f"{LONG_NAME}-rule"}
    assert {r["listenerArn"] for r in rules.values()} == {http}
    priorities = {name: r["priority"] for name, r in rules.items()}
    assert priorities == {"api-rule": 100, f"{LONG_NAME}-rule": 110, "web-rule": 45000}
    assert rules["api-rule"]["conditions"] == [{"pathPattern": {"values": ["/api/*"]}}]
    assert rules["web-rule"]["conditions"] == [{"pathPattern": {"values": ["/*"]}}]
    assert rules[f"{LONG_NAME}-rule"]["conditions"] == [
        {"hostHeader": {"values": ["reports.example.com"]}}
    ]
    groups = {r["actions"][0].get("targetGroupArn") for r in (rules["api-rule"], rules["web-rule"])}
    assert len(groups) == 2


def test_each_service_opens_only_its_own_port_from_the_shared_alb(before):
    alb_sg = before.one("aws:ec2/securityGroup:SecurityGroup", "prod-alb-sg").id
    egress = sorted(
        r.inputs["fromPort"]
        for r in before.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
        if r.inputs["securityGroupId"] == alb_sg
    )
    assert egress == [3000, 8080, 8080]


def test_urls_follow_each_services_route(before):
    outputs = {
        r.name: r.outputs for r in before.resources if r.type == "gridops:aws:StatelessService"
    }
    base = before.outputs["cluster_url"]
    assert outputs["api"]["url"] == f"{base}/api/"
    assert outputs["web"]["url"] == base
    assert outputs[LONG_NAME]["url"] == "http://reports.example.com"


def test_a_20_character_service_keeps_both_target_group_names_within_32(before):
    for suffix in ("tg", "tg2"):
        name = before.one("aws:lb/targetGroup:TargetGroup", f"{LONG_NAME}-{suffix}").outputs["name"]
        assert name.startswith(f"{LONG_NAME}-{suffix}-") and len(name) <= 32


def test_a_26_character_service_name_gets_target_groups_whose_names_fit():
    """`<name>-tg-<7 random>` would pass the target group's 32 characters: the service
    registers, its target groups keep autonaming through a 6-character name_prefix, and
    its containers run under the name itself (a DNS label of 26)."""

    def program() -> None:
        cluster = FargateCluster("prod", {"network": Network("prod", {})})
        StatelessService(LONG_NAME + "-extra", {"platform": cluster, "image": "nginx:1.27"})

    plan = preview(program)
    assert [r.name for r in plan.of_type("gridops:aws:StatelessService")] == [LONG_NAME + "-extra"]
    groups = plan.of_type("aws:lb/targetGroup:TargetGroup")
    assert groups and all(r.inputs["namePrefix"] == "repor-" for r in groups)
    assert all("name" not in r.inputs for r in groups)
    (container,) = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"]
    )
    assert container["name"] == LONG_NAME + "-extra"
