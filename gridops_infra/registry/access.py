"""What a repository offers its users, whether this stack created it (ContainerRepository)
or another one did (ContainerRepositoryReference): links, pull and push grants, and image
references by digest."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.validation import ArgError
from gridops_infra.registry.policies import pull_statements, push_statements

DIGEST = r"sha256:[0-9a-f]{64}"
POLICY_NAME_UNSAFE = re.compile(r"[^\w+=,.@-]")


class RepositoryAccess:
    """Mixed into both repository kinds; they set `name`, `arn`, `repository_url`,
    `repository_name` and implement `_role_policy`."""

    name: str
    arn: pulumi.Output[str]
    repository_url: pulumi.Output[str]
    repository_name: pulumi.Output[str]

    def _role_policy(self, suffix: str, role: str, args: dict[str, Any]) -> aws.iam.RolePolicy:
        raise NotImplementedError

    def link_grant(self) -> LinkGrant:
        """For a workload whose `links` contain this repository: pull rights on this
        repository's ARN (and the registry login, which IAM allows only on "*") for
        whatever pulls its images: the task execution role on Fargate and Express, the
        instance role on a single server. On EKS the kubelet pulls with the node role,
        which every pod on the node shares; gridops gives it AWS's
        AmazonEC2ContainerRegistryPullOnly policy already, so there is nothing to add
        per workload (docs/registry.md)."""
        return LinkGrant(pull_repository_arns=[self.arn])

    def allow_from(self, consumer_name: str, security_group_id: pulumi.Input[str]) -> None:
        """Nothing to open: ECR is an HTTPS API reached through NAT or the ecr.api/ecr.dkr
        VPC endpoints, not a port behind a security group; IAM alone controls access."""
        return None

    def grant_pull(self, role: aws.iam.Role) -> aws.iam.RolePolicy:
        """An inline policy on `role` to pull this repository's images (and log in)."""
        return self._grant("pull", role, pull_statements(self.arn))

    def grant_push(self, role: aws.iam.Role) -> aws.iam.RolePolicy:
        """An inline policy on `role` to push images to this repository only (and log in):
        PutImage, InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload,
        BatchCheckLayerAvailability on its ARN."""
        return self._grant("push", role, push_statements(self.arn))

    def image(self, digest: str) -> pulumi.Output[str]:
        """`<repository url>@<digest>`: the image exactly as built, never a tag that could
        name another image later."""
        if not isinstance(digest, str) or not re.fullmatch(DIGEST, digest):
            raise ArgError(
                f"{type(self).__name__} '{self.name}': image({digest!r}) is not allowed; "
                "expected an image digest 'sha256:' followed by 64 lowercase hex digits (what "
                "`docker buildx build --push` prints and `aws ecr describe-images` lists)"
            )
        return pulumi.Output.concat(self.repository_url, "@", digest)

    def _grant(self, kind: str, role: Any, statements: list[dict[str, Any]]) -> aws.iam.RolePolicy:
        if not isinstance(role, aws.iam.Role):
            raise ArgError(
                f"{type(self).__name__} '{self.name}': grant_{kind}({type(role).__name__}) is "
                "not allowed; expected an aws.iam.Role (e.g. GithubDeployRole's "
                "nodes['role'])"
            )
        role_name = getattr(role, "_name", None) or "role"
        safe_repo = POLICY_NAME_UNSAFE.sub("-", self.name)
        return self._role_policy(
            f"{kind}-{role_name}",
            f"{kind}_policy",
            {
                "role": role.id,
                "name": f"ecr-{kind}-{safe_repo}"[:128],
                "policy": iam.policy_document(statements),
            },
        )


__all__ = ["DIGEST", "RepositoryAccess"]
