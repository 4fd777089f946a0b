"""ResilienceDrills: AWS FIS experiment templates that break the stack's own resources on
purpose, one drill per target, each stopped by the SLO page alarm it could hurt.

- StatelessService on Fargate: stop ECS tasks of the service (`aws:ecs:stop-task`);
- StatelessService on EKS: delete pods of the service (`aws:eks:pod-delete`), with the
  ServiceAccount, Role, RoleBinding and EKS access entry FIS needs;
- ManagedPostgresWithReplicas: fail the primary over (instance mode: reboot with
  `forceFailover=true`; Aurora: `aws:rds:failover-db-cluster`);
- RedisCache: cut power to one AZ of the replication group
  (`aws:elasticache:replicationgroup-interrupt-az-power`).

Templates only, unless `schedule` is given: nothing breaks until someone starts an
experiment (`aws fis start-experiment --experiment-template-id <id>`). With `schedule`,
EventBridge Scheduler starts the chosen experiments on their own (e.g. weekly in
staging), each still stopped by its SLO alarms.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.logs import retention_days
from gridops_infra.core.physical_names import RULES, physical_name
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.resilience.args import ResilienceDrillsArgs
from gridops_infra.resilience.experiments import DrillOptions, experiment_parts
from gridops_infra.resilience.iam import drill_statements, logging_statement, trust_policy
from gridops_infra.resilience.roles import EKS_ROLES
from gridops_infra.resilience.schedule import (
    START_EXPERIMENT_TARGET,
    DrillSchedule,
    check_schedule,
    scheduler_trust_policy,
    start_input,
    start_statements,
)
from gridops_infra.resilience.targets import (
    DrillPlan,
    check_alarm_arns,
    check_alarm_names,
    check_only_with,
    check_redis_zone,
    check_selection,
    plan_drills,
    stop_alarm_names_for,
)

COMPONENT = "ResilienceDrills"


class ResilienceDrills(GridopsComponent):
    """FIS experiment templates for the stack's own services, database and cache, each
    with its own least-privilege role, stopped by the SLO page alarm.

    Example: `ResilienceDrills("drills", {"targets": [api, db, cache], "observability": obs})`
    """

    TYPE = "gridops:aws:ResilienceDrills"
    CHILD_ROLES = (
        "log_group",
        "role",
        "role_policy",
        "experiment",
        *EKS_ROLES,
        "schedule_group",
        "schedule_role",
        "schedule_policy",
        "schedule",
    )

    enabled: bool
    """Whether the drills were created."""
    drills: list[str]
    """The drill keys, `<target>-<stop-task|pod-delete|failover|az-power>`."""
    experiment_template_ids: dict[str, pulumi.Output[str]]
    """FIS experiment template id per drill key (`aws fis start-experiment` takes it)."""
    role_arns: dict[str, pulumi.Output[str]]
    """The experiment role per drill key."""
    policy_documents: dict[str, pulumi.Output[str]]
    """Each experiment role's permissions policy JSON, per drill key."""
    trust_policies: dict[str, str]
    """Each experiment role's trust policy JSON, per drill key."""
    stop_alarm_arns: dict[str, list[str]]
    """The alarms stopping each drill, per drill key."""
    log_group_name: pulumi.Output[str] | None
    """The experiment log group (None without `logging`)."""
    schedule: DrillSchedule | None
    """The checked `schedule` (None without one)."""
    schedule_names: dict[str, pulumi.Output[str]]
    """EventBridge Scheduler schedule name per scheduled drill key."""
    schedule_role_arn: pulumi.Output[str] | None
    """The role EventBridge Scheduler assumes to start the experiments (None without
    `schedule`)."""

    def __init__(
        self,
        name: str,
        args: ResilienceDrillsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        a = ArgReader(COMPONENT, name, args, ResilienceDrillsArgs.__annotations__)
        enabled = a.boolean("enabled", True)
        plans = plan_drills(a, name)
        names = check_alarm_names(a)
        arns = check_alarm_arns(a)
        observability = a.instance_of("observability", (ObservabilityStack,), required=False)
        known = list(observability.alarm_names) if observability is not None else None
        alarm_names = stop_alarm_names_for(a, plans, names, arns, known)
        check_only_with(a, "redis_interruption_seconds", plans, "redis-az")
        check_only_with(a, "pod_grace_period_seconds", plans, "eks-pod-delete")
        options = DrillOptions(
            selection_mode=check_selection(a),
            redis_zone=check_redis_zone(a, plans),
            redis_seconds=a.integer("redis_interruption_seconds", 600, 60, 43200),
            pod_grace_period_seconds=a.optional_integer("pod_grace_period_seconds", 0, 3600),
        )
        schedule = check_schedule(
            f"{COMPONENT} '{name}'", a.raw("schedule"), [p.key for p in plans]
        )
        logging = a.boolean("logging", True)
        log_days = retention_days(a, "log_retention_days", 90)
        tags = a.mapping("tags")
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)

        self.enabled = enabled
        self.drills = [p.key for p in plans]
        self.experiment_template_ids = {}
        self.role_arns = {}
        self.policy_documents = {}
        self.trust_policies = {}
        self.stop_alarm_arns = {}
        self.log_group_name = None
        self.schedule = schedule
        self.schedule_names = {}
        self.schedule_role_arn = None
        if not enabled:
            # Checked, not built: no resource, not even this component, is registered.
            self._name, self._nodes = name, {}
            return

        super().__init__(name, opts, transforms=transforms, tags=tags)
        region, account = iam.region_name(), iam.account_id()
        log_group = self._log_group(log_days) if logging else None
        waits: list[pulumi.Resource] = [observability] if observability is not None else []
        for plan in plans:
            alarms = [
                f"arn:aws:cloudwatch:{region}:{account}:alarm:{n}" for n in alarm_names[plan.key]
            ] + arns
            self.stop_alarm_arns[plan.key] = alarms
            self._drill(plan, options, alarms, log_group, waits, region, account)
        if schedule is not None:
            self._schedule(schedule, region, account)
        outputs: dict[str, Any] = {
            "experiment_template_ids": self.experiment_template_ids,
            "role_arns": self.role_arns,
            "log_group_name": self.log_group_name,
        }
        if schedule is not None:  # without one, the Plan stays as it was
            outputs["schedule_names"] = self.schedule_names
        self.register_outputs(outputs)

    def _schedule(self, schedule: DrillSchedule, region: str, account: str) -> None:
        """A schedule group, the role EventBridge Scheduler assumes (trusted for this
        group only, allowed to start exactly the scheduled templates) and one schedule per
        scheduled drill."""
        stack = f"{pulumi.get_project()}-{pulumi.get_stack()}-{self.name}"
        group_name = physical_name(stack, RULES["aws:scheduler/scheduleGroup:ScheduleGroup"])
        group = self.child("schedule_group", aws.scheduler.ScheduleGroup, {"name": group_name})
        role = self.child(
            "schedule_role",
            aws.iam.Role,
            {
                "assume_role_policy": scheduler_trust_policy(account, region, group_name),
                "description": f"EventBridge Scheduler starting the drills of {self.name}",
                "max_session_duration": 3600,
            },
        )
        template_ids = [self.experiment_template_ids[key] for key in schedule.experiments]
        policy = self.child(
            "schedule_policy",
            aws.iam.RolePolicy,
            {
                "role": role.name,
                "policy": iam.policy_document(start_statements(template_ids, region, account)),
            },
        )
        self.schedule_role_arn = role.arn
        for key in schedule.experiments:
            created = self.child(
                "schedule",
                aws.scheduler.Schedule,
                {
                    "group_name": group.name,
                    "description": f"Starts the {key} drill of {self.name} (FIS)",
                    "schedule_expression": schedule.expression,
                    "schedule_expression_timezone": schedule.timezone,
                    # Drills start on time, so whoever watches the dashboards knows when.
                    "flexible_time_window": {"mode": "OFF"},
                    "state": "ENABLED",
                    "target": {
                        "arn": START_EXPERIMENT_TARGET,
                        "role_arn": role.arn,
                        "input": start_input(self.experiment_template_ids[key]),
                        # A missed drill is better than a second one started by a retry.
                        "retry_policy": {"maximum_retry_attempts": 0},
                    },
                },
                suffix=f"{key}-schedule",
                opts=pulumi.ResourceOptions(depends_on=[policy]),
            )
            self.schedule_names[key] = created.name

    def _log_group(self, days: int) -> aws.cloudwatch.LogGroup:
        stack = f"{pulumi.get_project()}-{pulumi.get_stack()}".replace(".", "-")
        group = self.child(
            "log_group",
            aws.cloudwatch.LogGroup,
            # Under /aws/vendedlogs/ CloudWatch Logs covers the delivery with one resource
            # policy for all such groups, instead of growing a policy per group.
            {"name": f"/aws/vendedlogs/fis/{stack}/{self.name}", "retention_in_days": days},
            suffix="logs",
        )
        self.log_group_name = group.name
        return group

    def _drill(
        self,
        plan: DrillPlan,
        options: DrillOptions,
        alarms: list[str],
        log_group: aws.cloudwatch.LogGroup | None,
        waits: list[pulumi.Resource],
        region: str,
        account: str,
    ) -> None:
        trust = trust_policy(region, account)
        role = self.child(
            "role",
            aws.iam.Role,
            {
                "assume_role_policy": trust,
                "description": f"FIS experiment role of drill {plan.key} ({self.name})",
                "max_session_duration": 3600,
            },
            suffix=f"{plan.key}-role",
        )
        statements = drill_statements(plan, region, account)
        if log_group is not None:
            statements.append(logging_statement())
        document = iam.policy_document(statements)
        policy = self.child(
            "role_policy",
            aws.iam.RolePolicy,
            {"role": role.name, "policy": document},
            suffix=f"{plan.key}-policy",
        )
        ready: list[pulumi.Resource] = [policy, *waits]
        service_account = None
        if plan.kind == "eks-pod-delete":
            from gridops_infra.resilience.eks import pod_delete_access  # loads pulumi_kubernetes

            access = pod_delete_access(self, plan, role.arn)
            service_account = access.service_account
            ready += access.ready
        parts = experiment_parts(plan, options, service_account)
        guard = "; stops on " + ", ".join(arn.rsplit(":alarm:", 1)[-1] for arn in alarms)
        args: dict[str, Any] = {
            "description": (parts.description + guard)[:512],
            "role_arn": role.arn,
            "stop_conditions": [{"source": "aws:cloudwatch:alarm", "value": a} for a in alarms],
            "targets": [parts.target],
            "actions": [parts.action],
            "experiment_options": {
                "account_targeting": "single-account",
                "empty_target_resolution_mode": "fail",
            },
            "tags": {"Name": f"{self.name}-{plan.key}"},
        }
        if log_group is not None:
            args["log_configuration"] = {
                "log_schema_version": 2,
                "cloudwatch_logs_configuration": {
                    "log_group_arn": pulumi.Output.concat(log_group.arn, ":*")
                },
            }
        template = self.child(
            "experiment",
            aws.fis.ExperimentTemplate,
            args,
            suffix=plan.key,
            opts=pulumi.ResourceOptions(depends_on=ready),
        )
        self.experiment_template_ids[plan.key] = template.id
        self.role_arns[plan.key] = role.arn
        self.policy_documents[plan.key] = document
        self.trust_policies[plan.key] = trust


__all__ = ["ResilienceDrills", "ResilienceDrillsArgs"]
