"""AWS physical names derived from Pulumi logical names of any length.

A component named `checkout-service-for-the-europe-region` names its children
`<name>-<role>`, and Pulumi autonames each AWS resource `<logical name>-<7 random>`. Many
AWS names are shorter than that (a target group has 32 characters, an IAM role 64) or take
fewer characters (no underscore in a load balancer name, lowercase RDS identifiers).

`physical_name` maps a logical name into one resource type's rule: unchanged when it fits,
otherwise cleaned, truncated and ended with 8 hex characters of a SHA-256 over the project,
stack and full logical name, so two long names sharing a prefix stay distinct and the
same program derives the same name on every run.

`autoname_args` keeps Pulumi's autonaming whenever it can: when `<logical>-<7 random>` would
break the rule, it sets the resource's `name_prefix` (the provider appends a 26-character
unique id, so a replacement still gets a fresh name), and only for types without a prefix
argument a fixed derived `name` (with `delete_before_replace`, as a fixed name cannot exist
twice).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any

import pulumi

HASH_LENGTH = 8
FIFO_SUFFIX = ".fifo"
"""The provider ends a FIFO queue's generated name with it."""
PROVIDER_PREFIX_SUFFIX = 26
"""The AWS provider appends a 26-character unique id to a `name_prefix`."""


@dataclass(frozen=True)
class NameRule:
    """What AWS accepts as one resource type's name, and how our components set it."""

    limit: int
    """Most characters AWS accepts."""
    allowed: str
    """A regex character class body of the characters AWS accepts, e.g. `A-Za-z0-9-`."""
    source: str
    """The AWS page that states the rule."""
    field: str = "name"
    """The Python argument that holds the name."""
    prefix_field: str | None = "name_prefix"
    """The argument that takes a prefix the provider completes, or None when there is none."""
    lowercase: bool = False
    """AWS stores the name in lowercase (Pulumi's autoname is lowercased too)."""
    letter_first: bool = False
    """The first character must be a letter."""
    no_double_hyphen: bool = False
    """No `--` anywhere and no hyphen at the end."""
    no_edge_hyphen: bool = False
    """No hyphen at the start or the end."""
    suffix_room: int = 0
    """Characters the provider adds after the name (`.fifo` for a FIFO queue)."""
    random_length: int = 7
    """Random characters Pulumi's autoname appends after a hyphen (8 for Kubernetes)."""
    autoname_lowercased: bool = True
    """Pulumi lowercases its autoname where the rule is lowercase (AWS types, not Helm)."""

    def accepts(self, name: str) -> bool:
        """Whether AWS takes `name` as this type's whole name."""
        if not 1 <= len(name) <= self.limit - self.suffix_room:
            return False
        if not re.fullmatch(f"[{self.allowed}]+", name):
            return False
        if self.lowercase and name != name.lower():
            return False
        if self.letter_first and not name[0].isalpha():
            return False
        if self.no_double_hyphen and ("--" in name or name.endswith("-")):
            return False
        return not (self.no_edge_hyphen and (name.startswith("-") or name.endswith("-")))


def _api(path: str) -> str:
    return f"https://docs.aws.amazon.com/{path}"


_ELB = _api("elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html")
_IAM = _api("IAM/latest/APIReference/API_CreateRole.html")
_IAM_CHARS = r"\w+=,.@-"
_RDS_ID = _api("AmazonRDS/latest/APIReference/API_CreateDBInstance.html")
_ECS_NAME = "A-Za-z0-9_-"

