"""FeatureFlags: feature flags on AWS AppConfig, rolled out gradually and rolled back by
the linked service's own alarms.

Registered at once: the AppConfig application, a configuration profile of type
`AWS.AppConfig.FeatureFlags`, the flags as a hosted configuration version (checked against
the schema's rules first, `flags/document.py`) and the deployment strategy.

Linking it from a StatelessService (`links=[flags]`) gives the service the AppConfig Agent
as a sidecar (in the task or pod; a compose service of its own on a SingleServer) and
`GRIDOPS_FLAGS_URL` pointing at it. Once the service's role and 5xx alarm
exist, the service attaches itself (`LinkConsumer`): the flags get an environment whose
monitors are that 5xx alarm and the service's SLO alarm (with `slo_rollback`), a role
AppConfig assumes to read exactly those alarms, the deployment of the current version, and
a policy on the service's role to read exactly this configuration. A flag change is a new
configuration version and a new deployment: the task definition does not change.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules.appconfig import ENVIRONMENT_MONITORS, NAME_LENGTH
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.links import LinkConsumer, LinkGrant
from gridops_infra.core.validation import ArgError, ArgReader, check_name
from gridops_infra.flags import agent
from gridops_infra.flags.args import FeatureFlagsArgs
from gridops_infra.flags.document import Flag, flags_document, read_flags
from gridops_infra.flags.strategy import Strategy, read_strategy

COMPONENT = "FeatureFlags"
PROFILE_TYPE = "AWS.AppConfig.FeatureFlags"
PROFILE_NAME = "flags"
MAX_NAME = 64
MAX_MONITORS = 5
SERVICE_MONITORS = 2
"""What a linked service contributes: its 5xx alarm and its SLO composite alarm."""
ENVIRONMENT_NAME = r"[A-Za-z0-9_.-]{1,64}"
ALARM_ARN = r"arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:[^\s]{1,255}"


class FeatureFlags(GridopsComponent):
    """Feature flags on AWS AppConfig: gradual rollout, automatic rollback on the linked
    service's alarms, read through the AppConfig Agent sidecar.

    Example: `FeatureFlags("flags", {"flags": {"new-checkout": {"enabled": False}}})`, then
    `StatelessService("api", {..., "links": [flags]})`.
    """

    TYPE = "gridops:aws:FeatureFlags"
    CHILD_ROLES = (
        "application",
        "configuration_profile",
        "configuration_version",
        "deployment_strategy",
        "alarm_role",
        "alarm_role_policy",
        "environment",
        "deployment",
        "read_policy",
    )

    flags: tuple[Flag, ...]
    """The validated flags."""
    strategy: Strategy
    """How a change rolls out and how long it is watched."""
    document: dict
    """The AWS.AppConfig.FeatureFlags document stored as the current version."""
    application_name: str
    environment_name: str
    profile_name: str
    url: str
    """Where a linked service reads the flags (`GRIDOPS_FLAGS_URL`) in a task or pod; on a
    SingleServer the host is the agent's compose service instead of localhost."""
    application_id: pulumi.Output[str]
    configuration_profile_id: pulumi.Output[str]
    version_number: pulumi.Output[int]
    environment: aws.appconfig.Environment | None
    """Created when a service attaches (its alarms are the monitors)."""
    deployment: aws.appconfig.Deployment | None

    def __init__(
        self,
        name: str,
        args: FeatureFlagsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        where = f"{COMPONENT} '{name}'"
        a = ArgReader(COMPONENT, name, args, FeatureFlagsArgs.__annotations__)
        flags = read_flags(a)
        strategy = read_strategy(a)
        environment = a.string(
            "environment", "production", ENVIRONMENT_NAME, "expected 1..64 letters, digits, _ - ."
        )
        alarm_arns = a.string_list("alarm_arns")
        for arn in alarm_arns:
            if not re.fullmatch(ALARM_ARN, arn):
                raise a.fail(
                    "alarm_arns", arn, "expected CloudWatch alarm ARNs (metric or composite)"
                )
        if len(alarm_arns) > MAX_MONITORS - SERVICE_MONITORS:
            raise ENVIRONMENT_MONITORS.refuse(
                where,
                "alarm_arns",
                f"{len(alarm_arns)} alarms, and the linked service adds its 5xx and SLO alarms",
                f"give at most {MAX_MONITORS - SERVICE_MONITORS} alarm_arns, or one composite "
                "alarm over several",
            )
        application = f"{pulumi.get_project()}-{pulumi.get_stack()}-{name}"
        strategy_name = f"{application}-rollout"
        if len(strategy_name) > MAX_NAME:
            raise NAME_LENGTH.refuse(
                where,
                "name",
                f"the deployment strategy would be named {strategy_name!r} "
                f"({len(strategy_name)} characters)",
            )
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))

        self.flags, self.strategy = flags, strategy
        self.document = flags_document(flags)
        self.application_name = application
        self.environment_name = environment
        self.profile_name = PROFILE_NAME
        self.url = agent.flags_url(application, environment, PROFILE_NAME)
        self._extra_alarms = list(alarm_arns)
        self._region, self._account = iam.region_name(), iam.account_id()
        self._consumer: str | None = None
        self.environment = self.deployment = None

        app = self.child(
            "application",
            aws.appconfig.Application,
            {"name": application, "description": f"Feature flags {name}"},
        )
        profile = self.child(
            "configuration_profile",
            aws.appconfig.ConfigurationProfile,
            {
                "application_id": app.id,
                "name": PROFILE_NAME,
                "location_uri": "hosted",
                "type": PROFILE_TYPE,
            },
        )
        version = self.child(
            "configuration_version",
            aws.appconfig.HostedConfigurationVersion,
            {
                "application_id": app.id,
                "configuration_profile_id": profile.configuration_profile_id,
                "content": json.dumps(self.document, sort_keys=True),
                "content_type": "application/json",
                "description": f"Flags of {name}",
            },
        )
        rollout = self.child(
            "deployment_strategy",
            aws.appconfig.DeploymentStrategy,
            {
                "name": strategy_name,
                "growth_type": strategy.growth_type,
                "growth_factor": strategy.growth_factor,
                "deployment_duration_in_minutes": strategy.deployment_minutes,
                "final_bake_time_in_minutes": strategy.final_bake_minutes,
                "replicate_to": "NONE",
            },
        )
        self._app, self._profile, self._hosted_version, self._rollout = (
            app,
            profile,
            version,
            rollout,
        )
        self.application_id = app.id
        self.configuration_profile_id = profile.configuration_profile_id
        self.version_number = version.version_number
        self.register_outputs(
            {
                "application_id": app.id,
                "configuration_profile_id": profile.configuration_profile_id,
                "version_number": version.version_number,
                "url": self.url,
            }
        )

    def link_grant(self) -> LinkGrant:
        """For the service that links the flags: the agent sidecar, `GRIDOPS_FLAGS_URL`, and
        (once it attaches) the environment, deployment and read grant. One service per
        FeatureFlags: the environment is judged by that service's alarms."""
        if self._consumer is not None:
            raise ArgError(
                f"{COMPONENT} '{self.name}': links={self.name!r} is not allowed a second time; "
                "its AppConfig environment is watched by the alarms of the one service that "
                "links it. Create one FeatureFlags per service"
            )
        self._consumer = "linked"
        return LinkGrant(
            environment={agent.URL_VARIABLE: self.url},
            sidecars=[
                agent.agent_sidecar(
                    self.application_name, self.environment_name, self.profile_name, self._region
                )
            ],
            attach=[self._attach],
        )

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        """Nothing to open: the agent runs inside the consumer and calls AppConfig's API."""
        return None

    def _attach(self, consumer: LinkConsumer) -> list[pulumi.Resource]:
        self._consumer = consumer.name
        monitors = [*consumer.alarm_arns, *self._extra_alarms]
        if len(monitors) > MAX_MONITORS:  # guarded by the alarm_arns check above
            raise AssertionError(f"{len(monitors)} monitors exceed AppConfig's {MAX_MONITORS}")
        environment_args: dict[str, Any] = {
            "application_id": self._app.id,
            "name": self.environment_name,
            "description": f"{consumer.name}: rolled back by its alarms",
        }
        after: list[pulumi.Resource] = []
        if monitors:
            alarm_role, alarm_policy = self._alarm_role(monitors)
            environment_args["monitors"] = [
                {"alarm_arn": arn, "alarm_role_arn": alarm_role.arn} for arn in monitors
            ]
            after = [alarm_policy]
        environment = self.child(
            "environment",
            aws.appconfig.Environment,
            environment_args,
            opts=pulumi.ResourceOptions(depends_on=after),
        )
        self.environment = environment
        return self._deploy(consumer, environment)

    def _alarm_role(
        self, monitors: list[pulumi.Input[str]]
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        """The role AppConfig assumes to read the monitors, and its policy (which the
        environment waits for)."""
        alarm_role = self.child(
            "alarm_role",
            aws.iam.Role,
            {
                "assume_role_policy": iam.assume_role_policy(
                    "appconfig.amazonaws.com", source_account=self._account
                ),
                "description": f"AppConfig reads the alarms that roll back {self.name}'s flags",
            },
        )
        alarm_policy = self.child(
            "alarm_role_policy",
            aws.iam.RolePolicy,
            {
                "role": alarm_role.name,
                "policy": iam.policy_document(agent.alarm_statements(monitors)),
            },
        )
        return alarm_role, alarm_policy

    def _deploy(
        self, consumer: LinkConsumer, environment: aws.appconfig.Environment
    ) -> list[pulumi.Resource]:
        """The deployment of the current version, and the consumer's grant to read it."""
        self.deployment = self.child(
            "deployment",
            aws.appconfig.Deployment,
            {
                "application_id": self._app.id,
                "environment_id": environment.environment_id,
                "configuration_profile_id": self._profile.configuration_profile_id,
                "configuration_version": self._hosted_version.version_number.apply(str),
                "deployment_strategy_id": self._rollout.id,
                "description": f"Flags of {self.name} to {consumer.name}",
            },
        )
        configuration = agent.configuration_arn(
            self._region,
            self._account,
            self._app.id,
            environment.environment_id,
            self._profile.configuration_profile_id,
        )
        read_policy = self.child(
            "read_policy",
            aws.iam.RolePolicy,
            {
                "role": consumer.role_name,
                "name": f"read-flags-{self.name}",
                "policy": iam.policy_document(agent.read_statements(configuration)),
            },
            suffix=f"read-{consumer.name}",
        )
        return [read_policy]


__all__ = ["FeatureFlags", "FeatureFlagsArgs"]
