"""The Kubernetes objects of a StatelessService on EKS, rendered as plain manifest dicts
from the spec and resolved values (`Resolved`). Pure, so the tests validate every object
with `kubernetes-validate --strict` and checkov; `service/eks.py` turns each into a
Pulumi resource on the cluster's Kubernetes provider.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gridops_infra.platforms.fargate.component import ORIGIN_VERIFY_HEADER
from gridops_infra.service.eks.pods import (
    APP_PORT_NAME,
    ARCHITECTURES,
    PRE_STOP_SLEEP_SECONDS,
    SPOT_LABEL,
    app_container,
    scratch_volumes,
    sidecar_container,
    split_resources,
)
from gridops_infra.service.spec.settings import ServiceSpec

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
ALB = "alb.ingress.kubernetes.io/"
CATCH_ALL_ORDER = 1000  # LBC orders a group's rules by group.order: catch-alls last
MAX_INGRESS_ORDER = CATCH_ALL_ORDER - 1  # group.order is at most 1000, kept for catch-alls


@dataclass(frozen=True)
class CdnLock:
    """What admits only CloudFront to the shared ALB (an EksCluster with `behind_cdn`)."""

    prefix_list_id: str
    """CloudFront's origin-facing managed prefix list: the only source the ALB admits."""
    origin_secret: str
    """The `X-Origin-Verify` value every rule of the service requires (a secret: the
    Ingress carrying it is created with secret metadata)."""


@dataclass(frozen=True)
class Resolved:
    """Plain values the manifests need (every Output already resolved)."""

    namespace: str
    image: str
    environment: dict[str, str]
    secret_refs: dict[str, tuple[str, str]]
    """App env name -> (synced Kubernetes Secret, key)."""
    sidecar_images: list[str] = field(default_factory=list)
    sidecar_environment: list[dict[str, str]] = field(default_factory=list)
    sidecar_secret_refs: list[dict[str, tuple[str, str]]] = field(default_factory=list)
    service_account_annotations: dict[str, str] = field(default_factory=dict)
    alb_group_name: str = ""
    """The shared ALB's `group.name` annotation; empty on EKS Auto Mode, which refuses the
    annotation and takes the group from the IngressClassParams instead."""
    ingress_class: str = "alb"
    certificate_arn: str | None = None
    alb_source_cidrs: list[str] = field(default_factory=list)
    """Where the ALB's nodes live (the public subnets; behind a VPC origin the private
    ones): the only pod ingress allowed."""
    on_fargate: bool = False
    spot: bool = False
    pull_secret: str | None = None
    """The synced dockerconfigjson Secret for a private registry, if any."""
    cdn: CdnLock | None = None
    """Behind a CDN: the prefix list and origin secret the Ingress requires."""
    pod_security_group: str | None = None
    """The workload's own Pod security group, when it links a database or cache."""
    behind_vpc_origin: bool = False
    """Behind a CDN's VPC origin: no Ingress; a TargetGroupBinding registers the Pods in
    the cluster's internal ALB instead (`target_group_binding`)."""


def labels(spec: ServiceSpec) -> dict[str, str]:
    return {"app.kubernetes.io/name": spec.name, "app.kubernetes.io/managed-by": "gridops"}


def selector(spec: ServiceSpec) -> dict[str, str]:
    return {"app.kubernetes.io/name": spec.name}


POD_SECURITY_GROUP_ANNOTATION = "gridops.io/pod-security-group"


def pod_template_annotations(r: Resolved) -> dict[str, str]:
    """Pod annotations naming the workload's own security group: the Pods roll when it
    first appears or changes, since a SecurityGroupPolicy applies to new Pods only (the
    old ones would keep the nodes' group, which linked resources no longer admit)."""
    if r.pod_security_group is None:
        return {}
    return {POD_SECURITY_GROUP_ANNOTATION: r.pod_security_group}


def _meta(spec: ServiceSpec, r: Resolved, **extra: Any) -> dict[str, Any]:
    return {"name": spec.name, "namespace": r.namespace, "labels": labels(spec), **extra}


RESTRICTED_PODS = {
    f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "audit", "warn")
}
"""Namespace labels: Pod Security Admission enforces (and audits, warns) "restricted"."""


