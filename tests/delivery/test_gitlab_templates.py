"""The GitLab CI templates: every file passes the GitLab CI JSON schema (check-jsonschema's
vendored copy), and what the YAML says is the secure pipeline the docs promise: OIDC
(`id_tokens` + `aws sts assume-role-with-web-identity`) with no stored AWS keys, a scan
that fails on CRITICAL before any push, one merge-request note, deploys by the digest
staging ran, production a manual job in a protected environment."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "gitlab"
FILES = sorted(TEMPLATES.glob("*.yml"))
PIPELINE = TEMPLATES / "gridops-pipeline.yml"
ASSUME = "aws sts assume-role-with-web-identity"
DIGEST_CHECK = "^sha256:[0-9a-f]{64}$"


def check_jsonschema() -> str:
    local = Path(sys.executable).parent / "check-jsonschema"
    found = str(local) if local.exists() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is not installed (dev extra)"
    return found


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [check_jsonschema(), "--builtin-schema", "vendor.gitlab-ci", str(path)],
        capture_output=True,
        text=True,
    )


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """GitLab's `extends`: hashes merge deeply, everything else the job's own value wins."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def jobs(path: Path) -> dict[str, dict[str, Any]]:
    """Every job with its `extends` resolved, hidden templates (`.name`) left out."""
    config = yaml.safe_load(path.read_text())

    def resolve(name: str) -> dict[str, Any]:
        job = config[name]
        parents = job.get("extends", [])
        result: dict[str, Any] = {}
        for parent in [parents] if isinstance(parents, str) else parents:
            result = merged(result, resolve(parent))
        return merged(result, {k: v for k, v in job.items() if k != "extends"})

    reserved = {"workflow", "stages", "variables", "default", "include"}
    return {
        name: resolve(name)
        for name, body in config.items()
        if isinstance(body, dict) and not name.startswith(".") and name not in reserved
    }


def script(job: dict[str, Any]) -> str:
    def flat(items: Any) -> list[str]:
        if isinstance(items, list):
            return [line for item in items for line in flat(item)]
        return [str(items)]

    return "\n".join(flat(job.get("before_script", [])) + flat(job.get("script", [])))


def test_the_pipeline_template_is_there() -> None:
    assert PIPELINE in FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_gitlab_ci_schema_accepts_the_template(path: Path) -> None:
    proc = validate(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(PIPELINE.read_text().replace("      when: manual", "      when: someday", 1))
    proc = validate(broken)
    assert proc.returncode == 1, proc.stdout
    assert "someday" in proc.stdout


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_aws_credentials_only_through_oidc(path: Path) -> None:
    config = yaml.safe_load(path.read_text())
    stored = set(config.get("variables", {}))
    assert not stored & {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
    for name, job in jobs(path).items():
        assert not set(job.get("variables", {})) & {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
        if ASSUME in script(job) or "aws ecr" in script(job):
            assert ASSUME in script(job), name
            assert job["id_tokens"]["AWS_ID_TOKEN"]["aud"], name
            assert '--web-identity-token "$AWS_ID_TOKEN"' in script(job), name
            assert job["variables"]["AWS_ROLE_ARN"].startswith("$AWS_"), name


def test_the_scan_fails_on_critical_and_gates_the_push() -> None:
    all_jobs = jobs(PIPELINE)
    scan = all_jobs["scan-image"]
    assert scan["image"]["name"].startswith("aquasec/trivy:0.")
    assert "--severity CRITICAL --exit-code 1" in script(scan)
    assert scan.get("allow_failure", False) is False
    assert "docker buildx build" in script(all_jobs["build-image"])
    push = all_jobs["push-image"]
    assert "scan-image" in push["needs"]
    assert push["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert push["artifacts"]["reports"]["dotenv"] == "image.env"
    assert "IMAGE_DIGEST=$IMAGE_DIGEST" in script(push)
    assert DIGEST_CHECK in script(push)


def test_merge_requests_get_one_note_with_check_cost_and_preview() -> None:
    report = jobs(PIPELINE)["merge-request-report"]
    assert report["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    text = script(report)
    for command in ("gridops check", "gridops cost", "gridops cost-diff", "pulumi preview"):
        assert command in text, command
    assert "--markdown" in text and "$CI_MERGE_REQUEST_DIFF_BASE_SHA" in text
    assert 'call("PUT"' in text and 'call("POST"' in text  # updated in place, else created
    assert text.count("<!-- gridops-merge-request-report -->") == 2  # written, then found
    assert report["variables"]["AWS_ROLE_ARN"] == "$AWS_PREVIEW_ROLE_ARN"


def test_staging_then_the_same_digest_to_production_behind_a_manual_approval() -> None:
    all_jobs = jobs(PIPELINE)
    staging, production = all_jobs["deploy-staging"], all_jobs["deploy-production"]
    assert staging["environment"]["name"] == "staging"
    assert production["environment"]["name"] == "production"
    assert {"job": "push-image", "artifacts": True} in staging["needs"]
    assert {"job": "push-image", "artifacts": True} in production["needs"]
    assert "deploy-staging" in [n["job"] for n in production["needs"]]
    assert production["rules"][0]["when"] == "manual"
    assert production["allow_failure"] is False  # blocking: the pipeline waits for it
    assert "when" not in staging["rules"][0]
    for job in (staging, production):
        text = script(job)
        assert DIGEST_CHECK in text
        assert 'pulumi config set "$IMAGE_CONFIG_KEY" "$IMAGE_DIGEST"' in text
        assert "pulumi up --yes" in text
        assert "$CI_COMMIT_SHA" not in text and ":latest" not in text  # never a tag
        assert job["resource_group"] == job["environment"]["name"]


def test_the_note_script_is_valid_python_reading_only_the_job_variables() -> None:
    text = script(jobs(PIPELINE)["merge-request-report"])
    source = text.split("<<'PY'\n", 1)[1].split("\nPY", 1)[0]
    compile(source, "note.py", "exec")
    used = set(re.findall(r"os\.environ\['([A-Z_0-9]+)'\]|os\.environ\[\"([A-Z_0-9]+)\"\]", source))
    names = {a or b for a, b in used}
    assert names == {
        "CI_API_V4_URL",
        "CI_PROJECT_ID",
        "CI_MERGE_REQUEST_IID",
        "GITLAB_REPORT_TOKEN",
    }
