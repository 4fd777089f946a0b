"""A service on EKS: the spec is the one a FargateCluster would take; the platform
renders it as a Deployment (Pod Security "restricted"), Service, HPA, PDB,
NetworkPolicy and an Ingress on the shared ALB, with a Pod Identity role for its links."""

import pulumi

from gridops_infra import EksCluster, ManagedPostgresWithReplicas, Network, StatelessService

config = pulumi.Config()

net = Network("k8s", {"az_count": 2, "nat": "single"})
cluster = EksCluster("k8s", {"network": net})
db = ManagedPostgresWithReplicas(
    "db", {"network": net, "instance_class": "db.t4g.medium", "replicas": 0}
)
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": config.require("image"),
        "port": 8080,
        "cpu": 256,
        "memory": 512,
        "min_count": 2,
        "max_count": 10,
        "health_check_path": "/healthz",
        "links": [db],
    },
)

pulumi.export("url", api.url)
pulumi.export("cluster_name", cluster.cluster_name)
