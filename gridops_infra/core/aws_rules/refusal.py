"""Refusing one component argument with the AWS rule it breaks, in the same
`field=value is not allowed` shape as every other argument error."""

from __future__ import annotations

from typing import Any

from ..._validation import ArgError, ArgReader
from . import AwsRule


def refuse_arg(
    rule: AwsRule, reader: ArgReader, field: str, value: Any, detail: str, fix: str | None = None
) -> ArgError:
    """`Component 'name': field=value is not allowed: <detail>. AWS refuses this (...)`;
    a reader for one list item (with a `prefix`) names `prefix.field`.

    Never pass a secret as `value`."""
    prefix = getattr(reader, "prefix", None)
    label = f"{prefix}.{field}" if prefix else field
    return rule.refuse(
        f"{reader.component} '{reader.name}'", f"{label}={value!r} is not allowed", detail, fix
    )


def integer_within(
    rule: AwsRule, reader: ArgReader, field: str, default: int | None, lo: int, hi: int
) -> int:
    """A whole number (the reader's own type check) that AWS accepts only from lo to hi."""
    value = reader.integer(field, default)
    if not lo <= value <= hi:
        raise refuse_arg(rule, reader, field, value, f"expected a whole number from {lo} to {hi}")
    return value


__all__ = ["integer_within", "refuse_arg"]
