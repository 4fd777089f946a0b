"""Amazon ECR: what CreateRepository, PutLifecyclePolicy and the registry-wide settings
refuse (or silently overwrite) for the repositories ContainerRepository builds."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon ECR"
API = "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/"

REPOSITORY_NAME_PATTERN = (
    r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*"
)
"""CreateRepository's `repositoryName` pattern, as the API reference states it."""
REPOSITORY_NAME_MIN = 2
REPOSITORY_NAME_MAX = 256

REPOSITORY_NAME = aws_rule(
    id="ecr-repository-name",
    service=SERVICE,
    rule="A repository name has 2..256 characters: lowercase letters and digits in parts "
    "joined by '.', '_', '__' or hyphens, optionally in namespaces separated by '/'; no "
    "uppercase letter, and no separator at either end.",
    source=f"{API}API_CreateRepository.html",
    fix="Pass a repository_name such as 'api' or 'shop/api' (lowercase).",
)

LIFECYCLE_POLICY_MAX_CHARACTERS = 30_720
"""Quota "Lifecycle policy length" (not adjustable)."""

LIFECYCLE_RULES = aws_rule(
    id="ecr-lifecycle-policy-rules",
    service=SERVICE,
    rule="Each lifecycle rule has a unique rulePriority; a rule on tagged images names a "
    "tagPrefixList or tagPatternList (at most four '*' per pattern); countNumber is a "
    "positive whole number (0 is not accepted); the policy text is at most 30,720 "
    "characters.",
    source="https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html",
    fix="Give untagged_expire_days >= 1 and keep_tagged_count >= 1 (ContainerRepository "
    "builds the two rules with distinct priorities and the tag pattern '*').",
)

REGISTRY_SETTINGS_ONE_PER_REGISTRY = aws_rule(
    id="ecr-registry-settings-one-per-registry",
    service=SERVICE,
    rule="A private registry (an account in one Region) has one replication configuration "
    "and one scanning configuration: PutReplicationConfiguration and "
    "PutRegistryScanningConfiguration create or update the registry's configuration, so a "
    "second one written in the same Region replaces the first.",
    source=f"{API}API_PutReplicationConfiguration.html",
    fix="Let one ContainerRepository per stack set replica_regions (its rule covers every "
    "repository whose name starts with replication_prefix) and one set scanning='enhanced' "
    "(with scanning_prefix), or manage the registry settings outside this stack.",
)

TAG_MUTABILITY_MAX_FILTERS = 5
TAG_MUTABILITY_FILTER_PATTERN = r"[0-9a-zA-Z._*-]{1,128}"

TAG_MUTABILITY_EXCLUSIONS = aws_rule(
    id="ecr-tag-mutability-exclusions",
    service=SERVICE,
    rule="A repository takes 1..5 image tag mutability exclusion filters, each 1..128 "
    "letters, digits, '.', '_', '-' or '*' wildcards.",
    source=f"{API}API_CreateRepository.html",
    fix="List at most 5 mutable_tags patterns such as 'latest' or 'dev-*'.",
)
