"""What the CLI previews: a stage of the root project, or any Pulumi project directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from gridops_infra.testing.project import ProjectError, available_stacks

STAGES = ("single-server", "express", "fargate", "eks")
ENVIRONMENT_STACKS = {"fargate-staging": "fargate", "fargate-preview": "fargate"}
"""The root project's other environments of a stage (stack -> the stage it builds): the
stage stacks themselves are production (docs/environments.md)."""
BUILT = (*STAGES, "cutover", "registry")
"""What a stack file's `gridops:stage` may name."""
STACKS = (*BUILT, *ENVIRONMENT_STACKS)
"""The root project's stacks: the stages, the cut-over that moves traffic between two, the
container registry the stages deploy from, and the staging and preview stacks of a stage."""


def stage_of(stack: str) -> str:
    """What a root-project stack builds: `fargate-staging` -> `fargate`."""
    return ENVIRONMENT_STACKS.get(stack, stack)


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
    candidates.append(Path(__file__).resolve().parents[2])
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
    if target in STACKS:
        root = find_root_project()
        kind = "stage" if target in STAGES else "stack"
        if target in ENVIRONMENT_STACKS:
            kind = f"{stage_of(target)} stack"
        return Target(root, stack or target, f"{kind} {target}")
    if path.is_dir():
        if not (path / "Pulumi.yaml").exists():
            raise TargetError(f"{target} is a directory but not a Pulumi project (no Pulumi.yaml)")
        chosen = stack or _default_stack(path)
        return Target(path.resolve(), chosen, f"project {target}")
    raise TargetError(
        f"unknown stage or project directory {target!r}; stages: {', '.join(STAGES)} "
        f"(and the stacks {', '.join(STACKS[len(STAGES) :])})"
    )


def _default_stack(directory: Path) -> str:
    try:
        stacks = available_stacks(directory)
    except ProjectError:
        stacks = []
    return "dev" if "dev" in stacks or not stacks else stacks[0]
