"""Realistic computed outputs for the resource types gridops creates.

Every value is derived from the resource's type and logical name with a hash, so two
previews of the same program give identical ids and ARNs (Plans can be diffed) while
different resources never collide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pulumi.runtime import rpc

ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"


def short_hash(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


@dataclass(frozen=True)
class Identity:
    """How a type's id and ARN look: `arn:aws:{service}:{region}:{account}:{path}`."""

    service: str
    id_format: str = "{name}"  # placeholders: {name} (physical name), {hex}
    arn_path: str | None = None  # placeholders: {id}, {name}; None: the type has no ARN
    regional: bool = True


# Type token -> identity. Tokens not listed get a generic id and no ARN.
IDENTITIES: dict[str, Identity] = {
    "aws:ec2/vpc:Vpc": Identity("ec2", "vpc-{hex}", "vpc/{id}"),
    "aws:ec2/subnet:Subnet": Identity("ec2", "subnet-{hex}", "subnet/{id}"),
    "aws:ec2/internetGateway:InternetGateway": Identity(
        "ec2", "igw-{hex}", "internet-gateway/{id}"
    ),
    "aws:ec2/natGateway:NatGateway": Identity("ec2", "nat-{hex}", "natgateway/{id}"),
    "aws:ec2/eip:Eip": Identity("ec2", "eipalloc-{hex}", "elastic-ip/{id}"),
    "aws:ec2/routeTable:RouteTable": Identity("ec2", "rtb-{hex}", "route-table/{id}"),
    "aws:ec2/route:Route": Identity("ec2", "r-{hex}"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": Identity("ec2", "rtbassoc-{hex}"),
    "aws:ec2/flowLog:FlowLog": Identity("ec2", "fl-{hex}", "vpc-flow-log/{id}"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": Identity("ec2", "vpce-{hex}", "vpc-endpoint/{id}"),
    "aws:ec2/securityGroup:SecurityGroup": Identity("ec2", "sg-{hex}", "security-group/{id}"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": Identity(
        "ec2", "sgr-{hex}", "security-group-rule/{id}"
    ),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": Identity(
        "ec2", "sgr-{hex}", "security-group-rule/{id}"
    ),
    "aws:ec2/instance:Instance": Identity("ec2", "i-{hex}", "instance/{id}"),
    "aws:ebs/volume:Volume": Identity("ec2", "vol-{hex}", "volume/{id}"),
    "aws:ec2/volumeAttachment:VolumeAttachment": Identity("ec2", "vai-{hex}"),
    "aws:ec2/launchTemplate:LaunchTemplate": Identity("ec2", "lt-{hex}", "launch-template/{id}"),
    "aws:ec2/eipAssociation:EipAssociation": Identity("ec2", "eipassoc-{hex}"),
    "aws:ec2/networkInterface:NetworkInterface": Identity(
        "ec2", "eni-{hex}", "network-interface/{id}"
    ),
    "aws:cloudwatch/logGroup:LogGroup": Identity("logs", "{name}", "log-group:{name}"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": Identity("cloudwatch", "{name}", "alarm:{name}"),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": Identity(
        "cloudwatch", "{name}", "alarm:{name}"
    ),
    "aws:cloudwatch/dashboard:Dashboard": Identity(
        "cloudwatch", "{name}", "dashboard/{name}", False
    ),
    "aws:cloudwatch/eventRule:EventRule": Identity("events", "{name}", "rule/{name}"),
    "aws:iam/role:Role": Identity("iam", "{name}", "role/{name}", False),
    "aws:iam/policy:Policy": Identity("iam", "{name}", "policy/{name}", False),
    "aws:iam/rolePolicy:RolePolicy": Identity("iam", "{name}"),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": Identity("iam", "{name}-{hex}"),
    "aws:iam/instanceProfile:InstanceProfile": Identity(
        "iam", "{name}", "instance-profile/{name}", False
    ),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": Identity(
        "iam", "{hex}", "oidc-provider/token.actions.githubusercontent.com", False
    ),
    "aws:kms/key:Key": Identity("kms", "{uuid}", "key/{id}"),
    "aws:kms/alias:Alias": Identity("kms", "{name}", "{name}"),
    "aws:secretsmanager/secret:Secret": Identity("secretsmanager", "{arn}", "secret:{name}-{hex6}"),
    "aws:secretsmanager/secretVersion:SecretVersion": Identity("secretsmanager", "{hex}"),
    "aws:s3/bucket:Bucket": Identity("s3", "{name}", "{name}", False),
    "aws:s3/bucketV2:BucketV2": Identity("s3", "{name}", "{name}", False),
    "aws:ecs/cluster:Cluster": Identity("ecs", "{arn}", "cluster/{name}"),
    "aws:ecs/capacityProvider:CapacityProvider": Identity(
        "ecs", "{arn}", "capacity-provider/{name}"
    ),
    "aws:ecs/taskDefinition:TaskDefinition": Identity(
        "ecs", "{family}", "task-definition/{family}:1"
    ),
    "aws:ecs/service:Service": Identity("ecs", "{arn}", "service/{cluster_name}/{name}"),
    "aws:ecs/expressGatewayService:ExpressGatewayService": Identity(
        "ecs", "{arn}", "service/{cluster_name}/{name}"
    ),
    "aws:lb/loadBalancer:LoadBalancer": Identity(
        "elasticloadbalancing", "{arn}", "loadbalancer/app/{name}/{hex16}"
    ),
    "aws:lb/targetGroup:TargetGroup": Identity(
        "elasticloadbalancing", "{arn}", "targetgroup/{name}/{hex16}"
    ),
    "aws:lb/listener:Listener": Identity(
        "elasticloadbalancing", "{arn}", "listener/app/{hex8}/{hex16}/{hex6}"
    ),
    "aws:lb/listenerRule:ListenerRule": Identity(
        "elasticloadbalancing", "{arn}", "listener-rule/app/{hex8}/{hex16}/{hex6}/{hex8}"
    ),
    "aws:acm/certificate:Certificate": Identity("acm", "{arn}", "certificate/{uuid}"),
    "aws:appautoscaling/target:Target": Identity("application-autoscaling", "{hex}"),
    "aws:appautoscaling/policy:Policy": Identity(
        "autoscaling", "{name}", "scalingPolicy:{uuid}:resource/{name}"
    ),
    "aws:sqs/queue:Queue": Identity("sqs", "{url}", "{name}"),
    "aws:lambda/function:Function": Identity("lambda", "{name}", "function:{name}"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": Identity(
        "lambda", "{uuid}", "event-source-mapping:{uuid}"
    ),
    "aws:sns/topic:Topic": Identity("sns", "{arn}", "{name}"),
    # AWS Budgets: id `<account>:<name>`, ARN `arn:aws:budgets::<account>:budget/<name>`.
    "aws:budgets/budget:Budget": Identity("budgets", "123456789012:{name}", "budget/{name}", False),
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor": Identity(
        "ce", "{arn}", "anomalymonitor/{uuid}", False
    ),
    "aws:costexplorer/anomalySubscription:AnomalySubscription": Identity(
        "ce", "{arn}", "anomalysubscription/{uuid}", False
    ),
    "aws:sns/topicSubscription:TopicSubscription": Identity("sns", "{arn}", "{hex}:{uuid}"),
    "aws:rds/instance:Instance": Identity("rds", "db-{HEX}", "db:{identifier}"),
    "aws:rds/cluster:Cluster": Identity("rds", "{identifier}", "cluster:{identifier}"),
    "aws:rds/clusterInstance:ClusterInstance": Identity("rds", "{identifier}", "db:{identifier}"),
    "aws:rds/subnetGroup:SubnetGroup": Identity("rds", "{name}", "subgrp:{name}"),
    "aws:rds/parameterGroup:ParameterGroup": Identity("rds", "{name}", "pg:{name}"),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": Identity(
        "rds", "{name}", "cluster-pg:{name}"
    ),
    "aws:rds/proxy:Proxy": Identity("rds", "{name}", "db-proxy:prx-{hex}"),
    "aws:rds/proxyEndpoint:ProxyEndpoint": Identity(
        "rds", "{name}", "db-proxy-endpoint:prx-endpoint-{hex}"
    ),
    "aws:elasticache/replicationGroup:ReplicationGroup": Identity(
        "elasticache", "{replication_group_id}", "replicationgroup:{replication_group_id}"
    ),
    "aws:elasticache/subnetGroup:SubnetGroup": Identity(
        "elasticache", "{name}", "subnetgroup:{name}"
    ),
    "aws:elasticache/parameterGroup:ParameterGroup": Identity(
        "elasticache", "{name}", "parametergroup:{name}"
    ),
    "aws:cloudfront/distribution:Distribution": Identity(
        "cloudfront", "E{HEX13}", "distribution/{id}", False
    ),
    "aws:cloudfront/originAccessControl:OriginAccessControl": Identity("cloudfront", "E{HEX13}"),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": Identity("cloudfront", "{uuid}"),
    "aws:cloudfront/cachePolicy:CachePolicy": Identity("cloudfront", "{uuid}"),
    "aws:wafv2/webAcl:WebAcl": Identity("wafv2", "{uuid}", "global/webacl/{name}/{uuid}"),
    "aws:eks/cluster:Cluster": Identity("eks", "{name}", "cluster/{name}"),
    "aws:eks/nodeGroup:NodeGroup": Identity(
        "eks", "{cluster_name}:{name}", "nodegroup/{cluster_name}/{name}/{uuid}"
    ),
    "aws:eks/addon:Addon": Identity(
        "eks", "{cluster_name}:{addon_name}", "addon/{cluster_name}/{addon_name}/{uuid}"
    ),
    "aws:eks/fargateProfile:FargateProfile": Identity(
        "eks", "{cluster_name}:{name}", "fargateprofile/{cluster_name}/{name}/{uuid}"
    ),
    "aws:eks/accessEntry:AccessEntry": Identity(
        "eks", "{cluster_name}:{hex}", "access-entry/{cluster_name}/{hex}"
    ),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": Identity(
        "eks", "a-{hex}", "podidentityassociation/{cluster_name}/a-{hex}"
    ),
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": Identity("dlm", "policy-{hex}", "policy/{id}"),
    "aws:fis/experimentTemplate:ExperimentTemplate": Identity(
        "fis", "EXT{HEX13}", "experiment-template/{id}"
    ),
    "aws:ssm/parameter:Parameter": Identity("ssm", "{name}", "parameter{name}"),
    "aws:route53/record:Record": Identity("route53", "{hex}"),
    "aws:ecr/repository:Repository": Identity("ecr", "{name}", "repository/{name}"),
    "random:index/randomPassword:RandomPassword": Identity("random", "{hex}"),
    "aws:amp/workspace:Workspace": Identity("aps", "ws-{uuid}", "workspace/{id}"),
    "aws:dms/endpoint:Endpoint": Identity("dms", "{HEX}", "endpoint:{HEX}"),
    "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": Identity(
        "dms", "{hex}", "subgrp:{hex}"
    ),
    "aws:dms/replicationConfig:ReplicationConfig": Identity(
        "dms", "{arn}", "replication-config:{HEX}"
    ),
    "aws:grafana/workspace:Workspace": Identity("grafana", "g-{hex8}", "/workspaces/{id}"),
    # AppConfig ids are 7 lowercase letters or digits.
    "aws:appconfig/application:Application": Identity("appconfig", "{hex7}", "application/{id}"),
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": Identity(
        "appconfig", "{hex7}", "deploymentstrategy/{id}"
    ),
}

