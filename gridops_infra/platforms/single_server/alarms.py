"""The SingleServer's alarms: the host heals itself where EC2 can, and says so otherwise.

- system status check failed (the hardware or AWS's network under it): EC2 *recovers*
  the instance onto healthy hardware, same id, addresses and volumes;
- instance status check failed (the OS: kernel panic, exhausted memory): EC2 reboots it;
- CPU, memory and data-disk use above their thresholds;
- no successful database dump for a day (only with the database).

Every alarm also notifies the server's alarm topic (`alarm_topic_arn`, or the one it creates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.single_server.backup import BACKUP_METRIC, METRIC_NAMESPACE


@dataclass(frozen=True)
class AlarmSettings:
    region: str
    partition: str
    topic_arn: pulumi.Input[str]
    cpu_percent: int
    memory_percent: int
    disk_percent: int
    database: bool
    server_dimension: str


def recover_action(partition: str, region: str) -> str:
    return f"arn:{partition}:automate:{region}:ec2:recover"


def reboot_action(partition: str, region: str) -> str:
    return f"arn:{partition}:automate:{region}:ec2:reboot"


def host_alarms(
    server: GridopsComponent, instance_id: pulumi.Input[str], s: AlarmSettings
) -> dict[str, aws.cloudwatch.MetricAlarm]:
    notify = [s.topic_arn]
    by_instance = {"InstanceId": instance_id}

    def alarm(suffix: str, description: str, actions: list[str], **metric: Any):
        args = {
            "alarm_description": description,
            "alarm_actions": [*actions, *notify],
            "ok_actions": list(notify),
            **metric,
        }
        return server.child("alarm", aws.cloudwatch.MetricAlarm, args, suffix=f"alarm-{suffix}")

    alarms = {
        "system-check": alarm(
            "system-check",
            f"{server.name}: the EC2 system status check failed; EC2 recovers the instance "
            "onto healthy hardware (same id, addresses and volumes)",
            [recover_action(s.partition, s.region)],
            namespace="AWS/EC2",
            metric_name="StatusCheckFailed_System",
            dimensions=by_instance,
            statistic="Maximum",
            period=60,
            evaluation_periods=2,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="missing",
        ),
        "instance-check": alarm(
            "instance-check",
            f"{server.name}: the EC2 instance status check failed for 3 minutes (the OS does "
            "not answer); EC2 reboots the instance",
            [reboot_action(s.partition, s.region)],
            namespace="AWS/EC2",
            metric_name="StatusCheckFailed_Instance",
            dimensions=by_instance,
            statistic="Maximum",
            period=60,
            evaluation_periods=3,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="missing",
        ),
        "cpu": alarm(
            "cpu",
            f"{server.name}: CPU above {s.cpu_percent}% for 15 minutes; a bigger instance "
            "type (stop/start) or the fargate stage",
            [],
            namespace="AWS/EC2",
            metric_name="CPUUtilization",
            dimensions=by_instance,
            statistic="Average",
            period=300,
            evaluation_periods=3,
            threshold=s.cpu_percent,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="missing",
        ),
        "memory": alarm(
            "memory",
            f"{server.name}: memory above {s.memory_percent}% for 15 minutes (CloudWatch "
            "agent); containers will be killed at their limits",
            [],
            namespace="CWAgent",
            metric_name="mem_used_percent",
            dimensions=by_instance,
            statistic="Average",
            period=300,
            evaluation_periods=3,
            threshold=s.memory_percent,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="missing",
        ),
        "data-disk": alarm(
            "data-disk",
            f"{server.name}: the /data volume is above {s.disk_percent}% full; grow "
            "data_volume_gb (in place)",
            [],
            namespace="CWAgent",
            metric_name="disk_used_percent",
            dimensions={**by_instance, "path": "/data"},
            statistic="Maximum",
            period=300,
            evaluation_periods=1,
            threshold=s.disk_percent,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="missing",
        ),
    }
    if s.database:
        alarms["db-backup"] = alarm(
            "db-backup",
            f"{server.name}: no successful database dump to S3 in the last day; see "
            "/var/log/gridops-db-backup.log on the host",
            [],
            namespace=METRIC_NAMESPACE,
            metric_name=BACKUP_METRIC,
            dimensions={"Server": s.server_dimension},
            statistic="Sum",
            period=86400,
            evaluation_periods=1,
            threshold=1,
            comparison_operator="LessThanThreshold",
            treat_missing_data="breaching",
        )
    return alarms


__all__ = ["AlarmSettings", "host_alarms", "reboot_action", "recover_action"]
