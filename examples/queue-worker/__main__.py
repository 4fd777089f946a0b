"""Background work: the API sends jobs to an SQS queue (send on that queue only), workers
receive them on Fargate Spot and scale on backlog per task, down to zero and back up
when a single message arrives. Failed jobs land in a dead-letter queue after 5 tries."""

import pulumi

from gridops_infra import FargateCluster, Network, SqsWorkerQueue, StatelessService

net = Network("jobs", {"az_count": 2, "nat": "single"})
cluster = FargateCluster("jobs", {"network": net})
thumbnails = SqsWorkerQueue(
    "thumbnails",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/thumbnailer:2.0.1",
        "min_workers": 0,
        "max_workers": 20,
        "job_timeout_seconds": 60,
        "seconds_per_job": 2,
        "acceptable_latency_seconds": 300,
    },
)
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
        "links": [thumbnails],
    },
)

pulumi.export("queue_url", thumbnails.queue_url)
pulumi.export("dlq_url", thumbnails.dlq_url)
