"""Small readers shared by the rules that enforce AWS's create-time limits."""

from __future__ import annotations

import re
from typing import Any

from gridops_infra.policy._props import UNKNOWN, peek

ARN_REGION = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):")


def arn_region(arn: Any) -> str | None:
    """The region field of an ARN, None when the value is not a known ARN."""
    match = ARN_REGION.match(arn) if isinstance(arn, str) else None
    return match.group(1) if match else None


def resource_region(resource: Any) -> str | None:
    """Where a stack resource is created: its provider's region when the runner knows the
    provider (pulumi-policy does), else the region field of its ARN."""
    provider = getattr(resource, "provider", None)
    region = peek(getattr(provider, "props", None), "region") if provider is not None else None
    if isinstance(region, str) and region:
        return region
    return arn_region(peek(resource.props, "arn"))


def policy_characters(document: Any) -> int | None:
    """How IAM measures a policy: its characters, white space not counted. None when the
    document is not known (yet)."""
    if not isinstance(document, str) or document is UNKNOWN:
        return None
    return sum(1 for c in document if not c.isspace())


def generated_name(resource: Any) -> tuple[str, int] | None:
    """(shown name, length AWS sees) of a resource's physical name: its `name`, else its
    `namePrefix` plus the 26 characters the provider appends, else None (unknown)."""
    name = peek(resource.props, "name")
    if isinstance(name, str) and name:
        return name, len(name)
    prefix = peek(resource.props, "namePrefix")
    if isinstance(prefix, str) and prefix:
        return f"{prefix}<26 characters>", len(prefix) + 26
    return None
