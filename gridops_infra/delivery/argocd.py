"""GitOps on EKS: Argo CD installed by Helm, syncing one Application from a manifests
repository (the cluster converges on what the repository says; a revert is a rollback).
The arguments, checks and ownership split it shares with Flux live in `gitops.py`."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.physical_names import KUBERNETES_NAME, physical_name
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.delivery import gitops
from gridops_infra.delivery.args import ArgoCdGitOpsArgs
from gridops_infra.delivery.gitops_credentials import ROLES as CREDENTIAL_ROLES
from gridops_infra.delivery.gitops_credentials import SECRET_NAME, build_credentials

ARGO_CD_CHART = "argo-cd"
ARGO_CD_REPOSITORY = "https://argoproj.github.io/argo-helm"
ARGO_CD_CHART_VERSION = "8.5.8"
NAMESPACE = "argocd"
# Kept importable from here, where they were first defined.
REPO_URL = gitops.REPO_URL
CREDENTIALS_IN_URL = gitops.CREDENTIALS_IN_URL
K8S_NAME = gitops.K8S_NAME


class ArgoCdGitOps(GridopsComponent):
    """Argo CD (Helm) on an EksCluster with one Application pointing at a manifests repo.

    Argo CD owns every object in `app_namespace`; Pulumi owns the rest of the cluster
    (docs/gitops.md). The Argo CD UI and API stay inside the cluster (ClusterIP): reach
    them with `kubectl -n argocd port-forward svc/argocd-server 8080:443`.

    Example:
        ```python
        ArgoCdGitOps("gitops", {"cluster": cluster,
                                "repo_url": "https://github.com/acme/shop-manifests.git",
                                "path": "prod"})
        ```
    """

    TYPE = "gridops:aws:ArgoCdGitOps"
    CHILD_ROLES = ("release", "application", *CREDENTIAL_ROLES)

    def __init__(
        self,
        name: str,
        args: ArgoCdGitOpsArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        from gridops_infra.platforms.eks.component import EksCluster

        check_name("ArgoCdGitOps", name)
        a = ArgReader("ArgoCdGitOps", name, args, ArgoCdGitOpsArgs.__annotations__)
        cluster = a.instance_of("cluster", (EksCluster,))
        source = gitops.read_source(a, cluster, NAMESPACE)
        auto_sync = a.boolean("auto_sync", True)
        chart_version = gitops.read_chart_version(a, ARGO_CD_CHART_VERSION)
        transforms = check_transforms("ArgoCdGitOps", name, a.raw("transforms"), self.CHILD_ROLES)
        gitops.refuse_tags(a, "a Helm release and an Application")

        super().__init__(name, opts, transforms=transforms)
        cluster.reserve_namespace(source.app_namespace, f"ArgoCdGitOps '{name}'")
        k8s_opts = pulumi.ResourceOptions(provider=cluster.provider)
        configs: dict[str, Any] = {"params": {"server.insecure": False}}
        if source.sync_interval is not None:
            seconds = gitops.interval_seconds(source.sync_interval)
            configs["cm"] = {"timeout.reconciliation": f"{seconds}s"}
        release = self.child(
            "release",
            k8s.helm.v3.Release,
            {
                "chart": ARGO_CD_CHART,
                "version": chart_version,
                "repository_opts": {"repo": ARGO_CD_REPOSITORY},
                "namespace": NAMESPACE,
                "create_namespace": True,
                "atomic": True,
                "values": {
                    "server": {"service": {"type": "ClusterIP"}},
                    "configs": configs,
                    "dex": {"enabled": False},
                },
            },
            opts=k8s_opts,
            tag=False,
        )
        waits: list[pulumi.Resource] = [release]
        if source.credentials_secret_arn is not None:
            # Argo CD finds repository credentials by this label and the url key.
            waits.append(
                build_credentials(
                    self,
                    cluster,
                    NAMESPACE,
                    source.credentials_secret_arn,
                    iam.region_name(),
                    labels={"argocd.argoproj.io/secret-type": "repository"},
                    template_data={
                        "type": "git",
                        "url": source.repo_url,
                        "username": "{{ .username }}",
                        "password": "{{ .password }}",
                    },
                    depends_on=[release],
                )
            )
        spec: dict[str, Any] = {
            "project": "default",
            "source": {
                "repoURL": source.repo_url,
                "path": source.path,
                "targetRevision": source.revision,
            },
            "destination": {
                "server": "https://kubernetes.default.svc",
                "namespace": source.app_namespace,
            },
            "syncPolicy": {"syncOptions": ["CreateNamespace=true"]},
        }
        if auto_sync:
            spec["syncPolicy"]["automated"] = {"prune": True, "selfHeal": True}
        self.application = self.child(
            "application",
            k8s.apiextensions.CustomResource,
            {
                "api_version": "argoproj.io/v1alpha1",
                "kind": "Application",
                # A Kubernetes name: a lowercase DNS label, derived from a name that is not one.
                "metadata": {"name": physical_name(name, KUBERNETES_NAME), "namespace": NAMESPACE},
                "spec": spec,
            },
            opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=waits),
            tag=False,
        )
        self.repo_url = source.repo_url
        self.app_namespace = source.app_namespace
        self.credentials_secret = SECRET_NAME if source.credentials_secret_arn else None
        self.register_outputs(
            {"repo_url": source.repo_url, "path": source.path, "target_revision": source.revision}
        )
