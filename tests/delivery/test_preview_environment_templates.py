"""The preview-environment templates (GitHub Actions and GitLab CI): valid for their own
checkers, and a pull request's stack lives exactly as long as it should: made from the
preview stack file with an expiry, destroyed and removed when the request closes, swept
once expired, never with stored keys and never for a fork's code."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.environment import MAX_PREVIEW_DAYS

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / "templates" / "github"
GITLAB = ROOT / "templates" / "gitlab"
GITHUB_FILES = [GITHUB / "preview-environment.yml", GITHUB / "preview-sweeper.yml"]
GITLAB_FILES = [GITLAB / "preview-environment.yml", GITLAB / "preview-sweeper.yml"]
PREVIEW_STACK_FILE = "stacks/Pulumi.fargate-preview.yaml"
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (dev extra)")
        pytest.skip(f"{name} not installed")
    return found


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in _steps(job))


def _scripts(job: dict[str, Any]) -> str:
    return "\n".join(str(line) for line in [*job.get("before_script", []), *job["script"]])


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_actionlint_accepts_the_workflow(path: Path, tmp_path: Path) -> None:
    """actionlint also runs shellcheck on every `run:` script when shellcheck is installed."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(path, workflows / path.name)
    proc = subprocess.run(
        [_tool("actionlint"), "-no-color", str(workflows / path.name)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_gitlab_schema_accepts_the_pipelines() -> None:
    proc = subprocess.run(
        [
            _tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.gitlab-ci",
            *map(str, GITLAB_FILES),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_preview_stack_file_the_templates_copy_is_a_preview_stack() -> None:
    config = _load(ROOT / PREVIEW_STACK_FILE)["config"]
    assert config["gridops:environment"] == "preview"
    assert config["gridops:stage"] == "fargate"
    for path in [*GITHUB_FILES, *GITLAB_FILES]:
        assert PREVIEW_STACK_FILE in path.read_text(), path.name


# --- GitHub -------------------------------------------------------------------------------


def test_github_stack_follows_the_pull_request() -> None:
    workflow = _load(GITHUB / "preview-environment.yml")
    on = workflow[True]  # YAML 1.1 reads `on` as True
    assert set(on) == {"pull_request"}  # never pull_request_target: a fork's code gets no role
    assert set(on["pull_request"]["types"]) == {"opened", "synchronize", "reopened", "closed"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    deploy, destroy = workflow["jobs"]["deploy"], workflow["jobs"]["destroy"]
    assert "github.event.action != 'closed'" in deploy["if"] and SAME_REPOSITORY in deploy["if"]
    assert "github.event.action == 'closed'" in destroy["if"] and SAME_REPOSITORY in destroy["if"]

    up = _runs(deploy)
    stack_file = up.index(f'cp {PREVIEW_STACK_FILE} "stacks/Pulumi.pr-${{PR}}.yaml"')
    expiry = up.index("pulumi config set gridops:expires_at")
    assert stack_file < expiry < up.index("pulumi up --yes")
    assert "pulumi stack tag set gridops:environment preview" in up
    assert "pulumi stack tag set gridops:expires-at" in up
    assert "gridops:api_image_digest" in up  # the pull request's image, by digest
    assert 0 < int(workflow["env"]["TTL_DAYS"]) <= MAX_PREVIEW_DAYS
    assert any("gh pr comment" in str(s.get("run", "")) for s in _steps(deploy))

    down = _runs(destroy)
    assert down.index("pulumi destroy --yes") < down.index("pulumi stack rm --yes")
    assert "pulumi up" not in down


@pytest.mark.parametrize("path", GITHUB_FILES, ids=lambda p: p.name)
def test_github_uses_oidc_and_no_stored_keys(path: Path) -> None:
    text = path.read_text()
    workflow = _load(path)
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["permissions"]["contents"] == "read"
    assert "AWS_ACCESS_KEY_ID" not in text and "aws-secret-access-key" not in text
    for job in workflow["jobs"].values():
        creds = [
            s
            for s in _steps(job)
            if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials")
        ]
        assert len(creds) == 1 and "role-to-assume" in creds[0]["with"]


def test_github_sweeper_runs_on_a_schedule_and_only_destroys() -> None:
    workflow = _load(GITHUB / "preview-sweeper.yml")
    assert workflow[True]["schedule"][0]["cron"]
    script = _runs(workflow["jobs"]["sweep"])
    assert "--tag gridops:environment=preview" in script
    assert "pulumi up" not in script and "pulumi preview" not in script


def _fake_pulumi(tmp_path: Path, stacks: dict[str, str | None]) -> Path:
    """A `pulumi` on PATH that answers `stack ls` and `stack tag get` for `stacks` (name ->
    expires-at, None for none) and logs every call: what the sweeper's script decides is
    then read from the log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    listing = "[" + ",".join(f'{{"name": "{name}"}}' for name in stacks) + "]"
    cases = "\n".join(
        f'    "{name}") {"echo " + repr(expiry) if expiry else "exit 1"} ;;'
        for name, expiry in stacks.items()
    )
    script = f"""#!/usr/bin/env bash
echo "$*" >> "{tmp_path}/calls.log"
if [ "$1 $2" = "stack ls" ]; then echo '{listing}'; exit 0; fi
if [ "$1 $2 $3" = "stack tag get" ]; then
  stack="${{@: -1}}"
  case "${{stack##*/}}" in
{cases}
  esac
fi
exit 0
"""
    fake = bin_dir / "pulumi"
    fake.write_text(script)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return bin_dir


def test_github_sweeper_destroys_exactly_the_expired_stacks(tmp_path: Path) -> None:
    """The sweeper's own script, run with bash against a stand-in `pulumi` (the CLI's
    listing and tag answers): expired stacks are destroyed and removed, the others and a
    stack without an expiry are left alone."""
    _tool("jq")
    step = next(
        s for s in _steps(_load(GITHUB / "preview-sweeper.yml")["jobs"]["sweep"]) if "run" in s
    )
    stacks = {
        "pr-1": "2000-01-01T00:00:00Z",  # long expired
        "pr-2": "2999-01-01T00:00:00Z",  # still running
        "pr-3": None,  # no expiry tag
    }
    bin_dir = _fake_pulumi(tmp_path, stacks)
    (tmp_path / "stacks").mkdir()
    shutil.copy(ROOT / PREVIEW_STACK_FILE, tmp_path / PREVIEW_STACK_FILE)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "ORG": "acme"}
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert [c for c in calls if c.startswith(("destroy", "stack rm"))] == [
        "destroy --yes --stack acme/gridops/pr-1",
        "stack rm --yes --stack acme/gridops/pr-1",
    ]
    assert "without gridops:expires-at" in proc.stdout
    assert (tmp_path / "stacks" / "Pulumi.pr-1.yaml").exists()


# --- GitLab -------------------------------------------------------------------------------


def test_gitlab_review_app_stops_itself() -> None:
    pipeline = _load(GITLAB / "preview-environment.yml")
    deploy = pipeline["deploy-review"]
    environment = deploy["environment"]
    assert environment["name"] == "review/$CI_COMMIT_REF_SLUG"
    ttl_days = int(pipeline["variables"]["TTL_DAYS"])
    assert 0 < ttl_days <= MAX_PREVIEW_DAYS
    assert environment["auto_stop_in"] == f"{ttl_days} days"  # the same TTL as expires_at
    stop = pipeline[environment["on_stop"]]
    assert stop["environment"] == {"name": environment["name"], "action": "stop"}
    assert stop["resource_group"] == deploy["resource_group"]

    up = _scripts(deploy)
    assert up.index("pulumi config set gridops:expires_at") < up.index("pulumi up --yes")
    assert "pulumi stack tag set gridops:expires-at" in up
    down = _scripts(stop)
    assert down.index("pulumi destroy --yes") < down.index("pulumi stack rm --yes")
    assert "pulumi up" not in down
    for job in (deploy, stop):
        rule = job["rules"][0]["if"]
        assert "merge_request_event" in rule
        assert "$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID" in rule  # no forks


@pytest.mark.parametrize("path", GITLAB_FILES, ids=lambda p: p.name)
def test_gitlab_uses_oidc_and_no_stored_keys(path: Path) -> None:
    text = path.read_text()
    assert "AWS_ACCESS_KEY_ID" not in text and "AWS_SECRET_ACCESS_KEY" not in text
    pipeline = _load(path)
    jobs = [j for name, j in pipeline.items() if isinstance(j, dict) and "script" in j]
    assert jobs
    for job in jobs:
        base = pipeline[job["extends"]] if "extends" in job else job
        assert base["id_tokens"]["AWS_ID_TOKEN"]["aud"] == "sts.amazonaws.com"
        assert "AWS_WEB_IDENTITY_TOKEN_FILE" in _scripts({**base, "script": []})


def test_gitlab_sweeper_runs_from_a_schedule_and_only_destroys() -> None:
    job = _load(GITLAB / "preview-sweeper.yml")["sweep-preview-stacks"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    script = _scripts(job)
    assert "--tag gridops:environment=preview" in script
    assert "pulumi destroy --yes" in script and "pulumi stack rm --yes" in script
    assert "pulumi up" not in script
