"""Preview time and memory as a program grows: 1, 10 and 50 StatelessServices, each with
its SqsWorkerQueue, on one cluster. Time should grow linearly and the memory per added
service stay flat; the summary prints both (no timed assertions here)."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from programs import services_on_one_cluster

from gridops_infra.testing import preview

COUNTS = (1, 10, 50)
ROUNDS = {1: 9, 10: 5, 50: 5}


def memory_megabytes(program: Any) -> tuple[float, float]:
    """(the most memory Python held during one preview, what its Plan still holds after),
    as tracemalloc counts it: Python allocations only."""
    tracemalloc.start()
    try:
        plan = preview(program)
        held, peak = tracemalloc.get_traced_memory()
        assert plan.resources
        return peak / 2**20, held / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.benchmark(group="scaling")
@pytest.mark.parametrize("count", COUNTS)
def test_services_with_queues_on_one_cluster(benchmark: Any, record: Any, count: int) -> None:
    program = services_on_one_cluster(count, queues=True)
    plan = benchmark.pedantic(preview, args=(program,), rounds=ROUNDS[count], warmup_rounds=1)
    services = plan.of_type("gridops:aws:StatelessService")
    queues = plan.of_type("gridops:aws:SqsWorkerQueue")
    assert len(services) == len(queues) == count
    peak_mb, plan_mb = memory_megabytes(program)
    record(
        f"scaling:{count}",
        services=count,
        queues=True,
        resources=len(plan.resources),
        peak_mb=peak_mb,
        plan_mb=plan_mb,
    )
