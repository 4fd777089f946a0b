"""Arguments every command that reads a Plan shares, and reading what the user passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

TargetArg = Annotated[
    str,
    typer.Argument(
        help="A stage to build (single-server, express, fargate, eks) or a Pulumi project directory."
    ),
]
StackOpt = Annotated[
    str | None,
    typer.Option(
        "--stack",
        "-s",
        help="Stack name. Default: the stage's own, else dev. For a stage, the stack file "
        "stacks/Pulumi.<stack>.yaml must exist and its gridops:stage must be that stage.",
    ),
]
ConfigOpt = Annotated[
    list[str] | None,
    typer.Option("--config", "-c", help="Override a config value: key=value (repeatable)."),
]
ReferenceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reference",
        "-r",
        help="Answer a StackReference offline: NAME=DIR[:STACK] previews DIR first (repeatable).",
    ),
]


class OptionError(ValueError):
    """A command-line value that cannot be used; the message names the flag and the value."""


@dataclass(frozen=True)
class Overrides:
    """Config values given on the command line, remembering the flag that gave each."""

    values: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, pairs: list[str] | None, flag: str = "--config") -> Overrides:
        """`["nat=single"]` -> {"nat": "single"}; OptionError naming `flag` on a bad pair."""
        values: dict[str, str] = {}
        for pair in pairs or []:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise OptionError(f"{flag} {pair!r}: expected key=value")
            values[key] = value
        return cls(values, dict.fromkeys(values, flag))

    def merged(self, other: Overrides) -> Overrides:
        """`other` wins where both set a key."""
        return Overrides({**self.values, **other.values}, {**self.flags, **other.flags})


def read_option_file(flag: str, path: Path) -> str:
    """The text of the file a flag names; OptionError naming the flag when it cannot be read."""
    if path.is_dir():
        raise OptionError(f"{flag} {path}: is a directory, not a file")
    if not path.exists():
        raise OptionError(f"{flag} {path}: no such file")
    try:
        return path.read_text()
    except UnicodeDecodeError:
        raise OptionError(f"{flag} {path}: not a text file (not valid UTF-8)") from None
    except OSError as exc:
        raise OptionError(f"{flag} {path}: cannot read it ({os_reason(exc)})") from None


def os_reason(exc: OSError) -> str:
    """`[Errno 13] Permission denied: '/x'` -> `permission denied`."""
    return (exc.strerror or exc.__class__.__name__).lower()
