"""`gridops check` end to end: passes on the stages, exits 1 on a mandatory violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all
from gridops_infra.core.targets import STACKS

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


STACK_FILES = sorted(p.name.split(".")[1] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


def test_every_stack_file_is_a_target() -> None:
    assert sorted(STACKS) == STACK_FILES


@pytest.mark.parametrize("stage", STACK_FILES)
def test_stages_pass_every_mandatory_rule(stage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stack of the root project, the cutover stack included: its StackReferences to
    the stages are answered by the stages' own offline previews."""
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["check", stage, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["passed"] is True and report["summary"]["mandatory"] == 0


def test_mandatory_violation_exits_1(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: bad\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "aws.rds.Instance('db', engine='postgres', instance_class='db.t4g.micro', allocated_storage=20,\n"
        "    storage_encrypted=False, publicly_accessible=True, skip_final_snapshot=True)\n"
    )
    result = runner.invoke(app, ["check", str(tmp_path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    rules = {v["rule"] for v in report["violations"]}
    assert {"rds-storage-encrypted", "rds-not-publicly-accessible"} <= rules


def test_every_example_passes_every_mandatory_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example project, the app of the stack-references pair with its platform's
    outputs (`--reference`, as `gridops preview` takes it)."""
    monkeypatch.chdir(ROOT)
    examples = sorted(p.parent for p in (ROOT / "examples").rglob("Pulumi.yaml"))
    assert len(examples) >= 9
    for project in examples:
        args = ["check", str(project.relative_to(ROOT)), "--json"]
        if project.name == "app":
            platform = "organization/platform/dev=examples/stack-references/platform"
            args += ["--reference", platform]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (project, result.output)
        assert json.loads(result.output)["summary"]["mandatory"] == 0, project
