"""A misspelt argument is refused with the closest allowed name, like a misspelt config
key, and nothing is registered."""

from __future__ import annotations

import pytest

from gridops_infra import ArgError, Network, RedisCache, StatelessService
from gridops_infra.testing import preview


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Network("prod", {"az_cuont": 2}), "az_cuont -> did you mean az_count?"),
        (
            lambda: RedisCache("cache", {"network": None, "node_typ": "cache.t4g.small"}),
            "node_typ -> did you mean node_type?",
        ),
        (
            lambda: StatelessService("api", {"platfrom": None, "image": "x"}),
            "platfrom -> did you mean platform?",
        ),
    ],
)
def test_a_misspelt_argument_gets_the_closest_name(build, message) -> None:
    refused: list[str] = []

    def program() -> None:
        try:
            build()
        except ArgError as exc:
            refused.append(str(exc))

    plan = preview(program)
    assert refused and message in refused[0]
    assert plan.resources == []


def test_a_name_close_to_nothing_gets_only_the_allowed_list() -> None:
    def program() -> None:
        Network("prod", {"zzzzzz": 1})

    with pytest.raises(ArgError) as refused:
        preview(program)
    assert "did you mean" not in str(refused.value)
    assert "allowed: " in str(refused.value)
