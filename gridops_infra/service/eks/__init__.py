"""The StatelessService backend for EksCluster: Kubernetes manifests, pods, secrets and metrics."""
