"""The rules a service spec must satisfy on every platform, as data and small checks.

A spec valid here runs unchanged on Fargate, EKS and a single server, so the limits are
the tightest of the three (e.g. Fargate's cpu/memory pairs, ALB's 32-character target
group names, Kubernetes' lowercase DNS-label names).
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from functools import cache

from gridops_infra.core.aws_rules.ecs import FARGATE_TASK_SIZES
from gridops_infra.core.physical_names import NameRule

FARGATE_SIZES = FARGATE_TASK_SIZES

SERVICE_NAME = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"  # a DNS label: ECS, ALB and Kubernetes accept it
MAX_WORKLOAD_NAME = 32
"""A workload name leaves room for the suffixes of the Kubernetes objects named after it
(`<name>-reader`, `<name>-consumer`) within a 63-character DNS label, and for a queue's
`<name>-worker` within the 40 characters of a single server's compose service."""
WORKLOAD_NAME = NameRule(
    MAX_WORKLOAD_NAME,
    "a-z0-9-",
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names",
    prefix_field=None,
    lowercase=True,
    letter_first=True,
    no_double_hyphen=True,
)
"""A lowercase DNS label: ECS, ALB, Kubernetes and docker compose all accept it."""
# Kubernetes container names are DNS-1123 labels of at most 63 characters; the same sidecar
# runs on EKS, so Fargate (which would take 255) keeps the same limit.
MAX_CONTAINER_NAME = 63
# ECS ContainerDefinition `image` takes at most 255 characters.
MAX_IMAGE_LENGTH = 255

# A container image reference: [registry[:port]/]path[:tag][@digest] (distribution grammar).
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*(?::[0-9]+)?"
_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_PART}(?:/{_PATH_PART})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_REFERENCE = rf"{_NAME}(?::{_TAG})?(?:@{_DIGEST})?"

# ECR image: <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag][@digest]
ECR_IMAGE = r"(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([a-z0-9._/-]+?)(?::[\w][\w.-]*)?(?:@.+)?"

ENV_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
SECRETS_MANAGER_ARN = (
    r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+"
    r"(?::[^:\s]*:[^:\s]*:[^:\s]*)?"
)
SSM_PARAMETER_ARN = r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+"
CONTAINER_USER = r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?"
ALARM_NAME = r"[^\x00-\x1f]{1,255}"
# ALB host-header and path-pattern values: at most 128 characters, `*` and `?` wildcards.
HOST_PATTERN = r"(?=.{1,128}$)[A-Za-z0-9*?]([A-Za-z0-9*?.-]*[A-Za-z0-9*?])?"
PATH_PATTERN = r"/[A-Za-z0-9_\-.$/~\"'@:+*?&]{0,127}"
HEALTH_CHECK_PATH = r"/[A-Za-z0-9_\-.$/~\"'@:+&=%?]{0,1023}"
# Application Auto Scaling schedules: cron(<6 fields>), rate(<n> <unit>), at(<date>T<time>).
RATE_SCHEDULE = r"rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)"
CRON_FIELDS = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
CRON_FIELD = r"[0-9A-Za-z*?,/#-]+"  # digits, names (JAN, MON), * ? , / - # L W
# ALB rules accept at most five condition values in total (hosts + paths).
MAX_RULE_VALUES = 5


def fargate_size_error(cpu: int, memory: int) -> str | None:
    """Why Fargate refuses this task size, or None when it accepts it. Checked on every
    platform, so one spec moves between Fargate, EKS and a single server unchanged."""
    if cpu not in FARGATE_SIZES:
        return (
            "Fargate task cpu must be one of "
            + ", ".join(str(c) for c in FARGATE_SIZES)
            + " (on every platform, so the spec can move to Fargate unchanged)"
        )
    allowed = FARGATE_SIZES[cpu]
    if memory not in allowed:
        step = allowed[1] - allowed[0]
        return (
            f"with cpu={cpu}, Fargate accepts memory from {allowed[0]} to {allowed[-1]} MiB "
            f"in steps of {step}"
        )
    return None


def image_error(image: str) -> str | None:
    if not image or image != image.strip() or any(c.isspace() for c in image):
        return "expected a container image reference without whitespace"
    if len(image) > MAX_IMAGE_LENGTH:
        return (
            f"at most {MAX_IMAGE_LENGTH} characters (it has {len(image)}): the limit of an ECS "
            "container definition's image"
        )
    if not re.fullmatch(IMAGE_REFERENCE, image):
        return (
            "expected a container image reference such as ghcr.io/acme/api:1.4.2 or "
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:<digest>"
        )
    return None


