"""SingleServer: the honest MVP platform, one EC2 host running the app's containers."""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi
import pulumi_aws as aws

from .. import iam
from .._component import GridopsComponent, check_transforms
from .._validation import ArgError, ArgReader
from ..network import Network
from .base import PlatformKind
from .single_server_alarms import AlarmSettings, host_alarms
from .single_server_args import (
    HOST_RESERVED_MIB,
    PROXY_MEMORY_MB,
    ServerSettings,
    SingleServerArgs,
    read_settings,
)
from .single_server_backup import (
    BACKUP_PREFIX,
    backup_bucket,
    render_backup_script,
    snapshot_policy,
)
from .single_server_compose import (
    BASE_FRAGMENT,
    NETWORKS,
    ContainerSpec,
    check_container,
    dumps,
    postgres_container,
    proxy_container,
    render_caddyfile,
    render_compose,
)
from .single_server_database import SingleServerDatabase, create_database
from .single_server_iam import dlm_role, host_statements, instance_role
from .single_server_types import AL2023_AMI_PARAMETER, Architecture, instance_memory_mib
from .single_server_userdata import HostSettings, encode_user_data, render_user_data

STANDARD_PARAMETER_BYTES = 4096
ADVANCED_PARAMETER_BYTES = 8192
DATA_DEVICE = "/dev/sdf"
SNAPSHOT_TAG = "gridops:snapshots"


