"""Pulumi programs of raw pulumi_aws / pulumi_kubernetes resources for the policy tests.

`good_program` should pass every rule; `bad_program` should fail every rule except
`alb-http-without-tls`, which `no_tls_program` fails (it needs a stack without TLS).
Also: hand-built Plan records for edge cases that need no preview.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from edge_programs import edge_refused

from gridops_infra.testing import Plan, ResourceRecord
from tests.deployability.aws_data_programs import every_bad_program

SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
TARGET_GROUP = (
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef"
)
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf"
MANAGED_SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
REDIRECT: Any = {
    "type": "redirect",
    "redirect": {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"},
}
FORWARD: Any = {"type": "forward", "target_group_arn": TARGET_GROUP}
ROLE_ARN = "arn:aws:iam::123456789012:role/eks-cluster"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
SCOPED_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadJobs",
                "Effect": "Allow",
                "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs",
            },
            {"Sid": "DenyAll", "Effect": "Deny", "Action": "*", "Resource": "*"},
        ],
    }
)
ADMIN_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)
ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]


def _harden_bucket(name: str, bucket: aws.s3.Bucket) -> None:
    aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse",
        bucket=bucket.id,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}],
    )


def _behavior(viewer: str, headers: Any, path: str | None = None) -> dict[str, Any]:
    behavior: dict[str, Any] = {
        "allowed_methods": ["GET", "HEAD"],
        "cached_methods": ["GET", "HEAD"],
        "target_origin_id": "api",
        "viewer_protocol_policy": viewer,
        "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    }
    if headers is not None:
        behavior["response_headers_policy_id"] = headers
    if path:
        behavior["path_pattern"] = path
    return behavior


def _distribution(
    name: str,
    origin: Any,
    behaviors: list[Any],
    cert: Any,
    origin_protocol: str = "https-only",
    **extra: Any,
) -> None:
    aws.cloudfront.Distribution(
        name,
        enabled=True,
        origins=[
            {
                "domain_name": origin,
                "origin_id": "api",
                "custom_origin_config": {
                    "http_port": 80,
                    "https_port": 443,
                    "origin_protocol_policy": origin_protocol,
                    "origin_ssl_protocols": ["TLSv1.2"],
                },
            }
        ],
        default_cache_behavior=behaviors[0],
        ordered_cache_behaviors=behaviors[1:] or None,
        restrictions={"geo_restriction": {"restriction_type": "none"}},
        viewer_certificate=cert,
        **extra,
    )


def _web_host(name: str, ports: tuple[int, ...]) -> None:
    """A host's security group opening `ports` to the internet."""
    group = aws.ec2.SecurityGroup(name, vpc_id="vpc-0123456789abcdef0")
    for port in ports:
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-{port}",
            security_group_id=group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            cidr_ipv4="0.0.0.0/0",
        )


def _ingress(name: str, listen_ports: str | None) -> None:
    """An internet-facing Ingress of the AWS Load Balancer Controller."""
    annotations = {"alb.ingress.kubernetes.io/scheme": "internet-facing"}
    if listen_ports:
        annotations["alb.ingress.kubernetes.io/listen-ports"] = listen_ports
    k8s.networking.v1.Ingress(
        name,
        metadata={"name": name, "annotations": annotations},
        spec={
            "ingress_class_name": "alb",
            "default_backend": {"service": {"name": name, "port": {"number": 80}}},
        },
    )


def _containers(*containers: dict[str, Any]) -> str:
    return json.dumps([{"image": "ghcr.io/acme/api:1.4.2", "memory": 256, **c} for c in containers])


def _pod_template(pod_spec: dict[str, Any]) -> Any:
    return {"metadata": {"labels": {"app": "api"}}, "spec": pod_spec}


def _deployment_spec(pod_spec: dict[str, Any]) -> Any:
    return {"selector": {"match_labels": {"app": "api"}}, "template": _pod_template(pod_spec)}


RESTRICTED_POD = {
    "security_context": {"run_as_non_root": True, "seccomp_profile": {"type": "RuntimeDefault"}},
    "containers": [
        {
            "name": "api",
            "image": "ghcr.io/acme/api:1.4.2",
            "ports": [{"container_port": 8080}],
            "security_context": {
                "allow_privilege_escalation": False,
                "capabilities": {"drop": ["ALL"]},
                "read_only_root_filesystem": True,
            },
        }
    ],
    "volumes": [{"name": "tmp", "empty_dir": {}}],
}


