"""FeatureFlags: the AppConfig resources and their JSON, the environment watched by the
linked service's alarms through a scoped alarm role, the agent sidecar and the read grant
on each platform, and the refusals (nothing registered)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from parliament import analyze_policy_string

from gridops_infra import (
    EksCluster,
    ExpressCluster,
    FargateCluster,
    FeatureFlags,
    Network,
    SingleServer,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.flags.agent import AGENT_IMAGE, AGENT_PORT
from gridops_infra.platforms.single_server.compose import ContainerSpec
from gridops_infra.policy import check_plan
from gridops_infra.testing import Plan, preview

IMAGE = "ghcr.io/acme/api:1.4.2"
FLAGS: dict[str, Any] = {
    "new-checkout": {
        "enabled": True,
        "description": "The new checkout flow",
        "attributes": {
            "page-size": {"value": 25, "minimum": 1, "maximum": 100},
            "colour": {"value": "blue", "enum": ["blue", "green"]},
            "slug": {"value": "spring", "pattern": "^[a-z]+$"},
            "banner": {"value": False},
        },
    },
    "dark_mode": {},
}
KEY = "^[a-z][a-zA-Z\\d_-]{0,63}$"
# The AWS.AppConfig.FeatureFlags rules FeatureFlags enforces, as a JSON Schema: version
# "1", flags and attributes keyed by KEY, at most 25 attributes, each value defined.
SCHEMA = {
    "type": "object",
    "required": ["version", "flags", "values"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": "1"},
        "flags": {
            "type": "object",
            "additionalProperties": False,
            "patternProperties": {
                KEY: {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "attributes": {
                            "type": "object",
                            "maxProperties": 25,
                            "additionalProperties": False,
                            "patternProperties": {
                                KEY: {
                                    "type": "object",
                                    "required": ["constraints"],
                                    "properties": {
                                        "constraints": {
                                            "type": "object",
                                            "required": ["type"],
                                            "properties": {
                                                "type": {"enum": ["string", "number", "boolean"]}
                                            },
                                        }
                                    },
                                }
                            },
                        },
                    },
                }
            },
        },
        "values": {
            "type": "object",
            "additionalProperties": False,
            "patternProperties": {
                KEY: {
                    "type": "object",
                    "required": ["enabled"],
                    "properties": {"enabled": {"type": "boolean"}},
                }
            },
        },
    },
}


def fargate_plan(
    flags: dict[str, Any] = FLAGS, strategy: dict[str, Any] | None = None, **service: Any
) -> Plan:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("prod", {"network": net})
        linked = FeatureFlags("flags", {"flags": flags, "strategy": strategy or {}})
        StatelessService(
            "api",
            {"platform": cluster, "image": IMAGE, "port": 8080, "links": [linked], **service},
        )

    return preview(program)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return fargate_plan(slo_rollback=True)


def one(plan: Plan, type_: str, name: str | None = None):
    found = [r for r in plan.of_type(type_) if name is None or r.name == name]
    assert len(found) == 1, [r.name for r in plan.of_type(type_)]
    return found[0]


def containers(plan: Plan) -> dict[str, dict]:
    td = one(plan, "aws:ecs/taskDefinition:TaskDefinition")
    return {c["name"]: c for c in json.loads(td.inputs["containerDefinitions"])}


def test_the_flags_are_a_hosted_feature_flags_version_valid_against_the_schema_rules(plan):
    profile = one(plan, "aws:appconfig/configurationProfile:ConfigurationProfile")
    assert profile.inputs["type"] == "AWS.AppConfig.FeatureFlags"
    assert profile.inputs["locationUri"] == "hosted"
    version = one(plan, "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion")
    assert version.inputs["contentType"] == "application/json"
    assert version.inputs["configurationProfileId"] == profile.outputs["configurationProfileId"]
    content = version.inputs["content"]  # stored as a secret: flags may be confidential
    document = json.loads(getattr(content, "value", content))
    jsonschema.validate(document, SCHEMA)
    assert document["values"] == {
        "new-checkout": {
            "enabled": True,
            "page-size": 25,
            "colour": "blue",
            "slug": "spring",
            "banner": False,
        },
        "dark_mode": {"enabled": False},
    }
    attrs = document["flags"]["new-checkout"]["attributes"]
    assert attrs["page-size"]["constraints"] == {
        "type": "number",
        "minimum": 1,
        "maximum": 100,
        "required": True,
    }
    assert attrs["colour"]["constraints"]["enum"] == ["blue", "green"]
    assert attrs["slug"]["constraints"]["pattern"] == "^[a-z]+$"
    assert attrs["banner"]["constraints"]["type"] == "boolean"


def test_the_strategy_and_the_deployment_of_the_current_version(plan):
    strategy = one(plan, "aws:appconfig/deploymentStrategy:DeploymentStrategy")
    assert strategy.inputs["growthType"] == "LINEAR"
    assert strategy.inputs["growthFactor"] == 20
    assert strategy.inputs["deploymentDurationInMinutes"] == 10
    assert strategy.inputs["finalBakeTimeInMinutes"] == 10
    assert strategy.inputs["replicateTo"] == "NONE"
    deployment = one(plan, "aws:appconfig/deployment:Deployment")
    environment = one(plan, "aws:appconfig/environment:Environment")
    version = one(plan, "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion")
    assert deployment.inputs["deploymentStrategyId"] == strategy.id
    assert deployment.inputs["environmentId"] == environment.outputs["environmentId"]
    assert deployment.inputs["configurationVersion"] == str(version.outputs["versionNumber"])


def test_the_monitors_are_the_services_5xx_alarm_and_slo_alarm(plan):
    environment = one(plan, "aws:appconfig/environment:Environment")
    five_xx = next(
        r
        for r in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if r.name == "api-5xx-ratio"
    )
    slo = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:gridops-dev-api-slo-page"
    monitors = environment.inputs["monitors"]
    assert [m["alarmArn"] for m in monitors] == [five_xx.outputs["arn"], slo]
    role = one(plan, "aws:iam/role:Role", "flags-alarm-role")
    assert {m["alarmRoleArn"] for m in monitors} == {role.outputs["arn"]}


def test_without_slo_rollback_the_5xx_alarm_alone_watches():
    environment = one(fargate_plan(), "aws:appconfig/environment:Environment")
    (monitor,) = environment.inputs["monitors"]
    assert ":alarm:api-5xx-ratio-" in monitor["alarmArn"]


def test_the_alarm_role_is_trusted_by_appconfig_and_reads_exactly_the_monitors(plan):
    role = one(plan, "aws:iam/role:Role", "flags-alarm-role")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "appconfig.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    policy = one(plan, "aws:iam/rolePolicy:RolePolicy", "flags-alarm-role-policy")
    (statement,) = json.loads(policy.inputs["policy"])["Statement"]
    assert statement["Action"] == ["cloudwatch:DescribeAlarms"]
    environment = one(plan, "aws:appconfig/environment:Environment")
    assert statement["Resource"] == [m["alarmArn"] for m in environment.inputs["monitors"]]
    assert not analyze_policy_string(policy.inputs["policy"]).findings


def test_the_task_runs_the_agent_and_the_app_reads_through_it(plan):
    by_name = containers(plan)
    agent = by_name["appconfig-agent"]
    assert agent["image"] == AGENT_IMAGE
    assert agent["essential"] is True
    assert agent["portMappings"] == [
        {"containerPort": AGENT_PORT, "hostPort": AGENT_PORT, "protocol": "tcp"}
    ]
    assert agent["readonlyRootFilesystem"] is True and agent["user"] == "1000"
    env = {e["name"]: e["value"] for e in agent["environment"]}
    path = "/applications/gridops-dev-flags/environments/production/configurations/flags"
    assert env == {"SERVICE_REGION": "us-east-1", "POLL_INTERVAL": "45", "PREFETCH_LIST": path}
    app = by_name["api"]
    assert {"containerName": "appconfig-agent", "condition": "START"} in app["dependsOn"]
    app_env = {e["name"]: e["value"] for e in app["environment"]}
    assert app_env["GRIDOPS_FLAGS_URL"] == f"http://localhost:2772{path}"


def test_the_task_role_reads_exactly_this_configuration(plan):
    app = one(plan, "aws:appconfig/application:Application")
    env = one(plan, "aws:appconfig/environment:Environment")
    profile = one(plan, "aws:appconfig/configurationProfile:ConfigurationProfile")
    policy = one(plan, "aws:iam/rolePolicy:RolePolicy", "flags-read-api")
    task_role = one(plan, "aws:iam/role:Role", "api-task-role")
    assert policy.inputs["role"] == task_role.outputs["name"]
    (statement,) = json.loads(policy.inputs["policy"])["Statement"]
    assert statement["Action"] == [
        "appconfig:GetLatestConfiguration",
        "appconfig:StartConfigurationSession",
    ]
    assert statement["Resource"] == [
        f"arn:aws:appconfig:us-east-1:123456789012:application/{app.id}/environment/"
        f"{env.outputs['environmentId']}/configuration/{profile.outputs['configurationProfileId']}"
    ]
    assert not analyze_policy_string(policy.inputs["policy"]).findings
    service = one(plan, "aws:ecs/service:Service")
    assert policy.urn in service.dependencies


def test_a_flag_change_is_a_new_version_not_a_new_task_definition():
    changed = {**FLAGS, "dark_mode": {"enabled": True}}
    before, after = fargate_plan(), fargate_plan(changed)
    kind = "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion"
    assert one(before, kind).inputs["content"] != one(after, kind).inputs["content"]
    td = "aws:ecs/taskDefinition:TaskDefinition"
    assert one(before, td).inputs == one(after, td).inputs


def test_on_eks_the_pod_runs_the_agent_and_the_pod_role_reads_the_flags():
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        linked = FeatureFlags("flags", {"flags": FLAGS})
        StatelessService(
            "api",
            {
                "platform": cluster,
                "image": IMAGE,
                "port": 8080,
                "links": [linked],
            },
        )

    plan = preview(program)
    deployment = one(plan, "kubernetes:apps/v1:Deployment")
    pod = deployment.inputs["spec"]["template"]["spec"]
    everything = [*pod["containers"], *pod.get("initContainers", [])]
    agent = next(c for c in everything if c["name"] == "appconfig-agent")
    assert agent["image"] == AGENT_IMAGE
    assert agent["securityContext"]["runAsUser"] == 1000
    app = next(c for c in pod["containers"] if c["name"] == "api")
    env = {e["name"]: e.get("value") for e in app["env"]}
    assert env["GRIDOPS_FLAGS_URL"].startswith("http://localhost:2772/applications/")
    policy = one(plan, "aws:iam/rolePolicy:RolePolicy", "flags-read-api")
    pod_role = one(plan, "aws:iam/role:Role", "api-pod-role")
    assert policy.inputs["role"] == pod_role.outputs["name"]
    # EKS services have no CloudWatch deployment alarms (ECS's rollback feature): the
    # environment has no monitors unless alarm_arns gives some, and no alarm role.
    environment = one(plan, "aws:appconfig/environment:Environment")
    assert not environment.inputs.get("monitors")
    assert not [r for r in plan.resources if r.name == "flags-alarm-role"]


def single_server_plan(**flags: Any) -> Plan:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        server = SingleServer("mvp", {"network": net, "instance_type": "t4g.large"})
        linked = FeatureFlags("flags", {"flags": FLAGS, **flags})
        StatelessService(
            "api", {"platform": server, "image": IMAGE, "port": 8080, "links": [linked]}
        )

    return preview(program)


CHECKOUT_ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors"


@pytest.fixture(scope="module")
def single_server() -> Plan:
    return single_server_plan(alarm_arns=[CHECKOUT_ALARM])


def test_on_a_single_server_the_agent_is_its_own_compose_service(single_server):
    parameter = one(single_server, "aws:ssm/parameter:Parameter", "api-compose")
    services = json.loads(parameter.inputs["insecureValue"])["services"]
    assert set(services) == {"api", "api-appconfig-agent"}
    agent, app = services["api-appconfig-agent"], services["api"]
    assert agent["image"] == AGENT_IMAGE
    assert "ports" not in agent and agent["networks"] == ["web"]
    assert agent["read_only"] is True and agent["tmpfs"] == ["/tmp"]
    assert agent["user"] == "1000" and agent["restart"] == app["restart"]
    assert app["depends_on"] == ["api-appconfig-agent"]
    # compose's DNS name of the agent, not localhost (the app's own container)
    path = "/applications/gridops-dev-flags/environments/production/configurations/flags"
    assert (
        app["environment"]["GRIDOPS_FLAGS_URL"] == f"http://api-appconfig-agent:{AGENT_PORT}{path}"
    )
    assert agent["environment"]["PREFETCH_LIST"] == path


def test_on_a_single_server_the_instance_role_reads_exactly_the_configuration(single_server):
    policy = one(single_server, "aws:iam/rolePolicy:RolePolicy", "flags-read-api")
    instance_role = one(single_server, "aws:iam/role:Role", "mvp-role")
    assert policy.inputs["role"] == instance_role.outputs["name"]
    (statement,) = json.loads(policy.inputs["policy"])["Statement"]
    assert sorted(statement["Action"]) == [
        "appconfig:GetLatestConfiguration",
        "appconfig:StartConfigurationSession",
    ]
    environment = one(single_server, "aws:appconfig/environment:Environment")
    profile = one(single_server, "aws:appconfig/configurationProfile:ConfigurationProfile")
    application = one(single_server, "aws:appconfig/application:Application")
    assert statement["Resource"] == [
        f"arn:aws:appconfig:us-east-1:123456789012:application/{application.id}"
        f"/environment/{environment.outputs['environmentId']}"
        f"/configuration/{profile.outputs['configurationProfileId']}"
    ]
    # The compose parameter is written once the agent may read (it starts with the app).
    parameter = one(single_server, "aws:ssm/parameter:Parameter", "api-compose")
    assert policy.urn in parameter.dependencies


def test_on_a_single_server_only_alarm_arns_watch_the_environment():
    plan = single_server_plan(alarm_arns=[CHECKOUT_ALARM])
    environment = one(plan, "aws:appconfig/environment:Environment")
    assert [m["alarmArn"] for m in environment.inputs["monitors"]] == [CHECKOUT_ALARM]
    report = check_plan(plan)
    assert report.mandatory_failures == []
    assert report.of_rule("appconfig-deployment-monitored") == []
    # Without alarm_arns nothing watches (one host has no per-service alarm): advised.
    unwatched = single_server_plan()
    assert not one(unwatched, "aws:appconfig/environment:Environment").inputs.get("monitors")
    report = check_plan(unwatched)
    assert report.mandatory_failures == []
    assert len(report.of_rule("appconfig-deployment-monitored")) == 1


def test_on_a_single_server_the_app_may_listen_on_the_agents_port():
    """Compose services have addresses of their own: unlike in a task, the app's 2772 and
    the agent's do not collide."""

    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        server = SingleServer("mvp", {"network": net, "instance_type": "t4g.large"})
        linked = FeatureFlags("flags", {"flags": FLAGS})
        StatelessService(
            "api", {"platform": server, "image": IMAGE, "port": 2772, "links": [linked]}
        )

    parameter = one(preview(program), "aws:ssm/parameter:Parameter", "api-compose")
    services = json.loads(parameter.inputs["insecureValue"])["services"]
    assert set(services) == {"api", "api-appconfig-agent"}
    routes = json.loads(parameter.inputs["insecureValue"])["x-gridops"]["files"]
    assert any("gridops-api-1:2772" in text for text in routes.values())


