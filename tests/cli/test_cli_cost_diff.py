"""`gridops cost-diff BASE.json HEAD.json`: the change in monthly cost between two saved
`gridops cost --json` reports, per component and in total, as text, JSON and the Markdown
a pull-request comment carries; files that are not such reports are one clear error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gridops_infra.analysis.cost.comparison import COMPARISON_KEYS
from gridops_infra.cli.app import app
from gridops_infra.cli.commands import register_all

ROOT = Path(__file__).resolve().parents[2]
if not app.registered_commands:
    register_all(app)
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _in_repo() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.delenv("GRIDOPS_DEBUG", raising=False)
        yield


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, dict]:
    """The single-server stage as on main and with a bigger instance, as the pipeline
    writes them: `gridops cost STAGE --json` on each side."""
    folder = tmp_path_factory.mktemp("cost")
    sides = {}
    for side, extra in (("base", []), ("head", ["-c", "instance_type=t4g.xlarge"])):
        result = invoke("cost", "single-server", "--json", *extra)
        assert result.exit_code == 0, result.output
        (folder / f"{side}.json").write_text(result.stdout)
        sides[side] = json.loads(result.stdout)
    return folder / "base.json", folder / "head.json", sides["base"], sides["head"]


def by_component(report: dict) -> dict[str, float]:
    return {row["component"]: row["monthly_usd"] for row in report["by_component"]}


def test_json_is_head_minus_base_per_component_and_in_total(reports) -> None:
    base_path, head_path, base, head = reports
    result = invoke("cost-diff", str(base_path), str(head_path), "--json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert list(diff) == list(COMPARISON_KEYS)
    assert (diff["a"], diff["b"]) == ("base", "head")
    assert diff["total_a_usd"] == base["total_monthly_usd"]
    assert diff["total_b_usd"] == head["total_monthly_usd"]
    assert diff["delta_usd"] == pytest.approx(
        head["total_monthly_usd"] - base["total_monthly_usd"], abs=0.011
    )
    old, new = by_component(base), by_component(head)
    rows = {row["component"]: row for row in diff["by_component"]}
    assert set(rows) == set(old) | set(new)
    changed = [name for name in rows if rows[name]["delta_usd"] != 0]
    assert changed == [diff["by_component"][0]["component"]]  # the largest change first
    (server,) = changed
    assert server.startswith("SingleServer/")
    assert rows[server]["a_usd"] == old[server] and rows[server]["b_usd"] == new[server]
    assert rows[server]["delta_usd"] > 0  # a t4g.xlarge costs more than the default


def test_markdown_lists_the_changed_component_unchanged_ones_and_the_total(reports) -> None:
    base_path, head_path, base, head = reports
    result = invoke(
        "cost-diff", str(base_path), str(head_path), "--markdown", "--base-label", "main"
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    server = next(n for n in by_component(head) if n.startswith("SingleServer/"))
    old, new = by_component(base)[server], by_component(head)[server]
    assert "| component | main | head | change |" in text
    assert f"| `{server}` | ${old:,.2f} | ${new:,.2f} | +${new - old:,.2f} (+" in text
    unchanged = len(by_component(head)) - 1
    assert f"| {unchanged} unchanged |" in text
    total = f"**${base['total_monthly_usd']:,.2f}** | **${head['total_monthly_usd']:,.2f}**"
    assert f"| **total** | {total} |" in text
    assert text.startswith(f"Monthly cost: ${base['total_monthly_usd']:,.2f} -> ")
    assert "as of " + base["price_table"]["as_of"] in text


def test_the_same_report_on_both_sides_is_no_change(reports) -> None:
    base_path, _, base, _ = reports
    result = invoke("cost-diff", str(base_path), str(base_path), "--markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Monthly cost: no change (${base['total_monthly_usd']:,.2f})")
    assert f"| {len(base['by_component'])} unchanged |" in result.stdout


def test_a_component_only_on_one_side_counts_from_zero(reports, tmp_path: Path) -> None:
    base_path, _, base, _ = reports
    head = json.loads(base_path.read_text())
    head["by_component"].append({"component": "RedisCache/cache", "monthly_usd": 50.0})
    head["total_monthly_usd"] = round(base["total_monthly_usd"] + 50.0, 2)
    path = tmp_path / "head.json"
    path.write_text(json.dumps(head))
    result = invoke("cost-diff", str(base_path), str(path), "--markdown")
    assert result.exit_code == 0, result.output
    assert "| `RedisCache/cache` | $0.00 | $50.00 | +$50.00 |" in result.stdout


def test_the_text_table_names_both_sides(reports) -> None:
    base_path, head_path, _, _ = reports
    result = invoke("cost-diff", str(base_path), str(head_path))
    assert result.exit_code == 0, result.output
    assert "A = base, B = head" in result.stdout and "TOTAL" in result.stdout


def write(tmp_path: Path, name: str, payload: object) -> Path:
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    return path


def test_files_that_are_not_cost_reports_are_one_line_errors(reports, tmp_path: Path) -> None:
    base_path, _, base, _ = reports
    older = {**base, "schema_version": 0}
    other_table = {**base, "price_table": {**base["price_table"], "region": "eu-west-1"}}
    no_rows = {k: v for k, v in base.items() if k != "by_component"}
    bad_row = {**base, "by_component": [{"component": "x", "monthly_usd": "ten"}]}
    comparison = {"total_a_usd": 1}
    cases = [
        (tmp_path / "missing.json", "HEAD", "no such file"),
        (write(tmp_path, "text.json", "pulumi preview output"), "HEAD", "not JSON"),
        (write(tmp_path, "list.json", [1, 2]), "HEAD", "expected the JSON object"),
        (write(tmp_path, "older.json", older), "HEAD", "schema_version 0"),
        (write(tmp_path, "eu.json", other_table), "base was priced from us-east-1"),
        (write(tmp_path, "rows.json", no_rows), "HEAD", "by_component is missing"),
        (write(tmp_path, "row.json", bad_row), "HEAD", "by_component[0]: monthly_usd is 'ten'"),
        (write(tmp_path, "vs.json", comparison), "HEAD", "this is a comparison"),
    ]
    for path, *expected in cases:
        result = invoke("cost-diff", str(base_path), str(path))
        assert result.exit_code == 2, (path, result.output)
        assert result.stdout == ""
        message = result.stderr.strip()
        assert message.startswith("error:") and "\n" not in message, message
        for part in expected:
            assert part in message, (part, message)


def test_markdown_and_json_together_are_refused(reports) -> None:
    base_path, head_path, _, _ = reports
    result = invoke("cost-diff", str(base_path), str(head_path), "--markdown", "--json")
    assert result.exit_code == 2
    assert "choose one" in result.stderr
