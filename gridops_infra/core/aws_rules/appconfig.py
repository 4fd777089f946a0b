"""AWS AppConfig: what the feature-flag schema, CreateEnvironment and
CreateDeploymentStrategy refuse for what FeatureFlags builds."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS AppConfig"
FEATURE_FLAGS_TYPE = "https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-type-reference-feature-flags.html"
API = "https://docs.aws.amazon.com/appconfig/2019-10-09/APIReference"

FLAG_KEY = aws_rule(
    id="appconfig-flag-key",
    service=SERVICE,
    rule="A feature flag's key and each of its attributes' keys match ^[a-z][a-zA-Z\\d_-]{0,63}$ "
    "(a lowercase letter, then up to 63 letters, digits, underscores or hyphens) in the "
    "AWS.AppConfig.FeatureFlags schema.",
    source=FEATURE_FLAGS_TYPE,
    fix="Name flags and attributes like 'newCheckout' or 'max-items': start with a lowercase "
    "letter, at most 64 characters, no dots or spaces.",
)

FLAG_ATTRIBUTES = aws_rule(
    id="appconfig-flag-attributes",
    service=SERVICE,
    rule="A feature flag has at most 25 attributes in the AWS.AppConfig.FeatureFlags schema, "
    "and each attribute value must satisfy its attribute's type and constraints.",
    source=FEATURE_FLAGS_TYPE,
    fix="Keep at most 25 attributes per flag and give each a value of its type (string, "
    "number, boolean) within its constraints (pattern/enum, minimum/maximum).",
)

ENVIRONMENT_MONITORS = aws_rule(
    id="appconfig-environment-monitors",
    service=SERVICE,
    rule="An environment has at most 5 monitors (CloudWatch alarms AppConfig watches during a "
    "deployment).",
    source=f"{API}/API_CreateEnvironment.html",
    fix="Watch at most 5 alarms: the service's 5xx alarm and its SLO composite alarm, or one "
    "composite alarm over several.",
)

STRATEGY_RANGES = aws_rule(
    id="appconfig-strategy-ranges",
    service=SERVICE,
    rule="A deployment strategy's DeploymentDurationInMinutes and FinalBakeTimeInMinutes are "
    "0..1440, its GrowthFactor 1..100 (percent of targets per interval), its GrowthType "
    "LINEAR or EXPONENTIAL.",
    source=f"{API}/API_CreateDeploymentStrategy.html",
    fix="Keep strategy.deployment_minutes and strategy.final_bake_minutes within 0..1440 (24 "
    "hours) and strategy.growth_factor within 1..100.",
)

NAME_LENGTH = aws_rule(
    id="appconfig-name-length",
    service=SERVICE,
    rule="An application's, environment's and deployment strategy's name has 1 to 64 "
    "characters; a configuration profile's 1 to 128.",
    source=f"{API}/API_CreateApplication.html",
    fix="Give the FeatureFlags component a shorter name (the names are <project>-<stack>-<name>).",
)

__all__ = [
    "ENVIRONMENT_MONITORS",
    "FLAG_ATTRIBUTES",
    "FLAG_KEY",
    "NAME_LENGTH",
    "STRATEGY_RANGES",
]