def test_on_a_single_server_the_agent_counts_against_the_host_memory(preview_refusals):
    cases = [("full", "asks for 128 MiB", "bigger instance_type")]

    def setup() -> dict[str, Any]:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        return {"server": SingleServer("mvp", {"network": net, "instance_type": "t4g.large"})}

    def make(p: dict[str, Any], i: int, case: tuple[str, str, str]) -> None:
        server = p["server"]
        flags = FeatureFlags(f"flags{i}", {"flags": {"new-checkout": {}}})
        # Leave the app's 512 MiB and 64 more: the app fits, the agent's 128 MiB do not.
        filler = server.memory_left_mib - 512 - 64
        server.add_container(ContainerSpec(name="filler", image="nginx:1", memory_mb=filler))
        StatelessService(
            f"svc{i}",
            {
                "platform": server,
                "image": IMAGE,
                "port": 8080,
                "min_count": 1,
                "memory": 512,
                "links": [flags],
            },
        )

    plan, errors = preview_refusals(setup, make, cases)
    message = errors.get(0)
    assert message is not None and "svc0-appconfig-agent" in message
    assert "asks for 128 MiB" in message and "bigger instance_type" in message
    assert [r.name for r in plan.resources if r.name.startswith(("svc0-", "flags0-env"))] == []


