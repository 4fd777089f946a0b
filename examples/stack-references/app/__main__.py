"""The app stack: a cluster and a service on the platform stack's network."""

import pulumi

from gridops_infra import FargateCluster, StatelessService
from gridops_infra.network.reference import NetworkReference

config = pulumi.Config()
platform = pulumi.StackReference(config.require("platform_stack"))
# What the platform's Network has, as it set it: with nat="none" the service would need
# the platform's vpc_endpoints and an image in this Region's ECR.
net = NetworkReference.from_stack(
    platform, availability_zones=config.require_object("availability_zones"), nat="per-az"
)

cluster = FargateCluster("apps", {"network": net})
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "cpu": 256,
        "memory": 512,
        "min_count": 2,
        "max_count": 4,
        "health_check_path": "/healthz",
    },
)
pulumi.export("url", api.url)
