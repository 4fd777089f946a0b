"""Which pricer prices which resource type, and why the types we knowingly leave out
are not priced."""

from __future__ import annotations

from collections.abc import Mapping

from gridops_infra.analysis.cost import appconfig as cost_appconfig
from gridops_infra.analysis.cost import data as cost_data
from gridops_infra.analysis.cost import ec2 as cost_ec2
from gridops_infra.analysis.cost import ecs as cost_ecs
from gridops_infra.analysis.cost import edge as cost_edge
from gridops_infra.analysis.cost import express as cost_express
from gridops_infra.analysis.cost import managed_instances as cost_managed_instances
from gridops_infra.analysis.cost import messaging as cost_messaging
from gridops_infra.analysis.cost import migration as cost_migration
from gridops_infra.analysis.cost import network as cost_network
from gridops_infra.analysis.cost import ops as cost_ops
from gridops_infra.analysis.cost import serverless as cost_serverless
from gridops_infra.analysis.cost import storage as cost_storage
from gridops_infra.analysis.cost.caused import load_balancers as caused_load_balancers
from gridops_infra.analysis.cost.caused import network as caused_network
from gridops_infra.analysis.cost.caused import observability as caused_observability
from gridops_infra.analysis.cost.caused import storage as caused_storage
from gridops_infra.analysis.cost.caused import tracing as caused_tracing
from gridops_infra.analysis.cost.caused.charges import CausedPricer
from gridops_infra.analysis.cost.context import Pricer, flat_monthly
from gridops_infra.testing.plan import ResourceRecord

PRICERS: dict[str, Pricer] = {
    "aws:ec2/natGateway:NatGateway": cost_network.nat_gateway,
    "aws:ec2/eip:Eip": cost_network.public_ip,
    "aws:lb/loadBalancer:LoadBalancer": cost_network.load_balancer,
    "aws:alb/loadBalancer:LoadBalancer": cost_network.load_balancer,
    "aws:ec2/vpcEndpoint:VpcEndpoint": cost_network.interface_endpoint,
    "aws:ecs/service:Service": cost_ecs.ecs_service,
    "aws:ecs/capacityProvider:CapacityProvider": cost_managed_instances.managed_instances,
    "aws:ecs/expressGatewayService:ExpressGatewayService": cost_express.express_service,
    "aws:eks/cluster:Cluster": cost_ec2.eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": cost_ec2.node_group,
    "aws:ec2/instance:Instance": cost_ec2.instance,
    "aws:autoscaling/group:Group": cost_ec2.autoscaling_group,
    "aws:ebs/volume:Volume": cost_ec2.ebs_volume,
    "aws:rds/instance:Instance": cost_data.rds_instance,
    "aws:rds/cluster:Cluster": cost_data.rds_cluster,
    "aws:rds/clusterInstance:ClusterInstance": cost_data.aurora_instance,
    "aws:elasticache/replicationGroup:ReplicationGroup": cost_data.replication_group,
    "aws:elasticache/cluster:Cluster": cost_data.cache_cluster,
    "aws:elasticache/serverlessCache:ServerlessCache": cost_data.serverless_cache,
    "aws:cloudwatch/metricAlarm:MetricAlarm": cost_ops.metric_alarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": flat_monthly(
        "cloudwatch", "composite_alarm_month", "composite alarm"
    ),
    "aws:cloudwatch/dashboard:Dashboard": flat_monthly(
        "cloudwatch", "dashboard_month", "dashboard"
    ),
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription": flat_monthly(
        "cloudfront", "additional_metrics_month", "CloudFront additional metrics"
    ),
    "aws:cloudwatch/logGroup:LogGroup": cost_ops.log_group,
    "aws:kms/key:Key": cost_ops.kms_key,
    "aws:secretsmanager/secret:Secret": cost_ops.secret,
    "aws:ssm/parameter:Parameter": cost_ops.ssm_parameter,
    "aws:sqs/queue:Queue": cost_messaging.sqs_queue,
    "aws:lambda/function:Function": cost_serverless.lambda_function,
    "aws:sns/topic:Topic": cost_messaging.sns_topic,
    "aws:appconfig/environment:Environment": cost_appconfig.environment,
    "aws:s3/bucket:Bucket": cost_storage.s3_bucket,
    "aws:s3/bucketV2:BucketV2": cost_storage.s3_bucket,
    "aws:ecr/repository:Repository": cost_storage.ecr_repository,
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": cost_storage.ecr_replication,
    "aws:cloudfront/distribution:Distribution": cost_edge.cloudfront,
    "aws:cloudfront/function:Function": cost_edge.cloudfront_function,
    "aws:wafv2/webAcl:WebAcl": cost_edge.web_acl,
    "aws:wafv2/webAclRule:WebAclRule": flat_monthly("waf", "rule_month", "WAF rule"),
    "aws:wafv2/ruleGroup:RuleGroup": flat_monthly("waf", "rule_group_month", "WAF rule group"),
    "aws:route53/zone:Zone": flat_monthly("route53", "hosted_zone_month", "hosted zone"),
    "aws:route53/healthCheck:HealthCheck": cost_ops.route53_health_check,
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": flat_monthly(
        "route53", "hosted_zone_month", "its private hosted zone"
    ),
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": cost_storage.snapshots,
    "aws:backup/plan:Plan": cost_storage.snapshots,
    "aws:dms/replicationConfig:ReplicationConfig": cost_migration.dms_replication_config,
}
"""Type token -> how to price one resource of it."""

CAUSED_PRICERS: tuple[CausedPricer, ...] = (
    caused_observability.container_insights_ecs,
    caused_observability.container_insights_eks,
    caused_tracing.xray_traces,
    caused_tracing.collector_metrics,
    caused_observability.custom_metrics,
    caused_load_balancers.ingress_load_balancers,
    caused_load_balancers.service_load_balancers,
    caused_network.internet_egress,
    caused_network.cross_az_traffic,
    caused_storage.persistent_volumes,
    caused_storage.database_backups,
    caused_storage.performance_insights,
)
"""Whole-Plan pricers of what the Plan causes to be billed beyond its resources' own prices."""

NOT_MODELLED: dict[str, str] = {
    "aws:eks/fargateProfile:FargateProfile": "pods' vCPU/GB are not in the Plan",
    "aws:rds/proxy:Proxy": "priced per vCPU of the databases behind it: not modelled",
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": "enhanced "
    "scanning is billed by Amazon Inspector per image scanned (on push, and rescans when "
    "continuous): not modelled",
}


def unpriced_reason(rec: ResourceRecord) -> str | None:
    """Why a resource without a pricer is knowingly left out, or None (free or unknown)."""
    if rec.type in NOT_MODELLED:
        return NOT_MODELLED[rec.type]
    if rec.type == "kubernetes:core/v1:Service":
        spec = rec.inputs.get("spec")
        load_balancer = isinstance(spec, Mapping) and spec.get("type") == "LoadBalancer"
        if load_balancer and caused_load_balancers.service_nlb_scheme(rec) is None:
            return (
                "creates a Classic Load Balancer outside the Plan (in-tree controller, "
                "about $18+/month): not priced; its NLB is priced when annotated for one"
            )
    return None