def _alarm(name: str, **extra) -> None:
    aws.cloudwatch.MetricAlarm(
        name,
        namespace="AWS/ApplicationELB",
        metric_name="HTTPCode_Target_5XX_Count",
        statistic="Sum",
        period=60,
        evaluation_periods=1,
        threshold=1,
        comparison_operator="GreaterThanThreshold",
        **extra,
    )


def _appconfig(name: str, *, monitored: bool, bake: int) -> None:
    """An AppConfig deployment of one flags version through a strategy with `bake` minutes of
    final bake, to an environment watching one alarm (or none)."""
    app = aws.appconfig.Application(name)
    profile = aws.appconfig.ConfigurationProfile(
        name, application_id=app.id, location_uri="hosted", type="AWS.AppConfig.FeatureFlags"
    )
    version = aws.appconfig.HostedConfigurationVersion(
        name,
        application_id=app.id,
        configuration_profile_id=profile.configuration_profile_id,
        content='{"version": "1", "flags": {}, "values": {}}',
        content_type="application/json",
    )
    alarm = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx"
    role = "arn:aws:iam::123456789012:role/appconfig-alarms"
    monitors = [{"alarm_arn": alarm, "alarm_role_arn": role}] if monitored else []
    environment = aws.appconfig.Environment(name, application_id=app.id, monitors=monitors)
    strategy = aws.appconfig.DeploymentStrategy(
        name,
        deployment_duration_in_minutes=10,
        growth_factor=20,
        final_bake_time_in_minutes=bake,
        replicate_to="NONE",
    )
    aws.appconfig.Deployment(
        name,
        application_id=app.id,
        environment_id=environment.environment_id,
        configuration_profile_id=profile.configuration_profile_id,
        configuration_version=version.version_number.apply(str),
        deployment_strategy_id=strategy.id,
    )


