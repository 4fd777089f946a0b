"""Import only what a program uses: a package's public names load their module on first
use, so a Fargate program never imports pulumi_kubernetes and the CLI starts light."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` for `package`: `exports` maps each public name to the
    module (relative to `package`) that defines it; the first use imports that module and
    keeps the value in the package, so later uses cost nothing."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


class LazyModules(Mapping[str, T], Generic[T]):
    """A key -> module mapping whose modules are imported when a key is first read (the
    platform backends: an EKS backend loads only for a service on EKS)."""

    def __init__(self, package: str, modules: Mapping[str, str]) -> None:
        self._package = package
        self._modules = dict(modules)

    def __getitem__(self, key: str) -> T:
        return importlib.import_module(self._modules[key], self._package)  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def module_name(self, key: str) -> str:
        """The absolute name of the module behind `key`, without importing it."""
        return importlib.util.resolve_name(self._modules[key], self._package)

    def __len__(self) -> int:
        return len(self._modules)


class EveryBackendsRoles:
    """A component's CHILD_ROLES when its children depend on the platform: every backend's
    roles (after `common`), computed on first read, which loads every backend. Components
    pass their one backend's roles to `GridopsComponent(child_roles=...)` instead, so a
    program never reads this unless it asks (docs, tests, transform checks)."""

    def __init__(self, backends: Mapping[str, Any], common: tuple[str, ...] = ()) -> None:
        self._backends = backends
        self._common = common
        self._roles: tuple[str, ...] | None = None

    @property
    def backends(self) -> Mapping[str, Any]:
        """Backend key (a platform kind) -> its module (loaded when read)."""
        return self._backends

    def by_backend(self) -> dict[str, tuple[str, ...]]:
        """Backend key (a platform kind) -> the roles a component on it may create (loads
        every backend)."""
        return {
            key: tuple(dict.fromkeys((*self._common, *backend.CHILD_ROLES)))
            for key, backend in self._backends.items()
        }

    def __get__(self, owner: Any, cls: type | None = None) -> tuple[str, ...]:
        if self._roles is None:
            every = (r for b in self._backends.values() for r in b.CHILD_ROLES)
            self._roles = tuple(dict.fromkeys((*self._common, *every)))
        return self._roles
