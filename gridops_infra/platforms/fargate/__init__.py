"""FargateCluster: the ECS Fargate platform (cluster, load balancer, DNS)."""
