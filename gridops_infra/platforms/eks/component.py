"""EksCluster: an EKS cluster in the network's private subnets, ready for services."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from gridops_infra.core import iam
from gridops_infra.core.alarm_topic import ROLES as ALARM_TOPIC_ROLES
from gridops_infra.core.alarm_topic import build_alarm_topic
from gridops_infra.core.aws_rules.eks_pod_security_groups import BRANCH_INTERFACES
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.metrics import Metric
from gridops_infra.core.physical_names import KUBERNETES_NAME, RULES, physical_name
from gridops_infra.core.random_secrets import random_password
from gridops_infra.core.validation import ArgError, ArgReader, check_name
from gridops_infra.network.component import Network
from gridops_infra.platforms.alb import CLOUDFRONT_PREFIX_LIST
from gridops_infra.platforms.base import PlatformKind
from gridops_infra.platforms.eks import load_balancing as lb
from gridops_infra.platforms.eks.addons import (
    EBS_CSI,
    NEEDS_NODES,
    NODE_PREREQUISITES,
    addon,
    cni_role,
    container_insights,
    ebs_csi_driver,
    vpc_cni_configuration,
)
from gridops_infra.platforms.eks.args import EksClusterArgs, EksSettings, read_eks_args
from gridops_infra.platforms.eks.auto_mode import AutoModeObjects, build_auto_mode_objects
from gridops_infra.platforms.eks.auto_mode_manifests import INGRESS_CLASS, STORAGE_PROVISIONER
from gridops_infra.platforms.eks.catalog import branch_interfaces
from gridops_infra.platforms.eks.compute import Compute, build_compute, node_security_group
from gridops_infra.platforms.eks.control_plane import admin_access_entries, build_control_plane
from gridops_infra.platforms.eks.helm import KARPENTER, LOAD_BALANCER_CONTROLLER, kubeconfig
from gridops_infra.platforms.eks.iam import irsa_trust
from gridops_infra.platforms.eks.identity import (
    ClusterIdentity,
    PodIdentityRole,
    assumed_role,
    parented_maker,
    path_role,
    workload_role,
)
from gridops_infra.platforms.eks.karpenter import (
    KarpenterInfra,
    build_karpenter_infra,
    karpenter_node_resources,
)
from gridops_infra.platforms.eks.operators import install_operators
from gridops_infra.platforms.eks.origin_alb import ROLES as ORIGIN_ALB_ROLES
from gridops_infra.platforms.eks.origin_alb import OriginAlb, build_origin_alb

# Namespaces the cluster, its add-ons and gridops' own operators and stacks use: a
# workload named like one would land in it.
RESERVED_NAMESPACES = frozenset(
    {
        "default",
        "kube-system",
        "kube-public",
        "kube-node-lease",
        "keda",
        "external-secrets",
        "amazon-cloudwatch",  # the CloudWatch observability add-on
        "monitoring",  # ObservabilityStack's Prometheus and Grafana
        "monitoring-node-exporter",
        "argocd",  # ArgoCdGitOps
    }
)


class EksCluster(GridopsComponent):
    """An EKS cluster (private API endpoint, KMS-encrypted secrets, every control-plane
    log type, access entries instead of aws-auth) with KEDA and External Secrets, all
    reached through one Kubernetes provider (`provider`), on one of three computes
    (`compute`, see docs/eks-compute.md):

    - `"auto-mode"`: EKS Auto Mode. AWS runs the nodes (its NodePools plus gridops' Graviton
      NodePool), load balancing (IngressClass `alb`, controller `eks.amazonaws.com/alb`),
      block storage (StorageClass `gp3`), pod networking, CoreDNS and Pod Identity; nothing
      of that is installed by gridops. AWS recommends it for new clusters and so do we:
      AWS patches and rotates the nodes and upgrades what gridops would otherwise pin, for
      a management fee of about 12% of the nodes' on-demand price; the eks stage uses it.
    - `"managed-node-groups"`: Graviton managed node groups with Cluster Autoscaler, the AWS
      Load Balancer Controller and the EBS CSI driver. The default when `compute` is not
      given, so programs written before it keep their Plans: switching an existing cluster
      in place would delete the Load Balancer Controller and with it the services' ALB
      (a new DNS name behind CloudFront, i.e. downtime). Choose Auto Mode for new clusters.
    - `"karpenter"`: Karpenter with its interruption queue, EC2NodeClass and NodePools
      beside one managed node group.

    Services (StatelessService, SqsWorkerQueue) get from it: `pod_identity_role` (a role
    per service account), `secrets_reader_role` / `secrets_reader_trust` (a role External
    Secrets gets for one workload only with a token of that workload's reader
    ServiceAccount), `keda_scaler_role` (a role the KEDA operator assumes for one queue),
    `alb_group_name` (all services share one ALB), `workload_security_group_ids` (the
    groups of Pods without one of their own). With `pod_security_groups` (the default),
    a workload that links a database or cache gets its own security group through a
    `SecurityGroupPolicy`, and the linked resource admits that group only.

    Behind a CDN (`behind_cdn: True`, for CdnFrontend), by default (`origin_access:
    "vpc-origin"`) the cluster creates an internal ALB (`origin_alb`) that CloudFront
    reaches through a VPC origin: services register their Pods in it with a
    `TargetGroupBinding` instead of an Ingress, so nothing is on the internet. With
    `"public-with-header"` the ALB is the Load Balancer Controller's, built from the
    services' Ingresses, so the cluster hands each Ingress the lock instead: CloudFront's
    origin-facing prefix list (`cloudfront_prefix_list_id`, the only source the ALB's
    security group admits) and `origin_verify_secret`, which every service's rule requires
    in the `X-Origin-Verify` header (the CDN sends it).

    Example: `EksCluster("prod", {"network": net, "public_access_cidrs": ["203.0.113.0/24"]})`
    """

    TYPE = "gridops:aws:EksCluster"
    # fmt: off
    CHILD_ROLES = (
        "secrets_key", "secrets_key_alias", "log_group", "cluster_role", "cluster_role_policy",
        "cluster_role_kms_policy", "cluster", "oidc_provider", "access_entry", "access_policy",
        "node_security_group", "cni_role", "cni_role_policy", "addon", "node_role",
        "node_role_policy", "launch_template", "node_group", "fargate_role",
        "fargate_role_policy", "fargate_profile", "kubernetes_provider", "operator_role",
        "operator_role_policy", "operator_pod_identity", "lbc_release", "container_log_group",
        "insights_role",
        "ebs_csi_role",
        "ebs_csi_role_policy",
        "insights_role_policy", "keda_release",
        "eso_release", "autoscaler_release",
        "origin_verify_secret",
        "karpenter_node_role", "karpenter_node_role_policy", "karpenter_access_entry",
        "interruption_queue", "interruption_dead_letter_queue", "interruption_queue_policy",
        "interruption_rule", "interruption_target", "karpenter_release",
        "karpenter_node_class", "karpenter_node_pool",
        *ORIGIN_ALB_ROLES,
        "ingress_class_params", "ingress_class", "block_storage_class", "auto_node_pool",
        *ALARM_TOPIC_ROLES,
    )
    # fmt: on
    kind: PlatformKind = "eks"
    """Services on this platform are built by the `"eks"` backend."""

    network: Network
    """The Network the cluster runs in."""
    settings: EksSettings
    """The validated arguments."""
    cluster: aws.eks.Cluster
    """The EKS cluster."""
    alarm_topic: aws.sns.Topic
    """The encrypted SNS topic this platform's own alarms, and those of the components
    running on it (queue backlog and dead letters, node health), notify. Subscribe to it
    (`aws.sns.TopicSubscription`), or watch the components with an ObservabilityStack,
    which subscribes its alert addresses."""
    alarm_topic_arn: pulumi.Output[str]
    """The ARN of `alarm_topic` (an output of the stack worth exporting)."""
    cluster_name: pulumi.Output[str]
    """The EKS cluster's name: `f"{name}-{stack}"`."""
    cluster_arn: pulumi.Output[str]
    """The EKS cluster's ARN."""
    endpoint: pulumi.Output[str]
    """The Kubernetes API server URL."""
    kubernetes_version: str
    """The Kubernetes minor version, e.g. `"1.35"`."""
    oidc_issuer: pulumi.Output[str]
    """The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/...`)."""
    oidc_provider_arn: pulumi.Output[str]
    """The IAM OIDC provider for IRSA."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig using `aws eks get-token` (a secret Output)."""
    provider: k8s.Provider
    """The Kubernetes provider every Kubernetes resource on this cluster must use."""
    cluster_security_group_id: pulumi.Output[str]
    """The security group EKS created for the cluster: on the control plane, every node
    and every Fargate pod."""
    node_security_group_id: pulumi.Output[str]
    """The managed nodes' own security group (no rules; linked resources admit it)."""
    alb_group_name: str
    """The `alb.ingress.kubernetes.io/group.name` all services use, so they share one ALB."""
    ingress_class_name: str
    """The IngressClass every service's Ingress names (`"alb"`): the AWS Load Balancer
    Controller's, or on Auto Mode the one the cluster creates for `eks.amazonaws.com/alb`."""
    block_storage_provisioner: str | None
    """The CSI provisioner a StorageClass for EBS volumes names: `ebs.csi.aws.com` with the
    EBS CSI add-on, `ebs.csi.eks.amazonaws.com` on Auto Mode, None without either."""
    auto_mode: AutoModeObjects | None
    """On Auto Mode, the IngressClass, StorageClass and NodePools the cluster created."""
    compute: Compute | None
    """The managed node groups and Fargate profiles; None on Auto Mode."""
    karpenter: KarpenterInfra | None
    """Karpenter's AWS side with `compute="karpenter"`; None otherwise."""
    karpenter_node_class: k8s.apiextensions.CustomResource | None
    karpenter_node_pools: list[k8s.apiextensions.CustomResource]
    fargate_namespaces: tuple[str, ...]
    """Namespaces whose pods run on Fargate."""
    container_insights: bool
    """Whether Container Insights runs (pod CPU/memory metrics per Kubernetes Service)."""
    behind_cdn: bool
    """Only CloudFront reaches the shared ALB (see `EksClusterArgs.behind_cdn`)."""
    origin_verify_secret: pulumi.Output[str] | None
    """Behind a CDN: the secret value of the `X-Origin-Verify` header every service's ALB
    rule requires (a Pulumi secret); None otherwise."""
    cloudfront_prefix_list_id: str | None
    """Behind a CDN with `"public-with-header"`: the id of CloudFront's origin-facing
    managed prefix list, the only source the controller's ALB admits; None otherwise."""
    origin_access: str | None
    """Behind a CDN: `"vpc-origin"` (internal ALB) or `"public-with-header"`; else None."""
    origin_alb: OriginAlb | None
    """Behind a CDN with `"vpc-origin"`: the internal ALB the services' target groups sit
    behind and the CdnFrontend's VPC origin points at; None otherwise."""

    def __init__(
        self,
        name: str,
        args: EksClusterArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("EksCluster", name)
        a = ArgReader("EksCluster", name, args, EksClusterArgs.__annotations__)
        s = read_eks_args(a)
        transforms = check_transforms("EksCluster", name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))

        self.settings = s
        self._routes: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}
        self._namespaces: dict[str, str] = {}
        self._branch_pods: dict[str, int] = {}
        self._listener_domains: dict[str, str | None] = {}
        self._load_balancers: dict[str, pulumi.Output[aws.lb.GetLoadBalancerResult]] = {}
        self.behind_cdn = s.behind_cdn
        self.origin_access = s.origin_access
        self.origin_verify_secret = None
        self.cloudfront_prefix_list_id = None
        self.origin_alb = None
        if s.origin_access == "vpc-origin":
            self.origin_alb = build_origin_alb(self, s.network)
        elif s.behind_cdn:
            # Letters and digits only: ALB header conditions treat * and ? as wildcards.
            secret = random_password(
                self, "origin_verify_secret", 48, suffix="origin-verify", mixed=False
            )
            self.origin_verify_secret = pulumi.Output.secret(secret.result)
            prefix_list = aws.ec2.get_managed_prefix_list(name=CLOUDFRONT_PREFIX_LIST)
            self.cloudfront_prefix_list_id = prefix_list.id
        self.network = s.network
        self.kubernetes_version = s.kubernetes_version
        self.fargate_namespaces = s.fargate_namespaces
        self.ingress_class_name = INGRESS_CLASS
        self.physical_name = physical_cluster_name(name)
        self.alb_group_name = physical_name(
            self.physical_name.lower().replace("_", "-"), KUBERNETES_NAME
        )
        self._region = iam.region_name()
        self._account = iam.account_id()

        self.control_plane = build_control_plane(self, s, self.physical_name)
        self.cluster = self.control_plane.cluster
        self.cluster_name = self.cluster.name
        self.cluster_arn = self.cluster.arn
        self.endpoint = self.cluster.endpoint
        self.cluster_security_group_id = self.cluster.vpc_config.cluster_security_group_id
        self.oidc_issuer = self.cluster.identities.apply(_issuer)
        oidc = self.child(
            "oidc_provider",
            aws.iam.OpenIdConnectProvider,
            {"url": self.oidc_issuer, "client_id_lists": ["sts.amazonaws.com"]},
        )
        self.oidc_provider_arn = oidc.arn
        access = admin_access_entries(self, self.cluster, s.admin_role_arns)

        if s.auto_mode:
            self._build_auto_mode(name, s, access)
            return
        karpenter = s.node_autoscaler == "karpenter"
        self.auto_mode = None
        node_sg = node_security_group(self, s)
        self.node_security_group_id = node_sg.id
        self.cni_role, self.cni_trust_policy = cni_role(self, oidc.arn, self.oidc_issuer)
        early = {
            n: addon(
                self,
                n,
                self.cluster,
                s.kubernetes_version,
                role_arn=self.cni_role.arn if n == "vpc-cni" else None,
                configuration=(
                    vpc_cni_configuration(s.pod_security_groups) if n == "vpc-cni" else None
                ),
            )
            for n in NODE_PREREQUISITES
        }
        self.compute = build_compute(
            self,
            s,
            self.cluster,
            self.physical_name,
            node_sg,
            self._region,
            self._account,
            [early["vpc-cni"], early["kube-proxy"]],
        )
        nodes: list[pulumi.Resource] = [*self.compute.node_groups, *self.compute.fargate_profiles]
        late = {
            n: addon(self, n, self.cluster, s.kubernetes_version, depends_on=nodes)
            for n in NEEDS_NODES
        }
        self.addons = {**early, **late}
        self.block_storage_provisioner = "ebs.csi.aws.com" if s.ebs_csi_driver else None
        if s.ebs_csi_driver:
            self.addons[EBS_CSI] = ebs_csi_driver(
                self,
                self.cluster,
                self.physical_name,
                s.kubernetes_version,
                [*nodes, early["eks-pod-identity-agent"]],
            )
        self.container_insights = s.container_insights
        insights_trust = None
        if s.container_insights:
            self.addons["amazon-cloudwatch-observability"], insights_trust = container_insights(
                self,
                self.cluster,
                self.physical_name,
                s.kubernetes_version,
                s.container_log_retention_days,
                [*nodes, early["eks-pod-identity-agent"]],
            )

        self.karpenter = None
        if karpenter:
            self.karpenter = build_karpenter_infra(
                self,
                s,
                self.cluster,
                self.physical_name,
                self._region,
                self._account,
                node_security_group_id=node_sg.id,
            )

        self.identity = ClusterIdentity(
            self.physical_name,
            oidc.arn,
            self.oidc_issuer,
            s.fargate_namespaces,
            ready=[early["eks-pod-identity-agent"]],
        )
        self._connect()
        self.operators = install_operators(
            self,
            s,
            self.identity,
            self.provider,
            [*nodes, late["coredns"], *access],
            region=self._region,
            account=self._account,
            assumed_role_path=self.assumed_role_path,
            karpenter=self.karpenter,
        )
        self.releases = self.operators.releases
        self.karpenter_node_class = None
        self.karpenter_node_pools = []
        if self.karpenter is not None:
            self.karpenter_node_class, self.karpenter_node_pools = karpenter_node_resources(
                self,
                s,
                self.karpenter,
                self.physical_name,
                self.provider,
                self.releases[KARPENTER.chart],
            )
        self.policy_documents = {
            "cluster-kms": self.control_plane.kms_policy,
            **self.operators.policy_documents,
        }
        if self.karpenter is not None:
            self.policy_documents["karpenter-interruption-queue"] = self.karpenter.queue_policy
        self.trust_policies = {"vpc-cni": self.cni_trust_policy, **self.operators.trust_policies}
        if insights_trust is not None:
            self.trust_policies["amazon-cloudwatch-observability"] = insights_trust

        self._finish(name)

    def _build_auto_mode(
        self, name: str, s: EksSettings, access: list[aws.eks.AccessPolicyAssociation]
    ) -> None:
        """Auto Mode: no node group, launch template, VPC CNI, kube-proxy, CoreDNS, Pod
        Identity agent, EBS CSI driver, Load Balancer Controller or node autoscaler (AWS
        runs each of them); the nodes carry the cluster security group, which linked
        resources admit for Pods without a group of their own."""
        self.node_security_group_id = self.cluster_security_group_id
        self.compute = None
        self.karpenter = None
        self.karpenter_node_class = None
        self.karpenter_node_pools = []
        self.addons = {
            "metrics-server": addon(self, "metrics-server", self.cluster, s.kubernetes_version)
        }
        self.block_storage_provisioner = STORAGE_PROVISIONER
        self.container_insights = s.container_insights
        insights_trust = None
        if s.container_insights:
            self.addons["amazon-cloudwatch-observability"], insights_trust = container_insights(
                self,
                self.cluster,
                self.physical_name,
                s.kubernetes_version,
                s.container_log_retention_days,
                [],
            )
        self.identity = ClusterIdentity(
            self.physical_name, self.oidc_provider_arn, self.oidc_issuer, (), ready=[]
        )
        self._connect()
        self.auto_mode = build_auto_mode_objects(
            self, s, self.provider, list(access), self.alb_group_name
        )
        self.operators = install_operators(
            self,
            s,
            self.identity,
            self.provider,
            [*access, *self.auto_mode.node_pools],
            region=self._region,
            account=self._account,
            assumed_role_path=self.assumed_role_path,
        )
        self.releases = self.operators.releases
        self.policy_documents = {
            "cluster-kms": self.control_plane.kms_policy,
            **self.operators.policy_documents,
        }
        self.trust_policies = dict(self.operators.trust_policies)
        if insights_trust is not None:
            self.trust_policies["amazon-cloudwatch-observability"] = insights_trust
        self._finish(name)

    def _connect(self) -> None:
        self.kubeconfig = kubeconfig(
            self.cluster.name,
            self.cluster.endpoint,
            self.cluster.certificate_authority.data,
            self._region,
        )
        self.provider = self.child(
            "kubernetes_provider",
            k8s.Provider,
            {"kubeconfig": self.kubeconfig, "enable_server_side_apply": True},
            suffix="k8s",
            tag=False,
        )

    def _finish(self, name: str) -> None:
        self.alarm_topic = build_alarm_topic(self, f"EksCluster {name}")
        self.alarm_topic_arn = self.alarm_topic.arn
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "cluster_arn": self.cluster_arn,
                "alarm_topic_arn": self.alarm_topic_arn,
                "endpoint": self.endpoint,
                "oidc_provider_arn": self.oidc_provider_arn,
                "oidc_issuer": self.oidc_issuer,
                "kubeconfig": self.kubeconfig,
                "cluster_security_group_id": self.cluster_security_group_id,
                "node_security_group_id": self.node_security_group_id,
                "kubernetes_version": self.kubernetes_version,
            }
        )

    # -- what services use ---------------------------------------------------------

    @property
    def load_balancing(self) -> lb.LoadBalancing:
        """Who serves the cluster's Ingresses and TargetGroupBindings, and in which API."""
        return lb.AUTO_MODE if self.settings.auto_mode else lb.LOAD_BALANCER_CONTROLLER

    @property
    def ingress_ready(self) -> list[pulumi.Resource]:
        """What an Ingress waits for: the Load Balancer Controller's release, or on Auto
        Mode the IngressClass it names."""
        if self.auto_mode is not None:
            return [self.auto_mode.ingress_class]
        return [self.releases[LOAD_BALANCER_CONTROLLER.chart]]

    def _node_metric(self, name: str, statistic: str, unit: str, label: str) -> list[Metric]:
        if not self.settings.container_insights:
            return []
        dims: dict[str, pulumi.Input[str]] = {"ClusterName": self.cluster_name}
        return [Metric("ContainerInsights", name, dims, statistic, 60, unit, label)]

    def metric_failed_nodes(self) -> list[Metric]:
        """Nodes with a failing condition (Container Insights `cluster_failed_node_count`,
        Maximum); none with `container_insights=False`."""
        return self._node_metric("cluster_failed_node_count", "Maximum", "Count", "failed nodes")

    def metric_node_cpu(self) -> list[Metric]:
        """CPU used on the nodes, percent (`node_cpu_utilization`, Average over the cluster)."""
        return self._node_metric("node_cpu_utilization", "Average", "Percent", "node CPU")

    def metric_node_memory(self) -> list[Metric]:
        """Memory used on the nodes, percent (`node_memory_utilization`, Average)."""
        return self._node_metric("node_memory_utilization", "Average", "Percent", "node memory")

    @property
    def workload_security_group_ids(self) -> list[pulumi.Output[str]]:
        """The groups Pods without a group of their own carry: the nodes' group, plus the
        cluster group when Fargate profiles exist (Fargate Pods carry only it). Admitting
        these admits every such Pod; linked databases and caches admit the linking
        workload's own group instead."""
        ids = [self.node_security_group_id]
        if self.fargate_namespaces:
            ids.append(self.cluster_security_group_id)
        return ids

    def pod_identity_role(
        self,
        name: str,
        namespace: str,
        service_account: str,
        statements: Sequence[dict[str, Any]],
        *,
        parent: pulumi.Resource | None = None,
    ) -> PodIdentityRole:
        """An IAM role with exactly `statements`, bound to `namespace/service_account`
        (Pod Identity association; IRSA in a Fargate namespace). Resources are named
        `f"{name}-role"`, `-policy`, `-pod-identity` and parented to `parent`."""
        make = parented_maker(name, parent or self, self.tags)
        return workload_role(
            make,
            self.identity,
            namespace,
            service_account,
            statements,
            description=f"{namespace}/{service_account} on EKS cluster {self.name}",
        )

    def secrets_reader_role(
        self,
        name: str,
        namespace: str,
        service_account: str,
        statements: Sequence[dict[str, Any]],
        *,
        parent: pulumi.Resource | None = None,
    ) -> tuple[aws.iam.Role, pulumi.Output[str], pulumi.Output[str] | None]:
        """A role for one workload's SecretStore, which External Secrets gets with a token
        of `namespace/service_account` (the store's `auth.jwt.serviceAccountRef`; that
        ServiceAccount carries the role ARN): `statements` should read exactly that
        workload's secrets. Resources are named `f"{name}-role"` / `-policy`. Returns
        (role, trust policy JSON, permissions policy JSON)."""
        make = parented_maker(name, parent or self, self.tags)
        return path_role(
            make,
            self.secrets_reader_trust(namespace, service_account),
            self.assumed_role_path("external-secrets"),
            statements,
            description=f"external-secrets on EKS cluster {self.name}, for {name}",
        )

    def secrets_reader_trust(self, namespace: str, service_account: str) -> pulumi.Output[str]:
        """The trust policy of a secrets reader role (see `secrets_reader_role`): only a
        token of `namespace/service_account` from this cluster's OIDC issuer, audience
        STS, through AssumeRoleWithWebIdentity. A namespaced SecretStore can only name a
        ServiceAccount of its own namespace, so no other namespace can get the role."""
        self._require_external_secrets()
        return irsa_trust(self.oidc_provider_arn, self.oidc_issuer, namespace, service_account)

    def keda_scaler_role(
        self,
        name: str,
        statements: Sequence[dict[str, Any]],
        *,
        parent: pulumi.Resource | None = None,
    ) -> tuple[aws.iam.Role, pulumi.Output[str], pulumi.Output[str] | None]:
        """A role only the KEDA operator may assume, for one ScaledObject's
        TriggerAuthentication (e.g. `sqs:GetQueueAttributes` on one queue)."""
        if "keda" not in self.operators.role_arns:
            raise ValueError(
                f"EksCluster '{self.name}' was created with keda=False; keda is not "
                "installed, so there is no operator to assume this role"
            )
        make = parented_maker(name, parent or self, self.tags)
        return assumed_role(
            make,
            self.operators.role_arns["keda"],
            self.assumed_role_path("keda"),
            statements,
            description=f"keda on EKS cluster {self.name}, for {name}",
        )

    def check_namespace(self, namespace: str, owner: str) -> str | None:
        """Why `owner` may not have `namespace` (a workload's namespace is its name), or
        None: the cluster's and its add-ons' own namespaces, and one already taken by
        another workload, are refused."""
        if namespace in RESERVED_NAMESPACES:
            return (
                f"its namespace would be {namespace!r}, which the cluster or its add-ons use; "
                "choose another name"
            )
        taken = self._namespaces.get(namespace)
        if taken is not None and taken != owner:
            return (
                f"its namespace would be {namespace!r}, already used by {taken} on EKS "
                f"cluster '{self.name}'; choose another name"
            )
        return None

    def reserve_namespace(self, namespace: str, owner: str) -> None:
        """Claim `namespace` for `owner` once every other check has passed."""
        self._namespaces.setdefault(namespace, owner)

    @property
    def branch_interface_capacity(self) -> int | None:
        """The most Pods with their own security groups the node groups can hold at
        their largest (`max_size` nodes of each group's roomiest type, Spot included), or
        None with Karpenter or Auto Mode, which pick instance types by the Pods' branch
        interface requests."""
        if self.settings.node_autoscaler in ("karpenter", "auto-mode"):
            return None
        pools = [p for p in (self.settings.on_demand, self.settings.spot) if p is not None]
        return sum(p.max_size * max(branch_interfaces(t) for t in p.instance_types) for p in pools)

    def check_branch_interfaces(self, owner: str, field: str, pods: int) -> None:
        """Refuse `owner` when its `pods` (Pods with their own security groups on nodes)
        and those of the workloads before it cannot all have a branch interface."""
        capacity = self.branch_interface_capacity
        if capacity is None:
            return
        others = sum(n for who, n in self._branch_pods.items() if who != owner)
        if others + pods > capacity:
            raise BRANCH_INTERFACES.refuse(
                owner,
                field,
                f"{field}={pods} Pods with their own security group, with the {others} of "
                f"earlier workloads, exceed the {capacity} branch network interfaces the "
                f"node groups of EksCluster '{self.name}' have at their largest",
            )

    def reserve_branch_interfaces(self, owner: str, pods: int) -> None:
        """Count `owner`'s Pods once every other check has passed."""
        self._branch_pods[owner] = pods

    def reserve_route(
        self, service_name: str, hosts: tuple[str, ...], path_patterns: tuple[str, ...]
    ) -> None:
        """Claim hosts + paths on the shared ALB for one service (before it registers
        anything); another service with exactly the same match is refused."""
        key = (tuple(sorted(hosts)), tuple(sorted(path_patterns)))
        taken = self._routes.setdefault(key, service_name)
        if taken != service_name:
            raise ArgError(
                f"StatelessService '{service_name}': hosts={list(hosts)} path_patterns="
                f"{list(path_patterns)} is not allowed; service '{taken}' already routes "
                f"exactly that on EKS cluster '{self.name}'"
            )

    def check_listener(self, service_name: str, domain: str | None) -> None:
        """Refuse a service whose Ingress would need other listeners than the services
        before it. Behind a CDN, CloudFront's prefix list counts as 55 rules per port
        against the ALB security group's 60, so all of them share one port (443 with a
        `domain`, else 80). Without a CDN, a service with a `domain` sets the controller's
        `ssl-redirect`, which leaves the shared load balancer's port 80 only a redirect,
        so a service without a domain would be unreachable. Checks only;
        `claim_listener` records the service once it is accepted."""
        for other, other_domain in self._listener_domains.items():
            if other == service_name or bool(other_domain) == bool(domain):
                continue
            if not self.behind_cdn:
                with_domain, without = (service_name, other) if domain else (other, service_name)
                raise ArgError(
                    f"StatelessService '{service_name}': domain={domain!r} is not allowed on "
                    f"EksCluster '{self.name}': service '{with_domain}' has a domain, whose "
                    "HTTPS redirect takes over the shared load balancer's port 80, so service "
                    f"'{without}' (HTTP only) would be unreachable. Give every service on "
                    "this cluster a domain, or none"
                )
            else:
                port, other_port = (443, 80) if domain else (80, 443)
                raise ArgError(
                    f"StatelessService '{service_name}': domain={domain!r} is not allowed on "
                    f"EksCluster '{self.name}' behind a CDN: it would open port {port} next to "
                    f"{other_port} (service '{other}') to CloudFront's prefix list, which "
                    "counts as 55 rules per port against the ALB security group's 60. Give "
                    "every service on this cluster a domain, or none"
                )

    def claim_listener(self, service_name: str, domain: str | None) -> None:
        """Record which listener a service's Ingress uses (HTTPS with its `domain`)."""
        self._listener_domains[service_name] = domain

    @property
    def redirects_http(self) -> bool:
        """Whether the shared ALB's HTTP listener only redirects to HTTPS: a service with a
        `domain` sets the controller's `ssl-redirect`, which applies to the whole Ingress
        group (not behind a CDN, where HTTPS services do not listen on 80 at all)."""
        return not self.behind_cdn and any(self._listener_domains.values())

    def record_load_balancer(
        self, service_name: str, load_balancer: pulumi.Output[aws.lb.GetLoadBalancerResult]
    ) -> None:
        """Keep the controller-made ALB as looked up after `service_name`'s Ingress exists."""
        self._load_balancers[service_name] = load_balancer

    def load_balancer_dns_name(self, service_name: str) -> pulumi.Output[str] | None:
        """The shared ALB's DNS name, known once `service_name`'s Ingress exists (a CDN in
        front of that service depends on it), or the internal ALB's behind a VPC origin;
        None for a service not built here."""
        if self.origin_alb is not None:
            return self.origin_alb.dns_name if service_name in self._listener_domains else None
        load_balancer = self._load_balancers.get(service_name)
        return load_balancer.dns_name if load_balancer is not None else None

    def link_consumer(self, namespace: str) -> tuple[str, pulumi.Output[str]]:
        """(consumer name, security group) of the Pods in `namespace` that have no group of
        their own: they share their nodes' group (Fargate Pods the cluster group), so
        admitting it admits every such Pod on the cluster. A workload that links a database
        or cache gets its own group instead (`gridops_infra.service.eks.pod_security`), and
        the workload's links are opened to that group only."""
        if namespace in self.fargate_namespaces:
            return f"{self.name}-fargate", self.cluster_security_group_id
        return f"{self.name}-nodes", self.node_security_group_id

    def assumed_role_path(self, operator: str) -> str:
        """The IAM path of the roles `operator` works through on this cluster: KEDA may
        assume those under its path; External Secrets' reader roles sit under theirs but
        each trusts only its own workload's ServiceAccount token."""
        return f"/gridops/{self.physical_name}/{operator}/"

    # -- construction ----------------------------------------------------------------

    def _require_external_secrets(self) -> None:
        if not self.settings.external_secrets:
            raise ValueError(
                f"EksCluster '{self.name}' was created with external_secrets=False; "
                "External Secrets is not installed, so nothing would use a secrets reader role"
            )


def _issuer(identities: Any) -> str:
    issuer = identities[0].oidcs[0].issuer if identities else None
    if not issuer:
        raise ValueError("the EKS cluster reported no OIDC issuer")
    return issuer


def physical_cluster_name(name: str) -> str:
    """`f"{name}-{stack}"`: EKS names are unique per account and region, so two stacks
    of one program never collide (letters, digits, '-' and '_'; at most 100, else
    truncated and ended with a hash of the whole, so long names sharing a prefix differ)."""
    stack = re.sub(r"[^A-Za-z0-9_-]", "-", pulumi.get_stack())
    return physical_name(f"{name}-{stack}", RULES["aws:eks/cluster:Cluster"])


__all__ = ["EksCluster", "EksClusterArgs", "PodIdentityRole"]
