"""The platform stack: the network app stacks build on."""

import pulumi

from gridops_infra import Network

net = Network("shared", {"az_count": 2, "nat": "per-az"})

pulumi.export("vpc_id", net.vpc_id)
pulumi.export("public_subnet_ids", net.public_subnet_ids)
pulumi.export("private_subnet_ids", net.private_subnet_ids)
pulumi.export("availability_zones", net.availability_zones)
