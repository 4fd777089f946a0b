"""The SingleServer's user data: a bootstrap script that runs once, at first boot.

It installs what the host needs and nothing about the application: Docker with the
compose plugin, the ECR credential helper, the CloudWatch agent (memory and disk metrics,
the gridops logs), the data volume mounted on /data, and the gridops agent with its
systemd timers. The containers themselves come from SSM Parameter Store through the
agent, so deploying a new image never changes user data (a user-data change stops and
starts the instance).

Everything here is a pure function of the settings, so tests can read, diff and
shellcheck the script.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from gridops_infra.platforms.single_server.compose import FILES_DIR

AGENT_SOURCE = Path(__file__).with_name("agent.py")
COMPOSE_VERSION = "v2.29.7"
BACKUP_SCRIPT = f"{FILES_DIR}/backup/pg-backup.sh"
MAX_USER_DATA_BYTES = 16384  # EC2's limit, before base64
CW_AGENT_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"


@dataclass(frozen=True)
class HostSettings:
    """What the bootstrap needs to know; none of it changes when a service changes."""

    region: str
    data_volume_id: str
    parameter_path: str
    """Where the compose fragments live in SSM Parameter Store."""
    log_group: str
    backup_time_utc: str
    """`HH:MM`: when the nightly database dump runs (if the server has a database)."""


def cloudwatch_agent_config(log_group: str) -> dict:
    """Memory and disk (root and /data) metrics per instance, and the gridops logs."""

    def log_file(path: str, stream: str) -> dict:
        return {
            "file_path": path,
            "log_group_name": log_group,
            "log_stream_name": "{instance_id}/" + stream,
        }

    return {
        "agent": {"metrics_collection_interval": 60, "run_as_user": "root"},
        "metrics": {
            "namespace": "CWAgent",
            "append_dimensions": {"InstanceId": "${aws:InstanceId}"},
            "aggregation_dimensions": [["InstanceId"], ["InstanceId", "path"]],
            "metrics_collected": {
                "mem": {"measurement": ["mem_used_percent"]},
                "disk": {
                    "measurement": ["used_percent"],
                    "resources": ["/", "/data"],
                    "drop_device": True,
                },
            },
        },
        "logs": {
            "logs_collected": {
                "files": {
                    "collect_list": [
                        log_file("/var/log/gridops-bootstrap.log", "bootstrap"),
                        log_file("/var/log/gridops-agent.log", "agent"),
                        log_file("/var/log/gridops-db-backup.log", "db-backup"),
                    ]
                }
            }
        },
    }


def systemd_units(backup_time_utc: str) -> dict[str, str]:
    """The agent every minute (and at boot), the database dump every night."""
    return {
        "gridops-agent.service": "\n".join(
            [
                "[Unit]",
                "Description=gridops: run the compose fragments kept in SSM Parameter Store",
                "Wants=network-online.target",
                "After=network-online.target docker.service",
                "Requires=docker.service",
                "RequiresMountsFor=/data",
                "",
                "[Service]",
                "Type=oneshot",
                "EnvironmentFile=/etc/gridops/agent.env",
                "Environment=HOME=/root DOCKER_CONFIG=/root/.docker",
                "ExecStart=/usr/bin/python3 /usr/local/bin/gridops-agent",
                "StandardOutput=append:/var/log/gridops-agent.log",
                "StandardError=append:/var/log/gridops-agent.log",
                "",
            ]
        ),
        "gridops-agent.timer": "\n".join(
            [
                "[Unit]",
                "Description=gridops: apply compose changes within a minute",
                "",
                "[Timer]",
                "OnBootSec=20s",
                "OnUnitActiveSec=60s",
                "AccuracySec=5s",
                "",
                "[Install]",
                "WantedBy=timers.target",
                "",
            ]
        ),
        "gridops-db-backup.service": "\n".join(
            [
                "[Unit]",
                "Description=gridops: nightly pg_dump of the server's PostgreSQL to S3",
                "After=docker.service",
                "RequiresMountsFor=/data",
                f"ConditionPathExists={BACKUP_SCRIPT}",
                "",
                "[Service]",
                "Type=oneshot",
                "Environment=HOME=/root",
                f"ExecStart=/bin/bash {BACKUP_SCRIPT}",
                "StandardOutput=append:/var/log/gridops-db-backup.log",
                "StandardError=append:/var/log/gridops-db-backup.log",
                "",
            ]
        ),
        "gridops-db-backup.timer": "\n".join(
            [
                "[Unit]",
                "Description=gridops: nightly database dump",
                "",
                "[Timer]",
                f"OnCalendar=*-*-* {backup_time_utc}:00 UTC",
                "Persistent=true",
                "",
                "[Install]",
                "WantedBy=timers.target",
                "",
            ]
        ),
    }


def _heredoc(path: str, content: str, marker: str, mode: str = "0644") -> str:
    if any(line == marker for line in content.splitlines()):
        raise ValueError(f"{path}: content contains the heredoc marker {marker}")
    body = content if content.endswith("\n") else content + "\n"
    return f"cat > {path} <<'{marker}'\n{body}{marker}\nchmod {mode} {path}\n"


def render_user_data(s: HostSettings) -> str:
    """The bootstrap script (bash, run once by cloud-init as root)."""
    agent_env = "\n".join(
        [
            f"GRIDOPS_PARAMETER_PATH={s.parameter_path}",
            f"GRIDOPS_REGION={s.region}",
            "GRIDOPS_ROOT=/opt/gridops",
            "",
        ]
    )
    units = "".join(
        _heredoc(f"/etc/systemd/system/{name}", text, "GRIDOPS_UNIT")
        for name, text in systemd_units(s.backup_time_utc).items()
    )
    cw_config = json.dumps(cloudwatch_agent_config(s.log_group), indent=1, sort_keys=True)
    return "\n".join(
        [
            "#!/bin/bash",
            "# gridops SingleServer bootstrap: runs once, at first boot. The application's",
            "# containers are not here: /usr/local/bin/gridops-agent reads them from SSM",
            "# Parameter Store, so deploying a service never changes this script.",
            "set -euo pipefail",
            "exec > >(tee -a /var/log/gridops-bootstrap.log) 2>&1",
            "",
            f"DATA_VOLUME_ID={s.data_volume_id}",
            f"COMPOSE_VERSION={COMPOSE_VERSION}",
            "",
            "dnf install -y docker amazon-cloudwatch-agent amazon-ecr-credential-helper",
            "",
            "# docker compose v2 (not packaged for Amazon Linux 2023), checked against the",
            "# release's published SHA-256.",
            'compose_file="docker-compose-linux-$(uname -m)"',
            'compose_url="https://github.com/docker/compose/releases/download/$COMPOSE_VERSION"',
            'cd "$(mktemp -d)"',
            'curl -fsSL --retry 5 -o "$compose_file" "$compose_url/$compose_file"',
            'curl -fsSL --retry 5 -o "$compose_file.sha256" "$compose_url/$compose_file.sha256"',
            'sha256sum -c "$compose_file.sha256"',
            'install -D -m 0755 "$compose_file" /usr/local/lib/docker/cli-plugins/docker-compose',
            "cd /",
            "",
            "# The data volume: attached after boot, found by its NVMe serial, formatted only",
            "# when blank (a volume restored from a snapshot keeps its file system).",
            'data_dev="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${DATA_VOLUME_ID//-/}"',
            'for _ in $(seq 1 120); do [ -e "$data_dev" ] && break; sleep 5; done',
            '[ -e "$data_dev" ] || { echo "data volume $DATA_VOLUME_ID never attached"; exit 1; }',
            'if ! blkid "$data_dev" >/dev/null 2>&1; then mkfs.xfs -L gridops-data "$data_dev"; fi',
            'data_uuid="$(blkid -s UUID -o value "$data_dev")"',
            "mkdir -p /data",
            'grep -q "UUID=$data_uuid" /etc/fstab ||',
            '  echo "UUID=$data_uuid /data xfs defaults,nofail,noatime 0 2" >> /etc/fstab',
            "systemctl daemon-reload",
            "mount /data",
            "mkdir -p /data/postgres /data/caddy /data/backups /opt/gridops/compose",
            f"mkdir -p {FILES_DIR}/caddy/routes /etc/gridops /etc/docker /root/.docker",
            "",
            "# Containers survive a docker daemon restart or upgrade.",
            _heredoc("/etc/docker/daemon.json", '{"live-restore": true}', "GRIDOPS_JSON"),
            _heredoc("/etc/gridops/agent.env", agent_env, "GRIDOPS_ENV"),
            _heredoc(
                "/usr/local/bin/gridops-agent", AGENT_SOURCE.read_text(), "GRIDOPS_AGENT", "0755"
            ),
            units,
            _heredoc(CW_AGENT_CONFIG, cw_config, "GRIDOPS_JSON"),
            "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config \\",
            f"  -m ec2 -s -c file:{CW_AGENT_CONFIG}",
            "systemctl daemon-reload",
            "systemctl enable --now docker.service",
            "systemctl enable --now gridops-agent.timer gridops-db-backup.timer",
            'systemctl start gridops-agent.service || echo "first apply failed; retried each minute"',
            "",
        ]
    )


def encode_user_data(script: str) -> str:
    """gzip + base64 (cloud-init unpacks it): the agent alone is a third of EC2's 16 KiB.
    `mtime=0` keeps the bytes, and so the instance's inputs, identical between runs."""
    packed = gzip.compress(script.encode(), compresslevel=9, mtime=0)
    if len(packed) > MAX_USER_DATA_BYTES:
        raise ValueError(f"user data is {len(packed)} bytes packed; EC2 allows 16384")
    return base64.b64encode(packed).decode()


__all__ = [
    "COMPOSE_VERSION",
    "HostSettings",
    "cloudwatch_agent_config",
    "encode_user_data",
    "render_user_data",
    "systemd_units",
]
