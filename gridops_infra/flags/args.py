"""FeatureFlagsArgs and its nested parts: the arguments users write, each field with its
default and an example."""

from __future__ import annotations

from typing import TypedDict

from gridops_infra.core.component import Transform


class FlagAttributeArgs(TypedDict, total=False):
    value: str | int | float | bool
    """The attribute's value; its type (string, number, boolean) is the attribute's type.

    Required.
    Example: ``25``"""
    description: str
    """What the attribute controls.

    Default: none.
    Example: ``"Items shown per page"``"""
    pattern: str
    """Strings only: a regular expression every value must match (AppConfig checks it).

    Default: none.
    Example: ``"^[a-z]+$"``"""
    enum: list[str | int | float]
    """Strings or numbers: the only values allowed.

    Default: none.
    Example: ``["blue", "green"]``"""
    minimum: float
    """Numbers only: the smallest value allowed.

    Default: none.
    Example: ``1``"""
    maximum: float
    """Numbers only: the largest value allowed.

    Default: none.
    Example: ``100``"""


class FlagArgs(TypedDict, total=False):
    enabled: bool
    """Whether the flag is on.

    Default: `False`.
    Example: ``True``"""
    description: str
    """What the flag turns on (shown in the AppConfig console).

    Default: none.
    Example: ``"The new checkout flow"``"""
    attributes: dict[str, FlagAttributeArgs]
    """Values that go with the flag (a page size, a variant), by key: a lowercase letter,
    then up to 63 letters, digits, `_` or `-`; at most 25.

    Default: none.
    Example: ``{"page-size": {"value": 25, "minimum": 1, "maximum": 100}}``"""


class StrategyArgs(TypedDict, total=False):
    growth_type: str
    """How the share of targets getting the new flags grows: `"linear"` (growth_factor
    percent more each interval) or `"exponential"`.

    Default: `"linear"`.
    Example: ``"exponential"``"""
    growth_factor: float
    """Percent of targets per interval, 1..100.

    Default: `20`.
    Example: ``10``"""
    deployment_minutes: int
    """Minutes from the first target to all of them, 0..1440; the monitors are watched
    throughout.

    Default: `10`.
    Example: ``30``"""
    final_bake_minutes: int
    """Minutes AppConfig keeps watching the monitors after every target has the new flags,
    0..1440; an alarm in that time rolls the flags back.

    Default: `10`.
    Example: ``15``"""


class FeatureFlagsArgs(TypedDict, total=False):
    flags: dict[str, FlagArgs]
    """The flags, by key: a lowercase letter, then up to 63 letters, digits, `_` or `-`.
    Changing them deploys a new configuration version through the strategy: no service
    redeploy.

    Required.
    Example: ``{"new-checkout": {"enabled": False}}``"""
    strategy: StrategyArgs
    """How a flag change rolls out and how long it is watched.

    Default: linear, 20% per interval over 10 minutes, 10 minutes of final bake.
    Example: ``{"growth_factor": 25, "deployment_minutes": 20, "final_bake_minutes": 15}``"""
    environment: str
    """The AppConfig environment name the service reads from (1..64 letters, digits, `_`,
    `-`, `.`).

    Default: `"production"`.
    Example: ``"staging"``"""
    alarm_arns: list[str]
    """More CloudWatch alarms (metric or composite) that roll a flag change back, next to
    the linked service's 5xx and SLO alarms; at most 3 (AppConfig watches 5 per
    environment). On EKS and on a SingleServer the service has no deployment alarm of its
    own, so these are the only monitors there.

    Default: none.
    Example: ``["arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors"]``"""
    tags: dict[str, str]
    """Tags.

    Default: none.
    Example: ``{"team": "shop"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: application, configuration_profile, configuration_version,
    deployment_strategy, environment, deployment, alarm_role, alarm_role_policy,
    read_policy (see docs/transforms.md).

    Default: none.
    Example: ``{"deployment_strategy": {"description": "slow"}}``"""


__all__ = ["FeatureFlagsArgs", "FlagArgs", "FlagAttributeArgs", "StrategyArgs"]
