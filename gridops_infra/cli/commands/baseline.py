"""`gridops baseline`: read the live account (read-only) and write the metrics file
`gridops assess` reads, every figure with its source and window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from gridops_infra.cli.errors import console, err_console, friendly_errors

if TYPE_CHECKING:
    from gridops_infra.analysis.baseline import Aws

STAGES = ("single-server", "express", "fargate", "eks")


def register(app: typer.Typer) -> None:
    @app.command("baseline")
    @friendly_errors
    def baseline_command(
        output: Annotated[
            Path, typer.Option("--output", "-o", help="Where to write the metrics YAML.")
        ] = Path("baseline.yaml"),
        days: Annotated[
            float | None,
            typer.Option("--days", help="Window length in days, ending now (default 30)."),
        ] = None,
        start: Annotated[
            str | None,
            typer.Option("--start", help="Window start, ISO 8601, UTC unless an offset is given."),
        ] = None,
        end: Annotated[
            str | None, typer.Option("--end", help="Window end (default now), ISO 8601.")
        ] = None,
        profile: Annotated[
            str | None, typer.Option("--profile", help="AWS profile (default: AWS_PROFILE).")
        ] = None,
        region: Annotated[
            str | None, typer.Option("--region", help="AWS Region (default: the profile's).")
        ] = None,
        endpoint_url: Annotated[
            str | None,
            typer.Option("--endpoint-url", help="Send every AWS call to this endpoint (tests)."),
        ] = None,
        stage: Annotated[
            str | None,
            typer.Option("--stage", help="The stage running today (default: detected)."),
        ] = None,
        slo: Annotated[
            float | None,
            typer.Option("--slo", help="The availability SLO objective, e.g. 0.999."),
        ] = None,
        campaign: Annotated[
            str | None,
            typer.Option(
                "--campaign", help="A campaign's START/END: its 5xx share is measured too."
            ),
        ] = None,
        github: Annotated[
            str | None,
            typer.Option(
                "--github",
                help="OWNER/REPO: deployments from GitHub's API (token in GITHUB_TOKEN).",
            ),
        ] = None,
        github_environment: Annotated[
            str, typer.Option("--github-environment", help="The GitHub environment deployed to.")
        ] = "production",
        alarm_prefix: Annotated[
            str | None,
            typer.Option("--alarm-prefix", help="MTTR over alarms whose name starts so only."),
        ] = None,
        name: Annotated[
            str | None, typer.Option("--name", help="What was measured, e.g. acme-shop.")
        ] = None,
        print_policy: Annotated[
            bool,
            typer.Option(
                "--print-policy", help="Print the read-only IAM policy it needs; read nothing."
            ),
        ] = False,
    ) -> None:
        """Read the live account (read-only) into the metrics file `gridops assess` reads."""
        from gridops_infra.analysis.baseline import (
            STEPS,
            BaselineError,
            Options,
            campaign_window,
            read_baseline,
            render,
            window_for,
        )
        from gridops_infra.analysis.baseline.policy import policy_text

        if print_policy:
            typer.echo(policy_text().rstrip("\n"))
            return
        if stage is not None and stage not in STAGES:
            raise BaselineError(f"--stage={stage!r} is not a stage: use one of {', '.join(STAGES)}")
        if slo is not None and not 0 < slo < 1:
            raise BaselineError(f"--slo={slo!r} must be a fraction between 0 and 1, e.g. 0.999")
        if github is not None and github.count("/") != 1:
            raise BaselineError(f"--github={github!r} must be OWNER/REPO")
        options = Options(
            window=window_for(days, start, end),
            campaign=campaign_window(campaign) if campaign else None,
            stage=stage,
            slo=slo,
            github=github,
            github_environment=github_environment,
            name=name,
            alarm_prefix=alarm_prefix,
        )
        aws = _aws(profile, region, endpoint_url)
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("reading {task.description:<30}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=len(STEPS))
            done = [0]

            def step(label: str) -> None:
                progress.update(task, description=label, completed=done[0], refresh=True)
                done[0] += 1

            reading = read_baseline(aws, options, step)
            progress.update(task, completed=len(STEPS))
        output.write_text(render(reading, options.window, reading.account, aws.region))
        measured = [k for k in reading.document() if k != "sources"]
        console.print(
            f"wrote {escape(str(output))}: {len(measured)} figures over {options.window.text()}",
            highlight=False,
        )
        for key in measured:
            source = reading.sources.get(key, {}).get("source") or reading.given.get(key, "")
            console.print(f"  {key}: {escape(source)}", highlight=False, soft_wrap=True)
        for key, why in reading.missing.items():
            console.print(
                f"  not measured: {escape(key)}: {escape(why)}", highlight=False, soft_wrap=True
            )


def _aws(profile: str | None, region: str | None, endpoint_url: str | None) -> Aws:
    from gridops_infra.analysis.baseline import Aws, BaselineError

    try:
        import boto3
        from botocore.exceptions import ProfileNotFound
    except ImportError:
        raise BaselineError(
            "gridops baseline needs boto3: pip install 'gridops-infra[aws]'"
        ) from None
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as exc:
        raise BaselineError(f"AWS profile not found: {exc}") from None
    if not session.region_name:
        raise BaselineError("no AWS Region: pass --region or set AWS_REGION")
    return Aws(session, session.region_name, endpoint_url)
