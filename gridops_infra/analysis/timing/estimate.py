"""How long a first deploy (or an update) takes: the critical path through the Plan's
dependency graph, with typical create times per resource type as a range (p50 and p90,
`sources.py`) and the waits AWS and Pulumi add that the Plan does not declare
(`rules.py`).

Pulumi creates resources in parallel as soon as what they need exists, so a deploy is as
long as its longest chain of dependent resources, never shorter than its slowest single
resource (the floor). When the chain is much longer than the floor, the report names it:
that chain is what to break up (e.g. do not make the service wait for the CDN).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from gridops_infra.analysis.graph import (
    PlanIndex,
    component_label,
    short_type,
)
from gridops_infra.analysis.graph import topological_order as _topological_order
from gridops_infra.analysis.timing.rules import (
    DEFAULT_SECONDS,
    ECS_SERVICE,
    Estimate,
    aurora_writer_of,
    create_estimate,
    ecs_rolling_deploy_seconds,
    implicit_order,
)
from gridops_infra.analysis.timing.sources import DURATIONS, Durations, durations_for
from gridops_infra.testing.plan import Plan, ResourceRecord, reveal, to_jsonable

CHAIN_RATIO = 1.5
"""Above this path/floor ratio the report names the chain responsible."""
CHAIN_STEP_MIN_SECONDS = 30.0
"""Path steps shorter than this are left out when naming the chain."""
TAG_KEYS = frozenset({"tags", "tagsAll"})
TAG_ONLY_UPDATE_SECONDS = 5.0


# Inputs whose change makes the provider replace the resource, for the stateful and slow
# types where that matters (pulumi-aws schema `forceNew` properties). Others: in place.
REPLACE_ON_CHANGE: dict[str, frozenset[str]] = {
    "aws:ec2/vpc:Vpc": frozenset({"cidrBlock"}),
    "aws:ec2/subnet:Subnet": frozenset({"cidrBlock", "availabilityZone", "vpcId"}),
    "aws:ec2/natGateway:NatGateway": frozenset({"allocationId", "subnetId", "connectivityType"}),
    "aws:rds/instance:Instance": frozenset(
        {"identifier", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId"}
    ),
    "aws:rds/cluster:Cluster": frozenset(
        {"clusterIdentifier", "engine", "databaseName", "masterUsername", "storageEncrypted"}
    ),
    "aws:elasticache/replicationGroup:ReplicationGroup": frozenset(
        {"replicationGroupId", "atRestEncryptionEnabled", "subnetGroupName"}
    ),
    "aws:eks/cluster:Cluster": frozenset({"name", "roleArn"}),
    "aws:eks/nodeGroup:NodeGroup": frozenset({"nodeGroupName", "subnetIds", "instanceTypes"}),
    "aws:ecs/taskDefinition:TaskDefinition": frozenset(
        {"containerDefinitions", "cpu", "memory", "family", "runtimePlatform", "taskRoleArn"}
    ),
    "aws:lb/loadBalancer:LoadBalancer": frozenset({"name", "internal", "loadBalancerType"}),
}


def create_seconds(record: ResourceRecord, index: PlanIndex | None = None) -> tuple[float, bool]:
    """(median seconds to create `record`, whether its type is in the table)."""
    est = create_estimate(record, index)
    return est.p50, est.known


def update_seconds(
    record: ResourceRecord, changed_keys: set[str], index: PlanIndex | None = None
) -> float:
    """Typical seconds to update `record` in place after `changed_keys` changed."""
    if changed_keys and changed_keys <= TAG_KEYS:
        return TAG_ONLY_UPDATE_SECONDS
    d = durations_for(record.type)
    if d is None:
        return DEFAULT_SECONDS
    if record.type == ECS_SERVICE:
        # A new task definition or image means a rolling deploy; Pulumi waits for it only
        # with wait_for_steady_state (the rollout continues after `up` returns otherwise).
        if record.inputs.get("waitForSteadyState"):
            return ecs_rolling_deploy_seconds(record, index)
        return d.update_seconds
    return d.update_seconds


def format_seconds(seconds: float) -> str:
    """`45s`, `2m`, `12m 30s`, `1h 05m`."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        m, rest = divmod(s, 60)
        return f"{m}m" if rest == 0 else f"{m}m {rest:02d}s"
    h, rest = divmod(s, 3600)
    return f"{h}h {rest // 60:02d}m"


