"""GitOps on EKS: Argo CD installed by Helm, syncing one Application from a manifests
repository (the cluster converges on what the repository says; a revert is a rollback)."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.physical_names import KUBERNETES_NAME, physical_name
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.delivery.args import ArgoCdGitOpsArgs

ARGO_CD_CHART = "argo-cd"
ARGO_CD_REPOSITORY = "https://argoproj.github.io/argo-helm"
ARGO_CD_CHART_VERSION = "8.5.8"
REPO_URL = re.compile(r"(https://[^\s]+|git@[^\s:]+:[^\s]+|ssh://[^\s]+)")
# `https://<user or token>[:<password>]@host/...` or `ssh://user:<password>@host/...`: an
# ssh user name alone (git@, ssh://git@) is no credential.
CREDENTIALS_IN_URL = re.compile(r"(https://[^/\s]*@|ssh://[^/@\s]*:[^/@\s]*@)")
K8S_NAME = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"


class ArgoCdGitOps(GridopsComponent):
    """Argo CD (Helm) on an EksCluster with one Application pointing at a manifests repo.

    The Argo CD UI and API stay inside the cluster (ClusterIP): reach them with
    `kubectl -n argocd port-forward svc/argocd-server 8080:443`.

    Example:
        ```python
        ArgoCdGitOps("gitops", {"cluster": cluster,
                                "repo_url": "https://github.com/acme/shop-manifests.git",
                                "path": "prod"})
        ```
    """

    TYPE = "gridops:aws:ArgoCdGitOps"
    CHILD_ROLES = ("release", "application")

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
        # Any error about the URL hides it: it may carry a token.
        repo_url = a.string(
            "repo_url", None, REPO_URL.pattern, "expected an https:// or ssh git URL", secret=True
        )
        if CREDENTIALS_IN_URL.match(repo_url):
            raise a.fail(
                "repo_url",
                repo_url,
                "credentials in the URL would be stored in plain text in the Argo CD "
                "Application manifest and the stack state; give the URL without them and "
                "put the credentials in a repository secret in the argocd namespace",
                secret=True,
            )
        path = a.string("path", ".", r"[^\s]+", "expected a folder path in the repository")
        revision = a.string(
            "target_revision", "main", r"[^\s]+", "expected a branch, tag or commit"
        )
        app_namespace = a.string(
            "app_namespace", "apps", K8S_NAME, "expected a Kubernetes namespace name"
        )
        auto_sync = a.boolean("auto_sync", True)
        chart_version = a.string(
            "chart_version",
            ARGO_CD_CHART_VERSION,
            r"\d+\.\d+\.\d+",
            "expected a chart version like 8.5.8",
        )
        transforms = check_transforms("ArgoCdGitOps", name, a.raw("transforms"), self.CHILD_ROLES)
        if a.mapping("tags"):
            raise a.fail(
                "tags",
                a.raw("tags"),
                "ArgoCdGitOps creates only Kubernetes objects (a Helm release and an "
                "Application), which carry labels, not AWS tags: tag the EksCluster, or add "
                "labels through transforms",
            )

        super().__init__(name, opts, transforms=transforms)
        k8s_opts = pulumi.ResourceOptions(provider=cluster.provider)
        release = self.child(
            "release",
            k8s.helm.v3.Release,
            {
                "chart": ARGO_CD_CHART,
                "version": chart_version,
                "repository_opts": {"repo": ARGO_CD_REPOSITORY},
                "namespace": "argocd",
                "create_namespace": True,
                "atomic": True,
                "values": {
                    "server": {"service": {"type": "ClusterIP"}},
                    "configs": {"params": {"server.insecure": False}},
                    "dex": {"enabled": False},
                },
            },
            opts=k8s_opts,
            tag=False,
        )
        spec: dict[str, Any] = {
            "project": "default",
            "source": {"repoURL": repo_url, "path": path, "targetRevision": revision},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": app_namespace},
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
                "metadata": {"name": physical_name(name, KUBERNETES_NAME), "namespace": "argocd"},
                "spec": spec,
            },
            opts=pulumi.ResourceOptions(provider=cluster.provider, depends_on=[release]),
            tag=False,
        )
        self.repo_url = repo_url
        self.register_outputs({"repo_url": repo_url, "path": path, "target_revision": revision})