def good_program() -> None:
    _appconfig("flags", monitored=True, bake=10)
    key = aws.kms.Key("key", enable_key_rotation=True)
    aws.kms.Key("signing", customer_master_key_spec="RSA_2048", key_usage="SIGN_VERIFY")
    logs = aws.s3.Bucket("logs")
    _harden_bucket("logs", logs)
    assets = aws.s3.Bucket("assets")
    _harden_bucket("assets", assets)
    aws.s3.BucketLogging(
        "assets-logging", bucket=assets.id, target_bucket=logs.id, target_prefix="assets/"
    )

    api_cert = aws.acm.Certificate(
        "api-cert", domain_name="api.example.com", validation_method="DNS"
    )
    cdn_cert = aws.acm.Certificate(
        "cdn-cert", domain_name="www.example.com", validation_method="DNS"
    )
    alb = aws.lb.LoadBalancer(
        "alb",
        subnets=SUBNETS,
        enable_deletion_protection=True,
        drop_invalid_header_fields=True,
        access_logs={"bucket": logs.bucket, "enabled": True, "prefix": "alb"},
    )
    aws.lb.LoadBalancer(
        "nlb",
        load_balancer_type="network",
        internal=True,
        subnets=SUBNETS,
        enable_deletion_protection=True,
        access_logs={"bucket": logs.bucket, "enabled": True, "prefix": "nlb"},
    )
    aws.lb.Listener(
        "https",
        load_balancer_arn=alb.arn,
        port=443,
        protocol="HTTPS",
        certificate_arn=api_cert.arn,
        ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        default_actions=[FORWARD],
    )
    aws.lb.Listener(
        "http", load_balancer_arn=alb.arn, port=80, protocol="HTTP", default_actions=[REDIRECT]
    )

    db = aws.rds.Instance(
        "db",
        engine="postgres",
        instance_class="db.r7g.large",
        allocated_storage=50,
        username="app",
        manage_master_user_password=True,
        storage_encrypted=True,
        kms_key_id=key.arn,
        backup_retention_period=7,
        multi_az=True,
        publicly_accessible=False,
        deletion_protection=True,
        skip_final_snapshot=False,
        final_snapshot_identifier="db-final",
        opts=pulumi.ResourceOptions(protect=True),
    )
    aws.rds.Instance(
        "db-replica",
        replicate_source_db=db.identifier,
        instance_class="db.r7g.large",
        skip_final_snapshot=True,
        publicly_accessible=False,
    )
    aurora = aws.rds.Cluster(
        "aurora",
        engine=aws.rds.EngineType.AURORA_POSTGRESQL,
        master_username="app",
        manage_master_user_password=True,
        storage_encrypted=True,
        backup_retention_period=14,
        deletion_protection=True,
        skip_final_snapshot=False,
        final_snapshot_identifier="aurora-final",
        opts=pulumi.ResourceOptions(retain_on_delete=True),
    )
    aws.rds.ClusterInstance(
        "aurora-1",
        cluster_identifier=aurora.id,
        engine=aws.rds.EngineType.AURORA_POSTGRESQL,
        instance_class="db.r7g.large",
        publicly_accessible=False,
    )
    aws.elasticache.ReplicationGroup(
        "cache",
        description="app cache",
        node_type="cache.r7g.large",
        num_cache_clusters=2,
        automatic_failover_enabled=True,
        multi_az_enabled=True,
        at_rest_encryption_enabled=True,
        transit_encryption_enabled=True,
        auth_token=pulumi.Output.secret("s" * 32),
        final_snapshot_identifier="cache-final",
        opts=pulumi.ResourceOptions(protect=True),
    )

    dlq = aws.sqs.Queue("jobs-dlq", sqs_managed_sse_enabled=True)
    aws.sqs.Queue(
        "jobs",
        kms_master_key_id=key.arn,
        redrive_policy=dlq.arn.apply(
            lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})
        ),
    )

    headers = aws.cloudfront.ResponseHeadersPolicy(
        "headers",
        security_headers_config={
            "strict_transport_security": {
                "access_control_max_age_sec": 31536000,
                "include_subdomains": True,
                "override": True,
            }
        },
    )
    _distribution(
        "cdn",
        alb.dns_name,
        [
            _behavior("redirect-to-https", headers.id),
            _behavior("https-only", MANAGED_SECURITY_HEADERS, "/static/*"),
        ],
        {
            "acm_certificate_arn": cdn_cert.arn,
            "ssl_support_method": "sni-only",
            "minimum_protocol_version": "TLSv1.2_2021",
        },
        logging_config={"bucket": logs.bucket_domain_name, "prefix": "cdn/"},
    )

    task = aws.ecs.TaskDefinition(
        "api-task",
        family="api",
        requires_compatibilities=["FARGATE"],
        network_mode="awsvpc",
        cpu="512",
        memory="1024",
        container_definitions=_containers(
            {
                "name": "api",
                "essential": True,
                "readonlyRootFilesystem": True,
                "environment": [
                    {"name": "LOG_LEVEL", "value": "info"},
                    {"name": "DB_PASSWORD_SECRET_ARN", "value": SECRET_ARN},
                    {"name": "API_TOKEN", "value": SECRET_ARN},
                ],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": SECRET_ARN}],
            },
            {"name": "log-router", "essential": False, "readonlyRootFilesystem": True},
        ),
    )
    aws.ecs.Service(
        "api",
        cluster="arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        task_definition=task.arn,
        desired_count=2,
        launch_type="FARGATE",
        network_configuration={"subnets": SUBNETS, "assign_public_ip": False},
        deployment_circuit_breaker={"enable": True, "rollback": True},
        alarms={"alarm_names": ["api-5xx"], "enable": True, "rollback": True},
    )

    aws.eks.Cluster(
        "eks",
        role_arn=ROLE_ARN,
        vpc_config={
            "subnet_ids": SUBNETS,
            "endpoint_private_access": True,
            "endpoint_public_access": True,
            "public_access_cidrs": ["203.0.113.0/24"],
        },
        encryption_config={"provider": {"key_arn": key.arn}, "resources": ["secrets"]},
        enabled_cluster_log_types=ALL_LOG_TYPES,
    )
    aws.cloudwatch.LogGroup("app-logs", retention_in_days=30)
    _alarm("api-5xx", alarm_actions=["arn:aws:sns:us-east-1:123456789012:oncall"])
    _alarm("api-5xx-long", tags={"gridops:role": "composite-input"})
    _alarm("api-5xx-rollback", tags={"gridops:role": "deployment-rollback"})

    role = aws.iam.Role(
        "task-role",
        assume_role_policy=TRUST,
        inline_policies=[{"name": "jobs", "policy": SCOPED_POLICY}],
    )
    aws.iam.RolePolicy("task-policy", role=role.id, policy=SCOPED_POLICY)
    aws.iam.Policy("deploy", policy=SCOPED_POLICY)

    _web_host("host-sg", (80, 443))
    _ingress("web", '[{"HTTP": 80}, {"HTTPS": 443}]')
    aws.ec2.Instance(
        "host",
        ami="ami-0abcdef1234567890",
        instance_type="t3.small",
        associate_public_ip_address=False,
        root_block_device={"encrypted": True, "volume_size": 20},
        metadata_options={"http_tokens": "required"},
    )
    aws.ec2.LaunchTemplate(
        "nodes",
        metadata_options={"http_tokens": "required"},
        block_device_mappings=[
            {"device_name": "/dev/xvda", "ebs": {"encrypted": "true", "volume_size": 40}}
        ],
    )
    aws.ebs.Volume("data", availability_zone="us-east-1a", size=20, encrypted=True)
    aws.efs.FileSystem("shared", encrypted=True)

    k8s.apps.v1.Deployment("api", spec=_deployment_spec(RESTRICTED_POD))
    job_pod = _pod_template({**RESTRICTED_POD, "restart_policy": "Never"})
    cron_spec: Any = {"schedule": "0 3 * * *", "job_template": {"spec": {"template": job_pod}}}
    k8s.batch.v1.CronJob("report", spec=cron_spec)
    aws.ecr.Repository(
        "images",
        image_tag_mutability="IMMUTABLE",
        image_scanning_configuration={"scan_on_push": True},
        encryption_configurations=[{"encryption_type": "KMS"}],
    )


