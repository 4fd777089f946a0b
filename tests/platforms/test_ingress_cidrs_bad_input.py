"""FargateCluster and SingleServer refuse a CIDR block listed twice in `ingress_cidrs` (EC2
refuses the second identical rule with InvalidPermission.Duplicate), before registering
anything; blocks reach EC2 written as `a.b.c.d/n`."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gridops_infra.network.component import Network
from gridops_infra.platforms import FargateCluster
from gridops_infra.platforms.single_server.component import SingleServer
from gridops_infra.testing import preview

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
REPEATS: list[tuple[list[str], str]] = [
    (["1.2.3.0/24", "1.2.3.0/24"], r"'1.2.3.0/24', '1.2.3.0/24'"),
    (["10.0.0.0/8", "1.2.3.0/24", "1.2.3.0/255.255.255.0"], r"'1.2.3.0/24', '1.2.3.0/255"),
    (["0.0.0.0/0", "0.0.0.0/0.0.0.0"], r"'0.0.0.0/0', '0.0.0.0/0.0.0.0'"),
]
COMPONENTS = {"FargateCluster": FargateCluster, "SingleServer": SingleServer}


@pytest.fixture(scope="module")
def results() -> tuple[Any, dict[tuple[str, int], str]]:
    errors: dict[tuple[str, int], str] = {}

    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "single", "flow_logs": False})
        for kind, component in COMPONENTS.items():
            for i, (cidrs, _) in enumerate(REPEATS):
                try:
                    component(f"{kind.lower()}{i}", {"network": net, "ingress_cidrs": cidrs})
                except ValueError as exc:
                    errors[(kind, i)] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize("kind", COMPONENTS)
@pytest.mark.parametrize("index", range(len(REPEATS)))
def test_repeated_blocks_are_refused_naming_the_field(results, kind: str, index: int) -> None:
    _, errors = results
    assert (kind, index) in errors, f"{kind} accepted {REPEATS[index][0]}"
    message = errors[(kind, index)]
    assert message.startswith(f"{kind} '{kind.lower()}{index}': ingress_cidrs="), message
    assert "CIDR blocks must not repeat" in message
    assert re.search(REPEATS[index][1], message), message


def test_refused_components_register_nothing(results) -> None:
    plan, errors = results
    assert len(errors) == len(COMPONENTS) * len(REPEATS)
    assert plan.of_type("gridops:aws:FargateCluster") == []
    assert plan.of_type("gridops:aws:SingleServer") == []
    assert not [r for r in plan.resources if r.name.startswith(("fargatecluster", "singleserver"))]


def test_blocks_reach_ec2_in_prefix_notation() -> None:
    def program() -> None:
        net = Network("net", {"az_count": 2, "nat": "none", "flow_logs": False})
        FargateCluster("web", {"network": net, "ingress_cidrs": ["1.2.3.0/255.255.255.0"]})
        SingleServer("mvp", {"network": net, "ingress_cidrs": ["203.0.113.7", "10.1.0.0/16"]})

    plan = preview(program)
    blocks = {
        component: sorted(
            {r.inputs["cidrIpv4"] for r in plan.of_type(INGRESS) if r.name.startswith(component)}
        )
        for component in ("web-", "mvp-")
    }
    assert blocks["web-"] == ["1.2.3.0/24"]
    assert blocks["mvp-"] == ["10.1.0.0/16", "203.0.113.7/32"]
