"""ECR repositories (scanning, tag immutability, one registry-wide configuration per Region)
and how production stacks name their images (by digest, never by a tag alone)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from typing import Any

from gridops_infra.core.aws_rules import ecr
from gridops_infra.policy._props import as_list, of_type, parse_json, peek, text
from gridops_infra.policy.rule import ADVISORY, MANDATORY, ReportViolation, setting, stack_rule
from gridops_infra.policy.rules.kubernetes import POD_SPEC_PATHS, WORKLOADS

REPOSITORY = "aws:ecr/repository:Repository"
REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition"
EXPRESS_SERVICE = "aws:ecs/expressGatewayService:ExpressGatewayService"
SSM_PARAMETER = "aws:ssm/parameter:Parameter"
IMMUTABLE = ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
PRODUCTION = "production"
# What gridops itself runs beside the workloads, each at the exact version a gridops release
# is tested with: the ADOT sidecar (Fargate tracing), the single server's proxy and
# database, the EKS OpenTelemetry gateway. A stack pins them by upgrading gridops.
PLATFORM_IMAGES = (
    "public.ecr.aws/aws-observability/aws-otel-collector",
    "caddy",
    "postgres",
    "otel/opentelemetry-collector-contrib",
)


@stack_rule(
    name="ecr-scan-on-push",
    description="Every ECR repository is scanned for vulnerabilities when an image is pushed "
    "(scanOnPush, or a registry scanning configuration of the stack covering it). Advisory: "
    "an ECR scan reports findings and blocks nothing (an image with critical findings still "
    "pulls and runs), so the gate is the pipeline's own scanner failing the build; and the "
    "registry-level configuration AWS now prefers may be managed outside the stack, where "
    "no Plan can see it.",
    severity=ADVISORY,
    remediation='ContainerRepository scans by default (scanning="basic-on-push"); or set '
    'scanning="enhanced-continuous" for Amazon Inspector on the registry.',
    types=(REPOSITORY, SCANNING),
)
def scan_on_push(args: Any, report: ReportViolation) -> None:
    filters = _scanning_filters(args.resources)
    for repo in of_type(args.resources, REPOSITORY):
        if peek(repo.props, "imageScanningConfiguration", "scanOnPush") is True:
            continue
        name = peek(repo.props, "name")
        if isinstance(name, str) and any(fnmatch.fnmatchcase(name, f) for f in filters):
            continue
        report(
            f"ECR repository {text(name) or repo.name!r} does not scan images on push and no "
            "registry scanning configuration of this stack covers it.",
            repo.urn,
        )


def _scanning_filters(resources: list[Any]) -> list[str]:
    """Wildcard filters of the registry scanning rules that scan on push or continuously."""
    out = []
    for config in of_type(resources, SCANNING):
        for rule in as_list(peek(config.props, "rules")):
            if text(peek(rule, "scanFrequency")) not in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN"):
                continue
            for flt in as_list(peek(rule, "repositoryFilters")):
                value = peek(flt, "filter")
                if isinstance(value, str):
                    out.append(value)
    return out


@stack_rule(
    name="ecr-immutable-tags",
    description="ECR repositories keep tags immutable (IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION "
    "for named exceptions such as a moving 'latest'). Mandatory: promotion, rollback and "
    "every person reading a release tag rely on a tag naming one image for ever, and with "
    "mutable tags anyone who may push can silently replace the image behind '1.4.2'; "
    "immutability costs nothing and the exclusion filters keep the tags that must move.",
    severity=MANDATORY,
    remediation="ContainerRepository is immutable by default; list tags that must move in "
    "mutable_tags (IMMUTABLE_WITH_EXCLUSION) rather than turning immutability off.",
    types=(REPOSITORY,),
)
def immutable_tags(args: Any, report: ReportViolation) -> None:
    for repo in of_type(args.resources, REPOSITORY):
        mutability = peek(repo.props, "imageTagMutability")
        if not isinstance(mutability, str):
            mutability = "MUTABLE"  # ECR's default when the field is left out
        if mutability not in IMMUTABLE:
            name = text(peek(repo.props, "name")) or repo.name
            report(f"ECR repository {name!r} has {mutability} tags.", repo.urn)


@stack_rule(
    name="ecr-one-registry-configuration",
    description="A stack writes the registry's replication configuration and its registry "
    "scanning configuration at most once each: both belong to the account's registry in a "
    "Region, so a second one replaces the first.",
    severity=MANDATORY,
    remediation=ecr.REGISTRY_SETTINGS_ONE_PER_REGISTRY.fix,
    types=(REPLICATION, SCANNING),
    aws_rule=ecr.REGISTRY_SETTINGS_ONE_PER_REGISTRY.id,
)
def one_registry_configuration(args: Any, report: ReportViolation) -> None:
    for kind, label in ((REPLICATION, "replication"), (SCANNING, "registry scanning")):
        by_region: dict[str, list[Any]] = {}
        for config in of_type(args.resources, kind):
            region = peek(config.props, "region")
            by_region.setdefault(region if isinstance(region, str) else "", []).append(config)
        for configs in by_region.values():
            if len(configs) > 1:
                names = ", ".join(c.name for c in configs)
                report(
                    f"{len(configs)} {label} configurations ({names}) write the same "
                    "registry: the last one applied replaces the others.",
                    configs[-1].urn,
                )


@stack_rule(
    name="image-by-digest",
    description="On a production stack (a resource tagged environment=production) every "
    "workload image is named by digest (`@sha256:...`), never by a tag alone: a tag can "
    "name another image by the next deploy or scale-out, so what runs would not be what "
    "was tested. Mandatory, since promotion to production means the digest staging ran. "
    "The images gridops itself runs beside workloads at a version its release pins "
    "(setting `platform_images`) are not judged.",
    severity=MANDATORY,
    remediation="Deploy `<repository url>@sha256:<digest>` (ContainerRepository.image(digest), "
    "or the stage keys gridops:registry_stack + gridops:api_image_digest), or pin a tag "
    "with its digest: `ghcr.io/acme/api:1.4.2@sha256:<digest>`.",
    types=(TASK_DEFINITION, EXPRESS_SERVICE, SSM_PARAMETER, *WORKLOADS),
    config_schema={
        "platform_images": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(PLATFORM_IMAGES),
            "description": "Image names (without tag) gridops runs at pinned versions.",
        }
    },
)
def image_by_digest(args: Any, report: ReportViolation) -> None:
    if not any(_is_production(r) for r in args.resources):
        return
    exempt = {str(i) for i in setting(args, "platform_images", list(PLATFORM_IMAGES))}
    for resource, where, image in _images(args.resources):
        if DIGEST.search(image) or _image_name(image) in exempt:
            continue
        report(
            f"{where} runs {image!r} by tag on a production stack: name it by digest "
            "(@sha256:...).",
            resource.urn,
        )


def _is_production(resource: Any) -> bool:
    tags = peek(resource.props, "tags")
    if not hasattr(tags, "get"):
        return False
    value = peek(tags, "environment")
    return isinstance(value, str) and value.lower() == PRODUCTION


def _image_name(image: str) -> str:
    """`ghcr.io/acme/api:1.4.2` -> `ghcr.io/acme/api` (a registry port is not a tag)."""
    base = image.split("@", 1)[0]
    last = base.rsplit("/", 1)[-1]
    return base[: len(base) - len(last)] + last.split(":", 1)[0]


def _images(resources: list[Any]) -> Iterator[tuple[Any, str, str]]:
    """(resource, where, image) for every known workload image of the stack."""
    for task in of_type(resources, TASK_DEFINITION):
        for c in as_list(parse_json(peek(task.props, "containerDefinitions"))):
            image = peek(c, "image")
            if isinstance(image, str):
                yield task, f"task definition {task.name} container {peek(c, 'name')!r}", image
    for service in of_type(resources, EXPRESS_SERVICE):
        image = peek(service.props, "primaryContainer", "image")
        if isinstance(image, str):
            yield service, f"Express service {service.name}", image
    for parameter in of_type(resources, SSM_PARAMETER):
        compose = parse_json(peek(parameter.props, "insecureValue"))
        services = peek(compose, "services") if isinstance(compose, Mapping) else None
        if not isinstance(services, Mapping):
            continue
        for name, service in services.items():
            image = peek(service, "image")
            if isinstance(image, str):
                yield parameter, f"compose service {name!r} ({parameter.name})", image
    for workload in of_type(resources, WORKLOADS):
        pod = peek(workload.props, *POD_SPEC_PATHS[workload.resource_type])
        for key in ("initContainers", "containers"):
            for c in as_list(peek(pod, key)):
                image = peek(c, "image")
                if isinstance(image, str):
                    yield workload, f"{workload.name} container {peek(c, 'name')!r}", image