# Types whose physical name the provider invents when the program gives none; the key is
# the input that holds it.
AUTONAMED_FIELD: dict[str, str] = {
    "aws:rds/instance:Instance": "identifier",
    "aws:rds/cluster:Cluster": "clusterIdentifier",
    "aws:rds/clusterInstance:ClusterInstance": "identifier",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:ecs/taskDefinition:TaskDefinition": "family",
    "aws:ecs/expressGatewayService:ExpressGatewayService": "serviceName",
}


# Types with a provider-generated `name` that appears in neither their id nor their ARN.
NAMED_BY_ID = {
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ecs/service:Service",
    "aws:eks/nodeGroup:NodeGroup",
    "aws:eks/fargateProfile:FargateProfile",
}


def _physical_name(type_: str, name: str, inputs: dict[str, Any]) -> str:
    field = AUTONAMED_FIELD.get(type_, "name")
    given = inputs.get(field)
    if isinstance(given, str) and given:
        return given
    prefix = inputs.get("namePrefix")
    suffix = short_hash(type_, name, length=7)
    if isinstance(prefix, str) and prefix:
        return f"{prefix}{suffix}"
    base = f"{name}-{suffix}"
    if type_ == "aws:sqs/queue:Queue" and inputs.get("fifoQueue"):
        base += ".fifo"  # the provider adds the suffix a FIFO queue's name needs
    return base.lower() if type_ in AUTONAMED_FIELD else base


