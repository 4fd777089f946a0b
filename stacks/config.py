"""Typed access to a stage's config (`stacks/Pulumi.<stage>.yaml`, namespace `gridops:`).

Every key is documented in stacks/README.md; a missing required key is an error that
names it, a wrong type names the key and what is expected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi


class StageConfigError(ValueError):
    """A stage config key that is missing or malformed (one line for the user)."""


@dataclass(frozen=True)
class StageDomain:
    """The name viewers use and its Route 53 hosted zone (`gridops:domain`, `gridops:zone_id`)."""

    name: str
    zone_id: str

    @property
    def origin(self) -> str:
        """The name CloudFront connects to, with a certificate of its own: `origin.<name>`."""
        return f"origin.{self.name}"


class StageConfig:
    def __init__(self, stage: str) -> None:
        self.stage = stage
        self._cfg = pulumi.Config("gridops")

    def _raw(self, key: str) -> str | None:
        return self._cfg.get(key)

    def require_str(self, key: str) -> str:
        value = self._raw(key)
        if not value:
            raise StageConfigError(
                f"missing required config key gridops:{key} for stage {self.stage} "
                f"(add it to stacks/Pulumi.{self.stage}.yaml)"
            )
        return value

    def text(self, key: str, default: str) -> str:
        return self._raw(key) or default

    def optional_str(self, key: str) -> str | None:
        return self._raw(key) or None

    def integer(self, key: str, default: int) -> int:
        value = self._raw(key)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise StageConfigError(
                f"config gridops:{key}={value!r}: expected a whole number"
            ) from None

    def flag(self, key: str, default: bool) -> bool:
        value = self._raw(key)
        if value is None:
            return default
        if value.lower() not in ("true", "false"):
            raise StageConfigError(f"config gridops:{key}={value!r}: expected true or false")
        return value.lower() == "true"

    def items(self, key: str, default: list[Any] | None = None) -> list[Any]:
        value = self._raw(key)
        if value is None:
            return list(default or [])
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            raise StageConfigError(f"config gridops:{key}: expected a YAML list") from None
        if not isinstance(parsed, list):
            raise StageConfigError(f"config gridops:{key}: expected a YAML list")
        return parsed

    def secret(self, key: str) -> pulumi.Output[str] | None:
        return self._cfg.get_secret(key)

    def domain(self) -> StageDomain | None:
        """`gridops:domain` with `gridops:zone_id`, or None when neither is set."""
        name, zone_id = self.optional_str("domain"), self.optional_str("zone_id")
        if name is None and zone_id is None:
            return None
        if name is None or zone_id is None:
            missing = "domain" if name is None else "zone_id"
            raise StageConfigError(
                f"config gridops:{missing} is missing: gridops:domain and gridops:zone_id "
                "go together (the hosted zone that holds the domain)"
            )
        return StageDomain(name.lower().rstrip("."), zone_id)