@dataclass(frozen=True)
class PathStep:
    """One resource on a critical path."""

    type: str
    name: str
    component: str
    seconds: float
    """Median (p50) create time."""
    start_seconds: float
    """When it starts, counted from the beginning of the deploy."""
    p90_seconds: float | None = None
    """90th percentile create time."""
    after: str | None = None
    """The resource it waited for, and why (`plan` dependency or an AWS ordering)."""
    rule: str | None = None
    """How the Plan's settings gave the figure, when a rule (not the table) did."""
    source: str | None = None
    """The public page the figure comes from."""

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order (PATH_STEP_KEYS)."""
        return asdict(self)


def _critical_path(
    index: PlanIndex,
    seconds: Mapping[str, float],
    implicit: Mapping[str, Mapping[str, str]] | None = None,
    estimates: Mapping[str, Estimate] | None = None,
) -> tuple[float, list[PathStep], dict[str, float]]:
    """Longest path (by summed seconds) through the dependency DAG plus the orderings AWS
    and the Pulumi engine impose (`implicit`: resource -> {what it waits for: why}): (total, steps, finish
    time of every node)."""
    graph = index.dependency_graph()
    implicit = implicit or {}
    for urn, waits in implicit.items():
        if urn in graph:
            graph[urn] = graph[urn] | {before for before in waits if before in graph}
    finish: dict[str, float] = {}
    best_dep: dict[str, str | None] = {}
    for urn in _topological_order(graph):
        deps = graph[urn]
        start_after = max(deps, key=lambda d: (finish[d], d), default=None)
        start = finish[start_after] if start_after is not None else 0.0
        finish[urn] = start + seconds.get(urn, 0.0)
        best_dep[urn] = start_after
    if not finish:
        return 0.0, [], finish
    end = max(finish, key=lambda u: (finish[u], u))
    chain: list[str] = []
    node: str | None = end
    while node is not None:
        chain.append(node)
        node = best_dep[node]
    steps = []
    previous: str | None = None
    for urn in reversed(chain):
        rec = index.by_urn[urn]
        secs = seconds.get(urn, 0.0)
        if secs <= 0:
            continue
        est = (estimates or {}).get(urn)
        after = None
        if previous is not None:
            why = implicit.get(urn, {}).get(previous, "plan")
            after = f"{index.by_urn[previous].name} ({why})"
        steps.append(
            PathStep(
                type=rec.type,
                name=rec.name,
                component=component_label(index.component_of(rec)),
                seconds=secs,
                start_seconds=finish[urn] - secs,
                p90_seconds=est.p90 if est else None,
                after=after,
                rule=est.rule if est else None,
                source=(est.source.url or None) if est else None,
            )
        )
        previous = urn
    return finish[end], steps, finish


@dataclass
class TimingReport:
    """Estimated first deploy of a Plan. `to_json()` keys are stable (see TIMING_REPORT_KEYS)."""

    project: str
    stack: str
    resource_count: int
    total_seconds: float
    """Length of the critical path with median times: the typical `pulumi up` time."""
    path: list[PathStep]
    floor_seconds: float
    """The slowest single resource: no ordering can make the deploy shorter."""
    floor_resource: PathStep | None
    ratio: float
    """total / floor (1.0 when the slowest resource alone sets the pace)."""
    chain: list[PathStep]
    """When ratio > 1.5: the path's steps of 30 s or more, the chain that makes it long."""
    chain_note: str | None
    untimed: dict[str, int] = field(default_factory=dict)
    """Types missing from the duration table (counted at 1 s each) -> how many."""
    assumptions: list[str] = field(default_factory=list)
    total_p90_seconds: float = 0.0
    """Longest path with every resource at its 90th percentile: a slow day's deploy."""
    implicit_order: list[dict[str, str]] = field(default_factory=list)
    """Waits AWS and the Pulumi engine impose beyond the Plan's dependencies (an Aurora
    reader after the writer, a Service after the pods it selects)."""
    sources: list[dict[str, str]] = field(default_factory=list)
    """The public sources of the figures on the critical path."""

    @property
    def total_p50_seconds(self) -> float:
        return self.total_seconds

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "project": self.project,
            "stack": self.stack,
            "resource_count": self.resource_count,
            "total_seconds": self.total_seconds,
            "floor_seconds": self.floor_seconds,
            "floor_resource": self.floor_resource.to_json() if self.floor_resource else None,
            "ratio": round(self.ratio, 3),
            "path": [s.to_json() for s in self.path],
            "chain": [s.to_json() for s in self.chain],
            "chain_note": self.chain_note,
            "untimed": dict(sorted(self.untimed.items())),
            "assumptions": list(self.assumptions),
            "total_p50_seconds": self.total_seconds,
            "total_p90_seconds": self.total_p90_seconds,
            "implicit_order": list(self.implicit_order),
            "sources": list(self.sources),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        lines = [
            f"Estimated first deploy of {self.project}/{self.stack} "
            f"({self.resource_count} resources): {format_seconds(self.total_seconds)} typical "
            f"(p50), {format_seconds(self.total_p90_seconds)} on a slow day (p90)",
        ]
        if self.floor_resource is not None:
            lines.append(
                f"Floor (slowest single resource): {format_seconds(self.floor_seconds)} "
                f"- {self.floor_resource.name} ({short_type(self.floor_resource.type)})"
            )
        lines.append(f"Critical path / floor: {self.ratio:.2f}x")
        lines.append("")
        lines.append("Critical path (p50 start, p50-p90 duration):")
        lines.append(f"  {'start':>8}  {'takes':>17}  resource")
        for s in self.path:
            p90 = s.p90_seconds if s.p90_seconds is not None else s.seconds
            span = f"{format_seconds(s.seconds)}-{format_seconds(p90)}"
            lines.append(
                f"  {format_seconds(s.start_seconds):>8}  {span:>17}  "
                f"{s.name} ({short_type(s.type)}, {s.component})"
            )
            if s.rule:
                lines.append(f"  {'':>8}  {'':>17}    {s.rule}")
        if self.implicit_order:
            lines += ["", "Waits AWS and Pulumi add to the Plan's dependencies:"]
            lines += [
                f"  - {o['resource']} after {o['after']}: {o['why']}" for o in self.implicit_order
            ]
        if self.chain_note:
            lines += ["", self.chain_note]
        if self.untimed:
            listed = ", ".join(f"{t} x{n}" for t, n in sorted(self.untimed.items()))
            lines += ["", f"Untimed types (counted at {DEFAULT_SECONDS:.0f}s): {listed}"]
        if self.sources:
            lines += ["", "Sources of the figures on the path:"]
            lines += [f"  - {src['title']}: {src['url']}" for src in self.sources]
        lines += ["", "Assumptions:", *[f"  - {a}" for a in self.assumptions]]
        return "\n".join(lines)