def bad_program() -> None:
    every_bad_program()  # the data and messaging services' AWS create-time rules
    edge_refused()  # CloudFront, ACM, WAF, Route 53, IAM and FIS create-time rules
    aws.kms.Key("key", tags={"environment": "production"})
    aws.s3.Bucket("data", tags={"environment": "preview"})  # in production, with no expiry
    half = aws.s3.Bucket("half")
    aws.s3.BucketPublicAccessBlock("half-public-access", bucket=half.id, block_public_acls=True)

    api_cert = aws.acm.Certificate(
        "api-cert", domain_name="api.example.com", validation_method="DNS"
    )
    alb = aws.lb.LoadBalancer("alb", subnets=SUBNETS)
    aws.elb.LoadBalancer(
        "classic",
        subnets=SUBNETS,
        listeners=[
            {"instance_port": 80, "instance_protocol": "http", "lb_port": 80, "lb_protocol": "http"}
        ],
    )
    aws.lb.Listener(
        "http", load_balancer_arn=alb.arn, port=80, protocol="HTTP", default_actions=[FORWARD]
    )
    aws.lb.ListenerCertificate(
        "api-cert-attach", listener_arn=TARGET_GROUP, certificate_arn=api_cert.arn
    )

    aws.rds.Instance(
        "db",
        engine="postgres",
        instance_class="db.t4g.micro",
        allocated_storage=20,
        username="app",
        manage_master_user_password=True,
        publicly_accessible=True,
        backup_retention_period=1,
        skip_final_snapshot=True,
    )
    aws.rds.Cluster("aurora", engine=aws.rds.EngineType.AURORA_POSTGRESQL, master_username="app")
    aws.elasticache.ReplicationGroup(
        "cache", description="cache", node_type="cache.t4g.small", num_cache_clusters=2
    )
    aws.sqs.Queue("jobs")
    _appconfig("unwatched-flags", monitored=False, bake=10)
    _appconfig("unbaked-flags", monitored=True, bake=0)

    cdn_cert = aws.acm.Certificate(
        "cdn-cert", domain_name="www.example.com", validation_method="DNS"
    )
    weak = aws.cloudfront.ResponseHeadersPolicy(
        "weak-headers",
        security_headers_config={
            "strict_transport_security": {"access_control_max_age_sec": 300, "override": True}
        },
    )
    _distribution(
        "cdn",
        alb.dns_name,
        [
            _behavior("allow-all", None),
            _behavior("redirect-to-https", weak.id, "/app/*"),
        ],
        {"acm_certificate_arn": cdn_cert.arn, "minimum_protocol_version": "TLSv1"},
        origin_protocol="http-only",
    )

    aws.ecs.TaskDefinition(
        "task",
        family="task",
        container_definitions=_containers(
            {
                "name": "app",
                "privileged": True,
                "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}],
            },
            {"name": "sidecar", "essential": False},
        ),
    )
    aws.ecs.Service(
        "svc",
        cluster="arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        network_configuration={"subnets": SUBNETS, "assign_public_ip": True},
    )
    aws.eks.Cluster("eks", role_arn=ROLE_ARN, vpc_config={"subnet_ids": SUBNETS})
    # Pods on EC2 nodes given their own group, on a cluster without the VPC resource
    # controller's policy or ENABLE_POD_ENI, and without the cluster security group.
    aws.eks.NodeGroup(
        "nodes",
        cluster_name="eks",
        node_role_arn=ROLE_ARN,
        subnet_ids=SUBNETS,
        scaling_config={"min_size": 1, "max_size": 2, "desired_size": 1},
    )
    k8s.apiextensions.CustomResource(
        "pods-sg",
        api_version="vpcresources.k8s.aws/v1beta1",
        kind="SecurityGroupPolicy",
        metadata={"name": "api", "namespace": "api"},
        spec={
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
            "securityGroups": {"groupIds": ["sg-0123456789abcdef0"]},
        },
    )
    aws.cloudwatch.LogGroup("app-logs")
    _alarm("silent")
    _alarm("mistagged", tags={"gridops:role": "dashboard"})
    _alarm(
        "muted",
        alarm_actions=["arn:aws:sns:us-east-1:123456789012:oncall"],
        actions_enabled=False,
    )
    aws.iam.Role(
        "admin", assume_role_policy=TRUST, inline_policies=[{"name": "all", "policy": ADMIN_POLICY}]
    )
    aws.ec2.Instance(
        "host",
        ami="ami-0abcdef1234567890",
        instance_type="t3.small",
        associate_public_ip_address=True,
    )
    _web_host("host-sg", (80,))
    _ingress("web", None)
    aws.ebs.Volume("vol", availability_zone="us-east-1a", size=10)
    aws.efs.FileSystem("fs")
    k8s.apps.v1.Deployment(
        "agent",
        spec=_deployment_spec(
            {
                "host_network": True,
                "containers": [{"name": "agent", "image": "busybox:1.36"}],
                "volumes": [{"name": "root", "host_path": {"path": "/"}}],
            }
        ),
    )
    _isolated_workloads()
    _unguarded_scheduled_drill()
    _budget_and_gitops_mistakes()
    # A production stack (this tag says so) whose Deployment "agent" runs busybox by tag.
    aws.ecr.Repository("images", image_tag_mutability="MUTABLE", tags={"environment": "production"})


