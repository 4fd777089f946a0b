"""The staged reference stacks. Each stage is a module with `build(cfg: StageConfig)`."""

from __future__ import annotations

import importlib

import pulumi

from .config import StageConfig, StageConfigError, given_keys
from .config_keys import ALL, key_problems
from .images import check_digests

STAGE_MODULES = {
    "single-server": "single_server",
    "express": "express",
    "fargate": "fargate",
    "eks": "eks",
    # Not a stage of its own: moves traffic from one stage to the next (stacks/cutover.py).
    "cutover": "cutover",
    # Not a stage either: the ECR repositories and deploy role the stages use (stacks/registry.py).
    "registry": "registry",
}


def run_stage() -> None:
    """Build the stage named by config `gridops:stage`."""
    cfg = pulumi.Config("gridops")
    stage = cfg.get("stage")
    if not stage:
        raise StageConfigError(
            "missing required config key gridops:stage "
            f"(one of {', '.join(STAGE_MODULES)}); set it in "
            f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
        )
    if stage not in STAGE_MODULES:
        raise StageConfigError(
            f"unknown stage {stage!r} in gridops:stage; choose one of {', '.join(STAGE_MODULES)}"
        )
    problems = key_problems(stage, given_keys())
    if problems:
        raise StageConfigError("; ".join(problems))
    cfg = StageConfig(stage)
    if stage in ALL:
        check_digests(cfg)
    module = importlib.import_module(f"{__name__}.{STAGE_MODULES[stage]}")
    module.build(cfg)
