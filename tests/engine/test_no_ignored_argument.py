"""No documented argument is ignored silently (DESIGN section 7).

For every component, and for the spec-carrying ones every platform (or mode), each
argument of its Args TypedDict is set to a valid non-default value (the table in
ignored_args_cases.py) and previewed once: the Plan must differ from the baseline Plan,
or the component must refuse the argument with an error naming the argument and the
platform, having registered nothing. A new argument without an entry in the table fails
here, so nobody can add one and forget to wire it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from ignored_args_cases import (
    CONSUMERS,
    NESTED,
    SCENARIOS,
    SUBJECT,
    Ack,
    Ctx,
    Given,
    Scenario,
    component_of,
    nested_annotation,
)

from gridops_infra.testing import preview
from gridops_infra.testing.plan import reveal

BY_ID = {s.id: s for s in SCENARIOS}

NO_PLAN_CHANGE: dict[tuple[str, str], str] = {
    ("NetworkReference", "nat"): "it describes the other stack's network, and a reference "
    "registers nothing: it decides what may run there, which the vpc_endpoints "
    "acknowledgement proves (nat='none' alone is refused naming nat)",
    ("TrafficCutover", "steps"): "the planned weights: they register nothing, they check "
    "weight_percent (a weight not among them is refused naming both, tests/migration)",
}
"""(scenario, argument) -> why it legitimately cannot change the Plan."""


@dataclass(frozen=True)
class Outcome:
    plan_json: str
    error: str | None
    subject_resources: tuple[str, ...]


def _resolve(value: Any, ctx: Ctx) -> Any:
    return value(ctx) if callable(value) and not isinstance(value, type) else value


def _key(args: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in args.items()))


def _run(
    scenario: Scenario,
    needs: tuple[str, ...],
    args: Mapping[str, Any],
    then: str | None = None,
) -> Outcome:
    error: list[str] = []

    def program() -> None:
        ctx = Ctx(scenario)
        scenario.setup(ctx)
        for piece in needs:
            ctx.piece(piece)
        resolved = {**scenario.base(ctx)}
        for name, value in args.items():
            resolved[name] = _resolve(value.value if isinstance(value, Given) else value, ctx)
        resolved = {k: v for k, v in resolved.items() if v is not None}
        try:
            subject = scenario.make(SUBJECT, resolved)
        except (ValueError, NotImplementedError) as exc:
            error.append(str(exc))
            return
        if then is not None:
            CONSUMERS[then](ctx, subject)

    plan = preview(program)
    mine = tuple(r.name for r in plan.resources if r.name.startswith(SUBJECT))
    # Secret inputs count too: a Plan shows them as [secret] (a provider marks AppConfig's
    # flag document so), yet an argument that reaches only them is honoured.
    secrets = json.dumps([reveal(r.inputs) for r in plan.resources], sort_keys=True, default=str)
    return Outcome(plan.dumps() + secrets, error[0] if error else None, mine)


BaselineKey = tuple[str, tuple[str, ...], tuple[Any, ...], str | None]
_BASES: dict[BaselineKey, Mapping[str, Any]] = {}


@cache
def _baseline(key: BaselineKey) -> Outcome:
    scenario_id, needs, _, then = key
    return _run(BY_ID[scenario_id], needs, _BASES[key], then)


def baseline(
    scenario: Scenario,
    needs: tuple[str, ...],
    base: Mapping[str, Any],
    then: str | None = None,
) -> Outcome:
    """The Plan without the argument (but with what it depends on): previewed once per
    worker for all the arguments that share it."""
    key = (scenario.id, needs, _key(base), then)
    _BASES[key] = base
    return _baseline(key)


def names_field(message: str, fields: list[str], platform: str | None) -> bool:
    named = any(re.search(rf"\b{re.escape(f)}\b", message) for f in fields)
    return named and (platform is None or re.search(platform, message, re.IGNORECASE) is not None)


# The file's cases run on one xdist worker (`--dist loadfile`, set in pyproject.toml), so
# each baseline is previewed once.
CASES = [
    pytest.param(scenario.id, field, id=f"{scenario.id}.{field}")
    for scenario in SCENARIOS
    for field in scenario.fields
]


@pytest.mark.parametrize("scenario_id", [s.id for s in SCENARIOS])
def test_the_table_names_exactly_the_documented_arguments(scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    documented = set(scenario.fields)
    exempt = {field for (sid, field) in NO_PLAN_CHANGE if sid == scenario_id}
    missing = sorted(documented - set(scenario.values) - exempt)
    stale = sorted(set(scenario.values) - documented)
    assert not missing, f"{scenario_id}: give these arguments a non-default value: {missing}"
    assert not stale, f"{scenario_id}: not documented arguments any more: {stale}"


NESTED_CASES = [
    pytest.param(scenario.id, field, sub, id=f"{scenario.id}.{field}.{sub}")
    for scenario in SCENARIOS
    for field in scenario.fields
    if (component_of(scenario), field) in NESTED
    for sub in NESTED[(component_of(scenario), field)].fields
]


@pytest.mark.parametrize("scenario_id", [s.id for s in SCENARIOS])
def test_nested_arguments_are_covered_too(scenario_id: str) -> None:
    """An argument documented by its own TypedDict (sidecars, Spot, schedules, reader
    autoscaling) has each of its fields in NESTED, and each of those a value."""
    scenario = BY_ID[scenario_id]
    for field, annotation in scenario.annotations.items():
        nested_type = nested_annotation(annotation)
        if nested_type is None:
            continue
        nested = NESTED.get((component_of(scenario), field))
        assert nested is not None, f"{scenario_id}.{field} ({nested_type}): add it to NESTED"
        missing = sorted(set(nested.fields) - set(nested.values))
        assert not missing, f"{scenario_id}.{field}: give these a non-default value: {missing}"


@pytest.mark.parametrize(("scenario_id", "field", "sub"), NESTED_CASES)
def test_every_nested_argument_changes_the_plan_or_is_refused(
    scenario_id: str, field: str, sub: str
) -> None:
    scenario = BY_ID[scenario_id]
    nested = NESTED[(component_of(scenario), field)]
    base = {field: nested.wrap(nested.item)}
    before = baseline(scenario, (), base)
    if before.error is not None:
        # The argument itself is refused on this platform, whatever its fields hold.
        assert names_field(before.error, [field], scenario.refusal_names), before.error
        assert not before.subject_resources, f"refused but registered {before.subject_resources}"
        return
    value = nested.values[sub]
    case = _run(scenario, (), {field: nested.wrap({**nested.item, sub: value})})
    if case.error is not None:
        assert names_field(case.error, [sub, field], scenario.refusal_names), (
            f"{scenario_id}: {field}.{sub}={value!r} was refused without naming it and the "
            f"platform ({scenario.refusal_names}): {case.error}"
        )
        assert not case.subject_resources, f"refused but registered {case.subject_resources}"
        return
    assert case.plan_json != before.plan_json, (
        f"{scenario_id}: {field}.{sub}={value!r} is ignored: the Plan is the same as without "
        "it. Honour it, or refuse it naming it and the platform"
    )


@pytest.mark.parametrize("scenario_id", [s.id for s in SCENARIOS])
def test_the_baseline_is_accepted_and_reproducible(scenario_id: str) -> None:
    """Otherwise a difference would prove nothing."""
    scenario = BY_ID[scenario_id]
    first = baseline(scenario, (), {})
    assert first.error is None, first.error
    assert first.subject_resources, f"{scenario_id}: the baseline registered nothing"
    assert _run(scenario, (), {}).plan_json == first.plan_json


@pytest.mark.parametrize(("scenario_id", "field"), CASES)
def test_every_argument_changes_the_plan_or_is_refused(scenario_id: str, field: str) -> None:
    scenario = BY_ID[scenario_id]
    if (scenario_id, field) in NO_PLAN_CHANGE:
        return
    assert field in scenario.values, (
        f"{scenario_id}: argument {field!r} has no non-default value in the table "
        "(tests/engine/ignored_args_cases.py): add one"
    )
    entry = scenario.values[field]
    if isinstance(entry, Ack):
        _check_acknowledgement(scenario, field, entry)
        return
    given = entry if isinstance(entry, Given) else Given(entry)
    before = baseline(scenario, given.needs, dict(given.base), given.then)
    if before.error is not None and given.base:
        # What it depends on is itself refused on this platform, so it cannot be given.
        assert names_field(before.error, list(given.base), scenario.refusal_names), (
            f"{scenario_id}: {dict(given.base)} was refused without naming it and the "
            f"platform ({scenario.refusal_names}): {before.error}"
        )
        return
    case = _run(scenario, given.needs, {**given.base, field: given, **given.also}, given.then)
    if case.error is not None:
        assert names_field(case.error, [field, *given.also], scenario.refusal_names), (
            f"{scenario_id}: {field}={given.value!r} was refused without naming the argument "
            f"and the platform ({scenario.refusal_names}): {case.error}"
        )
        assert not case.subject_resources, f"refused but registered {case.subject_resources}"
        return
    assert before.error is None, f"{scenario_id}: the baseline was refused: {before.error}"
    assert case.plan_json != before.plan_json, (
        f"{scenario_id}: {field}={given.value!r} is ignored: the Plan is the same as without "
        f"it. Honour it, or refuse it naming the argument and {scenario.refusal_names or 'why'}"
    )


def _check_acknowledgement(scenario: Scenario, field: str, ack: Ack) -> None:
    without = _run(scenario, (), dict(ack.unlocks))
    assert without.error is not None, (
        f"{scenario.id}: {dict(ack.unlocks)} is accepted without {field}, so {field} is ignored"
    )
    assert names_field(without.error, list(ack.unlocks), None), without.error
    with_it = _run(scenario, (), {**ack.unlocks, field: ack.value})
    assert with_it.error is None, with_it.error


def test_every_exported_component_has_a_scenario() -> None:
    """A new component cannot skip the table: each `<Name>` exported beside `<Name>Args`."""
    import gridops_infra

    components = {
        name
        for name in gridops_infra.__all__
        if f"{name}Args" in gridops_infra.__all__ and isinstance(getattr(gridops_infra, name), type)
    }
    covered = {component_of(s) for s in SCENARIOS}
    # ServiceSpec is the arguments' parsed form, not a component: nothing to register.
    assert components - covered - {"ServiceSpec"} == set()