RULES: dict[str, NameRule] = {
    "aws:lb/loadBalancer:LoadBalancer": NameRule(
        32,
        "A-Za-z0-9-",
        _api("elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"),
        no_edge_hyphen=True,
    ),
    "aws:lb/targetGroup:TargetGroup": NameRule(32, "A-Za-z0-9-", _ELB, no_edge_hyphen=True),
    "aws:iam/role:Role": NameRule(64, _IAM_CHARS, _IAM),
    "aws:iam/instanceProfile:InstanceProfile": NameRule(
        128, _IAM_CHARS, _api("IAM/latest/APIReference/API_CreateInstanceProfile.html")
    ),
    "aws:iam/rolePolicy:RolePolicy": NameRule(
        128, _IAM_CHARS, _api("IAM/latest/APIReference/API_PutRolePolicy.html")
    ),
    "aws:iam/policy:Policy": NameRule(
        128, _IAM_CHARS, _api("IAM/latest/APIReference/API_CreatePolicy.html")
    ),
    "aws:ec2/securityGroup:SecurityGroup": NameRule(
        255,
        r"A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*",
        _api("AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"),
    ),
    "aws:ec2/launchTemplate:LaunchTemplate": NameRule(
        128,
        r"A-Za-z0-9().\-/_",
        _api("AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"),
    ),
    "aws:sqs/queue:Queue": NameRule(
        80, _ECS_NAME, _api("AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html")
    ),
    "aws:sns/topic:Topic": NameRule(256, _ECS_NAME, _api("sns/latest/api/API_CreateTopic.html")),
    "aws:lambda/function:Function": NameRule(
        64, _ECS_NAME, _api("lambda/latest/api/API_CreateFunction.html"), prefix_field=None
    ),
    "aws:cloudwatch/logGroup:LogGroup": NameRule(
        512,
        r"A-Za-z0-9_\-/.#",
        _api("AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"),
    ),
    "aws:scheduler/schedule:Schedule": NameRule(
        64, r"0-9a-zA-Z._-", _api("scheduler/latest/APIReference/API_CreateSchedule.html")
    ),
    "aws:scheduler/scheduleGroup:ScheduleGroup": NameRule(
        64, r"0-9a-zA-Z._-", _api("scheduler/latest/APIReference/API_CreateScheduleGroup.html")
    ),
    "aws:cloudwatch/eventRule:EventRule": NameRule(
        64,
        r"A-Za-z0-9._-",
        _api("eventbridge/latest/APIReference/API_PutRule.html"),
    ),
    "aws:ecs/cluster:Cluster": NameRule(
        255,
        _ECS_NAME,
        _api("AmazonECS/latest/APIReference/API_CreateCluster.html"),
        prefix_field=None,
    ),
    "aws:ecs/service:Service": NameRule(
        255,
        _ECS_NAME,
        _api("AmazonECS/latest/APIReference/API_CreateService.html"),
        prefix_field=None,
    ),
    "aws:eks/cluster:Cluster": NameRule(
        100,
        _ECS_NAME,
        _api("eks/latest/APIReference/API_CreateCluster.html"),
        prefix_field=None,
        no_edge_hyphen=True,
    ),
    "aws:eks/nodeGroup:NodeGroup": NameRule(
        63,
        _ECS_NAME,
        _api("eks/latest/APIReference/API_CreateNodegroup.html"),
        field="node_group_name",
        prefix_field="node_group_name_prefix",
        no_edge_hyphen=True,
    ),
    "aws:rds/cluster:Cluster": NameRule(
        63,
        "a-z0-9-",
        _api("AmazonRDS/latest/APIReference/API_CreateDBCluster.html"),
        field="cluster_identifier",
        prefix_field="cluster_identifier_prefix",
        lowercase=True,
        letter_first=True,
        no_double_hyphen=True,
    ),
    "aws:rds/instance:Instance": NameRule(
        63,
        "a-z0-9-",
        _RDS_ID,
        field="identifier",
        prefix_field="identifier_prefix",
        lowercase=True,
        letter_first=True,
        no_double_hyphen=True,
    ),
    "aws:rds/clusterInstance:ClusterInstance": NameRule(
        63,
        "a-z0-9-",
        _RDS_ID,
        field="identifier",
        prefix_field="identifier_prefix",
        lowercase=True,
        letter_first=True,
        no_double_hyphen=True,
    ),
    "aws:elasticache/replicationGroup:ReplicationGroup": NameRule(
        40,
        "a-z0-9-",
        _api("AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html"),
        field="replication_group_id",
        prefix_field=None,
        lowercase=True,
        letter_first=True,
        no_double_hyphen=True,
    ),
    "aws:s3/bucket:Bucket": NameRule(
        63,
        "a-z0-9.-",
        _api("AmazonS3/latest/userguide/bucketnamingrules.html"),
        field="bucket",
        prefix_field="bucket_prefix",
        lowercase=True,
        no_edge_hyphen=True,
    ),
    "aws:secretsmanager/secret:Secret": NameRule(
        512,
        r"A-Za-z0-9/_+=.@-",
        _api("secretsmanager/latest/apireference/API_CreateSecret.html"),
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": NameRule(
        255,
        r"\x20-\x7e",
        _api("AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"),
        prefix_field=None,
    ),
    "aws:appautoscaling/policy:Policy": NameRule(
        256,
        r"\x20-\x7e",
        _api("autoscaling/application/APIReference/API_PutScalingPolicy.html"),
        prefix_field=None,
    ),
    "kubernetes:helm.sh/v3:Release": NameRule(
        53,
        "a-z0-9-",
        "https://github.com/helm/helm/commit/52a029dcde7562d1d652a5b2c841c92c25145f15",
        prefix_field=None,
        lowercase=True,
        letter_first=True,
        no_edge_hyphen=True,
        random_length=8,
        autoname_lowercased=False,
    ),
}
"""Name rules of the AWS types our components autoname from a logical name, and of the
Helm release (at most 53 characters, a lowercase DNS label) charts are installed as."""
RULES["aws:s3/bucketV2:BucketV2"] = RULES["aws:s3/bucket:Bucket"]  # the older token


