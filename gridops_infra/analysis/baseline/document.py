"""The metrics file `gridops baseline` writes: the YAML mapping `gridops assess` reads,
headed by comments naming the account, Region and window, every figure that could not be
read with the reason, and the fields only a person can give."""

from __future__ import annotations

from typing import Any

import yaml

from gridops_infra.analysis.baseline.reading import NOT_FROM_AWS, Reading
from gridops_infra.analysis.baseline.window import Window


def render(reading: Reading, window: Window, account: str, region: str) -> str:
    lines = [
        "# Measured by `gridops baseline` (read-only) in account "
        f"{account}, Region {region}, window {window.text()}.",
        "# Every figure's source and window: `sources` at the end.",
    ]
    if reading.given:
        lines.append("# Given or detected (not measured over the window):")
        lines += [f"#   {name}: {how}" for name, how in reading.given.items()]
    if reading.missing:
        lines.append("# Not measured (left out, never guessed):")
        lines += [f"#   {name}: {why}" for name, why in reading.missing.items()]
    lines.append("# Not in AWS (add them by hand for the triggers they feed):")
    lines += [f"#   {name}: {why}" for name, why in NOT_FROM_AWS.items()]
    body = yaml.safe_dump(
        _plain(reading.document()), sort_keys=False, allow_unicode=True, width=100
    )
    return "\n".join(lines) + "\n" + body


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