def _fill(template: str, values: dict[str, str]) -> str:
    out = template
    for key, val in values.items():
        out = out.replace("{" + key + "}", val)
    return out


def identity_outputs(
    type_: str, name: str, inputs: dict[str, Any], region: str
) -> tuple[str, dict[str, Any]]:
    """The id and the common computed outputs (name, arn) for one resource."""
    ident = IDENTITIES.get(type_)
    h = short_hash(type_, name)
    physical = _physical_name(type_, name, inputs)
    uuid = f"{h[:8]}-{h[8:12]}-4{h[12:15]}-a{short_hash(name, type_, length=3)}-{short_hash(name, length=12)}"
    values = {
        "hex": h,
        "hex6": h[:6],
        "hex7": h[:7],
        "hex8": h[:8],
        "hex16": h[:16],
        "HEX": h.upper()[:26],
        "HEX13": h.upper()[:13],
        "uuid": uuid,
        "name": physical,
        "family": str(inputs.get("family") or physical),
        "identifier": str(inputs.get("identifier") or inputs.get("clusterIdentifier") or physical),
        "replication_group_id": str(inputs.get("replicationGroupId") or physical),
        "cluster_name": str(
            inputs.get("clusterName") or _last_segment(inputs.get("cluster")) or "cluster"
        ),
        "addon_name": str(inputs.get("addonName") or physical),
    }
    outputs: dict[str, Any] = {}
    field = AUTONAMED_FIELD.get(type_, "name")
    if ident is None:
        return f"{name}-{h[:8]}", outputs
    arn = None
    if ident.arn_path is not None:
        path = _fill(ident.arn_path, values)
        if "{id}" in path:
            path = path.replace("{id}", _fill(ident.id_format, values))
        loc = (
            f"{region}:{ACCOUNT_ID}"
            if ident.regional
            else ":"
            if ident.service == "s3"
            else f":{ACCOUNT_ID}"
        )
        if ident.service == "s3":
            arn = f"arn:aws:s3:::{path}"
        else:
            arn = f"arn:aws:{ident.service}:{loc}:{path}"
        outputs["arn"] = arn
    values["arn"] = arn or ""
    values["url"] = f"https://sqs.{region}.amazonaws.com/{ACCOUNT_ID}/{physical}"
    rid = _fill(ident.id_format, values)
    named = "{name}" in ident.id_format + (ident.arn_path or "") or type_ in NAMED_BY_ID
    if (named or type_ in AUTONAMED_FIELD) and not inputs.get(field):
        outputs[field] = physical
    return rid, outputs


