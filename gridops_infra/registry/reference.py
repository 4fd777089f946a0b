"""ContainerRepositoryReference: a repository another stack created (the `registry` stack),
used here through its exported ARN and URL."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.validation import ArgError, check_name
from gridops_infra.registry.access import RepositoryAccess


class ContainerRepositoryReference(RepositoryAccess):
    """Stands in for a ContainerRepository of another stack wherever a repository is
    linked or granted, without creating it: `links=[ref]` grants pull on its ARN,
    `grant_pull` / `grant_push` add inline policies (top-level resources of this stack,
    named `<name>-pull-<role>`), `image(digest)` deploys by digest.

    Example:
        ```python
        registry = pulumi.StackReference("acme/gridops/registry")
        api_repo = ContainerRepositoryReference.from_stack(registry, "api")
        ```
    """

    def __init__(
        self, name: str, *, arn: pulumi.Input[str], repository_url: pulumi.Input[str]
    ) -> None:
        # Registers no resource: the repository belongs to the other stack.
        check_name("ContainerRepositoryReference", name)
        for field, value in (("arn", arn), ("repository_url", repository_url)):
            if not isinstance(value, str | pulumi.Output) or value == "":
                raise ArgError(
                    f"ContainerRepositoryReference '{name}': {field}={value!r} is not "
                    "allowed; expected the other stack's output (a string or an Output)"
                )
        self.name = name
        self.arn = pulumi.Output.from_input(arn)
        self.repository_url = pulumi.Output.from_input(repository_url)
        self.repository_name = self.repository_url.apply(lambda url: url.split("/", 1)[-1])

    @classmethod
    def from_stack(cls, ref: pulumi.StackReference, name: str) -> ContainerRepositoryReference:
        """The repository the `registry` stack exports as `<name>_repository_arn` and
        `<name>_repository_url`."""
        return cls(
            name,
            arn=ref.require_output(f"{name}_repository_arn"),
            repository_url=ref.require_output(f"{name}_repository_url"),
        )

    def _role_policy(self, suffix: str, role: str, args: dict[str, Any]) -> aws.iam.RolePolicy:
        return aws.iam.RolePolicy(f"{self.name}-{suffix}", **args)


__all__ = ["ContainerRepositoryReference"]
