"""The Plan: what a Pulumi program would register, as recorded by the offline engine."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pulumi

SECRET_PLACEHOLDER = "[secret]"
UNKNOWN_PLACEHOLDER = "[computed]"
WARNING_LEVELS = ("warning", "error")
"""Diagnostic severities a user must see (Pulumi's `log.warn` and `log.error`)."""


@dataclass(frozen=True)
class SecretValue:
    """A value Pulumi treats as secret. JSON export never shows `value`."""

    value: Any

    def __repr__(self) -> str:
        return "SecretValue([secret])"


class Unknown:
    """A value not known until `pulumi up` (a computed output in preview)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Unknown"


UNKNOWN = Unknown()


@dataclass
class ResourceRecord:
    """One registered resource (custom or component) as the engine saw it.

    `inputs` use the keys Pulumi sends to the provider (camelCase); `outputs` are what
    the mocks answered (inputs plus computed fields such as `arn` and `id`), or, for a
    component, the outputs it registered with `register_outputs`.
    """

    type: str
    name: str
    urn: str
    parent: str | None
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False
    retain_on_delete: bool = False
    delete_before_replace: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    provider: str | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def is_component(self) -> bool:
        return not self.custom and not self.type.startswith("pulumi:providers:")

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "name": self.name,
            "urn": self.urn,
            "parent": self.parent,
            "custom": self.custom,
            "id": self.id,
            "inputs": to_jsonable(self.inputs),
            "outputs": to_jsonable(self.outputs),
            "dependencies": sorted(self.dependencies),
            "protect": self.protect,
            "retain_on_delete": self.retain_on_delete,
            "delete_before_replace": self.delete_before_replace,
            "ignore_changes": list(self.ignore_changes),
            "provider": self.provider,
        }


@dataclass
class Plan:
    """Everything one offline preview registered, in registration order."""

    project: str
    stack: str
    resources: list[ResourceRecord]
    outputs: dict[str, Any]
    stack_urn: str
    diagnostics: list[tuple[str, str]] = field(default_factory=list)
    """(severity, message) lines the program or the engine logged."""

    def __iter__(self) -> Iterator[ResourceRecord]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    @property
    def warnings(self) -> list[str]:
        """The warnings and errors the program or the engine logged, one line each."""
        return [message for severity, message in self.diagnostics if severity in WARNING_LEVELS]

    def of_type(self, token: str) -> list[ResourceRecord]:
        """All resources whose type token is exactly `token`."""
        return [r for r in self.resources if r.type == token]

    def one(self, token: str, name: str | None = None) -> ResourceRecord:
        """The single resource of `token` (and `name`, when given); an error otherwise."""
        found = [r for r in self.of_type(token) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(token)]
            raise LookupError(f"expected one {token} named {name!r}, found {len(found)}: {names}")
        return found[0]

    def by_urn(self, urn: str) -> ResourceRecord:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise LookupError(f"no resource with urn {urn}")

    def by_name(self, name: str) -> ResourceRecord:
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one resource named {name!r}, found {len(found)}")
        return found[0]

    def children_of(self, urn: str) -> list[ResourceRecord]:
        """Direct children of the resource with `urn` (the stack's URN for top level)."""
        return [r for r in self.resources if r.parent == urn]

    def descendants_of(self, urn: str) -> list[ResourceRecord]:
        out: list[ResourceRecord] = []
        todo = [urn]
        while todo:
            kids = self.children_of(todo.pop())
            out.extend(kids)
            todo.extend(k.urn for k in kids)
        return out

    @property
    def custom_resources(self) -> list[ResourceRecord]:
        """Resources a provider would create (components and providers left out)."""
        return [
            r for r in self.resources if r.custom and not r.type.startswith("pulumi:providers:")
        ]

    def counts_by_type(self) -> dict[str, int]:
        return dict(sorted(Counter(r.type for r in self.custom_resources).items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "stack": self.stack,
            "stack_urn": self.stack_urn,
            "resource_count": len(self.custom_resources),
            "counts_by_type": self.counts_by_type(),
            "outputs": to_jsonable(self.outputs),
            "resources": [r.to_json() for r in self.resources],
            "warnings": self.warnings,
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent, sort_keys=False, default=str)


def to_jsonable(value: Any) -> Any:
    """Plain JSON data with secrets replaced by a placeholder, never their value."""
    if isinstance(value, SecretValue):
        return SECRET_PLACEHOLDER
    if isinstance(value, Unknown):
        return UNKNOWN_PLACEHOLDER
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, pulumi.asset.FileAsset | pulumi.asset.FileArchive):
        return {"file": str(value.path)}
    if isinstance(value, pulumi.asset.StringAsset):
        return {"text": value.text}
    return str(value)


def reveal(value: Any) -> Any:
    """The value with every SecretValue unwrapped: for assertions in tests only."""
    if isinstance(value, SecretValue):
        return reveal(value.value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def contains_secret(value: Any) -> bool:
    if isinstance(value, SecretValue):
        return True
    if isinstance(value, dict):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False
