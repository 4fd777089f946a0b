"""The EKS backend of StatelessService: one ServiceSpec -> a namespace with a
Deployment (Pod Security "restricted", probes, zone spread), Service, HPA, PDB,
NetworkPolicy and an Ingress on the cluster's shared ALB; a Pod Identity role with
exactly the grants of `links` and `task_statements`; secrets through External Secrets.
A linked ContainerRepository adds nothing here: the kubelet pulls images with the node
role (not the Pod's), which EksCluster gives AmazonEC2ContainerRegistryPullOnly.

Every Kubernetes object is rendered by `eks_manifests` / `eks_secrets` as a plain dict
and created on the cluster's Kubernetes provider.

On a cluster `behind_cdn` with `origin_access: "vpc-origin"` (the default) there is no
Ingress: the service gets a target group and listener rule on the cluster's internal ALB
and a TargetGroupBinding (`eks_origin_routing`). With `"public-with-header"`, the Ingress
also carries CloudFront's prefix list and the `X-Origin-Verify` condition; the origin
secret in that annotation is why the Ingress's `metadata` input is a Pulumi secret
(encrypted in state, masked in diffs). The secret still lives in the Ingress object on the
cluster, readable by whoever may read Ingresses there, as the Load Balancer Controller must
read it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, stage_name
from gridops_infra.observability.eks.contract import otel_environment
from gridops_infra.platforms.dns import CERTIFICATE_ROLES, validated_certificate
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.eks.identity import workload_role
from gridops_infra.service.backend import ServiceOutputs
from gridops_infra.service.eks import checks as eks_checks
from gridops_infra.service.eks import origin_routing as eks_origin_routing
from gridops_infra.service.eks import pod_security as eks_pod_security
from gridops_infra.service.eks import secrets as eks_secrets
from gridops_infra.service.eks.checks import Prepared
from gridops_infra.service.eks.manifests import CdnLock, Resolved, selector, workload_manifests
from gridops_infra.service.eks.manifests import ingress as ingress_manifest
from gridops_infra.service.eks.metrics import EksMetrics, look_up
from gridops_infra.service.eks.secret_sync import ROLES as SECRET_SYNC_ROLES
from gridops_infra.service.eks.secret_sync import sync_secrets
from gridops_infra.service.eks.values import pod_values, secret_refs
from gridops_infra.service.fargate.routing import path_prefix
from gridops_infra.service.link_sidecars import attach_links, with_link_sidecars
from gridops_infra.service.spec.settings import ServiceSpec

KUBERNETES_ROLES = (
    "namespace",
    "service_account",
    "deployment",
    "kubernetes_service",
    "horizontal_pod_autoscaler",
    "pod_disruption_budget",
    "network_policy",
    "ingress",
)
POD_IDENTITY_ROLES = ("pod_role", "pod_role_policy", "pod_identity")
"""The child roles `pod_maker` creates, on services and workers."""
CHILD_ROLES = (
    *KUBERNETES_ROLES,
    *POD_IDENTITY_ROLES,
    *SECRET_SYNC_ROLES,
    *CERTIFICATE_ROLES,
    *eks_pod_security.ROLES,
    *eks_origin_routing.ROLES,
)
# Top-level fields besides metadata (manifest key, Python argument); default: spec.
TOP_LEVEL_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "namespace": (),
    "service_account": (("automountServiceAccountToken", "automount_service_account_token"),),
}
RESOURCE_CLASSES: dict[str, type] = {
    "namespace": k8s.core.v1.Namespace,
    "service_account": k8s.core.v1.ServiceAccount,
    "deployment": k8s.apps.v1.Deployment,
    "kubernetes_service": k8s.core.v1.Service,
    "horizontal_pod_autoscaler": k8s.autoscaling.v2.HorizontalPodAutoscaler,
    "pod_disruption_budget": k8s.policy.v1.PodDisruptionBudget,
    "network_policy": k8s.networking.v1.NetworkPolicy,
    "ingress": k8s.networking.v1.Ingress,
}


def check(spec: ServiceSpec, platform: Any) -> Prepared:
    """`eks_checks.check`, plus (behind a CDN) the one listener port all services share;
    the listener is recorded only once every check passed."""
    if isinstance(platform, EksCluster):
        platform.check_listener(spec.name, spec.domain)
    prepared = eks_checks.check(spec, platform)
    prepared.priority = eks_origin_routing.reserve_priority(spec, platform)
    platform.claim_listener(spec.name, spec.domain)
    return prepared


def build(
    service: GridopsComponent, spec: ServiceSpec, cluster: EksCluster, prepared: Prepared
) -> ServiceOutputs:
    ns, grant = prepared.namespace, prepared.grant
    spec = with_link_sidecars(spec, grant)
    if spec.tracing:
        # The cluster's OpenTelemetry gateway (ObservabilityStack) is the collector here.
        spec = dataclasses.replace(
            spec,
            environment={**otel_environment(spec.name, stage_name(), ns), **spec.environment},
        )
    region = iam.region_name()
    k8s_opts = pulumi.ResourceOptions(provider=cluster.provider)
    statements = [*grant.task_statements, *(dict(s) for s in spec.task_statements)]
    pod = workload_role(
        pod_maker(service),
        cluster.identity,
        ns,
        spec.name,
        statements,
        roles=("pod_role", "pod_role_policy", "pod_identity"),
        description=f"StatelessService {spec.name} on EKS cluster {cluster.name}",
    )
    documents = {"pod": pod.policy_document} if pod.policy_document is not None else {}
    # EKS services have no CloudWatch deployment alarms of their own: links are judged by
    # the SLO composite alarm (with slo_rollback).
    attached = attach_links(spec, grant, pod.role, pod.role.name, [])
    network = open_links(service, spec, cluster, ns, spec.name)

    behind_vpc_origin = cluster.origin_alb is not None
    # The ALB's nodes: in the public subnets, or behind a VPC origin in the private ones.
    alb_subnets = (
        cluster.network.private_subnets if behind_vpc_origin else cluster.network.public_subnets
    )
    certificate_arn = (
        validated_certificate(service, spec.domain, spec.zone_id)
        if spec.domain and spec.zone_id
        else None
    )
    values: dict[str, Any] = {
        **pod_values(spec, grant, pod.service_account_annotations, region),
        "pod_security_group": network.group.id if network.group is not None else None,
        "cidrs": [subnet.cidr_block for subnet in alb_subnets],
        "certificate_arn": certificate_arn,
    }
    resolved = pulumi.Output.from_input(values)
    refs = resolved.apply(lambda v: secret_refs(spec, v))
    waits: list[pulumi.Resource] = list(cluster.ingress_ready)
    if pod.association is not None:
        waits.append(pod.association)
    has_pull = spec.image_pull_secret_arn is not None
    ctx = resolved.apply(lambda v: _resolved(spec, cluster, prepared, v, has_pull))
    manifests = ctx.apply(lambda r: workload_manifests(spec, r))
    locked_ingress = _cdn_locked_ingress(spec, cluster, ctx)

    def resource(role: str, after: list[pulumi.Resource], **extra: Any) -> Any:
        key = "service" if role == "kubernetes_service" else role
        manifest = manifests.apply(lambda m: m[key])
        fields = {"metadata": manifest.apply(lambda m: m["metadata"])}
        if role == "ingress" and locked_ingress is not None:
            fields["metadata"] = locked_ingress.apply(lambda m: m["metadata"])
        for wire, arg in TOP_LEVEL_FIELDS.get(role, (("spec", "spec"),)):
            fields[arg] = manifest.apply(lambda m, w=wire: m[w])
        opts = pulumi.ResourceOptions.merge(
            k8s_opts, pulumi.ResourceOptions(depends_on=after, **extra)
        )
        return service.child(
            role,
            RESOURCE_CLASSES[role],
            fields,
            suffix=role.replace("_", "-"),
            opts=opts,
            tag=False,
        )

    namespace = resource("namespace", [])
    pod_waits = network.policy(service, spec, cluster, ns, namespace)
    secrets_role, secret_waits = sync_secrets(
        service, spec, cluster, prepared, resolved, refs, region, documents, namespace
    )
    created: dict[str, Any] = {"namespace": namespace}
    for role in KUBERNETES_ROLES[1:]:
        if role == "horizontal_pod_autoscaler" and spec.max_count <= max(spec.min_count, 1):
            continue
        if role == "network_policy" and prepared.on_fargate:
            continue
        if role == "ingress" and behind_vpc_origin:
            continue
        after: list[pulumi.Resource] = [namespace]
        extra: dict[str, Any] = {}
        if role == "deployment":
            after += [
                created["service_account"],
                *waits,
                *secret_waits,
                *pod_waits,
                *prepared.grant.start_after,
                *attached,
            ]
            # The HorizontalPodAutoscaler owns the replica count once the Deployment exists.
            extra["ignore_changes"] = ["spec.replicas"]
        if role == "ingress":
            after += [created["kubernetes_service"], *waits]
        created[role] = resource(role, after, **extra)

    if behind_vpc_origin and prepared.priority is not None:
        route = eks_origin_routing.route(
            service,
            spec,
            cluster,
            prepared.priority,
            certificate_arn,
            (_pods_key(spec, network, prepared), network.security_group_id),
            ctx,
            [created["kubernetes_service"], *waits],
        )
        load_balancer: Any = route.load_balancer
        target_group: Any = route.target_group
        url = _origin_url(spec, route.load_balancer)
    else:
        ingress = created["ingress"]
        lookups = look_up(
            cluster.physical_name,
            cluster.alb_group_name,
            ns,
            spec.name,
            spec.port,
            ingress,
            auto_mode=cluster.settings.auto_mode,
        )
        cluster.record_load_balancer(spec.name, lookups.load_balancer)
        load_balancer, target_group = lookups.load_balancer, lookups.target_group
        url = _url(spec, ingress)
    if spec.domain and spec.zone_id:
        service.child(
            "alias_record",
            aws.route53.Record,
            {
                "zone_id": spec.zone_id,
                "name": spec.domain,
                "type": "A",
                "aliases": [
                    {
                        "name": load_balancer.dns_name,
                        "zone_id": load_balancer.zone_id,
                        "evaluate_target_health": True,
                    }
                ],
            },
            suffix="alias",
        )
    metrics = EksMetrics(
        load_balancer.arn_suffix,
        target_group.arn_suffix,
        cluster_name=cluster.cluster_name,
        namespace=ns,
        service=spec.name,
    )
    return ServiceOutputs(
        url=url,
        service_name=pulumi.Output.from_input(spec.name),
        security_group_id=network.security_group_id,
        task_role=pod.role,
        task_role_arn=pod.role.arn,
        execution_role_arn=secrets_role.arn if secrets_role is not None else None,
        target_group_arn=target_group.arn,
        deployment_alarm_names=pulumi.Output.from_input([]),
        metrics=metrics,
        policy_documents=documents,
    )


def _resolved(
    spec: ServiceSpec, cluster: EksCluster, prepared: Prepared, v: dict[str, Any], pull: bool
) -> Resolved:
    refs = secret_refs(spec, v)
    app = {r.env: (r.secret_name, r.key) for r in refs if r.container is None}
    sidecar_refs = [
        {r.env: (r.secret_name, r.key) for r in refs if r.container == s.name}
        for s in spec.containers
    ]
    return Resolved(
        namespace=prepared.namespace,
        image=v["image"],
        environment=dict(v["environment"]),
        secret_refs=app,
        sidecar_images=[s["image"] for s in v["sidecars"]],
        sidecar_environment=[dict(s["environment"]) for s in v["sidecars"]],
        sidecar_secret_refs=sidecar_refs,
        service_account_annotations=dict(v["annotations"]),
        # Auto Mode takes the group from the cluster's IngressClassParams only.
        alb_group_name="" if cluster.settings.auto_mode else cluster.alb_group_name,
        ingress_class=cluster.ingress_class_name,
        certificate_arn=v["certificate_arn"],
        alb_source_cidrs=list(v["cidrs"]),
        on_fargate=prepared.on_fargate,
        spot=spec.spot is not None,
        pull_secret=eks_secrets.PULL_SECRET if pull else None,
        pod_security_group=v["pod_security_group"],
        behind_vpc_origin=cluster.origin_alb is not None,
    )


def _pods_key(spec: ServiceSpec, network: NetworkLinks, prepared: Prepared) -> str:
    """Which security group the service's Pods carry, as the internal ALB's rules name
    it: the workload's own, else the Fargate Pods' (the cluster group) or the nodes'."""
    if network.group is not None:
        return f"{spec.name}-pods"
    return "fargate" if prepared.on_fargate else "nodes"


