"""The rules a service spec must satisfy on every platform, as data and small checks.

A spec valid here runs unchanged on Fargate, EKS and a single server, so the limits are
the tightest of the three (e.g. Fargate's cpu/memory pairs, ALB's 32-character target
group names, Kubernetes' lowercase DNS-label names).
"""

from __future__ import annotations

import re

# Fargate task sizes: CPU units (1024 = 1 vCPU) -> memory MiB it accepts.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}

# The service's target group is autonamed f"{name}-tg2" (blue/green keeps two) plus "-"
# and 7 random characters, and ALB target group names stop at 32: 20 + 4 + 8 = 32.
MAX_SERVICE_NAME = 20
SERVICE_NAME = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"  # a DNS label: ECS, ALB and Kubernetes accept it

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
SCHEDULE = (
    r"cron\([^()]+\)"
    r"|rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)"
    r"|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)"
)
# ALB rules accept at most five condition values in total (hosts + paths).
MAX_RULE_VALUES = 5


def fargate_size_error(cpu: int, memory: int) -> str | None:
    """Why Fargate refuses this task size, or None when it accepts it."""
    if cpu not in FARGATE_SIZES:
        return "Fargate task cpu must be one of " + ", ".join(str(c) for c in FARGATE_SIZES)
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
    if not re.fullmatch(IMAGE_REFERENCE, image):
        return (
            "expected a container image reference such as ghcr.io/acme/api:1.4.2 or "
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:<digest>"
        )
    return None


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
    "MAX_RULE_VALUES",
    "MAX_SERVICE_NAME",
    "ecr_repository",
    "fargate_size_error",
    "image_error",
    "secret_arn_error",
    "secret_policy_arn",
]
