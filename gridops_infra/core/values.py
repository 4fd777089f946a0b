"""Reading a resource's property values as Pulumi hands them over (numbers may arrive as
strings): shared by the analyses (Plan inputs) and the policy rules (resource props)."""

from __future__ import annotations

from typing import Any


def as_number(value: Any, default: float | None = None) -> float | None:
    """A Plan input as a float (numbers and numeric strings), else `default`."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    return default
