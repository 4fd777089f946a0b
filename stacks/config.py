"""Typed access to a stage's config (`stacks/Pulumi.<stage>.yaml`, namespace `gridops:`).

Every key is documented in stacks/README.md; a missing required key is an error that
names it, a wrong type names the key and what is expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import pulumi
import yaml

if TYPE_CHECKING:
    from gridops_infra.network.args import NatStrategy
from pulumi.runtime import config as runtime_config

NAMESPACE = "gridops:"


class StageConfigError(ValueError):
    """A stage config key that is missing or malformed (one line for the user)."""


def given_keys() -> set[str]:
    """The `gridops:` keys this stack sets (from the stack file and `-c`), without the
    namespace: what the engine passed to the program, in memory or in PULUMI_CONFIG."""
    keys = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    return {k[len(NAMESPACE) :] for k in keys if k.startswith(NAMESPACE)}


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

    @staticmethod
    def _shown(key: str, value: str) -> str:
        """The value for an error message: hidden when the stack keeps it as a secret
        (`pulumi config set --secret`), whatever key it is."""
        return "<hidden>" if runtime_config.is_config_secret(NAMESPACE + key) else repr(value)

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

    def integer(self, key: str, default: int, lo: int | None = None) -> int:
        value = self._raw(key)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise StageConfigError(
                f"config gridops:{key}={self._shown(key, value)}: expected a whole number"
            ) from None
        if lo is not None and number < lo:
            raise StageConfigError(
                f"config gridops:{key}={self._shown(key, value)}: expected at least {lo}"
            )
        return number

    def fraction(self, key: str, default: float) -> float:
        """A share strictly between 0 and 1 (`0.999`, not `99.9`)."""
        value = self._raw(key)
        if value is None:
            return default
        try:
            share = float(value)
        except ValueError:
            share = math.nan
        if not 0 < share < 1:
            raise StageConfigError(
                f"config gridops:{key}={self._shown(key, value)}: expected a fraction between 0 and 1 "
                "(0.999 for 99.9%)"
            )
        return share

    def optional_number(self, key: str) -> float | None:
        """A finite number (`1171.30`), or None when the key is not set; the component that
        takes it checks its range."""
        value = self._raw(key)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise StageConfigError(
                f"config gridops:{key}={self._shown(key, value)}: expected a number, e.g. 1171.30"
            )
        return number

    def flag(self, key: str, default: bool) -> bool:
        value = self._raw(key)
        if value is None:
            return default
        if value.lower() not in ("true", "false"):
            raise StageConfigError(
                f"config gridops:{key}={self._shown(key, value)}: expected true or false"
            )
        return value.lower() == "true"

    def items(self, key: str, default: list[Any] | None = None) -> list[Any]:
        value = self._raw(key)
        if value is None:
            return list(default or [])
        try:
            # The stack file's lists arrive as JSON; on `-c` a YAML flow list works too.
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            parsed = None
        if not isinstance(parsed, list):
            raise StageConfigError(
                f"config gridops:{key}={self._shown(key, value)}: expected a list, e.g. [a@example.com, b@example.com]"
            )
        return parsed

    def secret(self, key: str) -> pulumi.Output[str] | None:
        return self._cfg.get_secret(key)

    def domain(self) -> StageDomain | None:
        """`gridops:domain` with `gridops:zone_id`, or None when neither is set."""
        name, zone_id = self.optional_str("domain"), self.optional_str("zone_id")
        if name is None and zone_id is None:
            if not self.flag("domain_records", True):
                raise StageConfigError(
                    "config gridops:domain_records=false applies to gridops:domain's records; "
                    "set gridops:domain and gridops:zone_id, or remove it"
                )
            return None
        if name is None or zone_id is None:
            missing = "domain" if name is None else "zone_id"
            raise StageConfigError(
                f"config gridops:{missing} is missing: gridops:domain and gridops:zone_id "
                "go together (the hosted zone that holds the domain)"
            )
        return StageDomain(name.lower().rstrip("."), zone_id)


def nat_strategy(cfg: StageConfig, default: NatStrategy) -> NatStrategy:
    """`gridops:nat` as the Network's type; the Network refuses a value it does not know."""
    return cast("NatStrategy", cfg.text("nat", default))
