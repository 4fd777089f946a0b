"""The Plan as a graph: which gridops component owns each resource, what waits for what,
and pictures of it (Graphviz DOT, Mermaid, PNG).

Edges point from a resource to what it needs (`api-service -> db`): read an arrow as
"uses". They come from each record's `dependencies` and `property_dependencies`, plus
its explicit provider. A dependency on a component stands for all the component's
resources, as Pulumi waits for a component's children. Parent -> child is ownership,
not a dependency, and draws no arrow.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gridops_infra.testing.plan import Plan, ResourceRecord

Level = Literal["component", "resource"]
LEVELS: tuple[Level, ...] = ("component", "resource")

GRIDOPS_TYPE_PREFIX = "gridops:"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"

COMPONENT_LEVEL_ABOVE = 40
"""Plans with more resources than this are drawn at component level unless asked."""

NOISE_TYPES = frozenset(
    {
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
        "aws:ec2/route:Route",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/defaultRouteTable:DefaultRouteTable",
        "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:ec2/eipAssociation:EipAssociation",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:kms/alias:Alias",
        "aws:secretsmanager/secretVersion:SecretVersion",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:lb/listenerCertificate:ListenerCertificate",
        "aws:lb/targetGroupAttachment:TargetGroupAttachment",
        "aws:lambda/permission:Permission",
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:sns/topicPolicy:TopicPolicy",
        "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
        "aws:cloudwatch/eventTarget:EventTarget",
    }
)
"""Glue resources left out of component-level pictures (and of resource-level ones when
`include_noise=False`); arrows through them are kept as arrows between their neighbours."""


MINOR_TYPES = frozenset(
    {
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws:rds/subnetGroup:SubnetGroup",
        "aws:elasticache/parameterGroup:ParameterGroup",
        "aws:elasticache/subnetGroup:SubnetGroup",
        "aws:iam/role:Role",
        "aws:iam/policy:Policy",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/flowLog:FlowLog",
        "random:index/randomPassword:RandomPassword",
    }
)
"""Types a component box mentions after the others (its summary names what matters)."""


def short_type(token: str) -> str:
    """`aws:ec2/natGateway:NatGateway` -> `NatGateway`, `gridops:aws:Network` -> `Network`."""
    if token.startswith(PROVIDER_TYPE_PREFIX):
        return f"provider:{token[len(PROVIDER_TYPE_PREFIX) :]}"
    return token.rsplit(":", 1)[-1]


def is_gridops_component(record: ResourceRecord) -> bool:
    return not record.custom and record.type.startswith(GRIDOPS_TYPE_PREFIX)


def component_label(record: ResourceRecord | None) -> str:
    """`Network/prod` for a gridops component; `(none)` for resources outside any."""
    if record is None:
        return "(none)"
    return f"{short_type(record.type)}/{record.name}"


def provider_urn(reference: str | None) -> str | None:
    """The URN part of a provider reference `urn::id`."""
    if not reference:
        return None
    return reference.rsplit("::", 1)[0]


class PlanIndex:
    """Lookups over one Plan that every analyzer shares: ownership and dependencies."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_urn: dict[str, ResourceRecord] = {r.urn: r for r in plan.resources}
        self._children: dict[str, list[ResourceRecord]] = {}
        for r in plan.resources:
            if r.parent:
                self._children.setdefault(r.parent, []).append(r)
        self._descendants: dict[str, list[str]] = {}

    @property
    def nodes(self) -> list[ResourceRecord]:
        """Resources a deployment creates: custom resources and explicit providers."""
        return [r for r in self.plan.resources if r.custom]

    def ancestors(self, record: ResourceRecord) -> list[ResourceRecord]:
        """Parents from the nearest outwards (the stack itself is not a record)."""
        out: list[ResourceRecord] = []
        seen: set[str] = set()
        parent = record.parent
        while parent and parent in self.by_urn and parent not in seen:
            seen.add(parent)
            rec = self.by_urn[parent]
            out.append(rec)
            parent = rec.parent
        return out

    def component_of(self, record: ResourceRecord) -> ResourceRecord | None:
        """The nearest gridops component above `record`, or None."""
        return next((a for a in self.ancestors(record) if is_gridops_component(a)), None)

    def top_component_of(self, record: ResourceRecord) -> ResourceRecord | None:
        """The outermost gridops component above (or being) `record`, or None."""
        chain = [record, *self.ancestors(record)]
        found = [a for a in chain if is_gridops_component(a)]
        return found[-1] if found else None

    def custom_descendants(self, urn: str) -> list[str]:
        """URNs of the custom resources under the component `urn`, at any depth."""
        cached = self._descendants.get(urn)
        if cached is not None:
            return cached
        out: list[str] = []
        todo = [urn]
        seen: set[str] = set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for child in self._children.get(current, []):
                if child.custom:
                    out.append(child.urn)
                todo.append(child.urn)
        self._descendants[urn] = out
        return out

    def dependencies_of(self, record: ResourceRecord) -> set[str]:
        """URNs of the custom resources and providers `record` waits for."""
        raw: set[str] = set(record.dependencies)
        for urns in record.property_dependencies.values():
            raw.update(urns)
        prov = provider_urn(record.provider)
        if prov:
            raw.add(prov)
        out: set[str] = set()
        for urn in raw:
            dep = self.by_urn.get(urn)
            if dep is None:
                continue  # the stack, or a default provider the engine did not record
            if dep.custom:
                out.add(urn)
            else:
                out.update(self.custom_descendants(urn))
        out.discard(record.urn)
        return out

    def dependency_graph(self) -> dict[str, set[str]]:
        """Every custom resource (and provider) -> the URNs it waits for."""
        return {r.urn: self.dependencies_of(r) for r in self.nodes}


