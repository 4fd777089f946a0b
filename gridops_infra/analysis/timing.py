"""How long a first deploy (or an update) takes: the critical path through the Plan's
dependency graph, with typical create times per resource type.

Pulumi creates resources in parallel as soon as what they need exists, so a deploy is as
long as its longest chain of dependent resources, never shorter than its slowest single
resource (the floor). When the chain is much longer than the floor, the report names it:
that chain is what to break up (e.g. do not make the service wait for the CDN).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from gridops_infra.analysis.graph import (
    PROVIDER_TYPE_PREFIX,
    PlanIndex,
    component_label,
    short_type,
)
from gridops_infra.analysis.graph import topological_order as _topological_order
from gridops_infra.core.values import as_number
from gridops_infra.testing.plan import Plan, ResourceRecord, reveal, to_jsonable

MINUTE = 60.0
DEFAULT_SECONDS = 1.0
"""Time assumed for a type missing from the table (listed in the report as untimed)."""
CHAIN_RATIO = 1.5
"""Above this path/floor ratio the report names the chain responsible."""
CHAIN_STEP_MIN_SECONDS = 30.0
"""Path steps shorter than this are left out when naming the chain."""
TAG_KEYS = frozenset({"tags", "tagsAll"})
TAG_ONLY_UPDATE_SECONDS = 5.0


@dataclass(frozen=True)
class Durations:
    """Typical seconds to create, update in place, and delete one resource of a type."""

    create: float
    update: float | None = None
    """None: same as create."""
    delete: float | None = None
    """None: min(create, 30 s)."""

    @property
    def update_seconds(self) -> float:
        return self.create if self.update is None else self.update

    @property
    def delete_seconds(self) -> float:
        return min(self.create, 30.0) if self.delete is None else self.delete


# Typical wall-clock times as seen from `pulumi up` (which waits for the provider to
# report the resource ready). Sources: the AWS user guides' stated creation times where
# they give one, the Terraform/Pulumi AWS provider's waiters (what "ready" means), and
# commonly observed deploy logs in us-east-1. They are medians, not guarantees.
DURATIONS: dict[str, Durations] = {
    # RDS User Guide "Creating a DB instance": "can take several minutes"; observed
    # 8-15 min single-AZ (gp3, no snapshot). Multi-AZ and replicas adjusted in
    # `create_seconds`. Modify with apply_immediately: ~10 min; delete with final snapshot ~8 min.
    "aws:rds/instance:Instance": Durations(12 * MINUTE, 10 * MINUTE, 8 * MINUTE),
    # Aurora: the cluster (storage volume) ~5 min, each instance ~10 min (Aurora User Guide;
    # provider waits for "available").
    "aws:rds/cluster:Cluster": Durations(5 * MINUTE, 2 * MINUTE, 5 * MINUTE),
    "aws:rds/clusterInstance:ClusterInstance": Durations(10 * MINUTE, 10 * MINUTE, 8 * MINUTE),
    "aws:rds/proxy:Proxy": Durations(5 * MINUTE, 1 * MINUTE, 2 * MINUTE),
    "aws:rds/subnetGroup:SubnetGroup": Durations(5),
    "aws:rds/parameterGroup:ParameterGroup": Durations(5),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": Durations(5),
    "aws:rds/optionGroup:OptionGroup": Durations(5),
    # ElastiCache replication group: 10-15 min to "available" (ElastiCache User Guide,
    # observed); cluster mode with shards adjusted below. Modify ~10 min.
    "aws:elasticache/replicationGroup:ReplicationGroup": Durations(
        12 * MINUTE, 10 * MINUTE, 8 * MINUTE
    ),
    "aws:elasticache/cluster:Cluster": Durations(8 * MINUTE, 8 * MINUTE, 6 * MINUTE),
    # Serverless caches are ready in about a minute (AWS launch post: "under a minute").
    "aws:elasticache/serverlessCache:ServerlessCache": Durations(1.5 * MINUTE),
    "aws:elasticache/subnetGroup:SubnetGroup": Durations(5),
    "aws:elasticache/parameterGroup:ParameterGroup": Durations(5),
    "aws:elasticache/user:User": Durations(10),
    "aws:elasticache/userGroup:UserGroup": Durations(30),
    # NAT gateway: "pending" -> "available" in 1-2 min (VPC User Guide, observed ~100 s);
    # delete ~1 min.
    "aws:ec2/natGateway:NatGateway": Durations(2 * MINUTE, 5, 1 * MINUTE),
    "aws:ec2/vpc:Vpc": Durations(15),
    "aws:ec2/subnet:Subnet": Durations(10),
    "aws:ec2/internetGateway:InternetGateway": Durations(10),
    "aws:ec2/routeTable:RouteTable": Durations(5),
    "aws:ec2/route:Route": Durations(5),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": Durations(5),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": Durations(5),
    "aws:ec2/securityGroup:SecurityGroup": Durations(10),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Durations(5),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Durations(5),
    "aws:ec2/securityGroupRule:SecurityGroupRule": Durations(5),
    "aws:ec2/tag:Tag": Durations(2),  # one CreateTags call
    "aws:ec2/eip:Eip": Durations(5),
    "aws:ec2/eipAssociation:EipAssociation": Durations(5),
    "aws:ec2/flowLog:FlowLog": Durations(10),
    # Gateway endpoints are immediate; interface endpoints wait for their ENIs (~2 min).
    "aws:ec2/vpcEndpoint:VpcEndpoint": Durations(10),
    # EC2: the provider waits for "running" (~30-60 s).
    "aws:ec2/instance:Instance": Durations(45, 60, 60),
    "aws:ebs/volume:Volume": Durations(10),
    "aws:ec2/volumeAttachment:VolumeAttachment": Durations(20),
    "aws:ec2/launchTemplate:LaunchTemplate": Durations(5),
    # Auto Scaling group: waits for desired capacity in service (wait_for_capacity).
    "aws:autoscaling/group:Group": Durations(2 * MINUTE, 2 * MINUTE, 3 * MINUTE),
    # Load balancers: "provisioning" -> "active" in ~2-3 min (ELB guide, observed).
    "aws:lb/loadBalancer:LoadBalancer": Durations(3 * MINUTE, 10, 1 * MINUTE),
    "aws:alb/loadBalancer:LoadBalancer": Durations(3 * MINUTE, 10, 1 * MINUTE),
    "aws:lb/targetGroup:TargetGroup": Durations(5),
    "aws:lb/listener:Listener": Durations(5),
    "aws:lb/listenerRule:ListenerRule": Durations(5),
    "aws:lb/listenerCertificate:ListenerCertificate": Durations(5),
    # ACM: the certificate request returns at once; DNS validation (the validation
    # resource waits for ISSUED) takes ~2-5 min once the CNAME exists.
    "aws:acm/certificate:Certificate": Durations(15),
    "aws:acm/certificateValidation:CertificateValidation": Durations(3 * MINUTE),
    # CloudFront: the provider waits for "Deployed" (wait_for_deployment, default true):
    # 5-15 min; updates redeploy the same way; delete = disable + wait + delete.
    "aws:cloudfront/distribution:Distribution": Durations(8 * MINUTE, 6 * MINUTE, 12 * MINUTE),
    # VPC origin: the provider waits for "Deployed" while CloudFront places its network
    # interfaces in the load balancer's subnets; assumed as long as a distribution.
    "aws:cloudfront/vpcOrigin:VpcOrigin": Durations(8 * MINUTE, 6 * MINUTE, 8 * MINUTE),
    "aws:cloudfront/originAccessControl:OriginAccessControl": Durations(5),
    "aws:cloudfront/cachePolicy:CachePolicy": Durations(5),
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": Durations(5),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": Durations(5),
    "aws:cloudfront/function:Function": Durations(10),
    "aws:wafv2/webAcl:WebAcl": Durations(10),
    "aws:wafv2/webAclAssociation:WebAclAssociation": Durations(10),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": Durations(5),
    # EKS: control plane ~10 min (EKS User Guide: "typically ... 10 minutes"), managed node
    # group 3-5 min, Fargate profile ~2-3 min, add-ons ~1-2 min. Version upgrade ~25 min.
    "aws:eks/cluster:Cluster": Durations(10 * MINUTE, 25 * MINUTE, 8 * MINUTE),
    "aws:eks/nodeGroup:NodeGroup": Durations(4 * MINUTE, 10 * MINUTE, 5 * MINUTE),
    "aws:eks/fargateProfile:FargateProfile": Durations(3 * MINUTE, 3 * MINUTE, 3 * MINUTE),
    "aws:eks/addon:Addon": Durations(1.5 * MINUTE),
    "aws:eks/accessEntry:AccessEntry": Durations(5),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": Durations(5),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": Durations(5),
    # ECS: a task definition revision is one API call. A service returns in ~20 s unless
    # wait_for_steady_state, when it waits for its tasks to be healthy (~3-5 min); a rolling
    # deploy of a new revision takes ~5 min with default health checks and deregistration.
    "aws:ecs/cluster:Cluster": Durations(10),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": Durations(10),
    "aws:ecs/capacityProvider:CapacityProvider": Durations(10),
    "aws:ecs/taskDefinition:TaskDefinition": Durations(5),
    "aws:ecs/service:Service": Durations(20, 30, 1 * MINUTE),
    "aws:appautoscaling/target:Target": Durations(5),
    "aws:appautoscaling/policy:Policy": Durations(5),
    "aws:appautoscaling/scheduledAction:ScheduledAction": Durations(5),
    # IAM: the API is quick but the provider retries until the role propagates (~10 s).
    "aws:iam/role:Role": Durations(10),
    "aws:iam/policy:Policy": Durations(5),
    "aws:iam/rolePolicy:RolePolicy": Durations(5),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Durations(5),
    "aws:iam/instanceProfile:InstanceProfile": Durations(10),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": Durations(5),
    # KMS keys: the provider waits for the key and its policy to propagate (~20 s).
    "aws:kms/key:Key": Durations(20),
    "aws:kms/alias:Alias": Durations(5),
    "aws:secretsmanager/secret:Secret": Durations(5),
    "aws:secretsmanager/secretVersion:SecretVersion": Durations(5),
    "aws:secretsmanager/secretPolicy:SecretPolicy": Durations(5),
    "aws:secretsmanager/secretRotation:SecretRotation": Durations(10),
    "aws:ssm/parameter:Parameter": Durations(5),
    "aws:cloudwatch/logGroup:LogGroup": Durations(3),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Durations(3),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": Durations(3),
    "aws:cloudwatch/dashboard:Dashboard": Durations(3),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": Durations(3),
    "aws:cloudwatch/eventRule:EventRule": Durations(5),
    "aws:cloudwatch/eventTarget:EventTarget": Durations(5),
    # SQS: the provider waits until the queue's attributes read back as set (~25 s).
    "aws:sqs/queue:Queue": Durations(25, 25, 5),
    "aws:sqs/queuePolicy:QueuePolicy": Durations(25),
    "aws:sqs/redrivePolicy:RedrivePolicy": Durations(25),
    "aws:sns/topic:Topic": Durations(5),
    "aws:sns/topicSubscription:TopicSubscription": Durations(5),
    "aws:sns/topicPolicy:TopicPolicy": Durations(5),
    "aws:s3/bucket:Bucket": Durations(5),
    "aws:s3/bucketV2:BucketV2": Durations(5),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": Durations(5),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": Durations(
        5
    ),
    "aws:s3/bucketVersioning:BucketVersioning": Durations(5),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": Durations(5),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": Durations(30),
    "aws:s3/bucketPolicy:BucketPolicy": Durations(5),
    "aws:ecr/repository:Repository": Durations(5),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": Durations(5),
    # Route 53: the provider waits for INSYNC (~30-60 s) on zones and records.
    "aws:route53/zone:Zone": Durations(45),
    "aws:route53/record:Record": Durations(40),
    "aws:route53/healthCheck:HealthCheck": Durations(5),
    # Cloud Map DNS namespaces create a hosted zone through an async operation (~1 min).
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": Durations(1 * MINUTE),
    "aws:servicediscovery/service:Service": Durations(5),
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": Durations(5),
    "aws:backup/vault:Vault": Durations(5),
    "aws:backup/plan:Plan": Durations(5),
    "aws:backup/selection:Selection": Durations(5),
    "aws:lambda/function:Function": Durations(15),
    "aws:lambda/permission:Permission": Durations(5),
    "aws:fis/experimentTemplate:ExperimentTemplate": Durations(5),
    # Kubernetes (pulumi-kubernetes awaits readiness): a Deployment waits for its
    # rollout (~1 min), a LoadBalancer Service for its cloud load balancer (~2-3 min),
    # a Helm release for its resources (~2 min).
    "kubernetes:core/v1:Namespace": Durations(5),
    "kubernetes:apps/v1:Deployment": Durations(1 * MINUTE, 2 * MINUTE, 30),
    "kubernetes:apps/v1:StatefulSet": Durations(2 * MINUTE, 3 * MINUTE, 1 * MINUTE),
    "kubernetes:apps/v1:DaemonSet": Durations(1 * MINUTE),
    "kubernetes:core/v1:Service": Durations(5),
    "kubernetes:helm.sh/v3:Release": Durations(2 * MINUTE),
    "kubernetes:helm.sh/v4:Chart": Durations(2 * MINUTE),
    "random:index/randomPassword:RandomPassword": Durations(1),
    "random:index/randomId:RandomId": Durations(1),
    "random:index/randomString:RandomString": Durations(1),
}
PREFIX_DURATIONS: dict[str, Durations] = {
    "kubernetes:": Durations(5),
    "random:": Durations(1),
    "tls:": Durations(1),
    PROVIDER_TYPE_PREFIX: Durations(0),
}

# Inputs whose change makes the provider replace the resource, for the stateful and slow
# types where that matters (pulumi-aws schema `forceNew` properties). Others: in place.
REPLACE_ON_CHANGE: dict[str, frozenset[str]] = {
    "aws:ec2/vpc:Vpc": frozenset({"cidrBlock"}),
    "aws:ec2/subnet:Subnet": frozenset({"cidrBlock", "availabilityZone", "vpcId"}),
    "aws:ec2/natGateway:NatGateway": frozenset({"allocationId", "subnetId", "connectivityType"}),
    "aws:rds/instance:Instance": frozenset(
        {"identifier", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId"}
    ),
    "aws:rds/cluster:Cluster": frozenset(
        {"clusterIdentifier", "engine", "databaseName", "masterUsername", "storageEncrypted"}
    ),
    "aws:elasticache/replicationGroup:ReplicationGroup": frozenset(
        {"replicationGroupId", "atRestEncryptionEnabled", "subnetGroupName"}
    ),
    "aws:eks/cluster:Cluster": frozenset({"name", "roleArn"}),
    "aws:eks/nodeGroup:NodeGroup": frozenset({"nodeGroupName", "subnetIds", "instanceTypes"}),
    "aws:ecs/taskDefinition:TaskDefinition": frozenset(
        {"containerDefinitions", "cpu", "memory", "family", "runtimePlatform", "taskRoleArn"}
    ),
    "aws:lb/loadBalancer:LoadBalancer": frozenset({"name", "internal", "loadBalancerType"}),
}


def durations_for(type_token: str) -> Durations | None:
    """The table entry for a type (exact token, then prefix), or None when untimed."""
    exact = DURATIONS.get(type_token)
    if exact is not None:
        return exact
    for prefix, d in PREFIX_DURATIONS.items():
        if type_token.startswith(prefix):
            return d
    return None


def create_seconds(record: ResourceRecord) -> tuple[float, bool]:
    """(typical seconds to create `record`, whether its type is in the table)."""
    d = durations_for(record.type)
    if d is None:
        return (0.0 if not record.custom else DEFAULT_SECONDS), False
    inputs = record.inputs
    t = record.type
    if t == "aws:rds/instance:Instance":
        if inputs.get("replicateSourceDb"):
            return 10 * MINUTE, True  # read replica: snapshot of the source + restore
        if inputs.get("multiAz"):
            return 18 * MINUTE, True  # standby created and synchronised in a second AZ
    if t == "aws:elasticache/replicationGroup:ReplicationGroup":
        shards = as_number(inputs.get("numNodeGroups"))
        if shards and shards > 1:
            return 15 * MINUTE, True
    if t == "aws:ecs/service:Service" and inputs.get("waitForSteadyState"):
        if as_number(inputs.get("desiredCount")) == 0:
            # Steady at once: no task to start (a worker scaled from zero).
            return d.create, True
        return 4 * MINUTE, True
    if t == "aws:cloudfront/distribution:Distribution" and inputs.get("waitForDeployment") is False:
        return 15, True
    if t == "aws:ec2/vpcEndpoint:VpcEndpoint" and inputs.get("vpcEndpointType") == "Interface":
        return 2 * MINUTE, True
    if t == "kubernetes:core/v1:Service" and _k8s_service_type(inputs) == "LoadBalancer":
        return 2.5 * MINUTE, True
    return d.create, True


def update_seconds(record: ResourceRecord, changed_keys: set[str]) -> float:
    """Typical seconds to update `record` in place after `changed_keys` changed."""
    if changed_keys and changed_keys <= TAG_KEYS:
        return TAG_ONLY_UPDATE_SECONDS
    d = durations_for(record.type)
    if d is None:
        return DEFAULT_SECONDS
    if record.type == "aws:ecs/service:Service":
        # A new task definition or image means a rolling deploy; Pulumi waits for it only
        # with wait_for_steady_state (the rollout continues after `up` returns otherwise).
        return 5 * MINUTE if record.inputs.get("waitForSteadyState") else d.update_seconds
    return d.update_seconds


def _k8s_service_type(inputs: Mapping[str, Any]) -> str | None:
    spec = inputs.get("spec")
    return spec.get("type") if isinstance(spec, dict) else None


def format_seconds(seconds: float) -> str:
    """`45s`, `2m`, `12m 30s`, `1h 05m`."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        m, rest = divmod(s, 60)
        return f"{m}m" if rest == 0 else f"{m}m {rest:02d}s"
    h, rest = divmod(s, 3600)
    return f"{h}h {rest // 60:02d}m"


