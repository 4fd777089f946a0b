"""Printing a Plan for people: the resource tree, counts by type, the stack exports."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from gridops_infra.testing.plan import Plan, ResourceRecord, to_jsonable


def _label(record: ResourceRecord) -> str:
    kind = "component" if record.is_component else "resource"
    style = "bold cyan" if kind == "component" else "green"
    flags = []
    if record.protect:
        flags.append("protect")
    if record.retain_on_delete:
        flags.append("retain")
    suffix = f" [yellow]({', '.join(flags)})[/]" if flags else ""
    return f"[{style}]{record.name}[/] [dim]{record.type}[/]{suffix}"


def resource_tree(plan: Plan) -> Tree:
    """Parent/child tree of every registered resource, rooted at the stack."""
    root = Tree(f"[bold]{plan.project}-{plan.stack}[/] [dim]pulumi:pulumi:Stack[/]")
    children: dict[str | None, list[ResourceRecord]] = {}
    for record in plan.resources:
        children.setdefault(record.parent, []).append(record)
    known = {r.urn for r in plan.resources}

    def add(node: Tree, parent: str | None) -> None:
        for record in sorted(children.get(parent, []), key=lambda r: (not r.is_component, r.name)):
            add(node.add(_label(record)), record.urn)

    add(root, plan.stack_urn)
    orphans = [r for r in plan.resources if r.parent not in known and r.parent != plan.stack_urn]
    for record in orphans:
        add(root.add(_label(record)), record.urn)
    return root


def counts_table(plan: Plan) -> Table:
    table = Table(title="Resources by type", show_footer=True)
    counts = plan.counts_by_type()
    table.add_column("type", footer="total")
    table.add_column("count", justify="right", footer=str(sum(counts.values())))
    for type_, count in counts.items():
        table.add_row(type_, str(count))
    return table


def outputs_table(plan: Plan) -> Table:
    table = Table(title="Stack exports")
    table.add_column("name")
    table.add_column("value", overflow="fold")
    for key, value in to_jsonable(plan.outputs).items():
        shown = value if isinstance(value, str) else json.dumps(value)
        table.add_row(key, shown)
    return table


def print_plan(console: Console, plan: Plan, label: str) -> None:
    console.print(f"[bold]Offline preview of {label}[/] (stack {plan.stack}, no cloud calls)")
    console.print(resource_tree(plan))
    console.print(counts_table(plan))
    if plan.outputs:
        console.print(outputs_table(plan))
    # The plan's warnings went to stderr when it was read (cli/commands/warnings.py).
