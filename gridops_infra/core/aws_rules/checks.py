"""Reading a component argument against an AWS limit: the value AWS would refuse is refused
with the rule's own error (field, AWS rule, source, fix); the ordinary shape checks stay the
ArgReader's. One module for every component: `refuse_arg` words an error like ArgReader's
`field=value is not allowed`, `AwsRule.refuse` (through `where`) as `field: detail`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from gridops_infra.core.aws_rules import AwsRule
from gridops_infra.core.validation import ArgError, ArgReader

T = TypeVar("T")


def where(a: ArgReader) -> str:
    """`Component 'name'`, as `AwsRule.refuse` names the place."""
    return f"{a.component} '{a.name}'"


def whole_number_within(
    a: ArgReader, rule: AwsRule, field: str, default: int | None, lo: int, hi: int
) -> int:
    """A whole number AWS accepts only in `lo..hi` (both inclusive)."""
    value = a.raw(field, default)
    if isinstance(value, int) and not isinstance(value, bool) and not lo <= value <= hi:
        raise rule.refuse(where(a), field, f"{value} is outside {lo}..{hi}")
    return a.integer(field, default, lo, hi)


def one_of(a: ArgReader, rule: AwsRule, field: str, default: T, allowed: Iterable[T]) -> T:
    """A value AWS accepts only from a fixed list."""
    options = list(allowed)
    value = a.raw(field, default)
    if value not in options or isinstance(value, bool):
        shown = ", ".join(str(o) for o in options)
        raise rule.refuse(where(a), field, f"{value!r} is not one of {shown}")
    return value


def refuse_arg(
    rule: AwsRule, reader: ArgReader, field: str, value: Any, detail: str, fix: str | None = None
) -> ArgError:
    """`Component 'name': field=value is not allowed: <detail>. AWS refuses this (...)`;
    a reader for one list item (with a `prefix`) names `prefix.field`.

    Never pass a secret as `value`."""
    prefix = getattr(reader, "prefix", None)
    label = f"{prefix}.{field}" if prefix else field
    return rule.refuse(where(reader), f"{label}={value!r} is not allowed", detail, fix)


def integer_within(
    rule: AwsRule, reader: ArgReader, field: str, default: int | None, lo: int, hi: int
) -> int:
    """A whole number (the reader's own type check) that AWS accepts only from lo to hi."""
    value = reader.integer(field, default)
    if not lo <= value <= hi:
        raise refuse_arg(rule, reader, field, value, f"expected a whole number from {lo} to {hi}")
    return value


__all__ = ["integer_within", "one_of", "refuse_arg", "where", "whole_number_within"]