def _clean(name: str, rule: NameRule) -> str:
    text = name.lower() if rule.lowercase else name
    text = re.sub(f"[^{rule.allowed}]+", "-", text)
    if rule.no_double_hyphen or rule.no_edge_hyphen:
        text = re.sub("-{2,}", "-", text)
    return text.strip("-")


def name_hash(logical: str) -> str:
    """8 hex characters of SHA-256 over project, stack and the full logical name."""
    seed = f"{pulumi.get_project()}/{pulumi.get_stack()}/{logical}"
    return hashlib.sha256(seed.encode()).hexdigest()[:HASH_LENGTH]


def physical_name(logical: str, rule: NameRule) -> str:
    """`logical` itself when AWS accepts it, else a derived name AWS accepts: the cleaned
    name truncated to fit, a hyphen and `name_hash(logical)`."""
    if rule.accepts(logical):
        return logical
    return _fit(logical, rule.limit - rule.suffix_room, rule, "-" + name_hash(logical))


def hashed_name(text: str, rule: NameRule, seed: str) -> str:
    """`text` cleaned into `rule`, truncated to fit and always ended with `name_hash(seed)`:
    for a name whose cleaning lost characters (`db_x` and `db--x` both clean to `db-x`)."""
    return _fit(text, rule.limit - rule.suffix_room, rule, "-" + name_hash(seed))


def _fit(logical: str, limit: int, rule: NameRule, ending: str) -> str:
    # A name with nothing AWS accepts (only symbols, say) is named by its hash alone.
    head = _clean(logical, rule) or name_hash(logical)
    if rule.letter_first and not head[:1].isalpha():
        head = "x-" + head
    return head[: limit - len(ending)].rstrip("-") + ending


def name_prefix(logical: str, rule: NameRule) -> str:
    """A prefix for the provider to complete with its 26-character id: the cleaned name cut
    to fit, with `name_hash` when there is room, ending in a hyphen."""
    room = rule.limit - rule.suffix_room - PROVIDER_PREFIX_SUFFIX
    ending = f"-{name_hash(logical)}-" if room >= 2 * HASH_LENGTH else "-"
    return _fit(logical, room, rule, ending)