REFUSALS = [
    ("express", "links=['appconfig-agent'] is not allowed on ExpressCluster", "FargateCluster"),
    ("worker", "is not allowed; it runs a sidecar", "link it from a StatelessService"),
    ("twice", "is not allowed a second time", "one FeatureFlags per service"),
    ("port", "on port 2772", "another port"),
    ("no-nat", "public.ecr.aws/aws-appconfig", "links"),
]


@pytest.fixture(scope="module")
def refusals(preview_refusals):
    def setup() -> dict[str, Any]:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        private = Network("closed", {"az_count": 2, "nat": "none", "vpc_endpoints": ["fargate"]})
        return {
            "express": ExpressCluster("express", {"network": net}),
            "fargate": FargateCluster("prod", {"network": net}),
            "closed": FargateCluster("closed", {"network": private}),
        }

    def make(p: dict[str, Any], i: int, case: tuple[str, str, str]) -> None:
        kind = case[0]
        flags = FeatureFlags(f"flags{i}", {"flags": {"new-checkout": {}}})
        base = {"image": IMAGE, "port": 8080, "links": [flags]}
        if kind == "express":
            StatelessService(f"svc{i}", {**base, "platform": p[kind]})
        elif kind == "worker":
            SqsWorkerQueue(
                f"worker{i}", {"platform": p["fargate"], "image": IMAGE, "links": [flags]}
            )
        elif kind == "twice":
            StatelessService(f"first{i}", {**base, "platform": p["fargate"]})
            StatelessService(f"svc{i}", {**base, "platform": p["fargate"]})
        elif kind == "port":
            StatelessService(f"svc{i}", {**base, "port": 2772, "platform": p["fargate"]})
        elif kind == "no-nat":
            ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2"
            StatelessService(f"svc{i}", {**base, "image": ecr, "platform": p["closed"]})

    return preview_refusals(setup, make, REFUSALS)