def _cdn_locked_ingress(
    spec: ServiceSpec, cluster: EksCluster, ctx: pulumi.Output[Resolved]
) -> pulumi.Output[dict[str, Any]] | None:
    """Behind a CDN, the Ingress with the prefix list and the origin-secret condition, as
    a secret Output (only the Ingress carries the secret; the other manifests stay plain)."""
    secret, prefix_list = cluster.origin_verify_secret, cluster.cloudfront_prefix_list_id
    if secret is None or prefix_list is None:
        return None
    locked = pulumi.Output.all(ctx, secret).apply(
        lambda args: ingress_manifest(
            spec, dataclasses.replace(args[0], cdn=CdnLock(prefix_list, args[1]))
        )
    )
    return pulumi.Output.secret(locked)


def _url(spec: ServiceSpec, ingress: k8s.networking.v1.Ingress) -> pulumi.Output[str]:
    """The rules of Fargate's service url: `https://<domain>`, else the first host without
    wildcards, else the ALB's DNS name; each followed by the first path pattern's fixed
    prefix (`path_prefix`). Without a `domain` the Ingress listens on HTTP only."""
    prefix = path_prefix(spec)
    if spec.domain:
        return pulumi.Output.from_input(f"https://{spec.domain}{prefix}")
    plain_hosts = [h for h in spec.hosts if "*" not in h and "?" not in h]
    if plain_hosts:
        return pulumi.Output.from_input(f"http://{plain_hosts[0]}{prefix}")
    return ingress.status.apply(_hostname).apply(lambda h: f"http://{h}{prefix}")


