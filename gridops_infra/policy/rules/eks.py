"""EKS control planes: secrets encryption, audit logs, private API endpoint."""

from __future__ import annotations

import ipaddress
from typing import Any

from gridops_infra.policy._props import as_list, get, is_true, text
from gridops_infra.policy.rule import MANDATORY, ReportViolation, resource_rule, setting

CLUSTER = "aws:eks/cluster:Cluster"
CONTROL_PLANE_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")
OPEN_CIDRS = ("0.0.0.0/0", "::/0")


@resource_rule(
    name="eks-secrets-encryption",
    description="EKS clusters encrypt Kubernetes secrets with a KMS key (envelope encryption).",
    severity=MANDATORY,
    remediation="Set encryption_config={'provider': {'key_arn': <kms key arn>}, 'resources': "
    "['secrets']}.",
    types=(CLUSTER,),
)
def secrets_encryption(args: Any, report: ReportViolation) -> None:
    for config in as_list(get(args.props, "encryptionConfig")):
        if "secrets" in as_list(get(config, "resources")) and text(
            get(config, "provider", "keyArn")
        ):
            return
    report("encryptionConfig does not encrypt 'secrets' with a KMS key.")


@resource_rule(
    name="eks-control-plane-logging",
    description="EKS clusters send every control-plane log type to CloudWatch.",
    severity=MANDATORY,
    remediation="Set enabled_cluster_log_types=['api', 'audit', 'authenticator', "
    "'controllerManager', 'scheduler'] (and a retention on /aws/eks/<name>/cluster).",
    types=(CLUSTER,),
)
def control_plane_logging(args: Any, report: ReportViolation) -> None:
    enabled = {text(t) for t in as_list(get(args.props, "enabledClusterLogTypes"))}
    missing = [t for t in CONTROL_PLANE_LOGS if t not in enabled]
    if missing:
        report(f"enabledClusterLogTypes misses {', '.join(missing)}.")


def within(cidr: str, allowed: list[str]) -> bool:
    try:
        network = ipaddress.ip_network(cidr, strict=False)
        return any(
            network.version == parent.version and network.subnet_of(parent)  # type: ignore[arg-type]
            for parent in (ipaddress.ip_network(a, strict=False) for a in allowed)
        )
    except ValueError:
        return False


@resource_rule(
    name="eks-endpoint-access",
    description="The EKS API endpoint is reachable privately, and publicly not at all or only "
    "from given CIDRs (`allowedPublicCidrs`; never 0.0.0.0/0).",
    severity=MANDATORY,
    remediation="Set vpc_config.endpoint_private_access=True and either "
    "endpoint_public_access=False or public_access_cidrs=[<office/VPN/CI CIDRs>].",
    types=(CLUSTER,),
    config_schema={
        "allowedPublicCidrs": {"type": "array", "items": {"type": "string"}, "default": []}
    },
)
def endpoint_access(args: Any, report: ReportViolation) -> None:
    vpc = get(args.props, "vpcConfig")
    if not is_true(get(vpc, "endpointPrivateAccess")):
        report(
            "vpcConfig.endpointPrivateAccess is not true: nodes reach the API over the internet."
        )
    if get(vpc, "endpointPublicAccess") is False:
        return
    cidrs = [text(c) for c in as_list(get(vpc, "publicAccessCidrs"))] or ["0.0.0.0/0"]
    open_cidrs = [c for c in cidrs if c in OPEN_CIDRS]
    if open_cidrs:
        report(f"the public API endpoint is open to {', '.join(open_cidrs)}.")
        return
    allowed = [text(c) for c in as_list(setting(args, "allowedPublicCidrs", []))]
    outside = [c for c in cidrs if allowed and not within(c, allowed)]
    if outside:
        report(f"publicAccessCidrs {', '.join(outside)} are outside allowedPublicCidrs.")
