"""The StatelessService backend for FargateCluster: task definition, service, routing, scaling, alarms."""