def _origin_url(spec: ServiceSpec, load_balancer: aws.lb.LoadBalancer) -> pulumi.Output[str]:
    """Fargate's rules on the internal ALB: `https://<domain>`, else the first host
    without wildcards, else the ALB's DNS name (answering inside the VPC only; viewers
    use the CdnFrontend's url), each followed by the first path's fixed prefix."""
    prefix = path_prefix(spec)
    if spec.domain:
        return pulumi.Output.from_input(f"https://{spec.domain}{prefix}")
    plain_hosts = [h for h in spec.hosts if "*" not in h and "?" not in h]
    if plain_hosts:
        return pulumi.Output.from_input(f"http://{plain_hosts[0]}{prefix}")
    return load_balancer.dns_name.apply(lambda h: f"http://{h}{prefix}")


def _hostname(status: Any) -> str:
    hosts = status.load_balancer.ingress if status and status.load_balancer else None
    if not hosts or not hosts[0].hostname:
        raise ValueError("the Ingress reported no load balancer host name")
    return hosts[0].hostname


@dataclasses.dataclass
class NetworkLinks:
    """How a workload's links reach it (`open_links`), before its namespace exists."""

    group: aws.ec2.SecurityGroup | None
    """The workload's own Pod security group, when it links a database or cache."""
    security_group_id: pulumi.Output[str]
    """Its own group, else the nodes' (or on Fargate the cluster's) shared group."""

    def policy(
        self,
        owner: GridopsComponent,
        spec: ServiceSpec,
        cluster: EksCluster,
        ns: str,
        namespace: pulumi.Resource,
    ) -> list[pulumi.Resource]:
        """The SecurityGroupPolicy, once the namespace exists; what the Deployment must
        wait for (the policy applies to Pods created after it only)."""
        if self.group is None:
            return []
        made = eks_pod_security.policy(
            owner, spec, cluster, ns, selector(spec), self.group.id, [namespace]
        )
        return [made]


def open_links(
    owner: GridopsComponent, spec: ServiceSpec, cluster: EksCluster, ns: str, consumer: str
) -> NetworkLinks:
    """Open the links to this workload: to its own Pods' security group when it links a
    database or cache (`eks_pod_security`), else through the nodes' group (the links
    left, such as queues, open nothing)."""
    group = eks_pod_security.security_group(owner, spec, cluster)
    if group is not None:
        source: pulumi.Output[str] = group.id
    else:
        consumer, source = cluster.link_consumer(ns)
    for link in spec.links:
        link.allow_from(consumer, source)
    return NetworkLinks(group, source)


def pod_maker(owner: GridopsComponent):
    """`make` for a workload's Pod Identity role and association: the owner's children,
    named `<owner>-pod-<suffix>` (the roles `transforms` knows)."""

    def make(role: str, cls: type, args: dict[str, Any], suffix: str, opts=None) -> Any:
        name = suffix if suffix.startswith("pod-") else f"pod-{suffix}"
        return owner.child(role, cls, args, suffix=name, opts=opts)

    return make


__all__ = ["CHILD_ROLES", "NetworkLinks", "Prepared", "build", "check", "open_links", "pod_maker"]
