"""The read-only IAM policy `gridops baseline` needs: exactly the actions its readers call
(a test derives them from this package's code and compares). Every action only reads.
The readers list the whole account (every load balancer, service, database, alarm), and
the listing actions (List*, GetMetricData, GetCostAndUsage, GetCallerIdentity) accept no
narrower resource, so the Resource is ``*``."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

POLICY_FILE = "baseline-read-policy.json"


def policy_text() -> str:
    return files("gridops_infra.analysis.baseline").joinpath(POLICY_FILE).read_text()


def policy() -> dict[str, Any]:
    return json.loads(policy_text())


def actions() -> tuple[str, ...]:
    return tuple(action for statement in policy()["Statement"] for action in statement["Action"])
