"""SingleServer's arguments: the documented fields, and their validation into settings."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from typing import Any, Literal, TypedDict

from gridops_infra.core.aws_rules.checks import integer_within
from gridops_infra.core.aws_rules.ec2 import GP3_VOLUME_SIZE
from gridops_infra.core.component import Transform
from gridops_infra.core.logs import retention_days
from gridops_infra.core.validation import ArgReader, check_name
from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.replication import (
    ReplicationSourceArgs,
    ReplicationSourceSettings,
    read_replication_source,
)
from gridops_infra.platforms.single_server.types import (
    ARCHITECTURES,
    Architecture,
    instance_memory_mib,
    instance_type_error,
)

# 8 GiB: the DESIGN contract's API (2 x 1 GiB), a worker and PostgreSQL fit with room.
DEFAULT_INSTANCE_TYPE: dict[Architecture, str] = {"arm64": "t4g.large", "x86_64": "t3.large"}
MAX_VOLUME_GB = 16384  # gp3
HOST_RESERVED_MIB = 512  # the OS, docker, the SSM and CloudWatch agents
PROXY_MEMORY_MB = 256
MIN_DATABASE_HOST_MIB = 2048
HOSTNAME = r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
HOSTED_ZONE_ID = r"Z[A-Z0-9]{1,32}"
DB_IDENTIFIER = r"[a-z_][a-z0-9_]{0,62}"
POSTGRES_VERSIONS = ("16", "17")


class SingleServerArgs(TypedDict, total=False):
    network: Network
    """The Network to run in: the host goes in one of its public subnets.

    Required.
    Example: ``network  # a Network``"""
    architecture: Literal["arm64", "x86_64"]
    """CPU architecture. Images must be built for it. Changing it replaces the instance (the
    data volume stays).

    Default: `"arm64"` (Graviton: about 20% cheaper for the same work).
    Example: ``"x86_64"``"""
    instance_type: str
    """EC2 instance type. Allowed: arm64 t4g, m8g, c8g, r8g (Graviton4), m7g, c7g, r7g, m6g,
    c6g, r6g; x86_64 t3, t3a, m6i, c6i, r6i, m6a, c6a, r6a, m7i, c7i, r7i, m7a, c7a, r7a
    (sizes each family is sold in, no metal). Changing it stops and starts the instance (same volumes and address).

    Default: `"t4g.large"` (2 vCPU, 8 GiB) on arm64, `"t3.large"` on x86_64 (room for two 1
    GiB API replicas, a worker and PostgreSQL; a `t4g.medium` halves the bill for a single
    replica).
    Example: ``"t3.xlarge"``"""
    ami_id: str
    """A pinned AMI, e.g. `"ami-0123456789abcdef0"` (must match `architecture`).

    Default: the latest Amazon Linux 2023 from the public SSM parameter, read at creation
    and then left alone (`ignore_changes`), so a new AMI release never replaces a running
    host.
    Example: ``"ami-0123456789abcdef0"``"""
    subnet_index: int
    """Which of the network's public subnets (AZs) hosts the server. Changing it replaces
    the instance AND the data volume (volumes live in one AZ): restore it from a snapshot
    with `data_volume_snapshot_id`.

    Default: 0.
    Example: ``1``"""
    root_volume_gb: int
    """Root volume size in GiB (gp3, encrypted, holds the OS and container images). Allowed:
    8..16384. Growing it is in place.

    Default: 30.
    Example: ``40``"""
    data_volume_gb: int
    """Data volume size in GiB (gp3, encrypted, mounted on /data: the database, the proxy's
    certificates, local dumps). Allowed: 1..16384. Growing it is in place (then `xfs_growfs
    /data`); EBS cannot shrink a volume.

    Default: 50.
    Example: ``200``"""
    data_volume_snapshot_id: str
    """Create the data volume from this EBS snapshot (a restore), e.g.
    `"snap-0123456789abcdef0"`. Changing it replaces the data volume, which `protect`
    refuses until you lift it.

    Default: none (a blank volume, formatted at first boot).
    Example: ``"snap-0123456789abcdef0"``"""
    snapshot_retention_days: int
    """Daily snapshots of the data volume to keep (one per day). Allowed: 1..1000 (Data
    Lifecycle Manager's limit).

    Default: 14.
    Example: ``30``"""
    backup_time_utc: str
    """`"HH:MM"` (UTC) of the nightly database dump; the volume snapshot starts an hour
    later. Changing it rewrites user data (stop and start).

    Default: `"03:00"`.
    Example: ``"02:30"``"""
    database: bool
    """Run PostgreSQL in a container on the data volume, with nightly dumps to S3. See
    `SingleServerDatabase` for why a container and not RDS. A service or worker on this
    server that links a ManagedPostgresWithReplicas is refused while this is left to its
    default (two databases, one of them unused, would be ambiguous): set `database=False` to
    use the managed database only (no PostgreSQL on the host), or `database=True` to keep
    both on purpose.

    Default: true.
    Example: ``False``"""
    postgres_version: Literal["16", "17"]
    """PostgreSQL major version. Changing it on a live server needs a dump and restore: a
    new major cannot open the old data directory.

    Default: `"16"`.
    Example: ``"17"``"""
    database_name: str
    """The database created at first start. Allowed: lowercase letters, digits and `_`, at
    most 63 characters. Changing it later creates nothing (PostgreSQL reads it only on an
    empty data directory).

    Default: `"app"`.
    Example: ``"shop"``"""
    database_user: str
    """The database owner. Same rules as `database_name`.

    Default: `"app"`.
    Example: ``"shop"``"""
    database_memory_mb: int
    """PostgreSQL's memory limit in MiB. Allowed: 128 up to the host's memory less 768 MiB
    (512 for the OS, 256 for the proxy).

    Default: a quarter of the host's memory, at least 128.
    Example: ``2048``"""
    database_backup_retention_days: int
    """Days a nightly dump stays in the backup bucket (older versions too). Allowed:
    1..3650.

    Default: 30.
    Example: ``90``"""
    replication_source: ReplicationSourceArgs
    """Make the server's PostgreSQL a source AWS DMS can replicate from, with full load and
    ongoing change data capture (the way out to ManagedPostgresWithReplicas with
    `PostgresReplication`, while the app keeps writing here): logical WAL, TLS, a
    replication user whose password is a Secrets Manager secret (`replication_secret_arn`)
    admitted by pg_hba from `allowed_cidrs` only, and port 5432 open on the host to DMS's
    security group only. Needs `database`. Turning it on rewrites the base compose fragment
    (PostgreSQL restarts once, within a minute). See `ReplicationSourceArgs`.

    Default: none (PostgreSQL reachable only by this server's services).
    Example: ``{"allowed_cidrs": ["10.0.0.0/18"], "replication_slots": 2}``"""
    domain: str
    """A DNS name for the server, e.g. `"app.example.com"`: the proxy serves HTTPS for it
    with a Let's Encrypt certificate (renewed by Caddy) and redirects HTTP. Requires
    `zone_id`.

    Default: none (HTTPS on the Elastic IP itself, see `ip_certificate`).
    Example: ``"app.example.com"``"""
    zone_id: str
    """The Route 53 hosted zone that gets the `domain` A record. Required with `domain`.

    Default: none; required with `domain`.
    Example: ``"Z0123456789ABCDEFGHIJ"``"""
    ip_certificate: bool
    """Without a `domain`: serve HTTPS on the Elastic IP with a Let's Encrypt certificate
    for the address itself (the `shortlived` profile, the only one Let's Encrypt issues IP
    certificates in: valid 160 hours, renewed by the proxy every few days and kept on the
    data volume), and redirect HTTP to it. Port 443 opens beside 80; `url` is
    `https://<elastic ip>`. Let's Encrypt proves the address from the internet, from
    addresses it does not publish, so both ports stay open to everyone: not with
    `ingress_cidrs` that leave anyone out. The proxy then answers only requests for the
    address, so containers may not route `hosts` (give the server a `domain` for that).
    False serves plain HTTP on the address. Not with `domain` (the domain gets its own
    certificate) or `behind_cdn` (CloudFront serves HTTPS).

    Default: true without `domain` or `behind_cdn` when `ingress_cidrs` is left open, else
    false.
    Example: ``False``"""
    dns_record: bool
    """Create the `domain` A record (the Elastic IP) in `zone_id`. False when another stack
    owns the name's records, such as a TrafficCutover weighing this server against the
    next stage: Caddy still serves `domain` over HTTPS.

    Default: true.
    Example: ``False``"""
    acme_email: str
    """Contact address for Let's Encrypt expiry notices.

    Default: none.
    Example: ``"ops@acme.io"``"""
    ingress_cidrs: list[str]
    """IPv4 ranges allowed to reach port 80, and 443 when the proxy has a certificate (a
    `domain` or `ip_certificate`; without one, 443 stays shut). SSH (22) is never opened: use SSM
    Session Manager. Not with `behind_cdn`. At least one; each a CIDR block without host
    bits (`203.0.113.0/24`; a bare address is a /32), none repeated.

    Default: `["0.0.0.0/0"]`.
    Example: ``["203.0.113.0/24"]``"""
    behind_cdn: bool
    """Serve only through a CloudFront distribution (CdnFrontend with a service on this
    server as `api_origin`). When true: the security group admits only CloudFront's
    origin-facing address ranges (the AWS managed prefix list) on port 80, nothing on 443;
    the server creates a random origin secret (`origin_verify_secret`, kept in an SSM
    SecureString the proxy reads at start) and the proxy answers 403 to any request without
    it in the `X-Origin-Verify` header, which the distribution sends. Viewers get HTTPS from
    CloudFront; the hop from CloudFront to the host is HTTP. Not with `domain` (give the
    domain to the CdnFrontend) or `ingress_cidrs`.

    Default: false.
    Example: ``True``"""
    internet_egress_ports: list[int]
    """TCP ports the host may reach on the internet (image pulls, AWS APIs, Let's Encrypt).
    Everything inside the VPC is always reachable.

    Default: `[443]`.
    Example: ``[443, 80]``"""
    log_retention_days: int
    """Days container and host logs stay in CloudWatch Logs. Allowed: a CloudWatch retention
    value.

    Default: 30.
    Example: ``90``"""
    alarm_topic_arn: str
    """An SNS topic of your own that every alarm of the server (and of the queues' workers
    on it) notifies.

    Default: none: the server creates an encrypted topic, `alarm_topic_arn`, to subscribe
    to.
    Example: ``"arn:aws:sns:eu-west-1:123456789012:ops"``"""
    cpu_alarm_percent: int
    """CPU use (15-minute average) that raises the CPU alarm. Allowed: 1..100.

    Default: 80.
    Example: ``90``"""
    protect_data: bool
    """`protect` + `retain_on_delete` on the data volume (and a final snapshot when it is
    deleted). Turn off only for throwaway stacks.

    Default: true.
    Example: ``False``"""
    tags: dict[str, str]
    """Tags for every resource, merged with `gridops:component` and `gridops:stage`.

    Default: none.
    Example: ``{"team": "shop"}``"""
    transforms: dict[str, Transform]
    """Per-child escape hatch, keyed by role (see `SingleServer.CHILD_ROLES`).

    Default: none.
    Example: ``{"log_group": {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}``"""