@dataclass(frozen=True)
class PathStep:
    """One resource on a critical path."""

    type: str
    name: str
    component: str
    seconds: float
    start_seconds: float
    """When it starts, counted from the beginning of the deploy."""

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order (PATH_STEP_KEYS)."""
        return asdict(self)


def _critical_path(
    index: PlanIndex, seconds: Mapping[str, float]
) -> tuple[float, list[PathStep], dict[str, float]]:
    """Longest path (by summed seconds) through the dependency DAG: (total, steps,
    finish time of every node)."""
    graph = index.dependency_graph()
    finish: dict[str, float] = {}
    best_dep: dict[str, str | None] = {}
    for urn in _topological_order(graph):
        deps = graph[urn]
        start_after = max(deps, key=lambda d: (finish[d], d), default=None)
        start = finish[start_after] if start_after is not None else 0.0
        finish[urn] = start + seconds.get(urn, 0.0)
        best_dep[urn] = start_after
    if not finish:
        return 0.0, [], finish
    end = max(finish, key=lambda u: (finish[u], u))
    chain: list[str] = []
    node: str | None = end
    while node is not None:
        chain.append(node)
        node = best_dep[node]
    steps = []
    for urn in reversed(chain):
        rec = index.by_urn[urn]
        secs = seconds.get(urn, 0.0)
        if secs <= 0:
            continue
        steps.append(
            PathStep(
                type=rec.type,
                name=rec.name,
                component=component_label(index.component_of(rec)),
                seconds=secs,
                start_seconds=finish[urn] - secs,
            )
        )
    return finish[end], steps, finish


@dataclass
class TimingReport:
    """Estimated first deploy of a Plan. `to_json()` keys are stable (see TIMING_REPORT_KEYS)."""

    project: str
    stack: str
    resource_count: int
    total_seconds: float
    """Length of the critical path: the estimated `pulumi up` time for a first deploy."""
    path: list[PathStep]
    floor_seconds: float
    """The slowest single resource: no ordering can make the deploy shorter."""
    floor_resource: PathStep | None
    ratio: float
    """total / floor (1.0 when the slowest resource alone sets the pace)."""
    chain: list[PathStep]
    """When ratio > 1.5: the path's steps of 30 s or more, the chain that makes it long."""
    chain_note: str | None
    untimed: dict[str, int] = field(default_factory=dict)
    """Types missing from the duration table (counted at 1 s each) -> how many."""
    assumptions: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "project": self.project,
            "stack": self.stack,
            "resource_count": self.resource_count,
            "total_seconds": self.total_seconds,
            "floor_seconds": self.floor_seconds,
            "floor_resource": self.floor_resource.to_json() if self.floor_resource else None,
            "ratio": round(self.ratio, 3),
            "path": [s.to_json() for s in self.path],
            "chain": [s.to_json() for s in self.chain],
            "chain_note": self.chain_note,
            "untimed": dict(sorted(self.untimed.items())),
            "assumptions": list(self.assumptions),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        lines = [
            f"Estimated first deploy of {self.project}/{self.stack} "
            f"({self.resource_count} resources): {format_seconds(self.total_seconds)}",
        ]
        if self.floor_resource is not None:
            lines.append(
                f"Floor (slowest single resource): {format_seconds(self.floor_seconds)} "
                f"- {self.floor_resource.name} ({short_type(self.floor_resource.type)})"
            )
        lines.append(f"Critical path / floor: {self.ratio:.2f}x")
        lines.append("")
        lines.append("Critical path:")
        lines.append(f"  {'start':>8}  {'takes':>8}  resource")
        for s in self.path:
            lines.append(
                f"  {format_seconds(s.start_seconds):>8}  {format_seconds(s.seconds):>8}  "
                f"{s.name} ({short_type(s.type)}, {s.component})"
            )
        if self.chain_note:
            lines += ["", self.chain_note]
        if self.untimed:
            listed = ", ".join(f"{t} x{n}" for t, n in sorted(self.untimed.items()))
            lines += ["", f"Untimed types (counted at {DEFAULT_SECONDS:.0f}s): {listed}"]
        lines += ["", "Assumptions:", *[f"  - {a}" for a in self.assumptions]]
        return "\n".join(lines)


