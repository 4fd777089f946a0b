"""The Plans of the stages and of the examples on their default config, previewed once per
test process and shared by every test file that only reads them (several files check the
same stages and examples; each preview costs more than most of their tests)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from gridops_infra.testing import Plan, preview

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLATFORM_REFERENCE = "organization/platform/dev"


_ROOT_PLANS: dict[tuple[str, str, str], tuple[Plan, Mapping[str, Plan]]] = {}


def root_preview(
    directory: str | Path,
    *,
    stack: str,
    config: Mapping[str, Any] | None = None,
    stack_references: Mapping[str, Plan] | None = None,
    **rest: Any,
) -> Plan:
    """`preview`, sharing the Plans of the root project's stacks within a test process:
    the CLI's commands preview the same stage with the same config in many tests, and the
    root project's files do not change during a run. Any other directory (a project a test
    writes into tmp_path) is previewed afresh."""
    if rest or Path(directory).resolve() != ROOT:
        return preview(
            directory, stack=stack, config=config, stack_references=stack_references, **rest
        )
    references = stack_references or {}
    key = (
        stack,
        repr(sorted((config or {}).items())),
        repr(sorted((name, id(plan)) for name, plan in references.items())),
    )
    if key not in _ROOT_PLANS:
        plan = preview(ROOT, stack=stack, config=dict(config or {}), stack_references=references)
        # The references stay alive beside the Plan, so their ids in the key stay theirs.
        _ROOT_PLANS[key] = (plan, references)
    return _ROOT_PLANS[key][0]


def stage_plan(stage: str) -> Plan:
    """`gridops preview <stage>`'s Plan. Shared: read it, never change it."""
    return root_preview(ROOT, stack=stage)


@cache
def example_plan(name: str) -> Plan:
    """The Plan of `examples/<name>`; the stack-references app's StackReference is answered
    with the platform example's Plan. Shared: read it, never change it."""
    references = None
    if name == "stack-references/app":
        references = {PLATFORM_REFERENCE: example_plan("stack-references/platform")}
    return preview(EXAMPLES / name, stack_references=references)
