"""The offline engine: preview a Pulumi program with no cloud and no Pulumi CLI.

from gridops_infra.testing import preview
plan = preview(my_program, config={"aws:region": "eu-west-1"})
assert plan.of_type("aws:ec2/vpc:Vpc")
"""

from typing import TYPE_CHECKING

from ..core.lazy import lazy_exports

if TYPE_CHECKING:
    from .engine import PreviewTimeoutError, preview
    from .functions import UnmockedInvokeError
    from .mocks import DuplicateResourceError, GridopsMocks, RecordingMonitor, StackReferenceError
    from .plan import Plan, ResourceRecord, SecretValue, contains_secret, reveal, to_jsonable
    from .project import ProjectError, load_project

# Names load their module on first use: the CLI reads stack files (`.project`) without
# importing Pulumi's runtime.
__getattr__ = lazy_exports(
    __name__,
    {
        "DuplicateResourceError": ".mocks",
        "GridopsMocks": ".mocks",
        "Plan": ".plan",
        "PreviewTimeoutError": ".engine",
        "ProjectError": ".project",
        "RecordingMonitor": ".mocks",
        "ResourceRecord": ".plan",
        "SecretValue": ".plan",
        "StackReferenceError": ".mocks",
        "UnmockedInvokeError": ".functions",
        "contains_secret": ".plan",
        "load_project": ".project",
        "preview": ".engine",
        "reveal": ".plan",
        "to_jsonable": ".plan",
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
