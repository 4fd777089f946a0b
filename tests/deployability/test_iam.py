"""IAM's create-time limits: components refuse, before anything registers, a maximum session
outside 1..12 hours, an OIDC provider URL, audience or thumbprint IAM would refuse, and derive a role name_prefix that fits where a long component name
would push an autonamed role past 64 characters; the policy
pack fails roles, policies and OIDC providers IAM would refuse and passes the ones it
accepts."""

from __future__ import annotations

import pytest

from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.delivery.github import GithubDeployRole
from gridops_infra.delivery.gitlab import GitlabDeployRole
from gridops_infra.network.component import Network
from gridops_infra.observability import Slo
from gridops_infra.observability.stack import ObservabilityStack
from gridops_infra.platforms.eks.component import EksCluster
from gridops_infra.platforms.fargate.component import FargateCluster
from gridops_infra.policy import check_plan
from gridops_infra.resilience.component import ResilienceDrills
from gridops_infra.service.component import StatelessService
from gridops_infra.testing import reveal

from .edge_reports import assert_policy_accepts, assert_policy_refuses

ROLE = "aws:iam/role:Role"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
SERVICE = {"image": "ghcr.io/acme/api:1.4.2", "port": 8080, "cpu": 512, "memory": 1024}
POLICY_CASES = {
    "iam-role-name-length": {"refused-iam-role-name-length"},
    "iam-max-session-duration": {"refused-iam-max-session-duration"},
    "iam-managed-policy-size": {"refused-iam-managed-policy-size"},
    "iam-role-inline-policies-size": {"refused-iam-role-inline-policies-size"},
    "iam-trust-policy-size": {"refused-iam-trust-policy-size"},
    "iam-managed-policies-per-role": {"refused-iam-managed-policies-per-role"},
    "iam-policy-sid-characters": {"refused-iam-policy-sid-characters"},
    "iam-oidc-provider-unique": {"refused-iam-oidc-provider-unique-1"},
}


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_fails_what_iam_refuses(aws_rule_id: str) -> None:
    assert_policy_refuses(aws_rule_id, POLICY_CASES[aws_rule_id])


@pytest.mark.parametrize("aws_rule_id", sorted(POLICY_CASES))
def test_the_policy_passes_what_iam_accepts(aws_rule_id: str) -> None:
    assert_policy_accepts(aws_rule_id)


SESSIONS = [900, 3599, 43201, 3600, 43200]


def test_iam_max_session_duration_in_github_deploy_role(preview_refusals) -> None:
    plan, errors = preview_refusals(
        lambda: None,
        lambda _, i, seconds: GithubDeployRole(
            f"deploy{i}",
            {
                "repository": "acme/shop",
                "max_session_seconds": seconds,
                "oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/"
                "token.actions.githubusercontent.com",
            },
        ),
        SESSIONS,
    )
    assert sorted(errors) == [0, 1, 2]
    for i in range(3):
        assert errors[i].startswith(f"GithubDeployRole 'deploy{i}': max_session_seconds: ")
        assert "3600 to 43200 seconds" in errors[i]
        assert not [r for r in plan.resources if r.name.startswith(f"deploy{i}")]
    durations = sorted(r.inputs["maxSessionDuration"] for r in plan.of_type(ROLE))
    assert durations == [3600, 43200]


def test_iam_role_inline_policies_size_in_github_deploy_role(preview_refusals) -> None:
    counts = [45, 30]
    plan, errors = preview_refusals(
        lambda: None,
        lambda _, i, count: GithubDeployRole(
            f"deploy{i}",
            {
                "repository": "acme/shop",
                "name_prefixes": [f"component-{n:02d}-" for n in range(count)],
                "state_bucket_arn": "arn:aws:s3:::acme-pulumi-state",
            },
        ),
        counts,
    )
    assert sorted(errors) == [0]
    assert errors[0].startswith("GithubDeployRole 'deploy0': name_prefixes: 45 prefixes make")
    assert "10,240 characters" in errors[0]
    assert not [r for r in plan.resources if r.name.startswith("deploy0")]
    (policy,) = plan.of_type("aws:iam/rolePolicy:RolePolicy")
    size = sum(1 for c in reveal(policy.inputs["policy"]) if not c.isspace())
    assert 8_000 < size <= 10_240
    report = check_plan(plan)
    assert not [v for v in report.violations if v.rule == "iam-role-inline-policies-size"]


def _eks_watch(context, i: int, name: str) -> None:
    api = StatelessService(
        f"api{i}", {"platform": context, **SERVICE, "path_patterns": [f"/s{i}/*"]}
    )
    ObservabilityStack(name, {"resources": [api], "slos": [Slo.availability(api, 0.999)]})


# The EKS part's longest role is `<name>-otel-collector-role`: 20 characters after the name,
# so a 36-character name autonames it in exactly 64 and a 37-character one would pass.
OBSERVABILITY_NAMES = ["o" * 37, "o" * 36]


def _role_names(plan, prefix: str) -> list[tuple[str, str | None]]:
    """(generated role name, namePrefix) of the roles whose logical name starts `prefix`."""
    return [
        (r.outputs["name"], r.inputs.get("namePrefix"))
        for r in plan.of_type(ROLE)
        if r.name.startswith(prefix)
    ]


