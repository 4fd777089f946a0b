"""ObservabilityStack on EKS: Prometheus, Alertmanager, Grafana and the OpenTelemetry collector."""
