"""SingleServer: the plan it registers, its safety defaults, and what it refuses."""

from __future__ import annotations

import base64
import gzip
import json
import re
from typing import Any

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.platforms.single_server.compose import ContainerSpec, ProxyRoute
from gridops_infra.platforms.single_server.types import (
    instance_memory_mib,
    instance_type_error,
    instance_vcpus,
)
from gridops_infra.policy.engine import check_plan
from gridops_infra.testing import preview, reveal
from gridops_infra.testing.plan import Plan, ResourceRecord
from gridops_infra.testing.validators import iam_findings

SERVER = "gridops:aws:SingleServer"
INSTANCE = "aws:ec2/instance:Instance"
VOLUME = "aws:ebs/volume:Volume"
ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment"
PARAMETER = "aws:ssm/parameter:Parameter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ROLE = "aws:iam/role:Role"
ATTACH_POLICY = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
DLM = "aws:dlm/lifecyclePolicy:LifecyclePolicy"
BUCKET = "aws:s3/bucket:Bucket"

captured: dict[str, Any] = {}


def server_program(extra: dict[str, Any] | None = None, image: str | None = None):
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "none"})
        server = SingleServer("mvp", {"network": net, **(extra or {})})
        captured["server"] = server
        captured["network"] = net
        if image:
            server.add_container(
                ContainerSpec(
                    name="api",
                    image=image,
                    port=8080,
                    routes=(ProxyRoute(path_patterns=("/api/*",)),),
                    health_check_path="/healthz",
                    memory_mb=512,
                    cpus=0.5,
                    replicas=2,
                    environment={"LOG_LEVEL": "info"},
                    secrets={"TOKEN": "arn:aws:ssm:us-east-1:123456789012:parameter/acme/token"},
                )
            )

    return program


def mine(plan: Plan, token: str) -> list[ResourceRecord]:
    return [r for r in plan.of_type(token) if r.name.startswith("mvp")]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(server_program(image="ghcr.io/acme/api:1.0.0"), stack="single-server")


@pytest.fixture(scope="module")
def plan_new_image() -> Plan:
    return preview(server_program(image="ghcr.io/acme/api:1.1.0"), stack="single-server")


def user_data(plan: Plan) -> str:
    packed = base64.b64decode(plan.one(INSTANCE).inputs["userDataBase64"])
    return gzip.decompress(packed).decode()


def policy_json(value: Any) -> dict[str, Any]:
    return json.loads(reveal(value))


# -- shape ------------------------------------------------------------------------------


def test_plan_shape(plan: Plan) -> None:
    server = plan.one(SERVER)
    children = {r.type for r in plan.children_of(server.urn)}
    assert {
        INSTANCE,
        VOLUME,
        ATTACHMENT,
        "aws:ec2/eip:Eip",
        "aws:ec2/networkInterface:NetworkInterface",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:iam/instanceProfile:InstanceProfile",
        DLM,
        BUCKET,
        PARAMETER,
        ALARM,
    } <= children
    assert len(plan.of_type(INSTANCE)) == 1
    assert len(mine(plan, VOLUME)) == 1
    # every child is parented to the server, so an alias on it carries them along
    assert all(r.parent == server.urn for r in plan if r.name.startswith("mvp-"))


def test_outputs(plan: Plan) -> None:
    outputs = plan.one(SERVER).outputs
    assert outputs["kind"] == "single-server"
    eip = plan.one("aws:ec2/eip:Eip")
    assert outputs["public_ip"] == eip.outputs["publicIp"]
    assert outputs["url"] == f"https://{eip.outputs['publicIp']}"
    assert outputs["instance_id"] == plan.one(INSTANCE).id
    assert outputs["data_volume_id"] == mine(plan, VOLUME)[0].id
    assert outputs["backup_bucket"] == plan.one(BUCKET, "mvp-backups").outputs["bucket"]
    assert outputs["security_group_id"] == plan.one("aws:ec2/securityGroup:SecurityGroup").id
    server = captured["server"]
    assert server.kind == "single-server" and server.network is captured["network"]


def test_latest_al2023_arm64_ami_and_graviton_default(plan: Plan) -> None:
    instance = plan.one(INSTANCE).inputs
    assert instance["instanceType"] == "t4g.large"
    assert instance["ami"].startswith("ami-")
    assert "ami" in plan.one(INSTANCE).ignore_changes