def _last_segment(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value.rsplit("/", 1)[-1]
    return None


# Extra computed outputs per type: endpoints, DNS names, URLs and the like.
Extra = Callable[[str, dict[str, Any], dict[str, Any], str], dict[str, Any]]


def _appconfig_arn(region: str, path: str) -> str:
    return f"arn:aws:appconfig:{region}:{ACCOUNT_ID}:{path}"


def _appconfig_environment(name: str, inputs: dict, out: dict, region: str) -> dict:
    env = short_hash("appconfig-environment", name, length=7)
    app = inputs.get("applicationId", "")
    return {
        "environmentId": env,
        "arn": _appconfig_arn(region, f"application/{app}/environment/{env}"),
        "state": "ReadyForDeployment",
    }


def _appconfig_profile(name: str, inputs: dict, out: dict, region: str) -> dict:
    profile = short_hash("appconfig-profile", name, length=7)
    app = inputs.get("applicationId", "")
    return {
        "configurationProfileId": profile,
        "arn": _appconfig_arn(region, f"application/{app}/configurationprofile/{profile}"),
    }


def _appconfig_version(name: str, inputs: dict, out: dict, region: str) -> dict:
    app, profile = inputs.get("applicationId", ""), inputs.get("configurationProfileId", "")
    path = f"application/{app}/configurationprofile/{profile}/hostedconfigurationversion/1"
    return {"versionNumber": 1, "arn": _appconfig_arn(region, path)}


def _appconfig_deployment(name: str, inputs: dict, out: dict, region: str) -> dict:
    app, env = inputs.get("applicationId", ""), inputs.get("environmentId", "")
    path = f"application/{app}/environment/{env}/deployment/1"
    return {"deploymentNumber": 1, "state": "DEPLOYING", "arn": _appconfig_arn(region, path)}


def _vpc(name: str, inputs: dict, out: dict, region: str) -> dict:
    h = short_hash("vpc", name)
    return {
        "defaultSecurityGroupId": f"sg-{h}",
        "defaultRouteTableId": f"rtb-{h}",
        "mainRouteTableId": f"rtb-{h}",
        "defaultNetworkAclId": f"acl-{h}",
        "ownerId": ACCOUNT_ID,
    }


def _lb(name: str, inputs: dict, out: dict, region: str) -> dict:
    lb_name = out.get("name") or inputs.get("name")
    h = short_hash("lb", name, length=10)
    arn = out.get("arn", "")
    return {
        "dnsName": f"{lb_name}-{int(h, 16) % 10**10}.{region}.elb.amazonaws.com",
        "zoneId": "Z35SXDOTRQ7X7K",
        "arnSuffix": arn.split(":loadbalancer/", 1)[-1] if arn else f"app/{lb_name}/{h}",
        "vpcId": inputs.get("vpcId") or "vpc-0000",
    }


def _tg(name: str, inputs: dict, out: dict, region: str) -> dict:
    arn = out.get("arn", "")
    return {"arnSuffix": arn.split(":", 5)[-1] if arn else name, "loadBalancerArns": []}


def _express_service(name: str, inputs: dict, out: dict, region: str) -> dict:
    """ECS gives every Express service an HTTPS endpoint on an AWS-provided domain, and
    records the service and its first revision."""
    service = inputs.get("serviceName") or out.get("serviceName") or name
    arn = out.get("arn", "")
    h = short_hash("express", name, length=12)
    return {
        "serviceArn": arn,
        "serviceRevisionArn": f"{arn}/revision/{h}" if arn else "",
        "currentDeployment": f"{arn}/deployment/{h}" if arn else "",
        "ingressPaths": [
            {"accessType": "PUBLIC", "endpoint": f"{service[:20]}-{h}.ecs.{region}.on.aws"}
        ],
    }


def _rds_instance(name: str, inputs: dict, out: dict, region: str) -> dict:
    ident = inputs.get("identifier") or out.get("identifier")
    port = inputs.get("port") or 5432
    host = f"{ident}.c{short_hash('rds', length=12)}.{region}.rds.amazonaws.com"
    extra: dict[str, Any] = {
        "address": host,
        "endpoint": f"{host}:{port}",
        "port": port,
        "resourceId": f"db-{short_hash('rid', name).upper()[:26]}",
        "hostedZoneId": "Z2R2ITUGPM61AM",
    }
    if inputs.get("manageMasterUserPassword"):
        secret = f"arn:aws:secretsmanager:{region}:{ACCOUNT_ID}:secret:rds!db-{short_hash('s', name, length=8)}-{short_hash(name, length=6)}"
        extra["masterUserSecrets"] = [
            {"secretArn": secret, "secretStatus": "active", "kmsKeyId": ""}
        ]
    return extra


def _rds_cluster(name: str, inputs: dict, out: dict, region: str) -> dict:
    ident = inputs.get("clusterIdentifier") or out.get("clusterIdentifier")
    suffix = short_hash("rds", length=12)
    extra: dict[str, Any] = {
        "endpoint": f"{ident}.cluster-c{suffix}.{region}.rds.amazonaws.com",
        "readerEndpoint": f"{ident}.cluster-ro-c{suffix}.{region}.rds.amazonaws.com",
        "port": inputs.get("port") or 5432,
        "clusterResourceId": f"cluster-{short_hash('rid', name).upper()[:26]}",
        "hostedZoneId": "Z2R2ITUGPM61AM",
    }
    if inputs.get("manageMasterUserPassword"):
        secret = f"arn:aws:secretsmanager:{region}:{ACCOUNT_ID}:secret:rds!cluster-{short_hash('s', name, length=8)}-{short_hash(name, length=6)}"
        extra["masterUserSecrets"] = [
            {"secretArn": secret, "secretStatus": "active", "kmsKeyId": ""}
        ]
    return extra


def _cluster_instance(name: str, inputs: dict, out: dict, region: str) -> dict:
    ident = inputs.get("identifier") or out.get("identifier")
    return {
        "endpoint": f"{ident}.c{short_hash('rds', length=12)}.{region}.rds.amazonaws.com",
        "port": 5432,
        "writer": False,
    }


def _redis(name: str, inputs: dict, out: dict, region: str) -> dict:
    rid = inputs.get("replicationGroupId") or out.get("replicationGroupId")
    suffix = short_hash("cache", length=6)
    cluster_mode = (inputs.get("clusterMode") or "disabled") == "enabled"
    extra: dict[str, Any] = {
        "port": inputs.get("port") or 6379,
        "memberClusters": [
            f"{rid}-00{i}" for i in range(1, 1 + int(inputs.get("numCacheClusters") or 1))
        ],
    }
    if cluster_mode:
        extra["configurationEndpointAddress"] = (
            f"clustercfg.{rid}.{suffix}.use1.cache.amazonaws.com"
        )
    else:
        extra["primaryEndpointAddress"] = f"master.{rid}.{suffix}.use1.cache.amazonaws.com"
        extra["readerEndpointAddress"] = f"replica.{rid}.{suffix}.use1.cache.amazonaws.com"
    return extra


def _sqs(name: str, inputs: dict, out: dict, region: str) -> dict:
    qname = inputs.get("name") or out.get("name")
    return {"url": f"https://sqs.{region}.amazonaws.com/{ACCOUNT_ID}/{qname}"}


def _cloudfront(name: str, inputs: dict, out: dict, region: str) -> dict:
    return {
        "domainName": f"d{short_hash('cf', name, length=13)}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
        "etag": f"E{short_hash('etag', name).upper()[:13]}",
    }


def _s3_bucket(name: str, inputs: dict, out: dict, region: str) -> dict:
    bucket = inputs.get("bucket") or out.get("bucket")
    return {
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
        "region": region,
        "hostedZoneId": "Z3AQBSTGFYJSTF",
    }


def _acm(name: str, inputs: dict, out: dict, region: str) -> dict:
    domain = inputs.get("domainName", "example.com")
    h = short_hash("acm", name, length=32)
    return {
        "domainValidationOptions": [
            {
                "domainName": domain,
                "resourceRecordName": f"_{h[:32]}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{h[::-1]}.acm-validations.aws.",
            }
        ],
        "status": "ISSUED",
    }


def _eks(name: str, inputs: dict, out: dict, region: str) -> dict:
    cname = inputs.get("name") or out.get("name")
    h = short_hash("eks", name, length=32).upper()
    return {
        "endpoint": f"https://{h}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {
            "data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo="
        },
        "identities": [{"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{h}"}]}],
        "platformVersion": "eks.9",
        "status": "ACTIVE",
        "clusterId": short_hash("eksid", name, length=8),
        "vpcConfig": {
            **(inputs.get("vpcConfig") or {}),
            "clusterSecurityGroupId": f"sg-{short_hash('ekssg', str(cname))}",
        },
    }


