"""StatelessServiceArgs: the arguments users write, with each field's default and an example."""

from __future__ import annotations

from gridops_infra.core.component import Transform
from gridops_infra.platforms.base import Platform
from gridops_infra.service.spec.args import ServiceSpecArgs


class StatelessServiceArgs(ServiceSpecArgs, total=False):
    platform: Platform
    """Where the service runs: a FargateCluster today; EksCluster or SingleServer take the
    same spec. Changing it moves the service (new resources).

    Required.
    Example: ``cluster  # a FargateCluster, EksCluster or SingleServer``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "shop"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (the platform backend's `CHILD_ROLES`, e.g.
    `task_definition`, `service`, `target_group` on Fargate).

    Default: none.
    Example: ``{"log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""
