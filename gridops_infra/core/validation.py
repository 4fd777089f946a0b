"""Argument checks shared by every component: each failure names the field, the value and
what is allowed, and is raised before the component registers anything."""

from __future__ import annotations

import difflib
import ipaddress
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

HIDDEN = "<hidden>"
"""What an error shows in place of a value given where a secret belongs."""


class ArgError(ValueError):
    """A component argument that cannot be used (a ValueError, so `except ValueError` works)."""


class ArgReader:
    """Reads one component's args: unknown fields are refused, each read is checked."""

    def __init__(
        self, component: str, name: str, args: Mapping[str, Any] | None, allowed: Iterable[str]
    ):
        self.component = component
        self.name = name
        if not isinstance(args, Mapping | None):
            raise ArgError(f"{component} '{name}': args must be a dict, got {type(args).__name__}")
        self.args: Mapping[str, Any] = dict(args or {})
        allowed_set = set(allowed)
        unknown = sorted(set(self.args) - allowed_set, key=str)
        if unknown:
            guesses = [
                f"{key!s} -> did you mean {close[0]}?"
                for key in unknown
                if (close := difflib.get_close_matches(str(key), allowed_set, n=1, cutoff=0.6))
            ]
            hint = f" ({'; '.join(guesses)})" if guesses else ""
            raise ArgError(
                f"{component} '{name}': unknown argument(s) {', '.join(map(str, unknown))}"
                f"{hint}; allowed: {', '.join(sorted(allowed_set))}"
            )

    def fail(self, field: str, value: Any, allowed: str, *, secret: bool = False) -> ArgError:
        """The error for one bad value. `secret=True` for fields that hold secrets or
        references to them: the value is shown as <hidden>, never printed, since a user
        who put a password where its ARN belongs must not find it in a CI log."""
        shown = HIDDEN if secret else repr(value)
        return ArgError(
            f"{self.component} '{self.name}': {field}={shown} is not allowed; {allowed}"
        )

    def has(self, field: str) -> bool:
        return self.args.get(field) is not None

    def raw(self, field: str, default: Any = None) -> Any:
        value = self.args.get(field)
        return default if value is None else value

    def integer(
        self, field: str, default: int | None, lo: int | None = None, hi: int | None = None
    ) -> int:
        value = self.raw(field, default)
        if value is None:
            raise self.fail(field, value, "it is required")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, value, f"expected a whole number{_range(lo, hi)}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.fail(field, value, f"expected a whole number{_range(lo, hi)}")
        return value

    def optional_integer(
        self, field: str, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        return None if not self.has(field) else self.integer(field, None, lo, hi)

    def number(
        self, field: str, default: float | None, lo: float | None = None, hi: float | None = None
    ) -> float:
        value = self.raw(field, default)
        # NaN passes every comparison below, and AWS takes only finite numbers.
        finite = isinstance(value, int | float) and math.isfinite(value)
        if isinstance(value, bool) or not finite:
            raise self.fail(field, value, f"expected a finite number{_range(lo, hi)}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.fail(field, value, f"expected a number{_range(lo, hi)}")
        return float(value)

    def boolean(self, field: str, default: bool) -> bool:
        value = self.raw(field, default)
        if not isinstance(value, bool):
            raise self.fail(field, value, "expected true or false")
        return value

    def choice(self, field: str, default: T, choices: Iterable[T]) -> T:
        options = list(choices)
        value = self.raw(field, default)
        if value not in options:
            raise self.fail(field, value, "allowed: " + ", ".join(repr(c) for c in options))
        return value

    def string(
        self,
        field: str,
        default: str | None = None,
        pattern: str | None = None,
        hint: str = "",
        *,
        secret: bool = False,
    ) -> str:
        value = self.raw(field, default)
        if not isinstance(value, str) or not value:
            raise self.fail(field, value, "expected a non-empty string", secret=secret)
        if pattern is not None and not re.fullmatch(pattern, value):
            raise self.fail(
                field, value, hint or f"expected a string matching {pattern}", secret=secret
            )
        return value

    def optional_string(
        self, field: str, pattern: str | None = None, hint: str = "", *, secret: bool = False
    ) -> str | None:
        if not self.has(field):
            return None
        return self.string(field, None, pattern, hint, secret=secret)

    def mapping(self, field: str, *, secret: bool = False) -> dict[str, Any]:
        value = self.raw(field, {})
        if not isinstance(value, Mapping):
            raise self.fail(field, value, "expected a mapping", secret=secret)
        return dict(value)

    def sequence(self, field: str) -> list[Any]:
        value = self.raw(field, [])
        # Not any iterable: a dict would give its keys, a set an order that varies by run.
        if not isinstance(value, list | tuple):
            raise self.fail(field, value, "expected a list")
        return list(value)

    def string_list(self, field: str) -> list[str]:
        items = self.sequence(field)
        for item in items:
            if not isinstance(item, str) or not item:
                raise self.fail(field, items, "expected a list of non-empty strings")
        return items

    def cidr(self, field: str, default: str) -> ipaddress.IPv4Network:
        value = self.raw(field, default)
        try:
            net = ipaddress.IPv4Network(value, strict=True)
        except (ValueError, TypeError) as exc:
            raise self.fail(
                field, value, f"expected an IPv4 CIDR block such as 10.0.0.0/16 ({exc})"
            ) from None
        return net

    def instance_of(self, field: str, classes: tuple[type, ...], required: bool = True) -> Any:
        value = self.args.get(field)
        if value is None and not required:
            return None
        if not isinstance(value, classes):
            names = " or ".join(c.__name__ for c in classes)
            got = "nothing" if value is None else type(value).__name__
            raise self.fail(field, got, f"expected a {names}")
        return value


def _range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" of at least {lo}"
    if hi is not None:
        return f" of at most {hi}"
    return ""


COMPONENT_NAME = r"[A-Za-z0-9_-]+"
"""What a component name may hold: letters of either case, digits, hyphens and underscores,
of any length. Physical AWS names are derived from it (`core/physical_names.py`)."""


def check_name(component: str, name: Any) -> str:
    """A component name of any length; the AWS names derived from it fit each resource's
    rule, so only characters outside letters, digits, `-` and `_` are refused."""
    if not isinstance(name, str) or not re.fullmatch(COMPONENT_NAME, name or ""):
        raise ArgError(
            f"{component}: name={name!r} is not allowed; expected a non-empty name of letters, "
            "digits, hyphens and underscores (any length, any case): the AWS names, tags, "
            "metric dimensions and Kubernetes labels derived from it take no other characters"
        )
    return name


TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
TAG_CHARACTERS = r"[\w .:/=+\-@]*"
"""What AWS accepts in tag keys and values across services (letters, digits, spaces and
`_ . : / = + - @`)."""


def check_tags(component: str, name: str, tags: Any) -> dict[str, str]:
    """`tags` as AWS takes them: string keys of 1..128 characters not starting with `aws:`
    (reserved), string values of at most 256, from AWS's common tag character set."""

    def fail(allowed: str) -> ArgError:
        return ArgError(f"{component} '{name}': tags={tags!r} is not allowed; {allowed}")

    if tags is None:
        return {}
    if not isinstance(tags, Mapping):
        raise fail("expected a mapping of tag key to value")
    for key, value in tags.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise fail(f"tag {key!r}: keys and values must be strings")
        if not 1 <= len(key) <= TAG_KEY_MAX or len(value) > TAG_VALUE_MAX:
            raise fail(
                f"tag {key!r}: keys take 1..{TAG_KEY_MAX} characters, values 0..{TAG_VALUE_MAX}"
            )
        if key.lower().startswith("aws:"):
            raise fail(f"tag {key!r}: the aws: prefix is reserved for AWS")
        if not (re.fullmatch(TAG_CHARACTERS, key) and re.fullmatch(TAG_CHARACTERS, value)):
            raise fail(f"tag {key!r}: allowed characters are letters, digits, spaces and _.:/=+-@")
    return dict(tags)


def check_opts(component: str, name: str, opts: Any) -> None:
    """Refuse `opts` that are not `pulumi.ResourceOptions` (a dict is a common slip)."""
    import pulumi

    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise ArgError(
            f"{component} '{name}': opts must be pulumi.ResourceOptions, got {type(opts).__name__}"
        )