TIMING_REPORT_KEYS = (
    "schema_version",
    "project",
    "stack",
    "resource_count",
    "total_seconds",
    "floor_seconds",
    "floor_resource",
    "ratio",
    "path",
    "chain",
    "chain_note",
    "untimed",
    "assumptions",
)
PATH_STEP_KEYS = ("type", "name", "component", "seconds", "start_seconds")

_TIMING_ASSUMPTIONS = [
    "Typical us-east-1 create times per resource type (medians from the AWS guides and "
    "observed deploys), not guarantees.",
    "Pulumi creates everything whose dependencies exist in parallel (no --parallel limit).",
    "A dependency on a component waits for all of the component's resources; a child does "
    "not wait for its parent.",
    "Components and providers take no time themselves.",
]


def estimate_timing(plan: Plan) -> TimingReport:
    """The estimated first-deploy time of `plan`: critical path, floor, and the chain to
    blame when the path is much longer than the floor."""
    index = PlanIndex(plan)
    seconds: dict[str, float] = {}
    untimed: dict[str, int] = {}
    for rec in index.nodes:
        secs, known = create_seconds(rec)
        seconds[rec.urn] = secs
        if not known:
            untimed[rec.type] = untimed.get(rec.type, 0) + 1
    total, path, _ = _critical_path(index, seconds)
    floor_urn = max(seconds, key=lambda u: (seconds[u], u), default=None)
    floor_step = None
    floor = 0.0
    if floor_urn is not None and seconds[floor_urn] > 0:
        rec = index.by_urn[floor_urn]
        floor = seconds[floor_urn]
        floor_step = PathStep(
            rec.type, rec.name, component_label(index.component_of(rec)), floor, 0.0
        )
    ratio = total / floor if floor > 0 else 1.0
    chain: list[PathStep] = []
    note = None
    if ratio > CHAIN_RATIO:
        chain = [s for s in path if s.seconds >= CHAIN_STEP_MIN_SECONDS] or path
        links = " -> ".join(f"{s.name} ({format_seconds(s.seconds)})" for s in chain)
        note = (
            f"The deploy takes {ratio:.1f}x its slowest resource because these wait for "
            f"each other: {links}. Removing a dependency on this chain lets them run in "
            "parallel."
        )
    return TimingReport(
        project=plan.project,
        stack=plan.stack,
        resource_count=len(plan.custom_resources),
        total_seconds=total,
        path=path,
        floor_seconds=floor,
        floor_resource=floor_step,
        ratio=ratio,
        chain=chain,
        chain_note=note,
        untimed=untimed,
        assumptions=list(_TIMING_ASSUMPTIONS),
    )


