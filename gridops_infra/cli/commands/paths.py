"""Where a command writes: refused before the (slow) preview when it cannot be written."""

from __future__ import annotations

import tempfile
from pathlib import Path

from gridops_infra.cli.commands.options import OptionError, os_reason


def check_output_dir(flag: str, path: Path) -> None:
    """A directory that exists or can be created, and that accepts new files."""
    if path.exists() and not path.is_dir():
        raise OptionError(f"{flag} {path}: exists and is not a directory")
    existing = _nearest_existing(path)
    if not existing.is_dir():
        raise OptionError(f"{flag} {path}: cannot create it, {existing} is not a directory")
    _probe(flag, path, existing)


def check_output_file(flag: str, path: Path) -> None:
    """A file path whose directory exists and accepts new files (or an existing, writable file)."""
    if path.is_dir():
        raise OptionError(f"{flag} {path}: is a directory; give a file name")
    parent = path.parent
    if not parent.exists():
        raise OptionError(f"{flag} {path}: directory {parent} does not exist")
    if not parent.is_dir():
        raise OptionError(f"{flag} {path}: {parent} is not a directory")
    _probe(flag, path, parent)
    if path.exists():
        try:
            with path.open("a"):
                pass
        except OSError as exc:
            raise OptionError(f"{flag} {path}: cannot write it ({os_reason(exc)})") from None


def write_error(flag: str, path: Path, exc: OSError) -> OptionError:
    """What to raise when writing still fails after the checks (a disk filled up meanwhile)."""
    return OptionError(f"{flag} {path}: cannot write it ({os_reason(exc)})")


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()


def _probe(flag: str, path: Path, directory: Path) -> None:
    """Create and drop a file in `directory`: the only check that also holds for root, read-only
    file systems and pseudo file systems such as /sys and /proc."""
    try:
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as exc:
        raise OptionError(
            f"{flag} {path}: cannot write in {directory} ({os_reason(exc)})"
        ) from None