def topological_order(graph: dict[str, set[str]]) -> list[str]:
    """Nodes with every dependency before its dependents; ValueError on a cycle."""
    remaining = {n: {d for d in deps if d in graph} for n, deps in graph.items()}
    dependents: dict[str, list[str]] = {n: [] for n in graph}
    for n, deps in remaining.items():
        for d in deps:
            dependents[d].append(n)
    ready = [n for n, deps in remaining.items() if not deps]
    order: list[str] = []
    while ready:
        n = ready.pop()
        order.append(n)
        for m in dependents[n]:
            remaining[m].discard(n)
            if not remaining[m]:
                ready.append(m)
    if len(order) != len(graph):
        stuck = sorted(n for n, deps in remaining.items() if deps)
        raise ValueError(f"dependency cycle among: {', '.join(stuck[:5])}")
    return order


def contract(graph: dict[str, set[str]], visible: set[str]) -> dict[str, set[str]]:
    """The graph over `visible` nodes only; a path through hidden nodes becomes an edge."""
    through_hidden: dict[str, set[str]] = {}

    def reach(node: str, stack: frozenset[str]) -> set[str]:
        if node in through_hidden:
            return through_hidden[node]
        out: set[str] = set()
        for d in graph.get(node, ()):
            if d in visible:
                out.add(d)
            elif d not in stack:
                out |= reach(d, stack | {d})
        if node not in visible:
            through_hidden[node] = out
        return out

    return {v: reach(v, frozenset({v})) - {v} for v in visible}


