"""The house: the import graph has no cycle, counting every import a reader or a type
checker follows: module level, inside `if TYPE_CHECKING:` and inside functions.

A helper that imports its component back (even only for a type) ties the two into one
knot: builders take their owner as a `GridopsComponent` and their settings instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "gridops_infra"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the gridops_infra modules it imports (by any statement anywhere)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [
                    f"{node.module}.{alias.name}"
                    if f"{node.module}.{alias.name}" in modules
                    else node.module
                    for alias in node.names
                ]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_sees_type_checking_and_function_imports() -> None:
    graph = import_graph()
    # The top-level package imports its components only under TYPE_CHECKING.
    assert "gridops_infra.data.postgres.component" in graph["gridops_infra"]
    # The finder itself finds a cycle when there is one.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("family", ["data/postgres", "data/redis", "platforms/single_server"])
def test_no_helper_imports_its_component(family: str) -> None:
    component = f"gridops_infra.{family.replace('/', '.')}.component"
    graph = import_graph()
    importers = sorted(
        name
        for name, targets in graph.items()
        if component in targets and name.startswith(component.rsplit(".", 1)[0] + ".")
    )
    assert importers == [], f"{family}: helpers import the component back: {importers}"


def test_every_args_typed_dict_lives_in_an_args_module() -> None:
    """One convention for arguments: a component family's `args.py` holds the TypedDicts
    users write (its settings module, where it has one, reads them)."""
    import gridops_infra

    elsewhere = {
        name: module
        for name in gridops_infra.__all__
        if name.endswith("Args")
        and not (module := getattr(gridops_infra, name).__module__).endswith(".args")
    }
    assert elsewhere == {}
