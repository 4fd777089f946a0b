"""Benchmarks import the root project's `stacks` like the tests do, and print the figures
issue #10 asks for (ratios, per-resource and per-service costs) after pytest-benchmark's
table. Run: .venv/bin/python -m pytest benchmarks --benchmark-only --dist no"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# name -> {"median_s": ..., plus what the benchmark recorded (resources, peak_mb, ...)}
FIGURES: dict[str, dict[str, Any]] = {}


@pytest.fixture
def record(benchmark: Any):
    """`record(name, **extra)` after `benchmark(...)`: keeps the benchmark's median (or
    `median_s`, for a test that times several programs itself) and `extra` for the summary;
    pytest-benchmark's JSON shows them too."""

    def keep(name: str, median_s: float | None = None, **extra: Any) -> None:
        stats = getattr(benchmark, "stats", None)
        if not stats:  # benchmarks disabled (a plain test run): nothing was timed
            return
        median = stats.stats.median if median_s is None else median_s
        FIGURES[name] = {"median_s": median, **extra}
        benchmark.extra_info[name] = FIGURES[name]

    return keep


def _median(name: str) -> float | None:
    return FIGURES.get(name, {}).get("median_s")


def _lines() -> list[str]:
    lines: list[str] = []
    for name, figure in sorted(FIGURES.items()):
        if name.startswith(("stage:", "example:")) and figure.get("resources"):
            ms = figure["median_s"] * 1000
            lines.append(
                f"{name:36} {figure['median_s']:7.3f} s  {figure['resources']:5d} resources  "
                f"{ms / figure['resources']:5.2f} ms/resource"
            )
    scaling = [FIGURES.get(f"scaling:{n}") for n in (1, 10, 50)]
    if all(scaling):
        one, ten, fifty = (f for f in scaling if f)
        slope = (fifty["median_s"] - ten["median_s"]) / (fifty["resources"] - ten["resources"])
        lines.append(
            f"scaling 1/10/50 services{' + queues' if one['queues'] else ''}: "
            f"{one['median_s']:.2f} / {ten['median_s']:.2f} / {fifty['median_s']:.2f} s; "
            f"50 vs 1: {fifty['median_s'] / one['median_s']:.1f}x (goal <= 60x), "
            f"resources {one['resources']} / {ten['resources']} / {fifty['resources']}"
        )
        lines.append(f"cost per added resource (10 -> 50 services): {slope * 1000:.2f} ms")
        for key, what in (("peak_mb", "peak during"), ("plan_mb", "held by the Plan after")):
            if key in one:
                lines.append(
                    f"memory {what} a preview: {one[key]:.1f} / {ten[key]:.1f} / "
                    f"{fifty[key]:.1f} MB; per added service "
                    f"{(ten[key] - one[key]) / 9:.2f} MB (1 -> 10), "
                    f"{(fifty[key] - ten[key]) / 40:.2f} MB (10 -> 50)"
                )
    base, raw = _median("overhead:base"), _median("overhead:raw")
    for name, what in (("component", "components"), ("raw_in_component", "raw in a component")):
        cost = _median(f"overhead:{name}")
        if base and raw and cost:
            lines.append(
                f"{what} / raw pulumi_aws (CPU): {cost / raw:.3f} whole program, "
                f"{(cost - base) / (raw - base):.3f} the services' own share"
                + (" (goal <= 1.3)" if name == "component" else "")
            )
    gridops, raw = FIGURES.get("versus raw:gridops"), FIGURES.get("versus raw:raw")
    if gridops and raw:
        for key, what in (("", "wall"), ("cpu_", "CPU")):
            lines.append(
                f"gridops preview fargate --json / raw pulumi_aws mocks program "
                f"({raw['resources']} resources, {what}, {raw['rounds']} rounds): "
                f"min {gridops[key + 'min_s']:.2f} / {raw[key + 'min_s']:.2f} s = "
                f"{gridops[key + 'min_s'] / raw[key + 'min_s']:.2f}x, "
                f"median {gridops[key + 'median_s']:.2f} / {raw[key + 'median_s']:.2f} s = "
                f"{gridops[key + 'median_s'] / raw[key + 'median_s']:.2f}x (goal <= 1.6x)"
            )
    for name, what in (
        ("cli:preview fargate", "end to end, new interpreter"),
        ("cli:import gridops_infra", "new interpreter"),
        ("cli:first fargate preview", "the preview alone, imports of pulumi_aws included"),
    ):
        if _median(name):
            lines.append(f"{name:36} {_median(name):7.3f} s ({what})")
    return lines


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: Any) -> None:
    lines = _lines()
    if lines:
        terminalreporter.section("gridops performance figures (medians)")
        for line in lines:
            terminalreporter.write_line(line)
