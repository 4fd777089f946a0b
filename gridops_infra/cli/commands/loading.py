"""How every command reads a Plan: the target resolved, a stage checked against its stack
file before the program runs, and a ValueError the program raises turned into one line."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridops_infra import testing
from gridops_infra.cli.commands.options import OptionError, Overrides
from gridops_infra.cli.commands.warnings import announce
from gridops_infra.core.targets import BUILT, STACKS, Target, TargetError, resolve, stage_of
from gridops_infra.testing.project import ProjectError, available_stacks, load_project, qualify

if TYPE_CHECKING:
    from gridops_infra.testing import Plan

STAGE_KEY = "gridops:stage"
ENGINE_DIR = Path(testing.__file__).resolve().parent


class ProgramError(ValueError):
    """A plain ValueError the program raised while it was being built: a value in the stack
    config or the user's program that a component refused."""


def load_target_plan(
    target: str,
    stack: str | None = None,
    overrides: Overrides | None = None,
    references: dict[str, Plan] | None = None,
) -> tuple[Target, Plan]:
    """Preview `target` offline: the one way every command reads a program."""
    overrides = overrides or Overrides()
    resolved = check_target(target, stack, overrides)
    references = {**sibling_references(resolved, references or {}), **(references or {})}
    try:
        plan = preview(
            resolved.directory,
            stack=resolved.stack,
            config=dict(overrides.values),
            stack_references=references,
        )
    except ValueError as exc:
        program_error = as_program_error(exc)
        if program_error is None:
            raise
        raise program_error from exc
    announce(plan.warnings)
    return resolved, plan


def preview(*args: Any, **kwargs: Any) -> Plan:
    """The offline engine's `preview`, imported when a command first runs a program: the
    CLI starts (`--help`, a refused option) without loading Pulumi's runtime."""
    from gridops_infra.testing.engine import preview as run_offline

    return run_offline(*args, **kwargs)


def check_target(
    target: str, stack: str | None = None, overrides: Overrides | None = None
) -> Target:
    """What `target` names, refused before anything runs when it cannot be previewed."""
    resolved = resolve(target, stack)
    if target in STACKS:
        check_stage_stack(
            resolved,
            stage_of(target),
            stack_given=stack is not None,
            overrides=overrides or Overrides(),
        )
    return resolved


def check_stage_stack(
    resolved: Target, stage: str, *, stack_given: bool, overrides: Overrides
) -> None:
    """The stage argument names what is built: the stack file must exist, and the stage it
    builds (`gridops:stage`, from the file or an override) must be that stage."""
    stack = resolved.stack
    stack_flag = f"--stack {stack}: " if stack_given else ""
    spec = load_project(resolved.directory, stack)
    if spec.stack_file is None:
        expected = _shown(resolved.directory / "stacks" / f"Pulumi.{stack}.yaml")
        known = ", ".join(available_stacks(resolved.directory)) or "none"
        raise OptionError(f"{stack_flag}{expected} does not exist (stacks: {known})")
    shown = _shown(spec.stack_file)

    stage_overrides = [
        (key, value)
        for key, value in overrides.values.items()
        if qualify(key, spec.name) == STAGE_KEY
    ]
    for key, value in stage_overrides:
        given = f"{overrides.flags[key]} {key}={value}"
        if value not in BUILT:
            raise OptionError(f"{given}: unknown stage {value!r}; choose one of {', '.join(BUILT)}")
        if value != stage:
            raise OptionError(
                f"{given} contradicts the stage argument {stage!r}; pass {value} as the stage "
                "argument instead"
            )
    if stage_overrides:
        return

    built = spec.config.get(STAGE_KEY)
    if built is None:
        raise OptionError(
            f"{stack_flag}{shown} does not set {STAGE_KEY}; add `{STAGE_KEY}: {stage}` to it"
        )
    if built not in BUILT:
        raise OptionError(
            f"{stack_flag}{shown}: unknown stage {built!r} in {STAGE_KEY}; "
            f"choose one of {', '.join(BUILT)}"
        )
    if built != stage:
        raise OptionError(
            f"{stack_flag}{shown} builds stage {built!r}, not {stage!r}; pass {built} as the "
            f"stage argument, or a stack whose {STAGE_KEY} is {stage}"
        )


def sibling_references(resolved: Target, given: dict[str, Plan]) -> dict[str, Plan]:
    """A StackReference named in the stack's config to another stack of the same project
    (`<org>/<project>/<stack>`, e.g. the cutover stack's `gridops:old_stack`) is answered
    by that stack's own offline preview, unless `--reference` answers it."""
    try:
        spec = load_project(resolved.directory, resolved.stack)
        own = set(available_stacks(resolved.directory)) - {resolved.stack}
    except ProjectError:
        return {}  # the preview itself says what is wrong with the project
    out: dict[str, Plan] = {}
    for value in spec.config.values():
        if not isinstance(value, str) or value in given or value in out:
            continue
        parts = value.split("/")
        if len(parts) == 3 and parts[1] == spec.name and parts[2] in own:
            try:
                _, out[value] = load_target_plan(str(resolved.directory), parts[2])
            except (TargetError, ProjectError, ProgramError, OptionError) as exc:
                raise OptionError(f"StackReference {value}: {exc}") from exc
    return out


def load_references(pairs: list[str] | None) -> dict[str, Plan]:
    """`--reference org/project/stack=DIR[:STACK]`: preview DIR and answer the
    StackReference `org/project/stack` with its outputs."""
    out: dict[str, Plan] = {}
    for pair in pairs or []:
        name, sep, where = pair.partition("=")
        if not sep or not name or not where:
            raise OptionError(f"--reference {pair!r}: expected NAME=DIR or NAME=DIR:STACK")
        directory, _, ref_stack = where.partition(":")
        try:
            _, out[name] = load_target_plan(directory, ref_stack or None)
        except (TargetError, ProjectError, ProgramError, OptionError) as exc:
            raise OptionError(f"--reference {pair}: {exc}") from exc
    return out


def as_program_error(exc: ValueError) -> ProgramError | None:
    """A plain ValueError the program raised -> a ProgramError (one line for the user).

    None (raise it as it is) for a ValueError with a class of its own (gridops's argument
    errors, the project's, the stack config's: the CLI knows those) and for one the offline
    engine itself raised (a bug, which keeps its traceback)."""
    if type(exc) is not ValueError:
        return None
    frames = traceback.extract_tb(exc.__traceback__)
    if frames and Path(frames[-1].filename).resolve().parent == ENGINE_DIR:
        return None
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = " ".join(lines) or "ValueError without a message"
    return ProgramError(message)


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is below it (`stacks/Pulumi.x.yaml`)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
