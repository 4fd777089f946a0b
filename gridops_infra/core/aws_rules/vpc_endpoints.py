"""What a workload without a route to the internet needs to start: VPC endpoints (AWS
PrivateLink) for each AWS service it calls, and images from a registry those endpoints reach."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

_SERVICE = "Amazon VPC endpoints (AWS PrivateLink)"
_ECR_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html"
_ECS_ENDPOINTS = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html"
_NAT_FIX = (
    'give the Network nat="single" (one NAT gateway) or nat="per-az", or list the endpoints '
    'in its vpc_endpoints (e.g. ["fargate"])'
)

ECR_PULL_ENDPOINTS = aws_rule(
    id="vpce-ecr-pull-endpoints",
    service=_SERVICE,
    rule=(
        "A task or node in subnets without a route to the internet pulls from Amazon ECR only "
        "through the ecr.api and ecr.dkr interface endpoints and the Amazon S3 gateway endpoint "
        "on its subnets' route tables (ECR keeps image layers in S3)."
    ),
    source=_ECR_ENDPOINTS,
    fix=_NAT_FIX,
)

ECR_PRIVATE_REGISTRY_ONLY = aws_rule(
    id="vpce-ecr-private-registry-only",
    service=_SERVICE,
    rule=(
        "Through VPC endpoints, images come only from Amazon ECR private registries of the "
        "endpoints' Region; Amazon ECR Public (public.ecr.aws) and other registries (Docker Hub, "
        "ghcr.io, quay.io) need a route to the internet."
    ),
    source=_ECR_ENDPOINTS,
    fix=(
        "copy the image into a private ECR repository of the stack's Region (a Registry, or an "
        'ECR pull-through cache rule), or give the Network nat="single" or nat="per-az"'
    ),
)

AWSLOGS_ENDPOINT = aws_rule(
    id="vpce-awslogs-endpoint",
    service=_SERVICE,
    rule=(
        "A task that logs with the awslogs driver from subnets without a route to the internet "
        "needs the CloudWatch Logs (logs) interface endpoint, or it fails to start."
    ),
    source=_ECS_ENDPOINTS,
    fix=_NAT_FIX,
)

SECRETS_ENDPOINTS = aws_rule(
    id="vpce-secrets-endpoints",
    service=_SERVICE,
    rule=(
        "A task whose definition references Secrets Manager secrets or Systems Manager "
        "parameters from subnets without a route to the internet needs the secretsmanager or "
        "ssm interface endpoint, or it fails to start."
    ),
    source=_ECS_ENDPOINTS,
    fix=_NAT_FIX,
)

SERVICE_API_ENDPOINT = aws_rule(
    id="vpce-service-api-endpoint",
    service=_SERVICE,
    rule=(
        "From subnets without a route to the internet, an AWS service API (SQS, STS, X-Ray, "
        "...) is reachable only through that service's interface endpoint in the VPC."
    ),
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    fix=_NAT_FIX,
)

PRIVATE_DNS_NEEDS_VPC_DNS = aws_rule(
    id="vpce-private-dns-needs-vpc-dns",
    service=_SERVICE,
    rule=(
        "An interface endpoint with private DNS needs the VPC attributes enableDnsSupport and "
        "enableDnsHostnames set to true."
    ),
    source="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html",
    fix="keep enable_dns_support and enable_dns_hostnames true on the VPC (Network sets both).",
)

ENDPOINT_ADMITS_HTTPS = aws_rule(
    id="vpce-endpoint-admits-https",
    service=_SERVICE,
    rule=(
        "The security group of an interface endpoint must allow incoming HTTPS (port 443) from "
        "the private subnets of the VPC."
    ),
    source=_ECR_ENDPOINTS,
    fix="admit TCP 443 from the VPC CIDR on the endpoints' security group (Network does).",
)

EKS_PRIVATE_CLUSTER = aws_rule(
    id="vpce-eks-private-cluster",
    service=_SERVICE,
    rule=(
        "An EKS cluster without outbound internet access must pull every image from a "
        "registry in its VPC and have endpoint private access, and its nodes need the ec2, "
        "ecr.api, ecr.dkr, sts and S3 endpoints to join."
    ),
    source="https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html",
    fix=(
        'give the Network nat="single" or nat="per-az": the cluster\'s add-on charts (load '
        "balancer controller, KEDA, External Secrets, the node autoscaler) run images from "
        "public registries"
    ),
)
