"""SQS workers on EKS: the same SqsWorkerQueue arguments as on Fargate; the platform
renders a restricted Deployment that a KEDA ScaledObject scales on backlog per pod."""

import pulumi

from gridops_infra import EksCluster, Network, SqsWorkerQueue, StatelessService

net = Network("k8s", {"az_count": 2, "nat": "single"})
cluster = EksCluster("k8s", {"network": net, "spot": True})
thumbnails = SqsWorkerQueue(
    "thumbnails",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/thumbnailer:2.0.1",
        "min_workers": 0,
        "max_workers": 50,
        "job_timeout_seconds": 900,
        "seconds_per_job": 6,
        "acceptable_latency_seconds": 120,
    },
)
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "health_check_path": "/healthz",
        "links": [thumbnails],
    },
)

pulumi.export("queue_url", thumbnails.queue_url)
pulumi.export("worker_deployment", thumbnails.service_name)