def transitive_reduction(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop `a -> c` when `a -> b -> ... -> c` exists: same order, fewer arrows."""
    order = topological_order(graph)
    bit = {n: 1 << i for i, n in enumerate(order)}
    reach: dict[str, int] = {}
    for n in order:  # dependencies first
        mask = 0
        for d in graph[n]:
            mask |= bit[d] | reach[d]
        reach[n] = mask
    reduced: dict[str, set[str]] = {}
    for n, deps in graph.items():
        indirect = 0
        for d in deps:
            indirect |= reach[d]
        reduced[n] = {d for d in deps if not indirect & bit[d]}
    return reduced


@dataclass
class _Cluster:
    key: str
    label: str
    parent: str | None
    node_ids: list[str] = field(default_factory=list)


@dataclass
class Diagram:
    """What a picture shows, before it is written as DOT or Mermaid."""

    title: str
    level: Level
    labels: dict[str, list[str]]
    """node id -> label lines."""
    node_cluster: dict[str, str | None]
    clusters: dict[str, _Cluster]
    edges: list[tuple[str, str]]
    """(dependent, dependency) node ids."""
    implied_edges: int = 0
    """Arrows left out because a longer path already implies them (transitive reduction)."""

    @property
    def legend(self) -> list[str]:
        """What the picture's shapes mean, and what was left out."""
        box = (
            "box: a gridops component, with its main resource types"
            if self.level == "component"
            else "box: a resource (name, type); frame: the component that owns it"
        )
        lines = [box, "arrow A -> B: A uses B, so B is created first"]
        if self.implied_edges:
            lines.append(
                f"{self.implied_edges} arrow(s) not drawn: a longer path already implies them"
            )
        return lines


def choose_level(plan: Plan, level: Level | None) -> Level:
    if level is None:
        return "component" if len(plan.custom_resources) > COMPONENT_LEVEL_ABOVE else "resource"
    if level not in LEVELS:
        raise ValueError(f"level={level!r} is not allowed; expected one of {', '.join(LEVELS)}")
    return level


def build_diagram(
    plan: Plan, level: Level | None = None, include_noise: bool | None = None
) -> Diagram:
    """The picture's content. `level="resource"`: one box per resource inside a box per
    gridops component; `"component"`: one box per top-level component (and per resource
    outside components). Default: component level above 40 resources. `include_noise`
    defaults to True at resource level, False at component level."""
    level = choose_level(plan, level)
    if include_noise is None:
        include_noise = level == "resource"
    index = PlanIndex(plan)
    graph = index.dependency_graph()
    resources = [r for r in index.nodes if not r.type.startswith(PROVIDER_TYPE_PREFIX)]
    title = f"{plan.project}/{plan.stack}"
    if level == "resource":
        visible = [r for r in resources if include_noise or r.type not in NOISE_TYPES]
        shown = contract(graph, {r.urn for r in visible})
        reduced = transitive_reduction(shown)
        diagram = _resource_diagram(index, visible, reduced, title)
        diagram.implied_edges = _edge_count(shown) - _edge_count(reduced)
        return diagram
    # A component box stands for all its resources, glue included (an ingress rule is
    # what ties a service to its database); only glue outside components is hidden.
    members = [
        r
        for r in resources
        if include_noise or r.type not in NOISE_TYPES or index.top_component_of(r) is not None
    ]
    return _component_diagram(index, members, contract(graph, {r.urn for r in members}), title)


def _resource_diagram(
    index: PlanIndex, visible: list[ResourceRecord], graph: dict[str, set[str]], title: str
) -> Diagram:
    ids = {r.urn: f"n{i}" for i, r in enumerate(visible)}
    clusters: dict[str, _Cluster] = {}

    def cluster_for(component: ResourceRecord | None) -> str | None:
        if component is None:
            return None
        if component.urn not in clusters:
            parent = index.component_of(component)
            clusters[component.urn] = _Cluster(
                key=f"c{len(clusters)}",
                label=f"{short_type(component.type)} {component.name}",
                parent=cluster_for(parent),
            )
        return component.urn

    node_cluster: dict[str, str | None] = {}
    labels: dict[str, list[str]] = {}
    for r in visible:
        nid = ids[r.urn]
        owner = cluster_for(index.component_of(r))
        node_cluster[nid] = owner
        labels[nid] = [r.name, short_type(r.type)]
        if owner is not None:
            clusters[owner].node_ids.append(nid)
    edges = sorted((ids[a], ids[b]) for a, deps in graph.items() for b in deps)
    return Diagram(title, "resource", labels, node_cluster, clusters, edges)


def _component_diagram(
    index: PlanIndex, resources: list[ResourceRecord], graph: dict[str, set[str]], title: str
) -> Diagram:
    unit_of: dict[str, str] = {}
    members: dict[str, list[ResourceRecord]] = {}
    unit_label: dict[str, str] = {}
    for r in resources:
        top = index.top_component_of(r)
        unit = top.urn if top is not None else r.urn
        unit_of[r.urn] = unit
        members.setdefault(unit, []).append(r)
        if top is not None:
            unit_label[unit] = f"{short_type(top.type)} {top.name}"
        else:
            unit_label[unit] = f"{r.name} ({short_type(r.type)})"
    ids = {unit: f"n{i}" for i, unit in enumerate(members)}
    labels: dict[str, list[str]] = {}
    for unit, recs in members.items():
        lines = [unit_label[unit]]
        if index.by_urn[unit].custom is False:
            lines.append(_type_summary(r for r in recs if r.type not in NOISE_TYPES))
        labels[ids[unit]] = lines
    # Arrows come from real resources first. Glue (an ingress rule a database creates
    # for its client's security group) only adds an arrow that does not reverse one:
    # the service uses the database, not the other way round.
    primary: set[tuple[str, str]] = set()
    glue: set[tuple[str, str]] = set()
    for a, deps in graph.items():
        ua = unit_of.get(a)
        for b in deps:
            ub = unit_of.get(b)
            if ua is not None and ub is not None and ua != ub:
                is_glue = index.by_urn[a].type in NOISE_TYPES
                (glue if is_glue else primary).add((ids[ua], ids[ub]))
    unit_graph: dict[str, set[str]] = {ids[u]: set() for u in members}
    for a, b in primary | {(a, b) for a, b in glue if (b, a) not in primary}:
        unit_graph[a].add(b)
    # Components may use each other both ways (a cycle): then every arrow is drawn.
    drawn = unit_graph
    with contextlib.suppress(ValueError):
        drawn = transitive_reduction(unit_graph)
    edges = sorted((a, b) for a, deps in drawn.items() for b in deps)
    node_cluster: dict[str, str | None] = dict.fromkeys(labels)
    implied = _edge_count(unit_graph) - len(edges)
    return Diagram(title, "component", labels, node_cluster, {}, edges, implied)


def _edge_count(graph: dict[str, set[str]]) -> int:
    return sum(len(deps) for deps in graph.values())


def _type_summary(records: Iterable[ResourceRecord], limit: int = 4) -> str:
    counts: dict[str, int] = {}
    for r in records:
        counts[short_type(r.type)] = counts.get(short_type(r.type), 0) + 1
    minor = {short_type(t) for t in MINOR_TYPES}
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] in minor, -kv[1], kv[0]))
    parts = [f"{name} x{n}" if n > 1 else name for name, n in ranked[:limit]]
    if len(ranked) > limit:
        parts.append(f"+{sum(n for _, n in ranked[limit:])} more")
    return ", ".join(parts) if parts else "no resources"


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(plan: Plan, level: Level | None = None, include_noise: bool | None = None) -> str:
    """Graphviz DOT of the plan: clusters named after gridops components."""
    d = build_diagram(plan, level, include_noise)
    # Top to bottom: a stack is a few layers deep and several components wide, so rows
    # and columns fit a screen where left-to-right drew one long strip.
    out = [
        f"digraph {_dot_quote('gridops')} {{",
        f"  graph [rankdir=TB, nodesep=0.3, ranksep=0.45, fontname=Helvetica, labelloc=t, "
        f"label={_dot_quote(d.title)}];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fa", '
        "fontname=Helvetica, fontsize=10];",
        '  edge [color="#5b6b82", arrowsize=0.7];',
    ]

    def emit_cluster(key: str, indent: str) -> None:
        c = d.clusters[key]
        out.append(f"{indent}subgraph {_dot_quote('cluster_' + c.key)} {{")
        out.append(f'{indent}  label={_dot_quote(c.label)}; style=rounded; color="#8a9bb5";')
        for nid in c.node_ids:
            out.append(f"{indent}  {_dot_quote(nid)};")
        for child_key, child in d.clusters.items():
            if child.parent == key:
                emit_cluster(child_key, indent + "  ")
        out.append(f"{indent}}}")

    for nid, lines in d.labels.items():
        out.append(f"  {_dot_quote(nid)} [label={_dot_quote(chr(10).join(lines))}];")
    for key, c in d.clusters.items():
        if c.parent is None:
            emit_cluster(key, "  ")
    for a, b in d.edges:
        out.append(f"  {_dot_quote(a)} -> {_dot_quote(b)};")
    legend = "Legend\\l" + "".join(_dot_quote(line)[1:-1] + "\\l" for line in d.legend)
    out.append(f'  "legend" [shape=note, fillcolor="#fffbe6", fontsize=9, label="{legend}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(plan: Plan, level: Level | None = None, include_noise: bool | None = None) -> str:
    """Mermaid flowchart of the plan: subgraphs named after gridops components."""
    d = build_diagram(plan, level, include_noise)
    out = ["---", f"title: {_mermaid_text(d.title)}", "---", "flowchart TB"]
    out += [f"  %% {line}" for line in d.legend]

    def node(nid: str, indent: str) -> None:
        label = "<br/>".join(_mermaid_text(line) for line in d.labels[nid])
        out.append(f'{indent}{nid}["{label}"]')

    def emit_cluster(key: str, indent: str) -> None:
        c = d.clusters[key]
        out.append(f'{indent}subgraph {c.key}["{_mermaid_text(c.label)}"]')
        for nid in c.node_ids:
            node(nid, indent + "  ")
        for child_key, child in d.clusters.items():
            if child.parent == key:
                emit_cluster(child_key, indent + "  ")
        out.append(f"{indent}end")

    for nid, owner in d.node_cluster.items():
        if owner is None:
            node(nid, "  ")
    for key, c in d.clusters.items():
        if c.parent is None:
            emit_cluster(key, "  ")
    for a, b in d.edges:
        out.append(f"  {a} --> {b}")
    return "\n".join(out) + "\n"


def to_png(
    plan: Plan,
    path: str | Path,
    level: Level | None = None,
    include_noise: bool | None = None,
) -> Path:
    """Render the DOT picture to a PNG file with Graphviz's `dot`; returns the path."""
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError(
            "graphviz's `dot` program is not installed; install the Debian package "
            "`graphviz` (apt-get install graphviz) or use --format dot|mermaid"
        )
    target = Path(path)
    source = to_dot(plan, level, include_noise)
    # Graphviz's unflatten staggers a rank of many leaves (a bucket's dozen settings) over
    # a few rows, so the picture stays near screen proportions.
    unflatten = shutil.which("unflatten")
    if unflatten is not None:
        staggered = subprocess.run(
            [unflatten, "-l", "3", "-f", "-c", "4"],
            input=source,
            capture_output=True,
            text=True,
            check=False,
        )
        if staggered.returncode == 0:
            source = staggered.stdout
    result = subprocess.run(
        [dot, "-Tpng", "-o", str(target)],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dot failed (exit {result.returncode}): {result.stderr.strip()}")
    return target


__all__ = [
    "COMPONENT_LEVEL_ABOVE",
    "LEVELS",
    "NOISE_TYPES",
    "Diagram",
    "Level",
    "PlanIndex",
    "build_diagram",
    "component_label",
    "contract",
    "short_type",
    "to_dot",
    "to_mermaid",
    "to_png",
    "topological_order",
    "transitive_reduction",
]
