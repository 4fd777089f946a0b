"""README's promise: a user mistake ends in one line on stderr (`error: ...`) naming the flag or
file and what is wrong, and exit code 2; exit 1 stays `gridops check`'s mandatory violation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gridops_infra.cli.app import app
from gridops_infra.cli.commands import loading, register_all

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GRIDOPS_DEBUG", raising=False)


@pytest.fixture
def no_preview(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mistake must be found before the (slow) preview runs."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the program was previewed before the mistake was reported")

    monkeypatch.setattr(loading, "preview", refuse)


def user_error(*args: str) -> str:
    """Run the CLI; assert exit 2, nothing on stdout and one `error:` line on stderr; return it."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert result.stdout.strip() == ""
    return lines[0]


# 1. --policy-config ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "wrong"),
    [
        ('{"nosuch-rule": "mandatory"}', "unknown rule(s) 'nosuch-rule'"),
        ('{"rds-backup-retentio": "advisory"}', "did you mean 'rds-backup-retention'?"),
        ('{"all": "strict"}', "'strict' is not one of mandatory, advisory, disabled"),
        ('{"all": {"minimumDays": 3}}', "unknown setting(s) 'minimumDays'"),
        ('{"rds-backup-retention": {"minimumDays": "x"}}', "'minimumDays' must be integer"),
        ('{"rds-backup-retention": {"minimumDays": 0}}', "'minimumDays' must be at least 1"),
        ('{"rds-backup-retention": {"minimumDays": 7.5}}', "'minimumDays' must be integer"),
        ("all: mandatory", "not valid JSON (line 1, column 1"),
        ('["all"]', "expected a JSON object"),
    ],
)
def test_bad_policy_config(tmp_path: Path, no_preview: None, content: str, wrong: str) -> None:
    config = tmp_path / "policy.json"
    config.write_text(content)
    line = user_error("check", "fargate", "--policy-config", str(config))
    assert f"--policy-config {config}: " in line
    assert wrong in line


def test_policy_config_that_is_missing_or_a_directory(tmp_path: Path, no_preview: None) -> None:
    missing = user_error("check", "fargate", "--policy-config", str(tmp_path / "nope.json"))
    assert f"--policy-config {tmp_path / 'nope.json'}: no such file" in missing
    folder = user_error("check", "fargate", "--policy-config", str(tmp_path))
    assert f"--policy-config {tmp_path}: is a directory" in folder


# 2. --usage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "wrong"),
    [
        ("nat_gatway_gb: 500\n", "'nat_gatway_gb' is not known (did you mean 'nat_gateway_gb'?)"),
        ("nat_gateway_gb: lots\n", "'lots' is not allowed; expected a number >= 0"),
        ("nat_gateway_gb: -5\n", "-5 is not allowed; expected a number >= 0"),
        ("nat_gateway_gb: .nan\n", "nan is not allowed"),
        ("resources:\n  prod-nat-0: {nat_gateway_gb: -1}\n", "-1 is not allowed"),
        ("a: [\n", "not valid YAML (line 2, column 1"),
        ("- 1\n- 2\n", "expected a mapping of usage keys to numbers"),
    ],
)
def test_bad_usage_file(tmp_path: Path, no_preview: None, content: str, wrong: str) -> None:
    usage = tmp_path / "usage.yaml"
    usage.write_text(content)
    line = user_error("cost", "fargate", "--usage", str(usage))
    assert f"--usage {usage}: " in line
    assert wrong in line


def test_cost_vs_an_unknown_target_is_refused_before_previewing(no_preview: None) -> None:
    line = user_error("cost", "fargate", "--vs", "nowhere")
    assert "--vs nowhere: unknown stage or project directory 'nowhere'" in line


# 3. output paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "wrong"),
    [
        ("README.md", "exists and is not a directory"),
        ("README.md/sub", "cannot create it, README.md is not a directory"),
        ("/proc/nope", "cannot write in /proc"),
        ("/sys/kernel", "cannot write in /sys/kernel"),
    ],
)
def test_preview_output_dir_that_cannot_be_written(
    no_preview: None, where: str, wrong: str
) -> None:
    line = user_error("preview", "fargate", "--output-dir", where)
    assert f"--output-dir {where}: {wrong}" in line


@pytest.mark.parametrize(
    ("fmt", "where", "wrong"),
    [
        ("dot", "/tmp", "is a directory; give a file name"),
        ("png", "/sys/x.png", "cannot write in /sys"),
        ("mermaid", "/no-such-dir/x.md", "directory /no-such-dir does not exist"),
    ],
)
def test_graph_output_that_cannot_be_written(
    no_preview: None, fmt: str, where: str, wrong: str
) -> None:
    line = user_error("graph", "fargate", "-f", fmt, "-o", where)
    assert f"--output {where}: {wrong}" in line


def test_graph_png_without_output(no_preview: None) -> None:
    assert "--format png needs --output" in user_error("graph", "fargate", "-f", "png")


# 4. --update -------------------------------------------------------------------------------


def test_timing_update_names_its_own_flag(no_preview: None) -> None:
    line = user_error("timing", "fargate", "--update", "foo")
    assert "--update 'foo': expected key=value" in line
    assert "--config" not in line


