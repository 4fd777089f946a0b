"""SingleServer: the honest MVP platform, one EC2 host running the app's containers.

The pieces: `args.py` (the arguments and their checks), `_network` (security
group, Elastic IP, DNS), `_instance` (data volume, user data, the instance), `_iam`,
`_backup` (dumps bucket, volume snapshots), `_database`, `_fragments` and `_compose` (what
the host agent runs), `_admission` (what fits on the host) and `_alarms`; this module
assembles them and offers the platform's container API.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.alarm_topic import EVENTBRIDGE_ROLE, build_alarm_topic
from gridops_infra.core.alarm_topic import ROLES as ALARM_TOPIC_ROLES
from gridops_infra.core.component import GridopsComponent, check_transforms
from gridops_infra.core.random_secrets import random_password
from gridops_infra.core.validation import ArgReader
from gridops_infra.network.component import Network
from gridops_infra.platforms.base import PlatformKind
from gridops_infra.platforms.single_server.admission import ContainerAdmission
from gridops_infra.platforms.single_server.alarms import AlarmSettings, host_alarms
from gridops_infra.platforms.single_server.args import (
    HOST_RESERVED_MIB,
    PROXY_MEMORY_MB,
    SingleServerArgs,
    read_settings,
)
from gridops_infra.platforms.single_server.backup import (
    BACKUP_PREFIX,
    backup_bucket,
    one_hour_later,
    snapshot_policy,
)
from gridops_infra.platforms.single_server.compose import BASE_FRAGMENT, ContainerSpec
from gridops_infra.platforms.single_server.database import (
    SingleServerDatabase,
    create_database,
    create_replication_source,
)
from gridops_infra.platforms.single_server.fragments import (
    base_fragment,
    fragment_parameter_args,
    render_fragment,
)
from gridops_infra.platforms.single_server.iam import dlm_role, host_statements, instance_role
from gridops_infra.platforms.single_server.instance import (
    attach_data_volume,
    data_volume,
    host_instance,
    host_user_data,
    snapshot_tags,
)
from gridops_infra.platforms.single_server.network import (
    host_security_group,
    internet_egress_rule,
    public_interface,
    server_url,
)
from gridops_infra.platforms.single_server.types import Architecture, instance_memory_mib


class SingleServer(GridopsComponent):
    """One EC2 host running the app's containers with docker compose: the MVP stage.

    - Graviton by default, latest Amazon Linux 2023, IMDSv2 only (hop limit 2 so
      containers reach the instance role), in a public subnet behind an Elastic IP; the
      security group admits 80 and 443 (80 only with `ip_certificate` off); no SSH key, no
      port 22: Session Manager.
    - An encrypted gp3 root volume and a separate encrypted gp3 data volume on /data,
      `protect`ed and `retain_on_delete` (a final snapshot if it is ever deleted), with
      daily snapshots by Data Lifecycle Manager.
    - PostgreSQL in a container on the data volume (`database`), dumped nightly to a
      private, versioned, encrypted S3 bucket: see `SingleServerDatabase`.
    - With `replication_source`, that PostgreSQL is a source AWS DMS can copy from while
      the app keeps writing (logical WAL, TLS, a replication user whose password is a
      Secrets Manager secret): the way out to ManagedPostgresWithReplicas without
      downtime, with `PostgresReplication`.
    - Caddy as the reverse proxy on 80/443: HTTPS with a Let's Encrypt certificate for
      the `domain`, or without one for the Elastic IP itself (`ip_certificate`), HTTP
      redirected.
    - Alarms: EC2 auto-recovery on a failed system check, reboot on a failed instance
      check, CPU, memory, data disk, and a missing nightly dump.

    How containers are deployed (why an image change never touches the instance): every
    service is a compose fragment in its own SSM parameter under
    `/gridops/<project>/<stack>/<server>/compose/`. User data installs, once, a small
    agent (`agent.py`) run by a systemd timer every minute: when any
    fragment changed it writes them out, resolves secret references on the host, runs
    `docker compose up -d --remove-orphans` and reloads the proxy. User data holds no
    compose content, so a deploy changes one parameter and nothing else; it is live
    within about a minute. (One mechanism on purpose: no SSM association as well.)

    Use it like any platform: `StatelessService("api", {"platform": server, ...})`; or
    `server.add_container(ContainerSpec(...))` directly.

    Example: `SingleServer("mvp", {"network": Network("mvp", {"az_count": 2, "nat": "none"})})`
    """

    TYPE = "gridops:aws:SingleServer"
    CHILD_ROLES = (
        "log_group",
        "security_group",
        "ingress_rule",
        "egress_rule",
        "network_interface",
        "elastic_ip",
        "data_volume",
        "volume_attachment",
        "backup_bucket",
        "backup_public_access_block",
        "backup_ownership",
        "backup_encryption",
        "backup_versioning",
        "backup_lifecycle",
        "backup_policy",
        "backup_log_bucket",
        "backup_log_public_access_block",
        "backup_log_ownership",
        "backup_log_encryption",
        "backup_log_versioning",
        "backup_log_lifecycle",
        "backup_log_policy",
        "backup_access_logging",
        "database_password",
        "database_secret",
        "replication_password",
        "replication_secret",
        "replication_secret_version",
        "origin_verify_secret",
        "origin_verify_parameter",
        "instance_role",
        "instance_role_policy_attachment",
        "instance_role_policy",
        "instance_profile",
        "snapshot_role",
        "snapshot_role_policy_attachment",
        "snapshot_policy",
        "instance",
        "compose_parameter",
        "container",
        "dns_record",
        "alarm",
        *ALARM_TOPIC_ROLES,
        EVENTBRIDGE_ROLE,
    )
    kind: PlatformKind = "single-server"
    """Services on this platform are built by the `"single-server"` backend."""

    network: Network
    """The Network the server lives in."""
    instance: aws.ec2.Instance
    """The EC2 instance."""
    alarm_topic: aws.sns.Topic | None
    """The encrypted SNS topic this platform's own alarms, and those of the components
    running on it (queue backlog and dead letters, the host's health), notify. Subscribe to it
    (`aws.sns.TopicSubscription`), or watch the components with an ObservabilityStack,
    which subscribes its alert addresses. None when `alarm_topic_arn` names a topic of your own."""
    alarm_topic_arn: pulumi.Output[str]
    """The ARN of `alarm_topic` (an output of the stack worth exporting)."""
    budget_topic_arn: pulumi.Output[str] | None
    """The topic AWS Budgets and Cost Anomaly Detection may publish to (`alarm_topic`, whose
    key and policy let them), which a StackBudget notifies; None with a topic of your own."""
    instance_id: pulumi.Output[str]
    """The instance id (`aws ssm start-session --target <id>` to get a shell)."""
    instance_type: str
    """The instance type in use."""
    architecture: Architecture
    """`"arm64"` or `"x86_64"`: images must be built for it."""
    identity: str
    """`<project>-<stack>-<name>`: unique per account, names the server's metrics."""
    memory_mib: int
    """The host's memory, for checking what containers ask for."""
    public_ip: pulumi.Output[str]
    """The Elastic IP: it survives instance replacement (it belongs to the network
    interface, which outlives instances)."""
    url: pulumi.Output[str]
    """`https://<domain>`, `https://<elastic ip>` (`ip_certificate`), or `http://<elastic
    ip>`."""
    domain: str | None
    """The server's DNS name, when given."""
    security_group_id: pulumi.Output[str]
    """The host's security group: linked resources (RDS, Redis) admit this group."""
    data_volume: aws.ebs.Volume
    """The data volume (mounted on /data)."""
    data_volume_id: pulumi.Output[str]
    """The data volume's id."""
    backup_bucket: pulumi.Output[str] | None
    """The bucket holding nightly database dumps (None without `database`)."""
    database: SingleServerDatabase | None
    """PostgreSQL on this host, to put in a service's `links` (None without `database`)."""
    database_chosen: bool
    """Whether `database` was given rather than left to its default: a workload here may
    link a ManagedPostgresWithReplicas only then (see `SingleServerArgs.database`)."""
    instance_role: aws.iam.Role
    """The instance role (shared by every container on the host)."""
    log_group_name: str
    """CloudWatch log group of the containers and the host's gridops logs."""
    parameter_path: str
    """The SSM path of the server's parameters; compose fragments are under `/compose`."""
    alarms: dict[str, aws.cloudwatch.MetricAlarm]
    """The host alarms by short name (`system-check`, `instance-check`, `cpu`, ...)."""
    host_policy_document: pulumi.Output[str]
    """The instance role's own policy JSON (for review and tests)."""
    instance_trust_policy: str
    """The instance role's trust policy JSON."""
    snapshot_trust_policy: str
    """The Data Lifecycle Manager role's trust policy JSON."""
    backup_bucket_policy_document: pulumi.Output[str] | None
    """The backup bucket's policy JSON."""
    user_data: pulumi.Output[str]
    """The bootstrap script, unpacked (for review and tests)."""
    base_fragment: pulumi.Output[str]
    """The server's own compose fragment (proxy, database) as stored."""
    behind_cdn: bool
    """Only CloudFront reaches the host (see `SingleServerArgs.behind_cdn`)."""
    origin_verify_secret: pulumi.Output[str] | None
    """The secret CloudFront must send in `X-Origin-Verify` (a Pulumi secret), or None
    when not `behind_cdn`."""
    public_dns: pulumi.Output[str]
    """The Elastic IP's public DNS name (how CloudFront reaches the host)."""
    private_ip: pulumi.Output[str]
    """The host's private address in the VPC (where DMS reaches a replication source)."""
    replication_secret_arn: pulumi.Output[str] | None
    """The Secrets Manager secret of the replication user (JSON keys `username`,
    `password`, `host`, `port`, `dbname`), or None without `replication_source`."""
    """The server's own compose fragment JSON (proxy, database, backup script)."""

    def __init__(
        self,
        name: str,
        args: SingleServerArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        s = read_settings(name, args)
        a = ArgReader("SingleServer", name, args, SingleServerArgs.__annotations__)
        transforms = check_transforms("SingleServer", name, a.raw("transforms"), self.CHILD_ROLES)
        super().__init__(name, opts, transforms=transforms, tags=a.mapping("tags"))

        self.network = s.network
        self.instance_type = s.instance_type
        self.architecture = s.architecture
        self.memory_mib = instance_memory_mib(s.instance_type)
        self.domain = s.domain
        self.log_retention_days = s.log_retention_days
        """Days the server's log group (every container's logs) keeps them."""
        self._settings = s
        self.database_chosen = s.database_chosen
        reserved_mib = HOST_RESERVED_MIB + PROXY_MEMORY_MB
        if s.database:
            reserved_mib += s.database_memory_mb
        self._admission = ContainerAdmission(
            name,
            instance_type=s.instance_type,
            memory_mib=self.memory_mib,
            reserved_mib=reserved_mib,
            domain=s.domain,
            ip_certificate=s.ip_certificate,
        )
        self._egress_ports: set[int] = set()

        self._region = iam.region_name()
        self._partition = aws.get_partition().partition
        account = iam.account_id()
        identity = f"{pulumi.get_project()}-{pulumi.get_stack()}-{name}"
        self.identity = identity
        self.parameter_path = f"/gridops/{pulumi.get_project()}/{pulumi.get_stack()}/{name}"
        self.log_group_name = self.parameter_path
        self.child(
            "log_group",
            aws.cloudwatch.LogGroup,
            {"name": self.log_group_name, "retention_in_days": s.log_retention_days},
            suffix="logs",
        )

        self.security_group_id = host_security_group(self, s).id
        for port in s.internet_egress_ports:
            self.open_egress_port(port)
        subnet = s.network.public_subnets[s.subnet_index]
        eni, eip = public_interface(self, subnet.id, self.security_group_id)
        self.public_ip = eip.public_ip
        self.public_dns = eip.public_dns
        self.data_volume = data_volume(self, s, subnet.availability_zone, identity)
        self.data_volume_id = self.data_volume.id

        self.backup_bucket = None
        self.backup_bucket_policy_document = None
        self.database = None
        backup_objects_arn = None
        secret_arns: list[pulumi.Input[str]] = []
        if s.database:
            bucket, self.backup_bucket_policy_document = backup_bucket(
                self, s.database_backup_retention_days
            )
            self.backup_bucket = bucket.bucket
            backup_objects_arn = pulumi.Output.concat(bucket.arn, f"/{BACKUP_PREFIX}/*")
            self.database = create_database(
                self,
                self.security_group_id,
                version=s.postgres_version,
                database=s.database_name,
                user=s.database_user,
                parameter_path=self.parameter_path,
            )
            secret_arns = [self.database.password_parameter_arn, self.database.url_parameter_arn]
        self.private_ip = eni.private_ip
        self.replication_secret_arn = None
        secrets_manager_arns: list[pulumi.Input[str]] = []
        if self.database is not None and s.replication_source is not None:
            source = create_replication_source(
                self,
                self.database,
                s.replication_source,
                private_ip=eni.private_ip,
                data_volume_gb=s.data_volume_gb,
            )
            self.replication_secret_arn = source.secret_arn
            secrets_manager_arns.append(source.secret.arn)
            if s.replication_source.security_group_id:
                source.allow_replication_from(
                    self, "ingress_rule", s.replication_source.security_group_id
                )
        self.behind_cdn = s.behind_cdn
        self.origin_verify_secret = None
        origin_verify_ref: pulumi.Output[str] | None = None
        if s.behind_cdn:
            self.origin_verify_secret, origin_verify_ref = self._origin_secret()
            secret_arns.append(origin_verify_ref)

        parameter_path_arn = (
            f"arn:{self._partition}:ssm:{self._region}:{account}:parameter"
            f"{self.parameter_path}/compose"
        )
        role, profile, self.host_policy_document, self.instance_trust_policy = instance_role(
            self,
            host_statements(
                parameter_path_arn=parameter_path_arn,
                secret_parameter_arns=secret_arns,
                backup_objects_arn=backup_objects_arn,
                secrets_manager_arns=secrets_manager_arns,
            ),
            self._partition,
        )
        self.instance_role = role
        snapshots_role, self.snapshot_trust_policy = dlm_role(self, self._partition)
        snapshot_policy(
            self,
            role_arn=snapshots_role.arn,
            target_tags=snapshot_tags(identity),
            retention_days=s.snapshot_retention_days,
            time_utc=one_hour_later(s.backup_time_utc),
        )

        self.user_data = host_user_data(
            self.data_volume.id,
            region=self._region,
            parameter_path=self.parameter_path,
            log_group=self.log_group_name,
            backup_time_utc=s.backup_time_utc,
        )
        self.instance = host_instance(
            self,
            s,
            instance_profile_name=profile.name,
            network_interface=eni,
            elastic_ip=eip,
            user_data=self.user_data,
        )
        self.instance_id = self.instance.id
        attach_data_volume(self, self.data_volume, self.instance)

        self.base_fragment = base_fragment(
            s,
            region=self._region,
            log_group=self.log_group_name,
            server_dimension=identity,
            database=self.database,
            bucket_name=self.backup_bucket,
            public_ip=self.public_ip,
            origin_verify_ref=origin_verify_ref,
        )
        self.child(
            "compose_parameter",
            aws.ssm.Parameter,
            self.fragment_parameter_args(BASE_FRAGMENT, self.base_fragment),
            suffix="compose-base",
        )
        self.url = server_url(self, s, eip)

        if s.alarm_topic_arn is None:
            # Budgets too: the single server has no ObservabilityStack, so a StackBudget
            # notifies this topic.
            self.alarm_topic = build_alarm_topic(
                self,
                f"SingleServer {name}",
                eventbridge=s.replication_source is not None,
                budgets=True,
            )
            self.alarm_topic_arn = self.alarm_topic.arn
            self.budget_topic_arn = self.alarm_topic.arn
        else:
            self.alarm_topic = None
            self.alarm_topic_arn = pulumi.Output.from_input(s.alarm_topic_arn)
            self.budget_topic_arn = None
        self.alarms = host_alarms(
            self,
            self.instance.id,
            AlarmSettings(
                region=self._region,
                partition=self._partition,
                topic_arn=self.alarm_topic_arn,
                cpu_percent=s.cpu_alarm_percent,
                memory_percent=90,
                disk_percent=80,
                database=s.database,
                server_dimension=identity,
            ),
        )

        self.register_outputs(
            {
                "kind": self.kind,
                "alarm_topic_arn": self.alarm_topic_arn,
                "public_ip": self.public_ip,
                "url": self.url,
                "instance_id": self.instance_id,
                "security_group_id": self.security_group_id,
                "data_volume_id": self.data_volume_id,
                "backup_bucket": self.backup_bucket,
                "parameter_path": self.parameter_path,
            }
        )

    # -- containers --------------------------------------------------------------------

    def _origin_secret(self) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """(the secret, its SecureString parameter's ARN): letters and digits only, so it
        is a literal in the proxy's header matcher."""
        secret = random_password(
            self, "origin_verify_secret", 48, suffix="origin-verify", mixed=False
        )
        parameter = self.child(
            "origin_verify_parameter",
            aws.ssm.Parameter,
            {
                "name": f"{self.parameter_path}/proxy/origin-verify",
                "type": "SecureString",
                "value": secret.result,
                "description": f"CloudFront origin secret of SingleServer {self.name}",
            },
            suffix="origin-verify-parameter",
        )
        return pulumi.Output.secret(secret.result), parameter.arn

    @property
    def memory_left_mib(self) -> int:
        """MiB not yet reserved by the OS, the proxy, the database and the containers
        checked so far."""
        return self._admission.left_mib

    def check_container(self, spec: ContainerSpec) -> None:
        """Refuse a container this host cannot run (before anything is registered): bad
        compose values, a name already used, a host the proxy does not serve, or more
        memory than the host has left. Reserves the name and memory; calling it again
        with the same spec object is a no-op."""
        self._admission.admit(spec)

    def add_container(
        self,
        spec: ContainerSpec,
        *,
        owner: GridopsComponent | None = None,
        role: str = "compose_parameter",
        companions: Sequence[ContainerSpec] = (),
        after: Sequence[pulumi.Resource] = (),
    ) -> aws.ssm.Parameter:
        """Run `spec` on this host: its compose fragment goes into its own SSM parameter
        (created as a child of `owner` under `role`, or of the server), and the host
        agent starts it within about a minute. Image, environment and secret ARNs may be
        Outputs; secrets are resolved on the host, never written to the parameter.
        `companions` are compose services of the same fragment (a link's sidecar); the
        parameter is written only after `after` (e.g. the grant a sidecar needs)."""
        for container in (spec, *companions):
            self.check_container(container)
        value = self.render_fragment(spec, companions)
        args = self.fragment_parameter_args(spec.name, value)
        opts = pulumi.ResourceOptions(depends_on=list(after)) if after else None
        if owner is None:
            return self.child(
                "container", aws.ssm.Parameter, args, suffix=f"{spec.name}-compose", opts=opts
            )
        return owner.child(role, aws.ssm.Parameter, args, suffix="compose", opts=opts)

    def render_fragment(
        self, spec: ContainerSpec, companions: Sequence[ContainerSpec] = ()
    ) -> pulumi.Output[str]:
        """The compose fragment JSON of one container spec (and its companions), once
        their Outputs resolve."""
        return render_fragment(
            spec, region=self._region, log_group=self.log_group_name, companions=companions
        )

    def fragment_parameter_args(self, fragment: str, value: pulumi.Output[str]) -> dict[str, Any]:
        """Arguments of the `aws.ssm.Parameter` holding one fragment: Standard tier up to
        4 KB, Advanced up to 8 KB (SSM's limits), a clear error beyond."""
        return fragment_parameter_args(self.name, self.parameter_path, fragment, value)

    def link_consumer(self) -> tuple[str, pulumi.Output[str]]:
        """(consumer name, security group) every container on this host passes to a
        linked resource's `allow_from`: they all leave through the host's one group, so
        one rule per linked resource admits them all (two rules with the same source and
        port would be refused by EC2 as duplicates). Network access is per host; IAM
        access is the host's instance role."""
        return self.name, self.security_group_id

    def open_egress_port(self, port: int) -> None:
        """Let the host reach the internet on one more TCP port (once per port)."""
        if port in self._egress_ports:
            return
        self._egress_ports.add(port)
        internet_egress_rule(self, self.security_group_id, port)


__all__ = ["ContainerSpec", "SingleServer", "SingleServerArgs"]
