"""The child roles a component's `transforms` accepts (`CHILD_ROLES`), by platform when
they depend on it. What each child is for is in `role_purposes.py`."""

from __future__ import annotations

import inspect

from gridops_infra.core.args_help import args_typed_dict
from gridops_infra.core.lazy import EveryBackendsRoles

EVERY_PLATFORM = ""
"""The key of `transform_roles` when a component's roles do not depend on its platform."""


def takes_transforms(component: type) -> bool:
    """Whether the component's Args TypedDict has a `transforms` field."""
    typed_dict = args_typed_dict(component.__init__)
    return typed_dict is not None and "transforms" in typed_dict.__annotations__


def transform_roles(component: type) -> dict[str, tuple[str, ...]]:
    """Platform kind -> the roles `transforms` accepts there, or `{EVERY_PLATFORM: roles}`
    when they do not depend on the platform; empty when the component takes no
    `transforms`. Reading a platform-dependent component's roles loads every backend."""
    if not takes_transforms(component):
        return {}
    roles = inspect.getattr_static(component, "CHILD_ROLES")
    if isinstance(roles, EveryBackendsRoles):
        return roles.by_backend()
    return {EVERY_PLATFORM: tuple(roles)}


__all__ = ["EVERY_PLATFORM", "takes_transforms", "transform_roles"]
