"""After the README's install (`pip install -e .`), pyright and editors resolve
`gridops_infra` in a user's own program, outside the checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """
from gridops_infra import FargateCluster, Network, StatelessService

net = Network("prod", {"az_count": 2})
cluster = FargateCluster("prod", {"network": net})
api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1.4.2"})
"""


def pyright() -> str:
    found = Path(sys.executable).with_name("pyright")
    if found.exists():
        return str(found)
    other = shutil.which("pyright")
    if other is None:
        pytest.skip("pyright is not installed (dev extra)")
    return other


def test_a_program_outside_the_checkout_resolves_gridops_infra(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(PROGRAM)
    proc = subprocess.run(
        [pyright(), "--outputjson", "--pythonpath", sys.executable, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=240,
    )
    report = json.loads(proc.stdout)
    messages = [d["message"] for d in report["generalDiagnostics"]]
    assert not [m for m in messages if "could not be resolved" in m], messages
    assert report["summary"]["filesAnalyzed"] == 1
    assert report["summary"]["errorCount"] == 0, messages  # the correct program type-checks


MISTAKES = """
from gridops_infra import FargateCluster, Network, StatelessService

net = Network("prod", {"az_cuont": 2})
cluster = FargateCluster("prod", {"network": net})
api = StatelessService("api", {"platform": cluster, "image": "ghcr.io/acme/api:1", "port": "8080"})
"""


def test_pyright_flags_a_misspelt_key_and_a_wrong_type_in_an_inline_dict(
    tmp_path: Path,
) -> None:
    """The args parameter is the TypedDict itself, so an editor catches what the component
    would only refuse at preview time."""
    (tmp_path / "__main__.py").write_text(MISTAKES)
    proc = subprocess.run(
        [pyright(), "--outputjson", "--pythonpath", sys.executable, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=240,
    )
    report = json.loads(proc.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    lines = {d["range"]["start"]["line"] + 1: d["message"] for d in errors}
    # Exactly the two lines with a mistake, each naming the component's Args TypedDict.
    assert sorted(lines) == [4, 6], errors
    assert '"NetworkArgs' in lines[4] and '"StatelessServiceArgs' in lines[6], errors