def test_instance_sits_in_a_public_subnet_behind_the_elastic_ip(plan: Plan) -> None:
    eni = plan.one("aws:ec2/networkInterface:NetworkInterface")
    public = [r for r in plan.of_type("aws:ec2/subnet:Subnet") if "public" in r.name]
    assert eni.inputs["subnetId"] == public[0].id
    eip = plan.one("aws:ec2/eip:Eip")
    assert eip.inputs["networkInterface"] == eni.id
    instance = plan.one(INSTANCE)
    assert instance.inputs["primaryNetworkInterface"]["networkInterfaceId"] == eni.id
    assert eip.urn in instance.dependencies  # the address exists before first boot
    assert instance.delete_before_replace
    assert not instance.inputs.get("associatePublicIpAddress")


# -- security ---------------------------------------------------------------------------


def test_imdsv2_required_with_hop_limit_two(plan: Plan) -> None:
    options = plan.one(INSTANCE).inputs["metadataOptions"]
    assert options["httpTokens"] == "required"
    assert options["httpPutResponseHopLimit"] == 2
    assert options["httpEndpoint"] == "enabled"


def test_both_volumes_are_encrypted_gp3(plan: Plan) -> None:
    root = plan.one(INSTANCE).inputs["rootBlockDevice"]
    assert root["encrypted"] is True and root["volumeType"] == "gp3"
    data = mine(plan, VOLUME)[0].inputs
    assert data["encrypted"] is True and data["type"] == "gp3"
    assert data["size"] == 50


def test_security_group_admits_80_and_443_for_the_ip_certificate(plan: Plan) -> None:
    # HTTPS on the Elastic IP; 80 redirects and answers Let's Encrypt's HTTP-01 challenge.
    rules = mine(plan, INGRESS)
    assert sorted((r.inputs["fromPort"], r.inputs["toPort"]) for r in rules) == [
        (80, 80),
        (443, 443),
    ]
    assert {r.inputs["cidrIpv4"] for r in rules} == {"0.0.0.0/0"}
    assert all(r.inputs["ipProtocol"] == "tcp" for r in rules)
    assert not any(r.inputs["fromPort"] <= 22 <= r.inputs["toPort"] for r in rules)
    sg = plan.one("aws:ec2/securityGroup:SecurityGroup")
    assert not sg.inputs.get("ingress")  # no inline rules either
    assert "keyName" not in plan.one(INSTANCE).inputs


def test_egress_is_https_out_and_the_vpc(plan: Plan) -> None:
    rules = {
        (r.inputs["cidrIpv4"], r.inputs["fromPort"], r.inputs["toPort"]) for r in mine(plan, EGRESS)
    }
    assert rules == {("0.0.0.0/0", 443, 443), ("10.0.0.0/16", 0, 65535)}


