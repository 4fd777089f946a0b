"""Edge cases of the rules, on hand-built Plan records (no preview needed): exemptions,
defaults, and the cross-resource matching of the stack rules."""

from __future__ import annotations

import json
from typing import Any

from policy_programs import plan_of, record, urn_of

from gridops_infra.policy import Violation, check_plan
from gridops_infra.testing import ResourceRecord
from gridops_infra.testing.plan import UNKNOWN, SecretValue

RDS = "aws:rds/instance:Instance"
CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
LB = "aws:lb/loadBalancer:LoadBalancer"
ELB = "aws:elb/loadBalancer:LoadBalancer"
LISTENER = "aws:lb/listener:Listener"
CERT = "aws:acm/certificate:Certificate"
CDN = "aws:cloudfront/distribution:Distribution"
RHP = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
QUEUE = "aws:sqs/queue:Queue"
REDRIVE = "aws:sqs/redrivePolicy:RedrivePolicy"
SERVICE = "aws:ecs/service:Service"
TASK = "aws:ecs/taskDefinition:TaskDefinition"
EKS = "aws:eks/cluster:Cluster"
KEY = "aws:kms/key:Key"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
POD = "kubernetes:core/v1:Pod"
CRONJOB = "kubernetes:batch/v1:CronJob"

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:"
REDIRECT = [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443"}}]
FORWARD = [{"type": "forward", "targetGroupArn": "arn:tg"}]


def found(rule: str, *records: ResourceRecord, enforcement: Any = None) -> list[Violation]:
    return check_plan(plan_of(*records), enforcement).of_rule(rule)


def messages(rule: str, *records: ResourceRecord) -> str:
    return " | ".join(v.message for v in found(rule, *records))


# --- RDS ------------------------------------------------------------------------------------

GOOD_DB = {
    "storageEncrypted": True,
    "backupRetentionPeriod": 7.0,
    "multiAz": True,
    "deletionProtection": True,
    "skipFinalSnapshot": False,
    "finalSnapshotIdentifier": "final",
}


def test_read_replicas_inherit_backups_encryption_and_snapshots() -> None:
    replica = record(RDS, "replica", {"replicateSourceDb": "db-1", "skipFinalSnapshot": True})
    for rule in (
        "rds-backup-retention",
        "rds-storage-encrypted",
        "rds-deletion-protection",
        "rds-multi-az",
        "stateful-resource-protected",
    ):
        assert found(rule, replica) == [], rule


def test_replica_of_an_unknown_source_is_still_a_replica() -> None:
    replica = record(RDS, "replica", {"replicateSourceDb": UNKNOWN})
    assert found("rds-storage-encrypted", replica) == []


def test_backup_retention_threshold_is_a_setting() -> None:
    db = record(RDS, "db", GOOD_DB)
    assert found("rds-backup-retention", db) == []
    (violation,) = found(
        "rds-backup-retention", db, enforcement={"rds-backup-retention": {"minimumDays": 14}}
    )
    assert "7 days; at least 14 days" in violation.message


def test_cluster_without_backup_retention_gets_one_day() -> None:
    assert "not set (AWS then keeps 1 day)" in messages(
        "rds-backup-retention", record(CLUSTER, "aurora", {})
    )


def test_a_final_snapshot_needs_an_identifier() -> None:
    db = record(RDS, "db", {**GOOD_DB, "finalSnapshotIdentifier": None})
    assert "finalSnapshotIdentifier is not set" in messages("rds-deletion-protection", db)


def test_public_aurora_cluster_instance_is_refused() -> None:
    instance = record(CLUSTER_INSTANCE, "aurora-1", {"publiclyAccessible": True})
    assert found("rds-not-publicly-accessible", instance)
    assert found("rds-not-publicly-accessible", record(CLUSTER_INSTANCE, "aurora-2", {})) == []


def test_aurora_serverless_v1_is_always_encrypted() -> None:
    cluster = record(CLUSTER, "old", {"engineMode": "serverless"})
    assert found("rds-storage-encrypted", cluster) == []


# --- stateful resources -----------------------------------------------------------------------


def test_protect_or_retain_on_delete_either_satisfies_the_options_half() -> None:
    protected = record(RDS, "a", GOOD_DB, protect=True)
    retained = record(RDS, "b", GOOD_DB, retain_on_delete=True)
    bare = record(RDS, "c", GOOD_DB)
    assert found("stateful-resource-protected", protected, retained) == []
    (violation,) = found("stateful-resource-protected", bare)
    assert "protect and retain_on_delete are both off" in violation.message


def test_deletion_protection_alone_guards_the_data() -> None:
    db = record(RDS, "db", {"deletionProtection": True, "skipFinalSnapshot": True}, protect=True)
    assert found("stateful-resource-protected", db) == []


def test_redis_needs_a_final_snapshot() -> None:
    redis = record(REDIS, "cache", {}, protect=True)
    assert "nor a final snapshot" in messages("stateful-resource-protected", redis)
    kept = record(REDIS, "kept", {"finalSnapshotIdentifier": "last"}, retain_on_delete=True)
    assert found("stateful-resource-protected", kept) == []


# --- load balancers and listeners -------------------------------------------------------------


def test_classic_elb_logs_are_on_when_the_block_is_there() -> None:
    assert found("lb-access-logs", record(ELB, "on", {"accessLogs": {"bucket": "logs"}})) == []
    off = record(ELB, "off", {"accessLogs": {"bucket": "logs", "enabled": False}})
    assert found("lb-access-logs", off)


def test_network_and_gateway_load_balancers() -> None:
    nlb = record(LB, "nlb", {"loadBalancerType": "network"})
    gwlb = record(LB, "gwlb", {"loadBalancerType": "gateway"})
    assert found("alb-drop-invalid-headers", nlb, gwlb) == []
    assert [v.resource_name for v in found("lb-access-logs", nlb, gwlb)] == ["nlb"]


def test_an_https_listener_alone_makes_the_redirect_mandatory() -> None:
    http = record(LISTENER, "http", {"port": 80.0, "protocol": "HTTP", "defaultActions": FORWARD})
    https = record(LISTENER, "https", {"port": 443.0, "protocol": "HTTPS", "certificateArn": "c"})
    assert found("alb-http-redirects-to-https", http, https)
    assert found("alb-http-without-tls", http, https) == []


def test_listener_without_protocol_on_port_80_is_http() -> None:
    http = record(LISTENER, "http", {"port": 80.0, "defaultActions": FORWARD})
    assert found("alb-http-without-tls", http)
    redirect = record(LISTENER, "http", {"port": 80.0, "defaultActions": REDIRECT})
    assert found("alb-http-without-tls", redirect) == []


def test_redirect_must_be_the_only_default_action() -> None:
    both = record(LISTENER, "http", {"protocol": "HTTP", "defaultActions": REDIRECT + FORWARD})
    cert = record(CERT, "cert", {"domainName": "api.example.com"}, outputs={"arn": "arn:cert"})
    assert found("alb-http-redirects-to-https", both, cert)


def test_a_certificate_used_only_by_cloudfront_does_not_make_alb_tls_mandatory() -> None:
    http = record(LISTENER, "http", {"protocol": "HTTP", "defaultActions": FORWARD})
    cert = record(CERT, "cdn-cert", {}, outputs={"arn": "arn:aws:acm:us-east-1:1:certificate/x"})
    cdn = record(
        CDN,
        "cdn",
        {"viewerCertificate": {"acmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/x"}},
    )
    assert found("alb-http-redirects-to-https", http, cert, cdn) == []
    assert found("alb-http-without-tls", http, cert, cdn)


# --- CloudFront -------------------------------------------------------------------------------


def distribution(behavior: dict[str, Any], **props: Any) -> ResourceRecord:
    base = {"viewerProtocolPolicy": "redirect-to-https", "targetOriginId": "o"}
    return record(CDN, "cdn", {"defaultCacheBehavior": {**base, **behavior}, **props})


def test_default_certificate_needs_no_tls_policy() -> None:
    cdn = distribution({}, viewerCertificate={"cloudfrontDefaultCertificate": True})
    assert found("cloudfront-minimum-tls", cdn) == []


def test_tls_1_3_policy_is_accepted() -> None:
    cert = {"acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1.3_2025"}
    assert found("cloudfront-minimum-tls", distribution({}, viewerCertificate=cert)) == []
    old = {"acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1.2_2019"}
    assert found("cloudfront-minimum-tls", distribution({}, viewerCertificate=old))


def test_ordered_behaviors_must_also_use_https() -> None:
    cdn = distribution(
        {"responseHeadersPolicyId": "67f7725c-6f97-4210-82d7-5512b31e9d03"},
        orderedCacheBehaviors=[{"pathPattern": "/img/*", "viewerProtocolPolicy": "allow-all"}],
    )
    assert "cache behavior '/img/*'" in messages("cloudfront-viewer-https", cdn)


def test_a_policy_from_elsewhere_cannot_be_verified() -> None:
    cdn = distribution({"responseHeadersPolicyId": "5cc3b908-e619-4b99-88e5-2cf7f45965bd"})
    assert "neither defined in this stack nor an AWS managed policy" in messages(
        "cloudfront-security-headers", cdn
    )


def test_policy_in_the_stack_is_matched_by_id_without_dependencies() -> None:
    hsts = {"strictTransportSecurity": {"accessControlMaxAgeSec": 63072000.0, "override": True}}
    policy = record(RHP, "headers", {"securityHeadersConfig": hsts}, outputs={"id": "rhp-1"})
    cdn = distribution({"responseHeadersPolicyId": "rhp-1"})
    assert found("cloudfront-security-headers", policy, cdn) == []
    no_hsts = record(RHP, "headers", {"securityHeadersConfig": {}}, outputs={"id": "rhp-1"})
    assert "sets no Strict-Transport-Security" in messages(
        "cloudfront-security-headers", no_hsts, cdn
    )


# --- S3 ---------------------------------------------------------------------------------------


def test_inline_encryption_counts() -> None:
    sse = {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}
    bucket = record(BUCKET, "b", {"serverSideEncryptionConfiguration": sse})
    assert found("s3-server-side-encryption", bucket) == []


def test_encryption_config_is_matched_by_bucket_name_without_dependencies() -> None:
    bucket = record(BUCKET, "b", {}, outputs={"bucket": "b-123"})
    other = record(BUCKET, "other", {}, outputs={"bucket": "other-123"})
    rules = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]
    config = record(SSE, "b-sse", {"bucket": "b-123", "rules": rules})
    assert [v.resource_name for v in found("s3-server-side-encryption", bucket, other, config)] == [
        "other"
    ]


