"""The Kubernetes manifests of a StatelessService on EKS, validated with real tools:
`kubernetes-validate --strict` for every EKS version gridops accepts, checkov's
Kubernetes framework on the workload manifests, plus the shapes the brief asks for.

kubernetes-validate ships schemas for built-in kinds only: the External Secrets objects
(ExternalSecret, SecretStore) are CRDs it cannot check (it raises SchemaNotFoundError,
asserted below). They are validated against External Secrets' API schemas as published
on npm in `@kubernetes-models/external-secrets` 2.0.0 (validators generated from ESO's
`external-secrets.io/v1` types; `scripts/setup-dev` installs it into
`.venv/npm/external-secrets`), run with Node.js. Those validators check required
fields, types and enums but not unknown keys, so the exact structure is asserted here
too. The reader ServiceAccount the SecretStores name is a built-in kind: it goes through
kubernetes-validate and checkov with the workload manifests.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from gridops_infra.platforms.eks.catalog import KUBERNETES_VERSIONS
from gridops_infra.service.eks import secrets as eks_secrets
from gridops_infra.service.eks.manifests import (
    CdnLock,
    Resolved,
    target_group_binding,
    workload_manifests,
)
from gridops_infra.service.eks.pods import millicores
from gridops_infra.service.spec.settings import ServiceSpec

CHECKOV = Path(sys.executable).parent / "checkov"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf"
PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/shop/flags"
CDN = CdnLock("pl-3b927c52", "Q7xw2Ld9" * 6)  # behind a CDN: prefix list, origin secret
STORES = ("secretsmanager", "ssm")
READER_ROLE = (
    "arn:aws:iam::123456789012:role/gridops/prod-prod/external-secrets/api-secrets-role-1a"
)

# checkov findings accepted for the workload manifests, each for a stated reason:
SKIPPED_CHECKS = {
    # Image digests: the spec deploys the reference the user gives (the API contract
    # uses tags such as ghcr.io/acme/api:1.4.2); a digest reference is rendered as is.
    "CKV_K8S_43",
    # Secrets as env vars: one spec runs on ECS (secrets -> env) and EKS alike; the
    # values come from a Secret External Secrets syncs, never from the manifest.
    "CKV_K8S_35",
}
# Without `user`, the image's own (non-root, enforced by runAsNonRoot) user applies;
# gridops does not invent a uid the image's files may not belong to. With `user` set to
# a high uid the check passes (asserted by test_checkov_high_uid_passes_with_a_user).
SKIPPED_WITHOUT_USER = {"CKV_K8S_40"}


def _spec(**overrides) -> ServiceSpec:
    args = {
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "cpu": 512,
        "memory": 1024,
        "min_count": 2,
        "max_count": 20,
        "health_check_path": "/healthz",
        "containers": [
            {
                "name": "proxy",
                "image": "envoyproxy/envoy:v1.31.0",
                "cpu": 128,
                "memory": 128,
                "port": 9901,
                "app_waits_for": "healthy",
                "health_check_command": ["CMD", "/usr/local/bin/envoy", "--version"],
            }
        ],
        **overrides,
    }
    return ServiceSpec.from_args("api", args)


def _resolved(**overrides) -> Resolved:
    values = {
        "namespace": "api",
        "image": "ghcr.io/acme/api:1.4.2",
        "environment": {"LOG_LEVEL": "info"},
        "secret_refs": {"STRIPE_KEY": ("app-secrets", "STRIPE_KEY")},
        "sidecar_images": ["envoyproxy/envoy:v1.31.0"],
        "sidecar_environment": [{}],
        "sidecar_secret_refs": [{}],
        "alb_group_name": "prod-prod",
        "alb_source_cidrs": ["10.0.192.0/20", "10.0.208.0/20"],
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d",
        **overrides,
    }
    return Resolved(**values)


@pytest.fixture(scope="module")
def manifests():
    return workload_manifests(_spec(), _resolved())


@pytest.fixture(scope="module")
def reader_account():
    return _reader_account()


@pytest.mark.parametrize("version", sorted(KUBERNETES_VERSIONS))
def test_every_manifest_passes_kubernetes_validate_strict(manifests, version):
    # kubernetes-validate ships 1.25-1.37 schemas, so every accepted EKS version has its own.
    assert f"{version}.0" in kubernetes_validate.utils.all_versions()
    for manifest in manifests.values():
        kubernetes_validate.validate(manifest, f"{version}.0", strict=True)


def test_fargate_and_single_replica_variants_validate():
    spec = _spec(min_count=1, max_count=1, user="10001:10001", containers=[])
    r = _resolved(
        on_fargate=True,
        sidecar_images=[],
        sidecar_environment=[],
        sidecar_secret_refs=[],
        certificate_arn=None,
    )
    out = workload_manifests(spec, r)
    assert "network_policy" not in out and "horizontal_pod_autoscaler" not in out
    for manifest in out.values():
        kubernetes_validate.validate(manifest, "1.35.0", strict=True)


@pytest.mark.parametrize("version", sorted(KUBERNETES_VERSIONS))
def test_reader_service_account_passes_kubernetes_validate_strict(reader_account, version):
    kubernetes_validate.validate(reader_account, f"{version}.0", strict=True)


def test_reader_service_account_names_the_role_and_mounts_no_token(reader_account):
    assert reader_account["metadata"]["name"] == "api-secrets-reader"
    assert reader_account["metadata"]["namespace"] == "api"
    assert reader_account["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": READER_ROLE}
    assert reader_account["automountServiceAccountToken"] is False


def test_a_wrong_manifest_is_caught_by_the_validator(manifests):
    broken = json.loads(json.dumps(manifests["deployment"]))
    broken["spec"]["template"]["spec"]["containers"][0]["resources"]["limit"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, "1.35.0", strict=True)


def test_external_secrets_crds_are_not_in_kubernetes_validate():
    manifest = eks_secrets.external_secret("secretsmanager", "api", [])
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        kubernetes_validate.validate(manifest, "1.35.0", strict=True)


def _reader_account() -> dict:
    return eks_secrets.reader_service_account("api", "api", READER_ROLE)


def _high_uid_manifests() -> dict:
    spec = _spec(user="10001:10001", containers=[])
    r = _resolved(sidecar_images=[], sidecar_environment=[], sidecar_secret_refs=[])
    return workload_manifests(spec, r)


@pytest.fixture(scope="module")
def checkov_findings(manifests, tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    """checkov once, without skips, over the default manifests and the high-uid variant
    (one start of checkov instead of three: ~6 s less); each test filters what it is about.
    Set name -> {"passed": [...], "failed": [...]}, entries "CHECK_ID /file".
    """
    folder = tmp_path_factory.mktemp("checkov")
    sets = {
        "default": {**manifests, "secrets_reader": _reader_account()},
        "high-uid": _high_uid_manifests(),
        "cdn": workload_manifests(_spec(), _resolved(cdn=CDN)),
        "vpc-origin": _vpc_origin_manifests(),
    }
    for set_name, set_manifests in sets.items():
        for role, manifest in set_manifests.items():
            (folder / f"{set_name}--{role}.yaml").write_text(yaml.safe_dump(manifest))
    # Not --quiet: the passed checks are listed too, so each set's passes can be counted.
    command = [str(CHECKOV), "-d", str(folder), "--framework", "kubernetes", "-o", "json",
               "--skip-download"]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(run.stdout)
    report = report[0] if isinstance(report, list) else report
    found: dict[str, dict[str, list[str]]] = {name: {"passed": [], "failed": []} for name in sets}
    for outcome in ("passed", "failed"):
        for check in report["results"][f"{outcome}_checks"]:
            set_name = Path(check["file_path"]).name.split("--")[0]
            found[set_name][outcome].append(f"{check['check_id']} {check['file_path']}")
    return found


def _checkov(findings: dict[str, list[str]], skipped: set[str]) -> list[str]:
    """The failed checks, as a checkov run with `--skip-check skipped` reports them."""
    passed = [p for p in findings["passed"] if p.split()[0] not in skipped]
    assert len(passed) > 50, findings
    return [f for f in findings["failed"] if f.split()[0] not in skipped]


def test_checkov_reports_no_failed_check(checkov_findings):
    assert _checkov(checkov_findings["default"], SKIPPED_CHECKS | SKIPPED_WITHOUT_USER) == []


def test_checkov_high_uid_passes_with_a_user(checkov_findings):
    assert _checkov(checkov_findings["high-uid"], SKIPPED_CHECKS) == []


def test_checkov_cdn_locked_manifests_add_no_failed_check(checkov_findings):
    assert _checkov(checkov_findings["cdn"], SKIPPED_CHECKS | SKIPPED_WITHOUT_USER) == []


def test_checkov_vpc_origin_manifests_add_no_failed_check(checkov_findings):
    assert _checkov(checkov_findings["vpc-origin"], SKIPPED_CHECKS | SKIPPED_WITHOUT_USER) == []


def test_checkov_without_skips_names_only_the_documented_checks(checkov_findings):
    failed = {f.split()[0] for f in _checkov(checkov_findings["default"], set())}
    assert failed == SKIPPED_CHECKS | SKIPPED_WITHOUT_USER


def test_pod_security_restricted_and_resources(manifests):
    pod = manifests["deployment"]["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    app = pod["containers"][0]
    assert app["securityContext"]["allowPrivilegeEscalation"] is False
    assert app["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert app["securityContext"]["readOnlyRootFilesystem"] is True
    # 512 units with a 128-unit sidecar -> 384 units = 375m; 1024 MiB - 128 MiB.
    assert app["resources"]["requests"] == {"cpu": "375m", "memory": "896Mi"}
    assert app["resources"]["limits"] == app["resources"]["requests"]
    sidecar = pod["initContainers"][0]
    assert sidecar["restartPolicy"] == "Always" and "startupProbe" in sidecar
    assert sidecar["resources"]["requests"] == {"cpu": "125m", "memory": "128Mi"}
    assert millicores(1024) == 1000 and millicores(256) == 250
    assert app["volumeMounts"] == [{"name": "api-scratch-0", "mountPath": "/tmp"}]


def test_probes_spread_and_rollout(manifests):
    deployment = manifests["deployment"]["spec"]
    assert deployment["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert deployment["replicas"] == 2
    pod = deployment["template"]["spec"]
    app = pod["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"] == {"path": "/healthz", "port": "http", "scheme": "HTTP"}
    keys = [c["topologyKey"] for c in pod["topologySpreadConstraints"]]
    assert keys == ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
    assert pod["nodeSelector"] == {"kubernetes.io/arch": "arm64"}


def test_autoscaler_budget_and_network_policy(manifests):
    hpa = manifests["horizontal_pod_autoscaler"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 20)
    assert hpa["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 60},
            },
        }
    ]
    assert manifests["pod_disruption_budget"]["spec"]["maxUnavailable"] == 1
    policy = manifests["network_policy"]["spec"]
    assert policy["policyTypes"] == ["Ingress"]
    assert policy["ingress"] == [
        {
            "from": [
                {"ipBlock": {"cidr": "10.0.192.0/20"}},
                {"ipBlock": {"cidr": "10.0.208.0/20"}},
            ],
            "ports": [{"protocol": "TCP", "port": 8080}],
        }
    ]


def test_ingress_joins_the_shared_alb_with_https(manifests):
    ingress = manifests["ingress"]
    notes = ingress["metadata"]["annotations"]
    assert notes["alb.ingress.kubernetes.io/group.name"] == "prod-prod"
    assert notes["alb.ingress.kubernetes.io/certificate-arn"].endswith("/0a1b2c3d")
    assert notes["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert json.loads(notes["alb.ingress.kubernetes.io/listen-ports"]) == [
        {"HTTP": 80},
        {"HTTPS": 443},
    ]
    assert notes["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert notes["alb.ingress.kubernetes.io/group.order"] == "1000"  # catch-all last
    assert ingress["spec"]["ingressClassName"] == "alb"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]
    assert backend == {"service": {"name": "api", "port": {"number": 8080}}}


def test_namespace_enforces_restricted_and_readiness_gates(manifests):
    namespace_labels = manifests["namespace"]["metadata"]["labels"]
    assert namespace_labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert namespace_labels["elbv2.k8s.aws/pod-readiness-gate-inject"] == "enabled"


def test_external_secret_references_and_store():
    refs = eks_secrets.secret_refs(
        {"STRIPE_KEY": f"{SECRET}:key::", "FLAGS": PARAMETER, "DB": f"{SECRET}::AWSPREVIOUS:"},
        [("proxy", {"TOKEN": SECRET})],
    )
    manager = eks_secrets.external_secret("secretsmanager", "api", refs)
    assert manager["apiVersion"] == "external-secrets.io/v1"
    assert manager["spec"]["secretStoreRef"] == {
        "name": "aws-secrets-manager",
        "kind": "SecretStore",
    }
    assert manager["spec"]["target"] == {"name": "app-secrets", "creationPolicy": "Owner"}
    assert manager["spec"]["refreshInterval"] == "15m"
    assert manager["spec"]["data"] == [
        {"secretKey": "DB", "remoteRef": {"key": SECRET, "version": "AWSPREVIOUS"}},
        {"secretKey": "STRIPE_KEY", "remoteRef": {"key": SECRET, "property": "key"}},
        {"secretKey": "proxy.TOKEN", "remoteRef": {"key": SECRET}},
    ]
    parameters = eks_secrets.external_secret("ssm", "api", refs)
    assert parameters["spec"]["data"] == [
        {"secretKey": "FLAGS", "remoteRef": {"key": "/shop/flags"}}
    ]
    store = eks_secrets.secret_store("ssm", "api", "us-east-1", "api-secrets-reader")
    assert store["metadata"] == {"name": "aws-parameter-store", "namespace": "api"}
    # JWT auth through the reader ServiceAccount (same namespace); no `role` to chain to.
    assert store["spec"]["provider"]["aws"] == {
        "service": "ParameterStore",
        "region": "us-east-1",
        "auth": {"jwt": {"serviceAccountRef": {"name": "api-secrets-reader"}}},
    }


def test_registry_credentials_template():
    pull = eks_secrets.pull_secret("api", "registry.acme.io/team/api:1", SECRET)
    template = pull["spec"]["target"]["template"]
    assert template["type"] == "kubernetes.io/dockerconfigjson"
    assert json.loads(template["data"][".dockerconfigjson"])["auths"] == {
        "registry.acme.io": {"username": "{{ .username }}", "password": "{{ .password }}"}
    }
    assert eks_secrets.registry("nginx:1.27") == eks_secrets.DOCKER_HUB


@pytest.mark.parametrize(
    "certificate_arn", [None, "arn:aws:acm:us-east-1:123456789012:certificate/0a"]
)
def test_cdn_locked_ingress_validates_strict(certificate_arn):
    ingress = workload_manifests(_spec(), _resolved(cdn=CDN, certificate_arn=certificate_arn))
    for version in sorted(KUBERNETES_VERSIONS):
        kubernetes_validate.validate(ingress["ingress"], f"{version}.0", strict=True)


def test_cdn_locked_ingress_admits_only_cloudfront_and_requires_the_header():
    notes = workload_manifests(_spec(), _resolved(cdn=CDN))["ingress"]["metadata"]["annotations"]
    assert notes["alb.ingress.kubernetes.io/security-group-prefix-lists"] == "pl-3b927c52"
    # inbound-cidrs absent: the controller then adds no 0.0.0.0/0 next to the prefix list
    assert "alb.ingress.kubernetes.io/inbound-cidrs" not in notes
    assert json.loads(notes["alb.ingress.kubernetes.io/conditions.api"]) == [
        {
            "field": "http-header",
            "httpHeaderConfig": {
                "httpHeaderName": "X-Origin-Verify",
                "values": [CDN.origin_secret],
            },
        }
    ]
    # HTTPS behind a CDN: 443 only, no redirect listener on 80 for CloudFront's list to open
    assert json.loads(notes["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTPS": 443}]
    assert "alb.ingress.kubernetes.io/ssl-redirect" not in notes
    assert notes["alb.ingress.kubernetes.io/ssl-policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    plain = workload_manifests(_spec(), _resolved(cdn=CDN, certificate_arn=None))["ingress"]
    assert json.loads(
        plain["metadata"]["annotations"]["alb.ingress.kubernetes.io/listen-ports"]
    ) == [{"HTTP": 80}]


def test_without_a_cdn_the_ingress_has_no_lock(manifests):
    notes = manifests["ingress"]["metadata"]["annotations"]
    assert not [k for k in notes if "prefix-lists" in k or "conditions." in k]
    # only the Ingress changes behind a CDN; every other object is rendered the same
    locked = workload_manifests(_spec(), _resolved(cdn=CDN))
    assert {k: v for k, v in locked.items() if k != "ingress"} == {
        k: v for k, v in manifests.items() if k != "ingress"
    }


# --- External Secrets' schemas -------------------------------------------------------------


@pytest.fixture(scope="module")
def eso_results(kubernetes_models):
    """One Node.js run over every External Secrets object the EKS backends render, then
    deliberately broken copies (npm `@kubernetes-models/external-secrets` 2.0.0)."""
    errors = kubernetes_models(
        "external-secrets", "2.0.0", {"external-secrets.io/v1": "external-secrets.io/v1/index.js"}
    )
    refs = eks_secrets.secret_refs(
        {"STRIPE_KEY": f"{SECRET}:key::", "FLAGS": PARAMETER}, [("proxy", {"TOKEN": SECRET})]
    )
    good = [
        *(eks_secrets.secret_store(s, "api", "us-east-1", "api-secrets-reader") for s in STORES),
        *(eks_secrets.external_secret(s, "api", refs) for s in STORES),
        eks_secrets.pull_secret("api", "registry.acme.io/team/api:1", SECRET),
    ]
    store = good[0]
    no_account = copy.deepcopy(store)
    no_account["spec"]["provider"]["aws"]["auth"]["jwt"]["serviceAccountRef"] = {}
    no_region = copy.deepcopy(store)
    del no_region["spec"]["provider"]["aws"]["region"]
    wrong_service = copy.deepcopy(store)
    wrong_service["spec"]["provider"]["aws"]["service"] = "Secrets"
    broken = [no_account, no_region, wrong_service]
    results = errors([*good, *broken])
    return results[: len(good)], results[len(good) :]


def test_secret_stores_and_external_secrets_pass_eso_schemas(eso_results):
    good, _ = eso_results
    assert good == [None] * 5


def test_eso_schemas_catch_broken_stores(eso_results):
    _, broken = eso_results
    assert all(broken), broken
    assert "serviceAccountRef must have required property name" in broken[0]
    assert "must have required property region" in broken[1]
    assert "service must be equal to one of the allowed values" in broken[2]


# Behind a CDN's VPC origin: a TargetGroupBinding on the cluster's internal ALB, no Ingress.

TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg-1a2b3c4/0123456789abcdef"
# The TargetGroupBinding spec fields the controller's CRD defines (elbv2.k8s.aws/v1beta1,
# https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/spec/).
TARGET_GROUP_BINDING_FIELDS = {
    "targetGroupARN", "targetGroupName", "targetType", "serviceRef", "networking",
    "nodeSelector", "ipAddressType", "vpcID", "multiClusterTargetGroup",
}  # fmt: skip
PRIVATE_CIDRS = ["10.0.96.0/20", "10.0.112.0/20"]


def _vpc_origin_manifests() -> dict[str, dict]:
    r = _resolved(behind_vpc_origin=True, alb_source_cidrs=PRIVATE_CIDRS)
    out = workload_manifests(_spec(), r)
    out["target_group_binding"] = target_group_binding(
        _spec(), r, "elbv2.k8s.aws/v1beta1", TARGET_GROUP_ARN
    )
    return out


def test_behind_a_vpc_origin_there_is_no_ingress_and_the_built_ins_validate():
    out = _vpc_origin_manifests()
    assert "ingress" not in out
    binding = out.pop("target_group_binding")
    for version in sorted(KUBERNETES_VERSIONS):
        for manifest in out.values():
            kubernetes_validate.validate(manifest, f"{version}.0", strict=True)
    # A CRD kubernetes-validate has no schema for: its shape is asserted below.
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        kubernetes_validate.validate(binding, "1.35.0", strict=True)
    # Only the internal ALB's subnets (private) reach the Pods, on the app port.
    (rule,) = out["network_policy"]["spec"]["ingress"]
    assert [peer["ipBlock"]["cidr"] for peer in rule["from"]] == PRIVATE_CIDRS
    assert rule["ports"] == [{"protocol": "TCP", "port": 8080}]


def test_the_target_group_binding_registers_pod_ips_of_the_service():
    binding = _vpc_origin_manifests()["target_group_binding"]
    assert binding["apiVersion"] == "elbv2.k8s.aws/v1beta1"
    assert binding["kind"] == "TargetGroupBinding"
    assert binding["metadata"]["name"] == "api" and binding["metadata"]["namespace"] == "api"
    assert binding["spec"] == {
        "targetGroupARN": TARGET_GROUP_ARN,
        "targetType": "ip",
        "serviceRef": {"name": "api", "port": 8080},
    }
    assert set(binding["spec"]) <= TARGET_GROUP_BINDING_FIELDS
    # No `networking`: the controller leaves security groups alone; Pulumi opens them.
    assert "networking" not in binding["spec"]


def test_the_binding_names_the_api_version_it_is_given():
    """The apiVersion is the cluster's (EksCluster.load_balancing), not fixed here."""
    binding = target_group_binding(_spec(), _resolved(), "eks.amazonaws.com/v1", TARGET_GROUP_ARN)
    assert binding["apiVersion"] == "eks.amazonaws.com/v1"
