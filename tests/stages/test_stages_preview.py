"""Every stage of the root project previews offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridops_infra.testing import preview
from stacks.config import StageConfigError
from tests.stage_plans import stage_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("stage", ["single-server", "express", "fargate", "eks"])
def test_stage_previews_with_its_stack_file(stage: str) -> None:
    plan = stage_plan(stage)
    assert plan.stack == stage
    assert plan.of_type("gridops:aws:Network")
    assert plan.outputs["vpc_id"].startswith("vpc-")
    for record in plan.custom_resources:
        tags = record.inputs.get("tags")
        if isinstance(tags, dict) and "gridops:stage" in tags:
            assert tags["gridops:stage"] == stage


def test_unknown_stage_is_a_clear_error() -> None:
    with pytest.raises(StageConfigError, match="unknown stage 'moon'"):
        preview(ROOT, stack="fargate", config={"stage": "moon"})


def test_stack_without_stage_names_the_missing_key() -> None:
    with pytest.raises(StageConfigError, match="gridops:stage"):
        preview(ROOT, stack="nosuch")


def test_the_eks_stage_runs_on_karpenter_by_one_key() -> None:
    plan = preview(ROOT, stack="eks", config={"eks_compute": "karpenter"})
    releases = {r.name for r in plan.of_type("kubernetes:helm.sh/v3:Release")}
    assert "prod-karpenter" in releases and "prod-cluster-autoscaler" not in releases
    assert plan.of_type("kubernetes:karpenter.sh/v1:NodePool")


def test_the_eks_stage_runs_on_managed_node_groups_by_one_key() -> None:
    plan = preview(ROOT, stack="eks", config={"eks_compute": "managed-node-groups"})
    releases = {r.name for r in plan.of_type("kubernetes:helm.sh/v3:Release")}
    assert {"prod-aws-load-balancer-controller", "prod-cluster-autoscaler"} <= releases
    assert plan.of_type("aws:eks/nodeGroup:NodeGroup")