ALARM_NAME = RULES["aws:cloudwatch/metricAlarm:MetricAlarm"]
"""A metric or composite alarm name: 1 to 255 printable characters."""
DASHBOARD_NAME = NameRule(
    255,
    "A-Za-z0-9_-",
    _api("AmazonCloudWatch/latest/APIReference/API_PutDashboard.html"),
    prefix_field=None,
)
"""A dashboard name: at most 255 letters, digits, hyphens and underscores."""
BUDGET_NAME = NameRule(
    100,
    "A-Za-z0-9._-",
    _api("aws-cost-management/latest/APIReference/API_budgets_Budget.html"),
    prefix_field=None,
)
"""A budget name: 1 to 100 characters without ':', '\\' or '/action/' (we use letters,
digits, '.', '-' and '_', which stack and project names are made of)."""
KUBERNETES_NAME = NameRule(
    63,
    "a-z0-9-",
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names",
    prefix_field=None,
    lowercase=True,
    letter_first=True,
    no_edge_hyphen=True,
)
"""A Kubernetes object name that is valid everywhere: an RFC 1035 label (63 characters)."""
LABEL_VALUE = NameRule(
    63,
    "A-Za-z0-9-",
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
    prefix_field=None,
    no_edge_hyphen=True,
)
"""A Kubernetes label value: at most 63 characters, alphanumeric at both ends."""
TAG_VALUE = NameRule(
    256,
    r"\w .:/=+\-@",
    _api("tag-editor/latest/userguide/tagging.html"),
    prefix_field=None,
)
"""A tag value: at most 256 letters, digits, spaces and `_ . : / = + - @`."""


def fit_name_tag(args: dict[str, Any]) -> dict[str, Any]:
    """`args` with its `Name` tag derived to fit a tag value when a long name overflows it."""
    tags = args.get("tags")
    if not isinstance(tags, dict):
        return args
    value = tags.get("Name")
    if not isinstance(value, str) or TAG_VALUE.accepts(value):
        return args
    return {**args, "tags": {**tags, "Name": physical_name(value, TAG_VALUE)}}


def rule_for(cls: type) -> NameRule | None:
    """The name rule of a Pulumi resource class, by its type token."""
    return RULES.get(getattr(cls, "pulumi_type", "") or "")


def autonaming_fits(logical: str, rule: NameRule) -> bool:
    """Whether Pulumi's `<logical>-<7 random>` (lowercased where AWS lowercases) is legal."""
    lowered = rule.lowercase and rule.autoname_lowercased
    generated = (logical.lower() if lowered else logical) + "-" + "a" * rule.random_length
    return rule.accepts(generated)


def autoname_args(
    cls: type, logical: str, args: dict[str, Any], opts: pulumi.ResourceOptions | None
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """`args` and `opts` with a derived name where Pulumi's autoname would break AWS's rule;
    unchanged when it fits, when the type has no rule, or when a name is already given."""
    rule = rule_for(cls)
    if rule is None:
        return args, opts
    if rule is RULES["aws:sqs/queue:Queue"] and args.get("fifo_queue"):
        rule = replace(rule, suffix_room=len(FIFO_SUFFIX))
    if autonaming_fits(logical, rule) or args.get(rule.field) is not None:
        return args, opts
    if rule.prefix_field is not None:
        if args.get(rule.prefix_field) is not None:
            return args, opts
        return {**args, rule.prefix_field: name_prefix(logical, rule)}, opts
    fixed = pulumi.ResourceOptions(delete_before_replace=True)
    return (
        {**args, rule.field: physical_name(logical, rule)},
        pulumi.ResourceOptions.merge(opts, fixed),
    )


__all__ = [
    "ALARM_NAME",
    "BUDGET_NAME",
    "DASHBOARD_NAME",
    "KUBERNETES_NAME",
    "LABEL_VALUE",
    "RULES",
    "NameRule",
    "autoname_args",
    "autonaming_fits",
    "fit_name_tag",
    "hashed_name",
    "name_hash",
    "name_prefix",
    "physical_name",
    "rule_for",
]
