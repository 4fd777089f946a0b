"""The child roles of a drill's Kubernetes access, apart from the builder that needs
pulumi_kubernetes, so ResilienceDrills can list them for any platform."""

EKS_ROLES = ("service_account", "kubernetes_role", "role_binding", "access_entry")

__all__ = ["EKS_ROLES"]
