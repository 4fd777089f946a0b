"""GitOps and Pulumi never manage the same object: the namespace a GitOps controller owns
(an Argo CD Application's destination, a Flux Kustomization's target namespace) holds no
object Pulumi manages (docs/gitops.md)."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import peek
from gridops_infra.policy.rule import MANDATORY, ReportViolation, stack_rule

APPLICATION = "kubernetes:argoproj.io/v1alpha1:Application"
KUSTOMIZATION = "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization"
HELM_RELEASE = "kubernetes:helm.sh/v3:Release"
KUBERNETES = "kubernetes:"
PROVIDERS = "pulumi:providers:"


def owned_namespaces(resources: list[Any]) -> dict[str, str]:
    """Namespace -> the GitOps object that owns it."""
    owned: dict[str, str] = {}
    for r in resources:
        if r.resource_type == APPLICATION:
            namespace = peek(r.props, "spec", "destination", "namespace")
        elif r.resource_type == KUSTOMIZATION:
            namespace = peek(r.props, "spec", "targetNamespace")
        else:
            continue
        if isinstance(namespace, str) and namespace:
            owned.setdefault(namespace, r.name)
    return owned


def _namespace_of(resource: Any) -> Any:
    if resource.resource_type == HELM_RELEASE:
        return peek(resource.props, "namespace")
    return peek(resource.props, "metadata", "namespace")


@stack_rule(
    name="gitops-owned-namespace",
    description="No Kubernetes object Pulumi manages sits in a namespace a GitOps controller "
    "owns (an Argo CD Application's destination, a Flux Kustomization's targetNamespace): "
    "the controller would prune or overwrite it, and Pulumi would put it back, forever.",
    severity=MANDATORY,
    remediation="Move the object to a namespace of its own, or put it in the GitOps "
    "repository and delete it from the program; the Namespace object itself may stay with "
    "Pulumi.",
    types=(APPLICATION, KUSTOMIZATION),
)
def gitops_owned_namespace(args: Any, report: ReportViolation) -> None:
    """Matched by namespace name across the stack (a stack with two clusters using one
    namespace name for different purposes is refused too: give them different names)."""
    owned = owned_namespaces(args.resources)
    if not owned:
        return
    for r in args.resources:
        kind = r.resource_type
        if not kind.startswith(KUBERNETES) or kind.startswith(PROVIDERS):
            continue
        if kind in (APPLICATION, KUSTOMIZATION):
            continue
        namespace = _namespace_of(r)
        if isinstance(namespace, str) and namespace in owned:
            report(
                f"{r.name} ({kind.removeprefix(KUBERNETES)}) is in namespace {namespace!r}, "
                f"which {owned[namespace]} hands to GitOps.",
                r.urn,
            )
