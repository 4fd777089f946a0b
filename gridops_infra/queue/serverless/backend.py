"""The Lambda backend of SqsWorkerQueue: the worker as a container-image Lambda function
that an SQS event source mapping invokes with batches of messages.

What the worker becomes:

- `function`: `image` (a private ECR image in the stack's region: Lambda pulls from
  nowhere else) with `command` as the image config's command (the handler), the
  function's timeout = `job_timeout_seconds` (at most 900 s), `memory` (128..10,240 MB),
  `ephemeral_storage_mb` of /tmp, `cpu_architecture`, `reserved_concurrency`, in the
  network's private subnets with its own security group (nothing comes in; out to the VPC
  and `internet_egress_ports`), linked databases and caches admitting that group as they
  admit a container worker's. Logs go to its own log group with `log_retention_days`.
- `event_source_mapping`: the queue -> the function, `batch_size`,
  `max_batching_window_seconds`, ReportBatchItemFailures (the handler returns
  `{"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}` and only those messages
  return to the queue) and `max_workers` as its maximum concurrency. The queue, its
  dead-letter queue and the redrive after `max_receive_count` receives are the container
  path's, unchanged; the visibility timeout is 6 x the function's timeout unless a larger
  one is given (a smaller one is refused).
- One role the function runs with (`function_role`, `function_policy`): receive, delete,
  change visibility and read attributes on this queue only (and decrypt with its key),
  write to its own log group, manage its network interfaces (the actions of AWS's
  AWSLambdaVPCAccessExecutionRole, scoped to this account and region), read exactly the
  secrets it references, plus the link grants and `task_statements`.
- Alarms: the queue's (dead-letter queue not empty, oldest message age) plus the
  function's Errors and Throttles, to `alarm_actions` or the platform's alarm topic.

Environment: `environment`, the links' settings, `QUEUE_URL` and `JOB_TIMEOUT_SECONDS`.
Lambda injects no secrets: each of `secrets` (and a link's secret) reaches the function as
`<NAME>_SECRET_ARN` holding its reference (an ARN, a Secrets Manager one possibly with its
`:json-key::` suffix), which the role may read and the handler fetches at start (or
through the AWS Parameters and Secrets Lambda Extension baked into the image); the value
never sits in the function's configuration.

The image's repository must let Lambda pull: in the same account, the first deployer with
`ecr:SetRepositoryPolicy` gets Lambda's statement added for it; across accounts, the
repository policy must allow the function's account (AWS's "Amazon ECR permissions").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from gridops_infra.core import iam
from gridops_infra.core.aws_rules import lambda_ as rules
from gridops_infra.core.aws_rules.vpc_endpoints import SECRETS_ENDPOINTS, SERVICE_API_ENDPOINT
from gridops_infra.core.component import GridopsComponent
from gridops_infra.core.links import LinkGrant
from gridops_infra.core.metrics import Metric
from gridops_infra.core.validation import ArgError
from gridops_infra.network.endpoints import GATEWAY_ENDPOINTS
from gridops_infra.platforms.serverless.component import LambdaPlatform
from gridops_infra.queue.args import QueueSettings
from gridops_infra.queue.backend import QueueRefs, WorkerOutputs
from gridops_infra.queue.iam import consume_statements, sid_name
from gridops_infra.queue.serverless.settings import FunctionSettings
from gridops_infra.service.fargate import backend as fargate_service
from gridops_infra.service.fargate import routing as fargate_routing
from gridops_infra.service.spec.checks import ECR_IMAGE, SSM_PARAMETER_ARN, secret_policy_arn
from gridops_infra.service.spec.settings import ServiceSpec

COMPONENT = "SqsWorkerQueue"
CHILD_ROLES = (
    "log_group",
    "security_group",
    "egress_rule",
    "function_role",
    "function_policy",
    "function",
    "event_source_mapping",
    "function_alarm",
)
WORKER_SUFFIX = "-worker"
SECRET_SUFFIX = "_SECRET_ARN"
ARCHITECTURES = {"ARM64": "arm64", "X86_64": "x86_64"}
VPC_DESCRIBE_ACTIONS = ("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets")
VPC_INTERFACE_ACTIONS = (
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:UnassignPrivateIpAddresses",
)
"""AWSLambdaVPCAccessExecutionRole's actions: Lambda creates and deletes the function's
network interfaces in its subnets with the function's own role."""
ALARM_PERIOD_SECONDS = 300


