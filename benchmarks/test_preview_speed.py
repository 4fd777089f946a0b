"""How long an offline preview of each stage and example takes (warm: imports done).
Run: .venv/bin/python -m pytest benchmarks --benchmark-only"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gridops_infra.testing import Plan, preview

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PLATFORM_STACK = "organization/platform/dev"


def _examples() -> list[str]:
    found = sorted(str(p.parent.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("Pulumi.yaml"))
    return [name for name in found if name != "stack-references/app"] + ["stack-references/app"]


@pytest.fixture(scope="module")
def platform_plan() -> Plan:
    """The stack the stack-references app example reads its network from."""
    return preview(EXAMPLES / "stack-references" / "platform")


@pytest.mark.benchmark(group="stages")
@pytest.mark.parametrize("stage", ["single-server", "fargate", "eks"])
def test_preview_stage(benchmark: Any, record: Any, stage: str) -> None:
    plan = benchmark(preview, ROOT, stack=stage)
    assert plan.custom_resources
    record(f"stage:{stage}", resources=len(plan.custom_resources))


@pytest.mark.benchmark(group="examples")
@pytest.mark.parametrize("example", _examples())
def test_preview_example(benchmark: Any, record: Any, platform_plan: Plan, example: str) -> None:
    references = {PLATFORM_STACK: platform_plan} if example == "stack-references/app" else None
    plan = benchmark(preview, EXAMPLES / example, stack_references=references)
    assert plan.custom_resources
    record(f"example:{example}", resources=len(plan.custom_resources))