def test_session_manager_and_cloudwatch_agent_managed_policies(plan: Plan) -> None:
    role = plan.one(ROLE, "mvp-role")
    attached = {
        r.inputs["policyArn"]
        for r in plan.of_type(ATTACH_POLICY)
        if r.inputs["role"] == role.outputs["name"]
    }
    assert attached == {
        "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    }


def test_iam_documents_pass_parliament(plan: Plan) -> None:
    server = captured["server"]
    assert (
        iam_findings(
            reveal(plan.one("aws:iam/rolePolicy:RolePolicy", "mvp-role-host").inputs["policy"])
        )
        == []
    )
    assert iam_findings(server.instance_trust_policy, trust=True) == []
    assert iam_findings(server.snapshot_trust_policy, trust=True) == []
    for name in ("mvp-backups-policy", "mvp-backup-logs-policy"):
        document = plan.one("aws:s3/bucketPolicy:BucketPolicy", name).inputs["policy"]
        assert iam_findings(reveal(document)) == []
    trusts = {r.name: json.loads(r.inputs["assumeRolePolicy"]) for r in mine(plan, ROLE)}
    assert trusts["mvp-role"]["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert trusts["mvp-dlm-role"]["Statement"][0]["Principal"] == {"Service": "dlm.amazonaws.com"}


def test_host_policy_reads_its_own_parameters_and_only_puts_dumps(plan: Plan) -> None:
    doc = policy_json(plan.one("aws:iam/rolePolicy:RolePolicy", "mvp-role-host").inputs["policy"])
    by_sid = {st["Sid"]: st for st in doc["Statement"]}
    assert set(by_sid) == {"ReadComposeFragments", "ReadDatabaseSecrets", "WriteDatabaseDumps"}
    path = "arn:aws:ssm:us-east-1:123456789012:parameter/gridops/gridops/single-server/mvp"
    assert by_sid["ReadComposeFragments"]["Action"] == ["ssm:GetParametersByPath"]
    assert by_sid["ReadComposeFragments"]["Resource"] == [f"{path}/compose", f"{path}/compose/*"]
    assert by_sid["ReadDatabaseSecrets"]["Action"] == ["ssm:GetParameter"]
    assert sorted(by_sid["ReadDatabaseSecrets"]["Resource"]) == [
        f"{path}/database/password",
        f"{path}/database/url",
    ]
    bucket = plan.one(BUCKET, "mvp-backups").outputs["bucket"]
    assert by_sid["WriteDatabaseDumps"] == {
        "Sid": "WriteDatabaseDumps",
        "Effect": "Allow",
        "Action": ["s3:PutObject"],
        "Resource": [f"arn:aws:s3:::{bucket}/postgres/*"],
    }
    assert all(st["Effect"] == "Allow" and "*" not in st["Resource"] for st in doc["Statement"])


def test_backup_bucket_is_private_encrypted_versioned_and_expires_dumps(plan: Plan) -> None:
    bucket = plan.one(BUCKET, "mvp-backups")
    assert bucket.retain_on_delete and bucket.inputs["forceDestroy"] is False

    def config(token: str) -> dict[str, Any]:
        found = [r for r in plan.of_type(token) if r.inputs.get("bucket") == bucket.id]
        assert len(found) == 1, token
        return found[0].inputs

    block = config("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block[k]
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    sse = config(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert sse["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"
    assert config("aws:s3/bucketVersioning:BucketVersioning")["versioningConfiguration"] == {
        "status": "Enabled"
    }
    (rule,) = config("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
    assert rule["filter"] == {"prefix": "postgres/"}
    assert rule["expiration"]["days"] == 30
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 30
    policy = policy_json(config("aws:s3/bucketPolicy:BucketPolicy")["policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny"  # the bucket policy grants nothing
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_backup_bucket_requests_are_logged_to_a_private_expiring_bucket_of_their_own(
    plan: Plan,
) -> None:
    backups = plan.one(BUCKET, "mvp-backups")
    logs = plan.one(BUCKET, "mvp-backup-logs")
    assert logs.retain_on_delete and logs.inputs["forceDestroy"] is False
    logging = plan.of_type("aws:s3/bucketLogging:BucketLogging")
    (entry,) = [r for r in logging if r.inputs["bucket"] == backups.id]
    assert entry.inputs["targetBucket"] == logs.id
    assert entry.inputs["targetPrefix"] == "backups/"
    # The log bucket does not log itself.
    assert not [r for r in logging if r.inputs["bucket"] == logs.id]

    def config(token: str) -> dict[str, Any]:
        (found,) = [r for r in plan.of_type(token) if r.inputs.get("bucket") == logs.id]
        return found.inputs

    block = config("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert all(
        block[k]
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    assert config("aws:s3/bucketOwnershipControls:BucketOwnershipControls")["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"
    }
    sse = config(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    # S3 delivers server access logs only to targets encrypted with SSE-S3.
    assert sse["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"
    assert config("aws:s3/bucketVersioning:BucketVersioning")["versioningConfiguration"] == {
        "status": "Enabled"
    }
    (rule,) = config("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
    assert rule["expiration"]["days"] == 90  # at least 90 days, longer when dumps live longer
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 90
    policy = policy_json(config("aws:s3/bucketPolicy:BucketPolicy")["policy"])
    deny, writer = policy["Statement"]
    assert deny["Effect"] == "Deny"
    assert writer["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert writer["Action"] == ["s3:PutObject"]
    log_bucket = logs.outputs["bucket"]
    assert writer["Resource"] == [f"arn:aws:s3:::{log_bucket}/backups/*"]
    assert writer["Condition"]["ArnLike"] == {"aws:SourceArn": backups.outputs["arn"]}
    assert iam_findings(json.dumps(policy)) == []


def test_access_logs_live_as_long_as_the_dumps_they_cover() -> None:
    plan = preview(server_program({"database_backup_retention_days": 400}), stack="single-server")
    logs = plan.one(BUCKET, "mvp-backup-logs")
    (lifecycle,) = [
        r
        for r in plan.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        if r.inputs["bucket"] == logs.id
    ]
    assert lifecycle.inputs["rules"][0]["expiration"]["days"] == 400


def test_policy_pack_finds_no_mandatory_violation(plan: Plan) -> None:
    report = check_plan(plan)
    assert report.mandatory_failures == [], report.render_text()


# -- data safety ------------------------------------------------------------------------


def test_data_volume_is_protected_retained_and_snapshotted_on_delete(plan: Plan) -> None:
    volume = mine(plan, VOLUME)[0]
    assert volume.protect and volume.retain_on_delete
    assert volume.inputs["finalSnapshot"] is True
    subnet = next(r for r in plan.of_type("aws:ec2/subnet:Subnet") if "public" in r.name)
    assert volume.inputs["availabilityZone"] == subnet.inputs["availabilityZone"]
    attachment = plan.one(ATTACHMENT).inputs
    assert attachment["volumeId"] == volume.id
    assert attachment["instanceId"] == plan.one(INSTANCE).id
    assert attachment["stopInstanceBeforeDetaching"] is True
    # a separate volume is never deleted with the instance: only the root is
    assert "ebsBlockDevices" not in plan.one(INSTANCE).inputs
    assert plan.one(INSTANCE).inputs["rootBlockDevice"]["deleteOnTermination"] is True


def test_daily_snapshots_kept_14_days(plan: Plan) -> None:
    policy = plan.one(DLM).inputs
    details = policy["policyDetails"]
    volume = mine(plan, VOLUME)[0]
    assert details["resourceTypes"] == ["VOLUME"]
    ((key, value),) = details["targetTags"].items()
    assert volume.inputs["tags"][key] == value  # the policy targets exactly this volume
    (schedule,) = details["schedules"]
    assert schedule["createRule"] == {"interval": 24, "intervalUnit": "HOURS", "times": "04:00"}
    assert schedule["retainRule"] == {"count": 14}
    role = plan.one(ROLE, "mvp-dlm-role")
    assert policy["executionRoleArn"] == role.outputs["arn"]
    attached = [
        r.inputs["policyArn"]
        for r in plan.of_type(ATTACH_POLICY)
        if r.inputs["role"] == role.outputs["name"]
    ]
    assert attached == ["arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"]


def test_alarms_recover_and_reboot_the_instance(plan: Plan) -> None:
    alarms = {r.name.removeprefix("mvp-alarm-"): r.inputs for r in mine(plan, ALARM)}
    assert set(alarms) == {
        "system-check",
        "instance-check",
        "cpu",
        "memory",
        "data-disk",
        "db-backup",
    }
    instance_id = plan.one(INSTANCE).id
    system = alarms["system-check"]
    # Without a topic of the user's, the server's own alarm topic hears every alarm.
    topic = plan.one("aws:sns/topic:Topic", "mvp-alarm-topic").outputs["arn"]
    assert system["metricName"] == "StatusCheckFailed_System"
    assert system["alarmActions"] == ["arn:aws:automate:us-east-1:ec2:recover", topic]
    assert system["dimensions"] == {"InstanceId": instance_id}
    instance = alarms["instance-check"]
    assert instance["metricName"] == "StatusCheckFailed_Instance"
    assert instance["alarmActions"] == ["arn:aws:automate:us-east-1:ec2:reboot", topic]
    assert all(a["okActions"] == [topic] for a in alarms.values())
    assert alarms["cpu"]["metricName"] == "CPUUtilization" and alarms["cpu"]["threshold"] == 80
    assert alarms["data-disk"]["dimensions"] == {"InstanceId": instance_id, "path": "/data"}
    backup = alarms["db-backup"]
    assert backup["namespace"] == "Gridops/SingleServer"
    assert backup["treatMissingData"] == "breaching"  # no dump at all is the failure


def test_alarm_topic_is_notified() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:oncall"
    plan = preview(server_program({"alarm_topic_arn": topic, "database": False}))
    alarms = {r.name.removeprefix("mvp-alarm-"): r.inputs for r in mine(plan, ALARM)}
    assert "db-backup" not in alarms
    assert alarms["system-check"]["alarmActions"] == [
        "arn:aws:automate:us-east-1:ec2:recover",
        topic,
    ]
    assert all(a["okActions"] == [topic] for a in alarms.values())
    assert not mine(plan, BUCKET)  # no database: no dump bucket
    assert not plan.of_type("aws:sns/topic:Topic")  # the user's topic replaces ours


# -- deploys never touch the instance ---------------------------------------------------


def test_user_data_is_stable_and_holds_no_compose_content(plan: Plan) -> None:
    script = user_data(plan)
    assert "ghcr.io/acme/api" not in script
    assert "postgres:16" not in script and "POSTGRES_PASSWORD" not in script
    assert "GRIDOPS_SECRET__" not in script and "pg_dump --format" not in script
    assert "/gridops/gridops/single-server/mvp/compose" in script
    assert "amazon-cloudwatch-agent" in script
    assert "gridops-agent.timer" in script
    assert plan.one(INSTANCE).inputs["userDataReplaceOnChange"] is False


def test_changing_an_image_changes_only_that_services_parameter(
    plan: Plan, plan_new_image: Plan
) -> None:
    before = {r.urn: r.inputs for r in plan}
    after = {r.urn: r.inputs for r in plan_new_image}
    assert before.keys() == after.keys()
    changed = [urn for urn in before if before[urn] != after[urn]]
    assert [urn.rsplit("::", 1)[-1] for urn in changed] == ["mvp-api-compose"]
    instance = plan.one(INSTANCE).urn
    volume = mine(plan, VOLUME)[0].urn
    assert before[instance] == after[instance] and before[volume] == after[volume]
    old = json.loads(plan.one(PARAMETER, "mvp-api-compose").inputs["insecureValue"])
    new = json.loads(plan_new_image.one(PARAMETER, "mvp-api-compose").inputs["insecureValue"])
    assert old["services"]["api"]["image"] == "ghcr.io/acme/api:1.0.0"
    assert new["services"]["api"]["image"] == "ghcr.io/acme/api:1.1.0"


def test_container_parameter_holds_references_not_secrets(plan: Plan) -> None:
    param = plan.one(PARAMETER, "mvp-api-compose").inputs
    assert param["name"] == "/gridops/gridops/single-server/mvp/compose/api"
    assert param["type"] == "String" and param["tier"] == "Standard"
    fragment = json.loads(param["insecureValue"])
    api = fragment["services"]["api"]
    assert api["environment"]["TOKEN"] == "${GRIDOPS_SECRET__API__TOKEN}"
    assert fragment["x-gridops"]["secrets"] == {
        "GRIDOPS_SECRET__API__TOKEN": "arn:aws:ssm:us-east-1:123456789012:parameter/acme/token"
    }
    assert api["deploy"] == {
        "replicas": 2,
        "resources": {"limits": {"cpus": "0.5", "memory": "512M"}},
    }


def test_database_password_is_a_secure_string_and_never_plain(plan: Plan) -> None:
    params = {r.name: r.inputs for r in plan.of_type(PARAMETER)}
    password = params["mvp-db-password-parameter"]
    assert password["type"] == "SecureString"
    assert type(password["value"]).__name__ == "SecretValue"
    assert params["mvp-db-url-parameter"]["type"] == "SecureString"
    base = params["mvp-compose-base"]["insecureValue"]
    assert reveal(password["value"]) not in base
    fragment = json.loads(base)
    postgres = fragment["services"]["postgres"]
    assert (
        postgres["environment"]["POSTGRES_PASSWORD"]
        == "${GRIDOPS_SECRET__POSTGRES__POSTGRES_PASSWORD}"
    )
    assert postgres["networks"] == ["db"] and fragment["networks"]["db"] == {"internal": True}
    assert postgres["volumes"] == ["/data/postgres:/var/lib/postgresql/data"]


def test_backup_script_ships_in_the_base_fragment(plan: Plan) -> None:
    fragment = json.loads(plan.one(PARAMETER, "mvp-compose-base").inputs["insecureValue"])
    script = fragment["x-gridops"]["files"]["backup/pg-backup.sh"]
    bucket = plan.one(BUCKET, "mvp-backups").outputs["bucket"]
    assert f"BUCKET={bucket}" in script
    assert "pg_dump --format=custom" in script
    assert "s3://$BUCKET/postgres/$DB_NAME/$stamp.dump" in script and "--sse AES256" in script
    assert "DatabaseBackupSucceeded" in script
    assert "OnCalendar=*-*-* 03:00:00 UTC" in user_data(plan)


def test_database_link_grant() -> None:
    grants: dict[str, Any] = {}

    def program() -> None:
        server_program()()
        db = captured["server"].database
        grants["grant"] = db.link_grant()
        grants["network"] = db.allow_from("api", captured["server"].security_group_id)
        try:
            db.allow_from("elsewhere", "sg-0123")
        except ValueError as exc:
            grants["refused"] = str(exc)

    plan = preview(program)
    grant = grants["grant"]
    assert grant.environment == {
        "DATABASE_HOST": "postgres",
        "DATABASE_PORT": "5432",
        "DATABASE_NAME": "app",
        "DATABASE_USER": "app",
        "DATABASE_SSLMODE": "disable",
    }
    assert set(grant.secrets) == {"DATABASE_PASSWORD", "DATABASE_URL"}
    assert grants["network"] == "db"
    assert "only be linked by services on this server" in grants["refused"]
    url = reveal(plan.one(PARAMETER, "mvp-db-url-parameter").inputs["value"])
    assert url.startswith("postgresql://app:") and url.endswith("@postgres:5432/app")


def test_domain_gets_https_and_a_record() -> None:
    plan = preview(
        server_program(
            {
                "domain": "App.Example.com",
                "zone_id": "Z0123456789ABC",
                "acme_email": "ops@example.com",
            }
        )
    )
    record = plan.one("aws:route53/record:Record").inputs
    assert record["name"] == "app.example.com" and record["type"] == "A"
    assert record["records"] == [plan.one("aws:ec2/eip:Eip").outputs["publicIp"]]
    assert plan.one(SERVER).outputs["url"] == "https://app.example.com"
    caddyfile = json.loads(plan.one(PARAMETER, "mvp-compose-base").inputs["insecureValue"])[
        "x-gridops"
    ]["files"]["caddy/Caddyfile"]
    assert "app.example.com {" in caddyfile and "email ops@example.com" in caddyfile
    ports = sorted((r.inputs["fromPort"], r.inputs["cidrIpv4"]) for r in plan.of_type(INGRESS))
    assert ports == [(80, "0.0.0.0/0"), (443, "0.0.0.0/0")]


def caddyfile_of(plan: Plan) -> str:
    fragment = json.loads(plan.one(PARAMETER, "mvp-compose-base").inputs["insecureValue"])
    return fragment["x-gridops"]["files"]["caddy/Caddyfile"]


def test_without_a_domain_the_proxy_serves_https_on_the_elastic_ip(plan: Plan) -> None:
    ip = plan.one("aws:ec2/eip:Eip").outputs["publicIp"]
    caddyfile = caddyfile_of(plan)
    assert f"\n{ip} {{\n\ttls {{\n\t\tissuer acme {{\n\t\t\tprofile shortlived\n" in caddyfile
    assert ":80 {" not in caddyfile
    assert plan.one(SERVER).outputs["url"] == f"https://{ip}"
    assert not plan.of_type("aws:route53/record:Record")


def test_ip_certificate_off_keeps_plain_http_on_port_80_only() -> None:
    plan = preview(server_program({"ip_certificate": False}), stack="single-server")
    ip = plan.one("aws:ec2/eip:Eip").outputs["publicIp"]
    assert plan.one(SERVER).outputs["url"] == f"http://{ip}"
    assert ":80 {" in caddyfile_of(plan) and "profile" not in caddyfile_of(plan)
    rules = mine(plan, INGRESS)
    assert [(r.inputs["fromPort"], r.inputs["toPort"]) for r in rules] == [(80, 80)]
    report = check_plan(plan)
    assert "public-http-without-tls" in {v.rule for v in report.violations}


def test_restricted_ingress_cidrs_leave_the_ip_certificate_off() -> None:
    """Let's Encrypt validates from addresses it does not publish: a host only some ranges
    reach could never get its certificate, so it keeps HTTP on 80 by default."""
    plan = preview(server_program({"ingress_cidrs": ["203.0.113.0/24"]}), stack="single-server")
    assert plan.one(SERVER).outputs["url"].startswith("http://")
    rules = mine(plan, INGRESS)
    assert [(r.inputs["fromPort"], r.inputs["cidrIpv4"]) for r in rules] == [(80, "203.0.113.0/24")]


def test_the_acme_contact_goes_to_the_ip_certificate_issuer() -> None:
    plan = preview(server_program({"acme_email": "ops@example.com"}), stack="single-server")
    assert "\t\tissuer acme {\n\t\t\temail ops@example.com\n" in caddyfile_of(plan)


def test_with_the_ip_certificate_containers_may_not_route_hosts() -> None:
    errors: list[str] = []

    def program() -> None:
        server_program()()
        server: SingleServer = captured["server"]
        try:
            server.add_container(
                ContainerSpec(
                    name="admin",
                    image="nginx:1",
                    port=80,
                    routes=(ProxyRoute(hosts=("admin.example.com",)),),
                )
            )
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    (error,) = errors
    assert "'admin.example.com'" in error and "ip_certificate" in error and "domain" in error
    assert "mvp-admin-compose" not in {r.name for r in plan}


def test_x86_and_restore_from_snapshot() -> None:
    plan = preview(
        server_program(
            {
                "architecture": "x86_64",
                "instance_type": "m7i.large",
                "data_volume_snapshot_id": "snap-0123456789abcdef0",
                "data_volume_gb": 200,
                "protect_data": False,
            }
        )
    )
    assert plan.one(INSTANCE).inputs["instanceType"] == "m7i.large"
    volume = mine(plan, VOLUME)[0]
    assert volume.inputs["snapshotId"] == "snap-0123456789abcdef0"
    assert volume.inputs["size"] == 200
    assert not volume.protect and volume.inputs["finalSnapshot"] is False


# -- containers the host cannot run -----------------------------------------------------


def test_containers_are_checked_against_the_host() -> None:
    errors: list[str] = []

    def program() -> None:
        server_program()()
        server: SingleServer = captured["server"]
        for spec in (
            ContainerSpec(name="big", image="nginx:1", memory_mb=8192),
            ContainerSpec(name="postgres", image="nginx:1"),
            ContainerSpec(name="Bad_Name", image="nginx:1"),
            ContainerSpec(name="noport", image="nginx:1", routes=(ProxyRoute(),)),
        ):
            try:
                server.add_container(spec)
            except ValueError as exc:
                errors.append(str(exc))
        server.add_container(ContainerSpec(name="ok", image="nginx:1", memory_mb=256))
        try:
            server.add_container(ContainerSpec(name="ok", image="nginx:2"))
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert len(errors) == 5
    assert "asks for 8192 MiB" in errors[0] and "t4g.large" in errors[0]
    assert "already runs here" in errors[1] and "already runs here" in errors[4]
    assert "DNS label" in errors[2]
    assert "routes need the container port" in errors[3]
    params = [r.name for r in plan.of_type(PARAMETER) if "compose" in r.name]
    assert sorted(params) == ["mvp-compose-base", "mvp-ok-compose"]


# -- bad input --------------------------------------------------------------------------

BAD_ARGS = [
    ({"instance_type": "t4g.huge"}, "instance_type"),
    ({"instance_type": "m7i.large"}, "instance_type"),  # x86 type on arm64
    ({"architecture": "x86_64", "instance_type": "t4g.medium"}, "instance_type"),
    ({"instance_type": "t4g.micro"}, "instance_type"),  # too small for the database
    ({"architecture": "riscv"}, "architecture"),
    ({"data_volume_gb": 0}, "data_volume_gb"),
    ({"data_volume_gb": 16385}, "data_volume_gb"),
    ({"data_volume_gb": "50"}, "data_volume_gb"),
    ({"root_volume_gb": 4}, "root_volume_gb"),
    ({"snapshot_retention_days": 0}, "snapshot_retention_days"),
    ({"snapshot_retention_days": 1001}, "snapshot_retention_days"),
    ({"database_backup_retention_days": 0}, "database_backup_retention_days"),
    ({"database_backup_retention_days": 3651}, "database_backup_retention_days"),
    ({"backup_time_utc": "25:00"}, "backup_time_utc"),
    ({"subnet_index": 2}, "subnet_index"),
    ({"ami_id": "ubuntu"}, "ami_id"),
    ({"data_volume_snapshot_id": "vol-123"}, "data_volume_snapshot_id"),
    ({"postgres_version": "9.6"}, "postgres_version"),
    ({"database_name": "App-DB"}, "database_name"),
    ({"database_memory_mb": 64}, "database_memory_mb"),
    ({"domain": "app.example.com"}, "domain"),
    ({"zone_id": "Z123"}, "zone_id"),
    ({"domain": "https://x", "zone_id": "Z123"}, "domain"),
    ({"ip_certificate": True, "domain": "app.example.com", "zone_id": "Z0123"}, "ip_certificate"),
    ({"ip_certificate": True, "behind_cdn": True}, "ip_certificate"),
    ({"ip_certificate": False, "behind_cdn": True}, "ip_certificate"),
    ({"ip_certificate": False, "domain": "app.example.com", "zone_id": "Z0123"}, "ip_certificate"),
    ({"ip_certificate": True, "ingress_cidrs": ["203.0.113.0/24"]}, "ip_certificate"),
    ({"ip_certificate": "yes"}, "ip_certificate"),
    ({"ingress_cidrs": ["10.0.0.1/8"]}, "ingress_cidrs"),
    ({"internet_egress_ports": [0]}, "internet_egress_ports"),
    ({"log_retention_days": 10}, "log_retention_days"),
    ({"alarm_topic_arn": "oncall"}, "alarm_topic_arn"),
    ({"cpu_alarm_percent": 101}, "cpu_alarm_percent"),
    ({"instance_typ": "t4g.small"}, "instance_typ"),
    ({"transforms": {"no_such_child": {}}}, "no_such_child"),
]


@pytest.mark.parametrize(("args", "field"), BAD_ARGS)
def test_bad_arguments_are_refused_before_anything_is_registered(
    args: dict[str, Any], field: str
) -> None:
    errors: list[str] = []

    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        try:
            SingleServer("mvp", {"network": net, **args})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert len(errors) == 1 and field in errors[0] and "SingleServer 'mvp'" in errors[0]
    assert not [r for r in plan if r.type == SERVER or r.name.startswith("mvp")]


@pytest.mark.parametrize("network", [None, "vpc-123", {"vpc_id": "vpc-1"}])
def test_a_wrong_network_is_refused(network: Any) -> None:
    with pytest.raises(ValueError, match=r"network=.* expected a Network"):
        preview(lambda: SingleServer("mvp", {"network": network}))


@pytest.mark.parametrize("name", ["mvp 1", "mvp/1", "mvp.1", ""])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="name="):
        preview(lambda: SingleServer(name, {}))


@pytest.mark.parametrize("name", ["Mvp", "mvp_1", "m" * 31, "1mvp"])
def test_names_the_bucket_cannot_take_get_a_derived_bucket_prefix(name: str) -> None:
    """S3 bucket names are lowercase, at most 63: the server's buckets keep autonaming
    through a lowercase bucket_prefix where the name would not fit as is."""
    plan = preview(
        lambda: SingleServer(name, {"network": Network("net", {"az_count": 2, "nat": "none"})})
    )
    buckets = plan.of_type("aws:s3/bucket:Bucket") + plan.of_type("aws:s3/bucketV2:BucketV2")
    assert buckets
    for bucket in buckets:
        prefix = bucket.inputs.get("bucketPrefix")
        generated = prefix + "x" * 26 if prefix else f"{bucket.name}-abcdefg".lower()
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", generated) and len(generated) <= 63


def test_graviton4_types_are_accepted_with_their_real_sizes() -> None:
    for family, gib_per_vcpu in (("m8g", 4), ("c8g", 2), ("r8g", 8)):
        assert instance_type_error(f"{family}.medium", "arm64") is None
        assert instance_type_error(f"{family}.48xlarge", "arm64") is None
        # Graviton4 skips 32xlarge, and is no x86_64 family.
        assert f"{family} comes in" in str(instance_type_error(f"{family}.32xlarge", "arm64"))
        assert "arm64 family" in str(instance_type_error(f"{family}.large", "x86_64"))
        assert instance_vcpus(f"{family}.xlarge") == 4
        assert instance_memory_mib(f"{family}.xlarge") == 4 * gib_per_vcpu * 1024
    plan = preview(server_program({"instance_type": "r8g.large"}))
    assert plan.one(INSTANCE).inputs["instanceType"] == "r8g.large"
