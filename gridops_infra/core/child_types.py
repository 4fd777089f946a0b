"""Which Pulumi resource types each child role of a component creates, read from the
package's source: every call that passes a role and a Pulumi resource class
(`owner.child("vpc", aws.ec2.Vpc, ...)`, or a helper taking the same two), attributed to
the components whose modules reach it by imports (a component's reach stops at another
component's module). For the transforms page (`scripts/transforms_page.py`) and its
test; nothing imports this at run time."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = "gridops_infra"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ChildCall:
    """One call creating a child: the module it is in, the role (a regular expression
    when the role is built from a variable, as in `f"{prefix}_lifecycle"`) and the type."""

    module: str
    role: str
    pattern: bool
    pulumi_type: str

    def matches(self, role: str) -> bool:
        return re.fullmatch(self.role, role) is not None if self.pattern else self.role == role


@dataclass(frozen=True)
class ModuleSource:
    name: str
    imports: frozenset[str]
    calls: tuple[ChildCall, ...]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def package_modules() -> dict[str, ModuleSource]:
    """Every module of the package, parsed: its imports within the package and its calls."""
    modules: dict[str, ModuleSource] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        name = module_name(path)
        tree = ast.parse(path.read_text(), filename=str(path))
        is_package = path.name == "__init__.py"
        imports, external = _imports(tree, name, is_package)
        calls = tuple(_child_calls(tree, name, external))
        modules[name] = ModuleSource(name, frozenset(imports), calls)
    known = set(modules)
    return {
        name: ModuleSource(name, frozenset(i for i in source.imports if i in known), source.calls)
        for name, source in modules.items()
    }


def _absolute(module: str | None, level: int, current: str, is_package: bool) -> str:
    if level == 0:
        return module or ""
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _imports(tree: ast.Module, current: str, is_package: bool) -> tuple[set[str], dict[str, str]]:
    """(modules of the package this one imports, anywhere in it; local name -> dotted path
    of what it names outside the package, e.g. `aws` -> `pulumi_aws`)."""
    inside: set[str] = set()
    external: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE):
                    inside.add(alias.name)
                else:
                    local = alias.asname or alias.name.split(".")[0]
                    external[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node.module, node.level, current, is_package)
            if source.startswith(PACKAGE):
                inside.add(source)
                inside.update(f"{source}.{alias.name}" for alias in node.names)
            else:
                for alias in node.names:
                    external[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Call) and _called_name(node) == "LazyModules":
            inside.update(_lazy_targets(node, current, is_package))
    return inside, external


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _lazy_targets(node: ast.Call, current: str, is_package: bool) -> Iterator[str]:
    """The modules a `LazyModules(package, {key: ".module"})` loads on demand."""
    for arg in node.args[1:]:
        if isinstance(arg, ast.Dict):
            for value in arg.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    target = value.value
                    level = len(target) - len(target.lstrip("."))
                    yield _absolute(target.lstrip(".") or None, level, current, is_package)


def _child_calls(tree: ast.Module, module: str, external: dict[str, str]) -> Iterator[ChildCall]:
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and len(node.args) >= 2):
            continue
        roles = list(_roles(node.args[0]))
        pulumi_type = _pulumi_type(node.args[1], external) if roles else None
        if pulumi_type is None:
            continue
        for role, pattern in roles:
            yield ChildCall(module, role, pattern, pulumi_type)


def _roles(node: ast.expr) -> Iterator[tuple[str, bool]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value, False
    elif isinstance(node, ast.IfExp):
        yield from _roles(node.body)
        yield from _roles(node.orelse)
    elif isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(str(part.value)) if isinstance(part, ast.Constant) else "[a-z0-9_]+"
            for part in node.values
        ]
        yield "".join(parts), True


def _pulumi_type(node: ast.expr, external: dict[str, str]) -> str | None:
    """The type token of the Pulumi resource class `node` names (`aws.ec2.Vpc`), if any."""
    path: list[str] = []
    while isinstance(node, ast.Attribute):
        path.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in external:
        return None
    dotted = [*external[node.id].split("."), *reversed(path)]
    found = _resolve(tuple(dotted))
    token = getattr(found, "pulumi_type", None) if isinstance(found, type) else None
    return token if isinstance(token, str) else None


@cache
def _resolve(dotted: tuple[str, ...]) -> Any:
    for split in range(len(dotted), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(dotted[:split]))
        except ImportError:
            continue
        for attribute in dotted[split:]:
            found = getattr(found, attribute, None)
        return found
    return None


def reach(start: Iterable[str], stop: set[str]) -> set[str]:
    """The modules `start` imports, directly or not, not going through a `stop` module."""
    modules = package_modules()
    seen: set[str] = set()
    todo = [name for name in start if name in modules]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(i for i in modules[name].imports if i not in seen and i not in stop)
    return seen


def builder_modules(component: type, platform: str, components: Iterable[type]) -> set[str]:
    """The package modules that build `component`'s children: its own module's reach,
    plus, for a component whose roles depend on the platform (`platform` not ""), that
    platform's backend module (`core.lazy.EveryBackendsRoles`). `components` are every
    public component; their modules are where the reach stops."""
    others = {c.__module__ for c in components} - {component.__module__}
    start = [component.__module__]
    if platform:
        backends = inspect.getattr_static(component, "CHILD_ROLES").backends
        start.append(backends.module_name(platform))
    return reach(start, others)


def types_of(role: str, modules: set[str]) -> list[str]:
    """The Pulumi types `role` creates in `modules`, sorted."""
    found = {
        call.pulumi_type
        for name in modules
        for call in package_modules()[name].calls
        if call.matches(role)
    }
    return sorted(found)


__all__ = ["ChildCall", "builder_modules", "package_modules", "reach", "types_of"]
