"""`gridops baseline` end to end against moto's server on loopback (started and stopped by
the module fixture), with the account filled through the AWS API (tests/baseline/account.py).

What moto 5.2 cannot answer is asserted as the one-line "not measured" outcome, never faked:
it computes no percentile statistic (GetMetricData with Stat p95 answers HTTP 500) and does
not implement DescribeAlarmHistory or ECS ListServiceDeployments (HTTP 500). Those figures'
arithmetic is tested on AWS's documented reply shapes in test_baseline_figures.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from typer.testing import CliRunner

from gridops_infra.analysis.baseline import STEPS, Aws, Options, Window, read_baseline
from gridops_infra.analysis.baseline.cost import DAYS_PER_MONTH, whole_days
from gridops_infra.analysis.baseline.policy import actions
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all
from tests.baseline import account as data
from tests.moto_server import REGION, TEST_KEYS, aws_client, moto_endpoint

if not app.registered_commands:
    register_all(app)
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]

HTTP_500 = "with HTTP 500 (a server error, or an action this endpoint does not implement)"


@pytest.fixture(scope="module")
def account() -> Iterator[data.Account]:
    with moto_endpoint() as endpoint:
        yield data.fill(endpoint)


@pytest.fixture(autouse=True)
def test_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEST_KEYS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TEST_KEYS["aws_secret_access_key"])
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # moto's HTTP 500s need no retries


def window_args(account: data.Account) -> list[str]:
    # The window ends after the setup's last call: experiments started "now" are in it.
    start = account.now - dt.timedelta(days=7)
    end = account.now + dt.timedelta(minutes=10)
    return ["--start", start.isoformat(), "--end", end.isoformat()]


def campaign_window(account: data.Account) -> tuple[dt.datetime, dt.datetime]:
    """The last two days: the main ALB's day-1 counts only."""
    return account.now - dt.timedelta(days=2), account.now + dt.timedelta(minutes=10)


@pytest.fixture(scope="module")
def written(
    account: data.Account, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], str, str]:
    out = tmp_path_factory.mktemp("baseline") / "baseline.yaml"
    start, end = campaign_window(account)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_MAX_ATTEMPTS", "1")
        result = runner.invoke(
            app,
            [
                "baseline",
                *window_args(account),
                "--region",
                REGION,
                "--endpoint-url",
                account.endpoint,
                "--slo",
                "0.999",
                "--campaign",
                f"{start.isoformat()}/{end.isoformat()}",
                "--name",
                "acme-shop",
                "-o",
                str(out),
            ],
        )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    return yaml.safe_load(text), text, result.output


def test_error_rate_is_every_5xx_over_every_request_of_every_alb(
    written: tuple[dict[str, Any], str, str],
) -> None:
    doc, _, _ = written
    requests = sum(r for days in (data.WEB_DAYS, data.ADMIN_DAYS) for r, _, _ in days.values())
    failed = sum(t + e for days in (data.WEB_DAYS, data.ADMIN_DAYS) for _, t, e in days.values())
    assert doc["error_rate_percent"] == round(100 * failed / requests, 4) == 0.1122
    _, target, balancer = data.WEB_DAYS[1]
    assert doc["error_rate_during_campaigns_percent"] == round(
        100 * (target + balancer) / data.WEB_DAYS[1][0], 4
    )
    source = doc["sources"]["error_rate_percent"]["source"]
    assert "HTTPCode_ELB_5XX_Count" in source and "HTTPCode_Target_5XX_Count" in source


