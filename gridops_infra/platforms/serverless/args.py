"""LambdaPlatform's arguments, documented once."""

from __future__ import annotations

from typing import TypedDict

from gridops_infra.core.component import Transform
from gridops_infra.network.component import Network


class LambdaPlatformArgs(TypedDict, total=False):
    network: Network
    """The Network whose private subnets the functions attach to (their own security
    group, admitted by the linked databases and caches as a container worker's is). What
    the functions' code calls beyond the VPC (Secrets Manager for `secrets`, other queues)
    goes through the network's NAT or its VPC endpoints.

    Required.
    Example: ``network  # a Network``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `LambdaPlatform.CHILD_ROLES`).

    Default: none.
    Example: ``{"alarm_topic": {"display_name": "jobs alarms"}}``"""


__all__ = ["LambdaPlatformArgs"]
