"""`gridops migration FROM TO`: the plan for moving up a stage, step by step, with what the
month costs while both stages run, how long each step takes and what gates the next."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from gridops_infra.cli.commands.cost import USAGE_FLAG, load_usage
from gridops_infra.cli.commands.loading import load_target_plan
from gridops_infra.cli.commands.options import ConfigOpt, OptionError, Overrides
from gridops_infra.cli.commands.sides import side, split_config
from gridops_infra.cli.commands.warnings import announce, with_warnings
from gridops_infra.cli.errors import console, friendly_errors

if TYPE_CHECKING:
    from gridops_infra.analysis.migration import MigrationPlan


# The defaults repeat MigrationOptions' own (a test keeps them equal): importing the
# analysis here would load Pulumi's runtime before `gridops --help` prints.


def register(app: typer.Typer) -> None:
    @app.command("migration")
    @friendly_errors
    def migration_command(
        from_stage: Annotated[
            str, typer.Argument(metavar="FROM", help="The stage running today, e.g. single-server.")
        ],
        to_stage: Annotated[
            str, typer.Argument(metavar="TO", help="A later stage to move to, e.g. fargate.")
        ],
        database_size_gb: Annotated[
            float | None,
            typer.Option(
                "--database-size-gb",
                help="Size of the database the full load copies, GB. Default: the old stage's "
                "data volume size (an upper bound).",
            ),
        ] = None,
        full_load_gb_per_hour: Annotated[
            float,
            typer.Option(
                "--full-load-gb-per-hour",
                help="Full-load throughput to plan with (AWS publishes none; time a test run).",
            ),
        ] = 10.0,
        replication_dcus: Annotated[
            int,
            typer.Option(
                "--replication-dcus",
                help="Average DMS Serverless capacity units while replication runs "
                "(1, 2, 4, 8, 16, 32, 64, 128, 192, 256 or 384).",
            ),
        ] = 2,
        replication_multi_az: Annotated[
            bool,
            typer.Option("--replication-multi-az", help="Price Multi-AZ replication (2x)."),
        ] = False,
        steps: Annotated[
            str,
            typer.Option(
                "--steps",
                help="Traffic on the new stage at each cut-over step, percent, rising to 100.",
            ),
        ] = "10,50,100",
        bake_minutes: Annotated[
            float,
            typer.Option("--bake-minutes", help="How long each weight holds with the SLO green."),
        ] = 60.0,
        max_lag_seconds: Annotated[
            float,
            typer.Option("--max-lag-seconds", help="Replication-lag gate: CDC latency below this."),
        ] = 60.0,
        lag_hold_minutes: Annotated[
            float,
            typer.Option(
                "--lag-hold-minutes",
                help="How long the lag stays under the gate before traffic moves.",
            ),
        ] = 15.0,
        dns_ttl_seconds: Annotated[
            float, typer.Option("--dns-ttl-seconds", help="TTL of the weighted records.")
        ] = 60.0,
        dns_queries_million: Annotated[
            float,
            typer.Option(
                "--dns-queries-million", help="DNS queries for the name a month, millions."
            ),
        ] = 1.0,
        dlq_messages: Annotated[
            int,
            typer.Option(
                "--dlq-messages",
                help="Messages in the old dead-letter queue when the drain starts.",
            ),
        ] = 0,
        config: ConfigOpt = None,
        usage: Annotated[
            Path | None,
            typer.Option(USAGE_FLAG, help="YAML of usage assumptions, for both stages' cost."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    ) -> None:
        """The plan for moving FROM one stage up to TO: steps in order, cost a month while both
        run, time per step, and the checks that gate the next step."""
        from gridops_infra.analysis.migration import (
            MigrationError,
            MigrationOptions,
            check_pair,
            parse_weights,
            plan_migration,
        )

        try:
            check_pair(from_stage, to_stage)
            options = MigrationOptions(
                weights=parse_weights(steps),
                bake_minutes=bake_minutes,
                database_size_gb=database_size_gb,
                full_load_gb_per_hour=full_load_gb_per_hour,
                replication_dcus=replication_dcus,
                replication_multi_az=replication_multi_az,
                max_lag_seconds=max_lag_seconds,
                lag_hold_minutes=lag_hold_minutes,
                dns_ttl_seconds=dns_ttl_seconds,
                dns_queries_million=dns_queries_million,
                dlq_messages=dlq_messages,
            )
        except MigrationError as exc:
            raise OptionError(str(exc)) from None
        overrides = Overrides.parse(config)
        usage_data = load_usage(usage)
        sides = [side("A", from_stage), side("B", to_stage)]
        (config_old, config_new), split_warnings = split_config(overrides, sides)
        announce(split_warnings)
        with console.status("Previewing both stages...", spinner="dots"):
            _, old_plan = load_target_plan(from_stage, None, config_old)
            _, new_plan = load_target_plan(to_stage, None, config_new)
            try:
                plan = plan_migration(from_stage, to_stage, old_plan, new_plan, options, usage_data)
            except MigrationError as exc:
                raise OptionError(str(exc)) from None
        plan.warnings[:0] = split_warnings
        if as_json:
            announce(plan.warnings)
            payload = with_warnings(plan.to_json(), old_plan, new_plan)
            typer.echo(json.dumps(payload, indent=2))
            return
        print_migration(plan)


STAGE_PARTS = ("old_stage", "new_stage")


def print_migration(plan: MigrationPlan) -> None:
    from gridops_infra.analysis.timing.estimate import format_seconds

    console.print(f"[bold]{escape(plan.headline())}[/]", soft_wrap=True)
    table = Table(title="Steps", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("step", overflow="fold")
    table.add_column("takes", justify="right")
    table.add_column(f"{plan.table.currency}/month", justify="right")
    table.add_column("gate before the next step", overflow="fold")
    for step in plan.steps:
        takes = (
            "not estimated"
            if step.duration_seconds is None
            else format_seconds(step.duration_seconds)
        )
        costs = "".join(
            f"\n[dim]+ {escape(part.label)} ${part.monthly_usd:,.2f}[/]"
            for part in step.costs
            if part.key not in STAGE_PARTS
        )
        gate = "\n".join(
            escape(check.condition)
            + (f" [dim](for {format_seconds(check.hold_seconds)})[/]" if check.hold_seconds else "")
            for check in step.gate
        )
        table.add_row(
            str(step.order),
            f"{escape(step.title)}\n[dim]by {escape(step.done_by)}[/]",
            f"{takes}\n[dim]{escape(step.duration_basis)}[/]",
            f"${step.monthly_usd:,.2f}{costs}",
            gate,
        )
    console.print(table)
    old, new = plan.costs.old, plan.costs.new
    console.print(
        f"Both stages in every step: {escape(old.label)} ${old.monthly_usd:,.2f} + "
        f"{escape(new.label)} ${new.monthly_usd:,.2f} ({escape(new.basis)}).",
        soft_wrap=True,
    )
    console.print(
        f"After the move: ${plan.after_monthly_usd:,.2f}/month ({escape(plan.new.stage)} alone)."
    )
    console.print("\n[bold]Assumptions[/]")
    for line in plan.assumptions:
        console.print(f"  - {escape(line)}", soft_wrap=True)
    console.print("\n[bold]Sources[/]")
    for source in plan.to_json()["sources"]:
        console.print(f"  - {escape(source['title'])}: {source['url']}", soft_wrap=True)
    # Warnings went to stderr as each Plan was read (cli/commands/warnings.py).
    announce(plan.warnings)