def namespace(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    """Pod Security Admission enforces "restricted"; the AWS Load Balancer Controller
    injects readiness gates, so a rolling update waits for ALB health before it stops
    old pods."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": r.namespace,
            "labels": {
                **labels(spec),
                **RESTRICTED_PODS,
                "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
            },
        },
    }


def service_account(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    meta = _meta(spec, r)
    if r.service_account_annotations:
        meta["annotations"] = dict(r.service_account_annotations)
    # AWS credentials come from Pod Identity (or the IRSA token the EKS webhook mounts),
    # not from the Kubernetes API token, which the app does not need.
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": meta,
        "automountServiceAccountToken": False,
    }


def pod_spec(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    app_resources, sidecar_resources = split_resources(spec)
    app = app_container(spec, r.image, r.environment, r.secret_refs, app_resources)
    natives, regular = [], []
    for i, sidecar in enumerate(spec.containers):
        container = sidecar_container(
            sidecar,
            r.sidecar_images[i],
            r.sidecar_environment[i],
            r.sidecar_secret_refs[i],
            sidecar_resources[i],
        )
        (natives if "restartPolicy" in container else regular).append(container)
    pod: dict[str, Any] = {
        "serviceAccountName": spec.name,
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "securityContext": {
            "runAsNonRoot": True,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "terminationGracePeriodSeconds": PRE_STOP_SLEEP_SECONDS + 30,
        "containers": [app, *regular],
        "nodeSelector": {"kubernetes.io/arch": ARCHITECTURES[spec.cpu_architecture]},
        "topologySpreadConstraints": [
            {
                "maxSkew": 1,
                "topologyKey": key,
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": selector(spec)},
            }
            for key in ("topology.kubernetes.io/zone", "kubernetes.io/hostname")
        ],
    }
    if natives:
        pod["initContainers"] = natives
    volumes = scratch_volumes(spec)
    if volumes:
        pod["volumes"] = volumes
    if r.pull_secret:
        pod["imagePullSecrets"] = [{"name": r.pull_secret}]
    if r.spot and spec.spot is not None:
        pod["tolerations"] = [
            {"key": SPOT_LABEL, "operator": "Equal", "value": "spot", "effect": "NoSchedule"}
        ]
        share = spec.spot.weight / (spec.spot.weight + spec.spot.on_demand_weight)
        pod["affinity"] = {
            "nodeAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": max(1, min(100, round(share * 100))),
                        "preference": {
                            "matchExpressions": [
                                {"key": SPOT_LABEL, "operator": "In", "values": ["spot"]}
                            ]
                        },
                    }
                ]
            }
        }
    return pod


def deployment(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(spec, r),
        "spec": {
            "replicas": spec.min_count,
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "selector": {"matchLabels": selector(spec)},
            # Never below the current capacity during a rollout: new pods first.
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"},
            },
            "template": {"metadata": _template_meta(spec, r), "spec": pod_spec(spec, r)},
        },
    }


def _template_meta(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    meta: dict[str, Any] = {"labels": labels(spec)}
    if annotations := pod_template_annotations(r):
        meta["annotations"] = annotations
    return meta


def service(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(spec, r),
        "spec": {
            "type": "ClusterIP",
            "selector": selector(spec),
            "ports": [
                {
                    "name": APP_PORT_NAME,
                    "port": spec.port,
                    "targetPort": APP_PORT_NAME,
                    "protocol": "TCP",
                }
            ],
        },
    }


def horizontal_pod_autoscaler(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    metrics = [
        {
            "type": "Resource",
            "resource": {
                "name": name,
                "target": {"type": "Utilization", "averageUtilization": target},
            },
        }
        for name, target in (
            ("cpu", spec.cpu_target_percent),
            ("memory", spec.memory_target_percent),
        )
        if target
    ]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _meta(spec, r),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": spec.name},
            "minReplicas": max(spec.min_count, 1),
            "maxReplicas": spec.max_count,
            "metrics": metrics,
            "behavior": {
                "scaleDown": {"stabilizationWindowSeconds": spec.scale_in_cooldown_seconds},
                "scaleUp": {
                    "stabilizationWindowSeconds": 0,
                    "policies": [
                        {
                            "type": "Percent",
                            "value": 100,
                            "periodSeconds": min(max(spec.scale_out_cooldown_seconds, 15), 1800),
                        }
                    ],
                },
            },
        },
    }


def pod_disruption_budget(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    """Node drains and upgrades take one pod at a time."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(spec, r),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": selector(spec)}},
    }