def test_iam_role_name_length_in_observability_stack_on_eks(preview_refusals) -> None:
    """A name that would push an autonamed role past 64 characters keeps autonaming
    through a name_prefix of at most 38 (the provider adds 26); one that fits is unchanged."""
    plan, errors = preview_refusals(
        lambda: EksCluster(
            "prod",
            {"network": Network("net", {"az_count": 2, "nat": "single"}), "ebs_csi_driver": False},
        ),
        _eks_watch,
        OBSERVABILITY_NAMES,
    )
    assert errors == {}
    stacks = {r.name for r in plan.of_type("gridops:aws:ObservabilityStack")}
    assert stacks == set(OBSERVABILITY_NAMES)
    derived = _role_names(plan, "o" * 37 + "-")
    fitting = _role_names(plan, "o" * 36 + "-")
    assert derived and fitting
    assert any(prefix is not None and len(prefix) <= 38 for _, prefix in derived)
    assert all(prefix is None for _, prefix in fitting)
    assert max(len(name) for name, _ in fitting) == 64
    report = check_plan(plan)
    assert not [v for v in report.violations if v.rule == "iam-role-name-length"]


def test_iam_role_name_length_in_resilience_drills(preview_refusals) -> None:
    """A drill role `<drills>-<target>-<kind>-role` over 64 characters gets a name_prefix
    that fits, so drills of a long-named database register; a short one is unchanged."""

    def setup():
        net = Network("net", {"az_count": 2, "nat": "single"})
        cluster = FargateCluster("prod", {"network": net})
        return {
            "api": StatelessService("api", {"platform": cluster, **SERVICE}),
            "long": ManagedPostgresWithReplicas(
                "orders-database-of-the-checkout-service", {"network": net}
            ),
            "short": ManagedPostgresWithReplicas("orders", {"network": net}),
        }

    plan, errors = preview_refusals(
        setup,
        lambda env, i, db: ResilienceDrills(f"drills{i}", {"targets": [env["api"], env[db]]}),
        ["long", "short"],
    )
    assert errors == {}
    assert len(plan.of_type("gridops:aws:ResilienceDrills")) == 2
    (long_role,) = _role_names(plan, "drills0-orders-database")
    (short_role,) = _role_names(plan, "drills1-orders")
    assert long_role[1] is not None and len(long_role[1]) <= 38
    assert short_role[1] is None
    report = check_plan(plan)
    assert not [v for v in report.violations if v.rule == "iam-role-name-length"]


GITLAB_URLS = [
    "http://gitlab.acme.io",
    "https://gitlab.acme.io:8443",
    "https://gitlab.acme.io/?tenant=1",
    "https://gitlab.acme.io",
    "https://acme.io/gitlab",
]


def test_iam_oidc_provider_url_in_gitlab_deploy_role(preview_refusals) -> None:
    """`iam-oidc-provider-url`: http, a port or a query is refused; a host or host/path is
    taken."""
    plan, errors = preview_refusals(
        lambda: None,
        lambda _, i, url: GitlabDeployRole(
            f"deploy{i}", {"project_path": "acme/shop", "gitlab_url": url}
        ),
        GITLAB_URLS,
    )
    assert sorted(errors) == [0, 1, 2]
    for i in range(3):
        assert errors[i].startswith(f"GitlabDeployRole 'deploy{i}': gitlab_url: ")
        assert "begins with https://" in errors[i]
        assert not [r for r in plan.resources if r.name.startswith(f"deploy{i}-")]
    urls = sorted(r.inputs["url"] for r in plan.of_type(OIDC_PROVIDER))
    assert urls == ["https://acme.io/gitlab", "https://gitlab.acme.io"]


def test_iam_oidc_client_ids_in_gitlab_deploy_role(preview_refusals) -> None:
    """`iam-oidc-client-ids`: an audience of 256 characters is refused, 255 taken."""
    plan, errors = preview_refusals(
        lambda: None,
        lambda _, i, audience: GitlabDeployRole(
            f"deploy{i}",
            {
                "project_path": "acme/shop",
                "gitlab_url": f"https://git{i}.acme.io",
                "audience": audience,
            },
        ),
        ["a" * 256, "a" * 255],
    )
    assert sorted(errors) == [0]
    assert errors[0].startswith("GitlabDeployRole 'deploy0': audience: 256 characters")
    assert "each 1 to 255 characters" in errors[0]
    assert not [r for r in plan.resources if r.name.startswith("deploy0-")]
    assert [r.inputs["clientIdLists"] for r in plan.of_type(OIDC_PROVIDER)] == [["a" * 255]]


def test_iam_oidc_thumbprints_in_gitlab_deploy_role(preview_refusals) -> None:
    """`iam-oidc-thumbprints`: six, or one not of 40 hex characters, is refused; five taken."""
    good = "0123456789abcdef0123456789abcdef01234567"
    cases = [[good] * 6, [good[:-1]], [good + "0"], [good] * 5]
    plan, errors = preview_refusals(
        lambda: None,
        lambda _, i, thumbprints: GitlabDeployRole(
            f"deploy{i}",
            {
                "project_path": "acme/shop",
                "gitlab_url": f"https://git{i}.acme.io",
                "thumbprints": thumbprints,
            },
        ),
        cases,
    )
    assert sorted(errors) == [0, 1, 2]
    assert errors[0].startswith("GitlabDeployRole 'deploy0': thumbprints: 6 given")
    for i in (1, 2):
        assert "is not 40 hex characters" in errors[i]
    for i in range(3):
        assert "at most five thumbprints" in errors[i]
        assert not [r for r in plan.resources if r.name.startswith(f"deploy{i}-")]
    assert [r.inputs["thumbprintLists"] for r in plan.of_type(OIDC_PROVIDER)] == [[good] * 5]