@dataclass(frozen=True)
class Prepared:
    """What `check` settled before anything was registered."""

    grant: LinkGrant
    """The links' grants, merged."""
    function: FunctionSettings
    secret_environment: dict[str, pulumi.Input[str]]
    """`<NAME>_SECRET_ARN` -> the reference, for every secret the function reads."""


def check(spec: ServiceSpec, platform: Any, settings: QueueSettings) -> Prepared:
    """A LambdaPlatform, an image Lambda can pull, environment names that do not clash,
    and a network in which the function's code reaches what it reads."""
    where = f"{COMPONENT} '{spec.name}'"
    if not isinstance(platform, LambdaPlatform) or settings.function is None:
        raise ArgError(
            f"{where}: platform={type(platform).__name__} is not allowed by the Lambda worker "
            "backend; expected a LambdaPlatform"
        )
    region = iam.region_name()
    _check_image(where, spec.image, region)
    grant = fargate_service.merge_grants(spec, component=COMPONENT)
    secret_environment: dict[str, pulumi.Input[str]] = {}
    taken = {*spec.environment, *grant.environment, "QUEUE_URL", "JOB_TIMEOUT_SECONDS"}
    for field, secrets in (("secrets", spec.secrets), ("links", grant.secrets)):
        for env_name, reference in secrets.items():
            name = f"{env_name}{SECRET_SUFFIX}"
            if name in taken or name in secret_environment:
                raise ArgError(
                    f"{where}: {field}: {env_name!r} is not allowed on a LambdaPlatform; its "
                    f"reference goes to {name}, which another setting already names"
                )
            secret_environment[name] = reference
    _check_reachability(where, spec, grant, platform)
    return Prepared(grant=grant, function=settings.function, secret_environment=secret_environment)


def _check_image(where: str, image: Any, region: str) -> None:
    """Lambda runs images from Amazon ECR in its own region only (an Output is judged when
    it is known: ECR refuses the function then)."""
    if not isinstance(image, str):
        return
    match = re.fullmatch(ECR_IMAGE, image)
    if match is None:
        raise rules.IMAGE_IN_ECR.refuse(
            where, "image", f"{image!r} is not an Amazon ECR image (Lambda pulls from ECR only)"
        )
    if match.group(2) != region:
        raise rules.IMAGE_IN_ECR.refuse(
            where,
            "image",
            f"{image!r} is in ECR of {match.group(2)} and the function in {region}",
        )


def _check_reachability(where: str, spec: ServiceSpec, grant: LinkGrant, platform: Any) -> None:
    """Lambda itself pulls the image, writes the logs and polls the queue; what the code
    calls (its secrets, the queues it sends to) goes through the VPC: without NAT only an
    endpoint reaches it."""
    network = platform.network
    if network.internet_egress:
        return
    needs: dict[str, tuple[Any, str]] = {}
    for field, refs in (("secrets", spec.secrets), ("links", grant.secrets)):
        for ref in refs.values():
            is_ssm = isinstance(ref, str) and re.fullmatch(SSM_PARAMETER_ARN, ref)
            needs.setdefault("ssm" if is_ssm else "secretsmanager", (SECRETS_ENDPOINTS, field))
    statements = [*grant.task_statements, *spec.task_statements]
    if any(
        isinstance(action, str) and action.lower().startswith("sqs:")
        for s in statements
        for action in (
            [s.get("Action")] if isinstance(s.get("Action"), str) else s.get("Action") or []
        )
    ):
        needs.setdefault("sqs", (SERVICE_API_ENDPOINT, "links"))
    missing = [name for name in needs if name not in network.vpc_endpoint_services]
    if not missing:
        return
    rule, field = needs[missing[0]]
    listed = ", ".join(sorted(network.vpc_endpoint_services - GATEWAY_ENDPOINTS)) or "none"
    raise rule.refuse(
        where,
        field,
        f"the function's code calls {', '.join(missing)}, and Network '{network.name}' has "
        f"nat='none' and interface endpoints: {listed}",
        fix=f"add {missing!r} to the Network's vpc_endpoints, or give it nat='single' or "
        "nat='per-az'",
    )


