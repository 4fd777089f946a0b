"""Amazon EKS: the rules AWS enforces when it creates a cluster and its managed node
groups."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon EKS"

CLUSTER_TWO_AZS = aws_rule(
    id="eks-cluster-two-azs",
    service=SERVICE,
    rule="An EKS cluster needs at least two subnets in different Availability Zones.",
    source="https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html",
    fix="Give the Network az_count >= 2 (or two availability_zones).",
)

KUBERNETES_VERSION = aws_rule(
    id="eks-kubernetes-version",
    service=SERVICE,
    rule="A cluster runs a Kubernetes version EKS currently offers (standard or extended support).",
    source="https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
    fix="Choose a kubernetes_version from the supported list (see eks_catalog."
    "KUBERNETES_VERSIONS).",
)

NODE_GROUP_SCALING = aws_rule(
    id="eks-node-group-scaling",
    service=SERVICE,
    rule="A managed node group's scaling has minSize >= 0, maxSize >= 1, minSize <= "
    "desiredSize <= maxSize, and at most 450 nodes (the quota 'Nodes per managed node group').",
    source="https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html",
    fix="Keep node_min <= node_desired <= node_max <= 450 (spot_min <= spot_max, spot_max >= 1).",
)

NODE_GROUP_ARCHITECTURE = aws_rule(
    id="eks-node-group-architecture",
    service=SERVICE,
    rule="A managed node group's instance types run its AMI type's architecture (Graviton "
    "types with an ARM_64 AMI type, x86 types with an x86_64 one).",
    source="https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
    fix="Pick node_instance_types of node_architecture (e.g. m7g.large on arm64, m7i.large on "
    "x86_64).",
)

AUTO_MODE_CAPABILITIES = aws_rule(
    id="eks-auto-mode-capabilities",
    service=SERVICE,
    rule="EKS Auto Mode's compute, block storage and load balancing capabilities are "
    "enabled (or disabled) together: computeConfig.enabled, "
    "storageConfig.blockStorage.enabled and kubernetesNetworkConfig.elasticLoadBalancing."
    "enabled must all be true or all false.",
    source="https://docs.aws.amazon.com/eks/latest/eksctl/auto-mode.html",
    fix="Let EksCluster(compute='auto-mode') set all three; do not switch one of them "
    "through a `cluster` transform.",
)

AUTO_MODE_CLUSTER_ROLE = aws_rule(
    id="eks-auto-mode-cluster-role",
    service=SERVICE,
    rule="An Auto Mode cluster's role trusts eks.amazonaws.com for sts:AssumeRole and "
    "sts:TagSession and carries AmazonEKSClusterPolicy, AmazonEKSComputePolicy, "
    "AmazonEKSBlockStoragePolicy, AmazonEKSLoadBalancingPolicy and "
    "AmazonEKSNetworkingPolicy (or equivalent permissions); its compute config names a "
    "node role, which cannot be the cluster role.",
    source="https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html",
    fix="Let EksCluster(compute='auto-mode') create both roles; do not replace the cluster "
    "role's trust policy through a `cluster_role` transform.",
)

AUTO_MODE_POD_SECURITY_GROUPS = aws_rule(
    id="eks-auto-mode-pod-security-groups",
    service=SERVICE,
    rule="On EKS Auto Mode, a SecurityGroupPolicy gives Pods their own security groups "
    "only on clusters running Kubernetes 1.36 or later.",
    source="https://docs.aws.amazon.com/eks/latest/userguide/auto-sgp.html",
    fix="Use kubernetes_version='1.36' (the Auto Mode default), or pod_security_groups="
    "False (then workloads on nodes cannot link databases or caches).",
)

AUTO_MODE_INGRESS_GROUP = aws_rule(
    id="eks-auto-mode-ingress-group",
    service=SERVICE,
    rule="EKS Auto Mode's load balancing does not support the Ingress annotation "
    "alb.ingress.kubernetes.io/group.name: Ingresses share a load balancer through the "
    "group of their IngressClass's IngressClassParams only.",
    source="https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html",
    fix="Let StatelessService on EksCluster(compute='auto-mode') write its Ingress (the "
    "cluster's IngressClassParams carries the group); do not add group.name through a "
    "transform.",
)