def test_config_pair_names_config(no_preview: None) -> None:
    assert "--config 'foo': expected key=value" in user_error("cost", "fargate", "-c", "foo")


# 5. the stage argument names the stage that is built ---------------------------------------


@pytest.mark.parametrize("command", ["preview", "check", "cost", "timing", "graph"])
def test_stack_of_another_stage_is_refused(no_preview: None, command: str) -> None:
    line = user_error(command, "fargate", "-s", "eks")
    assert "--stack eks: stacks/Pulumi.eks.yaml builds stage 'eks', not 'fargate'" in line


@pytest.mark.parametrize("key", ["stage", "gridops:stage"])
def test_config_stage_contradicting_the_argument_is_refused(no_preview: None, key: str) -> None:
    line = user_error("preview", "fargate", "-c", f"{key}=eks")
    assert f"--config {key}=eks contradicts the stage argument 'fargate'" in line
    update = user_error("timing", "fargate", "--update", f"{key}=eks")
    assert f"--update {key}=eks contradicts the stage argument 'fargate'" in update


def test_config_stage_that_agrees_is_accepted() -> None:
    result = runner.invoke(app, ["preview", "single-server", "-c", "stage=single-server"])
    assert result.exit_code == 0, result.output
    assert "Offline preview of stage single-server (stack single-server" in result.stdout


def test_stack_file_must_name_a_stage(
    no_preview: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (tmp_path / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    (stacks / "Pulumi.mine.yaml").write_text("config:\n  gridops:nat: single\n")
    (stacks / "Pulumi.moon.yaml").write_text("config:\n  gridops:stage: moon\n")
    (tmp_path / "__main__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    unset = user_error("preview", "fargate", "-s", "mine")
    unknown = user_error("preview", "fargate", "-s", "moon")
    assert "--stack mine: stacks/Pulumi.mine.yaml does not set gridops:stage" in unset
    assert "add `gridops:stage: fargate`" in unset
    assert "--stack moon: stacks/Pulumi.moon.yaml: unknown stage 'moon'" in unknown


# 6. a stack file that does not exist -------------------------------------------------------


def test_missing_stack_file_is_named(no_preview: None) -> None:
    line = user_error("preview", "fargate", "-s", "nostack")
    assert "--stack nostack: stacks/Pulumi.nostack.yaml does not exist" in line
    assert "<stack>" not in line
    assert (
        "eks, express, fargate, fargate-preview, fargate-staging, registry, single-server" in line
    )


# 7. a plain ValueError the program raises is the user's; the engine's stays a bug ---------


def write_project(tmp_path: Path, program: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: mine\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(program)
    return tmp_path


def test_value_error_from_a_component_is_one_line(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        "from datetime import timedelta\n"
        "from gridops_infra.observability.slo import format_duration\n"
        "format_duration(timedelta(seconds=-5))\n",
    )
    line = user_error("preview", str(project))
    assert "must be a positive whole number of seconds" in line
    assert "GRIDOPS_DEBUG=1" in line


def test_gridops_debug_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path, "raise ValueError('replicas=9: too many')\n")
    monkeypatch.setenv("GRIDOPS_DEBUG", "1")
    result = runner.invoke(app, ["preview", str(project)])
    assert result.exit_code != 2
    assert isinstance(result.exception, ValueError)
    assert "replicas=9" in str(result.exception)


def test_other_errors_in_the_program_keep_their_traceback(tmp_path: Path) -> None:
    project = write_project(tmp_path, "raise KeyError('oops')\n")
    result = runner.invoke(app, ["preview", str(project)])
    assert result.exit_code == 1
    assert isinstance(result.exception, KeyError)


def test_value_error_raised_by_the_offline_engine_stays_a_bug() -> None:
    engine_file = str(loading.ENGINE_DIR / "engine.py")
    try:
        exec(compile("raise ValueError('engine bug')", engine_file, "exec"))
    except ValueError as exc:
        assert loading.as_program_error(exc) is None
    try:
        exec(compile("raise ValueError('bad value')", "/somewhere/__main__.py", "exec"))
    except ValueError as exc:
        error = loading.as_program_error(exc)
        assert isinstance(error, loading.ProgramError) and str(error) == "bad value"


# a valid enforcement file still drives the check --------------------------------------------


def test_enforcement_file_that_is_valid_is_used(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"all": "disabled"}))
    result = runner.invoke(
        app, ["check", "single-server", "--policy-config", str(config), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["rules_disabled"] > 0


# Mistakes inside the user's own program ------------------------------------------------------


def test_two_resources_of_one_name_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: dup\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        'import pulumi_aws as aws\naws.sqs.Queue("jobs")\naws.sqs.Queue("jobs")\n'
    )
    line = user_error("preview", str(tmp_path))
    assert "Duplicate resource URN" in line and "Queue::jobs" in line


def test_a_network_reference_with_the_wrong_zones_is_one_line() -> None:
    line = user_error(
        "preview",
        "examples/stack-references/app",
        "--reference",
        "organization/platform/dev=examples/stack-references/platform",
        "--config",
        'availability_zones=["us-east-1a","us-east-1b","us-east-1c"]',
    )
    # Whichever subnet list resolves first reports it.
    assert "availability_zones=" in line
    assert re.search(r"the referenced network has 2 (public|private) subnets", line)
