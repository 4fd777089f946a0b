"""EC2 instances, launch templates, EBS volumes and EFS file systems."""

from __future__ import annotations

from typing import Any

from gridops_infra.policy._props import as_list, get, is_true, text
from gridops_infra.policy.rule import ADVISORY, MANDATORY, ReportViolation, resource_rule

INSTANCE = "aws:ec2/instance:Instance"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
VOLUME = "aws:ebs/volume:Volume"
EFS = "aws:efs/fileSystem:FileSystem"


@resource_rule(
    name="ec2-no-public-ip",
    description="EC2 instances and launch templates do not ask for a public IPv4 address.",
    severity=ADVISORY,
    remediation="Set associate_public_ip_address=False and reach the host through a load "
    "balancer and SSM Session Manager; a single-server stage that must be public should use "
    "an Elastic IP with a security group that opens only 80/443.",
    types=(INSTANCE, LAUNCH_TEMPLATE),
    awsguard="ec2-instance-no-public-ip",
)
def no_public_ip(args: Any, report: ReportViolation) -> None:
    if args.resource_type == INSTANCE:
        if is_true(get(args.props, "associatePublicIpAddress")):
            report("associatePublicIpAddress is true.")
        return
    for nic in as_list(get(args.props, "networkInterfaces")):
        if is_true(get(nic, "associatePublicIpAddress")):
            report("a network interface sets associatePublicIpAddress.")


@resource_rule(
    name="ec2-imdsv2-required",
    description="EC2 instances and launch templates require IMDSv2 session tokens, so an SSRF "
    "bug cannot read the instance role's credentials.",
    severity=MANDATORY,
    remediation="Set metadata_options={'http_tokens': 'required', "
    "'http_put_response_hop_limit': 2}.",
    types=(INSTANCE, LAUNCH_TEMPLATE),
)
def imdsv2(args: Any, report: ReportViolation) -> None:
    if text(get(args.props, "metadataOptions", "httpTokens")) != "required":
        report("metadataOptions.httpTokens is not 'required'.")


@resource_rule(
    name="ebs-encryption",
    description="EBS volumes, instance root and data volumes, and launch-template volumes are "
    "encrypted.",
    severity=MANDATORY,
    remediation="Set encrypted=True on the volume (root_block_device / ebs_block_devices / "
    "block_device_mappings[].ebs), optionally with kms_key_id. Changing it replaces the "
    "volume: snapshot and restore an encrypted copy.",
    types=(INSTANCE, LAUNCH_TEMPLATE, VOLUME),
    awsguard="encrypted-volumes",
)
def ebs_encryption(args: Any, report: ReportViolation) -> None:
    props = args.props
    if args.resource_type == VOLUME:
        if not is_true(get(props, "encrypted")):
            report("encrypted is not true.")
    elif args.resource_type == INSTANCE:
        if not is_true(get(props, "rootBlockDevice", "encrypted")):
            report("rootBlockDevice.encrypted is not true.")
        for device in as_list(get(props, "ebsBlockDevices")):
            if not is_true(get(device, "encrypted")):
                report(f"EBS volume {text(get(device, 'deviceName')) or '?'} is not encrypted.")
    else:
        for mapping in as_list(get(props, "blockDeviceMappings")):
            ebs = get(mapping, "ebs")
            if ebs is not None and not is_true(get(ebs, "encrypted")):
                report(f"EBS volume {text(get(mapping, 'deviceName')) or '?'} is not encrypted.")


@resource_rule(
    name="efs-encrypted",
    description="EFS file systems are encrypted at rest.",
    severity=MANDATORY,
    remediation="Set encrypted=True (and kms_key_id for a customer managed key); changing it "
    "replaces the file system.",
    types=(EFS,),
    awsguard="efs-encrypted",
)
def efs_encrypted(args: Any, report: ReportViolation) -> None:
    if not is_true(get(args.props, "encrypted")):
        report("encrypted is not true.")
