"""`help(Component)` shows every argument of its Args TypedDict with its description, not
Pulumi's generic constructor docstring."""

from __future__ import annotations

import pydoc

import pytest

import gridops_infra
from gridops_infra.core.args_help import args_typed_dict, field_docs

COMPONENTS = [
    "ArgoCdGitOps",
    "CdnFrontend",
    "EksCluster",
    "FargateCluster",
    "GithubDeployRole",
    "ManagedPostgresWithReplicas",
    "Network",
    "ObservabilityStack",
    "RedisCache",
    "ResilienceDrills",
    "SingleServer",
    "SqsWorkerQueue",
    "StatelessService",
    "TrafficCutover",
]


@pytest.mark.parametrize("name", COMPONENTS)
def test_help_lists_every_argument_with_its_description(name: str) -> None:
    component = getattr(gridops_infra, name)
    typed_dict = args_typed_dict(component.__init__)
    assert typed_dict is not None and typed_dict.__name__ == f"{name}Args"
    shown = pydoc.render_doc(component, renderer=pydoc.plaintext)
    docs = field_docs(typed_dict)
    assert set(docs) == set(typed_dict.__annotations__), "a field the source reading missed"
    for field, (_, text) in docs.items():
        assert f"{field}: " in shown, field
        if text:
            assert text.splitlines()[0] in shown, field


def test_inherited_fields_are_listed_too() -> None:
    """StatelessServiceArgs extends the platform-neutral spec: both parts are shown."""
    shown = pydoc.render_doc(gridops_infra.StatelessService, renderer=pydoc.plaintext)
    assert "platform: Platform" in shown and "health_check_path: " in shown
