"""Environments: a stack is one environment, and a preview stack says when it expires.

Stage stacks tag every component `environment=<production|staging|preview>`; a preview
stack's resources also carry `expires-at=<ISO 8601 UTC>`, which the sweeper reads. A
resource that is a preview environment's by both tags is disposable: the data-protection
rules (`rds-deletion-protection`, `stateful-resource-protected`) let it go without
deletion protection or a final snapshot, because a preview stack must always be
destroyable. The tag alone exempts nothing: without a valid `expires-at` the resource is
not disposable, and this module's rule refuses a stack that mixes environments, so a
production database cannot be tagged preview inside a production stack.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from gridops_infra.policy._props import peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule

TAG_ENVIRONMENT = "environment"
TAG_EXPIRES_AT = "expires-at"
PREVIEW = "preview"


def _tags(props: Any) -> Mapping[str, Any]:
    tags = peek(props, "tags")
    return tags if isinstance(tags, Mapping) else {}


def expiry(value: Any) -> datetime | None:
    """An `expires-at` tag value as a UTC time, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.utcoffset() == timedelta(0) else None


def disposable(props: Any) -> bool:
    """Tagged as a preview environment's resource with a valid `expires-at`."""
    tags = _tags(props)
    return tags.get(TAG_ENVIRONMENT) == PREVIEW and expiry(tags.get(TAG_EXPIRES_AT)) is not None


@stack_rule(
    name="environment-tags-consistent",
    description="A stack is one environment: every resource tagged `environment` carries the "
    "same value, and a preview stack's tagged resources carry an `expires-at` time in UTC.",
    severity=MANDATORY,
    remediation="Set gridops:environment once per stack (stage stacks tag every component "
    "with it) and, on a preview stack, gridops:expires_at (ISO 8601 UTC); a user program "
    "passes the same `tags` to every component.",
    types=(),
)
def environment_tags_consistent(args: Any, report: ReportViolation) -> None:
    tagged = [(r, _tags(r.props)) for r in args.resources]
    tagged = [(r, tags) for r, tags in tagged if isinstance(tags.get(TAG_ENVIRONMENT), str)]
    counts = Counter(tags[TAG_ENVIRONMENT] for _, tags in tagged)
    if len(counts) > 1:
        # The stack's environment is what most of its resources say; the others are reported.
        stack_environment = min(counts, key=lambda value: (-counts[value], value))
        for resource, tags in tagged:
            if tags[TAG_ENVIRONMENT] != stack_environment:
                report(
                    f"{resource.name} is tagged environment={tags[TAG_ENVIRONMENT]} in a "
                    f"stack whose resources are {stack_environment}: a stack is one "
                    "environment, and a preview tag would lift data protection inside another.",
                    resource.urn,
                )
    for resource, tags in tagged:
        if tags[TAG_ENVIRONMENT] == PREVIEW and expiry(tags.get(TAG_EXPIRES_AT)) is None:
            found = tags.get(TAG_EXPIRES_AT)
            problem = "no expires-at tag" if found is None else f"expires-at={found!r}"
            report(
                f"{resource.name} is tagged environment=preview with {problem}: the sweeper "
                "cannot tell when to destroy it (expected an ISO 8601 UTC time).",
                resource.urn,
            )
