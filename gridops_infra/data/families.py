"""What the data tier accepts, as data: instance and node families, engine majors, naming rules.

Checked against the AWS documentation of November 2026 ("Supported DB engines for DB instance
classes" for RDS and Aurora, "Supported node types" and "Engine versions" for ElastiCache).
Previous-generation families (db.m4, db.r4, db.t2, cache.t2, cache.m4, cache.r4, ...) are left
out on purpose: current PostgreSQL majors and every Valkey version refuse them, or AWS no longer
sells them. When AWS adds a family, add it here; nothing else needs to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pulumi

from gridops_infra.core.aws_rules import AwsRule
from gridops_infra.core.physical_names import NameRule, hashed_name, physical_name

# Size shapes: `large`, `xlarge`, `2xlarge` ... `48xlarge`, `metal`, `metal-24xl`, `metal-48xl`.
SIZE_PATTERN = r"(micro|small|medium|large|xlarge|[1-9][0-9]?xlarge|metal(-[1-9][0-9]?xl)?)"

AnySize = None
"""A family whose every size in SIZE_PATTERN is accepted (AWS refuses a missing size at
create time with a clear message; we only stop shapes and families that can never work)."""

RDS_BURSTABLE_SIZES = ("micro", "small", "medium", "large", "xlarge", "2xlarge")
AURORA_BURSTABLE_SIZES = ("medium", "large")
CACHE_BURSTABLE_SIZES = ("micro", "small", "medium")
CACHE_GRAVITON_SIZES = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")

POSTGRES_INSTANCE_FAMILIES: dict[str, tuple[str, ...] | None] = {
    "t3": RDS_BURSTABLE_SIZES,
    "t4g": RDS_BURSTABLE_SIZES,
    **dict.fromkeys(
        (
            "m5", "m5d", "m6g", "m6gd", "m6i", "m6id", "m6idn", "m6in", "m7g", "m7i", "m8g",
            "m8gd", "r5", "r5b", "r5d", "r6g", "r6gd", "r6i", "r6id", "r6idn", "r6in", "r7g",
            "r7i", "r8g", "r8gd", "x2g", "x2idn", "x2iedn", "x2iezn",
        ),
        AnySize,
    ),
}  # fmt: skip
"""RDS for PostgreSQL (single-instance and Multi-AZ instance deployments)."""

AURORA_POSTGRES_INSTANCE_FAMILIES: dict[str, tuple[str, ...] | None] = {
    "t3": AURORA_BURSTABLE_SIZES,
    "t4g": AURORA_BURSTABLE_SIZES,
    **dict.fromkeys(
        ("r5", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7i", "r8g", "r8gd", "x2g"), AnySize
    ),
}
"""Aurora PostgreSQL provisioned instances (`db.serverless` is handled by `serverless_v2`)."""

AURORA_SERVERLESS_CLASS = "db.serverless"

CACHE_NODE_FAMILIES: dict[str, tuple[str, ...] | None] = {
    "t3": CACHE_BURSTABLE_SIZES,
    "t4g": CACHE_BURSTABLE_SIZES,
    "m5": AnySize,
    "m6g": AnySize,
    "m7g": AnySize,
    "r5": AnySize,
    "r6g": AnySize,
    "r6gd": ("xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"),
    "r7g": AnySize,
    "m8g": CACHE_GRAVITON_SIZES,
    "r8g": CACHE_GRAVITON_SIZES,
    "c7gn": CACHE_GRAVITON_SIZES,
}
"""ElastiCache node types for Valkey and Redis OSS (current generation)."""

VALKEY_ONLY_FAMILIES = frozenset({"m8g", "r8g"})
"""Graviton4 node families ElastiCache lists for Valkey (and Memcached) but not Redis OSS."""

DATA_TIERING_FAMILIES = frozenset({"r6gd"})
"""Node families that only run with data tiering on (memory plus local SSD)."""

POSTGRES_MAJORS: tuple[int, ...] = (14, 15, 16, 17, 18)
"""PostgreSQL majors in RDS standard support. 13 and older are in paid Extended Support."""
AURORA_POSTGRES_MAJORS: tuple[int, ...] = (14, 15, 16, 17, 18)
DEFAULT_POSTGRES_MAJOR = 17


@dataclass(frozen=True)
class CacheEngine:
    versions: tuple[str, ...]
    default_version: str
    families: dict[str, str]
    """engine version -> parameter group family"""


CACHE_ENGINES: dict[str, CacheEngine] = {
    "valkey": CacheEngine(
        versions=("7.2", "8.0", "8.1", "8.2", "9.0"),
        default_version="8.2",
        families={
            "7.2": "valkey7",
            "8.0": "valkey8",
            "8.1": "valkey8",
            "8.2": "valkey8",
            "9.0": "valkey9",
        },
    ),
    "redis": CacheEngine(
        versions=("6.2", "7.0", "7.1"),
        default_version="7.1",
        families={"6.2": "redis6.x", "7.0": "redis7", "7.1": "redis7"},
    ),
}


def postgres_parameter_family(engine_mode: str, major: int) -> str:
    return f"aurora-postgresql{major}" if engine_mode == "aurora" else f"postgres{major}"


def split_class(value: str, prefix: str) -> tuple[str, str] | None:
    """(`family`, `size`) of `db.r7g.large` / `cache.r7g.large`, or None for a bad shape."""
    m = re.fullmatch(rf"{prefix}\.([a-z][a-z0-9]*)\.{SIZE_PATTERN}", value)
    return (m.group(1), m.group(2)) if m else None


def class_problem(
    value: object, prefix: str, families: dict[str, tuple[str, ...] | None], what: str
) -> str | None:
    """Why `value` is not a usable instance class / node type, or None when it is."""
    if not isinstance(value, str):
        return f"expected a string such as '{prefix}.r7g.large'"
    parts = split_class(value, prefix)
    if parts is None:
        return f"expected the shape '{prefix}.<family>.<size>', e.g. '{prefix}.r7g.large'"
    family, size = parts
    if family not in families:
        return f"{what} offers the families {', '.join(sorted(families))}; not '{family}'"
    sizes = families[family]
    if sizes is not None and size not in sizes:
        return f"'{prefix}.{family}' comes in {', '.join(sizes)} for {what}; not '{size}'"
    return None


# Naming rules for identifiers AWS shows to people (DB instances and clusters, replication
# groups, snapshots): lowercase letters, digits and hyphens, a letter first, no double hyphen,
# no trailing hyphen. RDS folds uppercase to lowercase (a perpetual diff), so it is refused.
RDS_IDENTIFIER_MAX = 63
ELASTICACHE_ID_MAX = 40
SNAPSHOT_ID_MAX = 255


def identifier_problem(value: object, max_length: int) -> str | None:
    if not isinstance(value, str) or not value:
        return "expected a non-empty string"
    if not re.fullmatch(r"[a-z][a-z0-9-]*", value):
        return "expected lowercase letters, digits and hyphens, starting with a letter"
    if "--" in value or value.endswith("-"):
        return "no double hyphen and no trailing hyphen"
    if len(value) > max_length:
        return f"at most {max_length} characters (it is {len(value)})"
    return None


def default_identifier(name: str, project: str, stack: str, rule: NameRule) -> str:
    """`<project>-<name>-<stack>` lowercased and cleaned: stable across runs, distinct per
    stack and per project sharing an account (physical names are unique per region). When
    that is longer than AWS allows, it is truncated and ended with a hash of the whole."""
    raw = re.sub(r"[^a-z0-9]+", "-", f"{project}-{name}-{stack}".lower()).strip("-")
    raw = re.sub(r"-{2,}", "-", raw)
    if not raw[:1].isalpha():
        raw = f"{name.lower()}-{raw}"
    if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", name):
        return hashed_name(raw, rule, name)  # `db_x` and `db--x` would both clean to `db-x`
    return physical_name(raw, rule)


def read_identifier(a: Any, component: str, name: str, max_length: int, rule: AwsRule) -> str:
    """The `identifier` argument: given and valid (else refused with the AWS naming `rule`
    it breaks), or the default `<project>-<name>-<stack>`."""
    id_rule = NameRule(
        max_length,
        "a-z0-9-",
        rule.source,
        lowercase=True,
        letter_first=True,
        no_double_hyphen=True,
    )
    if not a.has("identifier"):
        return default_identifier(name, pulumi.get_project(), pulumi.get_stack(), id_rule)
    value = a.raw("identifier")
    problem = identifier_problem(value, max_length)
    if problem:
        raise rule.refuse(f"{component} '{name}'", "identifier", f"{value!r}: {problem}")
    return value


KMS_KEY_ARN = r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[a-zA-Z0-9-]+"


def read_encryption_key(a: Any) -> tuple[Any, bool]:
    """(`kms_key_arn`, `customer_managed_key`): a key of your own (an ARN or an Output of
    one), or a key the component creates, never both; neither means the AWS managed key."""
    kms_key_arn = a.raw("kms_key_arn")
    if kms_key_arn is not None and not isinstance(kms_key_arn, str | pulumi.Output):
        raise a.fail("kms_key_arn", kms_key_arn, "expected a KMS key ARN (a string or Output)")
    if isinstance(kms_key_arn, str) and not re.fullmatch(KMS_KEY_ARN, kms_key_arn):
        raise a.fail(
            "kms_key_arn", kms_key_arn, "expected 'arn:aws:kms:<region>:<account>:key/<id>'"
        )
    customer_key = a.boolean("customer_managed_key", False)
    if customer_key and kms_key_arn is not None:
        raise a.fail(
            "customer_managed_key", True, "give either kms_key_arn or customer_managed_key"
        )
    return kms_key_arn, customer_key