def schedule_error(schedule: str) -> str | None:
    """Why Application Auto Scaling refuses this schedule, or None. Checked: cron() has
    the 6 fields `minutes hours day-of-month month day-of-week year` made of cron
    characters, `?` only in the two day fields and in exactly one of them (AWS answers
    "Invalid CRON expression" otherwise, e.g. for `cron(0 16 * * MON-FRI *)`); rate() is
    a positive whole number and a minute/hour/day unit; at() is a real date and time.
    Value ranges inside cron fields are left to AWS."""
    cron = re.fullmatch(r"cron\((.*)\)", schedule)
    if cron:
        fields = cron.group(1).split()
        if len(fields) != len(CRON_FIELDS):
            return (
                f"a cron() expression has {len(CRON_FIELDS)} fields ({' '.join(CRON_FIELDS)}), "
                f"this one has {len(fields)}; e.g. cron(0 8 ? * MON-FRI *)"
            )
        for label, value in zip(CRON_FIELDS, fields, strict=True):
            if not re.fullmatch(CRON_FIELD, value):
                return f"cron {label} field {value!r}: expected digits, names, * ? , / - # L W"
            if "?" in value and (value != "?" or label not in ("day-of-month", "day-of-week")):
                return f"cron {label} field {value!r}: '?' stands alone, in a day field only"
        if (fields[2] == "?") == (fields[4] == "?"):
            return (
                "exactly one of the cron day-of-month and day-of-week fields must be '?', "
                "e.g. cron(0 8 ? * MON-FRI *) or cron(0 0 1 * ? *)"
            )
        return None
    if re.fullmatch(RATE_SCHEDULE, schedule):
        return None
    at = re.fullmatch(r"at\((.*)\)", schedule)
    if at:
        # The shape first: strptime alone would also take single digits (2030-1-5T1:2:3).
        when = at.group(1)
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", when):
                raise ValueError(when)
            datetime.strptime(when, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return "expected at(yyyy-mm-ddThh:mm:ss) with a real date and time"
        return None
    return (
        "expected cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), "
        "rate(<n> minute(s)|hour(s)|day(s)) or at(yyyy-mm-ddThh:mm:ss)"
    )


@cache
def known_timezones() -> frozenset[str]:
    """The IANA zone names of this system's tz database (or the `tzdata` package)."""
    return frozenset(zoneinfo.available_timezones())


def timezone_error(timezone: str) -> str | None:
    """Why `timezone` is not an IANA zone name, or None. The `tzdata` dependency provides
    the zone names where the system has none; should both be missing, only the name's
    shape is checked and AWS has the last word."""
    zones = known_timezones()
    if zones:
        if timezone in zones:
            return None
        return "expected an IANA time zone name such as 'UTC', 'Europe/Paris' or 'America/New_York'"
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*", timezone):
        return None
    return "expected an IANA time zone name such as 'UTC' or 'Europe/Paris'"


def ecr_repository(image: str) -> tuple[str, str, str] | None:
    """(account, region, repository) when `image` lives in ECR, else None."""
    match = re.fullmatch(ECR_IMAGE, image)
    if match is None:
        return None
    return match.group(1), match.group(2), match.group(3)


def secret_arn_error(value: str) -> str | None:
    if re.fullmatch(SECRETS_MANAGER_ARN, value) or re.fullmatch(SSM_PARAMETER_ARN, value):
        return None
    return (
        "expected a Secrets Manager secret ARN (optionally with :json-key:version-stage:"
        "version-id) or an SSM parameter ARN; secret values never go in the spec"
    )


def secret_policy_arn(value_from: str) -> str:
    """The ARN an IAM policy names for one `valueFrom`: a Secrets Manager reference
    loses its `:json-key:stage:version` suffix, an SSM parameter ARN stays as is."""
    if ":secretsmanager:" in value_from:
        return ":".join(value_from.split(":")[:7])
    return value_from


__all__ = [
    "FARGATE_SIZES",
    "MAX_CONTAINER_NAME",
    "MAX_IMAGE_LENGTH",
    "MAX_RULE_VALUES",
    "MAX_WORKLOAD_NAME",
    "WORKLOAD_NAME",
    "ecr_repository",
    "fargate_size_error",
    "image_error",
    "schedule_error",
    "secret_arn_error",
    "secret_policy_arn",
    "timezone_error",
]
