"""The documentation site builds with warnings as errors and documents the whole public
API: every name `gridops_infra` exports, each Args TypedDict with all its fields, and the
CLI's commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gridops_infra
from gridops_infra.core.args_help import field_docs

ROOT = Path(__file__).resolve().parents[2]

# The build takes 5-7 s alone and more beside other tests; its own xdist group keeps it
# from holding both workers' attention at the end of a run.
pytestmark = pytest.mark.xdist_group("docs-site")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    started = time.perf_counter()
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    result = subprocess.run(
        [*command, "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    print(f"docs site built in {time.perf_counter() - started:.1f} s")
    return out


def anchors(page: Path) -> set[str]:
    return set(re.findall(r'id="(gridops_infra[\w.]*)"', page.read_text()))


def test_every_exported_name_has_a_reference_entry(site: Path) -> None:
    documented = set().union(*(anchors(p) for p in (site / "api").rglob("index.html")))
    missing = [
        name
        for name in gridops_infra.__all__
        if f"gridops_infra.{name}" not in documented
        and f"gridops_infra.testing.{name}" not in documented
    ]
    assert not missing, f"no API page documents {missing}"


def test_the_stateless_service_page_lists_every_argument(site: Path) -> None:
    page = site / "api" / "stateless-service" / "index.html"
    found = anchors(page)
    fields = field_docs(gridops_infra.StatelessServiceArgs)
    assert len(fields) > 40  # the spec's fields (inherited) and the component's own
    missing = [f for f in fields if f"gridops_infra.StatelessServiceArgs.{f}" not in found]
    assert not missing, f"StatelessServiceArgs fields missing from its page: {missing}"
    text = page.read_text()
    assert "Seconds a new task may fail health checks while starting" in text
    assert "gridops_infra.StatelessService" in found


def test_the_cli_page_documents_every_command_and_option(site: Path) -> None:
    text = (site / "cli" / "index.html").read_text()
    for command in (
        "preview",
        "check",
        "cost",
        "timing",
        "graph",
        "assess",
        "baseline",
        "migration",
    ):
        assert f"gridops {command}" in text
    assert "--policy-config" in text and "--output-dir" in text
    assert "--database-size-gb" in text and "--bake-minutes" in text
    assert "--print-policy" in text and "--endpoint-url" in text
    assert "gridops-cli-reference" not in text  # the marker was replaced


def test_the_site_reads_offline(site: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^\s+font: false$", config, flags=re.MULTILINE)
    pages = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(errors="replace")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page