def test_load_balancer_log_bucket_needs_no_access_log_of_its_own() -> None:
    logs = record(BUCKET, "logs", {}, outputs={"bucket": "logs-123"})
    lb = record(LB, "alb", {"accessLogs": {"bucket": "logs-123", "enabled": True}})
    assert found("s3-access-logging", logs, lb) == []
    assert found("s3-access-logging", logs)


# --- SQS --------------------------------------------------------------------------------------


def queue(name: str, **inputs: Any) -> ResourceRecord:
    return record(
        QUEUE, name, inputs, outputs={"arn": QUEUE_ARN + name, "url": f"https://sqs/{name}"}
    )


def test_dead_letter_queue_is_recognised_by_its_arn() -> None:
    policy = json.dumps({"deadLetterTargetArn": QUEUE_ARN + "dlq", "maxReceiveCount": 3})
    assert found("sqs-dead-letter-queue", queue("dlq"), queue("work", redrivePolicy=policy)) == []


def test_a_redrive_policy_resource_counts_for_its_queue() -> None:
    policy = json.dumps({"deadLetterTargetArn": QUEUE_ARN + "dlq", "maxReceiveCount": 3})
    redrive = record(
        REDRIVE, "work-redrive", {"queueUrl": "https://sqs/work", "redrivePolicy": policy}
    )
    assert found("sqs-dead-letter-queue", queue("work"), queue("dlq"), redrive) == []


