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
    assert "gridops_infra.platforms.eks" not in loaded
    assert "gridops_infra.service.component" not in loaded


def test_the_cli_starts_without_pulumi() -> None:
    """`gridops --help` loads neither Pulumi's runtime nor pulumi_aws; a command that runs
    a program loads them when it runs it (the same probe sees them there: it can fail)."""
    probe = (
        "import sys\n"
        "from gridops_infra.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pulumi', 'pulumi_aws'}))\n"
    )

    def loaded(*argv: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-c", probe, *argv],
            capture_output=True,
            text=True,
            timeout=240,
            cwd=ROOT,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip().splitlines()[-1]

    assert loaded("--help") == "[]"
    assert loaded("preview", "--help") == "[]"
    assert loaded("timing", "single-server", "--json") == "['pulumi', 'pulumi_aws']"