def _budget_and_gitops_mistakes() -> None:
    """A budget far below what this program costs (budget-below-estimate) and a ConfigMap
    Pulumi manages inside the namespace an Argo CD Application hands to GitOps
    (gitops-owned-namespace)."""
    aws.budgets.Budget(
        "tight-budget",
        name="tight",
        budget_type="COST",
        time_unit="MONTHLY",
        limit_amount="1.00",
        limit_unit="USD",
        notifications=[
            {
                "comparison_operator": "GREATER_THAN",
                "notification_type": "ACTUAL",
                "threshold": 100,
                "threshold_type": "PERCENTAGE",
                "subscriber_email_addresses": ["finance@acme.io"],
            }
        ],
    )
    k8s.apiextensions.CustomResource(
        "shop-app",
        api_version="argoproj.io/v1alpha1",
        kind="Application",
        metadata={"name": "shop", "namespace": "argocd"},
        spec={
            "project": "default",
            "source": {"repoURL": "https://github.com/acme/shop.git", "path": "."},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"},
        },
    )
    k8s.core.v1.ConfigMap(
        "shop-settings", metadata={"name": "settings", "namespace": "shop"}, data={"A": "b"}
    )


def _unguarded_scheduled_drill() -> None:
    """An FIS template without a stop alarm that EventBridge Scheduler starts every week."""
    template = aws.fis.ExperimentTemplate(
        "unguarded",
        description="stops tasks with nothing to stop it",
        role_arn="arn:aws:iam::123456789012:role/fis",
        stop_conditions=[{"source": "none"}],
        actions=[
            {
                "name": "stop",
                "action_id": "aws:ecs:stop-task",
                "target": {"key": "Tasks", "value": "tasks"},
            }
        ],
        targets=[
            {
                "name": "tasks",
                "resource_type": "aws:ecs:task",
                "resource_arns": ["arn:aws:ecs:us-east-1:123456789012:task/prod/abc"],
                "selection_mode": "ALL",
            }
        ],
    )
    aws.scheduler.Schedule(
        "weekly-unguarded",
        schedule_expression="rate(7 days)",
        flexible_time_window={"mode": "OFF"},
        target={
            "arn": "arn:aws:scheduler:::aws-sdk:fis:startExperiment",
            "role_arn": "arn:aws:iam::123456789012:role/scheduler",
            "input": template.id.apply(
                lambda tid: json.dumps({"ExperimentTemplateId": tid, "ClientToken": "x"})
            ),
        },
    )


