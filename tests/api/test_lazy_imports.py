"""A program imports only what it uses: a Fargate program (the fargate stage, whole)
never loads pulumi_kubernetes, `import gridops_infra` alone loads no component, and the
CLI starts (`gridops --help`) without Pulumi's runtime or pulumi_aws."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# One new interpreter per stage answers every question, in the order a user meets them.
PROBE = """
import json, sys

def pulumi_loaded():
    return sorted({m.split(".")[0] for m in sys.modules} & {"pulumi", "pulumi_aws"})

import gridops_infra
after_import = sorted(m for m in sys.modules if m.startswith(("pulumi_kubernetes", "gridops_infra.")))
from gridops_infra.cli import main
for argv in (["--help"], ["preview", "--help"]):
    try:
        main(argv)
    except SystemExit:
        pass
after_help = pulumi_loaded()
from gridops_infra.testing import preview
plan = preview(sys.argv[1], stack=sys.argv[2])
print(json.dumps({
    "after_import": after_import,
    "after_help": after_help,
    "after_preview": pulumi_loaded(),
    "kubernetes": "pulumi_kubernetes" in sys.modules,
    "resources": len(plan.custom_resources),
}))
"""


def probe(stack: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT), stack],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def fargate() -> dict:
    return probe("fargate")


def test_the_fargate_stage_never_loads_pulumi_kubernetes(fargate: dict) -> None:
    assert fargate["resources"] > 100
    assert fargate["kubernetes"] is False
    # The same probe sees it when the program does use Kubernetes: it can fail.
    assert probe("eks")["kubernetes"] is True


def test_importing_the_package_loads_no_component(fargate: dict) -> None:
    loaded = fargate["after_import"]
    assert not [m for m in loaded if m.startswith("pulumi_kubernetes")]
    assert "gridops_infra.platforms.eks.component" not in loaded
    assert "gridops_infra.service.component" not in loaded


def test_the_cli_starts_without_pulumi(fargate: dict) -> None:
    """`gridops --help` and `gridops preview --help` load neither Pulumi's runtime nor
    pulumi_aws; the same probe sees both once it previews (it can fail)."""
    assert fargate["after_help"] == []
    assert fargate["after_preview"] == ["pulumi", "pulumi_aws"]
