"""The offline engine refuses two resources with one URN, as `pulumi up` does.

A URN is the stack, the project, the types of every ancestor component plus the resource's
own type, and its name: the parents' names are not part of it.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.testing import preview
from gridops_infra.testing.mocks import DuplicateResourceError

QUEUE = "aws:sqs/queue:Queue"


class Box(pulumi.ComponentResource):
    """A component whose child queue is named `child` whatever the box's own name; the
    queue's dead-letter topic (a child of the queue) is named `t`."""

    def __init__(
        self,
        name: str,
        child: str = "q",
        kind: str = "test:index:Box",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(kind, name, None, opts)
        queue = aws.sqs.Queue(child, opts=pulumi.ResourceOptions(parent=self))
        aws.sns.Topic(f"{child}-t", opts=pulumi.ResourceOptions(parent=queue))


class Crate(pulumi.ComponentResource):
    """Holds a Box named `inner` whatever the crate's name: a third level of parents."""

    def __init__(self, name: str, kind: str) -> None:
        super().__init__(kind, name)
        Box("inner", child="deep", opts=pulumi.ResourceOptions(parent=self))


def test_two_top_level_resources_of_one_type_and_name_are_refused_naming_the_urn() -> None:
    def program() -> None:
        aws.sqs.Queue("jobs")
        aws.sqs.Queue("jobs")

    with pytest.raises(DuplicateResourceError) as caught:
        preview(program, stack="prod")
    message = str(caught.value)
    assert "Duplicate resource URN 'urn:pulumi:prod::gridops::aws:sqs/queue:Queue::jobs'" in message
    assert "unique name" in message


def test_children_of_same_typed_parents_clash_even_when_the_parents_names_differ() -> None:
    def program() -> None:
        Box("a")
        Box("b")

    with pytest.raises(
        DuplicateResourceError, match=r"'urn:pulumi:dev::gridops::test:index:Box\$" + QUEUE + "::q'"
    ):
        preview(program)


def test_read_resources_take_part_in_the_check() -> None:
    def program() -> None:
        aws.sqs.Queue.get("seen", "https://sqs.us-east-1.amazonaws.com/123456789012/a")
        aws.sqs.Queue.get("seen", "https://sqs.us-east-1.amazonaws.com/123456789012/b")

    with pytest.raises(DuplicateResourceError, match=f"{QUEUE}::seen"):
        preview(program)


def test_a_name_reused_with_another_type_or_other_parent_types_is_fine() -> None:
    def program() -> None:
        aws.sqs.Queue("shared")
        aws.sns.Topic("shared")
        Box("a", child="shared")  # a Box child: another URN than the top-level queue
        Box("b", child="other")
        Box("c", child="shared", kind="test:index:Bin")
        # Pulumi's mock URNs keep only the parent's last type: both `deep` queues get
        # Box$Queue::deep, though the engine's are Crate$Box$Queue and Pallet$Box$Queue.
        # Their topics must not be taken for duplicates either.
        Crate("x", "test:index:Crate")
        Crate("y", "test:index:Pallet")

    plan = preview(program)
    queues = sorted(r.name for r in plan.of_type(QUEUE))
    assert queues == ["deep", "deep", "other", "shared", "shared", "shared"]
    assert [r.name for r in plan.of_type("aws:sns/topic:Topic")].count("deep-t") == 2


def test_a_refused_program_leaves_the_next_preview_clean() -> None:
    def twice() -> None:
        aws.sqs.Queue("jobs")
        aws.sqs.Queue("jobs")

    with pytest.raises(DuplicateResourceError):
        preview(twice)
    plan = preview(lambda: aws.sqs.Queue("jobs"))
    assert [r.name for r in plan.of_type(QUEUE)] == ["jobs"]