def _instance(name: str, inputs: dict, out: dict, region: str) -> dict:
    h = short_hash("ip", name, length=4)
    a, b = int(h[:2], 16), int(h[2:], 16)
    return {
        "privateIp": f"10.0.{a % 250}.{b % 250 + 4}",
        "privateDns": f"ip-10-0-{a % 250}-{b % 250 + 4}.ec2.internal",
        "availabilityZone": f"{region}a",
        "primaryNetworkInterfaceId": f"eni-{short_hash('eni', name)}",
    }


def _network_interface(name: str, inputs: dict, out: dict, region: str) -> dict:
    h = short_hash("eni-ip", name, length=4)
    ip = f"10.0.{int(h[:2], 16) % 250}.{int(h[2:], 16) % 250 + 4}"
    return {"privateIp": ip, "privateIps": [ip], "macAddress": f"0e:{h[:2]}:{h[2:]}:00:00:01"}


def _eip(name: str, inputs: dict, out: dict, region: str) -> dict:
    h = short_hash("eip", name, length=4)
    ip = f"54.{int(h[:2], 16) % 200 + 10}.{int(h[2:], 16) % 250}.{int(h[1:3], 16) % 250 + 1}"
    return {
        "publicIp": ip,
        "allocationId": out.get("id") or "",
        "publicDns": f"ec2-{ip.replace('.', '-')}.compute-1.amazonaws.com",
    }


