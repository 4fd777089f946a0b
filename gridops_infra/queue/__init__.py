"""SqsWorkerQueue: an encrypted SQS queue and its workers, one worker backend per platform."""

from .args import SqsWorkerQueueArgs
from .component import WORKER_BACKENDS, SqsWorkerQueue, worker_backend_for

__all__ = ["WORKER_BACKENDS", "SqsWorkerQueue", "SqsWorkerQueueArgs", "worker_backend_for"]
