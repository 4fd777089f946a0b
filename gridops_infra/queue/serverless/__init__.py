"""The Lambda backend of SqsWorkerQueue (`platform=LambdaPlatform(...)`)."""
