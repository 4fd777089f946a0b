"""ObservabilityStack: SLO alarms that page, golden-signal alarms, an alert topic, a dashboard."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.cdn.domain import regional_provider_args
from gridops_infra.core import iam
from gridops_infra.core.alarm_topic import (
    alarm_topic_key_policy,
    budget_key_statements,
    topic_policy,
)
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.physical_names import ALARM_NAME, DASHBOARD_NAME, physical_name
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.observability.alarm_spec import AlarmSpec
from gridops_infra.observability.args import ObservabilityStackArgs
from gridops_infra.observability.cloudwatch_slo import SloTierAlarms, slo_alarm_specs
from gridops_infra.observability.dashboard import dashboard_body
from gridops_infra.observability.eks.args import read_eks_observability
from gridops_infra.observability.eks.managed import key_policy_statement
from gridops_infra.observability.eks.result import EksObservability
from gridops_infra.observability.eks.roles import EKS_CHILD_ROLES
from gridops_infra.observability.golden_signals import component_name, golden_signal_specs, kind_of
from gridops_infra.observability.slo import Slo

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ObservabilityStack(GridopsComponent):
    """Alerts that map to SLOs: burn-rate alarms page, golden signals open tickets.

    An alarm lives in the region of its metric: CloudFront publishes only in us-east-1,
    so a stack elsewhere watching a CdnFrontend puts those alarms in us-east-1, with a
    second pair of encrypted topics there (an alarm can only notify a topic of its own
    region) carrying the same subscriptions.

    Example:
        ```python
        ObservabilityStack("obs", {"resources": [api, db], "slos": [Slo.availability(api)],
                                   "alert_emails": ["oncall@acme.io"]})
        ```
    """

    TYPE = "gridops:aws:ObservabilityStack"
    CHILD_ROLES = (
        "topic_key",
        "page_topic",
        "ticket_topic",
        "subscription",
        "alarm",
        "composite_alarm",
        "dashboard",
        "regional_provider",
        *EKS_CHILD_ROLES,
    )

    page_topic_arn: pulumi.Output[str]
    """SNS topic for page-severity alerts (fast SLO burn)."""
    ticket_topic_arn: pulumi.Output[str]
    """SNS topic for ticket-severity alerts (slow burn, golden signals)."""
    budget_topic_arn: pulumi.Output[str]
    """The topic AWS Budgets and Cost Anomaly Detection may publish to (the ticket topic:
    its key and policy let them), which a StackBudget notifies."""
    alarm_names: list[str]
    """Names of every alarm created (metric and composite)."""
    page_alarm_names: list[str]
    """Names of the composite page alarms, one per SLO page tier."""
    eks: EksObservability | None
    """The EKS part (Prometheus, Grafana, collector), or None when nothing watched runs
    on EKS."""

    def __init__(
        self,
        name: str,
        args: ObservabilityStackArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("ObservabilityStack", name)
        a = ArgReader("ObservabilityStack", name, args, ObservabilityStackArgs.__annotations__)
        resources = a.sequence("resources")
        slos = a.sequence("slos")
        for slo in slos:
            if not isinstance(slo, Slo):
                raise a.fail(
                    "slos", slo, "expected Slo objects (Slo.availability(...), Slo.latency(...))"
                )
        _check_unique_slo_names(a, slos)
        rollback_targets = _check_rollback_owner(a, name, slos)
        emails = a.string_list("alert_emails")
        for email in emails:
            if not EMAIL.fullmatch(email):
                raise a.fail("alert_emails", email, "expected e-mail addresses")
        webhooks = self._webhooks(a)
        if not emails and not webhooks:
            pulumi.log.warn(
                f"ObservabilityStack '{name}' has no alert target: no alert_emails and no "
                "webhooks, so its alarms notify two SNS topics nobody reads. Give "
                "alert_emails or webhooks, or subscribe your own endpoint to page_topic_arn "
                "and ticket_topic_arn."
            )
        thresholds = _thresholds(a)
        with_dashboard = a.boolean("dashboard", True)
        eks = read_eks_observability(a, resources, slos)
        cloudwatch_slos = a.boolean("cloudwatch_slo_alarms", True)
        on_prometheus = [slo.name for slo in eks.slos] if eks is not None else []
        if not cloudwatch_slos and any(slo.name not in on_prometheus for slo in slos):
            raise a.fail(
                "cloudwatch_slo_alarms",
                False,
                "only when every SLO's target runs on the watched EksCluster (Prometheus "
                "alerts on those); otherwise these SLOs would alert nowhere: "
                + ", ".join(slo.name for slo in slos if slo.name not in on_prometheus),
            )
        blind = [slo.name for slo in slos if slo.kind == "availability" and not cloudwatch_slos]
        if blind:
            pulumi.log.warn(
                f"ObservabilityStack '{name}': cloudwatch_slo_alarms=False leaves the "
                f"availability SLOs {', '.join(blind)} to Prometheus, which sees only the "
                "app's own responses: 502/503/504 the load balancer answers itself (no "
                "healthy pod, timeouts) will not burn their error budget. Keep the "
                "CloudWatch alarms on to count them."
            )
        transforms = check_transforms(
            "ObservabilityStack", name, a.raw("transforms"), self.CHILD_ROLES
        )
        for resource in resources:
            kind_of(resource)  # refuses components without golden signals
        # Alarms are named after the component: two of one name would share them, unless
        # their signals differ (a Network and the EksCluster on it may both be `prod`).
        golden: dict[str, list[AlarmSpec]] = {}
        repeated: set[str] = set()
        for r in resources:
            specs = golden_signal_specs(r, thresholds)
            taken = {spec.key for spec in golden.get(component_name(r), [])}
            new = {spec.key for spec in specs}
            if component_name(r) in golden and (not taken or not new or taken & new):
                repeated.add(component_name(r))
            golden.setdefault(component_name(r), []).extend(specs)
        if repeated:
            raise a.fail(
                "resources",
                sorted(repeated),
                "each watched component needs its own name (listed twice)",
            )
        keys = {spec.key for specs in golden.values() for spec in specs}
        base_keys = {k.rsplit("-", 1)[0] for k in keys if k[-1].isdigit()}
        unknown = sorted(set(thresholds) - keys - base_keys)
        if unknown:
            raise a.fail("thresholds", unknown, "known alarm keys: " + ", ".join(sorted(keys)))
        # Custom SLOs are PromQL: on EKS the Prometheus rules evaluate them.
        cloudwatch_slo_list = [
            slo
            for slo in slos
            if cloudwatch_slos and not (slo.kind == "custom" and slo.name in on_prometheus)
        ]
        slo_alarms = [
            t
            for slo in cloudwatch_slo_list
            for t in slo_alarm_specs(slo, component=slo.service_name)
        ]
        if eks is not None:
            # One page per incident: where CloudWatch pages (from outside the cluster, so
            # also when the cluster is down), Prometheus's page for the SLO is a ticket.
            eks = dataclasses.replace(
                eks,
                paged_by_cloudwatch=tuple(
                    slo.name for slo in cloudwatch_slo_list if slo.name in on_prometheus
                ),
            )

        _check_unique_alarm_names(a, golden, slo_alarms)

        region = aws.get_region().region
        specs = [
            *(spec for specs in golden.values() for spec in specs),
            *(spec for tier in slo_alarms for spec in (tier.long, tier.short)),
        ]
        for spec in specs:
            regions = sorted({m.region or region for m in spec.metrics})
            if len(regions) > 1:
                raise a.fail(
                    "resources",
                    spec.component,
                    f"alarm {spec.key} would read metrics of several regions "
                    f"({', '.join(regions)}); a CloudWatch alarm reads one",
                )

        for target in rollback_targets:
            target._slo_rollback_owner = name  # one stack owns the rollback alarm
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))
        self._region = region
        self._emails, self._webhooks_list = emails, webhooks
        publishers = [key_policy_statement(iam.account_id())] if eks and eks.managed else []
        self.page_topic_arn, self.ticket_topic_arn = self._topics(publishers)
        self.budget_topic_arn = self.ticket_topic_arn
        if not (eks and eks.managed):
            # With managed Prometheus its topic policies carry the budget grants (a topic
            # has one policy; two resources setting it would undo each other).
            account = iam.account_id()
            self.child(
                "topic_policy",
                aws.sns.TopicPolicy,
                {
                    "arn": self.ticket_topic_arn,
                    "policy": self.ticket_topic_arn.apply(
                        lambda arn: topic_policy(arn, account, budgets=True)
                    ),
                },
                suffix="ticket-topic-policy",
                tag=False,
            )
        topics = {"page": self.page_topic_arn, "ticket": self.ticket_topic_arn}
        self._regional_topics: dict[str, dict[str, pulumi.Output[str]]] = {self._region: topics}
        self.alarm_names = []
        self.page_alarm_names = []
        self.alarms: dict[str, aws.cloudwatch.MetricAlarm] = {}
        self._composites: dict[str, aws.cloudwatch.CompositeAlarm] = {}
        self._providers: dict[str, aws.Provider] = {}
        for specs in golden.values():
            for spec in specs:
                self._alarm(spec, notify=True)
        for tier in slo_alarms:
            self._slo_tier(tier)
        self._service_page_alarms(slo_alarms)
        self._subscribe_platform_topics(resources)
        if with_dashboard:
            region = self._region
            self.child(
                "dashboard",
                aws.cloudwatch.Dashboard,
                {
                    "dashboard_name": physical_name(f"{pulumi.get_stack()}-{name}", DASHBOARD_NAME),
                    "dashboard_body": dashboard_body(golden, slo_alarms, region),
                },
            )
        self.eks = None
        if eks is not None:
            from gridops_infra.observability.eks.stack import (
                build_eks_observability,  # loads pulumi_kubernetes
            )

            self.eks = build_eks_observability(
                self,
                eks,
                topic_arns=topics,
                topic_key_arn=self._topic_key_arn,
                region=self._region,
                account=iam.account_id(),
            )
        self.register_outputs(
            {
                "page_topic_arn": self.page_topic_arn,
                "ticket_topic_arn": self.ticket_topic_arn,
                "alarm_names": self.alarm_names,
                "page_alarm_names": self.page_alarm_names,
            }
        )

    def _subscribe_platform_topics(self, resources: Sequence[Any]) -> None:
        """The alert addresses (and ticket webhooks) also hear the alarms the watched
        components own (queue dead letters, a server's health), which notify their
        platform's alarm topic; each topic is subscribed once."""
        seen: list[Any] = []
        for resource in resources:
            platform = getattr(resource, "platform", None)
            arn = getattr(platform, "alarm_topic_arn", None)
            if arn is None or any(p is platform for p in seen):
                continue
            seen.append(platform)
            label = getattr(platform, "name", "platform")
            for i, email in enumerate(self._emails):
                self.child(
                    "subscription",
                    aws.sns.TopicSubscription,
                    {"topic": arn, "protocol": "email", "endpoint": email},
                    suffix=f"{label}-alarms-email-{i}",
                    tag=False,
                )
            tickets = [h for h in self._webhooks_list if h.get("severity", "page") == "ticket"]
            for i, hook in enumerate(tickets):
                self.child(
                    "subscription",
                    aws.sns.TopicSubscription,
                    {"topic": arn, "protocol": "https", "endpoint": hook["url"]},
                    suffix=f"{label}-alarms-webhook-{i}",
                    tag=False,
                )

    @staticmethod
    def _webhooks(a: ArgReader) -> list[dict[str, str]]:
        hooks = a.sequence("webhooks")
        for hook in hooks:
            if (
                not isinstance(hook, dict)
                or not str(hook.get("url", "")).startswith("https://")
                or hook.get("severity", "page") not in ("page", "ticket")
            ):
                raise a.fail(
                    "webhooks",
                    hook,
                    'expected {"url": "https://...", "severity": "page" | "ticket"}',
                )
        return hooks

    def _topics(
        self, publishers: Sequence[dict[str, Any]] = (), region: str | None = None
    ) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """The page and ticket topics (in `region` when given: for alarms on metrics that
        live outside the stack's region), encrypted with their own key."""
        emails, webhooks = self._emails, self._webhooks_list
        opts = self._region_provider(region) if region else None
        tail = f"-{region}" if region else ""
        account = iam.account_id()
        # CloudWatch publishes to an encrypted topic only with a customer managed key whose
        # policy lets it use the key (the AWS managed SNS key does not).
        # Budgets notify the home region's ticket topic (see budget_topic_arn).
        budget_publishers = budget_key_statements(account) if region is None else []
        key_policy = alarm_topic_key_policy(account, [*publishers, *budget_publishers])
        key = self.child(
            "topic_key",
            aws.kms.Key,
            {
                "description": f"Encrypts the {self.name} alert topics",
                "enable_key_rotation": True,
                "deletion_window_in_days": 30,
                "policy": key_policy,
            },
            suffix=f"topic-key{tail}",
            opts=opts,
        )
        if region is None:
            self._topic_key_arn = key.arn
        arns = []
        for severity in ("page", "ticket"):
            topic = self.child(
                f"{severity}_topic",
                aws.sns.Topic,
                {"kms_master_key_id": key.arn, "display_name": f"{self.name} {severity}"},
                suffix=f"{severity}{tail}",
                opts=opts,
            )
            for i, email in enumerate(emails):
                self.child(
                    "subscription",
                    aws.sns.TopicSubscription,
                    {"topic": topic.arn, "protocol": "email", "endpoint": email},
                    suffix=f"{severity}{tail}-email-{i}",
                    tag=False,
                    opts=opts,
                )
            for i, hook in enumerate(h for h in webhooks if h.get("severity", "page") == severity):
                self.child(
                    "subscription",
                    aws.sns.TopicSubscription,
                    {"topic": topic.arn, "protocol": "https", "endpoint": hook["url"]},
                    suffix=f"{severity}{tail}-webhook-{i}",
                    tag=False,
                    opts=opts,
                )
            arns.append(topic.arn)
        return arns[0], arns[1]

    def _alarm_name(self, key: str) -> str:
        return physical_name(
            f"{pulumi.get_stack()}-{self.name}-{key.replace('.', '-')}", ALARM_NAME
        )

    def _alarm(self, spec: AlarmSpec, *, notify: bool) -> aws.cloudwatch.MetricAlarm:
        alarm_name = self._alarm_name(spec.key)
        region = self._metric_region(spec)
        args = {**spec.alarm_args(), "name": alarm_name}
        if notify:
            topic = self._topics_in(region)[spec.severity]
            args["alarm_actions"] = [topic]
            args["ok_actions"] = [topic]
        args["tags"] = {"gridops:severity": spec.severity, "gridops:watches": spec.component}
        if not notify:
            # Read by the composite alarm of its tier, which notifies (policy: alarm-has-actions).
            args["tags"]["gridops:role"] = "composite-input"
        alarm = self.child(
            "alarm",
            aws.cloudwatch.MetricAlarm,
            args,
            suffix=spec.key.replace(".", "-"),
            opts=self._region_provider(region),
        )
        self.alarm_names.append(alarm_name)
        self.alarms[spec.key] = alarm
        return alarm

    def _service_page_alarms(self, slo_alarms: list[SloTierAlarms]) -> None:
        """One composite per service over its SLOs' page tiers, under the name the service
        gave its ECS deployment alarms (`slo_alarm_name`): a fast burn during a deployment
        rolls it back."""
        by_service: dict[tuple[str, str], list[str]] = {}
        for tier in slo_alarms:
            name = getattr(tier.slo.target, "slo_alarm_name", None)
            if isinstance(name, str) and tier.tier.severity == "page":
                key = (name, tier.slo.service_name)
                by_service.setdefault(key, []).append(self._alarm_name(tier.key))
        for (alarm_name, service), page_alarms in by_service.items():
            self.child(
                "composite_alarm",
                aws.cloudwatch.CompositeAlarm,
                {
                    "alarm_name": alarm_name,
                    "alarm_description": "Any fast SLO burn of this service (feeds ECS deployment rollback)",
                    "alarm_rule": " OR ".join(f'ALARM("{n}")' for n in page_alarms),
                    "actions_enabled": False,
                    "tags": {"gridops:severity": "page", "gridops:role": "deployment-rollback"},
                },
                suffix=f"{service}-slo-rollback",
                opts=pulumi.ResourceOptions(depends_on=list(self._composites.values())),
            )
            self.alarm_names.append(alarm_name)

    def _metric_region(self, spec: AlarmSpec) -> str:
        """Alarms live in the region of their metrics (CloudFront publishes in us-east-1);
        one region per alarm was checked before anything was registered."""
        return next((m.region for m in spec.metrics if m.region), self._region)

    def _region_provider(self, region: str | None) -> pulumi.ResourceOptions | None:
        if region is None or region == self._region:
            return None
        if region not in self._providers:
            self._providers[region] = self.child(
                "regional_provider",
                aws.Provider,
                regional_provider_args(region),
                suffix=region,
                tag=False,
            )
        return pulumi.ResourceOptions(provider=self._providers[region])

    def _topics_in(self, region: str) -> dict[str, pulumi.Output[str]]:
        """The page and ticket topics an alarm in `region` can notify."""
        if region not in self._regional_topics:
            page, ticket = self._topics(region=region)
            self._regional_topics[region] = {"page": page, "ticket": ticket}
        return self._regional_topics[region]

    def _slo_tier(self, tier: SloTierAlarms) -> None:
        # The window alarms carry no actions: only their AND (the composite) notifies.
        long = self._alarm(tier.long, notify=False)
        short = self._alarm(tier.short, notify=False)
        region = self._metric_region(tier.long)
        topics = self._topics_in(region)
        composite_name = self._alarm_name(tier.key)
        rule = f'ALARM("{self._alarm_name(tier.long.key)}") AND ALARM("{self._alarm_name(tier.short.key)}")'
        composite = self.child(
            "composite_alarm",
            aws.cloudwatch.CompositeAlarm,
            {
                "alarm_name": composite_name,
                "alarm_description": f"SLO {tier.slo.name}: {tier.tier.budget_consumed:.0%} of the error budget burnt in {tier.tier.long_window_label} ({tier.tier.severity})",
                "alarm_rule": rule,
                "alarm_actions": [topics[tier.tier.severity]],
                "ok_actions": [topics[tier.tier.severity]],
                "tags": {"gridops:severity": tier.tier.severity, "gridops:slo": tier.slo.name},
            },
            suffix=tier.key.replace(".", "-"),
            opts=pulumi.ResourceOptions.merge(
                self._region_provider(region) or pulumi.ResourceOptions(),
                pulumi.ResourceOptions(depends_on=[long, short]),
            ),
        )
        self._composites[tier.key] = composite
        self.alarm_names.append(composite_name)
        if tier.tier.severity == "page":
            self.page_alarm_names.append(composite_name)


def _thresholds(a: ArgReader) -> dict[str, float]:
    """`thresholds` with every value a finite number (CloudWatch takes nothing else)."""
    thresholds = a.mapping("thresholds")
    out: dict[str, float] = {}
    for key, value in thresholds.items():
        if not isinstance(key, str):
            raise a.fail("thresholds", key, "keys are alarm keys such as 'api.cpu'")
        number = _finite_number(value)
        if number is None:
            raise a.fail(
                f'thresholds["{key}"]',
                value,
                "expected a finite number (an int or float; not true/false, NaN or infinity)",
            )
        out[key] = number
    return out


def _finite_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond a double
        return None
    return number if math.isfinite(number) else None


def _alarm_name_key(key: str) -> str:
    """The part of the alarm's resource and CloudWatch name an alarm key becomes."""
    return key.replace(".", "-")


def _check_rollback_owner(a: ArgReader, name: str, slos: list[Slo]) -> list[Any]:
    """The services whose deployment-rollback alarm this stack will own. That alarm has one
    fixed name per service, so a second ObservabilityStack alarming on the same service's
    SLOs would manage the same CloudWatch alarm."""
    targets = []
    for slo in slos:
        target: Any = slo.target
        alarm_name = getattr(target, "slo_alarm_name", None)
        if not isinstance(alarm_name, str):
            continue
        owner = getattr(target, "_slo_rollback_owner", None)
        if owner is not None and owner != name:
            raise a.fail(
                "slos",
                slo.name,
                f"ObservabilityStack '{owner}' already alarms on the SLOs of "
                f"'{slo.service_name}', and their rollback alarm "
                f"{alarm_name!r} can have one owner: give all of this "
                "service's SLOs to one ObservabilityStack",
            )
        targets.append(target)
    return targets


def _check_unique_slo_names(a: ArgReader, slos: Sequence[Slo]) -> None:
    """Two SLOs of one name would register the same alarms twice (duplicate URNs, and
    CloudWatch would overwrite one alarm with the other)."""
    seen: dict[str, str] = {}
    for slo in slos:
        key = _alarm_name_key(slo.name)
        if key in seen:
            raise a.fail(
                "slos",
                slo.name,
                f"two SLOs would create the same alarms ({key}-*): SLO {seen[key]!r} is "
                "already listed; give each SLO its own name (Slo.availability(..., name=...))",
            )
        seen[key] = slo.name


def _check_unique_alarm_names(
    a: ArgReader, golden: dict[str, list[AlarmSpec]], slo_alarms: Sequence[SloTierAlarms]
) -> None:
    """Every alarm (golden signal, SLO window, SLO composite) needs its own name (one
    over CloudWatch's 255 characters is derived to fit by `_alarm_name`)."""
    owners: dict[str, str] = {}
    keys = [
        *((spec.key, "resources") for specs in golden.values() for spec in specs),
        *((k, "slos") for t in slo_alarms for k in (t.long.key, t.short.key, t.key)),
    ]
    for key, field in keys:
        name = _alarm_name_key(key)
        if name in owners:
            raise a.fail(
                field,
                key,
                f"its alarm name {name} is already taken by alarm {owners[name]}; rename the "
                "SLO or component",
            )
        owners[name] = key
