"""Amazon EC2 and Amazon VPC: the rules AWS enforces when it creates a VPC, its subnets
and security groups."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "Amazon EC2 / Amazon VPC"

VPC_CIDR_SIZE = aws_rule(
    id="ec2-vpc-cidr-size",
    service=SERVICE,
    rule="A VPC's IPv4 CIDR block is between /16 and /28.",
    source="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    fix="Use a cidr_block from /16 (65,536 addresses) to /24 (gridops needs room for its subnets).",
)

SUBNET_CIDR_SIZE = aws_rule(
    id="ec2-subnet-cidr-size",
    service=SERVICE,
    rule="A subnet's IPv4 CIDR block is between /16 and /28.",
    source="https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    fix="Give the Network a larger cidr_block or fewer AZs, so each public subnet is /28 or "
    "larger.",
)

SECURITY_GROUP_RULES_QUOTA = aws_rule(
    id="ec2-security-group-rules-quota",
    service=SERVICE,
    rule="A security group has at most 60 inbound and 60 outbound rules (the quota 'Inbound "
    "or outbound rules per security group'; a rule naming a prefix list counts as its "
    "maximum entries).",
    source="https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups",
    fix="Merge CIDR blocks into fewer, larger ones or a managed prefix list; if your account's "
    "quota was raised, set the policy setting max_rules of ec2-security-group-rules-quota.",
)

SECURITY_GROUP_DESCRIPTION = aws_rule(
    id="ec2-security-group-description",
    service=SERVICE,
    rule="A security group's (and a security group rule's) description has at most 255 "
    "characters from a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*.",
    source="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    fix="Drop other characters (quotes, apostrophes, <, >, non-ASCII) from the description.",
)

GP3_VOLUME_SIZE = aws_rule(
    id="ec2-gp3-volume-size",
    service=SERVICE,
    rule="A General Purpose SSD (gp2 or gp3) EBS volume is 1 GiB to 16 TiB (16,384 GiB).",
    source="https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html",
    fix="Keep data_volume_gb (and root volume sizes) between 1 and 16384 GiB; larger data "
    "belongs in S3 or a managed database.",
)
