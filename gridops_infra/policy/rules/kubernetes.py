"""Kubernetes workloads meet the Pod Security Standards "restricted" profile.

https://kubernetes.io/docs/concepts/security/pod-security-standards/ — the container
security-context controls of "restricted" in one rule, the host-namespace and hostPath
controls of "baseline" in another.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gridops_infra.policy._props import as_list, get, is_true, number, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule

POD_TEMPLATE = ("spec", "template", "spec")
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "kubernetes:core/v1:Pod": ("spec",),
    "kubernetes:core/v1:ReplicationController": POD_TEMPLATE,
    "kubernetes:apps/v1:Deployment": POD_TEMPLATE,
    "kubernetes:apps/v1:StatefulSet": POD_TEMPLATE,
    "kubernetes:apps/v1:DaemonSet": POD_TEMPLATE,
    "kubernetes:apps/v1:ReplicaSet": POD_TEMPLATE,
    "kubernetes:batch/v1:Job": POD_TEMPLATE,
    "kubernetes:batch/v1:CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOADS = tuple(POD_SPEC_PATHS)
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
SECCOMP_OK = ("RuntimeDefault", "Localhost")
ALLOWED_ADDED_CAPABILITIES = ("NET_BIND_SERVICE",)


def pod_spec(args: Any) -> Any:
    return get(args.props, *POD_SPEC_PATHS[args.resource_type])


def containers(pod: Any) -> Iterator[tuple[str, Any]]:
    for key in CONTAINER_LISTS:
        for container in as_list(get(pod, key)):
            yield f"container {text(get(container, 'name')) or '?'!r}", container


def container_problems(pod: Any, container: Any) -> list[str]:
    pod_sc = get(pod, "securityContext")
    sc = get(container, "securityContext")
    problems: list[str] = []
    if get(sc, "allowPrivilegeEscalation") is not False:
        problems.append("allowPrivilegeEscalation is not false")
    if is_true(get(sc, "privileged")):
        problems.append("privileged is true")
    drops = {text(c) for c in as_list(get(sc, "capabilities", "drop"))}
    if "ALL" not in drops:
        problems.append("capabilities.drop does not include ALL")
    added = [text(c) for c in as_list(get(sc, "capabilities", "add"))]
    extra = [c for c in added if c not in ALLOWED_ADDED_CAPABILITIES]
    if extra:
        problems.append(f"capabilities.add has {', '.join(extra)}")
    non_root = get(sc, "runAsNonRoot")
    if non_root is None:
        non_root = get(pod_sc, "runAsNonRoot")
    if non_root is not True:
        problems.append("runAsNonRoot is not true (container or pod)")
    user = get(sc, "runAsUser")
    if user is None:
        user = get(pod_sc, "runAsUser")
    if number(user) == 0:
        problems.append("runAsUser is 0 (root)")
    seccomp = text(get(sc, "seccompProfile", "type")) or text(get(pod_sc, "seccompProfile", "type"))
    if seccomp not in SECCOMP_OK:
        problems.append(f"seccompProfile.type is {seccomp or 'not set'!r}, not RuntimeDefault")
    return problems


@resource_rule(
    name="k8s-restricted-security-context",
    description="Every container of a Kubernetes workload meets Pod Security 'restricted': "
    "runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL, seccomp "
    "RuntimeDefault, not privileged.",
    severity=MANDATORY,
    remediation="Set the pod securityContext {runAsNonRoot: true, seccompProfile: {type: "
    "RuntimeDefault}} and each container's securityContext {allowPrivilegeEscalation: false, "
    "capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}; build the image to run as a "
    "non-root UID.",
    types=WORKLOADS,
)
def restricted_security_context(args: Any, report: ReportViolation) -> None:
    pod = pod_spec(args)
    for label, container in containers(pod):
        problems = container_problems(pod, container)
        if problems:
            report(f"{label}: {'; '.join(problems)}.")


@resource_rule(
    name="k8s-no-host-access",
    description="Kubernetes workloads share no host namespace (network, PID, IPC), mount no "
    "hostPath volume and bind no host port.",
    severity=MANDATORY,
    remediation="Remove hostNetwork/hostPID/hostIPC, replace hostPath volumes with emptyDir, "
    "ConfigMap or a PersistentVolumeClaim, and expose ports through a Service.",
    types=WORKLOADS,
)
def no_host_access(args: Any, report: ReportViolation) -> None:
    pod = pod_spec(args)
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if is_true(get(pod, field)):
            report(f"{field} is true.")
    for volume in as_list(get(pod, "volumes")):
        if get(volume, "hostPath") is not None:
            report(f"volume {text(get(volume, 'name')) or '?'!r} mounts a hostPath.")
    for label, container in containers(pod):
        for port in as_list(get(container, "ports")):
            if (number(get(port, "hostPort")) or 0) > 0:
                report(f"{label} binds hostPort {number(get(port, 'hostPort')):g}.")
