"""AppConfig: a flag or configuration change is rolled back automatically only when its
environment watches alarms, and only while AppConfig is still watching: during the
deployment and its final bake (FeatureFlags sets both; these rules judge raw resources and
transforms too)."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import as_list, number, of_type, peek, refers_to
from gridops_infra.policy.rule import ADVISORY, ReportViolation, stack_rule

DEPLOYMENT = "aws:appconfig/deployment:Deployment"
ENVIRONMENT = "aws:appconfig/environment:Environment"
STRATEGY = "aws:appconfig/deploymentStrategy:DeploymentStrategy"


def _target(deployment: Any, resources: list[Any], type_: str, prop: str, *keys: str) -> Any:
    return next(
        (r for r in of_type(resources, type_) if refers_to(deployment, prop, r, *keys)), None
    )


@stack_rule(
    name="appconfig-deployment-monitored",
    description="Every AppConfig deployment goes to an environment that watches at least one "
    "CloudWatch alarm, so a bad change rolls itself back.",
    severity=ADVISORY,
    remediation="Link the FeatureFlags from a StatelessService on Fargate (its 5xx alarm "
    "watches), or give it alarm_arns; on raw resources set the Environment's monitors.",
    types=(DEPLOYMENT, ENVIRONMENT),
)
def deployment_monitored(args: Any, report: ReportViolation) -> None:
    for deployment in of_type(args.resources, DEPLOYMENT):
        environment = _target(
            deployment, args.resources, ENVIRONMENT, "environmentId", "environmentId"
        )
        if environment is not None and not as_list(peek(environment.props, "monitors")):
            report(
                f"deployment {deployment.name!r} goes to environment {environment.name!r}, "
                "which watches no alarm: a change that breaks the service stays deployed "
                "until someone notices.",
                deployment.urn,
            )


@stack_rule(
    name="appconfig-final-bake",
    description="An AppConfig deployment to an environment with monitors uses a strategy with "
    "a final bake time, so the alarms still act after the last targets got the change.",
    severity=ADVISORY,
    remediation="Give the FeatureFlags strategy final_bake_minutes >= 1 (the default is 10); "
    "an alarm that needs a few minutes of bad data fires after an all-at-once rollout ended.",
    types=(DEPLOYMENT, ENVIRONMENT, STRATEGY),
)
def final_bake(args: Any, report: ReportViolation) -> None:
    for deployment in of_type(args.resources, DEPLOYMENT):
        environment = _target(
            deployment, args.resources, ENVIRONMENT, "environmentId", "environmentId"
        )
        strategy = _target(deployment, args.resources, STRATEGY, "deploymentStrategyId", "id")
        if environment is None or strategy is None:
            continue
        if not as_list(peek(environment.props, "monitors")):
            continue  # appconfig-deployment-monitored says so
        bake = number(peek(strategy.props, "finalBakeTimeInMinutes"))
        if bake is not None and bake <= 0:
            report(
                f"deployment {deployment.name!r} uses strategy {strategy.name!r} with no final "
                f"bake: the monitors of {environment.name!r} stop counting when the last "
                "targets get the change, before its errors can raise an alarm.",
                deployment.urn,
            )
