"""What each component's child is for, by child role (the keys of `transforms`), for the
transforms page (docs/transforms.md) and `help(Component)`. A test fails when a component
declares a role this table does not describe, or the table describes one nobody
declares."""

from __future__ import annotations


def role_purpose(component: str, role: str) -> str:
    """What the child `role` of `component` (a class name) is for; KeyError when the table
    does not say."""
    return ROLE_PURPOSES.get(f"{component}.{role}") or ROLE_PURPOSES[role]


# Role -> what the child is for; "Component.role" when one component's child of that
# role differs from the others'.
ROLE_PURPOSES: dict[str, str] = {
    # Shared by several components
    "alarm_topic_key": "KMS key encrypting the alarm topic.",
    "alarm_topic": "SNS topic the platform's own alarms notify (and what runs on it).",
    "alarm_topic_policy": "Topic policy letting EventBridge rules (with a replication source) "
    "and AWS Budgets and Cost Anomaly Detection of the account publish.",
    "certificate": "ACM certificate for the domain.",
    "certificate_validation_record": "Route 53 record proving the domain to ACM.",
    "certificate_validation": "Waits until ACM has issued the certificate.",
    "alias_record": "Route 53 alias record pointing the domain at the load balancer.",
    "origin_verify_secret": "Random secret CloudFront sends as a header, so the origin "
    "accepts only traffic through the CDN.",
    "kms_key": "Customer-managed KMS key encrypting the data at rest and its secret.",
    "security_group": "The component's own security group.",
    "ingress": "Security-group rule admitting one linked consumer on the engine's port.",
    "subnet_group": "Subnet group placing the data tier in the private subnets.",
    "secret": "Secrets Manager secret holding the generated credentials.",
    "secret_version": "The secret's value (the generated credentials).",
    "egress_rule": "Security-group rule for outbound traffic (the VPC, or one internet "
    "port from `internet_egress_ports`).",
    "namespace": "Kubernetes namespace the workload runs in.",
    "service_account": "Kubernetes service account the pods run as.",
    "deployment": "Kubernetes Deployment running the pods.",
    "network_policy": "Kubernetes NetworkPolicy limiting the pods' traffic.",
    "pod_role": "IAM role the pods assume through EKS Pod Identity.",
    "pod_role_policy": "The pod role's least-privilege policy (links, queue, secrets).",
    "pod_identity": "EKS Pod Identity association of the service account with the pod role.",
    "secret_store": "External Secrets SecretStore reading AWS Secrets Manager.",
    "external_secret": "ExternalSecret syncing the referenced secrets into a Kubernetes Secret.",
    "secrets_role": "IAM role the secret sync assumes to read exactly these secrets.",
    "secrets_role_policy": "The secrets role's policy (read the listed secrets, decrypt "
    "their keys).",
    "secrets_reader_account": "Kubernetes service account of the secret sync, separate "
    "from the pods'.",
    "pod_security_group": "Security group for the pods (security groups for pods).",
    "security_group_policy": "SecurityGroupPolicy giving the pods their security group.",
    "host_policy": "Policy added to the host's instance role for this workload (links, "
    "queue, secrets).",
    "task_definition": "ECS task definition (image, CPU, memory, environment, secrets, "
    "health check).",
    "service": "ECS service keeping the tasks running (circuit breaker, rollback alarms).",
    "execution_role": "Role ECS uses to pull the image, write logs and read the secrets.",
    "execution_policy": "The execution role's policy (scoped to this task's logs and secrets).",
    "task_role": "The workload's own IAM role (link grants land here).",
    # FeatureFlags
    "FeatureFlags.application": "AppConfig application holding the flags.",
    "configuration_profile": "AppConfig configuration profile of type "
    "AWS.AppConfig.FeatureFlags (hosted).",
    "configuration_version": "The flags as a hosted configuration version (a change is a new "
    "version).",
    "deployment_strategy": "How a flag change rolls out (growth, duration, final bake).",
    "alarm_role": "Role AppConfig assumes to read the monitors' alarm states.",
    "alarm_role_policy": "The alarm role's policy (cloudwatch:DescribeAlarms on exactly the "
    "monitors).",
    "environment": "AppConfig environment the linked service reads, watched by its alarms.",
    "FeatureFlags.deployment": "AppConfig deployment of the current flags version to the "
    "environment.",
    "read_policy": "Policy on the linked service's role: read exactly this configuration.",
    "task_policy": "The task role's least-privilege policy.",
    "scaling_target": "Application Auto Scaling target over the ECS service's task count.",
    # StackBudget
    "budget": "AWS Budget (COST, MONTHLY) at the estimate plus headroom, alerting the topic.",
    "anomaly_monitor": "Cost Anomaly Detection monitor over AWS services (account-wide).",
    "anomaly_subscription": "Sends anomalies above the threshold to the topic at once.",
    # ArgoCdGitOps, FluxGitOps
    "release": "Helm release installing Argo CD.",
    "FluxGitOps.release": "Helm release installing Flux (fluxcd-community flux2 chart).",
    "application": "Argo CD Application syncing the manifests repository.",
    "FluxGitOps.namespace": "The namespace Flux owns (Pulumi makes it, Flux fills it).",
    "source": "Flux GitRepository following the manifests repository.",
    "kustomization": "Flux Kustomization applying one folder of it (prune on).",
    "credentials_role": "Role External Secrets assumes to read the repository credentials.",
    "credentials_role_policy": "Lets that role read the one credentials secret.",
    "credentials_reader_account": "ServiceAccount whose token External Secrets trades for "
    "that role.",
    "credentials_store": "SecretStore reading Secrets Manager through that role.",
    "credentials": "ExternalSecret writing the controller's repository Secret.",
    # CdnFrontend
    "distribution": "The CloudFront distribution.",
    "monitoring_subscription": "CloudFront additional metrics (status codes, cache hit rate).",
    "vpc_origin": "CloudFront VPC origin to the API's internal load balancer (no public "
    "address, no origin secret).",
    "response_headers_policy": "Security headers policy (HSTS, nosniff, frame DENY, "
    "referrer policy).",
    "static_bucket": "Private S3 bucket holding the static site.",
    "static_public_access_block": "Blocks all public access to the site bucket.",
    "static_ownership": "Bucket-owner-enforced object ownership (ACLs off) for the site bucket.",
    "static_encryption": "Default encryption of the site bucket.",
    "static_versioning": "Versioning of the site bucket.",
    "static_lifecycle": "Expires noncurrent versions of the site's objects.",
    "origin_access_control": "Origin access control: CloudFront signs its requests to the bucket.",
    "static_bucket_policy": "Bucket policy letting only this distribution read the site.",
    "static_object": "One uploaded file of the site.",
    "log_bucket": "S3 bucket receiving the CloudFront access logs.",
    "log_public_access_block": "Blocks all public access to the log bucket.",
    "log_ownership": "Object ownership the log delivery needs on the log bucket.",
    "log_encryption": "Default encryption of the log bucket.",
    "log_lifecycle": "Expires old access logs.",
    "log_bucket_policy": "Log bucket policy (TLS only).",
    "site_access_logging": "S3 server access logging of the site bucket into the log bucket.",
    "us_east_1_provider": "AWS provider in us-east-1, where CloudFront needs its "
    "certificate and web ACL.",
    "web_acl": "AWS WAF web ACL (managed rule groups, rate limit) on the distribution.",
    "CdnFrontend.alias_record": "Route 53 alias records (A and AAAA) pointing the domain "
    "at the distribution.",
    # EksCluster
    "secrets_key": "KMS key encrypting Kubernetes secrets (envelope encryption).",
    "secrets_key_alias": "Alias of the secrets key.",
    "EksCluster.log_group": "CloudWatch log group of the control plane's logs.",
    "cluster_role": "IAM role the EKS control plane assumes.",
    "cluster_role_policy": "AWS managed policy attached to the cluster role.",
    "cluster_role_kms_policy": "Lets the cluster role use the secrets key.",
    "EksCluster.cluster": "The EKS cluster (private API endpoint, encrypted secrets).",
    "EksCluster.oidc_provider": "IAM OIDC provider of the cluster (IRSA, for the VPC CNI).",
    "access_entry": "EKS access entry for one admin role.",
    "access_policy": "Associates an access entry with AmazonEKSClusterAdminPolicy.",
    "node_security_group": "Security group identifying the nodes.",
    "cni_role": "The VPC CNI's own IAM role through IRSA.",
    "cni_role_policy": "AmazonEKS_CNI_Policy on the CNI role.",
    "addon": "One managed EKS add-on.",
    "node_role": "IAM role of the nodes (managed node groups, or Auto Mode's).",
    "node_role_policy": "AWS managed policy attached to the node role.",
    "launch_template": "Launch template of the nodes (IMDSv2 only, hop limit 1, encrypted "
    "volumes).",
    "node_group": "Managed node group.",
    "fargate_role": "Pod execution role of the Fargate profile.",
    "fargate_role_policy": "AWS managed policy attached to the Fargate pod execution role.",
    "fargate_profile": "EKS Fargate profile.",
    "kubernetes_provider": "Kubernetes provider talking to this cluster.",
    "operator_role": "IAM role of one in-cluster operator (load balancer controller, KEDA, "
    "External Secrets, Cluster Autoscaler, Karpenter) through Pod Identity.",
    "operator_role_policy": "The operator role's policy.",
    "operator_pod_identity": "Pod Identity association of the operator's service account.",
    "lbc_release": "Helm release of the AWS Load Balancer Controller.",
    "container_log_group": "Log group of the containers' logs (Container Insights).",
    "insights_role": "Pod Identity role of the CloudWatch observability add-on.",
    "insights_role_policy": "CloudWatchAgentServerPolicy on the insights role.",
    "ebs_csi_role": "Pod Identity role of the EBS CSI driver add-on.",
    "ebs_csi_role_policy": "AmazonEBSCSIDriverPolicy on the EBS CSI role.",
    "keda_release": "Helm release of KEDA (queue-driven autoscaling).",
    "eso_release": "Helm release of External Secrets.",
    "autoscaler_release": "Helm release of the Cluster Autoscaler.",
    "karpenter_node_role": "IAM role of the nodes Karpenter launches.",
    "karpenter_node_role_policy": "AWS managed policy attached to the Karpenter node role.",
    "karpenter_access_entry": "Access entry letting Karpenter's nodes join the cluster.",
    "interruption_queue": "SQS queue of EC2 interruption and rebalance events for Karpenter.",
    "interruption_dead_letter_queue": "Dead-letter queue of the interruption queue.",
    "interruption_queue_policy": "Lets EventBridge send to the interruption queue.",
    "interruption_rule": "EventBridge rule catching one kind of interruption event.",
    "interruption_target": "Sends an interruption rule's events to the queue.",
    "karpenter_release": "Helm release of Karpenter.",
    "karpenter_node_class": "Karpenter EC2NodeClass (AMI, subnets, security groups, IMDSv2).",
    "karpenter_node_pool": "Karpenter NodePool (instance requirements and limits).",
    "ingress_class_params": "Auto Mode: IngressClassParams of the shared ALB (scheme, subnets).",
    "ingress_class": "Auto Mode: IngressClass `alb` for the controller eks.amazonaws.com/alb.",
    "block_storage_class": "Auto Mode: default encrypted gp3 StorageClass "
    "(ebs.csi.eks.amazonaws.com).",
    "auto_node_pool": "Auto Mode: NodePool of node_architecture (and Spot) on the default "
    "NodeClass.",
    # FargateCluster
    "FargateCluster.cluster": "The ECS cluster (Container Insights on).",
    "capacity_providers": "The cluster's capacity providers: FARGATE and FARGATE_SPOT, or "
    "a FargateCluster's Managed Instances provider.",
    "FargateCluster.instances_security_group": "Security group of the ECS Managed "
    "Instances (nothing in).",
    "FargateCluster.instances_egress_rule": "Lets the Managed Instances reach ECS, ECR and "
    "logs over HTTPS.",
    "FargateCluster.instance_role": "Role of the Managed Instances (register with the cluster).",
    "FargateCluster.instance_role_policy": "Attaches AWS's Managed Instances instance-role policy.",
    "FargateCluster.instance_profile": "Instance profile carrying the Managed Instances' role.",
    "FargateCluster.infrastructure_role": "Role ECS assumes to launch and retire the "
    "Managed Instances.",
    "FargateCluster.infrastructure_role_policy": "Attaches AWS's Managed Instances "
    "infrastructure policy.",
    "FargateCluster.infrastructure_pass_role_policy": "Lets ECS pass only the instance role, "
    "to EC2.",
    "FargateCluster.managed_instances": "The Amazon ECS Managed Instances capacity provider.",
    "ExpressCluster.cluster": "The ECS cluster the Express services run in (Container "
    "Insights on).",
    "ExpressCluster.infrastructure_role": "Role ECS assumes to build each Express service's "
    "load balancer, certificate, security groups and autoscaling.",
    "ExpressCluster.infrastructure_policy": "Attaches the AWS managed policy "
    "AmazonECSInfrastructureRoleforExpressGatewayServices to the infrastructure role.",
    "alb_security_group": "Security group of the load balancer.",
    "alb_ingress_rule": "Admits HTTP or HTTPS from the internet (or CloudFront) to the "
    "load balancer.",
    "alb_logs_bucket": "S3 bucket for the load balancer's access logs.",
    "alb_logs_public_access_block": "Blocks all public access to the ALB log bucket.",
    "alb_logs_ownership": "Object ownership of the ALB log bucket (ACLs off).",
    "alb_logs_encryption": "SSE-S3 encryption of the ALB log bucket.",
    "alb_logs_lifecycle": "Expires old ALB access logs.",
    "alb_logs_policy": "Lets Elastic Load Balancing write the access logs (TLS only).",
    "alb": "The internet-facing Application Load Balancer every service shares.",
    "http_listener": "HTTP listener (redirects to HTTPS when the cluster has a domain).",
    "https_listener": "HTTPS listener with the cluster's certificate.",
    # EksCluster behind a CloudFront VPC origin (origin_access "vpc-origin")
    "EksCluster.alb": "The internal Application Load Balancer CloudFront's VPC origin "
    "reaches; the services' target groups sit behind it.",
    "EksCluster.alb_ingress_rule": "Admits CloudFront (its prefix list and the VPC "
    "origin's interfaces in the VPC) to the internal load balancer on its one port.",
    "EksCluster.alb_egress_rule": "Lets the internal load balancer reach the Pods' security "
    "group on a service port.",
    "alb_target_ingress_rule": "Admits the internal load balancer to the Pods' security "
    "group on a service port.",
    "EksCluster.http_listener": "HTTP listener of the internal load balancer (services "
    "without a domain).",
    "EksCluster.https_listener": "HTTPS listener of the internal load balancer, with the "
    "first service's certificate.",
    # ContainerRepository
    "ContainerRepository.kms_key": "Customer-managed KMS key encrypting the images.",
    "ContainerRepository.repository": "The ECR repository.",
    "ContainerRepository.lifecycle_policy": "Expires untagged images and keeps the newest "
    "tagged ones.",
    "ContainerRepository.replication": "The registry's cross-Region replication (one per "
    "registry and Region).",
    "ContainerRepository.scanning": "The registry's enhanced (Amazon Inspector) scanning "
    "configuration (one per registry and Region).",
    "ContainerRepository.pull_policy": "Inline policy letting one role pull this "
    "repository's images (grant_pull).",
    "ContainerRepository.push_policy": "Inline policy letting one role push to this "
    "repository (grant_push).",
    # GithubDeployRole
    "GithubDeployRole.oidc_provider": "IAM OIDC provider for GitHub Actions.",
    "GithubDeployRole.role": "The role the repository's jobs assume through OIDC.",
    "GithubDeployRole.policy": "What the deploy role may do.",
    # GitlabDeployRole
    "GitlabDeployRole.oidc_provider": "IAM OIDC provider for the GitLab instance.",
    "GitlabDeployRole.role": "The role the project's protected-branch jobs assume through OIDC.",
    "GitlabDeployRole.policy": "What the deploy role may do (as GithubDeployRole's).",
    # ManagedPostgresWithReplicas
    "ManagedPostgresWithReplicas.security_group": "Security group of the database (and its proxy).",
    "proxy_rule": "Security-group rules between the RDS Proxy and the database.",
    "ManagedPostgresWithReplicas.log_group": "Log group of one exported PostgreSQL log type.",
    "monitoring_role": "Role Enhanced Monitoring publishes with.",
    "monitoring_policy": "The Enhanced Monitoring role's policy.",
    "password": "Generated master password (a Pulumi secret).",
    "parameter_group": "Engine parameter group.",
    "primary": "The primary RDS instance (instance mode).",
    "replica": "A read replica (instance mode).",
    "ManagedPostgresWithReplicas.cluster": "The Aurora cluster (Aurora mode).",
    "writer": "Aurora writer instance.",
    "reader": "Aurora reader instance.",
    "autoscaling_target": "Application Auto Scaling target over the Aurora readers.",
    "autoscaling_policy": "Target-tracking policy scaling the Aurora readers.",
    "proxy_role": "Role RDS Proxy uses to read the credentials secret.",
    "proxy_policy": "The proxy role's policy (this secret and its key only).",
    "proxy": "RDS Proxy pooling connections (TLS required).",
    "proxy_target_group": "The proxy's default target group (pool settings).",
    "proxy_target": "Registers the database with the proxy.",
    "proxy_endpoint": "Read-only proxy endpoint for the readers.",
    # Network
    "vpc": "The VPC.",
    "public_subnet": "Public subnet, one per AZ (load balancers, NAT).",
    "private_subnet": "Private subnet, one per AZ (workloads, data).",
    "internet_gateway": "Internet gateway of the VPC.",
    "nat_eip": "Elastic IP of a NAT gateway.",
    "nat_gateway": "NAT gateway (one, or one per AZ).",
    "public_route_table": "Route table of the public subnets.",
    "private_route_table": "Route table of the private subnets (per AZ with per-AZ NAT).",
    "route": "Default route to the internet gateway or a NAT gateway.",
    "route_table_association": "Associates a subnet with its route table.",
    "default_security_group": "Takes over the VPC's default security group and removes its rules.",
    "flow_log_group": "Log group of the VPC flow logs.",
    "flow_log_role": "Role the flow logs publish with.",
    "flow_log_policy": "The flow log role's policy (this log group only).",
    "flow_log": "VPC flow log.",
    "s3_endpoint": "S3 gateway endpoint.",
    "endpoint_security_group": "Security group of the interface endpoints (HTTPS from the VPC).",
    "endpoint_ingress_rule": "Admits HTTPS from the VPC to the interface endpoints.",
    "interface_endpoint": "One interface endpoint from `vpc_endpoints`.",
    # ObservabilityStack
    "topic_key": "KMS key encrypting the page and ticket topics.",
    "page_topic": "SNS topic of the alerts that page.",
    "ticket_topic": "SNS topic of the alerts that open tickets.",
    "subscription": "An alert address or webhook subscribed to a topic.",
    "ObservabilityStack.alarm": "An SLO burn-rate or golden-signal alarm.",
    "composite_alarm": "Composite alarm over a service's SLO alarms.",
    "dashboard": "CloudWatch dashboard of the watched components.",
    "regional_provider": "AWS provider in the region where some metrics live.",
    "k8s_namespace": "Kubernetes namespace of the monitoring stack.",
    "storage_class": "Encrypted gp3 storage class for the monitoring volumes.",
    "ObservabilityStack.network_policy": "NetworkPolicy of the monitoring namespace.",
    "grafana_admin_password": "Generated Grafana admin password (a Pulumi secret).",
    "grafana_admin_secret": "Kubernetes Secret holding the Grafana admin password.",
    "helm_release": "Helm release of one monitoring chart.",
    "prometheus_rule": "PrometheusRule of the SLO and golden-signal alerts.",
    "dashboard_config_map": "ConfigMap of the Grafana dashboards.",
    "workload_role": "Pod Identity role of one monitoring workload.",
    "workload_role_policy": "The monitoring workload role's policy.",
    "ObservabilityStack.pod_identity": "Pod Identity association of a monitoring service account.",
    "amp_log_group": "Log group of the Amazon Managed Prometheus workspace.",
    "amp_workspace": "Amazon Managed Service for Prometheus workspace.",
    "amp_workspace_configuration": "Configuration of the Prometheus workspace.",
    "amp_rule_group_namespace": "The alert rules in the Prometheus workspace.",
    "amp_alert_manager_definition": "Alertmanager definition routing the workspace's "
    "alerts to the topics.",
    "topic_policy": "The alert topics' policy: CloudWatch alarms, AWS Budgets and Cost Anomaly "
    "Detection of the account publish (and the managed Prometheus, when there is one).",
    "grafana_role": "Role of the Amazon Managed Grafana workspace.",
    "grafana_role_policy": "The Grafana role's policy.",
    "grafana_workspace": "Amazon Managed Grafana workspace.",
    # RedisCache
    "RedisCache.log_group": "Log group of the engine's slow or engine log.",
    "auth_token": "Generated AUTH token (a Pulumi secret).",
    "replication_group": "The ElastiCache replication group.",
    # ResilienceDrills
    "ResilienceDrills.log_group": "Log group of the experiments' logs.",
    "role": "IAM role the FIS experiments assume.",
    "role_policy": "The experiment role's least-privilege policy.",
    "experiment": "One FIS experiment template.",
    "ResilienceDrills.service_account": "Kubernetes service account FIS acts as on EKS.",
    "kubernetes_role": "Kubernetes Role of what the EKS experiments may do.",
    "role_binding": "Binds the FIS identity to the Kubernetes Role.",
    "ResilienceDrills.access_entry": "EKS access entry of the experiment role.",
    "ResilienceDrills.schedule_group": "EventBridge Scheduler group of the drill schedules.",
    "ResilienceDrills.schedule_role": "IAM role EventBridge Scheduler assumes to start the "
    "scheduled experiments.",
    "ResilienceDrills.schedule_policy": "The scheduler role's policy: fis:StartExperiment on "
    "the scheduled templates only.",
    "ResilienceDrills.schedule": "One EventBridge Scheduler schedule starting one drill.",
    # SingleServer
    "SingleServer.log_group": "Log group of the host's and the containers' logs.",
    "SingleServer.security_group": "Security group of the host.",
    "ingress_rule": "Security-group rule admitting traffic on one port.",
    "SingleServer.egress_rule": "Security-group rule letting the host out to the VPC or "
    "one internet port.",
    "network_interface": "Primary network interface (outlives instance replacements).",
    "elastic_ip": "The host's Elastic IP.",
    "data_volume": "Encrypted gp3 data volume (protected, kept on delete).",
    "volume_attachment": "Attaches the data volume to the instance.",
    "backup_bucket": "S3 bucket of the database dumps.",
    "backup_public_access_block": "Blocks all public access to the backup bucket.",
    "backup_ownership": "Object ownership of the backup bucket (ACLs off).",
    "backup_encryption": "Default encryption of the backup bucket.",
    "backup_versioning": "Versioning of the backup bucket.",
    "backup_lifecycle": "Expires old dumps.",
    "backup_policy": "Backup bucket policy (TLS only).",
    "backup_log_bucket": "S3 bucket of the backup bucket's server access logs.",
    "backup_log_public_access_block": "Blocks all public access to the access-log bucket.",
    "backup_log_ownership": "Object ownership of the access-log bucket (ACLs off).",
    "backup_log_encryption": "Default encryption of the access-log bucket (SSE-S3).",
    "backup_log_versioning": "Versioning of the access-log bucket.",
    "backup_log_lifecycle": "Expires old access logs.",
    "backup_log_policy": "Access-log bucket policy (TLS only; S3's logging service may "
    "write the backup bucket's logs).",
    "backup_access_logging": "Server access logging of the backup bucket.",
    "database_password": "Generated database password (a Pulumi secret).",
    "database_secret": "SecureString parameter holding a database credential.",
    "replication_password": "Random password of the DMS replication user.",
    "replication_secret": "Secrets Manager secret DMS and the host read the replication "
    "user's credentials from.",
    "replication_secret_version": "The replication secret's value (username, password, host, "
    "port, dbname).",
    "origin_verify_parameter": "SecureString parameter holding the origin verify secret.",
    "instance_role": "The host's IAM role.",
    "instance_role_policy_attachment": "AWS managed policy on the host role (Session "
    "Manager, CloudWatch agent).",
    "instance_role_policy": "The host role's own policy (logs, parameters, backups).",
    "instance_profile": "Instance profile carrying the host role.",
    "snapshot_role": "Role Data Lifecycle Manager snapshots the data volume with.",
    "snapshot_role_policy_attachment": "AWS managed policy on the snapshot role.",
    "snapshot_policy": "Data Lifecycle Manager policy snapshotting the data volume daily.",
    "instance": "The EC2 instance.",
    "SingleServer.compose_parameter": "SSM parameter holding the base docker compose "
    "fragment (proxy, agent).",
    "container": "SSM parameter holding the compose fragment of a container added "
    "without an owner.",
    "dns_record": "Route 53 A record of the domain.",
    "SingleServer.alarm": "A host alarm (status checks, CPU, memory, data disk).",
    # SqsWorkerQueue
    "queue": "The SQS queue (encrypted, TLS only).",
    "dead_letter_queue": "Dead-letter queue of the jobs that kept failing.",
    "redrive_allow_policy": "Lets only this queue use the dead-letter queue.",
    "queue_policy": "TLS-only policy on the queue or its dead-letter queue.",
    "SqsWorkerQueue.alarm": "A queue alarm (dead letters, message age, no consumer).",
    "send_policy": "Lets one producer send to the queue (on its own role).",
    "SqsWorkerQueue.log_group": "Log group of the workers' logs.",
    "SqsWorkerQueue.service": "ECS service running the workers.",
    "SqsWorkerQueue.security_group": "Security group of the workers.",
    "SqsWorkerQueue.scaling_policy": "Scales the workers on the queue's backlog.",
    "trigger_authentication": "KEDA TriggerAuthentication (Pod Identity) to read the "
    "queue's depth.",
    "scaled_object": "KEDA ScaledObject scaling the workers on the queue's backlog.",
    "SqsWorkerQueue.compose_parameter": "SSM parameter holding the workers' compose fragment.",
    "function_role": "Role the Lambda worker runs with (this queue, its logs, its network "
    "interfaces, its secrets and links).",
    "function_policy": "The Lambda worker role's least-privilege policy.",
    "function": "Lambda function running the worker image.",
    "event_source_mapping": "Invokes the Lambda worker with batches from the queue "
    "(partial batch responses, maximum concurrency).",
    "function_alarm": "An alarm on the Lambda worker (errors, throttles).",
    # StatelessService
    "StatelessService.log_group": "Log group of the service's logs.",
    "infrastructure_role": "Role ECS uses to shift traffic between the blue and green "
    "target groups.",
    "infrastructure_policy": "The infrastructure role's policy (these rules and target "
    "groups only).",
    "StatelessService.security_group": "Security group of the tasks.",
    "StatelessService.ingress_rule": "Admits the load balancer to the tasks' port.",
    "alb_egress_rule": "Lets the cluster's load balancer reach the tasks' port.",
    "target_group": "ALB target group of the tasks.",
    "listener_rule": "Listener rule routing the service's hosts and paths to its target group.",
    "http_redirect_rule": "Redirects the service's HTTP traffic to HTTPS.",
    "listener_certificate": "Adds the service's certificate to a shared HTTPS listener.",
    "StatelessService.alarm": "A deployment alarm (5xx, unhealthy tasks) that rolls a "
    "deployment back.",
    "StatelessService.scaling_policy": "Target-tracking policy (CPU, memory, requests).",
    "scheduled_scaling": "One scheduled change of the task count range.",
    "kubernetes_service": "Kubernetes Service in front of the pods.",
    "target_group_binding": "TargetGroupBinding through which the load balancer controller "
    "registers the Pods' IPs in the service's target group.",
    "horizontal_pod_autoscaler": "HorizontalPodAutoscaler (CPU, memory).",
    "pod_disruption_budget": "PodDisruptionBudget keeping pods up during node changes.",
    "StatelessService.ingress": "Kubernetes Ingress the load balancer controller turns "
    "into ALB rules.",
    "StatelessService.compose_parameter": "SSM parameter holding the service's compose fragment.",
    "metric_filter": "Log metric filter turning the proxy's access log into request, 5xx, "
    "latency and health-check metrics.",
    # TrafficCutover
    "old_record": "Weighted Route 53 record of the old front door (no health check).",
    "new_record": "Weighted Route 53 record of the new front door, with the health check.",
    "TrafficCutover.health_check": "Route 53 CLOUDWATCH_METRIC health check following the "
    "rollback alarm.",
    "TrafficCutover.alarm": "The new side's CloudFront 5xx-rate alarm the health check follows.",
    "alarm_provider": "us-east-1 provider of that alarm (CloudFront's metrics live there).",
    # PostgresReplication
    "vpc_role": "The account-wide IAM role `dms-vpc-role` DMS needs before any replication "
    "subnet group.",
    "vpc_role_policy_attachment": "AWS's AmazonDMSVPCManagementRole policy on that role.",
    "source_ingress": "Rule admitting DMS's security group to the source PostgreSQL on 5432.",
    "source_endpoint": "DMS source endpoint: the single server's PostgreSQL over TLS, "
    "credentials from Secrets Manager.",
    "target_endpoint": "DMS target endpoint: the managed PostgreSQL over TLS, credentials "
    "from Secrets Manager.",
    "replication_config": "DMS Serverless replication: full load, then ongoing changes.",
    "PostgresReplication.egress_rule": "DMS's only egress: the two databases' ports.",
    "PostgresReplication.secrets_role": "Role DMS assumes to read exactly the two endpoints' "
    "Secrets Manager secrets.",
    "PostgresReplication.secrets_role_policy": "GetSecretValue on those two secret ARNs.",
    "PostgresReplication.subnet_group": "DMS replication subnet group in the private subnets "
    "(two AZs at least).",
    "PostgresReplication.security_group": "DMS's own security group.",
    "PostgresReplication.alarm": "CDC latency alarms (source and target side).",
    "failure_rule": "EventBridge rule on the replication failing.",
    "failure_target": "Sends that rule's events to the alarm topic.",
}


__all__ = ["ROLE_PURPOSES", "role_purpose"]