def test_an_empty_redrive_policy_is_no_dead_letter_queue() -> None:
    assert found("sqs-dead-letter-queue", queue("work", redrivePolicy="{}"))


def test_a_redrive_policy_not_known_until_deploy_counts_as_set() -> None:
    dlq = queue("dlq")
    work = record(
        QUEUE,
        "work",
        {"redrivePolicy": UNKNOWN},
        property_dependencies={"redrivePolicy": [dlq.urn]},
    )
    assert found("sqs-dead-letter-queue", dlq, work) == []


# --- ECS --------------------------------------------------------------------------------------


def task(*containers: dict[str, Any]) -> ResourceRecord:
    return record(TASK, "task", {"containerDefinitions": json.dumps(list(containers))})


def test_code_deploy_services_are_not_checked_for_ecs_rollbacks() -> None:
    svc = record(SERVICE, "svc", {"deploymentController": {"type": "CODE_DEPLOY"}})
    assert found("ecs-deployment-circuit-breaker", svc) == []
    assert found("ecs-alarm-rollback", svc) == []


def test_alarm_rollback_needs_alarm_names() -> None:
    svc = record(SERVICE, "svc", {"alarms": {"alarmNames": [], "enable": True, "rollback": True}})
    assert found("ecs-alarm-rollback", svc)


