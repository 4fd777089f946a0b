"""Answers to the provider functions (invokes) gridops components and user programs call."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gridops_infra.testing.outputs import ACCOUNT_ID, short_hash

# Availability zones per region the mocks know; other regions get three zones a-c.
REGION_AZS: dict[str, int] = {
    "us-east-1": 6,
    "us-east-2": 3,
    "us-west-1": 2,
    "us-west-2": 4,
    "eu-west-1": 3,
    "eu-central-1": 3,
    "ap-southeast-1": 3,
    "ap-northeast-1": 3,
}

AZ_IDS = {"us-east-1": "use1", "us-east-2": "use2", "us-west-2": "usw2", "eu-west-1": "euw1"}

Invoke = Callable[[dict[str, Any], str], dict[str, Any]]


def _azs(args: dict[str, Any], region: str) -> dict[str, Any]:
    count = REGION_AZS.get(region, 3)
    letters = "abcdef"[:count]
    short = AZ_IDS.get(region, region.replace("-", "")[:4])
    return {
        "id": region,
        "names": [f"{region}{c}" for c in letters],
        "zoneIds": [f"{short}-az{i + 1}" for i in range(count)],
        "state": "available",
        "groupNames": [region],
    }


def _caller(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/gridops-preview",
        "userId": "AIDAGRIDOPSPREVIEW0000",
        "id": ACCOUNT_ID,
    }


def _region(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "name": region,
        "region": region,
        "id": region,
        "description": region,
        "endpoint": f"ec2.{region}.amazonaws.com",
    }


def _partition(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
        "id": "aws",
    }


def _policy_document(args: dict[str, Any], region: str) -> dict[str, Any]:
    statements = []
    for st in args.get("statements") or []:
        out: dict[str, Any] = {"Effect": st.get("effect", "Allow")}
        if st.get("sid"):
            out["Sid"] = st["sid"]
        for src, dst in (("actions", "Action"), ("resources", "Resource")):
            if st.get(src):
                out[dst] = st[src]
        principals = st.get("principals") or []
        if principals:
            out["Principal"] = {p["type"]: p["identifiers"] for p in principals}
        conditions = st.get("conditions") or []
        if conditions:
            cond: dict[str, dict[str, Any]] = {}
            for c in conditions:
                cond.setdefault(c["test"], {})[c["variable"]] = c["values"]
            out["Condition"] = cond
        statements.append(out)
    doc = json.dumps({"Version": "2012-10-17", "Statement": statements})
    return {"json": doc, "minifiedJson": doc, "id": short_hash("doc", doc)}


def _ami(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "id": f"ami-{short_hash('ami', region)}",
        "imageId": f"ami-{short_hash('ami', region)}",
        "architecture": "arm64",
        "name": "al2023-ami-2023.6.20250101.0-kernel-6.1-arm64",
    }


def _ssm_parameter(args: dict[str, Any], region: str) -> dict[str, Any]:
    name = str(args.get("name", ""))
    value = f"ami-{short_hash('ssm', name, region)}" if "ami" in name else f"mock:{name}"
    return {
        "id": name,
        "name": name,
        "value": value,
        "insecureValue": value,
        "type": "String",
        "arn": f"arn:aws:ssm:{region}:{ACCOUNT_ID}:parameter{name}",
        "version": 1,
    }


def _prefix_list(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {
        "id": "pl-3b927c52",
        "name": "com.amazonaws.global.cloudfront.origin-facing",
        "cidrBlocks": [],
    }


def _elb_service_account(args: dict[str, Any], region: str) -> dict[str, Any]:
    return {"id": "127311923021", "arn": "arn:aws:iam::127311923021:root"}


def _eks_addon_version(args: dict[str, Any], region: str) -> dict[str, Any]:
    addon = args.get("addonName", "addon")
    return {
        "id": addon,
        "addonName": addon,
        "version": "v1.0.0-eksbuild.1",
        "kubernetesVersion": args.get("kubernetesVersion"),
    }


def _cache_policy(args: dict[str, Any], region: str) -> dict[str, Any]:
    known = {
        "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    }
    name = args.get("name", "")
    return {"id": known.get(name, short_hash("cp", name, length=32)), "name": name}


def _origin_request_policy(args: dict[str, Any], region: str) -> dict[str, Any]:
    known = {
        "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        "Managed-CORS-S3Origin": "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
    }
    name = args.get("name", "")
    return {"id": known.get(name, short_hash("orp", name, length=32)), "name": name}


def _lookup_tags(args: dict[str, Any]) -> str:
    return "/".join(f"{k}={v}" for k, v in sorted((args.get("tags") or {}).items()))


def _load_balancer(args: dict[str, Any], region: str) -> dict[str, Any]:
    # Found by name or tags (e.g. an ALB the AWS Load Balancer Controller created).
    key = str(args.get("name") or _lookup_tags(args))
    name = str(args.get("name") or f"k8s-{short_hash('lbname', key, length=20)}")[:32]
    lb_id = short_hash("lb", key, length=16)
    arn = f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT_ID}:loadbalancer/app/{name}/{lb_id}"
    return {
        "id": arn,
        "arn": arn,
        "arnSuffix": f"app/{name}/{lb_id}",
        "name": name,
        "dnsName": f"{name}-{int(short_hash('lbdns', key, length=8), 16) % 10**10}"
        f".{region}.elb.amazonaws.com",
        "zoneId": "Z35SXDOTRQ7X7K",
        "loadBalancerType": "application",
        "internal": False,
        "tags": dict(args.get("tags") or {}),
    }


def _target_group(args: dict[str, Any], region: str) -> dict[str, Any]:
    key = str(args.get("name") or _lookup_tags(args))
    name = str(args.get("name") or f"k8s-{short_hash('tgname', key, length=20)}")[:32]
    tg_id = short_hash("tg", key, length=16)
    arn = f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT_ID}:targetgroup/{name}/{tg_id}"
    return {
        "id": arn,
        "arn": arn,
        "arnSuffix": f"targetgroup/{name}/{tg_id}",
        "name": name,
        "targetType": "ip",
        "tags": dict(args.get("tags") or {}),
    }


INVOKES: dict[str, Invoke] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _azs,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getPartition:getPartition": _partition,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:ec2/getAmi:getAmi": _ami,
    "aws:ssm/getParameter:getParameter": _ssm_parameter,
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": _prefix_list,
    "aws:elb/getServiceAccount:getServiceAccount": _elb_service_account,
    "aws:eks/getAddonVersion:getAddonVersion": _eks_addon_version,
    "aws:cloudfront/getCachePolicy:getCachePolicy": _cache_policy,
    "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": _origin_request_policy,
    "aws:lb/getLoadBalancer:getLoadBalancer": _load_balancer,
    "aws:lb/getTargetGroup:getTargetGroup": _target_group,
}


class UnmockedInvokeError(RuntimeError):
    pass


def answer(token: str, args: dict[str, Any], region: str) -> dict[str, Any]:
    fn = INVOKES.get(token)
    if fn is None:
        raise UnmockedInvokeError(
            f"the offline engine has no answer for provider function {token}; "
            "add one to gridops_infra/testing/functions.py or subclass GridopsMocks.call"
        )
    return fn(args, region)