def _random_password(name: str, inputs: dict, out: dict, region: str) -> dict:
    length = int(inputs.get("length") or 32)
    seed = short_hash("pw", name, length=64)
    return {
        "result": {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            "value": (seed * 4)[:length],
        },
        "bcryptHash": "$2a$10$mock",
    }


def _rds_proxy(name: str, inputs: dict, out: dict, region: str) -> dict:
    proxy = inputs.get("name") or out.get("name")
    return {"endpoint": f"{proxy}.proxy-c{short_hash('rds', length=12)}.{region}.rds.amazonaws.com"}


def _rds_proxy_endpoint(name: str, inputs: dict, out: dict, region: str) -> dict:
    endpoint = inputs.get("dbProxyEndpointName") or name
    return {
        "endpoint": f"{endpoint}.endpoint.proxy-c{short_hash('rds', length=12)}.{region}.rds.amazonaws.com",
        "isDefault": False,
    }


def _task_definition(name: str, inputs: dict, out: dict, region: str) -> dict:
    """ECS registers a new revision whenever the definition changes: the revision number
    follows the content, so a changed image shows up as a changed ARN in the Plan."""
    family = inputs.get("family") or out.get("family")
    content = json.dumps(
        {k: v for k, v in inputs.items() if k != "tags"}, sort_keys=True, default=str
    )
    revision = 1 + int(short_hash("revision", content, length=6), 16) % 999
    base = f"arn:aws:ecs:{region}:{ACCOUNT_ID}:task-definition/{family}"
    return {"revision": revision, "arn": f"{base}:{revision}", "arnWithoutRevision": base}


