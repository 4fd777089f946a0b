"""Which stage the account runs, when ``--stage`` is not given (best effort):

- ``eks`` when EKS lists a cluster;
- ``fargate`` when ECS runs a service (ECS Express Mode services run on ordinary ECS
  clusters and are not told apart here: pass ``--stage express``);
- ``single-server`` when a running EC2 instance carries ``gridops:component=SingleServer``;
- otherwise the stage is left out.
"""

from __future__ import annotations

from gridops_infra.analysis.baseline.aws import Aws, NotMeasured


def detect(aws: Aws, ecs_services: int, ecs_error: str | None = None) -> tuple[str, str]:
    """(stage, how it was told); `ecs_error` is why ECS could not be listed, if it could not."""
    if list(aws.pages("eks", "ListClusters", "clusters", token="nextToken")):
        return "eks", "EKS ListClusters: an EKS cluster exists"
    if ecs_error:
        raise NotMeasured(f"ECS could not be listed ({ecs_error}): pass --stage")
    if ecs_services:
        return (
            "fargate",
            f"ECS ListServices: {ecs_services} ECS services (express is not told apart)",
        )
    reservations = aws.pages(
        "ec2",
        "DescribeInstances",
        "Reservations",
        Filters=[
            {"Name": "tag:gridops:component", "Values": ["SingleServer"]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ],
    )
    if any(r.get("Instances") for r in reservations):
        return (
            "single-server",
            "EC2 DescribeInstances: a running instance tagged gridops:component=SingleServer",
        )
    raise NotMeasured("no EKS cluster, ECS service or SingleServer instance found: pass --stage")
