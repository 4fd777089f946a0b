"""`gridops preview fargate --json` against a raw Pulumi program that registers the same
resources with pulumi_aws classes under `pulumi.runtime` mocks, each end to end as a new
process (interpreter start, imports, program, output), in the same run (issue 16: at most
1.6x).

The raw program is generated from the fargate stage's Plan (`raw_program.py`): one
pulumi_aws (or pulumi_random) resource per custom resource of the Plan, the same types,
counts, names and inputs. Every round runs both, the order alternating from round to round
so that load from other processes falls on both alike. Both run with bytecode caches (in a
directory of this run, filled by the warm-up round), as an installed package has them.
The summary prints the min and median of each, wall clock and CPU (user + system of the
child process), and the ratios.

    .venv/bin/python -m pytest benchmarks/test_against_raw_pulumi.py --benchmark-only --dist no
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from raw_program import write_raw_program

from gridops_infra.testing import preview

ROOT = Path(__file__).resolve().parents[1]
STAGE = "fargate"
ROUNDS = 7


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr[-2000:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


@pytest.mark.benchmark(group="cli")
def test_gridops_preview_against_raw_pulumi(benchmark: Any, record: Any, tmp_path: Path) -> None:
    plan = preview(ROOT, stack=STAGE)
    raw = tmp_path / "raw_fargate.py"
    resources = write_raw_program(plan, STAGE, raw)
    assert resources == len(plan.custom_resources)

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPYCACHEPREFIX": str(tmp_path / "bytecode"), "PYTHONPATH": str(ROOT)}
    commands = {
        "gridops": [sys.executable, "-m", "gridops_infra.cli", "preview", STAGE, "--json"],
        "raw": [sys.executable, str(raw)],
    }
    times: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in commands}
    order = list(commands)

    def warm_up() -> None:
        for command in commands.values():
            _timed(command, env)

    def one_round() -> None:
        order.reverse()
        for name in order:
            wall, cpu, out = _timed(commands[name], env)
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
            shown = int(out) if name == "raw" else json.loads(out)["resource_count"]
            assert shown == resources, (name, shown)

    warm_up()
    benchmark.pedantic(one_round, rounds=ROUNDS)

    for name, measured in times.items():
        record(
            f"versus raw:{name}",
            median_s=statistics.median(measured["wall"]),
            min_s=min(measured["wall"]),
            cpu_median_s=statistics.median(measured["cpu"]),
            cpu_min_s=min(measured["cpu"]),
            resources=resources,
            rounds=ROUNDS,
        )