def test_every_measured_figure_names_its_source_and_window(
    written: tuple[dict[str, Any], str, str], account: data.Account
) -> None:
    doc, text, _ = written
    given = {"current_stage", "slo_objective", "name"}
    figures = [k for k in doc if k != "sources"]
    assert set(figures) - given == set(doc["sources"])
    assert all(set(entry) == {"source", "window"} for entry in doc["sources"].values())
    start, end = (w.strip() for w in doc["sources"]["error_rate_percent"]["window"].split("/"))
    assert dt.datetime.fromisoformat(start) == account.now - dt.timedelta(days=7)
    assert dt.datetime.fromisoformat(end) == account.now + dt.timedelta(minutes=10)
    campaign_start, _ = campaign_window(account)
    assert doc["sources"]["error_rate_during_campaigns_percent"]["window"].startswith(
        campaign_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    assert "#   slo_objective: given: --slo\n" in text
    assert doc["slo_objective"] == 0.999 and doc["name"] == "acme-shop"


def test_stage_is_detected_from_ecs(written: tuple[dict[str, Any], str, str]) -> None:
    doc, text, _ = written
    assert doc["current_stage"] == "fargate"
    assert "#   current_stage: detected: ECS ListServices: 3 ECS services" in text


def test_utilization_rows(written: tuple[dict[str, Any], str, str]) -> None:
    doc, text, _ = written
    rows = {row["name"]: row for row in doc["utilization"]}
    assert rows["shop/api"] == {
        "kind": "service",
        "name": "shop/api",
        "cpu_units": 512,
        "memory_mib": 1024,
        "cpu_p95_percent": 19.0,
        "memory_p95_percent": 48.0,
    }
    # No datapoints for the worker: its task size only, the gap listed, nothing invented.
    assert rows["shop/worker"] == {
        "kind": "worker",
        "name": "shop/worker",
        "cpu_units": 256,
        "memory_mib": 512,
    }
    assert "#   utilization shop/worker cpu_p95_percent: no datapoints" in text
    # No Fargate task size, nothing assess could review it against: left out, said why.
    assert "shop/legacy" not in rows
    assert (
        "#   utilization shop/legacy: left out: its task definition sets no task-level cpu" in text
    )
    assert rows["orders"] == {
        "kind": "database",
        "name": "orders",
        "instance_class": "db.r6g.large",
        "cpu_p95_percent": 68.0,
        "memory_p95_percent": 75.0,  # 16 GiB class, 4 GiB free at the p95
        "connections_max": 87,
    }
    assert rows["sessions"] == {
        "kind": "cache",
        "name": "sessions",
        "node_type": "cache.t4g.small",
        "cpu_p95_percent": 23.0,
        "memory_p95_percent": 78.0,
        "connections_max": 9,
    }
    assert [row["kind"] for row in doc["utilization"]] == [
        "service",
        "worker",
        "database",
        "database",
        "cache",
    ]


def test_db_query_latency_only_from_aurora_mysql(written: tuple[dict[str, Any], str, str]) -> None:
    doc, _, _ = written
    assert doc["db_p95_query_ms"] == 38.0
    assert "SelectLatency" in doc["sources"]["db_p95_query_ms"]["source"]


def test_postgres_alone_gives_no_query_latency(account: data.Account) -> None:
    from gridops_infra.analysis.baseline import rds
    from gridops_infra.analysis.baseline.aws import NotMeasured
    from gridops_infra.analysis.baseline.reading import Reading

    aws = Aws(boto3.Session(region_name=REGION, **TEST_KEYS), REGION, account.endpoint)
    postgres = [db for db in rds.find(aws) if db.engine == "postgres"]
    window = Window(account.now - dt.timedelta(days=7), account.now + dt.timedelta(minutes=1))
    with pytest.raises(
        NotMeasured, match="no query latency for these engines \\(postgres\\); ReadLatency"
    ):
        rds.query_latency(aws, window, postgres, Reading())


def test_cost_is_the_whole_days_scaled_to_a_month(
    written: tuple[dict[str, Any], str, str], account: data.Account
) -> None:
    doc, _, _ = written
    first, end = whole_days(
        Window(account.now - dt.timedelta(days=7), account.now + dt.timedelta(minutes=10))
    )
    days = (end - first).days
    total = sum(float(amount) for _, amount in data.COST_DAYS)
    assert doc["monthly_cost_usd"] == round(total / days * DAYS_PER_MONTH, 2)


def test_drills_from_our_templates_only(
    written: tuple[dict[str, Any], str, str], account: data.Account
) -> None:
    doc, _, _ = written
    assert [d["template"] for d in doc["drills"]] == ["shop-drills-api-stop"] * 2
    finished = [d for d in doc["drills"] if d["state"] == "completed"]
    running = [d for d in doc["drills"] if d["state"] != "completed"]
    assert len(finished) == 1 and len(running) == 1 and "recovery_minutes" not in running[0]
    fis = aws_client(account.endpoint, "fis")
    ended = [
        e
        for e in (
            fis.get_experiment(id=s["id"])["experiment"]
            for s in fis.list_experiments()["experiments"]
        )
        if e["state"]["status"] == "completed"
        and e["experimentTemplateId"]
        in {
            t["id"]
            for t in fis.list_experiment_templates()["experimentTemplates"]
            if t["tags"].get("gridops:component") == "ResilienceDrills"
        }
    ]
    (experiment,) = ended
    minutes = (experiment["endTime"] - experiment["startTime"]).total_seconds() / 60
    assert finished[0]["recovery_minutes"] == round(minutes, 2)
    assert doc["drill_recovery_minutes"] == round(minutes, 2)


def test_what_moto_cannot_answer_is_left_out_with_the_reason(
    written: tuple[dict[str, Any], str, str],
) -> None:
    doc, text, output = written
    for left_out in (
        "p95_latency_ms",
        "mttr_minutes",
        "deploy_lead_time_minutes",
        "deploys_per_week",
    ):
        assert left_out not in doc
    assert "#   p95_latency_ms: cloudwatch:GetMetricData failed at http://127.0.0.1:" in text
    assert (
        "#   mttr_minutes: cloudwatch:DescribeAlarmHistory failed at " in text and HTTP_500 in text
    )
    assert "#   deploys_per_week: ecs:ListServiceDeployments failed at " in text
    assert "not measured: mttr_minutes: cloudwatch:DescribeAlarmHistory failed" in output
    assert "Traceback" not in output
    assert "#   conversion_change_after_peak_percent: a business metric" in text


def test_every_call_made_is_in_the_shipped_policy(account: data.Account) -> None:
    aws = Aws(boto3.Session(region_name=REGION, **TEST_KEYS), REGION, account.endpoint)
    window = Window(account.now - dt.timedelta(days=7), account.now + dt.timedelta(minutes=10))
    start, end = campaign_window(account)
    read_baseline(aws, Options(window=window, campaign=Window(start, end)))
    assert set(aws.called) <= set(actions())
    assert len(set(aws.called)) >= 15  # every reader ran


def test_a_progress_bar_names_each_step_while_it_reads(
    account: data.Account, tmp_path: Path
) -> None:
    # FORCE_COLOR makes rich treat the captured stderr as a terminal, as a user's is.
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "120", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from gridops_infra.cli import main; main()", "baseline"]
    result = subprocess.run(
        [
            *command,
            *window_args(account),
            "--region",
            REGION,
            "--endpoint-url",
            account.endpoint,
            "--stage",
            "fargate",
            "-o",
            str(tmp_path / "b.yaml"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for step in STEPS:  # each step is drawn as it starts
        assert f"reading {step}" in result.stderr, step
    assert f"{len(STEPS)}/{len(STEPS)}" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "b.yaml").exists()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def test_no_credentials_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, account: data.Account
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = runner.invoke(
        app,
        [
            "baseline",
            "--region",
            REGION,
            "--endpoint-url",
            account.endpoint,
            "-o",
            str(tmp_path / "b.yaml"),
        ],
    )
    assert "error: no AWS credentials found" in one_line_error(result)
    assert not (tmp_path / "b.yaml").exists()


def test_unreachable_endpoint_is_one_line(tmp_path: Path) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    result = runner.invoke(
        app,
        [
            "baseline",
            "--region",
            REGION,
            "--endpoint-url",
            endpoint,
            "-o",
            str(tmp_path / "b.yaml"),
        ],
    )
    line = one_line_error(result)
    assert line.startswith(f"error: cannot reach {endpoint} (sts:GetCallerIdentity)")


def test_unknown_profile_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["baseline", "--profile", "no-such-profile", "-o", str(tmp_path / "b.yaml")]
    )
    assert "AWS profile not found" in one_line_error(result)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--days", "0"], "--days=0 is outside 0 < days <= 455"),
        (["--start", "last week"], "--start='last week' is not a date or time"),
        (["--days", "3", "--start", "2026-01-01"], "--days and --start both given"),
        (["--end", "2026-01-01"], "--end needs --start"),
        (["--campaign", "2026-01-01"], "must be START/END"),
        (["--stage", "kubernetes"], "--stage='kubernetes' is not a stage"),
        (["--slo", "99.9"], "--slo=99.9 must be a fraction"),
        (["--github", "acme"], "--github='acme' must be OWNER/REPO"),
    ],
)
def test_bad_options_are_one_line(args: list[str], says: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["baseline", *args, "-o", str(tmp_path / "b.yaml")])
    assert says in one_line_error(result)


def test_gridops_assess_reads_what_gridops_baseline_wrote(
    written: tuple[dict[str, Any], str, str], tmp_path: Path
) -> None:
    """The two commands meet: the file baseline wrote is a partial baseline assess judges
    (the campaign error rate and lead time it measured; conversion and incident share it
    cannot read, listed with who gives them), and every figure keeps its source."""
    doc, text, _ = written
    path = tmp_path / "baseline.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["assess", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    judged = {t["name"] for t in report["triggers"] if t["judged"]}
    assert "campaign_error_rate" in judged
    unjudged = {u["name"] if isinstance(u, dict) else u for u in report["unjudged"]}
    assert {"conversion_drop_after_peaks", "incident_time_share"} <= unjudged
    assert report["current_stage"] == doc["current_stage"]
    assert set(report["sources"]) == set(doc["sources"])
