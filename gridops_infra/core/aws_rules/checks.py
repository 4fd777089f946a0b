"""Reading a component argument against an AWS limit: the value AWS would refuse is refused
with the rule's own error (field, AWS rule, source, fix); the ordinary shape checks stay the
ArgReader's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ..._validation import ArgReader
from . import AwsRule

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


__all__ = ["one_of", "where", "whole_number_within"]
