"""`gridops preview fargate` end to end in a new interpreter (start, imports, program,
printing), the import of gridops_infra alone, and the first preview of the fargate stage in
a new interpreter (it imports the pulumi_aws modules the stage uses), as a user would run
them."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GRIDOPS = Path(sys.executable).parent / "gridops"
ROUNDS = 5


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        timeout=120,
        check=False,
    )


@pytest.mark.benchmark(group="cli")
def test_gridops_preview_fargate(benchmark: Any, record: Any) -> None:
    command = (
        [str(GRIDOPS)] if GRIDOPS.exists() else [sys.executable, "-m", "gridops_infra.cli.app"]
    )
    done = benchmark.pedantic(
        _run, args=(*command, "preview", "fargate"), rounds=ROUNDS, warmup_rounds=1
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "stage fargate" in done.stdout
    record("cli:preview fargate")


FIRST_PREVIEW = """
import time
from pathlib import Path
from gridops_infra.testing import preview
start = time.perf_counter()
plan = preview(Path.cwd(), stack="fargate")
print(time.perf_counter() - start, len(plan.custom_resources))
"""


@pytest.mark.benchmark(group="cli")
def test_first_fargate_preview_in_a_new_interpreter(benchmark: Any, record: Any) -> None:
    seconds: list[float] = []

    def first_preview() -> None:
        done = _run(sys.executable, "-c", FIRST_PREVIEW)
        assert done.returncode == 0, done.stderr[-2000:]
        took, resources = done.stdout.split()
        assert int(resources) > 0
        seconds.append(float(took))

    benchmark.pedantic(first_preview, rounds=ROUNDS, warmup_rounds=1)
    record("cli:first fargate preview", median_s=statistics.median(seconds[1:] or seconds))


@pytest.mark.benchmark(group="cli")
def test_import_gridops_infra(benchmark: Any, record: Any) -> None:
    done = benchmark.pedantic(
        _run, args=(sys.executable, "-c", "import gridops_infra"), rounds=ROUNDS, warmup_rounds=1
    )
    assert done.returncode == 0, done.stderr[-2000:]
    record("cli:import gridops_infra")
