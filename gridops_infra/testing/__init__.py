"""The offline engine: preview a Pulumi program with no cloud and no Pulumi CLI.

from gridops_infra.testing import preview
plan = preview(my_program, config={"aws:region": "eu-west-1"})
assert plan.of_type("aws:ec2/vpc:Vpc")
"""

from typing import TYPE_CHECKING

from gridops_infra.core.lazy import lazy_exports

if TYPE_CHECKING:
    from gridops_infra.testing.engine import PreviewTimeoutError, preview
    from gridops_infra.testing.functions import UnmockedInvokeError
    from gridops_infra.testing.mocks import (
        DuplicateResourceError,
        GridopsMocks,
        RecordingMonitor,
        StackReferenceError,
    )
    from gridops_infra.testing.plan import (
        Plan,
        ResourceRecord,
        SecretValue,
        contains_secret,
        reveal,
        to_jsonable,
    )
    from gridops_infra.testing.project import ProjectError, load_project

# Names load their module on first use: the CLI reads stack files (`.project`) without
# importing Pulumi's runtime.
__getattr__ = lazy_exports(
    __name__,
    {
        "DuplicateResourceError": "gridops_infra.testing.mocks",
        "GridopsMocks": "gridops_infra.testing.mocks",
        "Plan": "gridops_infra.testing.plan",
        "PreviewTimeoutError": "gridops_infra.testing.engine",
        "ProjectError": "gridops_infra.testing.project",
        "RecordingMonitor": "gridops_infra.testing.mocks",
        "ResourceRecord": "gridops_infra.testing.plan",
        "SecretValue": "gridops_infra.testing.plan",
        "StackReferenceError": "gridops_infra.testing.mocks",
        "UnmockedInvokeError": "gridops_infra.testing.functions",
        "contains_secret": "gridops_infra.testing.plan",
        "load_project": "gridops_infra.testing.project",
        "preview": "gridops_infra.testing.engine",
        "reveal": "gridops_infra.testing.plan",
        "to_jsonable": "gridops_infra.testing.plan",
    },
)

__all__ = [
    "DuplicateResourceError",
    "GridopsMocks",
    "Plan",
    "PreviewTimeoutError",
    "ProjectError",
    "RecordingMonitor",
    "ResourceRecord",
    "SecretValue",
    "StackReferenceError",
    "UnmockedInvokeError",
    "contains_secret",
    "load_project",
    "preview",
    "reveal",
    "to_jsonable",
]
