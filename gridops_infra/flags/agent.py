"""How a service reads its flags: the AWS AppConfig Agent next to it on localhost:2772,
and the least-privilege grant the agent needs on the workload's role.

On a single server the agent is a compose service of its own next to the app's, and
`GRIDOPS_FLAGS_URL` names that service instead of localhost (`LinkSidecar.endpoints`).

The agent polls AppConfig's data plane (StartConfigurationSession once, then
GetLatestConfiguration every POLL_INTERVAL seconds) and serves the latest deployed flags
at `GRIDOPS_FLAGS_URL`; a flag change reaches running tasks this way, with no redeploy.
"""

from __future__ import annotations

from typing import Any

import pulumi

from gridops_infra.core import iam
from gridops_infra.core.links import LinkSidecar

# AWS documents the agent's image by its major-version tag (the ECS integration page gives
# public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.x); 2.x only takes compatible updates.
AGENT_IMAGE = "public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.x"
AGENT_CONTAINER = "appconfig-agent"
AGENT_PORT = 2772
POLL_INTERVAL_SECONDS = 45
"""The agent's default poll interval, set explicitly: the cost estimate counts on it."""
URL_VARIABLE = "GRIDOPS_FLAGS_URL"
AGENT_USER = "1000"


def configuration_path(application: str, environment: str, profile: str) -> str:
    return f"/applications/{application}/environments/{environment}/configurations/{profile}"


def flags_url(application: str, environment: str, profile: str, host: str = "localhost") -> str:
    """Where the app reads its flags (names, not ids: known before anything exists), from
    the agent on `host` (`localhost` in a task or pod, its compose service on one host)."""
    return f"http://{host}:{AGENT_PORT}{configuration_path(application, environment, profile)}"


def agent_sidecar(application: str, environment: str, profile: str, region: str) -> LinkSidecar:
    """The agent container. Essential, as AWS's ECS integration recommends: a task whose
    agent died would keep serving stale flags unnoticed; ECS replaces it instead."""
    return LinkSidecar(
        name=AGENT_CONTAINER,
        image=AGENT_IMAGE,
        port=AGENT_PORT,
        environment={
            "SERVICE_REGION": region,
            "POLL_INTERVAL": str(POLL_INTERVAL_SECONDS),
            # Fetched at start, so the app's first read does not wait for AppConfig.
            "PREFETCH_LIST": configuration_path(application, environment, profile),
        },
        essential=True,
        # It listens above 1024 and writes only its /tmp scratch: no root needed.
        user=AGENT_USER,
        endpoints={URL_VARIABLE: lambda host: flags_url(application, environment, profile, host)},
    )


def configuration_arn(
    region: str,
    account: str,
    application_id: pulumi.Input[str],
    environment_id: pulumi.Input[str],
    profile_id: pulumi.Input[str],
) -> pulumi.Output[str]:
    """The `configuration` resource AppConfig's data-plane actions authorize against."""
    return pulumi.Output.concat(
        f"arn:aws:appconfig:{region}:{account}:application/",
        application_id,
        "/environment/",
        environment_id,
        "/configuration/",
        profile_id,
    )


def read_statements(configuration: pulumi.Input[str]) -> list[dict[str, Any]]:
    """Start a session on, and read, exactly this application/environment/profile."""
    return [
        iam.statement(
            ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
            [configuration],
            sid="ReadFeatureFlags",
        )
    ]


def alarm_statements(alarm_arns: list[pulumi.Input[str]]) -> list[dict[str, Any]]:
    """What AppConfig does with the alarm role: read the state of exactly these alarms."""
    return [iam.statement(["cloudwatch:DescribeAlarms"], alarm_arns, sid="ReadMonitors")]


__all__ = [
    "AGENT_CONTAINER",
    "AGENT_IMAGE",
    "AGENT_PORT",
    "URL_VARIABLE",
    "agent_sidecar",
    "alarm_statements",
    "configuration_arn",
    "flags_url",
    "read_statements",
]
