"""An API on Fargate linked to Postgres: connection settings arrive as environment
variables, the password as a Secrets Manager reference, and the database admits only
this service's security group."""

import pulumi

from gridops_infra import FargateCluster, ManagedPostgresWithReplicas, Network, StatelessService

config = pulumi.Config()

net = Network("app", {"az_count": 2, "nat": "single"})
cluster = FargateCluster("app", {"network": net})
db = ManagedPostgresWithReplicas(
    "db", {"network": net, "instance_class": "db.t4g.medium", "replicas": 1}
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
        "max_count": 6,
        "health_check_path": "/healthz",
        "links": [db],
    },
)

pulumi.export("url", api.url)
pulumi.export("db_writer_endpoint", db.writer_endpoint)