@dataclasses.dataclass(frozen=True)
class ServerSettings:
    """The validated arguments."""

    network: Network
    architecture: Architecture
    instance_type: str
    ami_id: str | None
    subnet_index: int
    root_volume_gb: int
    data_volume_gb: int
    data_volume_snapshot_id: str | None
    snapshot_retention_days: int
    backup_time_utc: str
    database: bool
    database_chosen: bool
    """Whether `database` was given (not left to its default)."""
    postgres_version: str
    database_name: str
    database_user: str
    database_memory_mb: int
    database_backup_retention_days: int
    replication_source: ReplicationSourceSettings | None
    domain: str | None
    zone_id: str | None
    dns_record: bool
    acme_email: str | None
    ingress_cidrs: tuple[str, ...]
    behind_cdn: bool
    ip_certificate: bool
    """HTTPS on the Elastic IP with a Let's Encrypt IP-address certificate."""
    internet_egress_ports: tuple[int, ...]
    log_retention_days: int
    alarm_topic_arn: str | None
    cpu_alarm_percent: int
    protect_data: bool


def read_settings(name: str, args: Any) -> ServerSettings:
    """Every argument checked, before the component registers anything."""
    check_name("SingleServer", name)
    a = ArgReader("SingleServer", name, args, SingleServerArgs.__annotations__)
    network = a.instance_of("network", (Network,))
    architecture = a.choice("architecture", "arm64", ARCHITECTURES)
    instance_type = a.string("instance_type", DEFAULT_INSTANCE_TYPE[architecture])
    problem = instance_type_error(instance_type, architecture)
    if problem:
        raise a.fail("instance_type", instance_type, problem)
    memory = instance_memory_mib(instance_type)
    database = a.boolean("database", True)
    if database and memory < MIN_DATABASE_HOST_MIB:
        raise a.fail(
            "instance_type",
            instance_type,
            f"it has {memory} MiB; with database=true the host needs at least "
            f"{MIN_DATABASE_HOST_MIB} MiB (e.g. t4g.small)",
        )
    subnet_index = a.integer("subnet_index", 0, 0, len(network.public_subnets) - 1)
    db_memory = a.integer(
        "database_memory_mb",
        max(128, memory // 4),
        128,
        memory - HOST_RESERVED_MIB - PROXY_MEMORY_MB,
    )
    domain, zone_id = _domain(a)
    behind_cdn = a.boolean("behind_cdn", False)
    if behind_cdn and domain:
        raise a.fail(
            "domain",
            domain,
            "not with behind_cdn: viewers reach CloudFront, so give the domain to the "
            "CdnFrontend; CloudFront reaches the host by its public DNS name",
        )
    if behind_cdn and a.has("ingress_cidrs"):
        raise a.fail(
            "ingress_cidrs",
            a.raw("ingress_cidrs"),
            "not with behind_cdn, where only CloudFront's origin-facing ranges reach the host",
        )
    data_volume_gb = integer_within(GP3_VOLUME_SIZE, a, "data_volume_gb", 50, 1, MAX_VOLUME_GB)
    database_user = a.string("database_user", "app", DB_IDENTIFIER, _IDENTIFIER_HINT)
    replication = None
    if a.has("replication_source"):
        if not database:
            raise a.fail(
                "replication_source",
                a.raw("replication_source"),
                "needs database=True (the PostgreSQL it exposes)",
            )
        replication = read_replication_source(
            name,
            a.raw("replication_source"),
            default_cidrs=[str(block) for block in network.layout.private],
            database_user=database_user,
            data_volume_gb=data_volume_gb,
        )
    ingress_cidrs = _cidrs(a)
    ip_certificate = _ip_certificate(a, domain, behind_cdn, ingress_cidrs)
    return ServerSettings(
        network=network,
        architecture=architecture,
        instance_type=instance_type,
        ami_id=a.optional_string(
            "ami_id", r"ami-[0-9a-f]{8}([0-9a-f]{9})?", "expected an AMI id (ami-...)"
        ),
        subnet_index=subnet_index,
        root_volume_gb=a.integer("root_volume_gb", 30, 8, MAX_VOLUME_GB),
        data_volume_gb=data_volume_gb,
        data_volume_snapshot_id=a.optional_string(
            "data_volume_snapshot_id",
            r"snap-[0-9a-f]{8}([0-9a-f]{9})?",
            "expected an EBS snapshot id (snap-...)",
        ),
        snapshot_retention_days=a.integer("snapshot_retention_days", 14, 1, 1000),
        backup_time_utc=a.string(
            "backup_time_utc", "03:00", r"([01][0-9]|2[0-3]):[0-5][0-9]", "expected HH:MM (UTC)"
        ),
        database=database,
        database_chosen=a.has("database"),
        postgres_version=a.choice("postgres_version", "16", POSTGRES_VERSIONS),
        database_name=a.string("database_name", "app", DB_IDENTIFIER, _IDENTIFIER_HINT),
        database_user=database_user,
        database_memory_mb=db_memory,
        database_backup_retention_days=a.integer("database_backup_retention_days", 30, 1, 3650),
        replication_source=replication,
        domain=domain,
        zone_id=zone_id,
        dns_record=_dns_record(a, domain),
        acme_email=a.optional_string(
            "acme_email", r"[^@\s]+@[^@\s]+\.[^@\s]+", "expected an email address"
        ),
        ingress_cidrs=ingress_cidrs,
        behind_cdn=behind_cdn,
        ip_certificate=ip_certificate,
        internet_egress_ports=_ports(a),
        log_retention_days=retention_days(a, "log_retention_days", 30),
        alarm_topic_arn=a.optional_string(
            "alarm_topic_arn",
            r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}",
            "expected an SNS topic ARN",
        ),
        cpu_alarm_percent=a.integer("cpu_alarm_percent", 80, 1, 100),
        protect_data=a.boolean("protect_data", True),
    )


