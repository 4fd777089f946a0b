"""The two sides of `gridops cost TARGET --vs OTHER` and the `--config` each one gets.

Both sides get every `--config` key, with one exception: a `gridops:` key that one side's
stage does not read (the root project's `stacks/config_keys.py` says which stage reads
which key) goes only to the side that reads it, and a warning names the key and the side
that does not get it. The stage would refuse the key, so the comparison could not run;
dropping it without a word would price a side as if it had been given. A key neither stage
reads goes to both, so the stage's own refusal reaches the user. A project directory side
gets every key: which keys a project reads is known only to its program.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gridops_infra.cli.commands.options import Overrides
from gridops_infra.core.targets import STACKS, STAGES, Target, resolve, stage_of
from gridops_infra.testing.project import load_project, qualify

STAGE_KEY_TABLE = Path("stacks") / "config_keys.py"
"""Where the root project keeps `STAGE_KEYS` (key without namespace -> stages reading it)."""
STAGE_NAMESPACE = "gridops"


@dataclass(frozen=True)
class Side:
    """One side of a comparison: `A fargate`, `B eks`."""

    letter: str
    target: str
    resolved: Target

    @property
    def stage(self) -> str | None:
        built = stage_of(self.target) if self.target in STACKS else None
        return built if built in STAGES else None

    @property
    def label(self) -> str:
        kind = "stage" if self.stage else "project"
        return f"{kind} {self.target} ({self.letter})"


def side(letter: str, target: str, stack: str | None = None) -> Side:
    return Side(letter, target, resolve(target, stack))


def stage_key_table(root: Path) -> Mapping[str, frozenset[str]] | None:
    """The root project's STAGE_KEYS, or None when it keeps no such table (then every
    key goes to every side and the stage program decides)."""
    path = root / STAGE_KEY_TABLE
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("gridops_stage_config_keys", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = getattr(module, "STAGE_KEYS", None)
    return table if isinstance(table, Mapping) else None


def split_config(overrides: Overrides, sides: Sequence[Side]) -> tuple[list[Overrides], list[str]]:
    """The overrides each side gets (in the order of `sides`) and a warning for every key
    one side does not get."""
    readers_of: dict[str, set[str]] = {}
    warnings: list[str] = []
    tables = {s.letter: _table_for(s) for s in sides}
    for key in overrides.values:
        stages_reading: dict[str, frozenset[str] | None] = {
            s.letter: _stages_reading(s, key, tables[s.letter]) for s in sides
        }
        reads = {
            s.letter
            for s in sides
            if stages_reading[s.letter] is None or s.stage in (stages_reading[s.letter] or ())
        }
        readers_of[key] = reads if reads else {s.letter for s in sides}
        if not reads or len(reads) == len(sides):
            continue
        given_to = ", ".join(s.label for s in sides if s.letter in reads)
        for s in sides:
            if s.letter in reads:
                continue
            warnings.append(
                f"{overrides.flags[key]} {key}: {s.label} does not read "
                f"{qualify(key, STAGE_NAMESPACE)} "
                f"({_only_readers(stages_reading[s.letter] or frozenset())}); "
                f"given to {given_to} only"
            )
    per_side = [
        Overrides(
            {k: v for k, v in overrides.values.items() if s.letter in readers_of[k]},
            {k: f for k, f in overrides.flags.items() if s.letter in readers_of[k]},
        )
        for s in sides
    ]
    return per_side, warnings


def _only_readers(stages: frozenset[str]) -> str:
    """`only stage eks reads it` / `only stages eks, fargate read it`."""
    names = sorted(stages)
    if len(names) == 1:
        return f"only stage {names[0]} reads it"
    return f"only stages {', '.join(names)} read it"


def _table_for(s: Side) -> Mapping[str, frozenset[str]] | None:
    return stage_key_table(s.resolved.directory) if s.stage else None


def _stages_reading(
    s: Side, key: str, table: Mapping[str, frozenset[str]] | None
) -> frozenset[str] | None:
    """The stages that read `key` when `s` is a stage whose table knows the key; None when
    the side's program decides (a project, another namespace, a key no stage reads)."""
    if s.stage is None or table is None:
        return None
    project = load_project(s.resolved.directory, s.resolved.stack).name
    namespace, _, short = qualify(key, project).partition(":")
    if namespace != STAGE_NAMESPACE or short not in table:
        return None
    return frozenset(table[short])
