"""Typical create times per resource type, each a range (median and 90th percentile) with
the public source it comes from.

The figures are wall-clock times as `pulumi up` sees them: the provider returns when the
resource is ready by its own definition (an RDS instance `available`, a CloudFront
distribution `Deployed`, a Kubernetes Deployment `Available`). Where a public deploy log
shows the time, the median is that log's figure; where the AWS documentation states one,
the docs win. Rules that depend on the Plan's settings (health checks, probes, writer and
readers) live in `rules.py`; this module only holds the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridops_infra.analysis.graph import PROVIDER_TYPE_PREFIX

MINUTE = 60.0


@dataclass(frozen=True)
class Source:
    """A public page a create-time figure comes from."""

    title: str
    url: str
    kind: str
    """`aws-docs`, `deploy-log`, `issue-report`, `provider-docs` or `estimate`."""


# A public `terraform apply` of 30 resources in us-west-2 (2024): Aurora PostgreSQL cluster
# 1m01s; three instances requested together, the first available after 8m29s, the other
# two after 15m54s/15m55s (they started once the first was available); ALB 2m42s; EC2 22s;
# Route 53 records 35-57s; ACM certificate 5s, its validation 0s after the record synced;
# security groups 2s; IAM, target group, subnet group 0-1s.
AURORA_APPLY_LOG = Source(
    "Public terraform apply log: Aurora cluster with 3 instances, ALB, ACM, Route 53",
    "https://github.com/bshehram/myservice-devops-aws-tf/blob/main/SAMPLE_TF_APPLY.md",
    "deploy-log",
)
# A public `terraform apply` of 255 resources (three VPCs): 12 NAT gateways available after
# 1m24s-2m04s (median 1m44s), VPCs 12s, subnets 0-11s, EIPs and internet gateways 0-1s,
# gateway VPC endpoints 6s.
NETWORK_APPLY_LOG = Source(
    "Public terraform apply log: 3 VPCs with 12 NAT gateways and VPC endpoints",
    "https://github.com/bshehram/devops-aws-tf/blob/main/SAMPLE_TF_APPLY.md",
    "deploy-log",
)
# Provider acceptance tests that create, check and delete a replication group take
# 15-50 min: an upper bound for the create alone; no create-only public log found.
ELASTICACHE_ACCEPTANCE = Source(
    "terraform-provider-aws acceptance tests for aws_elasticache_replication_group (create, "
    "check and delete: 15-50 min)",
    "https://github.com/hashicorp/terraform-provider-aws/pull/17296",
    "issue-report",
)
# Acceptance-test log (2021): IAM role 7s, VPC 24s, subnets 7s.
STEAMPIPE_EKS_LOG = Source(
    "Terraform acceptance-test log for aws_eks_cluster (VPC, subnets, IAM)",
    "https://github.com/turbot/steampipe-plugin-aws/pull/131",
    "deploy-log",
)
# EKS deploy log (2024): managed node groups 1m48s and 1m59s; SQS queue 25s; SG 3s.
EKS_NODEGROUP_LOG = Source(
    "Public terraform apply log: EKS managed node groups, SQS queue",
    "https://github.com/DevopsArtFactory/terraform-provisioning/pull/47",
    "deploy-log",
)
# eksctl log: a node group stack reached CREATE_COMPLETE after 3m36s.
EKSCTL_NODEGROUP_LOG = Source(
    "eksctl log: node group stack CREATE_COMPLETE after 3m36s",
    "https://github.com/eksctl-io/eksctl/pull/482",
    "deploy-log",
)
# AWS What's New (March 2021), quoted in the EKS workshop PR: "create a new EKS cluster
# control plane in 9 minutes or less, on average"; users report 10-14 min in the roadmap.
EKS_CONTROL_PLANE = Source(
    "Amazon EKS reduces cluster creation time by 40% (9 minutes on average); reports of 10-14 min",
    "https://github.com/aws/containers-roadmap/issues/1227",
    "issue-report",
)
# CloudFront: 15-35 min before 2020 (AWS CLI waiter issue, 2019); "they've dramatically
# improved the deploy time" (2020). A distribution now reaches Deployed in minutes.
CLOUDFRONT_FASTER = Source(
    "CloudFront deploy times improved dramatically (2020); 20-35 min before (aws-cli#3865)",
    "https://github.com/PRX/Infrastructure/issues/313",
    "issue-report",
)
ECS_HEALTH_CHECKS = Source(
    "Optimize load balancer health check parameters for Amazon ECS (a new target needs one "
    "passing check; interval x healthy threshold when it recovers)",
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html",
    "aws-docs",
)
ECS_DEREGISTRATION = Source(
    "wait_for_steady_state and deregistration_delay (default 300 s) in rolling deploys",
    "https://github.com/hashicorp/terraform-provider-aws/issues/16012",
    "issue-report",
)
PULUMI_K8S_DEPLOYMENT_AWAIT = Source(
    "pulumi-kubernetes Deployment: waits for the Available condition",
    "https://app.unpkg.com/@pulumi/kubernetes@4.24.0/files/apps/v1/deployment.js",
    "provider-docs",
)
PULUMI_K8S_SERVICE_AWAIT = Source(
    "pulumi-kubernetes Service: waits for ready endpoints and, for LoadBalancer, an address",
    "https://app.unpkg.com/@pulumi/kubernetes@4.24.0/files/core/v1/service.js",
    "provider-docs",
)
PULUMI_K8S_INGRESS_AWAIT = Source(
    "pulumi-kubernetes Ingress: waits for .status.loadBalancer to get an address",
    "https://github.com/pulumi/pulumi-kubernetes/issues/1812",
    "issue-report",
)
PULUMI_K8S_AWAIT = Source(
    "Pulumi await logic for Kubernetes resources (Helm releases wait like helm --wait)",
    "https://pulumi.com/blog/improving-kubernetes-management-with-pulumis-await-logic/",
    "provider-docs",
)
ACM_VALIDATION_WAIT = Source(
    "aws_acm_certificate_validation waits for ISSUED (45-75 min timeout; usually minutes)",
    "https://github.com/hashicorp/terraform-provider-aws/issues/9338",
    "issue-report",
)
RDS_CREATE_REPORT = Source(
    "RDS instances take <10 min to create once creation starts (CI report)",
    "https://github.com/govuk-paas/paas-cf/pull/445",
    "issue-report",
)
DMS_SERVERLESS_STATES = Source(
    "AWS DMS Serverless components: Testing Connection, Fetching Metadata, Calculating and "
    "Provisioning Capacity before Running (no durations published: 15 min is an estimate)",
    "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Serverless.Components.html",
    "aws-docs",
)
ESTIMATE = Source(
    "No public log found: one API call plus the provider's read-back, timed generously",
    "",
    "estimate",
)


@dataclass(frozen=True)
class Durations:
    """Typical seconds to create, update in place, and delete one resource of a type."""

    create: float
    """Median create time (p50)."""
    update: float | None = None
    """None: same as create."""
    delete: float | None = None
    """None: min(create, 30 s)."""
    create_p90: float | None = None
    """90th percentile create time; None: twice the median (quick API calls vary a lot
    relative to their size, not in absolute terms)."""
    source: Source = ESTIMATE

    @property
    def p90(self) -> float:
        return 2 * self.create if self.create_p90 is None else self.create_p90

    @property
    def update_seconds(self) -> float:
        return self.create if self.update is None else self.update

    @property
    def delete_seconds(self) -> float:
        return min(self.create, 30.0) if self.delete is None else self.delete


VPC_ORIGIN_ESTIMATE = Source(
    "No public log found: a VPC origin deploys to CloudFront's edge like a distribution "
    "(the provider waits for Deployed), timed from the slower reports of distributions",
    "",
    "estimate",
)


# CreateEventSourceMapping returns in the Creating state and the provider waits for
# Enabled (the function must be Active first, which its own create already waited for).
EVENT_SOURCE_MAPPING_ESTIMATE = Source(
    "No public log found: the provider waits from Creating to Enabled, about half a minute "
    "for an SQS source",
    "",
    "estimate",
)


# No public create log of an Express service yet: ECS creates the shared ALB (2m42s in
# AURORA_APPLY_LOG; a second service on the same network reuses it), the task definition,
# the ACM certificate for its AWS-provided domain and the service, whose tasks start in
# 45-90 s and need one passing health check (ECS_HEALTH_CHECKS); the provider waits for
# steady state (wait_for_steady_state).
EXPRESS_SERVICE_ESTIMATE = Source(
    "No public log found: an Express service is its shared ALB (2m42s in a public apply "
    "log), then Fargate tasks starting (45-90 s) and passing one health check",
    "",
    "estimate",
)


def _api(seconds: float, source: Source = AURORA_APPLY_LOG) -> Durations:
    """A resource that is one API call (plus eventual-consistency retries)."""
    return Durations(seconds, source=source)


DURATIONS: dict[str, Durations] = {
    # RDS instance: <10 min once creation starts (CI report); Multi-AZ and replicas are
    # adjusted in rules.py. Modify with apply_immediately ~10 min.
    "aws:rds/instance:Instance": Durations(
        9 * MINUTE, 10 * MINUTE, 8 * MINUTE, 14 * MINUTE, RDS_CREATE_REPORT
    ),
    # Aurora: the cluster (storage volume) took 1m01s in the log; the first instance
    # 8m29s. Readers (after the writer, rules.py) are READER_INSTANCE below.
    "aws:rds/cluster:Cluster": Durations(
        1 * MINUTE, 2 * MINUTE, 5 * MINUTE, 2.5 * MINUTE, AURORA_APPLY_LOG
    ),
    "aws:rds/clusterInstance:ClusterInstance": Durations(
        8.5 * MINUTE, 10 * MINUTE, 8 * MINUTE, 12 * MINUTE, AURORA_APPLY_LOG
    ),
    "aws:rds/proxy:Proxy": Durations(5 * MINUTE, 1 * MINUTE, 2 * MINUTE, 8 * MINUTE),
    "aws:rds/subnetGroup:SubnetGroup": _api(1),
    "aws:rds/parameterGroup:ParameterGroup": _api(1),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": _api(1),
    "aws:rds/optionGroup:OptionGroup": _api(5, ESTIMATE),
    # ElastiCache replication group: no public log found; 10-15 min to available.
    "aws:elasticache/replicationGroup:ReplicationGroup": Durations(
        12 * MINUTE, 10 * MINUTE, 8 * MINUTE, 16 * MINUTE, ELASTICACHE_ACCEPTANCE
    ),
    "aws:elasticache/cluster:Cluster": Durations(8 * MINUTE, 8 * MINUTE, 6 * MINUTE, 12 * MINUTE),
    "aws:elasticache/serverlessCache:ServerlessCache": Durations(1.5 * MINUTE),
    "aws:elasticache/subnetGroup:SubnetGroup": _api(5, ESTIMATE),
    "aws:elasticache/parameterGroup:ParameterGroup": _api(5, ESTIMATE),
    "aws:elasticache/user:User": _api(10, ESTIMATE),
    "aws:elasticache/userGroup:UserGroup": _api(30, ESTIMATE),
    # NAT gateway: pending -> available in 1m24s-2m04s (12 in one log, median 1m44s).
    "aws:ec2/natGateway:NatGateway": Durations(105, 5, 1 * MINUTE, 125, NETWORK_APPLY_LOG),
    "aws:ec2/vpc:Vpc": Durations(12, create_p90=25, source=NETWORK_APPLY_LOG),
    "aws:ec2/subnet:Subnet": Durations(8, create_p90=12, source=STEAMPIPE_EKS_LOG),
    "aws:ec2/internetGateway:InternetGateway": _api(1, NETWORK_APPLY_LOG),
    "aws:ec2/routeTable:RouteTable": _api(1, NETWORK_APPLY_LOG),
    "aws:ec2/route:Route": _api(1, NETWORK_APPLY_LOG),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": _api(1, NETWORK_APPLY_LOG),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _api(2),
    "aws:ec2/securityGroup:SecurityGroup": _api(2),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _api(2),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _api(2),
    "aws:ec2/securityGroupRule:SecurityGroupRule": _api(2),
    "aws:ec2/tag:Tag": _api(2, ESTIMATE),
    "aws:ec2/eip:Eip": _api(1, NETWORK_APPLY_LOG),
    "aws:ec2/eipAssociation:EipAssociation": _api(5, ESTIMATE),
    "aws:ec2/flowLog:FlowLog": _api(10, ESTIMATE),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _api(6, NETWORK_APPLY_LOG),
    "aws:ec2/networkInterface:NetworkInterface": _api(5, ESTIMATE),
    # EC2: the provider waits for "running" (22 s in the log).
    "aws:ec2/instance:Instance": Durations(25, 60, 60, 60, AURORA_APPLY_LOG),
    "aws:ebs/volume:Volume": _api(10, ESTIMATE),
    "aws:ec2/volumeAttachment:VolumeAttachment": _api(10, ESTIMATE),
    "aws:ec2/launchTemplate:LaunchTemplate": _api(2),
    "aws:autoscaling/group:Group": Durations(2 * MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE),
    # Load balancers: provisioning -> active took 2m42s in the log.
    "aws:lb/loadBalancer:LoadBalancer": Durations(
        2.75 * MINUTE, 10, 1 * MINUTE, 4 * MINUTE, AURORA_APPLY_LOG
    ),
    "aws:alb/loadBalancer:LoadBalancer": Durations(
        2.75 * MINUTE, 10, 1 * MINUTE, 4 * MINUTE, AURORA_APPLY_LOG
    ),
    "aws:lb/targetGroup:TargetGroup": _api(1),
    "aws:alb/targetGroup:TargetGroup": _api(1),
    "aws:lb/listener:Listener": _api(1),
    "aws:lb/listenerRule:ListenerRule": _api(1),
    "aws:lb/listenerCertificate:ListenerCertificate": _api(1),
    # ACM: the request returns in 5 s; the validation resource waits for ISSUED, which
    # ACM reports once it sees the validation CNAME (0 s after the record synced in the
    # log, up to tens of minutes when DNS is slow). rules.py adds DNS when the record
    # is not in the Plan.
    "aws:acm/certificate:Certificate": Durations(5, create_p90=15, source=AURORA_APPLY_LOG),
    "aws:acm/certificateValidation:CertificateValidation": Durations(
        30, create_p90=5 * MINUTE, source=ACM_VALIDATION_WAIT
    ),
    # CloudFront: the provider waits for Deployed (wait_for_deployment, default true).
    "aws:cloudfront/distribution:Distribution": Durations(
        4 * MINUTE, 4 * MINUTE, 8 * MINUTE, 6 * MINUTE, CLOUDFRONT_FASTER
    ),
    "aws:cloudfront/vpcOrigin:VpcOrigin": Durations(
        8 * MINUTE, 6 * MINUTE, 8 * MINUTE, 15 * MINUTE, VPC_ORIGIN_ESTIMATE
    ),
    "aws:cloudfront/originAccessControl:OriginAccessControl": _api(2, ESTIMATE),
    "aws:cloudfront/cachePolicy:CachePolicy": _api(2, ESTIMATE),
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": _api(2, ESTIMATE),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": _api(2, ESTIMATE),
    "aws:cloudfront/function:Function": _api(10, ESTIMATE),
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription": _api(2, ESTIMATE),
    "aws:wafv2/webAcl:WebAcl": _api(10, ESTIMATE),
    "aws:wafv2/webAclAssociation:WebAclAssociation": _api(10, ESTIMATE),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": _api(5, ESTIMATE),
    # EKS: control plane 9 min on average (AWS), 10-14 min reported; managed node groups
    # 1m48s-1m59s (log), 3m36s (eksctl); add-ons wait for ACTIVE (coredns needs nodes).
    "aws:eks/cluster:Cluster": Durations(
        9 * MINUTE, 25 * MINUTE, 8 * MINUTE, 14 * MINUTE, EKS_CONTROL_PLANE
    ),
    "aws:eks/nodeGroup:NodeGroup": Durations(
        2 * MINUTE, 10 * MINUTE, 5 * MINUTE, 3.6 * MINUTE, EKS_NODEGROUP_LOG
    ),
    "aws:eks/fargateProfile:FargateProfile": Durations(
        2 * MINUTE, 3 * MINUTE, 3 * MINUTE, 4 * MINUTE, EKSCTL_NODEGROUP_LOG
    ),
    "aws:eks/addon:Addon": Durations(1 * MINUTE, create_p90=2 * MINUTE),
    "aws:eks/accessEntry:AccessEntry": _api(2, ESTIMATE),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": _api(2, ESTIMATE),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": _api(2, ESTIMATE),
    # ECS: the service figure is replaced by the steady-state rule when the provider waits.
    "aws:ecs/cluster:Cluster": _api(10, ESTIMATE),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": _api(10, ESTIMATE),
    "aws:ecs/capacityProvider:CapacityProvider": _api(10, ESTIMATE),
    "aws:ecs/taskDefinition:TaskDefinition": _api(2, ESTIMATE),
    "aws:ecs/service:Service": Durations(20, 30, 1 * MINUTE, 40, ECS_HEALTH_CHECKS),
    # Express: the ALB, then the tasks and their first health check; an update is a new
    # revision rolled out as ECS's canary; a delete drains the tasks.
    "aws:ecs/expressGatewayService:ExpressGatewayService": Durations(
        4 * MINUTE, 5 * MINUTE, 2 * MINUTE, 7 * MINUTE, EXPRESS_SERVICE_ESTIMATE
    ),
    "aws:appautoscaling/target:Target": _api(2, ESTIMATE),
    "aws:appautoscaling/policy:Policy": _api(2, ESTIMATE),
    "aws:appautoscaling/scheduledAction:ScheduledAction": _api(2, ESTIMATE),
    # IAM: 0-7 s in the logs (the provider retries until the role propagates).
    "aws:iam/role:Role": _api(5, STEAMPIPE_EKS_LOG),
    "aws:iam/policy:Policy": _api(2),
    "aws:iam/rolePolicy:RolePolicy": _api(1),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _api(1),
    "aws:iam/instanceProfile:InstanceProfile": _api(1),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _api(2, ESTIMATE),
    "aws:kms/key:Key": _api(20, ESTIMATE),
    "aws:kms/alias:Alias": _api(2, ESTIMATE),
    "aws:secretsmanager/secret:Secret": _api(2, ESTIMATE),
    "aws:secretsmanager/secretVersion:SecretVersion": _api(2, ESTIMATE),
    "aws:secretsmanager/secretPolicy:SecretPolicy": _api(2, ESTIMATE),
    "aws:secretsmanager/secretRotation:SecretRotation": _api(10, ESTIMATE),
    "aws:ssm/parameter:Parameter": _api(2, ESTIMATE),
    "aws:cloudwatch/logGroup:LogGroup": _api(2, ESTIMATE),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _api(2, ESTIMATE),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _api(2, ESTIMATE),
    "aws:cloudwatch/dashboard:Dashboard": _api(2, ESTIMATE),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": _api(2, ESTIMATE),
    "aws:cloudwatch/eventRule:EventRule": _api(2, ESTIMATE),
    "aws:cloudwatch/eventTarget:EventTarget": _api(2, ESTIMATE),
    # SQS: the provider waits until the attributes read back (25 s in the log).
    "aws:sqs/queue:Queue": Durations(25, 25, 5, 30, EKS_NODEGROUP_LOG),
    "aws:sqs/queuePolicy:QueuePolicy": Durations(25, create_p90=30, source=EKS_NODEGROUP_LOG),
    "aws:sqs/redrivePolicy:RedrivePolicy": Durations(25, create_p90=30, source=EKS_NODEGROUP_LOG),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": Durations(
        25, create_p90=30, source=EKS_NODEGROUP_LOG
    ),
    # AppConfig: API calls. A Deployment returns once AppConfig accepted it; its rollout
    # and final bake (the strategy's minutes) are added in rules.py.
    "aws:appconfig/application:Application": _api(2, ESTIMATE),
    "aws:appconfig/configurationProfile:ConfigurationProfile": _api(2, ESTIMATE),
    "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion": _api(2, ESTIMATE),
    "aws:appconfig/deploymentStrategy:DeploymentStrategy": _api(2, ESTIMATE),
    "aws:appconfig/environment:Environment": _api(2, ESTIMATE),
    "aws:appconfig/deployment:Deployment": _api(2, ESTIMATE),
    "aws:sns/topic:Topic": _api(2, ESTIMATE),
    "aws:sns/topicSubscription:TopicSubscription": _api(2, ESTIMATE),
    "aws:sns/topicPolicy:TopicPolicy": _api(2, ESTIMATE),
    # Budgets and Cost Explorer are global APIs: one call, no waiter in the provider.
    "aws:budgets/budget:Budget": _api(2, ESTIMATE),
    "aws:costexplorer/anomalyMonitor:AnomalyMonitor": _api(2, ESTIMATE),
    "aws:costexplorer/anomalySubscription:AnomalySubscription": _api(2, ESTIMATE),
    "aws:s3/bucket:Bucket": _api(3, ESTIMATE),
    "aws:s3/bucketV2:BucketV2": _api(3, ESTIMATE),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _api(2, ESTIMATE),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _api(
        2, ESTIMATE
    ),
    "aws:s3/bucketVersioning:BucketVersioning": _api(2, ESTIMATE),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _api(2, ESTIMATE),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _api(30, ESTIMATE),
    "aws:s3/bucketPolicy:BucketPolicy": _api(2, ESTIMATE),
    "aws:ecr/repository:Repository": _api(2, ESTIMATE),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": _api(2, ESTIMATE),
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": _api(2, ESTIMATE),
    "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": _api(2, ESTIMATE),
    # Route 53: the provider waits for INSYNC: 35-57 s in the log.
    "aws:route53/zone:Zone": Durations(45, create_p90=60, source=AURORA_APPLY_LOG),
    "aws:route53/record:Record": Durations(40, create_p90=60, source=AURORA_APPLY_LOG),
    "aws:route53/healthCheck:HealthCheck": _api(2, ESTIMATE),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": Durations(1 * MINUTE),
    "aws:servicediscovery/service:Service": _api(2, ESTIMATE),
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": _api(2, ESTIMATE),
    "aws:backup/vault:Vault": _api(2, ESTIMATE),
    "aws:backup/plan:Plan": _api(2, ESTIMATE),
    "aws:backup/selection:Selection": _api(2, ESTIMATE),
    "aws:lambda/function:Function": _api(15, ESTIMATE),
    "aws:lambda/permission:Permission": _api(2, ESTIMATE),
    "aws:lambda/eventSourceMapping:EventSourceMapping": Durations(
        30, create_p90=60, source=EVENT_SOURCE_MAPPING_ESTIMATE
    ),
    "aws:fis/experimentTemplate:ExperimentTemplate": _api(2, ESTIMATE),
    "aws:scheduler/scheduleGroup:ScheduleGroup": _api(2, ESTIMATE),
    "aws:scheduler/schedule:Schedule": _api(2, ESTIMATE),
    # DMS: the subnet group and endpoints are API calls; a serverless replication created
    # with start_replication waits while DMS tests both connections, fetches metadata and
    # provisions capacity (the states AWS documents) before it is running.
    "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": _api(5, ESTIMATE),
    "aws:dms/endpoint:Endpoint": _api(5, ESTIMATE),
    "aws:dms/replicationConfig:ReplicationConfig": Durations(
        15 * MINUTE, 2 * MINUTE, 5 * MINUTE, 30 * MINUTE, DMS_SERVERLESS_STATES
    ),
    # Kubernetes: Pulumi awaits readiness. Deployments are timed from their probes
    # (rules.py); these are the figures without probes.
    "kubernetes:core/v1:Namespace": Durations(2, source=PULUMI_K8S_AWAIT),
    "kubernetes:apps/v1:Deployment": Durations(30, 2 * MINUTE, 30, 90, PULUMI_K8S_DEPLOYMENT_AWAIT),
    "kubernetes:apps/v1:StatefulSet": Durations(
        1 * MINUTE, 3 * MINUTE, 1 * MINUTE, 3 * MINUTE, PULUMI_K8S_AWAIT
    ),
    "kubernetes:apps/v1:DaemonSet": Durations(45, create_p90=2 * MINUTE, source=PULUMI_K8S_AWAIT),
    "kubernetes:core/v1:Service": Durations(10, create_p90=30, source=PULUMI_K8S_SERVICE_AWAIT),
    "kubernetes:networking.k8s.io/v1:Ingress": Durations(
        30, create_p90=90, source=PULUMI_K8S_INGRESS_AWAIT
    ),
    "kubernetes:helm.sh/v3:Release": Durations(
        1 * MINUTE, create_p90=3 * MINUTE, source=PULUMI_K8S_AWAIT
    ),
    "kubernetes:helm.sh/v4:Chart": Durations(
        1 * MINUTE, create_p90=3 * MINUTE, source=PULUMI_K8S_AWAIT
    ),
    "random:index/randomPassword:RandomPassword": Durations(1, create_p90=1),
    "random:index/randomId:RandomId": Durations(1, create_p90=1),
    "random:index/randomString:RandomString": Durations(1, create_p90=1),
}
PREFIX_DURATIONS: dict[str, Durations] = {
    "kubernetes:": Durations(3, create_p90=10, source=PULUMI_K8S_AWAIT),
    "random:": Durations(1, create_p90=1),
    "tls:": Durations(1, create_p90=1),
    PROVIDER_TYPE_PREFIX: Durations(0, create_p90=0),
}

# Figures the rules in rules.py combine with the Plan's own settings.
AURORA_READER = Durations(7.5 * MINUTE, create_p90=11 * MINUTE, source=AURORA_APPLY_LOG)
"""A reader started once the writer is available: 15m54s - 8m29s = 7m25s in the log."""
RDS_MULTI_AZ = Durations(15 * MINUTE, create_p90=20 * MINUTE, source=RDS_CREATE_REPORT)
RDS_READ_REPLICA = Durations(10 * MINUTE, create_p90=15 * MINUTE, source=RDS_CREATE_REPORT)
MANAGED_INSTANCES_LAUNCH_SOURCE = Source(
    "Deep Dive: Amazon ECS Managed Instances provisioning and optimization (ECS launches an "
    "instance when no running one has room for a task, and the task waits for it to register); "
    "no public timing found, so an EC2 boot plus agent registration, timed generously",
    "https://aws.amazon.com/blogs/containers/deep-dive-amazon-ecs-managed-instances-provisioning-and-optimization",
    "estimate",
)
MANAGED_INSTANCE_LAUNCH = Durations(60, create_p90=150, source=MANAGED_INSTANCES_LAUNCH_SOURCE)
"""A Managed Instance launched for the first tasks: EC2 boot and the ECS agent registering,
before the tasks start on it (the first deploy of a service on Managed Instances)."""
FARGATE_TASK_START = Durations(45, create_p90=90, source=ECS_HEALTH_CHECKS)
"""Provisioning, image pull and container start of one task, before its first health
check (ECS task lifecycle; no public median found, so a generous estimate)."""
IMAGE_PULL = Durations(20, create_p90=75, source=PULUMI_K8S_DEPLOYMENT_AWAIT)
"""Scheduling a pod, pulling an application image and starting it, before its probes."""
K8S_LOAD_BALANCER_ADDRESS = Durations(30, create_p90=2 * MINUTE, source=PULUMI_K8S_SERVICE_AWAIT)
"""A Service of type LoadBalancer gets its address once the controller created the load
balancer (the LB keeps provisioning after; Pulumi does not wait for that)."""
DNS_VALIDATION_RECORD = Durations(40, create_p90=60, source=AURORA_APPLY_LOG)
"""The ACM validation CNAME reaching INSYNC when the Plan does not create it."""
HELM_NO_WAIT = Durations(10, create_p90=20, source=PULUMI_K8S_AWAIT)
AUTO_MODE_FIRST_NODE = Durations(75, create_p90=3 * MINUTE)
"""An EKS Auto Mode NodePool is one API call, but the Pods waiting on it (the Helm releases
EksCluster installs after its NodePools) wait for Auto Mode to launch and join the first
node: EC2 start plus Bottlerocket boot, about a minute (no public log found: an estimate).
Auto Mode has no managed node group, whose 2-5 minutes it replaces on the path."""
CLOUDFRONT_NO_WAIT = Durations(15, create_p90=30, source=CLOUDFRONT_FASTER)
INTERFACE_ENDPOINT = Durations(2 * MINUTE, create_p90=3 * MINUTE)
ELASTICACHE_SHARDED = Durations(15 * MINUTE, create_p90=20 * MINUTE)


def durations_for(type_token: str) -> Durations | None:
    """The table entry for a type (exact token, then prefix), or None when untimed."""
    exact = DURATIONS.get(type_token)
    if exact is not None:
        return exact
    for prefix, d in PREFIX_DURATIONS.items():
        if type_token.startswith(prefix):
            return d
    return None


__all__ = [
    "DURATIONS",
    "MINUTE",
    "PREFIX_DURATIONS",
    "Durations",
    "Source",
    "durations_for",
]
