"""The SqsWorkerQueue worker backend for EksCluster."""