@dataclass(frozen=True)
class Change:
    """One resource an update touches."""

    action: str
    """`create`, `update`, `replace` or `delete`."""
    type: str
    name: str
    urn: str
    seconds: float
    changed_keys: list[str]

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order."""
        return asdict(self)


@dataclass
class UpdateReport:
    """What changes between two Plans of one program and how long `pulumi up` takes."""

    changes: list[Change]
    total_seconds: float
    """Critical path over the changed resources plus the deletes that follow it."""
    path: list[PathStep]
    delete_seconds: float
    assumptions: list[str] = field(default_factory=list)

    @property
    def changed_names(self) -> list[str]:
        return [c.name for c in self.changes]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "total_seconds": self.total_seconds,
            "delete_seconds": self.delete_seconds,
            "changes": [c.to_json() for c in self.changes],
            "path": [s.to_json() for s in self.path],
            "assumptions": list(self.assumptions),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        if not self.changes:
            return "No changes: the update would do nothing."
        lines = [
            f"Estimated update: {format_seconds(self.total_seconds)} "
            f"({len(self.changes)} resource(s) change)",
            "",
            f"  {'action':<8}  {'takes':>8}  resource",
        ]
        for c in self.changes:
            keys = f" [{', '.join(c.changed_keys)}]" if c.changed_keys else ""
            lines.append(
                f"  {c.action:<8}  {format_seconds(c.seconds):>8}  "
                f"{c.name} ({short_type(c.type)}){keys}"
            )
        if self.path:
            lines += ["", "Critical path:"]
            lines += [
                f"  {format_seconds(s.start_seconds):>8}  {format_seconds(s.seconds):>8}  {s.name}"
                for s in self.path
            ]
        if self.delete_seconds:
            lines.append(f"  then deletes: {format_seconds(self.delete_seconds)}")
        lines += ["", "Assumptions:", *[f"  - {a}" for a in self.assumptions]]
        return "\n".join(lines)


UPDATE_REPORT_KEYS = (
    "schema_version",
    "total_seconds",
    "delete_seconds",
    "changes",
    "path",
    "assumptions",
)


def _comparable(inputs: Mapping[str, Any]) -> dict[str, str]:
    return {
        k: json.dumps(to_jsonable(reveal(v)), sort_keys=True, default=str)
        for k, v in inputs.items()
    }


def changed_input_keys(before: ResourceRecord, after: ResourceRecord) -> set[str]:
    """Top-level input keys whose value differs (secrets compared by value, never shown)."""
    a, b = _comparable(before.inputs), _comparable(after.inputs)
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def estimate_update(plan_before: Plan, plan_after: Plan) -> UpdateReport:
    """Which resources an update from `plan_before` to `plan_after` touches (matched by
    URN: inputs differ, added, removed) and its estimated duration: the critical path of
    `plan_after` where unchanged resources take no time, then the deletes."""
    before = {r.urn: r for r in plan_before.resources if r.custom}
    index = PlanIndex(plan_after)
    seconds: dict[str, float] = {}
    changes: list[Change] = []
    replaced: set[str] = set()
    order = _topological_order(index.dependency_graph())
    position = {urn: i for i, urn in enumerate(order)}
    for rec in sorted(index.nodes, key=lambda r: position[r.urn]):
        old = before.get(rec.urn)
        if old is None:
            secs, _ = create_seconds(rec)
            changes.append(Change("create", rec.type, rec.name, rec.urn, secs, []))
            seconds[rec.urn] = secs
            continue
        # A replaced resource gets a new id/ARN (a task definition gets a new revision),
        # so every input that refers to it changes too, whatever the mocks answered.
        keys = changed_input_keys(old, rec) | {
            prop
            for prop, urns in rec.property_dependencies.items()
            if any(u in replaced for u in urns)
        }
        if not keys:
            continue
        if keys & REPLACE_ON_CHANGE.get(rec.type, frozenset()):
            secs, _ = create_seconds(rec)
            if rec.delete_before_replace:
                d = durations_for(rec.type)
                secs += d.delete_seconds if d else DEFAULT_SECONDS
            action = "replace"
            replaced.add(rec.urn)
        else:
            secs = update_seconds(rec, keys)
            action = "update"
        changes.append(Change(action, rec.type, rec.name, rec.urn, secs, sorted(keys)))
        seconds[rec.urn] = secs
    order_of = {c.urn: position.get(c.urn, 0) for c in changes}
    changes.sort(key=lambda c: order_of[c.urn])
    after_urns = {r.urn for r in index.nodes}
    removed = [r for urn, r in before.items() if urn not in after_urns]
    delete_total = 0.0
    if removed:
        # Pulumi deletes after every create and update, dependents first: the longest
        # chain of deletes among the removed resources.
        old_index = PlanIndex(plan_before)
        delete_secs = {}
        for r in removed:
            d = durations_for(r.type)
            delete_secs[r.urn] = d.delete_seconds if d else DEFAULT_SECONDS
            changes.append(Change("delete", r.type, r.name, r.urn, delete_secs[r.urn], []))
        delete_total, _, _ = _critical_path(old_index, delete_secs)
    path_total, path, _ = _critical_path(index, seconds)
    return UpdateReport(
        changes=changes,
        total_seconds=path_total + delete_total,
        path=path,
        delete_seconds=delete_total,
        assumptions=[
            "Resources are matched by URN; a resource changes when any input differs, or "
            "when an input refers to a resource that is replaced (new id or revision).",
            "Tag-only changes take 5 s; replacements are detected for the inputs listed in "
            "REPLACE_ON_CHANGE (others are in-place updates).",
            "Unchanged resources take no time but still order the changed ones.",
            "Deletes run after all creates and updates.",
        ],
    )


__all__ = [
    "DURATIONS",
    "PATH_STEP_KEYS",
    "REPLACE_ON_CHANGE",
    "TIMING_REPORT_KEYS",
    "UPDATE_REPORT_KEYS",
    "Change",
    "Durations",
    "PathStep",
    "TimingReport",
    "UpdateReport",
    "changed_input_keys",
    "create_seconds",
    "durations_for",
    "estimate_timing",
    "estimate_update",
    "format_seconds",
    "update_seconds",
]
