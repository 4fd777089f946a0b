"""Which images a stage runs: `gridops:api_image` / `gridops:worker_image` as given, or,
with `gridops:registry_stack`, the `registry` stack's repositories at the digests
`gridops:api_image_digest` / `gridops:worker_image_digest` (deploy by digest, never by
tag), linked so the platform may pull from exactly those repositories."""

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


def workload_images(cfg: StageConfig) -> Images:
    registry = cfg.optional_str("registry_stack")
    digests = {w: cfg.optional_str(f"{w}_image_digest") for w in WORKLOADS}
    if registry is None:
        for workload, digest in digests.items():
            if digest:
                raise StageConfigError(
                    f"config gridops:{workload}_image_digest needs gridops:registry_stack (the "
                    "registry stack whose repository holds that image, e.g. "
                    "organization/gridops/registry)"
                )
        return Images(cfg.require_str("api_image"), cfg.require_str("worker_image"))
    for workload in WORKLOADS:
        if cfg.optional_str(f"{workload}_image"):
            raise StageConfigError(
                f"config gridops:{workload}_image and gridops:registry_stack are both set: with "
                f"the registry the {workload} runs <its repository>@gridops:{workload}_image_digest; "
                f"remove gridops:{workload}_image"
            )
        digest = digests[workload]
        if not digest:
            raise StageConfigError(
                f"missing required config key gridops:{workload}_image_digest for stage "
                f"{cfg.stage} with gridops:registry_stack (the sha256:... digest the pipeline pushed)"
            )
        if not re.fullmatch(DIGEST, digest):
            raise StageConfigError(
                f"config gridops:{workload}_image_digest={digest!r}: expected 'sha256:' and 64 "
                "lowercase hex digits"
            )
    reference = pulumi.StackReference(registry)
    api = ContainerRepositoryReference.from_stack(reference, "api")
    worker = ContainerRepositoryReference.from_stack(reference, "worker")
    return Images(
        api=api.image(str(digests["api"])),
        worker=worker.image(str(digests["worker"])),
        api_links=(api,),
        worker_links=(worker,),
    )
