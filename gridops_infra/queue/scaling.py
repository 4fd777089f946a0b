"""How many queue workers a backlog needs: the math, independent of the platform.

Two numbers you know about the work decide it:

- `acceptable_latency_seconds`: how long a message may wait before a worker starts it;
- `seconds_per_job`: how long one worker (one task) spends per message, on average.

Within the acceptable wait one worker clears `acceptable_latency_seconds /
seconds_per_job` messages, so that is the backlog each worker may hold:

    target backlog per task = acceptable_latency_seconds / seconds_per_job

Worked example: jobs take 2 s and a message may wait 5 minutes (300 s), so the target is
300 / 2 = 150 messages per task. With 3,000 messages visible, target tracking asks for
3000 / 150 = 20 tasks; with 450 for 3; never more than `max_workers`, never fewer than
`min_workers`. A task that runs N jobs at once counts `seconds_per_job` divided by N.

What the platform tracks is backlog per task = `ApproximateNumberOfMessagesVisible`
(AWS/SQS) / `RunningTaskCount` (ECS/ContainerInsights on Fargate). At zero tasks the
division has no value, so target tracking can never start the first worker: a step
policy does, adding one task when messages wait while none is being worked on
(`WAKE_EXPRESSION`: visible >= 1 and nothing in flight).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

QUEUE_NAMESPACE = "AWS/SQS"
VISIBLE = "ApproximateNumberOfMessagesVisible"
IN_FLIGHT = "ApproximateNumberOfMessagesNotVisible"
OLDEST_AGE = "ApproximateAgeOfOldestMessage"

# Metric-math ids: `visible` and `tasks` (target tracking), `visible` and `in_flight` (wake).
BACKLOG_PER_TASK_EXPRESSION = "visible / tasks"
WAKE_EXPRESSION = "IF(visible >= 1 AND FILL(in_flight, 0) == 0, visible, 0)"
"""Messages waiting while none is in flight: no worker is consuming (scaled to zero, or
all gone). An alarm at >= 1 on it adds one task."""
WAKE_THRESHOLD = 1
WAKE_COOLDOWN_SECONDS = 120
"""Seconds before the wake policy may add another task: a Fargate task needs about a
minute to start and SQS metrics another to show it consuming."""


@dataclass(frozen=True)
class BacklogScaling:
    """The scaling a queue worker gets (see the module docstring for the formula)."""

    acceptable_latency_seconds: int
    seconds_per_job: float
    min_workers: int
    max_workers: int
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int

    @property
    def target_backlog_per_task(self) -> float:
        """Messages one task may have waiting: acceptable latency / seconds per job."""
        return self.acceptable_latency_seconds / self.seconds_per_job

    def tasks_for(self, visible_messages: int) -> int:
        """The task count backlog tracking settles on for `visible_messages`."""
        wanted = math.ceil(max(visible_messages, 0) / self.target_backlog_per_task)
        return max(self.min_workers, min(self.max_workers, wanted))


__all__ = [
    "BACKLOG_PER_TASK_EXPRESSION",
    "IN_FLIGHT",
    "OLDEST_AGE",
    "QUEUE_NAMESPACE",
    "VISIBLE",
    "WAKE_COOLDOWN_SECONDS",
    "WAKE_EXPRESSION",
    "WAKE_THRESHOLD",
    "BacklogScaling",
]
