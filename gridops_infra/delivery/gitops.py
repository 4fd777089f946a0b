"""What Argo CD and Flux share: the arguments (a repository, a folder, a revision, a sync
interval, credentials by Secrets Manager reference), their checks, and the split of
ownership between Pulumi and the GitOps controller (docs/gitops.md).

Ownership: the GitOps controller owns every namespaced object in its `app_namespace`
(it creates, changes and prunes them from the repository); Pulumi owns everything else on
the cluster, including the controller itself, the objects that configure it (the Argo CD
Application; Flux's GitRepository and Kustomization), the repository credentials and the
gridops workloads' own namespaces. The namespace is claimed on the EksCluster, so a
gridops workload of that name is refused, and the mandatory policy rule
`gitops-owned-namespace` fails a Plan in which Pulumi manages an object inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gridops_infra.core.validation import ArgReader

REPO_URL = re.compile(r"(https://[^\s]+|git@[^\s:]+:[^\s]+|ssh://[^\s]+)")
# `https://<user or token>[:<password>]@host/...` or `ssh://user:<password>@host/...`: an
# ssh user name alone (git@, ssh://git@) is no credential.
CREDENTIALS_IN_URL = re.compile(r"(https://[^/\s]*@|ssh://[^/@\s]*:[^/@\s]*@)")
K8S_NAME = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
INTERVAL = re.compile(r"([1-9]\d*)(s|m|h)")
INTERVAL_RANGE = (30, 24 * 3600)
"""30 s (more often hammers the Git host) .. 24 h (drift would stay that long)."""
SECRET_ARN = r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+"


@dataclass(frozen=True)
class GitOpsSource:
    """The repository a GitOps controller follows, checked."""

    repo_url: str
    path: str
    revision: str
    app_namespace: str
    sync_interval: str | None
    """`30s`, `5m`, `1h`; None: the controller's own default."""
    credentials_secret_arn: str | None


def interval_seconds(text: str) -> int:
    match = INTERVAL.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return int(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[match.group(2)]


def read_source(a: ArgReader, cluster: Any, controller_namespace: str) -> GitOpsSource:
    """The shared arguments of ArgoCdGitOps and FluxGitOps, each refused with the field
    named (a repository URL is never shown: it may carry a token)."""
    repo_url = a.string(
        "repo_url", None, REPO_URL.pattern, "expected an https:// or ssh git URL", secret=True
    )
    if CREDENTIALS_IN_URL.match(repo_url):
        raise a.fail(
            "repo_url",
            repo_url,
            "credentials in the URL would be stored in plain text in the controller's "
            "manifest and the stack state; give the URL without them and the credentials "
            "as credentials_secret_arn (a Secrets Manager secret)",
            secret=True,
        )
    path = a.string("path", ".", r"[^\s]+", "expected a folder path in the repository")
    if path.startswith("/") or ".." in path.split("/"):
        raise a.fail("path", path, "expected a folder inside the repository (no '/' or '..')")
    revision = a.string("target_revision", "main", r"[^\s]+", "expected a branch, tag or commit")
    app_namespace = a.string(
        "app_namespace", "apps", K8S_NAME, "expected a Kubernetes namespace name"
    )
    if app_namespace == controller_namespace:
        raise a.fail(
            "app_namespace",
            app_namespace,
            "that is the controller's own namespace, which Pulumi manages; choose another",
        )
    problem = cluster.check_namespace(app_namespace, f"{a.component} '{a.name}'")
    if problem:
        raise a.fail(
            "app_namespace",
            app_namespace,
            f"the controller would own every object in it, but {problem}",
        )
    interval = a.optional_string(
        "sync_interval", INTERVAL.pattern, "expected a duration such as 30s, 5m or 1h"
    )
    if interval is not None and not (
        INTERVAL_RANGE[0] <= interval_seconds(interval) <= INTERVAL_RANGE[1]
    ):
        raise a.fail("sync_interval", interval, "expected 30s..24h")
    # A token given where its ARN belongs must not reach a CI log.
    credentials = a.optional_string(
        "credentials_secret_arn", SECRET_ARN, "expected a Secrets Manager secret ARN", secret=True
    )
    return GitOpsSource(repo_url, path, revision, app_namespace, interval, credentials)


def read_chart_version(a: ArgReader, default: str) -> str:
    return a.string(
        "chart_version", default, r"\d+\.\d+\.\d+", f"expected a chart version like {default}"
    )


def refuse_tags(a: ArgReader, what: str) -> None:
    if a.mapping("tags"):
        raise a.fail(
            "tags",
            a.raw("tags"),
            f"{a.component} creates only Kubernetes objects ({what}), which carry labels, "
            "not AWS tags: tag the EksCluster, or add labels through transforms",
        )
