"""AWS Lambda: what CreateFunction and CreateEventSourceMapping refuse for the queue
workers SqsWorkerQueue runs as functions (`platform=LambdaPlatform(...)`)."""

from __future__ import annotations

from gridops_infra.core.aws_rules import aws_rule

SERVICE = "AWS Lambda"
QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
SQS_PARAMETERS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html"

TIMEOUT = aws_rule(
    id="lambda-function-timeout",
    service=SERVICE,
    rule="A function's timeout is at most 900 seconds (15 minutes).",
    source=QUOTAS,
    fix="Keep job_timeout_seconds <= 900 on a LambdaPlatform, or run longer jobs on a "
    "FargateCluster or EksCluster worker.",
)

MEMORY = aws_rule(
    id="lambda-function-memory",
    service=SERVICE,
    rule="A function has from 128 MB to 10,240 MB of memory.",
    source=QUOTAS,
    fix="Give memory between 128 and 10240 (MB) on a LambdaPlatform.",
)

EPHEMERAL_STORAGE = aws_rule(
    id="lambda-ephemeral-storage",
    service=SERVICE,
    rule="A function's /tmp directory (ephemeral storage) is a whole number of MB from 512 "
    "to 10,240.",
    source="https://docs.aws.amazon.com/lambda/latest/api/API_EphemeralStorage.html",
    fix="Give ephemeral_storage_mb between 512 and 10240.",
)

IMAGE_IN_ECR = aws_rule(
    id="lambda-image-in-ecr",
    service=SERVICE,
    rule="A container image function runs an image from an Amazon ECR repository in the same "
    "AWS Region as the function (not a public or other registry, not a FIPS endpoint).",
    source="https://docs.aws.amazon.com/lambda/latest/dg/lambda-images.html",
    fix="Push the worker image to a private ECR repository in the stack's region and pass its "
    "URI (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or @sha256:<digest>).",
)

RESERVED_ENVIRONMENT = aws_rule(
    id="lambda-reserved-environment",
    service=SERVICE,
    rule="A function cannot set the environment variables the Lambda runtime reserves "
    "(_HANDLER, AWS_REGION, AWS_LAMBDA_*, AWS_ACCESS_KEY_ID, LAMBDA_TASK_ROOT, TZ...).",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
    fix="Rename the variable (the runtime already sets AWS_REGION and the function's own names).",
)

SQS_BATCH_SIZE = aws_rule(
    id="lambda-sqs-batch-size",
    service=SERVICE,
    rule="An SQS event source mapping's BatchSize is at most 10,000 for a standard queue and "
    "at most 10 for a FIFO queue.",
    source=SQS_PARAMETERS,
    fix="Give batch_size 1..10000 (1..10 with fifo=True).",
)

SQS_BATCHING_WINDOW = aws_rule(
    id="lambda-sqs-batching-window",
    service=SERVICE,
    rule="MaximumBatchingWindowInSeconds is 0..300 s, is not supported for FIFO queues, and "
    "must be at least 1 s when BatchSize is above 10.",
    source=SQS_PARAMETERS,
    fix="Give max_batching_window_seconds 1..300 with a batch_size above 10, and leave it out "
    "(0) with fifo=True.",
)

SQS_MAXIMUM_CONCURRENCY = aws_rule(
    id="lambda-sqs-maximum-concurrency",
    service=SERVICE,
    rule="An SQS event source mapping's ScalingConfig MaximumConcurrency is 2..1000.",
    source="https://docs.aws.amazon.com/lambda/latest/dg/API_ScalingConfig.html",
    fix="Give max_workers between 2 and 1000 on a LambdaPlatform.",
)

SQS_VISIBILITY_TIMEOUT = aws_rule(
    id="lambda-sqs-visibility-timeout",
    service=SERVICE,
    rule="The source queue's visibility timeout is at least the function's timeout (Lambda "
    "refuses the event source mapping otherwise); AWS advises at least six times it.",
    source="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
    fix="Leave visibility_timeout_seconds out (SqsWorkerQueue sets 6 x job_timeout_seconds) "
    "or give at least that; for a function and queue made apart, raise the queue's "
    "visibility_timeout_seconds above the function's timeout.",
)
