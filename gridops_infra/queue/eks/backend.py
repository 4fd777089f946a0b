"""The EKS backend of SqsWorkerQueue: the worker as a Deployment scaled by KEDA on the
queue's backlog, built from the same pieces as a StatelessService on EKS.

Reused from gridops_infra.service.eks.backend*: the checks every Deployment on EKS gets
(`check_pods`: numeric non-root users, architecture, Spot, External Secrets), the pod
(`pod_spec`), the workload role (`workload_role`: Pod Identity, IRSA in a Fargate
namespace), the secret sync through External Secrets (`sync_secrets`) and the network
rules linked resources get (`open_links`: the worker's own Pod security group when
it links a database or cache).

What a worker gets: a namespace named after it (Pod Security "restricted"), a
ServiceAccount whose role may consume this queue only (plus the links' grants and
`task_statements`), a Deployment without ports whose pods get `job_timeout_seconds`
after SIGTERM to finish their job (no 120 s cap as on Fargate, so no task protection is
needed: stop receiving on SIGTERM and finish the job in hand), a NetworkPolicy denying
all ingress (except in Fargate namespaces, which do not enforce it), and a KEDA
ScaledObject + TriggerAuthentication (gridops_infra.queue.eks.manifests) reading the
queue through a role only KEDA may assume, allowed sqs:GetQueueAttributes on this queue.

Spot: when the cluster has a Spot node group the workers tolerate it and prefer it; a
reclaimed node gives 2 minutes' notice, after which its job's message returns once the
visibility timeout passes, so jobs must be idempotent (as on Fargate Spot).
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.eks.identity import workload_role
from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.backend import QueueRefs, WorkerOutputs
from gridops_infra.queue.eks.manifests import KEDA_API_VERSION, QueueTarget, worker_manifests
from gridops_infra.queue.iam import consume_statements, sid_name
from gridops_infra.service.eks import pod_security as eks_pod_security
from gridops_infra.service.eks import secrets as eks_secrets
from gridops_infra.service.eks.backend import POD_IDENTITY_ROLES, open_links, pod_maker
from gridops_infra.service.eks.checks import Prepared, check_pods, eks_cluster
from gridops_infra.service.eks.manifests import Resolved
from gridops_infra.service.eks.secret_sync import ROLES as SECRET_SYNC_ROLES
from gridops_infra.service.eks.secret_sync import sync_secrets
from gridops_infra.service.eks.values import pod_values, secret_refs
from gridops_infra.service.spec.settings import ServiceSpec

COMPONENT = "SqsWorkerQueue"
KUBERNETES_ROLES = (
    "namespace",
    "service_account",
    "deployment",
    "network_policy",
    "trigger_authentication",
    "scaled_object",
)
CHILD_ROLES = (
    *KUBERNETES_ROLES,
    *POD_IDENTITY_ROLES,
    *SECRET_SYNC_ROLES,
    *eks_pod_security.ROLES,
)
RESOURCE_CLASSES: dict[str, type] = {
    "namespace": k8s.core.v1.Namespace,
    "service_account": k8s.core.v1.ServiceAccount,
    "deployment": k8s.apps.v1.Deployment,
    "network_policy": k8s.networking.v1.NetworkPolicy,
}
CUSTOM_RESOURCES = ("trigger_authentication", "scaled_object")
KEDA_RELEASE = "keda"
SCALER_ACTIONS = ("sqs:GetQueueAttributes",)
WORKER_CONSUMER_SUFFIX = "-worker"
"""A worker's consumer name at linked resources is `<name>-worker`, as on Fargate."""


def check(spec: ServiceSpec, platform: Any, settings: QueueSettings) -> Prepared:
    """An EksCluster with KEDA, no fixed on-demand share (a Fargate capacity-provider
    feature), and what every Deployment on EKS must satisfy."""
    cluster = eks_cluster(spec, platform, COMPONENT)
    if not cluster.settings.keda:
        raise ArgError(
            f"{COMPONENT} '{spec.name}': platform=EksCluster '{cluster.name}' is not allowed; "
            "it was created with keda=False, and workers on EKS scale with KEDA on the queue's "
            "backlog (create the EksCluster with keda=True, the default)"
        )
    if settings.on_demand_base:
        raise ArgError(
            f"{COMPONENT} '{spec.name}': on_demand_base={settings.on_demand_base} is not allowed "
            "on EksCluster; workers there prefer the Spot node group and run on the on-demand "
            "nodes when Spot has no room, without a fixed on-demand share (set spot=False to "
            "keep every worker on on-demand nodes)"
        )
    prepared = check_pods(spec, cluster, COMPONENT)
    cluster.reserve_namespace(prepared.namespace, f"{COMPONENT} '{spec.name}'")
    eks_pod_security.reserve(spec, cluster, prepared.on_fargate, COMPONENT)
    return prepared


def scaler_statements(queue: QueueRefs) -> list[dict[str, Any]]:
    """KEDA's read of the backlog: GetQueueAttributes on this queue, nothing else (the
    attributes are not encrypted, so no key permission either)."""
    return [iam.statement(SCALER_ACTIONS, [queue.arn], sid=f"ReadBacklogOf{sid_name(queue.name)}")]


def queue_grant(queue: QueueRefs, settings: QueueSettings) -> LinkGrant:
    """What the worker gets from its own queue: the URL and job timeout as settings and
    consume rights on this queue only."""
    return LinkGrant(
        environment={
            "QUEUE_URL": queue.url,
            "JOB_TIMEOUT_SECONDS": str(settings.job_timeout_seconds),
        },
        task_statements=consume_statements(
            queue.name, queue.arn, queue.kms_key_arn, iam.region_name()
        ),
    )


