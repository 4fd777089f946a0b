"""Which environment a stage stack is (`gridops:environment`) and what that decides.

- `production` (the default: every shipped stage file) and `staging` keep their data:
  deletion protection, final snapshots and Pulumi `protect` on the database and the cache.
- `preview` is an ephemeral stack per pull request. It must always be destroyable, by its
  pull request closing or by the sweeper once `gridops:expires_at` has passed: no deletion
  protection, no final snapshot, no `protect`, and log buckets emptied on delete.

Every component of the stack is tagged `environment=<name>` (and a preview stack's
`expires-at=<time>`), so policy rules and the sweeper tell them apart by their tags.

No key switches data protection off: a stack whose data may go is a preview stack, with
an expiry. A config key that contradicts the environment is refused, never quietly
overridden: `gridops:expires_at` anywhere but on a preview stack (the sweeper destroys what
carries it), `gridops:db_auto_pause_seconds` on production (a paused database makes the
first request after a quiet spell wait for it to resume).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .config import StageConfig, StageConfigError

if TYPE_CHECKING:
    from gridops_infra import RedisCacheArgs
    from gridops_infra.data.postgres.args import ManagedPostgresWithReplicasArgs

ENVIRONMENTS = ("production", "staging", "preview")
PREVIEW_STAGES = frozenset({"express", "fargate"})
"""Stages whose teardown a preview stack relies on is built: every stateful child can be
deleted without a person (the single server keeps its backup buckets on delete by design;
the eks stage's in-cluster volumes and Argo CD are not covered yet)."""
MAX_PREVIEW_DAYS = 30
"""The furthest ahead `gridops:expires_at` may be: a preview stack is a pull request's,
not a second staging."""
CLOCK_VARIABLE = "GRIDOPS_NOW"
"""An ISO 8601 UTC time the program takes as "now" (tests pin it so a shipped preview
stack file does not expire under them); unset, the real clock."""
TAG_ENVIRONMENT = "environment"
TAG_EXPIRES_AT = "expires-at"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Environment:
    name: str
    keeps_data: bool
    """Deletion protection, final snapshots and Pulumi `protect` on stateful resources."""
    expires_at: datetime | None = None
    """When the sweeper may destroy the stack (preview only)."""

    @property
    def tags(self) -> dict[str, str]:
        """The tags every component of the stack carries."""
        tags = {TAG_ENVIRONMENT: self.name}
        if self.expires_at is not None:
            tags[TAG_EXPIRES_AT] = self.expires_at.strftime(TIME_FORMAT)
        return tags

    @property
    def disposable(self) -> bool:
        return not self.keeps_data

    def database_args(self) -> ManagedPostgresWithReplicasArgs:
        """ManagedPostgresWithReplicas arguments the environment decides."""
        keep = self.keeps_data
        return {"deletion_protection": keep, "final_snapshot": keep, "protect": keep}

    def cache_args(self) -> RedisCacheArgs:
        """RedisCache arguments the environment decides."""
        return {"final_snapshot": self.keeps_data, "protect": self.keeps_data}

    def log_bucket_transform(self, role: str) -> dict[str, Any]:
        """`transforms` for a component's access-log bucket: on a disposable stack the
        bucket is emptied on delete, since a bucket that still holds logs cannot be deleted
        and would stop `pulumi destroy`."""
        return {role: {"force_destroy": True}} if self.disposable else {}


def now() -> datetime:
    """The current time in UTC, or the one `GRIDOPS_NOW` pins."""
    pinned = os.environ.get(CLOCK_VARIABLE)
    if not pinned:
        return datetime.now(UTC)
    try:
        return _utc(pinned)
    except ValueError as exc:
        raise StageConfigError(f"environment variable {CLOCK_VARIABLE}={pinned!r}: {exc}") from None


def read_environment(cfg: StageConfig) -> Environment:
    """`gridops:environment`, `gridops:data_protection` and `gridops:expires_at`, checked
    against each other before anything is built."""
    name = cfg.text("environment", "production")
    if name not in ENVIRONMENTS:
        raise StageConfigError(
            f"config gridops:environment={name!r}: expected one of {', '.join(ENVIRONMENTS)}"
        )
    if name == "preview" and cfg.stage not in PREVIEW_STAGES:
        raise StageConfigError(
            f"config gridops:environment='preview' on stage {cfg.stage}: preview stacks are "
            f"built for {' and '.join(sorted(PREVIEW_STAGES))} only (a preview stack must be "
            "destroyable without a person); use staging"
        )
    if name == "production" and cfg.optional_str("db_auto_pause_seconds") is not None:
        raise StageConfigError(
            "config gridops:db_auto_pause_seconds on a production stack: a paused database "
            "makes the first request after a quiet spell wait about 15 s for it to resume; "
            "pause staging or preview stacks (gridops:environment), size production"
        )
    return Environment(name, keeps_data=name != "preview", expires_at=_expires_at(cfg, name))


def _expires_at(cfg: StageConfig, name: str) -> datetime | None:
    raw = cfg.optional_str("expires_at")
    if name != "preview":
        if raw is not None:
            raise StageConfigError(
                f"config gridops:expires_at on a {name} stack: only preview stacks expire "
                "(the sweeper destroys stacks past their expires-at); remove it"
            )
        return None
    if raw is None:
        raise StageConfigError(
            "missing required config key gridops:expires_at for a preview stack: when the "
            f"sweeper may destroy it, ISO 8601 UTC (e.g. 2027-01-31T00:00:00Z), at most "
            f"{MAX_PREVIEW_DAYS} days ahead"
        )
    try:
        when = _utc(raw)
    except ValueError as exc:
        raise StageConfigError(f"config gridops:expires_at={raw!r}: {exc}") from None
    current = now()
    if when <= current:
        raise StageConfigError(
            f"config gridops:expires_at={raw!r} is in the past (now {current:{TIME_FORMAT}}): "
            "the stack has expired; give a later time to keep it"
        )
    if when - current > timedelta(days=MAX_PREVIEW_DAYS):
        raise StageConfigError(
            f"config gridops:expires_at={raw!r} is more than {MAX_PREVIEW_DAYS} days ahead "
            f"(now {current:{TIME_FORMAT}}): a preview stack lives at most that long"
        )
    return when


def _utc(value: str) -> datetime:
    """An ISO 8601 time with a UTC offset (`Z` or `+00:00`), to the second."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("expected an ISO 8601 time in UTC, e.g. 2027-01-31T00:00:00Z") from None
    if when.utcoffset() != timedelta(0):
        raise ValueError("expected a time in UTC, ending in Z (e.g. 2027-01-31T00:00:00Z)")
    return when.astimezone(UTC).replace(microsecond=0)