TIMING_REPORT_KEYS = (
    "schema_version",
    "project",
    "stack",
    "resource_count",
    "total_seconds",
    "floor_seconds",
    "floor_resource",
    "ratio",
    "path",
    "chain",
    "chain_note",
    "untimed",
    "assumptions",
    "total_p50_seconds",
    "total_p90_seconds",
    "implicit_order",
    "sources",
)
PATH_STEP_KEYS = (
    "type",
    "name",
    "component",
    "seconds",
    "start_seconds",
    "p90_seconds",
    "after",
    "rule",
    "source",
)

_TIMING_ASSUMPTIONS = [
    "Create times per resource type are medians (p50) and 90th percentiles (p90) from public "
    "deploy logs, AWS documentation and provider issue reports (docs/estimates.md lists "
    "each with its source), not guarantees.",
    "The p90 total is the longest path with every resource at its p90: an upper range, "
    "since a deploy rarely has every step slow at once.",
    "Pulumi creates everything whose dependencies exist in parallel (no --parallel limit); "
    "AWS and the engine add waits the Plan does not declare (Aurora readers after the "
    "writer; a Service after the pods it selects).",
    "ECS services with wait_for_steady_state are timed from their target group's health "
    "check and grace period; Kubernetes Deployments from their probes; an ACM validation "
    "waits for its DNS record.",
    "A dependency on a component waits for all of the component's resources; a child does "
    "not wait for its parent.",
    "Components and providers take no time themselves.",
]


