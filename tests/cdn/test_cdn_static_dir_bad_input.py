"""A `static_dir` the OS cannot even look up (too long, a NUL byte, an unknown `~user`) is
the CdnFrontend's field error, like a missing directory, and nothing is registered."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gridops_infra.cdn.component import CdnFrontend
from gridops_infra.testing import preview

BAD: list[tuple[str, str, str]] = [
    (
        "too long",
        "a" * 300,
        r"static_dir='a+' .*expected an existing directory \(File name too long\)",
    ),
    ("nul byte", "a\x00b", r"static_dir='a\\x00b' .*expected an existing directory \(.*null byte"),
    (
        "unknown user",
        "~no-such-user-gridops/site",
        r"static_dir='~no-such-user-gridops/site' .*expected an existing directory",
    ),
    ("missing", "/nonexistent/site", r"static_dir='/nonexistent/site' .*not an existing directory"),
]


@pytest.fixture(scope="module")
def results() -> tuple[Any, dict[str, str]]:
    errors: dict[str, str] = {}

    def program() -> None:
        for i, (label, static_dir, _) in enumerate(BAD):
            try:
                CdnFrontend(f"edge{i}", {"static_dir": static_dir})
            except ValueError as exc:
                errors[label] = str(exc)

    return preview(program), errors


@pytest.mark.parametrize(("label", "pattern"), [(b[0], b[2]) for b in BAD], ids=[b[0] for b in BAD])
def test_unusable_paths_are_refused_naming_the_field(results, label: str, pattern: str) -> None:
    _, errors = results
    assert label in errors, f"static_dir {label} was accepted"
    assert errors[label].startswith("CdnFrontend 'edge"), errors[label]
    assert re.search(pattern, errors[label]), errors[label]


def test_refused_cdns_register_nothing(results) -> None:
    plan, errors = results
    assert len(errors) == len(BAD)
    assert plan.resources == []
