"""A Plan rebuilt from the resources a stack rule sees, so a rule can run the analyzers that
work on a Plan (the cost estimate) under both runners: the offline one and pulumi-policy's
real pack, which hands a stack rule the same PolicyResource objects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from gridops_infra.policy._props import is_list
from gridops_infra.testing.plan import UNKNOWN, Plan, ResourceRecord

COMPONENT_PREFIXES = ("gridops:", "pulumi:pulumi:")


def _plain(value: Any) -> Any:
    """Proxies -> plain data, with values unknown during preview as the Plan's UNKNOWN."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in value:
            try:
                out[str(key)] = _plain(value[key])
            except UnknownValueError:
                out[str(key)] = UNKNOWN
        return out
    if is_list(value):
        items = []
        for i in range(len(value)):
            try:
                items.append(_plain(value[i]))
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return value


def plan_from_stack(resources: Iterable[Any], project: str = "", stack: str = "") -> Plan:
    """The stack's resources as a Plan: each resource's state as both inputs and outputs."""
    records = []
    for r in resources:
        props = _plain(r.props)
        parent = getattr(getattr(r, "parent", None), "urn", None)
        custom = not r.resource_type.startswith(COMPONENT_PREFIXES)
        records.append(
            ResourceRecord(
                type=r.resource_type,
                name=r.name,
                urn=r.urn,
                parent=parent,
                custom=custom,
                inputs=props,
                outputs=props,
                dependencies=[d.urn for d in getattr(r, "dependencies", None) or []],
                # Pricers find what a resource points at by these (a replica's source).
                property_dependencies={
                    prop: [d.urn for d in deps or []]
                    for prop, deps in (getattr(r, "property_dependencies", None) or {}).items()
                },
            )
        )
    return Plan(project=project, stack=stack, resources=records, outputs={}, stack_urn="")