_IDENTIFIER_HINT = "expected lowercase letters, digits and _ (at most 63), starting with a letter"


def _dns_record(a: ArgReader, domain: str | None) -> bool:
    record = a.boolean("dns_record", True)
    if not record and domain is None:
        raise a.fail("dns_record", False, "it applies to domain's A record: give domain")
    return record


def _domain(a: ArgReader) -> tuple[str | None, str | None]:
    domain = a.optional_string("domain")
    zone_id = a.optional_string("zone_id")
    if domain is None and zone_id is None:
        return None, None
    if domain is None:
        raise a.fail("zone_id", zone_id, "only with domain")
    if not re.fullmatch(HOSTNAME, domain.lower()):
        raise a.fail("domain", domain, "expected a DNS name such as app.example.com")
    if zone_id is None:
        raise a.fail("domain", domain, "needs zone_id, the Route 53 zone for its A record")
    if not re.fullmatch(HOSTED_ZONE_ID, zone_id):
        raise a.fail("zone_id", zone_id, "expected a Route 53 hosted zone id (Z...)")
    return domain.lower(), zone_id


EVERYONE = "0.0.0.0/0"


def _ip_certificate(
    a: ArgReader, domain: str | None, behind_cdn: bool, ingress_cidrs: tuple[str, ...]
) -> bool:
    """HTTPS on the address by default wherever Let's Encrypt can reach the host."""
    open_to_everyone = EVERYONE in ingress_cidrs
    if not a.has("ip_certificate"):
        return domain is None and not behind_cdn and open_to_everyone
    wanted = a.boolean("ip_certificate", False)
    if domain:
        raise a.fail("ip_certificate", wanted, "not with domain, which gets its own certificate")
    if behind_cdn:
        raise a.fail(
            "ip_certificate", wanted, "not with behind_cdn: CloudFront serves viewers HTTPS"
        )
    if not wanted:
        return False
    if not open_to_everyone:
        raise a.fail(
            "ip_certificate",
            True,
            f"ingress_cidrs {list(ingress_cidrs)} leave out the addresses Let's Encrypt "
            "validates from (it does not publish them), so the certificate could never be "
            f"issued; add {EVERYONE!r} to ingress_cidrs, or set ip_certificate=False",
        )
    return True


