"""Warnings reach machines: every command's `--json` carries the warnings a person sees,
and each is on stderr too, so a pipe reading stdout loses none and parses clean JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

WARNING = "queue 'orders' has no dead-letter queue"
PROGRAM = f"""
import pulumi, pulumi_aws as aws
q = aws.sqs.Queue("orders", sqs_managed_sse_enabled=True)
pulumi.log.warn({WARNING!r})
pulumi.export("url", q.url)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("warned")
    (root / "Pulumi.yaml").write_text("name: warned\nruntime: python\n")
    (root / "__main__.py").write_text(PROGRAM)
    return root


def gridops(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gridops_infra.cli.app import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "300", "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("command", ["preview", "check", "cost", "timing"])
def test_json_carries_the_warning_and_stderr_shows_it(command: str, project: Path) -> None:
    proc = gridops(command, str(project), "--json", cwd=project)
    assert proc.returncode in (0, 1), proc.stderr  # check exits 1 on a mandatory violation
    data = json.loads(proc.stdout)  # stdout is JSON only: the warning did not leak into it
    assert WARNING in data["warnings"]
    assert f"warning: {WARNING}" in proc.stderr


def test_the_tree_sends_warnings_to_stderr_not_into_the_tree(project: Path) -> None:
    proc = gridops("preview", str(project), cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "aws:sqs/queue:Queue" in proc.stdout
    assert WARNING not in proc.stdout
    assert proc.stderr.count(f"warning: {WARNING}") == 1


def test_a_plan_without_warnings_says_so_and_prints_stay_off_stdout(tmp_path: Path) -> None:
    """A program's print() is an info diagnostic, as under the Pulumi engine: stdout stays
    JSON and nothing is announced as a warning."""
    (tmp_path / "Pulumi.yaml").write_text("name: quiet\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(PROGRAM.replace("pulumi.log.warn", "print"))
    proc = gridops("preview", str(tmp_path), "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["warnings"] == []
    assert "warning:" not in proc.stderr
