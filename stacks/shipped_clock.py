"""The time this repository's own checks run at (tests, scripts/plan-digests).

A preview stack refuses a `gridops:expires_at` in the past, so the shipped preview stack
files would stop previewing on the day they name. The checks pin the program's clock
(`GRIDOPS_NOW`) to one day before the earliest expiry those files give: they keep passing
after that day, and moving the files' date moves the clock with it.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from .environment import CLOCK_VARIABLE, TIME_FORMAT

EXPIRES_AT = "gridops:expires_at"


def shipped_expiries(root: Path) -> list[datetime]:
    """`gridops:expires_at` of every stack file under `stacks/` and `examples/`."""
    files = [*(root / "stacks").glob("Pulumi.*.yaml"), *(root / "examples").rglob("Pulumi.*.yaml")]
    found = []
    for path in files:
        config = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
        if EXPIRES_AT in config:
            found.append(datetime.fromisoformat(str(config[EXPIRES_AT])))
    return found


def pin_clock(root: Path) -> None:
    """Set `GRIDOPS_NOW` (unless already set) to a day before the earliest shipped expiry."""
    expiries = shipped_expiries(root)
    if expiries:
        clock = min(expiries) - timedelta(days=1)
        os.environ.setdefault(CLOCK_VARIABLE, clock.strftime(TIME_FORMAT))
