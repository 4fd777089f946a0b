"""GitOps on EKS with Flux: the fluxcd-community `flux2` Helm chart, a GitRepository
following the manifests repository and a Kustomization applying one folder of it into the
namespace Flux owns, pruning what the repository no longer has. The same contract as
ArgoCdGitOps (`gitops.py`): pick either, the EKS stage by `gridops:gitops`."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.physical_names import KUBERNETES_NAME, physical_name
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.delivery import gitops
from gridops_infra.delivery.args import FluxGitOpsArgs
from gridops_infra.delivery.gitops_credentials import ROLES as CREDENTIAL_ROLES
from gridops_infra.delivery.gitops_credentials import SECRET_NAME, build_credentials

FLUX_CHART = "flux2"
FLUX_REPOSITORY = "https://fluxcd-community.github.io/helm-charts"
FLUX_CHART_VERSION = "2.18.3"
"""fluxcd-community/helm-charts `flux2` 2.18.3 = Flux 2.8.5 (GitRepository and
Kustomization at v1)."""
NAMESPACE = "flux-system"
DEFAULT_INTERVAL = "3m"
SOURCE_API = "source.toolkit.fluxcd.io/v1"
KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/v1"
COMMIT = re.compile(r"[0-9a-f]{40}")


def git_reference(revision: str) -> dict[str, str]:
    """Flux's `spec.ref` for a revision: a commit by its hash, a full reference
    (`refs/tags/v1`) by name, anything else as a branch."""
    if COMMIT.fullmatch(revision):
        return {"commit": revision}
    if revision.startswith("refs/"):
        return {"name": revision}
    return {"branch": revision}


def kustomization_path(path: str) -> str:
    """Flux paths are relative to the repository root: `.` -> `./`, `prod` -> `./prod`."""
    trimmed = path.strip("/").removeprefix("./")
    return "./" if trimmed in ("", ".") else f"./{trimmed}"


class FluxGitOps(GridopsComponent):
    """Flux (Helm) on an EksCluster: a GitRepository and a Kustomization (prune on) applying
    one folder of a manifests repository into `app_namespace`.

    Flux owns every object in `app_namespace`; Pulumi owns the rest of the cluster,
    including the Namespace object itself, Flux and the objects configuring it
    (docs/gitops.md). The image automation controllers are not installed: Flux here applies
    what the repository says and never writes to it.

    Example:
        ```python
        FluxGitOps("gitops", {"cluster": cluster,
                              "repo_url": "https://github.com/acme/shop-manifests.git",
                              "path": "prod"})
        ```
    """

    TYPE = "gridops:aws:FluxGitOps"
    CHILD_ROLES = ("release", "namespace", "source", "kustomization", *CREDENTIAL_ROLES)

    def __init__(
        self,
        name: str,
        args: FluxGitOpsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        from gridops_infra.platforms.eks.component import EksCluster

        check_name("FluxGitOps", name)
        a = ArgReader("FluxGitOps", name, args, FluxGitOpsArgs.__annotations__)
        cluster = a.instance_of("cluster", (EksCluster,))
        source = gitops.read_source(a, cluster, NAMESPACE)
        interval = source.sync_interval or DEFAULT_INTERVAL
        chart_version = gitops.read_chart_version(a, FLUX_CHART_VERSION)
        transforms = check_transforms("FluxGitOps", name, a.raw("transforms"), self.CHILD_ROLES)
        gitops.refuse_tags(a, "a Helm release, a Namespace, a GitRepository, a Kustomization")

        super().__init__(name, opts, transforms=transforms)
        cluster.reserve_namespace(source.app_namespace, f"FluxGitOps '{name}'")
        k8s_opts = pulumi.ResourceOptions(provider=cluster.provider)
        release = self.child(
            "release",
            k8s.helm.v3.Release,
            {
                "chart": FLUX_CHART,
                "version": chart_version,
                "repository_opts": {"repo": FLUX_REPOSITORY},
                "namespace": NAMESPACE,
                "create_namespace": True,
                "atomic": True,
                "values": {
                    # Flux applies the repository and never writes to it.
                    "imageAutomationController": {"create": False},
                    "imageReflectionController": {"create": False},
                },
            },
            opts=k8s_opts,
            tag=False,
        )
        namespace = self.child(
            "namespace",
            k8s.core.v1.Namespace,
            {
                "metadata": {
                    "name": source.app_namespace,
                    "labels": {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "gridops.io/gitops": "flux",
                    },
                }
            },
            opts=k8s_opts,
            tag=False,
        )
        object_name = physical_name(name, KUBERNETES_NAME)
        source_spec: dict[str, Any] = {
            "interval": interval,
            "url": source.repo_url,
            "ref": git_reference(source.revision),
        }
        waits: list[pulumi.Resource] = [release]
        if source.credentials_secret_arn is not None:
            waits.append(
                build_credentials(
                    self,
                    cluster,
                    NAMESPACE,
                    source.credentials_secret_arn,
                    iam.region_name(),
                    labels={"app.kubernetes.io/managed-by": "gridops"},
                    # The keys Flux reads for HTTPS basic auth (a token as the password).
                    template_data={"username": "{{ .username }}", "password": "{{ .password }}"},
                    depends_on=[release],
                )
            )
            source_spec["secretRef"] = {"name": SECRET_NAME}
        repository = self.child(
            "source",
            k8s.apiextensions.CustomResource,
            {
                "api_version": SOURCE_API,
                "kind": "GitRepository",
                "metadata": {"name": object_name, "namespace": NAMESPACE},
                "spec": source_spec,
            },
            opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=waits),
            tag=False,
        )
        self.kustomization = self.child(
            "kustomization",
            k8s.apiextensions.CustomResource,
            {
                "api_version": KUSTOMIZE_API,
                "kind": "Kustomization",
                "metadata": {"name": object_name, "namespace": NAMESPACE},
                "spec": {
                    "interval": interval,
                    "path": kustomization_path(source.path),
                    "prune": True,
                    "sourceRef": {"kind": "GitRepository", "name": object_name},
                    "targetNamespace": source.app_namespace,
                    "timeout": "5m",
                },
            },
            opts=pulumi.ResourceOptions(
                provider=cluster.provider, depends_on=[repository, namespace]
            ),
            tag=False,
        )
        self.repo_url = source.repo_url
        self.app_namespace = source.app_namespace
        self.credentials_secret = SECRET_NAME if source.credentials_secret_arn else None
        self.register_outputs(
            {"repo_url": source.repo_url, "path": source.path, "target_revision": source.revision}
        )