class SingleServer(GridopsComponent):
    """One EC2 host running the app's containers with docker compose: the MVP stage.

    - Graviton by default, latest Amazon Linux 2023, IMDSv2 only (hop limit 2 so
      containers reach the instance role), in a public subnet behind an Elastic IP; the
      security group admits 80/443 only; no SSH key, no port 22: Session Manager.
    - An encrypted gp3 root volume and a separate encrypted gp3 data volume on /data,
      `protect`ed and `retain_on_delete` (a final snapshot if it is ever deleted), with
      daily snapshots by Data Lifecycle Manager.
    - PostgreSQL in a container on the data volume (`database`), dumped nightly to a
      private, versioned, encrypted S3 bucket: see `SingleServerDatabase`.
    - Caddy as the reverse proxy on 80/443 (HTTPS with Let's Encrypt when `domain`).
    - Alarms: EC2 auto-recovery on a failed system check, reboot on a failed instance
      check, CPU, memory, data disk, and a missing nightly dump.

    How containers are deployed (why an image change never touches the instance): every
    service is a compose fragment in its own SSM parameter under
    `/gridops/<project>/<stack>/<server>/compose/`. User data installs, once, a small
    agent (`single_server_agent.py`) run by a systemd timer every minute: when any
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
        "database_password",
        "database_secret",
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
    )
    kind: PlatformKind = "single-server"
    """Services on this platform are built by the `"single-server"` backend."""

    network: Network
    """The Network the server lives in."""
    instance: aws.ec2.Instance
    """The EC2 instance."""
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
    """`https://<domain>` or `http://<elastic ip>`."""
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
    """The server's own compose fragment JSON (proxy, database, backup script)."""

    def __init__(
        self,
        name: str,
        args: SingleServerArgs | dict[str, Any] | None = None,
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
        self._settings = s
        self._containers: dict[str, ContainerSpec] = {}
        self._egress_ports: set[int] = set()
        self._reserved_mib = HOST_RESERVED_MIB + PROXY_MEMORY_MB
        if s.database:
            self._reserved_mib += s.database_memory_mb

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

        self._security_group(s)
        subnet = s.network.public_subnets[s.subnet_index]
        eni = self.child(
            "network_interface",
            aws.ec2.NetworkInterface,
            {
                "subnet_id": subnet.id,
                "security_groups": [self.security_group_id],
                "description": f"SingleServer {name}: primary interface (keeps the Elastic IP)",
                "tags": {"Name": name},
            },
            suffix="eni",
        )
        eip = self.child(
            "elastic_ip",
            aws.ec2.Eip,
            {"domain": "vpc", "network_interface": eni.id, "tags": {"Name": name}},
            suffix="eip",
        )
        self.public_ip = eip.public_ip

        snapshot_tags = {SNAPSHOT_TAG: identity}
        data_opts = pulumi.ResourceOptions(protect=s.protect_data, retain_on_delete=s.protect_data)
        volume_args: dict[str, Any] = {
            "availability_zone": subnet.availability_zone,
            "size": s.data_volume_gb,
            "type": "gp3",
            "encrypted": True,
            "final_snapshot": s.protect_data,
            "tags": {"Name": f"{name}-data", **snapshot_tags},
        }
        if s.data_volume_snapshot_id:
            volume_args["snapshot_id"] = s.data_volume_snapshot_id
        self.data_volume = self.child(
            "data_volume", aws.ebs.Volume, volume_args, suffix="data", opts=data_opts
        )
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
                version=s.postgres_version,
                database=s.database_name,
                user=s.database_user,
                parameter_path=self.parameter_path,
            )
            secret_arns = [self.database.password_parameter_arn, self.database.url_parameter_arn]

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
            ),
            self._partition,
        )
        self.instance_role = role
        snapshots_role, self.snapshot_trust_policy = dlm_role(self, self._partition)
        snapshot_policy(
            self,
            role_arn=snapshots_role.arn,
            target_tags=snapshot_tags,
            retention_days=s.snapshot_retention_days,
            time_utc=_plus_one_hour(s.backup_time_utc),
        )

        self.user_data = self.data_volume.id.apply(
            lambda volume_id: render_user_data(
                HostSettings(
                    region=self._region,
                    data_volume_id=volume_id,
                    parameter_path=f"{self.parameter_path}/compose",
                    log_group=self.log_group_name,
                    backup_time_utc=s.backup_time_utc,
                )
            )
        )
        self.instance = self.child(
            "instance",
            aws.ec2.Instance,
            {
                "ami": s.ami_id or self._latest_ami(s.architecture),
                "instance_type": s.instance_type,
                "iam_instance_profile": profile.name,
                "primary_network_interface": {"network_interface_id": eni.id},
                "metadata_options": {
                    "http_endpoint": "enabled",
                    "http_tokens": "required",
                    "http_put_response_hop_limit": 2,
                    "instance_metadata_tags": "disabled",
                },
                "root_block_device": {
                    "volume_type": "gp3",
                    "volume_size": s.root_volume_gb,
                    "encrypted": True,
                    "delete_on_termination": True,
                },
                "user_data_base64": self.user_data.apply(encode_user_data),
                "user_data_replace_on_change": False,
                "maintenance_options": {"auto_recovery": "default"},
                "tags": {"Name": name},
            },
            # A new AMI release must not replace the host; the interface (and its address)
            # can belong to one instance at a time, so a replacement goes first.
            opts=pulumi.ResourceOptions(
                ignore_changes=["ami"], delete_before_replace=True, depends_on=[eip]
            ),
        )
        self.instance_id = self.instance.id
        self.child(
            "volume_attachment",
            aws.ec2.VolumeAttachment,
            {
                "device_name": DATA_DEVICE,
                "volume_id": self.data_volume.id,
                "instance_id": self.instance.id,
                "stop_instance_before_detaching": True,
            },
            suffix="data-attachment",
        )

        self.base_fragment = self._base_fragment(s, self.backup_bucket)
        self.child(
            "compose_parameter",
            aws.ssm.Parameter,
            self.fragment_parameter_args(BASE_FRAGMENT, self.base_fragment),
            suffix="compose-base",
        )

        if s.domain and s.zone_id:
            self.child(
                "dns_record",
                aws.route53.Record,
                {
                    "zone_id": s.zone_id,
                    "name": s.domain,
                    "type": "A",
                    "ttl": 300,
                    "records": [eip.public_ip],
                },
                suffix="dns",
                tag=False,
            )
            self.url = pulumi.Output.from_input(f"https://{s.domain}")
        else:
            self.url = eip.public_ip.apply(lambda ip: f"http://{ip}")

        self.alarms = host_alarms(
            self,
            self.instance.id,
            AlarmSettings(
                region=self._region,
                partition=self._partition,
                topic_arn=s.alarm_topic_arn,
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

    @property
    def memory_left_mib(self) -> int:
        """MiB not yet reserved by the OS, the proxy, the database and the containers
        checked so far."""
        return self.memory_mib - self._reserved_mib

    def check_container(self, spec: ContainerSpec) -> None:
        """Refuse a container this host cannot run (before anything is registered): bad
        compose values, a name already used, a host the proxy does not serve, or more
        memory than the host has left. Reserves the name and memory; calling it again
        with the same spec object is a no-op."""
        if self._containers.get(spec.name) is spec:
            return
        where = f"SingleServer '{self.name}'"
        problem = check_container(spec)
        if problem:
            raise ArgError(f"{where}: container {spec.name!r}: {problem}")
        if spec.name in self._containers or spec.name in ("proxy", "postgres"):
            raise ArgError(f"{where}: a container named {spec.name!r} already runs here")
        if self.domain:
            foreign = sorted({h for r in spec.routes for h in r.hosts} - {self.domain})
            if foreign:
                raise ArgError(
                    f"{where}: container {spec.name!r} routes hosts {foreign}, but the proxy "
                    f"serves only the server's domain {self.domain!r}"
                )
        wanted = (spec.memory_mb or 0) * spec.replicas
        left = self.memory_left_mib
        if wanted > left:
            raise ArgError(
                f"{where}: container {spec.name!r} asks for {wanted} MiB "
                f"({spec.replicas} x {spec.memory_mb} MiB) but {self.instance_type} has "
                f"{left} MiB left after the OS, the proxy, the database and the other "
                "containers; choose a bigger instance_type or smaller limits"
            )
        self._reserved_mib += wanted
        self._containers[spec.name] = spec

    def add_container(
        self,
        spec: ContainerSpec,
        *,
        owner: GridopsComponent | None = None,
        role: str = "compose_parameter",
    ) -> aws.ssm.Parameter:
        """Run `spec` on this host: its compose fragment goes into its own SSM parameter
        (created as a child of `owner` under `role`, or of the server), and the host
        agent starts it within about a minute. Image, environment and secret ARNs may be
        Outputs; secrets are resolved on the host, never written to the parameter."""
        self.check_container(spec)
        value = self.render_fragment(spec)
        args = self.fragment_parameter_args(spec.name, value)
        if owner is None:
            return self.child("container", aws.ssm.Parameter, args, suffix=f"{spec.name}-compose")
        return owner.child(role, aws.ssm.Parameter, args, suffix="compose")

    def render_fragment(self, spec: ContainerSpec) -> pulumi.Output[str]:
        """The compose fragment JSON of one container spec, once its Outputs resolve."""
        env_keys = list(spec.environment)
        secret_keys = list(spec.secrets)
        values = [
            spec.image,
            *(spec.environment[k] for k in env_keys),
            *(spec.secrets[k] for k in secret_keys),
        ]

        def render(resolved: list[Any]) -> str:
            n = len(env_keys)
            plain = dataclasses.replace(
                spec,
                image=resolved[0],
                environment=dict(zip(env_keys, resolved[1 : 1 + n], strict=True)),
                secrets=dict(zip(secret_keys, resolved[1 + n :], strict=True)),
            )
            return dumps(
                render_compose([plain], region=self._region, log_group=self.log_group_name)
            )

        return pulumi.Output.all(*values).apply(render)

    def fragment_parameter_args(self, fragment: str, value: pulumi.Output[str]) -> dict[str, Any]:
        """Arguments of the `aws.ssm.Parameter` holding one fragment: Standard tier up to
        4 KB, Advanced up to 8 KB (SSM's limits), a clear error beyond."""

        def tier(text: str) -> str:
            size = len(text.encode())
            if size > ADVANCED_PARAMETER_BYTES:
                raise ValueError(
                    f"SingleServer '{self.name}': compose fragment {fragment!r} is {size} "
                    f"bytes; an SSM parameter holds at most {ADVANCED_PARAMETER_BYTES}"
                )
            return "Advanced" if size > STANDARD_PARAMETER_BYTES else "Standard"

        return {
            "name": f"{self.parameter_path}/compose/{fragment}",
            "type": "String",
            "data_type": "text",
            "tier": value.apply(tier),
            # Not a secret (secrets are ARNs here), so `pulumi preview` shows its diff.
            "insecure_value": value,
            "description": f"docker compose fragment {fragment!r} of SingleServer {self.name}",
        }

    def open_egress_port(self, port: int) -> None:
        """Let the host reach the internet on one more TCP port (once per port)."""
        if port in self._egress_ports:
            return
        self._egress_ports.add(port)
        self.child(
            "egress_rule",
            aws.vpc.SecurityGroupEgressRule,
            {
                "security_group_id": self.security_group_id,
                "ip_protocol": "tcp",
                "from_port": port,
                "to_port": port,
                "cidr_ipv4": "0.0.0.0/0",
                "description": f"host to the internet on {port}",
            },
            suffix=f"out-{port}",
        )

    # -- construction ------------------------------------------------------------------

    def _security_group(self, s: ServerSettings) -> None:
        sg = self.child(
            "security_group",
            aws.ec2.SecurityGroup,
            {
                "vpc_id": s.network.vpc_id,
                "description": f"SingleServer {self.name}: HTTP/HTTPS in, no SSH",
                "tags": {"Name": self.name},
            },
            suffix="sg",
        )
        self.security_group_id = sg.id
        for port in (80, 443):
            for i, cidr in enumerate(s.ingress_cidrs):
                self.child(
                    "ingress_rule",
                    aws.vpc.SecurityGroupIngressRule,
                    {
                        "security_group_id": sg.id,
                        "ip_protocol": "tcp",
                        "from_port": port,
                        "to_port": port,
                        "cidr_ipv4": cidr,
                        "description": f"clients to the proxy on {port}",
                    },
                    suffix=f"in-{port}" + (f"-{i}" if i else ""),
                )
        self.child(
            "egress_rule",
            aws.vpc.SecurityGroupEgressRule,
            {
                "security_group_id": sg.id,
                "ip_protocol": "tcp",
                "from_port": 0,
                "to_port": 65535,
                "cidr_ipv4": s.network.cidr_block,
                "description": "host to the VPC (linked databases, caches)",
            },
            suffix="out-vpc",
        )
        for port in s.internet_egress_ports:
            self.open_egress_port(port)

    def _latest_ami(self, architecture: Architecture) -> str:
        return aws.ssm.get_parameter(name=AL2023_AMI_PARAMETER[architecture]).value

    def _base_fragment(
        self, s: ServerSettings, bucket_name: pulumi.Output[str] | None
    ) -> pulumi.Output[str]:
        site = s.domain or ":80"
        files = {"caddy/Caddyfile": render_caddyfile(site, acme_email=s.acme_email)}
        containers = [proxy_container(memory_mb=PROXY_MEMORY_MB)]
        if self.database is None or bucket_name is None:
            fragment = render_compose(
                containers,
                region=self._region,
                log_group=self.log_group_name,
                networks=NETWORKS,
                files=files,
            )
            return pulumi.Output.from_input(dumps(fragment))
        db = self.database

        def render(resolved: list[str]) -> str:
            bucket, password_arn = resolved
            script = render_backup_script(
                bucket=bucket,
                region=self._region,
                database=db.database,
                user=db.user,
                server_dimension=f"{pulumi.get_project()}-{pulumi.get_stack()}-{self.name}",
            )
            postgres = postgres_container(
                version=db.version,
                database=db.database,
                user=db.user,
                password_ref=password_arn,
                memory_mb=s.database_memory_mb,
            )
            fragment = render_compose(
                [*containers, postgres],
                region=self._region,
                log_group=self.log_group_name,
                networks=NETWORKS,
                files={**files, "backup/pg-backup.sh": script},
            )
            return dumps(fragment)

        return pulumi.Output.all(bucket_name, db.password_parameter_arn).apply(render)


def _plus_one_hour(hhmm: str) -> str:
    hours, minutes = hhmm.split(":")
    return f"{(int(hours) + 1) % 24:02d}:{minutes}"


__all__ = ["ContainerSpec", "SingleServer", "SingleServerArgs"]
