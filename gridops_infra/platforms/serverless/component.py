"""LambdaPlatform: where SqsWorkerQueue runs its workers as AWS Lambda functions."""

from __future__ import annotations

from typing import Literal

import pulumi
import pulumi_aws as aws

from gridops_infra.core.alarm_topic import ROLES as ALARM_TOPIC_ROLES
from gridops_infra.core.alarm_topic import build_alarm_topic
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.network.component import Network
from gridops_infra.platforms.serverless.args import LambdaPlatformArgs

LAMBDA_KIND: Literal["lambda"] = "lambda"


class LambdaPlatform(GridopsComponent):
    """Queue workers on AWS Lambda: pass it as an SqsWorkerQueue's `platform` and the
    worker becomes a container-image function that an SQS event source mapping invokes
    with batches of messages (see `gridops_infra.queue.serverless.backend`).

    Lambda has no cluster to create: the platform is the network the functions attach to
    and the alarm topic their alarms notify (an encrypted SNS topic, as on the other
    platforms). It pays per request and GB-second, nothing while the queue is empty,
    which suits sporadic work; a steady backlog is cheaper on a FargateCluster.

    Services do not run here (a StatelessService refuses it): only queue workers.

    Example: `LambdaPlatform("jobs", {"network": net})`
    """

    TYPE = "gridops:aws:LambdaPlatform"
    CHILD_ROLES = ALARM_TOPIC_ROLES
    kind: Literal["lambda"] = LAMBDA_KIND
    """Queue workers on this platform are built by the `"lambda"` worker backend."""

    network: Network
    """The Network the functions attach to (its private subnets)."""
    alarm_topic: aws.sns.Topic
    """The topic the workers' alarms notify (subscribe to it, or list the queues in an
    ObservabilityStack)."""
    alarm_topic_arn: pulumi.Output[str]
    """The alarm topic's ARN."""

    def __init__(
        self,
        name: str,
        args: LambdaPlatformArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name("LambdaPlatform", name)
        a = ArgReader("LambdaPlatform", name, args, LambdaPlatformArgs.__annotations__)
        network = a.instance_of("network", (Network,))
        transforms = check_transforms("LambdaPlatform", name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))
        self.network = network
        self.alarm_topic = build_alarm_topic(self, f"LambdaPlatform {name}")
        self.alarm_topic_arn = self.alarm_topic.arn
        self.register_outputs({"alarm_topic_arn": self.alarm_topic_arn})


__all__ = ["LAMBDA_KIND", "LambdaPlatform", "LambdaPlatformArgs"]