def estimate_timing(plan: Plan) -> TimingReport:
    """The estimated first-deploy time of `plan`: critical path (p50 and p90), floor, the
    orderings AWS adds, and the chain to blame when the path is much longer than the
    floor."""
    index = PlanIndex(plan)
    implicit = implicit_order(index)
    readers = frozenset(aurora_writer_of(index))
    estimates: dict[str, Estimate] = {}
    untimed: dict[str, int] = {}
    for rec in index.nodes:
        est = create_estimate(rec, index, readers)
        estimates[rec.urn] = est
        if not est.known:
            untimed[rec.type] = untimed.get(rec.type, 0) + 1
    seconds = {urn: e.p50 for urn, e in estimates.items()}
    p90 = {urn: e.p90 for urn, e in estimates.items()}
    total, path, _ = _critical_path(index, seconds, implicit, estimates)
    total_p90, _, _ = _critical_path(index, p90, implicit, estimates)
    floor_urn = max(seconds, key=lambda u: (seconds[u], u), default=None)
    floor_step = None
    floor = 0.0
    if floor_urn is not None and seconds[floor_urn] > 0:
        rec = index.by_urn[floor_urn]
        floor = seconds[floor_urn]
        est = estimates[floor_urn]
        floor_step = PathStep(
            rec.type,
            rec.name,
            component_label(index.component_of(rec)),
            floor,
            0.0,
            p90_seconds=est.p90,
            rule=est.rule,
            source=est.source.url or None,
        )
    ratio = total / floor if floor > 0 else 1.0
    chain: list[PathStep] = []
    note = None
    if ratio > CHAIN_RATIO:
        chain = [s for s in path if s.seconds >= CHAIN_STEP_MIN_SECONDS] or path
        links = " -> ".join(f"{s.name} ({format_seconds(s.seconds)})" for s in chain)
        note = (
            f"The deploy takes {ratio:.1f}x its slowest resource because these wait for "
            f"each other: {links}. Removing a dependency on this chain lets them run in "
            "parallel."
        )
    known_sources = {e.source.url: e.source for e in estimates.values() if e.source.url}
    sources: dict[str, dict[str, str]] = {}
    for step in path:
        src = known_sources.get(step.source or "")
        if src is not None and src.url not in sources:
            sources[src.url] = {"title": src.title, "url": src.url, "kind": src.kind}
    return TimingReport(
        project=plan.project,
        stack=plan.stack,
        resource_count=len(plan.custom_resources),
        total_seconds=total,
        path=path,
        floor_seconds=floor,
        floor_resource=floor_step,
        ratio=ratio,
        chain=chain,
        chain_note=note,
        untimed=untimed,
        assumptions=list(_TIMING_ASSUMPTIONS),
        total_p90_seconds=total_p90,
        implicit_order=[
            {
                "resource": index.by_urn[urn].name,
                "after": index.by_urn[before].name,
                "why": why,
            }
            for urn, waits in sorted(implicit.items())
            for before, why in sorted(waits.items())
        ],
        sources=list(sources.values()),
    )


@dataclass(frozen=True)
class Change:
    """One resource an update touches."""

    action: str
    """`create`, `update`, `replace` or `delete`."""
    type: str
    name: str
    urn: str
    seconds: float
    changed_keys: list[str]

    def to_json(self) -> dict[str, Any]:
        """The fields in declaration order."""
        return asdict(self)


@dataclass
class UpdateReport:
    """What changes between two Plans of one program and how long `pulumi up` takes."""

    changes: list[Change]
    total_seconds: float
    """Critical path over the changed resources plus the deletes that follow it."""
    path: list[PathStep]
    delete_seconds: float
    assumptions: list[str] = field(default_factory=list)

    @property
    def changed_names(self) -> list[str]:
        return [c.name for c in self.changes]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "total_seconds": self.total_seconds,
            "delete_seconds": self.delete_seconds,
            "changes": [c.to_json() for c in self.changes],
            "path": [s.to_json() for s in self.path],
            "assumptions": list(self.assumptions),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent)

    def render_text(self) -> str:
        if not self.changes:
            return "No changes: the update would do nothing."
        lines = [
            f"Estimated update: {format_seconds(self.total_seconds)} "
            f"({len(self.changes)} resource(s) change)",
            "",
            f"  {'action':<8}  {'takes':>8}  resource",
        ]
        for c in self.changes:
            keys = f" [{', '.join(c.changed_keys)}]" if c.changed_keys else ""
            lines.append(
                f"  {c.action:<8}  {format_seconds(c.seconds):>8}  "
                f"{c.name} ({short_type(c.type)}){keys}"
            )
        if self.path:
            lines += ["", "Critical path:"]
            lines += [
                f"  {format_seconds(s.start_seconds):>8}  {format_seconds(s.seconds):>8}  {s.name}"
                for s in self.path
            ]
        if self.delete_seconds:
            lines.append(f"  then deletes: {format_seconds(self.delete_seconds)}")
        lines += ["", "Assumptions:", *[f"  - {a}" for a in self.assumptions]]
        return "\n".join(lines)


