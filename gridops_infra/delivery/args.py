"""ArgoCdGitOpsArgs, FluxGitOpsArgs, GithubDeployRoleArgs and GitlabDeployRoleArgs: the
arguments users write, each field with its default and an example."""

from __future__ import annotations

from typing import Any, TypedDict

from gridops_infra.core.component import Transform


class GithubDeployRoleArgs(TypedDict, total=False):
    repository: str
    """`owner/name` of the GitHub repository allowed to deploy.

    Required.
    Example: ``"acme/shop"``"""
    environment: str
    """GitHub environment whose jobs may assume the role (protect it with required reviewers
    for an approval gate).

    Default: `"production"`.
    Example: ``"production"``"""
    branch: str
    """Instead of `environment`: the branch whose jobs may assume the role, e.g. `"main"`.

    Default: none (the environment rule applies).
    Example: ``"main"``"""
    services: list[str]
    """Parts of the platform the stack deploys (keys of DEPLOY_SERVICES).

    Default: all.
    Example: ``["network", "fargate", "data"]``"""
    name_prefixes: list[str]
    """Name prefixes of the IAM roles and policies the stack creates (Pulumi names children
    after their components, e.g. `"api-"`). As many as fit IAM's 10,240 characters for the
    role's inline policy (a few dozen; more are refused).

    Default: `["*"]` within the `/` path, which is broad: set it to your component names.
    Example: ``["shop-", "api-"]``"""
    state_bucket_arn: str
    """S3 bucket of the Pulumi state backend the job reads and writes.

    Default: none (Pulumi Cloud).
    Example: ``"arn:aws:s3:::acme-pulumi-state"``"""
    oidc_provider_arn: str
    """An existing GitHub OIDC provider in the account (there can be only one).

    Default: none, the component creates it.
    Example: ``"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"``"""
    max_session_seconds: int
    """The role's maximum session length, seconds. Allowed: 3600..43200 (IAM's range; a job
    may still ask for shorter sessions, from 900).

    Default: 3600.
    Example: ``7200``"""
    tags: dict[str, str]
    """Tags.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: oidc_provider, role, policy.

    Default: none.
    Example: ``{"role": {"description": "Deploys acme/shop"}}``"""


class GitlabDeployRoleArgs(TypedDict, total=False):
    project_path: str
    """`group/project` (subgroups allowed: `group/sub/project`) of the GitLab project whose
    pipelines may deploy: the token's `project_path` claim.

    Required.
    Example: ``"acme/platform/shop"``"""
    ref_type: str
    """What `ref` names: `"branch"` or `"tag"` (the token's `ref_type` claim).

    Default: `"branch"`.
    Example: ``"tag"``"""
    ref: str
    """The branch (or tag) whose pipelines may assume the role, exactly; protect it in
    GitLab. IAM can test only a token's `sub` and `aud`, so the role cannot require a
    GitLab environment: put the production job in a protected environment with approvals
    (`when: manual`) for the gate, as the GitLab template does. Wildcards are refused.

    Default: `"main"`.
    Example: ``"main"``"""
    gitlab_url: str
    """The GitLab instance that issues the tokens (`iss`): gitlab.com or a self-managed host,
    `https://` and no query or port, as IAM requires of a provider URL.

    Default: `"https://gitlab.com"`.
    Example: ``"https://gitlab.example.com"``"""
    audience: str
    """The `aud` the pipeline asks for in `id_tokens` (and the provider's client ID), up to
    255 characters.

    Default: the `gitlab_url`.
    Example: ``"https://gitlab.com"``"""
    thumbprints: list[str]
    """SHA-1 thumbprints (40 hex characters) of the instance's certificate chain, at most 5.
    Needed only for a self-managed instance whose certificate IAM cannot verify itself.

    Default: none (IAM fetches and checks the certificate).
    Example: ``["0123456789abcdef0123456789abcdef01234567"]``"""
    services: list[str]
    """Parts of the platform the stack deploys (keys of DEPLOY_SERVICES).

    Default: all.
    Example: ``["network", "fargate", "data"]``"""
    name_prefixes: list[str]
    """Name prefixes of the IAM roles and policies the stack creates, as for
    GithubDeployRole; as many as fit IAM's 10,240 characters for the role's inline policy.

    Default: `["*"]` within the `/` path, which is broad: set it to your component names.
    Example: ``["shop-", "api-"]``"""
    state_bucket_arn: str
    """S3 bucket of the Pulumi state backend the job reads and writes.

    Default: none (Pulumi Cloud).
    Example: ``"arn:aws:s3:::acme-pulumi-state"``"""
    oidc_provider_arn: str
    """An existing OIDC provider for this GitLab instance (IAM allows one per URL).

    Default: none, the component creates it.
    Example: ``"arn:aws:iam::123456789012:oidc-provider/gitlab.com"``"""
    max_session_seconds: int
    """The role's maximum session length, seconds. Allowed: 3600..43200 (IAM's range).

    Default: 3600.
    Example: ``7200``"""
    tags: dict[str, str]
    """Tags.

    Default: none.
    Example: ``{"team": "platform"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: oidc_provider, role, policy.

    Default: none.
    Example: ``{"role": {"description": "Deploys acme/shop"}}``"""


