"""The base every gridops component shares: child naming, transforms, nodes, tags."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, ClassVar, TypeVar

import pulumi

from gridops_infra.core.physical_names import autoname_args, fit_name_tag
from gridops_infra.core.validation import ArgError, check_opts, check_tags

R = TypeVar("R", bound=pulumi.Resource)

Transform = Mapping[str, Any] | Callable[[dict[str, Any], pulumi.ResourceOptions], Any]
"""Per-child escape hatch: a dict merged into the child's arguments, or a function
`(args, opts) -> args | (args, opts) | None` that may edit them in place."""

TAG_COMPONENT = "gridops:component"
TAG_STAGE = "gridops:stage"


@cache
def _accepts_tags(cls: type) -> bool:
    init = getattr(cls, "_internal_init", None) or cls.__init__
    try:
        return "tags" in inspect.signature(init).parameters
    except (TypeError, ValueError):
        return False


def stage_name() -> str:
    """The stage the resources belong to: config `gridops:stage`, else the stack name."""
    return pulumi.Config("gridops").get("stage") or pulumi.get_stack()


def check_transforms(
    component: str, name: str, transforms: Any, roles: tuple[str, ...]
) -> dict[str, Transform]:
    if transforms is None:
        return {}
    if not isinstance(transforms, Mapping):
        raise ArgError(
            f"{component} '{name}': transforms must be a dict of child role -> dict or function"
        )
    unknown = sorted(set(transforms) - set(roles))
    if unknown:
        raise ArgError(
            f"{component} '{name}': transforms has unknown child role(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(roles))}"
        )
    for role, fn in transforms.items():
        if not (isinstance(fn, Mapping) or callable(fn)):
            raise ArgError(
                f"{component} '{name}': transforms[{role!r}] must be a dict or a function"
            )
    return dict(transforms)


class GridopsComponent(pulumi.ComponentResource):
    """Base of every gridops component.

    Subclasses set `TYPE` (the `gridops:<module>:<Name>` token: never change it without a
    `pulumi.Alias`) and `CHILD_ROLES` (the keys `transforms` may use), validate their args
    *before* calling `super().__init__`, create children with `self.child(...)`, and call
    `self.register_outputs` last.
    """

    TYPE: ClassVar[str]
    CHILD_ROLES: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        from gridops_infra.core.args_help import document_constructor

        document_constructor(cls)

    def __init__(
        self,
        name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        transforms: dict[str, Transform] | None = None,
        tags: Mapping[str, str] | None = None,
        child_roles: tuple[str, ...] | None = None,
    ) -> None:
        check_opts(type(self).__name__, name, opts)
        user_tags = check_tags(type(self).__name__, name, tags)
        super().__init__(self.TYPE, name, None, opts)
        self._name = name
        self._transforms = transforms or {}
        # The roles this instance may create: a component whose children depend on its
        # platform passes that backend's roles, so CHILD_ROLES (every platform's) and the
        # backends it lists are not loaded by a program that does not use them.
        self._child_roles = child_roles
        self._nodes: dict[str, pulumi.Resource] = {}
        self.tags: dict[str, str] = {
            **user_tags,
            TAG_COMPONENT: self.TYPE.rsplit(":", 1)[-1],
            TAG_STAGE: stage_name(),
        }

    @property
    def name(self) -> str:
        """The component's logical name; children are named `f"{name}-{role}"`."""
        return self._name

    @property
    def nodes(self) -> dict[str, pulumi.Resource]:
        """Every child this component created, by its name suffix (e.g. `"vpc"`, `"public-0"`)."""
        return dict(self._nodes)

    def child(
        self,
        role: str,
        cls: type[R],
        args: dict[str, Any],
        *,
        suffix: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
        tag: bool = True,
    ) -> R:
        """Create a child resource `f"{name}-{suffix or role}"` parented to this component,
        with the component's tags and the user's transform for `role` applied."""
        roles = self._child_roles if self._child_roles is not None else self.CHILD_ROLES
        if role not in roles:
            raise AssertionError(
                f"{type(self).__name__}: child role {role!r} missing from CHILD_ROLES"
            )
        suffix = suffix or role.replace("_", "-")
        child_opts = pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=self), opts)
        args = dict(args)
        if tag and _accepts_tags(cls):
            args["tags"] = {**self.tags, **(args.get("tags") or {})}
        args, child_opts = self._apply_transform(role, args, child_opts)
        if suffix in self._nodes:
            raise AssertionError(
                f"{type(self).__name__} '{self._name}': two children share the suffix "
                f"{suffix!r}; `nodes` would keep only one"
            )
        logical = f"{self._name}-{suffix}"
        args, child_opts = autoname_args(cls, logical, fit_name_tag(args), child_opts)
        resource = cls(logical, opts=child_opts, **args)
        self._nodes[suffix] = resource
        return resource

    def _apply_transform(
        self, role: str, args: dict[str, Any], opts: pulumi.ResourceOptions
    ) -> tuple[dict[str, Any], pulumi.ResourceOptions]:
        transform = self._transforms.get(role)
        if transform is None:
            return args, opts
        if isinstance(transform, Mapping):
            return {**args, **transform}, opts
        result = transform(args, opts)
        if result is None:
            return args, opts
        if isinstance(result, tuple):
            return dict(result[0]), result[1]
        return dict(result), opts