def build(
    owner: GridopsComponent,
    spec: ServiceSpec,
    cluster: EksCluster,
    prepared: Prepared,
    queue: QueueRefs,
    settings: QueueSettings,
) -> WorkerOutputs:
    ns, links = prepared.namespace, prepared.grant
    own = queue_grant(queue, settings)
    region = iam.region_name()
    statements = [
        *own.task_statements,
        *links.task_statements,
        *(dict(s) for s in spec.task_statements),
    ]
    pod = workload_role(
        pod_maker(owner),
        cluster.identity,
        ns,
        spec.name,
        statements,
        roles=("pod_role", "pod_role_policy", "pod_identity"),
        description=f"{COMPONENT} {spec.name} worker on EKS cluster {cluster.name}",
    )
    documents = {"pod": pod.policy_document} if pod.policy_document is not None else {}
    scaler_role, _, scaler_document = cluster.keda_scaler_role(
        f"{spec.name}-keda", scaler_statements(queue), parent=owner
    )
    if scaler_document is not None:
        documents["keda-scaler"] = scaler_document

    network = open_links(owner, spec, cluster, ns, f"{spec.name}{WORKER_CONSUMER_SUFFIX}")

    values: dict[str, Any] = {
        **pod_values(
            spec, links, pod.service_account_annotations, region, environment=own.environment
        ),
        "pod_security_group": network.group.id if network.group is not None else None,
        "queue_url": queue.url,
        "scaler_role_arn": scaler_role.arn,
    }
    resolved = pulumi.Output.from_input(values)
    refs = resolved.apply(lambda v: secret_refs(spec, v))
    has_pull = spec.image_pull_secret_arn is not None
    manifests = resolved.apply(
        lambda v: worker_manifests(
            spec,
            _resolved(spec, prepared, v, has_pull),
            settings,
            QueueTarget(v["queue_url"], region, v["scaler_role_arn"]),
            node_autoscaler=cluster.settings.node_autoscaler,
        )
    )
    k8s_opts = pulumi.ResourceOptions(provider=cluster.provider)

    def resource(role: str, after: list[pulumi.Resource], **extra: Any) -> Any:
        manifest = manifests.apply(lambda m: m[role])
        fields: dict[str, Any] = {"metadata": manifest.apply(lambda m: m["metadata"])}
        if role == "service_account":
            fields["automount_service_account_token"] = manifest.apply(
                lambda m: m["automountServiceAccountToken"]
            )
        elif role != "namespace":
            fields["spec"] = manifest.apply(lambda m: m["spec"])
        if role in CUSTOM_RESOURCES:
            cls: type = k8s.apiextensions.CustomResource
            fields["api_version"] = KEDA_API_VERSION
            fields["kind"] = "ScaledObject" if role == "scaled_object" else "TriggerAuthentication"
        else:
            cls = RESOURCE_CLASSES[role]
        opts = pulumi.ResourceOptions.merge(
            k8s_opts, pulumi.ResourceOptions(depends_on=after, **extra)
        )
        return owner.child(role, cls, fields, suffix=role.replace("_", "-"), opts=opts, tag=False)

    namespace = resource("namespace", [])
    pod_waits = network.policy(owner, spec, cluster, ns, namespace)
    secrets_role, secret_waits = sync_secrets(
        owner, spec, cluster, prepared, resolved, refs, region, documents, namespace
    )
    account = resource("service_account", [namespace])
    identity = [pod.association] if pod.association is not None else []
    deployment = resource(
        "deployment",
        [namespace, account, *identity, *secret_waits, *pod_waits, *links.start_after],
        # KEDA (through its HorizontalPodAutoscaler) owns the replica count after creation.
        ignore_changes=["spec.replicas"],
    )
    if not prepared.on_fargate:
        resource("network_policy", [namespace])
    keda = cluster.releases[KEDA_RELEASE]
    authentication = resource("trigger_authentication", [namespace, keda, scaler_role])
    resource("scaled_object", [deployment, authentication, keda])
    return WorkerOutputs(
        service_name=pulumi.Output.from_input(spec.name),
        security_group_id=network.security_group_id,
        task_role=pod.role,
        task_role_arn=pod.role.arn,
        execution_role_arn=secrets_role.arn if secrets_role is not None else None,
        policy_documents=documents,
        # Container Insights aggregates a workload's pods under PodName (the Deployment).
        utilization=tuple(
            Metric(
                "ContainerInsights",
                name,
                {"ClusterName": cluster.cluster_name, "Namespace": ns, "PodName": spec.name},
                "Average",
                60,
                "Percent",
                label,
            )
            for name, label in (
                ("pod_cpu_utilization_over_pod_limit", "CPU"),
                ("pod_memory_utilization_over_pod_limit", "memory"),
            )
        ),
    )


def _resolved(spec: ServiceSpec, prepared: Prepared, v: dict[str, Any], pull: bool) -> Resolved:
    refs = secret_refs(spec, v)
    return Resolved(
        namespace=prepared.namespace,
        image=v["image"],
        environment=dict(v["environment"]),
        secret_refs={r.env: (r.secret_name, r.key) for r in refs if r.container is None},
        sidecar_images=[s["image"] for s in v["sidecars"]],
        sidecar_environment=[dict(s["environment"]) for s in v["sidecars"]],
        sidecar_secret_refs=[
            {r.env: (r.secret_name, r.key) for r in refs if r.container == s.name}
            for s in spec.containers
        ],
        service_account_annotations=dict(v["annotations"]),
        on_fargate=prepared.on_fargate,
        spot=spec.spot is not None,
        pull_secret=eks_secrets.PULL_SECRET if pull else None,
        pod_security_group=v["pod_security_group"],
    )


__all__ = ["CHILD_ROLES", "build", "check", "queue_grant", "scaler_statements"]
