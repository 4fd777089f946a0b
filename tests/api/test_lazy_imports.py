"""A program imports only what it uses: a Fargate program (the fargate stage, whole)
never loads pulumi_kubernetes, and `import gridops_infra` alone loads no component."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import gridops_infra
after_import = sorted(m for m in sys.modules if m.startswith(("pulumi_kubernetes", "gridops_infra.")))
from gridops_infra.testing import preview
plan = preview(sys.argv[1], stack=sys.argv[2])
print(json.dumps({
    "after_import": after_import,
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


def test_the_fargate_stage_never_loads_pulumi_kubernetes() -> None:
    fargate = probe("fargate")
    assert fargate["resources"] > 100
    assert fargate["kubernetes"] is False
    # The same probe sees it when the program does use Kubernetes: it can fail.
    assert probe("eks")["kubernetes"] is True


def test_importing_the_package_loads_no_component() -> None:
    loaded = probe("single-server")["after_import"]
    assert not [m for m in loaded if m.startswith("pulumi_kubernetes")]
    assert "gridops_infra.platforms.eks.component" not in loaded
    assert "gridops_infra.service.component" not in loaded