def _isolated_workloads() -> None:
    """Workloads in a subnet with no route out and no endpoints, and an interface endpoint
    nothing can use (private DNS without VPC DNS hostnames, no HTTPS admitted)."""
    vpc = aws.ec2.Vpc("isolated", cidr_block="10.9.0.0/16")
    subnet = aws.ec2.Subnet("isolated-a", vpc_id=vpc.id, cidr_block="10.9.0.0/24")
    table = aws.ec2.RouteTable("isolated-rt", vpc_id=vpc.id)
    aws.ec2.RouteTableAssociation("isolated-rta", subnet_id=subnet.id, route_table_id=table.id)
    task = aws.ecs.TaskDefinition(
        "isolated-task",
        family="isolated",
        container_definitions=json.dumps(
            [
                {
                    "name": "app",
                    "image": "ghcr.io/acme/api:1.4.2",
                    "essential": True,
                    "logConfiguration": {"logDriver": "awslogs", "options": {}},
                    "secrets": [
                        {
                            "name": "TOKEN",
                            "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/token",
                        }
                    ],
                }
            ]
        ),
    )
    aws.ecs.Service(
        "isolated-svc",
        task_definition=task.arn,
        network_configuration={"subnets": [subnet.id], "assign_public_ip": False},
    )
    aws.eks.NodeGroup(
        "isolated-nodes",
        cluster_name="eks",
        node_role_arn=ROLE_ARN,
        subnet_ids=[subnet.id],
        scaling_config={"desired_size": 1, "min_size": 1, "max_size": 1},
    )
    group = aws.ec2.SecurityGroup("isolated-endpoints", vpc_id=vpc.id)
    aws.ec2.VpcEndpoint(
        "isolated-monitoring",
        vpc_id=vpc.id,
        service_name="com.amazonaws.us-east-1.monitoring",
        vpc_endpoint_type="Interface",
        private_dns_enabled=True,
        security_group_ids=[group.id],
    )


def no_tls_program() -> None:
    """Also a production stack without a budget (budget-on-production)."""
    alb = aws.lb.LoadBalancer("alb", subnets=SUBNETS, tags={"environment": "production"})
    aws.lb.Listener(
        "http", load_balancer_arn=alb.arn, port=80, protocol="HTTP", default_actions=[FORWARD]
    )


# --- hand-built records --------------------------------------------------------------------

STACK_URN = "urn:pulumi:dev::gridops::pulumi:pulumi:Stack::gridops-dev"


def urn_of(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::gridops::{type_}::{name}"


def record(
    type_: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    outputs: dict[str, Any] | None = None,
    protect: bool = False,
    retain_on_delete: bool = False,
    property_dependencies: dict[str, list[str]] | None = None,
) -> ResourceRecord:
    inputs = inputs or {}
    return ResourceRecord(
        type=type_,
        name=name,
        urn=urn_of(type_, name),
        parent=STACK_URN,
        custom=True,
        inputs=inputs,
        outputs={**inputs, **(outputs or {})},
        protect=protect,
        retain_on_delete=retain_on_delete,
        property_dependencies=property_dependencies or {},
    )


def plan_of(*records: ResourceRecord) -> Plan:
    return Plan(
        project="gridops", stack="dev", resources=list(records), outputs={}, stack_urn=STACK_URN
    )
