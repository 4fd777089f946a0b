"""The SqsWorkerQueue worker backend for FargateCluster."""
