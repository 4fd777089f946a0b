"""The offline engine: preview a Pulumi program with no cloud and no Pulumi CLI.

from gridops_infra.testing import preview
plan = preview(my_program, config={"aws:region": "eu-west-1"})
assert plan.of_type("aws:ec2/vpc:Vpc")
"""

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