def _statements(
    spec: ServiceSpec,
    prepared: Prepared,
    queue: QueueRefs,
    log_group_arn: pulumi.Output[str],
) -> list[dict[str, Any]]:
    region, account = iam.region_name(), iam.account_id()
    ec2 = f"arn:aws:ec2:{region}:{account}"
    out = [
        *consume_statements(queue.name, queue.arn, queue.kms_key_arn, region),
        iam.statement(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            pulumi.Output.concat(log_group_arn, ":log-stream:*"),
            sid="WriteFunctionLogs",
        ),
        # Describe* has no resource-level permissions: AWS requires "*".
        iam.statement(VPC_DESCRIBE_ACTIONS, "*", sid="DescribeVpc"),
        iam.statement(
            VPC_INTERFACE_ACTIONS,
            [f"{ec2}:network-interface/*", f"{ec2}:subnet/*", f"{ec2}:security-group/*"],
            sid="ManageFunctionNetworkInterfaces",
        ),
    ]
    references = [str(r) for r in prepared.secret_environment.values() if isinstance(r, str)]
    outputs = [r for r in prepared.secret_environment.values() if not isinstance(r, str)]
    arns = {secret_policy_arn(r) for r in references} | {
        a for a in prepared.grant.secret_arns if isinstance(a, str)
    }
    manager = sorted(a for a in arns if ":secretsmanager:" in a)
    parameters = sorted(a for a in arns if ":ssm:" in a)
    unknown = [*outputs, *(a for a in prepared.grant.secret_arns if not isinstance(a, str))]
    if manager or unknown:
        resolved = [pulumi.Output.from_input(r).apply(secret_policy_arn) for r in unknown]
        out.append(
            iam.statement(
                ["secretsmanager:GetSecretValue"], [*manager, *resolved], sid="ReadSecrets"
            )
        )
    if parameters:
        out.append(iam.statement(["ssm:GetParameters"], parameters, sid="ReadParameters"))
    if prepared.grant.kms_key_arns:
        out.append(
            iam.statement(["kms:Decrypt"], list(prepared.grant.kms_key_arns), sid="DecryptSecrets")
        )
    out += [*prepared.grant.task_statements, *(dict(s) for s in spec.task_statements)]
    return out


