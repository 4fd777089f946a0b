"""The cut-over stack: moves the public name from one stage to the next by weight.

It owns no stage: it reads the old and the new stage's exports through StackReferences
(`front_door`: an Elastic IP or a CloudFront alias target) and keeps two weighted Route 53
records on `gridops:domain`, with the new side rolled back by Route 53 when its 5xx rate
burns the SLO's error budget at the page tier's fast rate. Each step is a config change:
`gridops:weight_percent` 0 -> 10 -> 50 -> 100, then `gridops:done: "true"`.
Keys: stacks/README.md (stage `cutover`).
"""

from __future__ import annotations

from typing import Any

import pulumi

from gridops_infra.migration.args import CutoverRollbackArgs, CutoverSideArgs, TrafficCutoverArgs
from gridops_infra.migration.cutover import TrafficCutover
from gridops_infra.migration.traffic import BEHIND_CLOUDFRONT, traffic_path

from .config import StageConfig, StageConfigError

STAGE_ORDER = ("single-server", "fargate", "eks")


def build(cfg: StageConfig) -> None:
    old = pulumi.StackReference(cfg.require_str("old_stack"))
    new = pulumi.StackReference(cfg.require_str("new_stack"))
    domain = cfg.domain()
    if domain is None:
        raise StageConfigError(
            "missing required config keys gridops:domain and gridops:zone_id for stage "
            "cutover: the public name both stages share and its hosted zone"
        )
    old_stage, new_stage = (
        _stage(cfg, "old_stage", "single-server"),
        _stage(cfg, "new_stage", "fargate"),
    )
    if STAGE_ORDER.index(new_stage) <= STAGE_ORDER.index(old_stage):
        raise StageConfigError(
            f"config gridops:new_stage={new_stage!r} does not come after gridops:old_stage="
            f"{old_stage!r}; the stages go {' -> '.join(STAGE_ORDER)}"
        )
    if traffic_path(old_stage, new_stage) == "move-at-once":
        raise StageConfigError(
            f"config gridops:old_stage={old_stage!r}: both {old_stage} and {new_stage} serve "
            "the name through CloudFront, and a name belongs to one distribution at a time, "
            "so weighted records cannot split it (CloudFront answers by the name); move it at "
            "once with AssociateAlias or use CloudFront continuous deployment (docs/cutover.md)"
        )
    args: TrafficCutoverArgs = {
        "zone_id": domain.zone_id,
        "record_name": domain.name,
        "old": _side(old, old_stage, "old_stack"),
        "new": _side(new, new_stage, "new_stack"),
        "weight_percent": cfg.integer("weight_percent", 0, lo=0),
        "steps": [_whole(step, "steps") for step in cfg.items("steps", [0, 10, 50, 100])],
        "done": cfg.flag("done", False),
        "ttl": cfg.integer("ttl", 60, lo=1),
        "automatic_rollback": cfg.flag("automatic_rollback", True),
    }
    if new_stage in BEHIND_CLOUDFRONT:
        rollback: CutoverRollbackArgs = {
            "cloudfront_distribution_id": _door(new, "new_stack", "cloudfront_distribution_id"),
            "availability_objective": cfg.fraction("slo_availability", 0.999),
        }
        args["rollback"] = rollback
    cutover = TrafficCutover("cutover", args)
    pulumi.export("weights", cutover.weights)
    pulumi.export("record", domain.name)
    pulumi.export("health_check_id", cutover.health_check_id)
    pulumi.export("rollback_alarm_name", cutover.alarm_name)
    # For the queue drain (gridops_infra.migration.queue_drain), run from a shell.
    pulumi.export("old_jobs_dlq_arn", old.get_output("jobs_dlq_arn"))
    pulumi.export("new_jobs_queue_arn", new.get_output("jobs_queue_arn"))


def _stage(cfg: StageConfig, key: str, default: str) -> str:
    stage = cfg.text(key, default)
    if traffic_path("single-server", stage) == "new-address":
        raise StageConfigError(
            f"config gridops:{key}='express': an Express service answers only on its "
            "AWS-provided domain (its certificate covers no name of yours), so a shared public "
            "name cannot be weighed onto it; cut over from single-server to fargate or eks"
        )
    if stage not in STAGE_ORDER:
        raise StageConfigError(
            f"config gridops:{key}={stage!r}: expected one of {', '.join(STAGE_ORDER)}"
        )
    return stage


def _door(ref: pulumi.StackReference, key: str, field: str, *path: str) -> pulumi.Output[Any]:
    """One field of the stage's `front_door` export (every stage exports it)."""

    def pick(door: Any) -> Any:
        value = door
        for part in (field, *path):
            if not isinstance(value, dict) or part not in value:
                raise StageConfigError(
                    f"the stack named by gridops:{key} exports no front_door.{part}: deploy "
                    "it from this version of the stage programs first"
                )
            value = value[part]
        return value

    return ref.get_output("front_door").apply(pick)


def _side(ref: pulumi.StackReference, stage: str, key: str) -> CutoverSideArgs:
    """The single server's Elastic IP (an A record), or the CloudFront distribution of a
    stage behind one (an alias): which one follows from the stage, because it decides the
    records while the program runs, before the reference's outputs are known."""
    if stage in BEHIND_CLOUDFRONT:
        return {
            "alias": {
                "dns_name": _door(ref, key, "alias", "dns_name"),
                "zone_id": _door(ref, key, "alias", "zone_id"),
            },
            "set_identifier": stage,
        }
    return {"ip": _door(ref, key, "ip"), "set_identifier": stage}


def _whole(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StageConfigError(f"config gridops:{key}: {value!r} is not a whole number")
    return value
