"""Diagrams of a Plan: DOT, Mermaid and PNG, grouped by gridops component."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.analysis import build_diagram, to_dot, to_mermaid, to_png
from gridops_infra.analysis import graph as graph_module
from gridops_infra.analysis.graph import COMPONENT_LEVEL_ABOVE, PlanIndex
from gridops_infra.core.component import GridopsComponent
from gridops_infra.network.component import Network
from gridops_infra.testing import preview
from tests import stage_plans

SMALL_NET = {"az_count": 2, "nat": "single", "flow_logs": False}


class Site(GridopsComponent):
    """A component holding another component, to check nesting."""

    TYPE = "gridops:test:Site"
    CHILD_ROLES = ("bucket",)

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.net = Network(f"{name}-net", SMALL_NET, opts=pulumi.ResourceOptions(parent=self))
        self.bucket = self.child("bucket", aws.s3.Bucket, {})
        self.register_outputs({})


def architecture() -> None:
    site = Site("edge")
    core = Network("core", SMALL_NET)
    aws.ec2.SecurityGroup(
        "app-sg", vpc_id=core.vpc_id, opts=pulumi.ResourceOptions(depends_on=[core, site])
    )
    client = aws.ec2.SecurityGroup("client-sg", vpc_id=site.net.vpc_id)
    # Glue inside the site that points back at its client's group (as allow_from does).
    aws.vpc.SecurityGroupIngressRule(
        "edge-allow-client",
        security_group_id=client.id,
        referenced_security_group_id=client.id,
        ip_protocol="tcp",
        from_port=443,
        to_port=443,
        opts=pulumi.ResourceOptions(parent=site),
    )
    role = aws.iam.Role("app-role", assume_role_policy="{}")
    aws.iam.RolePolicyAttachment(
        "app-role-attach",
        role=role.name,
        policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess",
    )
    aws.sqs.Queue("solo")


@pytest.fixture(scope="module")
def plan():
    return preview(architecture)


def _require_dot() -> str:
    dot = shutil.which("dot")
    if dot is None:
        if os.environ.get("CI"):
            pytest.fail("graphviz `dot` is missing on CI: install the Debian package graphviz")
        pytest.skip("graphviz `dot` is not installed (Debian package graphviz)")
    return dot


def _mermaid_blocks(text: str) -> dict[str, list[str]]:
    """subgraph label -> the lines inside it (nested blocks included)."""
    blocks: dict[str, list[str]] = {}
    stack: list[str] = []
    for line in text.splitlines():
        m = re.match(r'\s*subgraph \w+\["(.+)"\]$', line)
        if m:
            stack.append(m.group(1))
            blocks[m.group(1)] = []
            continue
        if line.strip() == "end":
            stack.pop()
            continue
        for label in stack:
            blocks[label].append(line)
    assert not stack, "unbalanced subgraph/end"
    return blocks


def _mermaid_graph(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    nodes = dict(re.findall(r'^\s*(n\d+)\["(.*)"\]$', text, flags=re.M))
    edges = re.findall(r"^\s*(n\d+) --> (n\d+)$", text, flags=re.M)
    return nodes, edges


@pytest.mark.parametrize("level", ["resource", "component"])
def test_dot_output_parses_with_graphviz(plan, level):
    dot = _require_dot()
    result = subprocess.run(
        [dot, "-Tsvg"], input=to_dot(plan, level=level), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout
    assert result.stderr == ""


def test_resource_level_groups_nodes_in_nested_component_subgraphs(plan):
    text = to_mermaid(plan, level="resource")
    blocks = _mermaid_blocks(text)
    assert set(blocks) == {"Site edge", "Network edge-net", "Network core"}
    site = "\n".join(blocks["Site edge"])
    assert "edge-bucket" in site and "edge-net-vpc" in site  # nested network inside the site
    assert "core-vpc" not in site
    assert "edge-net-vpc" in "\n".join(blocks["Network edge-net"])
    nodes, edges = _mermaid_graph(text)
    assert {a for a, _ in edges} | {b for _, b in edges} <= set(nodes)
    dot = to_dot(plan, level="resource")
    assert 'label="Site edge"' in dot and 'label="Network core"' in dot


def test_arrows_point_from_a_resource_to_what_it_uses_without_redundant_ones(plan):
    d = build_diagram(plan, level="resource")
    by_name = {lines[0]: nid for nid, lines in d.labels.items()}
    names = {nid: name for name, nid in by_name.items()}
    sg = by_name["app-sg"]
    drawn = {b for a, b in d.edges if a == sg}
    index = PlanIndex(plan)
    raw = index.dependencies_of(plan.by_name("app-sg"))
    assert len(drawn) < len(raw)  # arrows implied by others are dropped
    reach: set[str] = set()
    todo = [sg]
    while todo:
        current = todo.pop()
        for a, b in d.edges:
            if a == current and b not in reach:
                reach.add(b)
                todo.append(b)
    full = index.dependency_graph()
    closure: set[str] = set()
    todo = list(raw)
    while todo:
        urn = todo.pop()
        if urn not in closure:
            closure.add(urn)
            todo.extend(full[urn])
    assert {index.by_urn[u].name for u in closure} == {names[n] for n in reach}


def test_component_level_collapses_each_top_level_component_into_one_box(plan):
    text = to_mermaid(plan, level="component")
    nodes, edges = _mermaid_graph(text)
    label_of = {nid: label.split("<br/>")[0] for nid, label in nodes.items()}
    assert set(label_of.values()) == {
        "Site edge",
        "Network core",
        "app-sg (SecurityGroup)",
        "client-sg (SecurityGroup)",
        "app-role (Role)",
        "solo (Queue)",
    }
    named = {(label_of[a], label_of[b]) for a, b in edges}
    # The site's ingress rule uses client-sg, but glue never reverses a real arrow.
    assert named == {
        ("app-sg (SecurityGroup)", "Site edge"),
        ("app-sg (SecurityGroup)", "Network core"),
        ("client-sg (SecurityGroup)", "Site edge"),
    }
    assert "RouteTableAssociation" not in text and "app-role-attach" not in text


def test_noise_can_be_hidden_at_resource_level_keeping_arrows_through_it(plan):
    d = build_diagram(plan, level="resource", include_noise=False)
    labels = {lines[0] for lines in d.labels.values()}
    assert "core-private-0-rta" not in labels and "core-private-0-default-route" not in labels
    assert {"core-vpc", "core-nat-0"} <= labels
    assert all(a in d.labels and b in d.labels for a, b in d.edges)


def test_default_level_depends_on_plan_size(plan):
    assert len(plan.custom_resources) > COMPONENT_LEVEL_ABOVE
    assert build_diagram(plan).level == "component"

    def small() -> None:
        aws.sqs.Queue("q")

    assert build_diagram(preview(small)).level == "resource"


def test_unknown_level_is_refused(plan):
    with pytest.raises(ValueError, match=r"level='boxes'.*component, resource"):
        to_dot(plan, level="boxes")  # type: ignore[arg-type]


def test_components_are_found_by_walking_parents(plan):
    index = PlanIndex(plan)
    vpc = plan.by_name("edge-net-vpc")
    component = index.component_of(vpc)
    top = index.top_component_of(vpc)
    assert component is not None and component.name == "edge-net"
    assert top is not None and top.type == "gridops:test:Site"
    assert index.component_of(plan.by_name("solo")) is None


def test_png_is_written_with_graphviz(plan, tmp_path):
    _require_dot()
    out = to_png(plan, tmp_path / "arch.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_without_graphviz_names_the_package(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(graph_module.shutil, "which", lambda _name: None)
    with pytest.raises(RuntimeError, match="graphviz"):
        to_png(plan, tmp_path / "arch.png")


@pytest.mark.parametrize("stage", ["single-server", "express", "fargate", "eks"])
def test_stage_pictures_fit_a_screen_and_carry_a_legend(stage, tmp_path):
    """Rows and columns, not a strip: every stage's PNG is at most 3 times wider than tall
    (the fargate stage drew 12:1 left to right), with the legend's lines in it."""
    _require_dot()
    stage_plan = stage_plans.stage_plan(stage)
    out = to_png(stage_plan, tmp_path / f"{stage}.png")
    width, height = struct.unpack(">II", out.read_bytes()[16:24])
    assert width <= 3 * height, (width, height)
    dot = to_dot(stage_plan)
    assert "Legend" in dot and "A uses B, so B is created first" in dot


def test_the_picture_says_how_many_arrows_the_reduction_left_out(plan):
    index = PlanIndex(plan)
    full = graph_module.contract(index.dependency_graph(), {r.urn for r in index.nodes})
    reduced = graph_module.transitive_reduction(full)
    left_out = sum(map(len, full.values())) - sum(map(len, reduced.values()))
    assert left_out > 0, "the test program must have an implied arrow"
    diagram = graph_module.build_diagram(plan, level="resource")
    assert diagram.implied_edges == left_out
    assert f"{left_out} arrow(s) not drawn" in to_dot(plan, level="resource")
    assert f"%% {left_out} arrow(s) not drawn" in to_mermaid(plan, level="resource")
