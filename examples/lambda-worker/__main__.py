"""Sporadic background work on AWS Lambda: the API sends jobs to an SQS queue (send on that
queue only); a container-image function, the same worker image pushed to ECR, is invoked
by an SQS event source mapping with batches of up to 10 messages, reports failed messages
one by one, and runs at most 20 at a time. Nothing runs while the queue is empty. The
function sits in the private subnets with its own security group, which the database
admits; failed jobs land in a dead-letter queue after 5 tries."""

import pulumi

from gridops_infra import (
    FargateCluster,
    LambdaPlatform,
    ManagedPostgresWithReplicas,
    Network,
    SqsWorkerQueue,
    StatelessService,
)

net = Network("jobs", {"az_count": 2, "nat": "single"})
db = ManagedPostgresWithReplicas("db", {"network": net, "replicas": 0})
functions = LambdaPlatform("jobs", {"network": net})
reports = SqsWorkerQueue(
    "reports",
    {
        "platform": functions,
        # Lambda runs images from ECR of the stack's region only.
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/report-worker:3.2.0",
        "command": ["reports.worker.handler"],
        "job_timeout_seconds": 120,  # the function's timeout; the queue hides a message 720 s
        "memory": 1024,
        "max_workers": 20,  # the event source mapping's maximum concurrency
        "batch_size": 10,
        "links": [db],
    },
)

cluster = FargateCluster("api", {"network": net})
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "min_count": 2,
        "max_count": 4,
        "health_check_path": "/healthz",
        "links": [reports],
    },
)

pulumi.export("queue_url", reports.queue_url)
pulumi.export("dlq_url", reports.dlq_url)
pulumi.export("function_name", reports.service_name)