def _dms_endpoint(name: str, inputs: dict, out: dict, region: str) -> dict:
    return {"endpointArn": out.get("arn", "")}


def _dms_replication_config(name: str, inputs: dict, out: dict, region: str) -> dict:
    # With `resource_identifier` the ARN ends in it (AWS uses it in place of a random id).
    resource = inputs.get("resourceIdentifier")
    if not resource:
        return {}
    return {"arn": f"arn:aws:dms:{region}:{ACCOUNT_ID}:replication-config:{resource}"}


def _kms_key(name: str, inputs: dict, out: dict, region: str) -> dict:
    return {"keyId": out.get("arn", "").rsplit("/", 1)[-1]}


def _role(name: str, inputs: dict, out: dict, region: str) -> dict:
    extra = {"uniqueId": f"AROA{short_hash('role', name).upper()[:17]}"}
    path = inputs.get("path")
    if isinstance(path, str) and path.startswith("/") and path != "/":
        # A role under a path has it in its ARN: role/<path><name>
        extra["arn"] = f"arn:aws:iam::{ACCOUNT_ID}:role{path}{out.get('name') or name}"
    return extra


def _logs(name: str, inputs: dict, out: dict, region: str) -> dict:
    return {}


def _oidc_provider(name: str, inputs: dict, out: dict, region: str) -> dict:
    # The ARN names the issuer host and path: oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>
    url = str(inputs.get("url") or "token.actions.githubusercontent.com")
    return {"arn": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{url.removeprefix('https://')}"}


def _launch_template(name: str, inputs: dict, out: dict, region: str) -> dict:
    return {"latestVersion": 1, "defaultVersion": 1}


def _helm_release(name: str, inputs: dict, out: dict, region: str) -> dict:
    release = inputs.get("name") or name
    return {
        "status": {
            "name": release,
            "namespace": inputs.get("namespace") or "default",
            "chart": inputs.get("chart"),
            "version": inputs.get("version"),
            "appVersion": inputs.get("version"),
            "revision": 1,
            "status": "deployed",
        }
    }


def _ingress(name: str, inputs: dict, out: dict, region: str) -> dict:
    # The AWS Load Balancer Controller names a grouped ALB k8s-<group>-<hash>.
    metadata = inputs.get("metadata") or {}
    if rpc.is_rpc_secret(metadata):  # secret metadata (an Ingress behind a CDN)
        metadata = rpc.unwrap_rpc_secret(metadata) or {}
    annotations = metadata.get("annotations") or {}
    group = str(annotations.get("alb.ingress.kubernetes.io/group.name") or name)[:12]
    digits = int(short_hash("albdns", group, length=8), 16) % 10**10
    host = f"k8s-{group}-{short_hash('alb', group, length=10)}-{digits}.{region}.elb.amazonaws.com"
    return {"status": {"loadBalancer": {"ingress": [{"hostname": host}]}}}


def _amp_workspace(name: str, inputs: dict, out: dict, region: str) -> dict:
    workspace_id, _ = identity_outputs("aws:amp/workspace:Workspace", name, inputs, region)
    return {
        "prometheusEndpoint": f"https://aps-workspaces.{region}.amazonaws.com/workspaces/{workspace_id}/"
    }


def _grafana_workspace(name: str, inputs: dict, out: dict, region: str) -> dict:
    workspace_id, _ = identity_outputs("aws:grafana/workspace:Workspace", name, inputs, region)
    return {"endpoint": f"{workspace_id}.grafana-workspace.{region}.amazonaws.com"}


def _ecr_repository(name: str, inputs: dict, out: dict, region: str) -> dict:
    repository = inputs.get("name") or out.get("name") or name
    return {
        "registryId": ACCOUNT_ID,
        "repositoryUrl": f"{ACCOUNT_ID}.dkr.ecr.{region}.amazonaws.com/{repository}",
    }


EXTRAS: dict[str, Extra] = {
    "aws:ecr/repository:Repository": _ecr_repository,
    "aws:appconfig/environment:Environment": _appconfig_environment,
    "aws:appconfig/configurationProfile:ConfigurationProfile": _appconfig_profile,
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": _appconfig_version,
    "aws:appconfig/deployment:Deployment": _appconfig_deployment,
    "aws:ec2/vpc:Vpc": _vpc,
    "aws:lb/loadBalancer:LoadBalancer": _lb,
    "aws:lb/targetGroup:TargetGroup": _tg,
    "aws:ecs/expressGatewayService:ExpressGatewayService": _express_service,
    "aws:rds/instance:Instance": _rds_instance,
    "aws:rds/cluster:Cluster": _rds_cluster,
    "aws:rds/clusterInstance:ClusterInstance": _cluster_instance,
    "aws:elasticache/replicationGroup:ReplicationGroup": _redis,
    "aws:sqs/queue:Queue": _sqs,
    "aws:cloudfront/distribution:Distribution": _cloudfront,
    "aws:s3/bucket:Bucket": _s3_bucket,
    "aws:s3/bucketV2:BucketV2": _s3_bucket,
    "aws:acm/certificate:Certificate": _acm,
    "aws:eks/cluster:Cluster": _eks,
    "aws:ec2/instance:Instance": _instance,
    "aws:ec2/eip:Eip": _eip,
    "aws:ec2/networkInterface:NetworkInterface": _network_interface,
    "random:index/randomPassword:RandomPassword": _random_password,
    "aws:rds/proxy:Proxy": _rds_proxy,
    "aws:rds/proxyEndpoint:ProxyEndpoint": _rds_proxy_endpoint,
    "aws:kms/key:Key": _kms_key,
    "aws:dms/endpoint:Endpoint": _dms_endpoint,
    "aws:dms/replicationConfig:ReplicationConfig": _dms_replication_config,
    "aws:ecs/taskDefinition:TaskDefinition": _task_definition,
    "aws:iam/role:Role": _role,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "aws:ec2/launchTemplate:LaunchTemplate": _launch_template,
    "kubernetes:helm.sh/v3:Release": _helm_release,
    "kubernetes:networking.k8s.io/v1:Ingress": _ingress,
    "aws:amp/workspace:Workspace": _amp_workspace,
    "aws:grafana/workspace:Workspace": _grafana_workspace,
}


def resource_outputs(
    type_: str, name: str, inputs: dict[str, Any], region: str
) -> tuple[str, dict[str, Any]]:
    """(id, state) for a new resource: its inputs plus realistic computed outputs."""
    rid, computed = identity_outputs(type_, name, inputs, region)
    state = {**inputs, **computed}
    extra = EXTRAS.get(type_)
    if extra is not None:
        state.update(extra(name, inputs, state, region))
    if type_.startswith("aws:") and "tagsAll" not in state and "tags" in inputs:
        state["tagsAll"] = inputs["tags"]
    return rid, state
