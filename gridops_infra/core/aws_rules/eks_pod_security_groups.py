"""Security groups for Pods on EKS (the VPC CNI's branch network interfaces, assigned by a
`SecurityGroupPolicy`): what AWS needs before a Pod can get its own security group.

EksCluster turns the feature on (`pod_security_groups`, the default) so that a database
or cache linked by a workload admits that workload's Pods only, not every node.
"""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon EKS"
GUIDE = "https://docs.aws.amazon.com/eks/latest/userguide"

TRUNK_INSTANCE_TYPES = aws_rule(
    id="eks-pod-sg-trunk-instance-types",
    service=SERVICE,
    rule=(
        "Security groups for Pods on EC2 nodes need instance types that support a trunk "
        "network interface (IsTrunkingCompatible in the VPC resource controller's limits); "
        "no instance type of the t family does."
    ),
    source=f"{GUIDE}/security-groups-for-pods.html",
    fix=(
        "Choose node_instance_types / spot_instance_types outside the t family (e.g. "
        "m7g.large, c7g.large), or create the EksCluster with pod_security_groups=False and "
        "link no database or cache to its workloads."
    ),
)

RESOURCE_CONTROLLER_POLICY = aws_rule(
    id="eks-pod-sg-cluster-role-policy",
    service=SERVICE,
    rule=(
        "The cluster IAM role needs the AmazonEKSVPCResourceController managed policy, and "
        "the VPC CNI needs ENABLE_POD_ENI=true, before Pods on EC2 nodes get their own "
        "security groups; without them those Pods stay Pending or Waiting."
    ),
    source=f"{GUIDE}/security-groups-pods-deployment.html",
    fix=(
        "Keep pod_security_groups=True on the EksCluster (it attaches the policy and "
        "configures the vpc-cni add-on), and do not transform them away."
    ),
)

CLUSTER_GROUP_IN_POLICY = aws_rule(
    id="eks-pod-sg-cluster-group",
    service=SERVICE,
    rule=(
        "The security groups a SecurityGroupPolicy gives Pods must admit the kubelet's "
        "probes from the nodes, reach CoreDNS on TCP and UDP 53 and, on Fargate, the "
        "Kubernetes control plane; the easiest way is to list the cluster security group "
        "as one of them."
    ),
    source=f"{GUIDE}/sg-pods-example-deployment.html",
    fix=(
        "Keep the cluster security group in the workload's SecurityGroupPolicy (gridops "
        "lists it next to the workload's own group; do not transform it away)."
    ),
)

BRANCH_INTERFACES = aws_rule(
    id="eks-pod-sg-branch-interfaces",
    service=SERVICE,
    rule=(
        "Each Pod with its own security groups on an EC2 node takes one branch network "
        "interface; a node group holds at most its node count times the branch interfaces "
        "of its instance type (9 on an m5.large), and further such Pods stay Pending."
    ),
    source=f"{GUIDE}/sg-pods-example-deployment.html",
    fix=(
        "Lower max_count / max_workers of the workloads that link a database or cache, or "
        "give the EksCluster more or larger nodes (node_max, node_instance_types)."
    ),
)

__all__ = [
    "BRANCH_INTERFACES",
    "CLUSTER_GROUP_IN_POLICY",
    "RESOURCE_CONTROLLER_POLICY",
    "TRUNK_INSTANCE_TYPES",
]
