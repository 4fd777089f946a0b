"""ExpressCluster: the ECS Express Mode platform (a cluster whose services ECS fronts with
its own shared load balancer, HTTPS endpoint and autoscaling)."""