def build(
    owner: GridopsComponent,
    spec: ServiceSpec,
    platform: LambdaPlatform,
    prepared: Prepared,
    queue: QueueRefs,
    settings: QueueSettings,
) -> WorkerOutputs:
    function_settings = prepared.function
    stack = f"{pulumi.get_project()}-{pulumi.get_stack()}".replace(".", "-")
    log_group = owner.child(
        "log_group",
        aws.cloudwatch.LogGroup,
        {
            "name": f"/gridops/{stack}/{spec.name}{WORKER_SUFFIX}",
            "retention_in_days": spec.log_retention_days,
        },
        suffix="logs",
    )
    # The worker's security group is a Fargate worker's: nothing in, out to the VPC and
    # internet_egress_ports; it reads only the platform's network.
    sg = fargate_routing.security_group(owner, spec, cast(Any, platform), from_alb=False)
    for link in spec.links:
        link.allow_from(f"{spec.name}{WORKER_SUFFIX}", sg.id)

    role = owner.child(
        "function_role",
        aws.iam.Role,
        {
            "assume_role_policy": iam.assume_role_policy("lambda.amazonaws.com"),
            "description": f"Lambda worker of queue {owner.name}: consumes it, nothing else "
            "unless linked",
        },
        suffix="fn-role",
    )
    document = iam.policy_document(_statements(spec, prepared, queue, log_group.arn))
    policy = owner.child(
        "function_policy",
        aws.iam.RolePolicy,
        {"role": role.id, "name": f"{sid_name(owner.name)}Worker", "policy": document},
        suffix="fn-policy",
    )
    environment: dict[str, pulumi.Input[str]] = {
        **spec.environment,
        **prepared.grant.environment,
        **prepared.secret_environment,
        "QUEUE_URL": queue.url,
        "JOB_TIMEOUT_SECONDS": str(settings.job_timeout_seconds),
    }
    function_args: dict[str, Any] = {
        "package_type": "Image",
        "image_uri": spec.image,
        "role": role.arn,
        "description": f"Worker of queue {owner.name} (SQS event source mapping)",
        "timeout": function_settings.timeout_seconds,
        "memory_size": function_settings.memory_mb,
        "ephemeral_storage": {"size": function_settings.ephemeral_storage_mb},
        "architectures": [ARCHITECTURES[spec.cpu_architecture]],
        "environment": {"variables": environment},
        "vpc_config": {
            "subnet_ids": platform.network.private_subnet_ids,
            "security_group_ids": [sg.id],
        },
        "logging_config": {"log_format": "Text", "log_group": log_group.name},
    }
    if spec.command:
        function_args["image_config"] = {"commands": list(spec.command)}
    if function_settings.reserved_concurrency is not None:
        function_args["reserved_concurrent_executions"] = function_settings.reserved_concurrency
    function = owner.child(
        "function",
        aws.lambda_.Function,
        function_args,
        suffix="worker",
        opts=pulumi.ResourceOptions(depends_on=[policy, *prepared.grant.start_after]),
    )
    mapping_args: dict[str, Any] = {
        "event_source_arn": queue.arn,
        "function_name": function.name,
        "batch_size": function_settings.batch_size,
        "function_response_types": ["ReportBatchItemFailures"],
        "scaling_config": {"maximum_concurrency": function_settings.maximum_concurrency},
        "enabled": True,
    }
    if function_settings.max_batching_window_seconds:
        mapping_args["maximum_batching_window_in_seconds"] = (
            function_settings.max_batching_window_seconds
        )
    # Lambda checks at creation that the role may receive from the queue.
    owner.child(
        "event_source_mapping",
        aws.lambda_.EventSourceMapping,
        mapping_args,
        suffix="source",
        opts=pulumi.ResourceOptions(depends_on=[policy]),
    )
    _function_alarms(owner, settings, platform, function.name)
    return WorkerOutputs(
        service_name=function.name,
        security_group_id=sg.id,
        task_role=role,
        task_role_arn=role.arn,
        execution_role_arn=role.arn,
        policy_documents={"function": document},
    )


def function_metric(function_name: pulumi.Input[str], name: str, label: str) -> Metric:
    return Metric(
        "AWS/Lambda",
        name,
        {"FunctionName": function_name},
        "Sum",
        ALARM_PERIOD_SECONDS,
        "Count",
        label,
    )


def _function_alarms(
    owner: GridopsComponent,
    settings: QueueSettings,
    platform: LambdaPlatform,
    function_name: pulumi.Output[str],
) -> None:
    """Errors (an invocation failed: its batch, or the messages it reported, come back and
    end in the dead-letter queue after max_receive_count) and Throttles (concurrency ran
    out: messages wait, and count towards max_receive_count)."""
    actions: list[pulumi.Input[str]] = list(settings.alarm_actions) or [platform.alarm_topic_arn]
    for name, label, why in (
        ("Errors", "function errors", "invocations failed (messages will be retried)"),
        ("Throttles", "function throttles", "invocations were throttled (concurrency ran out)"),
    ):
        owner.child(
            "function_alarm",
            aws.cloudwatch.MetricAlarm,
            {
                **function_metric(function_name, name, label).alarm_args(),
                "alarm_description": f"{owner.name}: {why}",
                "comparison_operator": "GreaterThanOrEqualToThreshold",
                "threshold": 1,
                "evaluation_periods": 1,
                "datapoints_to_alarm": 1,
                "treat_missing_data": "notBreaching",
                "alarm_actions": actions,
                "ok_actions": actions,
            },
            suffix=f"function-{name.lower()}",
        )


__all__ = ["CHILD_ROLES", "Prepared", "build", "check", "function_metric"]
