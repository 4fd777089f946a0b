"""How long an offline preview takes. Run: .venv/bin/python -m pytest benchmarks --benchmark-only"""

from __future__ import annotations

from pathlib import Path

import pytest

from gridops_infra.testing import preview

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("stage", ["single-server", "fargate", "eks"])
def test_preview_stage(benchmark, stage: str) -> None:
    plan = benchmark(preview, ROOT, stack=stage)
    benchmark.extra_info["resources"] = len(plan.custom_resources)
    assert plan.custom_resources