UPDATE_REPORT_KEYS = (
    "schema_version",
    "total_seconds",
    "delete_seconds",
    "changes",
    "path",
    "assumptions",
)


def _comparable(inputs: Mapping[str, Any]) -> dict[str, str]:
    return {
        k: json.dumps(to_jsonable(reveal(v)), sort_keys=True, default=str)
        for k, v in inputs.items()
    }


def changed_input_keys(before: ResourceRecord, after: ResourceRecord) -> set[str]:
    """Top-level input keys whose value differs (secrets compared by value, never shown)."""
    a, b = _comparable(before.inputs), _comparable(after.inputs)
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def estimate_update(plan_before: Plan, plan_after: Plan) -> UpdateReport:
    """Which resources an update from `plan_before` to `plan_after` touches (matched by
    URN: inputs differ, added, removed) and its estimated duration: the critical path of
    `plan_after` where unchanged resources take no time, then the deletes."""
    before = {r.urn: r for r in plan_before.resources if r.custom}
    index = PlanIndex(plan_after)
    seconds: dict[str, float] = {}
    changes: list[Change] = []
    replaced: set[str] = set()
    order = _topological_order(index.dependency_graph())
    position = {urn: i for i, urn in enumerate(order)}
    for rec in sorted(index.nodes, key=lambda r: position[r.urn]):
        old = before.get(rec.urn)
        if old is None:
            secs, _ = create_seconds(rec, index)
            changes.append(Change("create", rec.type, rec.name, rec.urn, secs, []))
            seconds[rec.urn] = secs
            continue
        # A replaced resource gets a new id/ARN (a task definition gets a new revision),
        # so every input that refers to it changes too, whatever the mocks answered.
        keys = changed_input_keys(old, rec) | {
            prop
            for prop, urns in rec.property_dependencies.items()
            if any(u in replaced for u in urns)
        }
        if not keys:
            continue
        if keys & REPLACE_ON_CHANGE.get(rec.type, frozenset()):
            secs, _ = create_seconds(rec, index)
            if rec.delete_before_replace:
                d = durations_for(rec.type)
                secs += d.delete_seconds if d else DEFAULT_SECONDS
            action = "replace"
            replaced.add(rec.urn)
        else:
            secs = update_seconds(rec, keys, index)
            action = "update"
        changes.append(Change(action, rec.type, rec.name, rec.urn, secs, sorted(keys)))
        seconds[rec.urn] = secs
    order_of = {c.urn: position.get(c.urn, 0) for c in changes}
    changes.sort(key=lambda c: order_of[c.urn])
    after_urns = {r.urn for r in index.nodes}
    removed = [r for urn, r in before.items() if urn not in after_urns]
    delete_total = 0.0
    if removed:
        # Pulumi deletes after every create and update, dependents first: the longest
        # chain of deletes among the removed resources.
        old_index = PlanIndex(plan_before)
        delete_secs = {}
        for r in removed:
            d = durations_for(r.type)
            delete_secs[r.urn] = d.delete_seconds if d else DEFAULT_SECONDS
            changes.append(Change("delete", r.type, r.name, r.urn, delete_secs[r.urn], []))
        delete_total, _, _ = _critical_path(old_index, delete_secs)
    path_total, path, _ = _critical_path(index, seconds)
    return UpdateReport(
        changes=changes,
        total_seconds=path_total + delete_total,
        path=path,
        delete_seconds=delete_total,
        assumptions=[
            "Resources are matched by URN; a resource changes when any input differs, or "
            "when an input refers to a resource that is replaced (new id or revision).",
            "Tag-only changes take 5 s; replacements are detected for the inputs listed in "
            "REPLACE_ON_CHANGE (others are in-place updates).",
            "Unchanged resources take no time but still order the changed ones.",
            "Deletes run after all creates and updates.",
        ],
    )


__all__ = [
    "DURATIONS",
    "PATH_STEP_KEYS",
    "REPLACE_ON_CHANGE",
    "TIMING_REPORT_KEYS",
    "UPDATE_REPORT_KEYS",
    "Change",
    "Durations",
    "PathStep",
    "TimingReport",
    "UpdateReport",
    "changed_input_keys",
    "create_seconds",
    "durations_for",
    "estimate_timing",
    "estimate_update",
    "format_seconds",
    "update_seconds",
]
