"""PostgresReplication: the single server's PostgreSQL followed, row for row, by
ManagedPostgresWithReplicas while both stages run (AWS DMS Serverless, full load then
ongoing change data capture).

The pieces: `replication_settings` (the arguments and AWS's rules), `replication_dms`
(network, roles, endpoints, the replication config) and `replication_alarms`.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgReader
from gridops_infra.migration.args import PostgresReplicationArgs
from gridops_infra.migration.replication_alarms import failure_rule, lag_alarms, latency_metric
from gridops_infra.migration.replication_dms import (
    dms_identifier,
    dms_network,
    endpoints,
    replication_config,
    secrets_role,
)
from gridops_infra.migration.replication_settings import (
    COMPONENT,
    ReplicationSettings,
    read_replication_settings,
)


class PostgresReplication(GridopsComponent):
    """AWS DMS Serverless copying a SingleServer's PostgreSQL into ManagedPostgresWithReplicas:
    a full load, then every committed change (logical decoding, `test_decoding`), so the new
    database stays current while the app still writes to the old one.

    - Network: a replication subnet group on the network's private subnets, a security
      group whose only egress is the two databases' ports, admitted by the server (5432)
      and the target (`allow_from`).
    - Credentials: both endpoints read Secrets Manager secrets through one role that may
      read exactly those two secrets; TLS is required on both.
    - The target: triggers and foreign keys do not fire on DMS's sessions
      (`session_replication_role = replica`), so tables load in any order; create the
      schema first (DMS creates a missing table without indexes or foreign keys).
    - Alarms: CDC latency (source and target) above `replication_lag_alarm_seconds` for 5
      minutes, and the replication failing, to the source server's alarm topic.

    Tables need a primary key for DMS to apply UPDATE and DELETE during CDC (the source's
    WAL carries no old row otherwise); give keyless tables one, or `REPLICA IDENTITY FULL`.

    Writes go one way, old -> new. Until the cut-over is declared done the old database
    stays writable and authoritative; a write made on the new one is not copied back.

    Example: `PostgresReplication("move", {"source": server, "target": db})`
    """

    TYPE = "gridops:aws:PostgresReplication"
    CHILD_ROLES = (
        "vpc_role",
        "vpc_role_policy_attachment",
        "subnet_group",
        "security_group",
        "egress_rule",
        "source_ingress",
        "secrets_role",
        "secrets_role_policy",
        "source_endpoint",
        "target_endpoint",
        "replication_config",
        "alarm",
        "failure_rule",
        "failure_target",
    )

    identifier: str
    """The replication config's identifier (and the last part of its ARN)."""
    replication_config: aws.dms.ReplicationConfig
    """The serverless replication."""
    replication_config_arn: pulumi.Output[str]
    """Its ARN (`aws dms describe-replications --filters Name=replication-config-arn,...`)."""
    source_endpoint_arn: pulumi.Output[str]
    target_endpoint_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]
    """DMS's own security group."""
    secrets_policy_document: pulumi.Output[str]
    """The secrets role's policy JSON (for review and tests)."""
    alarm_topic_arn: pulumi.Output[str]
    """Where the lag alarms and the failure rule send."""
    alarms: dict[str, aws.cloudwatch.MetricAlarm]
    """`lag-source` and `lag-target`."""
    max_capacity_units: int
    min_capacity_units: int
    multi_az: bool

    def __init__(
        self,
        name: str,
        args: PostgresReplicationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        s = read_replication_settings(name, args)
        a = ArgReader(COMPONENT, name, args, PostgresReplicationArgs.__annotations__)
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))
        self.settings: ReplicationSettings = s
        self.max_capacity_units = s.max_capacity_units
        self.min_capacity_units = s.min_capacity_units
        self.multi_az = s.multi_az
        self.identifier = dms_identifier(f"{pulumi.get_project()}-{pulumi.get_stack()}-{name}")
        region = iam.region_name()
        account = iam.account_id()

        net = dms_network(self, s, self.identifier)
        self.security_group_id = net.security_group_id
        _, role_arn, self.secrets_policy_document = secrets_role(self, s, region, account)
        source, target = endpoints(self, s, self.identifier, role_arn)
        self.source_endpoint_arn = source.endpoint_arn
        self.target_endpoint_arn = target.endpoint_arn
        self.replication_config = replication_config(self, s, self.identifier, net, source, target)
        self.replication_config_arn = self.replication_config.arn

        self.alarm_topic_arn = pulumi.Output.from_input(s.alarm_topic_arn)
        self.alarms = lag_alarms(
            self, self.identifier, s.replication_lag_alarm_seconds, self.alarm_topic_arn
        )
        failure_rule(self, self.replication_config_arn, self.alarm_topic_arn)

        self.register_outputs(
            {
                "replication_config_arn": self.replication_config_arn,
                "security_group_id": self.security_group_id,
                "alarm_topic_arn": self.alarm_topic_arn,
            }
        )

    def metric_latency(self, side: str = "target") -> Metric:
        """CDC latency in seconds, `"source"` or `"target"` side: the gate before a
        cut-over (the target side includes the source side's delay)."""
        if side not in ("source", "target"):
            raise ValueError(f"side must be 'source' or 'target', not {side!r}")
        return latency_metric(self.identifier, side)


__all__ = ["PostgresReplication"]
