"""Names of any length: every component previews under a very long, mixed-case name with
underscores, and every physical name in the Plan fits its AWS rule.

The limits below are written out here from AWS's API references (not imported from
`core/physical_names.py`), so the check is a second reading of the rules, not the code
checking itself. A physical name is what AWS would receive: the `name` input when set,
else the `name_prefix` plus the provider's 26-character id, else Pulumi's autoname
`<logical name>-<7 random>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pytest

from gridops_infra import (
    ArgError,
    ArgoCdGitOps,
    CdnFrontend,
    EksCluster,
    FargateCluster,
    GithubDeployRole,
    ManagedPostgresWithReplicas,
    Network,
    ObservabilityStack,
    RedisCache,
    ResilienceDrills,
    SingleServer,
    Slo,
    SqsWorkerQueue,
    StatelessService,
)
from gridops_infra.testing import Plan, preview


@dataclass(frozen=True)
class Limit:
    max: int
    pattern: str
    """The whole name, as AWS documents it."""
    field: str = "name"
    prefix: str | None = "namePrefix"
    lower: bool = False
    random: int = 7
    """Random characters Pulumi appends to an autoname (8 for Kubernetes)."""


LB = Limit(32, r"(?!-)[A-Za-z0-9-]+(?<!-)")
IAM = r"[\w+=,.@-]+"
RDS_ID = r"[a-z](?!.*--)[a-z0-9-]*(?<!-)"
LIMITS: dict[str, Limit] = {
    # API_CreateLoadBalancer / API_CreateTargetGroup: 32, alphanumerics and hyphens.
    "aws:lb/loadBalancer:LoadBalancer": LB,
    "aws:lb/targetGroup:TargetGroup": LB,
    # API_CreateRole: 64, [\w+=,.@-]; instance profiles and inline policies 128.
    "aws:iam/role:Role": Limit(64, IAM),
    "aws:iam/instanceProfile:InstanceProfile": Limit(128, IAM),
    "aws:iam/rolePolicy:RolePolicy": Limit(128, IAM),
    "aws:iam/policy:Policy": Limit(128, IAM),
    # API_CreateSecurityGroup: 255.
    "aws:ec2/securityGroup:SecurityGroup": Limit(255, r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+"),
    "aws:ec2/launchTemplate:LaunchTemplate": Limit(128, r"[A-Za-z0-9().\-/_]+"),
    # API_CreateQueue: 80 including ".fifo", alphanumerics, hyphens, underscores.
    "aws:sqs/queue:Queue": Limit(80, r"[A-Za-z0-9_-]+(\.fifo)?"),
    "aws:sns/topic:Topic": Limit(256, r"[A-Za-z0-9_-]+(\.fifo)?"),
    # API_CreateLogGroup: 512, [.\-_/#A-Za-z0-9].
    "aws:cloudwatch/logGroup:LogGroup": Limit(512, r"[.\-_/#A-Za-z0-9]+"),
    "aws:cloudwatch/eventRule:EventRule": Limit(64, r"[.\-_A-Za-z0-9]+"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Limit(255, r"[\x20-\x7e]+", prefix=None),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": Limit(
        255, r"[\x20-\x7e]+", field="alarmName", prefix=None
    ),
    "aws:cloudwatch/dashboard:Dashboard": Limit(
        255, r"[A-Za-z0-9_-]+", field="dashboardName", prefix=None
    ),
    "aws:appautoscaling/policy:Policy": Limit(256, r"[\x20-\x7e]+", prefix=None),
    # ECS CreateCluster / CreateService / RegisterTaskDefinition: 255, [A-Za-z0-9_-].
    "aws:ecs/cluster:Cluster": Limit(255, r"[A-Za-z0-9_-]+", prefix=None),
    "aws:ecs/service:Service": Limit(255, r"[A-Za-z0-9_-]+", prefix=None),
    "aws:ecs/taskDefinition:TaskDefinition": Limit(
        255, r"[A-Za-z0-9_-]+", field="family", prefix=None
    ),
    # EKS CreateCluster: 100, alphanumeric first, then alphanumerics, hyphens, underscores.
    "aws:eks/cluster:Cluster": Limit(100, r"[A-Za-z0-9][A-Za-z0-9_-]*", prefix=None),
    "aws:eks/nodeGroup:NodeGroup": Limit(
        63, r"[A-Za-z0-9][A-Za-z0-9_-]*", field="nodeGroupName", prefix="nodeGroupNamePrefix"
    ),
    # RDS CreateDBCluster / CreateDBInstance: 63, a letter first, no "--", no trailing "-".
    "aws:rds/cluster:Cluster": Limit(
        63, RDS_ID, field="clusterIdentifier", prefix="clusterIdentifierPrefix", lower=True
    ),
    "aws:rds/instance:Instance": Limit(
        63, RDS_ID, field="identifier", prefix="identifierPrefix", lower=True
    ),
    "aws:rds/clusterInstance:ClusterInstance": Limit(
        63, RDS_ID, field="identifier", prefix="identifierPrefix", lower=True
    ),
    "aws:rds/subnetGroup:SubnetGroup": Limit(255, r"[a-z0-9 ._-]+", lower=True),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": Limit(255, RDS_ID, lower=True),
    "aws:rds/parameterGroup:ParameterGroup": Limit(255, RDS_ID, lower=True),
    # ElastiCache CreateReplicationGroup: 40, a letter first, no "--", no trailing "-".
    "aws:elasticache/replicationGroup:ReplicationGroup": Limit(
        40, RDS_ID, field="replicationGroupId", prefix=None, lower=True
    ),
    "aws:elasticache/subnetGroup:SubnetGroup": Limit(255, r"[a-z0-9-]+", lower=True),
    "aws:elasticache/parameterGroup:ParameterGroup": Limit(255, r"[a-z0-9-]+", lower=True),
    # S3 bucket naming rules: 3-63, lowercase letters, digits, dots, hyphens.
    "aws:s3/bucket:Bucket": Limit(
        63, r"[a-z0-9][a-z0-9.-]*[a-z0-9]", field="bucket", prefix="bucketPrefix", lower=True
    ),
    "aws:s3/bucketV2:BucketV2": Limit(
        63, r"[a-z0-9][a-z0-9.-]*[a-z0-9]", field="bucket", prefix="bucketPrefix", lower=True
    ),
    "aws:secretsmanager/secret:Secret": Limit(512, r"[A-Za-z0-9/_+=.@-]+"),
    "aws:kms/alias:Alias": Limit(256, r"alias/[A-Za-z0-9/_-]+"),
    "aws:ssm/parameter:Parameter": Limit(1011, r"[A-Za-z0-9_./-]+"),
    # Helm: a release name is at most 53 characters, a lowercase DNS label.
    "kubernetes:helm.sh/v3:Release": Limit(
        53, r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", prefix=None, random=8
    ),
}

DNS_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_SUBDOMAIN = rf"{DNS_LABEL}(\.{DNS_LABEL})*"
LABEL_VALUE = r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
TAG_VALUE = r"[\w .:/=+\-@]*"


def physical_names(plan: Plan) -> list[tuple[Any, str, str]]:
    """(resource, kind of name, the name AWS would receive) for every named resource."""
    found = []
    for r in plan.custom_resources:
        limit = LIMITS.get(r.type)
        if limit is None:
            continue
        given = r.inputs.get(limit.field)
        prefix = r.inputs.get(limit.prefix) if limit.prefix else None
        fifo = ".fifo" if r.inputs.get("fifoQueue") else ""
        if isinstance(given, str):
            found.append((r, "name", given))
        elif isinstance(prefix, str):
            found.append((r, "prefix", prefix + "x" * 26 + fifo))
        elif given is None:
            auto = f"{r.name}-" + "a" * limit.random
            found.append((r, "autoname", (auto.lower() if limit.lower else auto) + fifo))
    return found


def problems(plan: Plan) -> list[str]:
    """Every physical name AWS (or Kubernetes) would refuse, with why."""
    out = []
    for r, kind, physical in physical_names(plan):
        limit = LIMITS[r.type]
        if len(physical) > limit.max or not re.fullmatch(limit.pattern, physical):
            out.append(f"{r.type} {r.name}: {kind} {physical!r} ({len(physical)})")
    for r in plan.custom_resources:
        tags = r.inputs.get("tags") or {}
        for key, value in tags.items() if isinstance(tags, dict) else ():
            if isinstance(value, str) and (len(value) > 256 or not re.fullmatch(TAG_VALUE, value)):
                out.append(f"{r.type} {r.name}: tag {key}={value!r}")
        if r.type.startswith("kubernetes:") and not r.type.startswith("kubernetes:helm.sh"):
            out.extend(kubernetes_problems(r))
    return out


def kubernetes_problems(r: Any) -> list[str]:
    meta = r.inputs.get("metadata") or {}
    out = []
    name = meta.get("name")
    short = r.type.split(":")[-1] in ("Service", "Namespace")
    if isinstance(name, str) and not (
        len(name) <= (63 if short else 253)
        and re.fullmatch(DNS_LABEL if short else DNS_SUBDOMAIN, name)
    ):
        out.append(f"{r.type} {r.name}: metadata.name {name!r}")
    if name is None:
        out.append(f"{r.type} {r.name}: autonamed from the logical name")
    for key, value in (meta.get("labels") or {}).items():
        if isinstance(value, str) and not (len(value) <= 63 and re.fullmatch(LABEL_VALUE, value)):
            out.append(f"{r.type} {r.name}: label {key}={value!r}")
    return out


def long_name(role: str, length: int = 120, stem: str = "Checkout_Service-") -> str:
    """A mixed-case name with underscores of `length` characters, ending in `role`."""
    body = (stem * (length // len(stem) + 1))[: length - len(role) - 1]
    return f"{body}-{role}"


IMAGE = "ghcr.io/acme/api:1.4.2"


def app(platform_kind: str, name: Callable[[str], str]) -> Callable[[], None]:
    """The DESIGN contract program on one platform, every component named by `name`."""

    def program() -> None:
        net = Network(name("net"), {"az_count": 2, "nat": "single"})
        platform: Any
        if platform_kind == "fargate":
            platform = FargateCluster(name("cluster"), {"network": net})
        elif platform_kind == "eks":
            platform = EksCluster(name("cluster"), {"network": net})
        else:
            platform = SingleServer(name("server"), {"network": net})
        links: list[Any] = []
        db = cache = None
        if platform_kind != "single-server":
            db = ManagedPostgresWithReplicas(
                name("db"), {"network": net, "instance_class": "db.r7g.large", "replicas": 1}
            )
            cache = RedisCache(
                name("cache"), {"network": net, "node_type": "cache.r7g.large", "replicas": 1}
            )
            links = [db, cache]
        jobs = SqsWorkerQueue(
            name("jobs"), {"platform": platform, "image": IMAGE, "max_workers": 4, "links": links}
        )
        api = StatelessService(
            name("api"),
            {
                "platform": platform,
                "image": IMAGE,
                "port": 8080,
                "cpu": 512,
                "memory": 1024,
                "min_count": 2,
                "max_count": 4,
                "health_check_path": "/healthz",
                "links": [*links, jobs],
            },
        )
        resources: list[Any] = [api, jobs, *links]
        if platform_kind != "single-server":
            resources.append(CdnFrontend(name("web"), {"api_origin": api}))
        obs = ObservabilityStack(
            name("obs"),
            {
                "resources": resources,
                "slos": [Slo.availability(api, objective=0.999)],
                "alert_emails": ["oncall@acme.io"],
            },
        )
        if platform_kind == "eks":
            ArgoCdGitOps(
                name("gitops"),
                {
                    "cluster": platform,
                    "repo_url": "https://github.com/acme/deploy.git",
                    "path": "prod",
                },
            )
        if platform_kind != "single-server":
            assert db is not None and cache is not None
            ResilienceDrills(name("drills"), {"targets": [api, db, cache], "observability": obs})
        pulumi.export("api", api.name)

    return program


PLATFORMS = ("fargate", "eks", "single-server")


@pytest.fixture(scope="module", params=PLATFORMS)
def long_plan(request: pytest.FixtureRequest) -> tuple[str, Plan]:
    return request.param, preview(app(request.param, long_name))


def test_every_component_previews_with_a_120_character_name(long_plan) -> None:
    kind, plan = long_plan
    components = {
        r.type.rsplit(":", 1)[-1] for r in plan.resources if r.type.startswith("gridops:")
    }
    expected = {"Network", "SqsWorkerQueue", "StatelessService", "ObservabilityStack"}
    if kind != "single-server":
        expected |= {"ManagedPostgresWithReplicas", "RedisCache", "CdnFrontend", "ResilienceDrills"}
    expected |= {"FargateCluster"} if kind == "fargate" else set()
    expected |= {"EksCluster", "ArgoCdGitOps"} if kind == "eks" else set()
    expected |= {"SingleServer"} if kind == "single-server" else set()
    assert expected <= components
    names = [r.name for r in plan.resources if r.type.startswith("gridops:")]
    assert all(len(n) == 120 for n in names if "Checkout_Service" in n)


def test_every_physical_name_fits_its_aws_rule(long_plan) -> None:
    _, plan = long_plan
    assert physical_names(plan), "the check found no named resource"
    assert problems(plan) == []


ONE_LETTER = {
    "net": "n",
    "cluster": "k",
    "db": "d",
    "cache": "C",
    "jobs": "j",
    "api": "a",
    "web": "w",
    "obs": "O",
    "drills": "r",
    "gitops": "g",
}


@pytest.mark.parametrize("platform_kind", ["fargate", "eks"])
def test_names_of_1_and_64_characters_fit_too(platform_kind: str) -> None:
    one = preview(app(platform_kind, ONE_LETTER.__getitem__))
    assert problems(one) == []
    sixty_four = preview(app(platform_kind, lambda role: long_name(role, 64)))
    assert {len(r.name) for r in sixty_four.resources if r.type == "gridops:aws:Network"} == {64}
    assert problems(sixty_four) == []


def test_derived_names_are_stable_across_previews() -> None:
    first = physical_names(preview(app("fargate", long_name)))
    second = physical_names(preview(app("fargate", long_name)))
    assert first == second
    assert any(kind == "prefix" for _, kind, _ in first)
    assert any(kind == "name" and "Checkout" not in physical for _, kind, physical in first)


def test_long_names_sharing_a_60_character_prefix_stay_distinct() -> None:
    shared = long_name("", 61)[:60]

    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "single"})
        for tail in ("alpha", "bravo"):
            cluster = FargateCluster(f"{shared}{tail}-cluster", {"network": net})
            StatelessService(f"{shared}{tail}-api", {"platform": cluster, "image": IMAGE})
            RedisCache(f"{shared}{tail}-cache", {"network": net, "node_type": "cache.t4g.small"})
            ManagedPostgresWithReplicas(
                f"{shared}{tail}-db", {"network": net, "instance_class": "db.t4g.medium"}
            )

    plan = preview(program)
    assert problems(plan) == []
    # Fixed names, and prefixes long enough to carry the hash, differ between the two; a
    # target group's 6-character prefix is completed by the provider's unique id.
    physical = [
        p
        for _, kind, p in physical_names(plan)
        if kind == "name" or (kind == "prefix" and len(p) > 6 + 26 + 5)
    ]
    assert len(physical) > 20
    assert len(physical) == len(set(physical)), "two resources derived the same name"
    # The fixed (non-autonamed) names are where a clash would hurt: one per component.
    for types in (
        ["aws:elasticache/replicationGroup:ReplicationGroup"],
        ["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"],
    ):
        values = [r.inputs.get(LIMITS[t].field) for t in types for r in plan.of_type(t)]
        assert len(values) == 2 and None not in values and values[0] != values[1], types
    for type_ in ("aws:lb/targetGroup:TargetGroup", "aws:ecs/service:Service"):
        generated = [r.outputs["name"] for r in plan.of_type(type_)]
        assert len(generated) == len(set(generated)) >= 2, type_


def test_short_names_keep_pulumi_autonaming() -> None:
    plan = preview(app("fargate", lambda role: role))
    for r in plan.of_type("aws:lb/targetGroup:TargetGroup"):
        assert "name" not in r.inputs and "namePrefix" not in r.inputs
    for r in plan.of_type("aws:iam/role:Role"):
        assert "namePrefix" not in r.inputs


def test_long_names_keep_autonaming_with_a_prefix_where_aws_has_one() -> None:
    plan = preview(app("fargate", long_name))
    for r in plan.of_type("aws:lb/targetGroup:TargetGroup"):
        assert "name" not in r.inputs
        assert r.inputs["namePrefix"] == "Check-"
    roles = plan.of_type("aws:iam/role:Role")
    assert roles and all(len(r.inputs["namePrefix"]) <= 38 for r in roles)


@pytest.mark.parametrize("bad", ["", "has space", "semi;colon", "ünï", 42])
def test_names_with_characters_no_aws_name_takes_are_refused(bad: Any) -> None:
    registered: list[Any] = []

    def program() -> None:
        registered.append(Network(bad, {"az_count": 2}))

    with pytest.raises(ArgError, match="letters, digits, hyphens and underscores"):
        preview(program)
    assert registered == []


def test_github_deploy_role_takes_a_long_name() -> None:
    plan = preview(lambda: GithubDeployRole(long_name("deploy"), {"repository": "acme/shop"}))
    assert problems(plan) == []


def test_eks_cluster_names_sharing_their_first_100_characters_differ() -> None:
    from gridops_infra.platforms.eks.component import physical_cluster_name

    names: list[str] = []

    def program() -> None:
        names.extend(physical_cluster_name("C" * 100 + tail) for tail in ("_a", "_b"))
        names.append(physical_cluster_name("prod"))

    preview(program, stack="eks")
    first, second, short = names
    assert first != second and short == "prod-eks"
    for name in (first, second):
        assert len(name) <= 100 and re.fullmatch(LIMITS["aws:eks/cluster:Cluster"].pattern, name)