class ArgoCdGitOpsArgs(TypedDict, total=False):
    cluster: Any
    """The EksCluster to install Argo CD on.

    Required.
    Example: ``eks  # an EksCluster``"""
    repo_url: str
    """The manifests repository, e.g. `"https://github.com/acme/shop-manifests.git"`.
    Private repositories: `credentials_secret_arn`; credentials in the URL
    (`https://token@...`) are refused, since the manifest would store them readable.

    Required.
    Example: ``"https://github.com/acme/shop-manifests.git"``"""
    path: str
    """Folder of the manifests in the repository.

    Default: `"."`.
    Example: ``"clusters/prod"``"""
    target_revision: str
    """Branch, tag or commit to follow.

    Default: `"main"`.
    Example: ``"v1.4.2"``"""
    app_namespace: str
    """The namespace Argo CD owns: the application is deployed into it (created by Argo CD)
    and pruned from it. Pulumi manages nothing inside it (docs/gitops.md); the cluster's own
    namespaces and those of gridops workloads are refused.

    Default: `"apps"`.
    Example: ``"shop"``"""
    auto_sync: bool
    """Sync automatically, prune removed objects and undo manual drift.

    Default: true.
    Example: ``False``"""
    sync_interval: str
    """How often Argo CD polls the repository (`timeout.reconciliation`): 30s..24h.

    Default: Argo CD's own, 3m.
    Example: ``"1m"``"""
    credentials_secret_arn: str
    """A Secrets Manager secret holding the repository's credentials as JSON
    (`{"username": "git", "password": "<token>"}`): External Secrets writes them, with the
    repository URL, into the repository Secret `gitops-repository` of `argocd`. Needs the
    EksCluster's External Secrets (its default).

    Default: none (a public repository).
    Example: ``"arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-manifests-AbCdEf"``"""
    chart_version: str
    """The argo-cd Helm chart version.

    Default: `"8.5.8"` (`ARGO_CD_CHART_VERSION`).
    Example: ``"8.5.8"``"""
    tags: dict[str, str]
    """Refused unless empty: Argo CD is Kubernetes objects only, which have labels, not AWS
    tags (tag the EksCluster; label through `transforms`).

    Default: none.
    Example: ``{}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: release, application and, with credentials,
    credentials_role, credentials_role_policy, credentials_reader_account,
    credentials_store, credentials.

    Default: none.
    Example: ``{"release": {"timeout": 900}}``"""


class FluxGitOpsArgs(TypedDict, total=False):
    cluster: Any
    """The EksCluster to install Flux on.

    Required.
    Example: ``eks  # an EksCluster``"""
    repo_url: str
    """The manifests repository, e.g. `"https://github.com/acme/shop-manifests.git"`.
    Private repositories: `credentials_secret_arn`; credentials in the URL
    (`https://token@...`) are refused, since the manifest would store them readable.

    Required.
    Example: ``"https://github.com/acme/shop-manifests.git"``"""
    path: str
    """Folder of the manifests (or of a kustomization.yaml) in the repository, without a
    leading `/` or `..`.

    Default: `"."`.
    Example: ``"clusters/prod"``"""
    target_revision: str
    """What to follow: a branch (`"main"`), a commit (40 hex digits) or any Git reference
    (`"refs/tags/v1.4.2"`; a bare tag name is read as a branch, as Flux cannot tell them
    apart).

    Default: `"main"`.
    Example: ``"refs/tags/v1.4.2"``"""
    app_namespace: str
    """The namespace Flux owns: every object of the repository lands in it
    (`targetNamespace`) and is pruned from it when removed from the repository. Pulumi
    creates the Namespace object and manages nothing inside it (docs/gitops.md); the
    cluster's own namespaces and those of gridops workloads are refused.

    Default: `"apps"`.
    Example: ``"shop"``"""
    sync_interval: str
    """How often Flux fetches the repository and re-applies it (undoing drift): 30s..24h.

    Default: `"3m"` (Argo CD's own polling period, so both controllers behave alike).
    Example: ``"1m"``"""
    credentials_secret_arn: str
    """A Secrets Manager secret holding the repository's credentials as JSON
    (`{"username": "git", "password": "<token>"}`): External Secrets copies it into the
    Secret `gitops-repository` of `flux-system`, which the GitRepository names. Needs the
    EksCluster's External Secrets (its default).

    Default: none (a public repository).
    Example: ``"arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-manifests-AbCdEf"``"""
    chart_version: str
    """The fluxcd-community `flux2` Helm chart version.

    Default: `"2.18.3"` (`FLUX_CHART_VERSION`, Flux 2.8.5).
    Example: ``"2.18.3"``"""
    tags: dict[str, str]
    """Refused unless empty: Flux is Kubernetes objects (and, with credentials, one IAM role
    tagged like the stack), which carry labels, not AWS tags.

    Default: none.
    Example: ``{}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch: release, namespace, source, kustomization and, with
    credentials, credentials_role, credentials_role_policy, credentials_reader_account,
    credentials_store, credentials.

    Default: none.
    Example: ``{"kustomization": {"spec": {"timeout": "10m"}}}``"""
