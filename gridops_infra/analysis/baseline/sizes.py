"""A utilization row goes into the file only with the size `gridops assess` reviews it
against: a Fargate task size (task-level cpu units and memory MiB Fargate accepts) for a
service or worker, ``db.<family>.<size>`` for a database, ``cache.<family>.<size>`` for a
cache. Other rows (an EC2-launch task without a task-level size, Aurora Serverless's
``db.serverless``) are left out and listed with why: assess cannot size them."""

from __future__ import annotations

from typing import Any

from gridops_infra.service.spec.checks import fargate_size_error


def unsized_reason(row: dict[str, Any]) -> str | None:
    """Why `row` has no size assess can review, or None when it has one."""
    kind = row["kind"]
    if kind in ("service", "worker"):
        cpu, memory = row.get("cpu_units"), row.get("memory_mib")
        if cpu is None or memory is None:
            return "its task definition sets no task-level cpu and memory (not a Fargate task size)"
        reason = fargate_size_error(cpu, memory)
        return (
            f"cpu {cpu} / memory {memory} MiB is not a Fargate task size: {reason}"
            if reason
            else None
        )
    field, prefix = ("instance_class", "db.") if kind == "database" else ("node_type", "cache.")
    value = str(row.get(field, ""))
    if not value.startswith(prefix) or value.count(".") != 2:
        return f"{field} {value!r} is not {prefix}<family>.<size> (no fixed size to review)"
    return None
