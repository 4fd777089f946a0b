"""`gridops cost --set-budget`: the estimate written into the stack file as
`gridops:monthly_estimate_usd`, where the program (a stage, or any program reading it)
turns it into a StackBudget that a real `pulumi up` creates."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from gridops_infra.cli.commands.options import OptionError
from gridops_infra.core.targets import Target
from gridops_infra.testing.project import load_project

ESTIMATE_KEY = "gridops:monthly_estimate_usd"
_KEY_LINE = re.compile(r"^(\s+)gridops:monthly_estimate_usd:.*$", re.MULTILINE)
_CONFIG_ENTRY = re.compile(r"^(\s+)\S[^\n]*:", re.MULTILINE)


def stack_file_of(target: Target) -> Path:
    """The stack file the estimate goes into (it must exist: the key belongs to a stack)."""
    spec = load_project(target.directory, target.stack)
    if spec.stack_file is None:
        raise OptionError(
            f"--set-budget: {target.label} has no stack file Pulumi.{target.stack}.yaml to "
            "write gridops:monthly_estimate_usd into; create it first"
        )
    return spec.stack_file


def write_estimate(path: Path, monthly_usd: float) -> str:
    """Set `gridops:monthly_estimate_usd` in the stack file at `path`, keeping every other
    line as written; returns the value written."""
    text = path.read_text()
    data = yaml.safe_load(text) or {}
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise OptionError(f"--set-budget: {path.name} has no `config:` mapping to add the key to")
    value = f"{monthly_usd:.2f}"
    line = f'{ESTIMATE_KEY}: "{value}"'
    if _KEY_LINE.search(text):
        text = _KEY_LINE.sub(lambda m: m.group(1) + line, text, count=1)
    else:
        indents = [m.group(1) for m in _CONFIG_ENTRY.finditer(text)]
        indent = indents[0] if indents else "  "
        text = text.rstrip("\n") + f"\n{indent}{line}\n"
    if (yaml.safe_load(text) or {}).get("config", {}).get(ESTIMATE_KEY) != value:
        raise OptionError(f"--set-budget: could not write {ESTIMATE_KEY} into {path.name}")
    path.write_text(text)
    return value