def network_policy(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    """Ingress to the pods only from the load balancer (its nodes in the public
    subnets) on the app port. Kubelet probes from the pod's own node stay allowed (the
    VPC CNI policy agent always admits the node IP); egress is not restricted here.

    Behind a VPC origin the internal ALB sits in the private subnets, beside the Pods, so
    these blocks admit the private subnets on the app port: the policy no longer tells
    the ALB from other Pods there, and the security groups (the ALB's group admitted on
    the Pods' group) carry that distinction."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(spec, r),
        "spec": {
            "podSelector": {"matchLabels": selector(spec)},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    "from": [{"ipBlock": {"cidr": cidr}} for cidr in r.alb_source_cidrs],
                    "ports": [{"protocol": "TCP", "port": spec.port}],
                }
            ],
        },
    }


def ingress_order(spec: ServiceSpec, catch_all: bool) -> int:
    """The Ingress's `group.order` (the controller evaluates lower first): `priority` when
    given (1..MAX_INGRESS_ORDER, checked in eks_checks), else 0, and catch-alls last."""
    if spec.priority is not None:
        return spec.priority
    return CATCH_ALL_ORDER if catch_all else 0


def ingress(spec: ServiceSpec, r: Resolved) -> dict[str, Any]:
    """An Ingress the AWS Load Balancer Controller joins to the cluster's shared ALB
    (`group.name`), targeting pod IPs; HTTPS with the certificate when there is one.

    Behind a CDN (`r.cdn`): the ALB's security group admits only CloudFront's prefix list
    (`security-group-prefix-lists`; no `inbound-cidrs`, so the controller adds no
    0.0.0.0/0), HTTPS services listen on 443 only (CloudFront never needs the redirect on
    80), and every rule also requires the `X-Origin-Verify` header
    (`conditions.<service>`, keyed by the backend service's name)."""
    catch_all = not spec.hosts and spec.path_patterns == ("/*",)
    group = {f"{ALB}group.name": r.alb_group_name} if r.alb_group_name else {}
    annotations = {
        **group,
        f"{ALB}group.order": str(ingress_order(spec, catch_all)),
        f"{ALB}scheme": "internet-facing",
        f"{ALB}target-type": "ip",
        f"{ALB}healthcheck-path": spec.health_check_path,
        f"{ALB}success-codes": "200-399",
        f"{ALB}target-group-attributes": (
            f"deregistration_delay.timeout_seconds={spec.deregistration_delay_seconds}"
        ),
        f"{ALB}load-balancer-attributes": (
            "deletion_protection.enabled=true,"
            "routing.http.drop_invalid_header_fields.enabled=true,"
            "routing.http.desync_mitigation_mode=defensive"
        ),
    }
    if r.certificate_arn and r.cdn is not None:
        annotations[f"{ALB}listen-ports"] = json.dumps([{"HTTPS": 443}])
        annotations[f"{ALB}certificate-arn"] = r.certificate_arn
        annotations[f"{ALB}ssl-policy"] = TLS_POLICY
    elif r.certificate_arn:
        annotations[f"{ALB}listen-ports"] = json.dumps([{"HTTP": 80}, {"HTTPS": 443}])
        annotations[f"{ALB}certificate-arn"] = r.certificate_arn
        annotations[f"{ALB}ssl-policy"] = TLS_POLICY
        annotations[f"{ALB}ssl-redirect"] = "443"
    else:
        annotations[f"{ALB}listen-ports"] = json.dumps([{"HTTP": 80}])
    if r.cdn is not None:
        annotations[f"{ALB}security-group-prefix-lists"] = r.cdn.prefix_list_id
        annotations[f"{ALB}conditions.{spec.name}"] = json.dumps(
            [
                {
                    "field": "http-header",
                    "httpHeaderConfig": {
                        "httpHeaderName": ORIGIN_VERIFY_HEADER,
                        "values": [r.cdn.origin_secret],
                    },
                }
            ]
        )
    # The port by number: the controller names the target group's resource tag after it
    # (`<namespace>/<ingress>-<service>:<port>`), which the metrics lookup relies on.
    backend = {"service": {"name": spec.name, "port": {"number": spec.port}}}
    paths = [
        {"path": p, "pathType": "ImplementationSpecific", "backend": backend}
        for p in spec.path_patterns or ("/*",)
    ]
    rules = [{"host": h, "http": {"paths": paths}} for h in spec.hosts] or [
        {"http": {"paths": paths}}
    ]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": _meta(spec, r, annotations=annotations),
        "spec": {"ingressClassName": r.ingress_class, "rules": rules},
    }


TARGET_GROUP_BINDING_KIND = "TargetGroupBinding"


def target_group_binding(
    spec: ServiceSpec, r: Resolved, api_version: str, target_group_arn: str
) -> dict[str, Any]:
    """The load balancer controller registers the IPs of the Pods behind the service's
    Kubernetes Service (its app port) in `target_group_arn`, an ip-type target group
    Pulumi created on the cluster's internal ALB. No `networking`: the controller then
    leaves security groups alone, and Pulumi admits the ALB's group on the Pods' group
    itself (`OriginAlb.admit_targets`)."""
    return {
        "apiVersion": api_version,
        "kind": TARGET_GROUP_BINDING_KIND,
        "metadata": _meta(spec, r),
        "spec": {
            "targetGroupARN": target_group_arn,
            "targetType": "ip",
            "serviceRef": {"name": spec.name, "port": spec.port},
        },
    }


def workload_manifests(spec: ServiceSpec, r: Resolved) -> dict[str, dict[str, Any]]:
    """Every built-in Kubernetes object of the service, by role."""
    out = {
        "namespace": namespace(spec, r),
        "service_account": service_account(spec, r),
        "deployment": deployment(spec, r),
        "service": service(spec, r),
        "pod_disruption_budget": pod_disruption_budget(spec, r),
    }
    if not r.behind_vpc_origin:
        out["ingress"] = ingress(spec, r)
    if not r.on_fargate:  # Fargate pods do not enforce NetworkPolicy
        out["network_policy"] = network_policy(spec, r)
    if spec.max_count > max(spec.min_count, 1):
        out["horizontal_pod_autoscaler"] = horizontal_pod_autoscaler(spec, r)
    return out


__all__ = ["CdnLock", "Resolved", "ingress", "target_group_binding", "workload_manifests"]
