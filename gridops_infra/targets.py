"""What the CLI previews: a stage of the root project, or any Pulumi project directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .testing import Plan, preview
from .testing.project import ProjectError, available_stacks

STAGES = ("single-server", "fargate", "eks")


class TargetError(ValueError):
    """A target the user named that cannot be previewed (shown as one line)."""


@dataclass(frozen=True)
class Target:
    directory: Path
    stack: str
    label: str


def find_root_project(start: Path | None = None) -> Path:
    """The gridops root project: the nearest folder at or above `start` (default: the
    working directory) whose Pulumi.yaml keeps stack config in `stacks/`, else the
    checkout this package was installed from."""
    candidates = [start or Path.cwd(), *(start or Path.cwd()).parents]
    candidates.append(Path(__file__).resolve().parent.parent)
    for folder in candidates:
        project_file = folder / "Pulumi.yaml"
        if project_file.exists():
            try:
                settings = yaml.safe_load(project_file.read_text()) or {}
            except yaml.YAMLError:
                continue
            if isinstance(settings, dict) and settings.get("stackConfigDir") == "stacks":
                return folder
    raise TargetError(
        "cannot find the gridops root project (a Pulumi.yaml with stackConfigDir: stacks); "
        "run from a clone of the repository or pass a project directory"
    )


def resolve(target: str, stack: str | None = None) -> Target:
    """`fargate` -> the root project's fargate stack; `examples/x` -> that project."""
    path = Path(target)
    if target in STAGES:
        root = find_root_project()
        return Target(root, stack or target, f"stage {target}")
    if path.is_dir():
        if not (path / "Pulumi.yaml").exists():
            raise TargetError(f"{target} is a directory but not a Pulumi project (no Pulumi.yaml)")
        chosen = stack or _default_stack(path)
        return Target(path.resolve(), chosen, f"project {target}")
    raise TargetError(f"unknown stage or project directory {target!r}; stages: {', '.join(STAGES)}")


def _default_stack(directory: Path) -> str:
    try:
        stacks = available_stacks(directory)
    except ProjectError:
        stacks = []
    return "dev" if "dev" in stacks or not stacks else stacks[0]


def parse_config_pairs(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise TargetError(f"--config {pair!r}: expected key=value")
        out[key] = value
    return out


def parse_references(pairs: list[str] | None) -> dict[str, Plan]:
    """`--reference org/project/stack=DIR[:STACK]`: preview DIR and answer the
    StackReference `org/project/stack` with its outputs."""
    out: dict[str, Plan] = {}
    for pair in pairs or []:
        name, sep, where = pair.partition("=")
        if not sep or not name or not where:
            raise TargetError(f"--reference {pair!r}: expected NAME=DIR or NAME=DIR:STACK")
        directory, _, ref_stack = where.partition(":")
        _, out[name] = load_plan(directory, ref_stack or None)
    return out


def load_plan(
    target: str,
    stack: str | None = None,
    config: dict[str, Any] | None = None,
    references: dict[str, Plan] | None = None,
) -> tuple[Target, Plan]:
    """Preview `target` offline: the one way every command reads a program."""
    resolved = resolve(target, stack)
    plan = preview(
        resolved.directory, stack=resolved.stack, config=config, stack_references=references
    )
    return resolved, plan