def test_sidecar_and_essential_containers_are_separate_rules() -> None:
    td = task(
        {"name": "app", "readonlyRootFilesystem": True}, {"name": "agent", "essential": False}
    )
    assert found("ecs-readonly-root-essential", td) == []
    assert "sidecar container 'agent'" in messages("ecs-readonly-root-sidecar", td)


def test_secret_references_are_not_plaintext_secrets() -> None:
    env = [
        {"name": "STRIPE_API_KEY", "value": "sk_live_123"},
        {"name": "GITHUB_TOKEN", "value": "ghp_abc"},
        {"name": "DB_PASSWORD_ARN", "value": "whatever"},
        {"name": "JWT_SECRET", "value": "arn:aws:ssm:us-east-1:1:parameter/jwt"},
        {"name": "OAUTH_TOKEN_URL", "value": "https://auth.example.com/token"},
        {"name": "EMPTY_PASSWORD", "value": ""},
        {"name": "LOG_LEVEL", "value": "debug"},
    ]
    text = messages("ecs-no-plaintext-secrets", task({"name": "app", "environment": env}))
    assert "STRIPE_API_KEY" in text and "GITHUB_TOKEN" in text
    for name in ("DB_PASSWORD_ARN", "JWT_SECRET", "OAUTH_TOKEN_URL", "EMPTY_PASSWORD", "LOG_LEVEL"):
        assert name not in text


# --- EKS --------------------------------------------------------------------------------------


def eks(vpc: dict[str, Any]) -> ResourceRecord:
    return record(EKS, "eks", {"vpcConfig": vpc})


def test_private_only_endpoint_passes() -> None:
    cluster = eks({"endpointPrivateAccess": True, "endpointPublicAccess": False})
    assert found("eks-endpoint-access", cluster) == []


def test_ipv6_anywhere_is_open_too() -> None:
    cluster = eks({"endpointPrivateAccess": True, "publicAccessCidrs": ["::/0"]})
    assert "open to ::/0" in messages("eks-endpoint-access", cluster)


def test_public_cidrs_must_lie_within_the_allowed_ones() -> None:
    cluster = eks(
        {"endpointPrivateAccess": True, "publicAccessCidrs": ["203.0.113.8/29", "198.51.100.0/24"]}
    )
    allowed = {"eks-endpoint-access": {"allowedPublicCidrs": ["203.0.113.0/24"]}}
    (violation,) = found("eks-endpoint-access", cluster, enforcement=allowed)
    assert "198.51.100.0/24" in violation.message and "203.0.113.8/29" not in violation.message


def test_encryption_config_as_a_list_is_read_too() -> None:
    config = [{"resources": ["secrets"], "provider": {"keyArn": "arn:k"}}]
    assert found("eks-secrets-encryption", record(EKS, "eks", {"encryptionConfig": config})) == []


