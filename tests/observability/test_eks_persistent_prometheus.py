"""With the EksCluster's default EBS CSI driver, Prometheus keeps its TSDB on encrypted gp3."""

from __future__ import annotations

from gridops_infra import EksCluster, Network, ObservabilityStack, Slo, StatelessService
from gridops_infra.testing import preview


def test_prometheus_uses_a_persistent_encrypted_gp3_volume() -> None:
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single"})
        cluster = EksCluster("prod", {"network": net})
        api = StatelessService(
            "api",
            {
                "platform": cluster,
                "image": "ghcr.io/acme/api:1.4.2",
                "port": 8080,
                "health_check_path": "/healthz",
            },
        )
        ObservabilityStack("obs", {"resources": [api], "slos": [Slo.availability(api)]})

    plan = preview(program)
    driver = plan.one("aws:eks/addon:Addon", "prod-aws-ebs-csi-driver")
    role = plan.one("aws:iam/role:Role", "prod-ebs-csi-role")
    assert driver.inputs["podIdentityAssociations"] == [
        {"roleArn": role.outputs["arn"], "serviceAccount": "ebs-csi-controller-sa"}
    ]
    storage_class = plan.one("kubernetes:storage.k8s.io/v1:StorageClass")
    assert storage_class.inputs["provisioner"] == "ebs.csi.aws.com"
    assert storage_class.inputs["parameters"]["encrypted"] == "true"
    assert storage_class.inputs["parameters"]["type"] == "gp3"
    assert storage_class.inputs["reclaimPolicy"] == "Retain"
    release = next(
        r
        for r in plan.of_type("kubernetes:helm.sh/v3:Release")
        if r.inputs["chart"] == "kube-prometheus-stack"
    )
    storage = release.inputs["values"]["prometheus"]["prometheusSpec"]["storageSpec"]
    claim = storage["volumeClaimTemplate"]["spec"]
    assert claim["storageClassName"] == storage_class.inputs["metadata"]["name"]
    assert driver.urn in release.dependencies
