"""The Plan of each stage on its default config, previewed once per test process and
shared by every test file that only reads it (several files check the same three stages;
each stage preview costs more than most of their tests)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gridops_infra.testing import Plan, preview

ROOT = Path(__file__).resolve().parents[1]


@cache
def stage_plan(stage: str) -> Plan:
    """`gridops preview <stage>`'s Plan. Shared: read it, never change it."""
    return preview(ROOT, stack=stage)
