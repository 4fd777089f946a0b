"""The StatelessService backend for ExpressCluster (ECS Express Mode)."""