# --- IAM and KMS ------------------------------------------------------------------------------


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_admin_statement_in_a_list_of_actions() -> None:
    doc = policy(
        {"Sid": "Oops", "Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]}
    )
    assert "statement 'Oops'" in messages(
        "iam-no-admin-statements", record(ROLE_POLICY, "p", {"policy": doc})
    )


def test_deny_everything_and_scoped_wildcards_pass() -> None:
    doc = policy(
        {"Effect": "Deny", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"},
    )
    assert found("iam-no-admin-statements", record(ROLE_POLICY, "p", {"policy": doc})) == []


def test_administrator_access_attachment_is_refused() -> None:
    attach = record(ATTACHMENT, "a", {"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    assert found("iam-no-admin-statements", attach)
    ro = record(ATTACHMENT, "b", {"policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
    assert found("iam-no-admin-statements", ro) == []


def test_asymmetric_keys_are_not_asked_to_rotate() -> None:
    key = record(KEY, "sign", {"customerMasterKeySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY"})
    assert found("kms-key-rotation", key) == []


# --- ElastiCache ------------------------------------------------------------------------------


def test_single_node_needs_no_failover() -> None:
    assert (
        found("elasticache-automatic-failover", record(REDIS, "c", {"numCacheClusters": 1.0})) == []
    )


def test_cluster_mode_replicas_count_as_nodes() -> None:
    group = record(REDIS, "c", {"numNodeGroups": 2.0, "replicasPerNodeGroup": 1.0})
    assert "4 nodes" in messages("elasticache-automatic-failover", group)


def test_rbac_user_groups_or_a_secret_token_authenticate() -> None:
    rbac = record(REDIS, "rbac", {"userGroupIds": ["app-users"]})
    token = record(REDIS, "token", {"authToken": SecretValue("t" * 32)})
    assert found("elasticache-auth", rbac, token) == []


# --- EC2 --------------------------------------------------------------------------------------


def test_launch_templates_are_checked() -> None:
    lt = record(
        LAUNCH_TEMPLATE,
        "lt",
        {
            "networkInterfaces": [{"associatePublicIpAddress": "true"}],
            "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 8.0}}],
        },
    )
    assert found("ec2-no-public-ip", lt)
    assert "/dev/xvda is not encrypted" in messages("ebs-encryption", lt)
    assert found("ec2-imdsv2-required", lt)


# --- Kubernetes -------------------------------------------------------------------------------

GOOD_CONTAINER_SC = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
POD_SC = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}


def pod(spec: dict[str, Any]) -> ResourceRecord:
    return record(POD, "pod", {"spec": spec})


def test_pod_level_settings_are_inherited_by_containers() -> None:
    good = pod(
        {
            "securityContext": POD_SC,
            "containers": [{"name": "c", "securityContext": GOOD_CONTAINER_SC}],
        }
    )
    assert found("k8s-restricted-security-context", good) == []


def test_container_settings_override_the_pod() -> None:
    container_sc = {**GOOD_CONTAINER_SC, "runAsUser": 0.0, "seccompProfile": {"type": "Unconfined"}}
    bad = pod(
        {"securityContext": POD_SC, "containers": [{"name": "c", "securityContext": container_sc}]}
    )
    text = messages("k8s-restricted-security-context", bad)
    assert "runAsUser is 0" in text and "'Unconfined'" in text


def test_only_net_bind_service_may_be_added() -> None:
    sc = {
        **GOOD_CONTAINER_SC,
        "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "SYS_ADMIN"]},
    }
    bad = pod(
        {"securityContext": POD_SC, "initContainers": [{"name": "init", "securityContext": sc}]}
    )
    text = messages("k8s-restricted-security-context", bad)
    assert "container 'init'" in text and "SYS_ADMIN" in text and "NET_BIND_SERVICE" not in text


def test_cronjob_pod_spec_and_host_ports() -> None:
    spec = {
        "containers": [{"name": "c", "ports": [{"containerPort": 80.0, "hostPort": 80.0}]}],
        "hostPID": True,
    }
    job = record(CRONJOB, "job", {"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}})
    text = messages("k8s-no-host-access", job)
    assert "hostPID is true" in text and "binds hostPort 80" in text


# --- values the runner has to translate -------------------------------------------------------


def test_unknown_values_skip_the_rule_instead_of_guessing() -> None:
    db = record(RDS, "db", {**GOOD_DB, "storageEncrypted": UNKNOWN})
    report = check_plan(plan_of(db))
    assert report.of_rule("rds-storage-encrypted") == []
    (skipped,) = [s for s in report.skipped if s.rule == "rds-storage-encrypted"]
    assert skipped.resource_urn == urn_of(RDS, "db")
    assert "storageEncrypted" in skipped.reason and "preview" in skipped.reason


def test_secret_inputs_are_read_as_their_values() -> None:
    task_def = task({"name": "app", "readonlyRootFilesystem": True})
    secret = record(
        TASK, "task", {"containerDefinitions": SecretValue(task_def.inputs["containerDefinitions"])}
    )
    assert found("ecs-readonly-root-essential", secret) == []


def test_inline_logging_target_needs_no_access_log_of_its_own() -> None:
    logs = record(BUCKET, "logs", {}, outputs={"bucket": "logs-123"})
    app = record(BUCKET, "app", {"logging": {"targetBucket": "logs-123", "targetPrefix": "app/"}})
    assert found("s3-access-logging", logs, app) == []


# --- plain HTTP outside load balancer listeners ----------------------------------------------

SG = "aws:ec2/securityGroup:SecurityGroup"
SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def _group(name: str = "web", **inputs: Any) -> ResourceRecord:
    return record(SG, name, inputs, outputs={"id": f"sg-{name}"})


def _opening(port: int, group: str = "web", **inputs: Any) -> ResourceRecord:
    fields = {"securityGroupId": f"sg-{group}", "ipProtocol": "tcp", "fromPort": port}
    return record(SG_INGRESS, f"{group}-{port}", {**fields, "toPort": port, **inputs})


def test_a_group_serving_http_only_to_everyone_is_advised() -> None:
    assert "'web' opens port 80" in messages(
        "public-http-without-tls", _group(), _opening(80, cidrIpv4="0.0.0.0/0")
    )
    ipv6 = _opening(80, cidrIpv6="::/0")
    assert found("public-http-without-tls", _group(), ipv6)
    inline = _group(
        ingress=[{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]}]
    )
    assert found("public-http-without-tls", inline)


def test_https_beside_http_or_a_closed_80_passes() -> None:
    both = (_opening(80, cidrIpv4="0.0.0.0/0"), _opening(443, cidrIpv4="0.0.0.0/0"))
    assert found("public-http-without-tls", _group(), *both) == []
    office = _opening(80, cidrIpv4="203.0.113.0/24")
    assert found("public-http-without-tls", _group(), office) == []


def test_load_balancer_groups_are_left_to_the_listener_rule() -> None:
    lb = record("aws:lb/loadBalancer:LoadBalancer", "alb", {"securityGroups": ["sg-web"]})
    assert found("public-http-without-tls", _group(), _opening(80, cidrIpv4="0.0.0.0/0"), lb) == []


INGRESS_TYPE = "kubernetes:networking.k8s.io/v1:Ingress"


def _ingress(**annotations: str) -> ResourceRecord:
    prefixed = {
        f"alb.ingress.kubernetes.io/{k.replace('_', '-')}": v for k, v in annotations.items()
    }
    return record(INGRESS_TYPE, "web", {"metadata": {"annotations": prefixed}})


def test_internet_facing_ingress_without_https_is_advised() -> None:
    assert found("ingress-http-without-tls", _ingress(scheme="internet-facing"))  # default HTTP:80
    http = _ingress(scheme="internet-facing", listen_ports='[{"HTTP": 80}]')
    assert "listens on" in messages("ingress-http-without-tls", http)


def test_https_or_internal_ingress_passes() -> None:
    https = _ingress(scheme="internet-facing", listen_ports='[{"HTTPS": 443}]')
    assert found("ingress-http-without-tls", https) == []
    assert found("ingress-http-without-tls", _ingress(scheme="internal")) == []
