"""LambdaPlatform: queue workers as AWS Lambda functions (`SqsWorkerQueue` only)."""
