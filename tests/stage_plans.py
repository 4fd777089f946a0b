"""The Plans of the stages and of the examples on their default config, previewed once per
test process and shared by every test file that only reads them (several files check the
same stages and examples; each preview costs more than most of their tests)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gridops_infra.testing import Plan, preview

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLATFORM_REFERENCE = "organization/platform/dev"


@cache
def stage_plan(stage: str) -> Plan:
    """`gridops preview <stage>`'s Plan. Shared: read it, never change it."""
    return preview(ROOT, stack=stage)


@cache
def example_plan(name: str) -> Plan:
    """The Plan of `examples/<name>`; the stack-references app's StackReference is answered
    with the platform example's Plan. Shared: read it, never change it."""
    references = None
    if name == "stack-references/app":
        references = {PLATFORM_REFERENCE: example_plan("stack-references/platform")}
    return preview(EXAMPLES / name, stack_references=references)
