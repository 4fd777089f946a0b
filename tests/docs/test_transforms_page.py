"""docs/transforms.md lists, for every component, exactly the child roles its
`transforms` accepts (per platform where they depend on it), each with its Pulumi
resource types and what the child is for; `help(Component)` lists the roles too."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import gridops_infra
from gridops_infra.core.child_roles import EVERY_PLATFORM, transform_roles
from gridops_infra.core.child_types import builder_modules, types_of
from gridops_infra.core.role_purposes import ROLE_PURPOSES, role_purpose
from gridops_infra.testing import preview

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "regenerate the page: .venv/bin/python scripts/transforms_page.py"
PAGE = (ROOT / "docs" / "transforms.md").read_text()
COMPONENTS = [
    obj
    for obj in (getattr(gridops_infra, name) for name in gridops_infra.__all__)
    if isinstance(obj, type) and hasattr(obj, "CHILD_ROLES")
]
WITH_TRANSFORMS = [c for c in COMPONENTS if transform_roles(c)]


def page_rows() -> dict[str, dict[str, list[str]]]:
    """Component -> role -> the row's cells after the role."""
    rows: dict[str, dict[str, list[str]]] = defaultdict(dict)
    component = ""
    for line in PAGE.splitlines():
        if line.startswith("## "):
            component = line[3:].strip()
        match = re.match(r"^\| `([a-z0-9_]+)` \| (.*) \|$", line)
        if match:
            assert match[1] not in rows[component], f"{component}: {match[1]} twice"
            rows[component][match[1]] = [c.strip() for c in match[2].split(" | ")]
    return rows


ROWS = page_rows()


def page_types(component: str, role: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", ROWS[component][role][-2]))


def test_the_page_lists_exactly_the_components_that_take_transforms() -> None:
    assert set(ROWS) == {c.__name__ for c in WITH_TRANSFORMS}, REGENERATE
    without = [c.__name__ for c in COMPONENTS if c not in WITH_TRANSFORMS]
    assert without == ["NetworkReference"]
    assert "`NetworkReference`: no children of its own." in PAGE


@pytest.mark.parametrize("component", WITH_TRANSFORMS, ids=lambda c: c.__name__)
def test_the_page_lists_exactly_each_components_roles(component: type) -> None:
    roles = transform_roles(component)
    rows = ROWS[component.__name__]
    expected = {role for platform_roles in roles.values() for role in platform_roles}
    assert set(rows) == expected, REGENERATE
    if EVERY_PLATFORM not in roles:  # a platforms column, right after the role
        for role, cells in rows.items():
            on = [platform for platform, platform_roles in roles.items() if role in platform_roles]
            assert cells[0] == ", ".join(on), (role, REGENERATE)


@pytest.mark.parametrize("component", WITH_TRANSFORMS, ids=lambda c: c.__name__)
def test_each_role_says_what_its_child_is_for(component: type) -> None:
    for role, cells in ROWS[component.__name__].items():
        assert cells[-1] == role_purpose(component.__name__, role), (role, REGENERATE)
        assert cells[-1].endswith(".")


def test_the_purposes_describe_no_role_nobody_declares() -> None:
    used = set()
    for component in WITH_TRANSFORMS:
        for roles in transform_roles(component).values():
            for role in roles:
                specific = f"{component.__name__}.{role}"
                used.add(specific if specific in ROLE_PURPOSES else role)
    assert set(ROLE_PURPOSES) - used == set()


def test_the_types_agree_with_the_source() -> None:
    """Where the source names the class it creates for a role, the page shows exactly
    those types (the rest come from what the stages and examples register)."""
    checked = 0
    for component in WITH_TRANSFORMS:
        for platform, roles in transform_roles(component).items():
            modules = builder_modules(component, platform, COMPONENTS)
            for role in roles:
                found = set(types_of(role, modules))
                if found:
                    checked += 1
                    assert found == page_types(component.__name__, role), (role, REGENERATE)
    assert checked > 200


def test_the_types_cover_what_the_fargate_stage_registers() -> None:
    base = next(k for k in COMPONENTS[0].__mro__ if "child" in k.__dict__)
    original = base.child
    seen: set[tuple[str, str, str]] = set()

    def recording(self, role, cls, args, **kwargs):  # type: ignore[no-untyped-def]
        resource = original(self, role, cls, args, **kwargs)
        seen.add((type(self).__name__, role, getattr(cls, "pulumi_type", None) or resource._type))
        return resource

    base.child = recording
    try:
        preview(ROOT, stack="fargate")
    finally:
        base.child = original
    assert len(seen) > 50
    for component, role, pulumi_type in seen:
        assert pulumi_type in page_types(component, role), (component, role, REGENERATE)


def test_help_lists_the_child_roles_with_their_purpose() -> None:
    doc = gridops_infra.Network.__init__.__doc__ or ""
    assert "Child roles (the keys of `transforms`):" in doc
    assert f"private_subnet:\n    {role_purpose('Network', 'private_subnet')}" in doc
    service_doc = gridops_infra.StatelessService.__init__.__doc__ or ""
    assert "`StatelessService.CHILD_ROLES` lists every platform's" in service_doc


def test_the_pages_example_transforms_reach_their_children() -> None:
    def program() -> None:
        net = gridops_infra.Network("net", {"az_count": 2})
        cluster = gridops_infra.FargateCluster("web", {"network": net})
        gridops_infra.StatelessService(
            "api",
            {
                "platform": cluster,
                "image": "ghcr.io/acme/api:1.4.2",
                "transforms": {
                    "log_group": {"retention_in_days": 90},
                    "task_definition": lambda args, opts: {
                        **args,
                        "ephemeral_storage": {"size_in_gib": 40},
                    },
                },
            },
        )

    assert '"log_group": {"retention_in_days": 90}' in PAGE
    assert '"ephemeral_storage": {"size_in_gib": 40}' in PAGE
    plan = preview(program)
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["ephemeralStorage"] == {"sizeInGib": 40}
    groups = [g for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if g.name == "api-logs"]
    assert [g.inputs["retentionInDays"] for g in groups] == [90]