def _cidrs(a: ArgReader) -> tuple[str, ...]:
    if not a.has("ingress_cidrs"):
        return ("0.0.0.0/0",)
    cidrs = a.string_list("ingress_cidrs")
    if not cidrs:
        raise a.fail("ingress_cidrs", cidrs, "expected at least one IPv4 CIDR block")
    seen: dict[ipaddress.IPv4Network, str] = {}
    for cidr in cidrs:
        try:
            network = ipaddress.IPv4Network(cidr, strict=True)
        except ValueError:
            raise a.fail("ingress_cidrs", cidrs, f"{cidr!r} is not an IPv4 CIDR block") from None
        if network in seen:
            # One rule per block and port: EC2 refuses a second identical rule.
            raise a.fail(
                "ingress_cidrs", cidrs, f"CIDR blocks must not repeat ({seen[network]!r}, {cidr!r})"
            )
        seen[network] = cidr
    # EC2 takes the block as `a.b.c.d/n`: a bare address becomes a /32.
    return tuple(str(network) for network in seen)


def _ports(a: ArgReader) -> tuple[int, ...]:
    ports = a.sequence("internet_egress_ports") if a.has("internet_egress_ports") else [443]
    for port in ports:
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise a.fail("internet_egress_ports", ports, "expected TCP ports from 1 to 65535")
    return tuple(sorted(set(ports)))


__all__ = [
    "HOST_RESERVED_MIB",
    "PROXY_MEMORY_MB",
    "ServerSettings",
    "SingleServerArgs",
    "read_settings",
]