@pytest.mark.parametrize("index", range(len(REFUSALS)))
def test_where_the_agent_cannot_run_the_link_is_refused_and_nothing_registered(refusals, index):
    plan, errors = refusals
    kind, says, fix = REFUSALS[index]
    message = errors.get(index)
    assert message is not None, kind
    assert says in message.replace('"', "'") and fix in message, message
    refused = f"worker{index}" if kind == "worker" else f"svc{index}"
    assert [r.name for r in plan.resources if r.name.startswith(f"{refused}-")] == []
    if kind != "twice":  # there the first service attached the flags
        assert not [r for r in plan.resources if r.name.startswith(f"flags{index}-environment")]


def test_alarm_arns_join_the_monitors_and_environment_names_the_url():
    extra = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors"

    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("prod", {"network": net})
        linked = FeatureFlags(
            "flags", {"flags": FLAGS, "alarm_arns": [extra], "environment": "staging"}
        )
        StatelessService(
            "api", {"platform": cluster, "image": IMAGE, "port": 8080, "links": [linked]}
        )

    plan = preview(program)
    environment = one(plan, "aws:appconfig/environment:Environment")
    assert environment.inputs["name"] == "staging"
    arns = [m["alarmArn"] for m in environment.inputs["monitors"]]
    assert len(arns) == 2 and arns[1] == extra and ":alarm:api-5xx-ratio-" in arns[0]
    policy = one(plan, "aws:iam/rolePolicy:RolePolicy", "flags-alarm-role-policy")
    assert json.loads(policy.inputs["policy"])["Statement"][0]["Resource"] == arns
    env = {e["name"]: e["value"] for e in containers(plan)["api"]["environment"]}
    assert "/environments/staging/configurations/flags" in env["GRIDOPS_FLAGS_URL"]
