"""Reading resource properties the way pulumi-policy hands them to a rule.

Props are Mappings with camelCase keys (the engine's inputs; for stack rules, the state).
pulumi-policy wraps them in proxies that raise `UnknownValueError` when a rule touches a
value not known during preview; the offline runner builds the same proxies, so a rule reads
props identically under both runners. Use `get` for values a rule needs (an unknown one
stops the rule, which both runners report as "could not check"), and `peek` where an unknown
value must not stop the rule (matching resources to each other in stack rules).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from gridops_infra.core.values import as_number


class _Unknown:
    """A value that exists but is not known until deploy (returned by `peek`)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def get(value: Any, *path: str | int, default: Any = None) -> Any:
    """The value at `path` (keys and list indexes), or `default` when absent or None."""
    current = value
    for key in path:
        if isinstance(key, int):
            if not is_list(current) or not -len(current) <= key < len(current):
                return default
            current = current[key]
        else:
            if not isinstance(current, Mapping) or key not in current:
                return default
            current = current[key]
        if current is None:
            return default
    return current


def peek(value: Any, *path: str | int) -> Any:
    """Like `get`, but a value unknown during preview gives UNKNOWN instead of raising."""
    try:
        return get(value, *path)
    except UnknownValueError:
        return UNKNOWN


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def as_list(value: Any) -> list[Any]:
    """None -> [], a list -> itself, a single object -> [object] (v7 turned some lists into
    single nested objects, e.g. EKS encryptionConfig)."""
    if value is None:
        return []
    if is_list(value):
        return list(value)
    return [value]


def number(value: Any) -> float | None:
    return as_number(value)


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def plain(value: Any) -> Any:
    """Proxies -> plain dicts and lists (to serialise or parse them)."""
    if isinstance(value, Mapping):
        return {str(k): plain(value[k]) for k in value}
    if is_list(value):
        return [plain(v) for v in value]
    return value


def parse_json(value: Any) -> Any:
    """A JSON document given as a string (how Pulumi passes policies and container
    definitions) or already as data; None when it is absent or not valid JSON."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    if isinstance(value, Mapping) or is_list(value):
        return plain(value)
    return None


# --- stack rules: finding resources and what refers to what -------------------------------


def of_type(resources: Iterable[Any], types: str | Iterable[str]) -> list[Any]:
    wanted = {types} if isinstance(types, str) else set(types)
    return [r for r in resources if r.resource_type in wanted]


def depends_on(resource: Any, prop: str, target: Any) -> bool:
    """Whether `resource`'s input `prop` was computed from `target` (Pulumi records this as
    a property dependency, also during preview when the value itself is unknown)."""
    deps = getattr(resource, "property_dependencies", None) or {}
    return any(getattr(d, "urn", None) == target.urn for d in deps.get(prop, []) or [])


def known_strings(resource: Any, *keys: str) -> set[str]:
    """The known, non-empty string values of `keys` in `resource.props`."""
    out: set[str] = set()
    for key in keys:
        value = peek(resource.props, key)
        if isinstance(value, str) and value:
            out.add(value)
    return out


def refers_to(
    resource: Any, prop: str, target: Any, *target_keys: str, path: tuple[str | int, ...] = ()
) -> bool:
    """Whether `resource.props[prop]` (or the value at `path` inside it) points at `target`:
    by property dependency, or by value equal to one of the target's identifying props
    (`target_keys`, e.g. "bucket", "arn")."""
    if depends_on(resource, prop, target):
        return True
    value = peek(resource.props, prop, *path)
    return isinstance(value, str) and value in known_strings(target, *target_keys)
