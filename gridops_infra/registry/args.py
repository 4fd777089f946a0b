"""ContainerRepositoryArgs (what users write, each field with its default and an example)
and the frozen settings ContainerRepository builds from once they are checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypedDict

from gridops_infra.core.aws_rules.ecr import (
    LIFECYCLE_RULES,
    REPOSITORY_NAME,
    REPOSITORY_NAME_MAX,
    REPOSITORY_NAME_MIN,
    REPOSITORY_NAME_PATTERN,
    TAG_MUTABILITY_EXCLUSIONS,
    TAG_MUTABILITY_FILTER_PATTERN,
    TAG_MUTABILITY_MAX_FILTERS,
)
from gridops_infra.core.component import Transform, check_transforms
from gridops_infra.core.validation import ArgReader

COMPONENT = "ContainerRepository"
CHILD_ROLES = (
    "kms_key",
    "repository",
    "lifecycle_policy",
    "replication",
    "scanning",
    "pull_policy",
    "push_policy",
)
Scanning = Literal["basic-on-push", "enhanced-on-push", "enhanced-continuous", "off"]
SCANNING: tuple[Scanning, ...] = ("basic-on-push", "enhanced-on-push", "enhanced-continuous", "off")
Encryption = Literal["customer-key", "aws-managed"]
ENCRYPTION: tuple[Encryption, ...] = ("customer-key", "aws-managed")
REGION = r"[a-z]{2}(-[a-z]+)+-\d{1,2}"
KMS_KEY_ARN = r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+"
DEFAULT_UNTAGGED_EXPIRE_DAYS = 7
DEFAULT_KEEP_TAGGED_COUNT = 50


class ContainerRepositoryArgs(TypedDict, total=False):
    repository_name: str
    """The ECR repository's name: 2..256 lowercase letters and digits joined by `.`, `_`,
    `__` or `-`, with optional `/` namespaces. Changing it replaces the repository (its
    images stay in the old one, which ECR refuses to delete while it holds images).

    Default: the component's name.
    Example: ``"shop/api"``"""
    immutable_tags: bool
    """Tags cannot be moved once pushed (`IMMUTABLE`): `1.4.2` always names the image first
    pushed as `1.4.2`. False allows overwriting tags (`MUTABLE`).

    Default: true.
    Example: ``False``"""
    mutable_tags: list[str]
    """With immutable_tags: tags that may still be overwritten, as wildcard filters
    (`IMMUTABLE_WITH_EXCLUSION`), e.g. a moving `latest` for local use. At most 5 filters of
    1..128 characters from letters, digits, `.`, `_`, `-` and `*`.

    Default: none (every tag immutable).
    Example: ``["latest", "dev-*"]``"""
    scanning: Scanning
    """Vulnerability scanning: `"basic-on-push"` (ECR's basic scanning of each pushed image,
    set on the repository; AWS marks that repository-level setting as deprecated in favour
    of the registry-level configuration but still accepts it), `"enhanced-on-push"` or
    `"enhanced-continuous"` (Amazon Inspector, billed by Inspector, configured on the whole
    registry of the Region for repositories matching `registry_filter_prefix`: one
    component per stack may set it), or `"off"` (the `ecr-scan-on-push` policy warns).

    Default: `"basic-on-push"`.
    Example: ``"enhanced-continuous"``"""
    untagged_expire_days: int
    """Lifecycle: untagged images (the layers of a re-pushed or superseded manifest) expire
    this many days after they were pushed. 1 or more.

    Default: 7.
    Example: ``14``"""
    keep_tagged_count: int
    """Lifecycle: keep the most recently pushed N tagged images; older tagged images expire
    (an image a running task uses is still pulled by digest only while it exists: keep more
    than you might roll back to). 1 or more.

    Default: 50.
    Example: ``100``"""
    encryption: Encryption
    """Encryption at rest: `"customer-key"` (a KMS key you own: its policy and CloudTrail
    record who decrypts; rotated yearly) or `"aws-managed"` (KMS with the `aws/ecr` key).
    Changing it replaces the repository.

    Default: `"customer-key"`.
    Example: ``"aws-managed"``"""
    kms_key_arn: str
    """With encryption="customer-key": an existing symmetric key of this Region to use
    instead of creating one.

    Default: none (the component creates a key).
    Example: ``"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"``"""
    replica_regions: list[str]
    """Regions ECR copies each pushed image to (cross-Region replication, same account).
    Replication is a setting of the whole registry of this Region, not of one repository:
    the rule this component writes covers every repository whose name starts with
    `registry_filter_prefix`, and only one component per stack may set it. The copies get
    no lifecycle policy (it acts only in its own Region).

    Default: none (no replication).
    Example: ``["us-west-2"]``"""
    registry_filter_prefix: str
    """The repository-name prefix the registry-wide settings of this component (replication,
    enhanced scanning) cover.

    Default: the repository name (only this repository).
    Example: ``"shop/"``"""
    force_delete: bool
    """Let `pulumi destroy` delete the repository with its images. False keeps the images:
    ECR refuses to delete a repository that still holds images.

    Default: false.
    Example: ``True``"""
    tags: dict[str, str]
    """Tags on every resource.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: kms_key, repository, lifecycle_policy, replication,
    scanning, pull_policy, push_policy.

    Default: none.
    Example: ``{"repository": {"force_delete": False}}``"""


@dataclass(frozen=True)
class RepositorySettings:
    repository_name: str
    tag_mutability: str
    mutable_tags: tuple[str, ...]
    scanning: Scanning
    untagged_expire_days: int
    keep_tagged_count: int
    encryption: Encryption
    kms_key_arn: str | None
    replica_regions: tuple[str, ...]
    registry_filter_prefix: str
    force_delete: bool
    tags: dict[str, str]
    transforms: dict[str, Transform]

    @property
    def registry_wide(self) -> tuple[str, ...]:
        """The registry-wide settings this repository configures."""
        out = []
        if self.replica_regions:
            out.append("replication")
        if self.scanning.startswith("enhanced"):
            out.append("scanning")
        return tuple(out)


def repository_name_problem(name: str) -> str | None:
    """Why ECR refuses `name` as a repository name, or None."""
    if not REPOSITORY_NAME_MIN <= len(name) <= REPOSITORY_NAME_MAX:
        return f"it has {len(name)} characters ({REPOSITORY_NAME_MIN}..{REPOSITORY_NAME_MAX})"
    if not re.fullmatch(REPOSITORY_NAME_PATTERN, name):
        return "it is not lowercase letters and digits joined by '.', '_', '__', '-' or '/'"
    return None


def read_settings(
    name: str, args: ContainerRepositoryArgs | None, region: str
) -> RepositorySettings:
    a = ArgReader(COMPONENT, name, args, ContainerRepositoryArgs.__annotations__)
    where = f"{COMPONENT} '{name}'"
    repository_name = a.raw("repository_name", name)
    if not isinstance(repository_name, str):
        raise a.fail("repository_name", repository_name, "expected a string")
    problem = repository_name_problem(repository_name)
    if problem:
        field = "repository_name" if a.has("repository_name") else "name"
        raise REPOSITORY_NAME.refuse(where, field, f"{repository_name!r}: {problem}")

    immutable = a.boolean("immutable_tags", True)
    mutable_tags = a.string_list("mutable_tags")
    if mutable_tags and not immutable:
        raise a.fail(
            "mutable_tags",
            mutable_tags,
            "it lists exceptions to immutable tags, and immutable_tags is false (every tag "
            "is already mutable); leave one of them out",
        )
    if len(mutable_tags) > TAG_MUTABILITY_MAX_FILTERS:
        raise TAG_MUTABILITY_EXCLUSIONS.refuse(
            where, "mutable_tags", f"{len(mutable_tags)} filters given"
        )
    for tag in mutable_tags:
        if not re.fullmatch(TAG_MUTABILITY_FILTER_PATTERN, tag):
            raise TAG_MUTABILITY_EXCLUSIONS.refuse(where, "mutable_tags", f"{tag!r}")
    mutability = (
        "IMMUTABLE_WITH_EXCLUSION" if mutable_tags else "IMMUTABLE" if immutable else "MUTABLE"
    )

    scanning = a.choice("scanning", "basic-on-push", SCANNING)
    untagged_days = _positive(a, "untagged_expire_days", DEFAULT_UNTAGGED_EXPIRE_DAYS, where)
    keep_tagged = _positive(a, "keep_tagged_count", DEFAULT_KEEP_TAGGED_COUNT, where)

    encryption = a.choice("encryption", "customer-key", ENCRYPTION)
    kms_key_arn = a.optional_string(
        "kms_key_arn",
        KMS_KEY_ARN,
        "expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
    )
    if kms_key_arn and encryption != "customer-key":
        raise a.fail(
            "kms_key_arn",
            kms_key_arn,
            f'it is used only with encryption="customer-key" (encryption={encryption!r})',
        )
    if kms_key_arn and kms_key_arn.split(":")[3] != region:
        raise a.fail(
            "kms_key_arn",
            kms_key_arn,
            f"the key is in {kms_key_arn.split(':')[3]} and the repository in {region}: KMS "
            "keys are regional, so use a key of the repository's Region",
        )

    replicas = a.string_list("replica_regions")
    for replica in replicas:
        if not re.fullmatch(REGION, replica):
            raise a.fail("replica_regions", replicas, f"{replica!r} is not a Region name")
        if replica == region:
            raise a.fail(
                "replica_regions",
                replicas,
                f"{replica!r} is the repository's own Region; list only other Regions",
            )
    if len(set(replicas)) != len(replicas):
        raise a.fail("replica_regions", replicas, "a Region is listed twice")
    prefix = a.string(
        "registry_filter_prefix",
        repository_name,
        r"[a-z0-9._/-]{1,256}",
        "expected the start of repository names (lowercase letters, digits, . _ - /)",
    )
    if a.has("registry_filter_prefix") and not (replicas or scanning.startswith("enhanced")):
        raise a.fail(
            "registry_filter_prefix",
            prefix,
            "it scopes registry-wide settings, and this component sets none (give "
            "replica_regions or an enhanced scanning)",
        )
    if not repository_name.startswith(prefix):
        raise a.fail(
            "registry_filter_prefix",
            prefix,
            f"it must cover this repository ({repository_name!r} does not start with it)",
        )
    return RepositorySettings(
        repository_name=repository_name,
        tag_mutability=mutability,
        mutable_tags=tuple(mutable_tags),
        scanning=scanning,
        untagged_expire_days=untagged_days,
        keep_tagged_count=keep_tagged,
        encryption=encryption,
        kms_key_arn=kms_key_arn,
        replica_regions=tuple(replicas),
        registry_filter_prefix=prefix,
        force_delete=a.boolean("force_delete", False),
        tags=a.mapping("tags"),
        transforms=check_transforms(COMPONENT, name, a.raw("transforms"), CHILD_ROLES),
    )


def _positive(a: ArgReader, field: str, default: int, where: str) -> int:
    value = a.raw(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise a.fail(field, value, "expected a whole number of 1 or more")
    if value < 1:
        raise LIFECYCLE_RULES.refuse(where, field, f"{value} given (countNumber must be >= 1)")
    return value


__all__ = [
    "CHILD_ROLES",
    "COMPONENT",
    "ContainerRepositoryArgs",
    "RepositorySettings",
    "read_settings",
]
