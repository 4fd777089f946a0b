"""Which images a stage runs, deployed by digest where one is given (never by a tag, which
can be moved to other bytes after the tests passed).

- Without `gridops:registry_stack`: `gridops:api_image` / `gridops:worker_image` as given,
  or, with `gridops:<role>_image_digest` (`sha256:` and 64 hex digits),
  `<that image's repository>@<digest>`: staging and production given the same digest run
  the same bytes whatever tag or digest each stack file names (promotion by digest).
- With `gridops:registry_stack`: the `registry` stack's repositories at those digests,
  linked so the platform may pull from exactly those repositories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pulumi

from gridops_infra import ContainerRepositoryReference
from gridops_infra.registry.access import DIGEST

from .config import StageConfig, StageConfigError

WORKLOADS = ("api", "worker")


@dataclass(frozen=True)
class Images:
    api: pulumi.Input[str]
    worker: pulumi.Input[str]
    api_links: tuple[Any, ...] = ()
    """The repository the API's image comes from (empty without the registry)."""
    worker_links: tuple[Any, ...] = ()


def repository_of(image: str) -> str:
    """`ghcr.io/acme/api:1.4.2` -> `ghcr.io/acme/api` (a registry port is not a tag)."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name[: name.rindex(":")]
    return name


def _digest(cfg: StageConfig, workload: str) -> str | None:
    key = f"{workload}_image_digest"
    digest = cfg.optional_str(key)
    if digest is not None and not re.fullmatch(DIGEST, digest):
        raise StageConfigError(
            f"config gridops:{key}={digest!r}: expected sha256: and 64 lowercase hex "
            "digits, as `docker buildx imagetools inspect` or the registry prints it"
        )
    return digest


def check_digests(cfg: StageConfig) -> None:
    """A malformed digest is refused before the stage registers anything."""
    for workload in WORKLOADS:
        _digest(cfg, workload)


def image_reference(cfg: StageConfig, workload: str) -> str:
    """What the `workload` (`api`, `worker`) container runs without the registry stack."""
    image = cfg.require_str(f"{workload}_image")
    digest = _digest(cfg, workload)
    if digest is None:
        return image
    # The digest key is the promotion: it replaces a tag, or a digest the stack file pins.
    return f"{repository_of(image)}@{digest}"


def workload_images(cfg: StageConfig) -> Images:
    registry = cfg.optional_str("registry_stack")
    if registry is None:
        return Images(image_reference(cfg, "api"), image_reference(cfg, "worker"))
    digests: dict[str, str] = {}
    for workload in WORKLOADS:
        if cfg.optional_str(f"{workload}_image"):
            raise StageConfigError(
                f"config gridops:{workload}_image and gridops:registry_stack are both set: with "
                f"the registry the {workload} runs <its repository>@gridops:{workload}_image_digest; "
                f"remove gridops:{workload}_image"
            )
        digest = _digest(cfg, workload)
        if digest is None:
            raise StageConfigError(
                f"missing required config key gridops:{workload}_image_digest for stage "
                f"{cfg.stage} with gridops:registry_stack (the sha256:... digest the pipeline pushed)"
            )
        digests[workload] = digest
    reference = pulumi.StackReference(registry)
    api = ContainerRepositoryReference.from_stack(reference, "api")
    worker = ContainerRepositoryReference.from_stack(reference, "worker")
    return Images(
        api=api.image(digests["api"]),
        worker=worker.image(digests["worker"]),
        api_links=(api,),
        worker_links=(worker,),
    )
