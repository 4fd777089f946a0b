"""The flags as an AWS.AppConfig.FeatureFlags document, read and checked before anything is
registered: flag and attribute keys, at most 25 attributes per flag, each value of its
attribute's type and within its constraints (the checks AppConfig runs when it stores a
hosted configuration version of that type).

`flags_document(flags)` is pure, so tests check the JSON directly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from gridops_infra.core.aws_rules.appconfig import FLAG_ATTRIBUTES, FLAG_KEY
from gridops_infra.core.validation import ArgReader
from gridops_infra.flags.args import FlagArgs, FlagAttributeArgs
from gridops_infra.service.spec.parts import NestedReader

KEY = re.compile(r"[a-z][a-zA-Z\d_-]{0,63}")
MAX_ATTRIBUTES = 25
SCHEMA_VERSION = "1"
# Keys the document itself uses next to attribute values (`enabled`) or reserves (`_`).
RESERVED_ATTRIBUTES = ("enabled",)


@dataclass(frozen=True)
class Attribute:
    key: str
    value: str | float | bool
    kind: str  # "string" | "number" | "boolean"
    description: str | None
    constraints: dict[str, Any]


@dataclass(frozen=True)
class Flag:
    key: str
    enabled: bool
    description: str | None
    attributes: tuple[Attribute, ...]


def read_flags(a: ArgReader) -> tuple[Flag, ...]:
    where = f"{a.component} '{a.name}'"
    raw = a.mapping("flags")
    if not raw:
        raise a.fail("flags", raw or None, "give at least one flag, e.g. {'new-checkout': {}}")
    flags = []
    for key in raw:
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise FLAG_KEY.refuse(where, "flags", f"the flag key {key!r} does not match")
        f = NestedReader(a, f"flags[{key!r}]", raw[key], FlagArgs.__annotations__)
        attributes = _read_attributes(a, f, where, key)
        flags.append(
            Flag(
                key=key,
                enabled=f.boolean("enabled", False),
                description=f.optional_string("description", r"[^\n]*"),
                attributes=attributes,
            )
        )
    return tuple(flags)


def _read_attributes(a: ArgReader, f: ArgReader, where: str, flag: str) -> tuple[Attribute, ...]:
    raw = f.mapping("attributes")
    field = f"flags[{flag!r}].attributes"
    if len(raw) > MAX_ATTRIBUTES:
        raise FLAG_ATTRIBUTES.refuse(where, field, f"the flag has {len(raw)} attributes")
    out = []
    for key in raw:
        if not isinstance(key, str) or not KEY.fullmatch(key) or key in RESERVED_ATTRIBUTES:
            raise FLAG_KEY.refuse(
                where,
                field,
                f"the attribute key {key!r} does not match"
                + (
                    " (and 'enabled' is the flag's own value)" if key in RESERVED_ATTRIBUTES else ""
                ),
            )
        r = NestedReader(a, f"{field}[{key!r}]", raw[key], FlagAttributeArgs.__annotations__)
        out.append(_attribute(r, where, f"{field}[{key!r}]", key))
    return tuple(out)


def _kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float) and math.isfinite(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _attribute(r: ArgReader, where: str, field: str, key: str) -> Attribute:
    if not r.has("value"):
        raise r.fail("value", None, "it is required (a string, a number or a boolean)")
    value = r.raw("value")
    kind = _kind(value)
    if kind is None:
        raise r.fail("value", value, "expected a string, a finite number or a boolean")
    constraints: dict[str, Any] = {"type": kind}
    for name, allowed in (("pattern", "string"), ("minimum", "number"), ("maximum", "number")):
        if r.has(name) and kind != allowed:
            raise r.fail(name, r.raw(name), f"only {allowed} attributes take {name}")
    if r.has("enum") and kind == "boolean":
        raise r.fail("enum", r.raw("enum"), "only string and number attributes take enum")
    if r.has("pattern"):
        pattern = r.string("pattern", None)
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise r.fail("pattern", pattern, f"not a regular expression ({error})") from None
        constraints["pattern"] = pattern
        if not compiled.search(str(value)):
            raise FLAG_ATTRIBUTES.refuse(
                where, field, f"the value {value!r} does not match pattern {pattern!r}"
            )
    for bound in ("minimum", "maximum"):
        if r.has(bound):
            limit = r.number(bound, None)
            constraints[bound] = limit
            below = bound == "minimum" and float(value) < limit
            above = bound == "maximum" and float(value) > limit
            if below or above:
                raise FLAG_ATTRIBUTES.refuse(
                    where,
                    field,
                    f"the value {value!r} is {'below' if below else 'above'} {bound}={limit:g}",
                )
    if r.has("enum"):
        enum = r.sequence("enum")
        if not enum or any(_kind(v) != kind for v in enum):
            raise r.fail("enum", enum, f"expected a non-empty list of {kind}s")
        constraints["enum"] = list(enum)
        if value not in enum:
            raise FLAG_ATTRIBUTES.refuse(
                where, field, f"the value {value!r} is not in enum {enum!r}"
            )
    return Attribute(
        key=key,
        value=value,
        kind=kind,
        description=r.optional_string("description", r"[^\n]*"),
        constraints=constraints,
    )


def flags_document(flags: tuple[Flag, ...]) -> dict[str, Any]:
    """The AWS.AppConfig.FeatureFlags document: `version`, the flag definitions (with each
    attribute's constraints) and their values."""
    definitions: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for flag in flags:
        definition: dict[str, Any] = {"name": flag.key}
        if flag.description:
            definition["description"] = flag.description
        if flag.attributes:
            definition["attributes"] = {
                a.key: {
                    **({"description": a.description} if a.description else {}),
                    "constraints": {**a.constraints, "required": True},
                }
                for a in flag.attributes
            }
        definitions[flag.key] = definition
        values[flag.key] = {"enabled": flag.enabled, **{a.key: a.value for a in flag.attributes}}
    return {"version": SCHEMA_VERSION, "flags": definitions, "values": values}


__all__ = ["Attribute", "Flag", "flags_document", "read_flags"]
