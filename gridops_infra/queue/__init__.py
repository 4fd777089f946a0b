"""SqsWorkerQueue: an encrypted SQS queue and its workers, one worker backend per platform."""

from gridops_infra.queue.args import SqsWorkerQueueArgs
from gridops_infra.queue.component import WORKER_BACKENDS, SqsWorkerQueue, worker_backend_for

__all__ = ["WORKER_BACKENDS", "SqsWorkerQueue", "SqsWorkerQueueArgs", "worker_backend_for"]
