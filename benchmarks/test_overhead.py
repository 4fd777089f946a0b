"""What the components cost over the same resources written with raw pulumi_aws calls: a
Fargate service with its ALB rule, autoscaling and alarms, on the same cluster.

Each program builds SERVICES such services, so that their share of a preview dominates the
measurement (the cluster both build is measured alone as `base` and subtracted). The summary
prints components / raw for the whole program and for the services' own share, and the same
for the raw resources parented to a bare ComponentResource (`raw_in_component`): what
Pulumi's resource tree costs whoever builds it. The ratios use CPU seconds of this process
(the engine runs on one thread), which other test runs on the machine disturb less than
wall time.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from programs import cluster_only, component_services, raw_services

from gridops_infra.testing import Plan, preview

SERVICES = 5
PROGRAMS = {
    "base": cluster_only,
    "component": component_services(SERVICES),
    "raw": raw_services(SERVICES),
    "raw_in_component": raw_services(SERVICES, in_a_component=True),
}
ROUNDS = 25


def _registered(plan: Plan) -> dict[str, dict[str, Any]]:
    """Every custom resource by name: type, inputs and the names it depends on."""
    return {
        r.name: {
            "type": r.type,
            "inputs": r.inputs,
            "depends_on": sorted(d.rsplit("::", 1)[-1] for d in r.dependencies),
        }
        for r in plan.custom_resources
    }


@pytest.mark.benchmark(group="overhead")
def test_components_over_raw(benchmark: Any, record: Any) -> None:
    """One round previews every program, in a rotating order, so that load from other
    processes falls on all of them alike; the summary divides the medians."""
    cpu_seconds: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    plans = {name: preview(program) for name, program in PROGRAMS.items()}  # warm up
    order = list(PROGRAMS)

    def one_round() -> None:
        order.append(order.pop(0))
        for name in order:
            start = time.process_time()
            preview(PROGRAMS[name])
            cpu_seconds[name].append(time.process_time() - start)

    benchmark.pedantic(one_round, rounds=ROUNDS)

    # A fair comparison: the same resource types and counts, and in fact the same names,
    # inputs and dependencies; the components add only their own ComponentResources.
    component = plans["component"]
    for name in ("raw", "raw_in_component"):
        assert plans[name].counts_by_type() == component.counts_by_type()
        assert _registered(plans[name]) == _registered(component)
    assert len(component.resources) - len(plans["raw"].resources) == SERVICES
    for name, plan in plans.items():
        record(
            f"overhead:{name}",
            median_s=statistics.median(cpu_seconds[name]),
            resources=len(plan.custom_resources),
            services=SERVICES if name != "base" else 0,
        )
