"""How traffic can move between two stages, decided once for the cutover stack and for
`gridops migration`'s plan."""

from __future__ import annotations

from typing import Literal

TrafficPath = Literal["weighted", "move-at-once", "new-address"]

BEHIND_CLOUDFRONT = frozenset({"fargate", "eks"})
"""Stages that serve their public name through a CloudFront distribution of their own."""


def traffic_path(old_stage: str, new_stage: str) -> TrafficPath:
    """By Route 53 weights (`"weighted"`); the name moved at once between two distributions
    (`"move-at-once"`: CloudFront gives a name to one distribution at a time); or clients
    switched to the new stage's own URL (`"new-address"`: an Express service answers only
    on its AWS-provided domain)."""
    if "express" in (old_stage, new_stage):
        return "new-address"
    if old_stage in BEHIND_CLOUDFRONT and new_stage in BEHIND_CLOUDFRONT:
        return "move-at-once"
    return "weighted"


__all__ = ["BEHIND_CLOUDFRONT", "TrafficPath", "traffic_path"]
