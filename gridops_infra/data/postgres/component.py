"""ManagedPostgresWithReplicas: PostgreSQL on RDS (primary + read replicas) or Aurora, private,
encrypted, TLS-only, backed up, and protected against accidental deletion by default.

The pieces: `args.py` (the arguments), `settings.py` (their checks),
`support.py` (network, key, credentials, logs, monitoring role),
`instance.py`, `aurora.py` and `proxy.py`; this module assembles
them and offers links, ingress and metrics.
"""

from __future__ import annotations

from typing import overload

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError, check_name
from gridops_infra.data.postgres.args import (
    ManagedPostgresWithReplicasArgs,
    ReaderAutoscalingArgs,
    ServerlessV2Args,
)
from gridops_infra.data.postgres.aurora import build_aurora_mode
from gridops_infra.data.postgres.instance import build_instance_mode
from gridops_infra.data.postgres.proxy import build_proxy
from gridops_infra.data.postgres.settings import COMPONENT, PostgresSettings, parse_postgres_args
from gridops_infra.data.postgres.support import build_foundation, write_connection_secret
from gridops_infra.network.consumer_ingress import ConsumerIngress

RDS_NAMESPACE = "AWS/RDS"


class ManagedPostgresWithReplicas(GridopsComponent):
    """Managed PostgreSQL with read replicas, linkable from services.

    Example: `ManagedPostgresWithReplicas("db", {"network": net, "instance_class":
    "db.r7g.large", "replicas": 2})`. Nothing can reach it until a service links it
    (`links=[db]`) or `db.allow_from(name, security_group_id)` is called.
    """

    TYPE = "gridops:aws:ManagedPostgresWithReplicas"
    ADMITS_CONSUMER_GROUPS = True
    """`allow_from` opens the port to a consumer's security group (see `links`)."""
    CHILD_ROLES = (
        "kms_key",
        "security_group",
        "proxy_rule",
        "ingress",
        "subnet_group",
        "log_group",
        "monitoring_role",
        "monitoring_policy",
        "password",
        "secret",
        "secret_version",
        "parameter_group",
        "primary",
        "replica",
        "cluster",
        "writer",
        "reader",
        "autoscaling_target",
        "autoscaling_policy",
        "proxy_role",
        "proxy_policy",
        "proxy",
        "proxy_target_group",
        "proxy_target",
        "proxy_endpoint",
    )

    writer_endpoint: pulumi.Output[str]
    """Host name of the writer: the primary instance, or the Aurora cluster endpoint."""
    reader_endpoints: pulumi.Output[list[str]]
    """Host names for reads: one per read replica (instance mode), or the Aurora reader
    endpoint (which balances over the readers)."""
    port: int
    """The PostgreSQL port."""
    secret_arn: pulumi.Output[str]
    """Secrets Manager secret with the master credentials (JSON keys `username`, `password`;
    with `credentials="random"` also `host`, `port`, `dbname`, `url`, `reader_url`)."""
    security_group_id: pulumi.Output[str]
    """The security group of the database (and of the proxy, when there is one)."""
    kms_key_arn: pulumi.Input[str] | None
    """The customer managed key encrypting storage and the secret, if any."""
    connection_host: pulumi.Output[str]
    """Where services connect for writes: the proxy when there is one, else the writer."""
    reader_host: pulumi.Output[str]
    """Where services connect for reads: the Aurora reader (or read-only proxy) endpoint,
    the first replica, or the writer when there are no replicas."""
    proxy_endpoint: pulumi.Output[str] | None
    """The RDS Proxy endpoint (None without `proxy`)."""
    proxy_reader_endpoint: pulumi.Output[str] | None
    """The proxy's read-only endpoint (Aurora with `proxy` only)."""
    identifier: str
    """The DB instance (instance mode) or cluster (Aurora) identifier."""
    writer: pulumi.CustomResource
    """The instance taking writes at creation: the primary, or Aurora's writer instance.
    Linked services and workers start only once it exists (the cluster endpoint exists
    before any instance answers on it)."""
    monitoring_policy_document: pulumi.Output[str] | None
    proxy_policy_document: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        args: ManagedPostgresWithReplicasArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_name(COMPONENT, name)
        s, a = parse_postgres_args(name, args)
        transforms = check_transforms(COMPONENT, name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=s.tags)
        self.settings = s
        self.identifier = s.identifier
        self.port = s.port
        self._consumers = ConsumerIngress(self, COMPONENT, self.port, "PostgreSQL")

        f = build_foundation(self, s)
        self.monitoring_policy_document = f.monitoring_policy_document
        d = build_aurora_mode(self, s, f) if s.aurora else build_instance_mode(self, s, f)
        self.primary = d.primary
        self.members = d.members
        self.writer = d.writer
        self.kms_key_arn = f.kms_key_arn
        self.security_group_id = f.security_group.id

        # The proxy authenticates with the secret itself, so it is built before the secret's
        # value (which names the proxy as the host) is written.
        auth_secret = f.secret.arn if f.secret is not None else d.master_secret_arn
        assert auth_secret is not None
        proxy = build_proxy(self, s, f, d, auth_secret) if s.proxy else None
        self.proxy_policy_document = proxy.policy_document if proxy else None
        self._start_after: list[pulumi.Resource] = [d.writer]
        if proxy is not None:
            # The proxy answers only once the database is registered as its target.
            self._start_after.append(proxy.target)
        self.proxy_endpoint = proxy.writer if proxy else None
        self.proxy_reader_endpoint = proxy.reader if proxy else None

        self.connection_host = proxy.writer if proxy else d.writer_host
        if d.reader_endpoint is not None:
            self.reader_host = (proxy.reader if proxy else None) or d.reader_endpoint
        else:
            self.reader_host = d.replica_hosts[0] if d.replica_hosts else self.connection_host
        self._replica_hosts = d.replica_hosts

        if f.password is not None:
            self.secret_arn = write_connection_secret(
                self, s, f, self.connection_host, self.reader_host
            )
        else:
            self.secret_arn = pulumi.Output.from_input(auth_secret)

        self.writer_endpoint = d.writer_host
        readers = d.replica_hosts if d.reader_endpoint is None else [d.reader_endpoint]
        self.reader_endpoints = pulumi.Output.all(*readers).apply(list)
        self.register_outputs(
            {
                "writer_endpoint": self.writer_endpoint,
                "reader_endpoints": self.reader_endpoints,
                "port": self.port,
                "secret_arn": self.secret_arn,
                "security_group_id": self.security_group_id,
                "proxy_endpoint": self.proxy_endpoint,
                "proxy_reader_endpoint": self.proxy_reader_endpoint,
            }
        )

    # -- links -----------------------------------------------------------------------------

    def link_grant(self) -> LinkGrant:
        """Plain settings plus the credentials as secret references (ECS `valueFrom`)."""
        p = self.settings.env_prefix
        environment: dict[str, pulumi.Input[str]] = {
            f"{p}_HOST": self.connection_host,
            f"{p}_PORT": str(self.port),
            f"{p}_NAME": self.settings.db_name,
            f"{p}_READER_HOST": self.reader_host,
            f"{p}_SSLMODE": "require",
        }
        if self._replica_hosts:
            environment[f"{p}_READER_HOSTS"] = pulumi.Output.all(*self._replica_hosts).apply(
                ",".join
            )
        keys = {f"{p}_USER": "username", f"{p}_PASSWORD": "password"}
        if self.settings.credentials == "random":
            keys |= {f"{p}_URL": "url", f"{p}_READER_URL": "reader_url"}
        secrets: dict[str, pulumi.Input[str]] = {
            env: self.secret_arn.apply(lambda arn, k=key: f"{arn}:{k}::")
            for env, key in keys.items()
        }
        return LinkGrant(
            environment=environment,
            secrets=secrets,
            secret_arns=[self.secret_arn],
            kms_key_arns=[self.kms_key_arn] if self.kms_key_arn is not None else [],
            start_after=list(self._start_after),
        )

    def allow_from(
        self, consumer_name: str, security_group_id: pulumi.Input[str]
    ) -> aws.vpc.SecurityGroupIngressRule:
        """Admit one consumer security group on the PostgreSQL port (once per consumer:
        a second call for the same consumer returns the first rule)."""
        return self._consumers.allow(consumer_name, security_group_id)

    # -- metrics ---------------------------------------------------------------------------

    def _dimensions(self) -> dict[str, pulumi.Input[str]]:
        # Aurora publishes each instance metric also per cluster and role; the writer's is
        # the one that follows a failover.
        if self.settings.aurora:
            return {"DBClusterIdentifier": self.identifier, "Role": "WRITER"}
        return {"DBInstanceIdentifier": self.identifier}

    def metric_cpu(self) -> Metric:
        """CPU of the primary / writer, percent."""
        return Metric(
            RDS_NAMESPACE, "CPUUtilization", self._dimensions(), "Average", unit="Percent"
        )

    def metric_free_storage(self) -> Metric:
        """Free storage of the primary, bytes (minimum). Aurora's cluster volume grows by
        itself, so for Aurora this is the writer's local (temporary-file) storage."""
        name = "FreeLocalStorage" if self.settings.aurora else "FreeStorageSpace"
        return Metric(RDS_NAMESPACE, name, self._dimensions(), "Minimum", unit="Bytes")

    @overload
    def metric_replica_lag(self) -> list[Metric]: ...
    @overload
    def metric_replica_lag(self, replica: int) -> Metric: ...

    def metric_replica_lag(self, replica: int | None = None) -> Metric | list[Metric]:
        """Replication lag. With `replica` (1-based, instance mode): that read replica's
        `ReplicaLag` in seconds (only replicas publish it). Without: every lag worth an alarm,
        as a list: one `ReplicaLag` per replica, none without replicas, and for Aurora the
        single `AuroraReplicaLagMaximum` (milliseconds, over all readers, published by the
        writer) whenever the cluster has readers."""
        s = self.settings
        if s.aurora:
            lag = Metric(
                RDS_NAMESPACE,
                "AuroraReplicaLagMaximum",
                self._dimensions(),
                "Maximum",
                unit="Milliseconds",
            )
            if replica is not None:
                return lag
            return [lag] if s.replicas else []
        if replica is None:
            return [self.metric_replica_lag(n) for n in range(1, s.replicas + 1)]
        if not 1 <= replica <= s.replicas:
            raise ArgError(
                f"{COMPONENT} '{self.name}': metric_replica_lag(replica={replica}) needs a "
                f"replica from 1 to {s.replicas}"
            )
        return Metric(
            RDS_NAMESPACE,
            "ReplicaLag",
            {"DBInstanceIdentifier": s.member_identifier(replica)},
            "Maximum",
            unit="Seconds",
        )

    def metric_connections(self) -> Metric:
        """Open client connections on the primary / writer (maximum)."""
        return Metric(
            RDS_NAMESPACE, "DatabaseConnections", self._dimensions(), "Maximum", unit="Count"
        )


__all__ = [
    "ManagedPostgresWithReplicas",
    "ManagedPostgresWithReplicasArgs",
    "PostgresSettings",
    "ReaderAutoscalingArgs",
    "ServerlessV2Args",
]
