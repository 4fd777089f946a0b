"""The SingleServer's EC2 instance and its disks: the protected data volume (mounted on
/data, snapshotted by tag), the user data that bootstraps the host, the instance itself
(IMDSv2 only, encrypted gp3 root, auto-recovery) and the volume attachment."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from gridops_infra.core.component import GridopsComponent
from gridops_infra.platforms.single_server.args import ServerSettings
from gridops_infra.platforms.single_server.types import AL2023_AMI_PARAMETER, Architecture
from gridops_infra.platforms.single_server.userdata import (
    HostSettings,
    encode_user_data,
    render_user_data,
)

DATA_DEVICE = "/dev/sdf"
SNAPSHOT_TAG = "gridops:snapshots"


def snapshot_tags(identity: str) -> dict[str, str]:
    """The tag Data Lifecycle Manager finds the data volume by."""
    return {SNAPSHOT_TAG: identity}


def data_volume(
    server: GridopsComponent, s: ServerSettings, availability_zone: pulumi.Input[str], identity: str
) -> aws.ebs.Volume:
    """Encrypted gp3, `protect`ed and `retain_on_delete` (a final snapshot if it is ever
    deleted) unless `protect_data` is off; restored from a snapshot when one is given."""
    data_opts = pulumi.ResourceOptions(protect=s.protect_data, retain_on_delete=s.protect_data)
    volume_args: dict[str, Any] = {
        "availability_zone": availability_zone,
        "size": s.data_volume_gb,
        "type": "gp3",
        "encrypted": True,
        "final_snapshot": s.protect_data,
        "tags": {"Name": f"{server.name}-data", **snapshot_tags(identity)},
    }
    if s.data_volume_snapshot_id:
        volume_args["snapshot_id"] = s.data_volume_snapshot_id
    return server.child("data_volume", aws.ebs.Volume, volume_args, suffix="data", opts=data_opts)


def host_user_data(
    volume_id: pulumi.Output[str],
    *,
    region: str,
    parameter_path: str,
    log_group: str,
    backup_time_utc: str,
) -> pulumi.Output[str]:
    """The bootstrap script, unpacked: it installs the agent that applies the compose
    fragments under `<parameter_path>/compose`."""
    return volume_id.apply(
        lambda resolved_volume_id: render_user_data(
            HostSettings(
                region=region,
                data_volume_id=resolved_volume_id,
                parameter_path=f"{parameter_path}/compose",
                log_group=log_group,
                backup_time_utc=backup_time_utc,
            )
        )
    )


def latest_ami(architecture: Architecture) -> str:
    """The latest Amazon Linux 2023 AMI for the architecture (an SSM public parameter)."""
    return aws.ssm.get_parameter(name=AL2023_AMI_PARAMETER[architecture]).value


def host_instance(
    server: GridopsComponent,
    s: ServerSettings,
    *,
    instance_profile_name: pulumi.Input[str],
    network_interface: aws.ec2.NetworkInterface,
    elastic_ip: aws.ec2.Eip,
    user_data: pulumi.Output[str],
) -> aws.ec2.Instance:
    return server.child(
        "instance",
        aws.ec2.Instance,
        {
            "ami": s.ami_id or latest_ami(s.architecture),
            "instance_type": s.instance_type,
            "iam_instance_profile": instance_profile_name,
            "primary_network_interface": {"network_interface_id": network_interface.id},
            "metadata_options": {
                "http_endpoint": "enabled",
                "http_tokens": "required",
                "http_put_response_hop_limit": 2,  # containers reach the instance role
                "instance_metadata_tags": "disabled",
            },
            "root_block_device": {
                "volume_type": "gp3",
                "volume_size": s.root_volume_gb,
                "encrypted": True,
                "delete_on_termination": True,
            },
            "user_data_base64": user_data.apply(encode_user_data),
            "user_data_replace_on_change": False,
            "maintenance_options": {"auto_recovery": "default"},
            "tags": {"Name": server.name},
        },
        # A new AMI release must not replace the host; the interface (and its address)
        # can belong to one instance at a time, so a replacement goes first.
        opts=pulumi.ResourceOptions(
            ignore_changes=["ami"], delete_before_replace=True, depends_on=[elastic_ip]
        ),
    )


def attach_data_volume(
    server: GridopsComponent, volume: aws.ebs.Volume, instance: aws.ec2.Instance
) -> aws.ec2.VolumeAttachment:
    return server.child(
        "volume_attachment",
        aws.ec2.VolumeAttachment,
        {
            "device_name": DATA_DEVICE,
            "volume_id": volume.id,
            "instance_id": instance.id,
            "stop_instance_before_detaching": True,
        },
        suffix="data-attachment",
    )


__all__ = [
    "DATA_DEVICE",
    "SNAPSHOT_TAG",
    "attach_data_volume",
    "data_volume",
    "host_instance",
    "host_user_data",
    "latest_ami",
    "snapshot_tags",
]
