"""Deploy timing: the critical path through the Plan's dependency graph."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pytest

from gridops_infra.analysis import estimate_timing, estimate_update, format_seconds
from gridops_infra.analysis.graph import PlanIndex, topological_order
from gridops_infra.analysis.timing import sources as timing_sources
from gridops_infra.analysis.timing.estimate import (
    PATH_STEP_KEYS,
    TIMING_REPORT_KEYS,
    UPDATE_REPORT_KEYS,
    create_seconds,
    durations_for,
)
from gridops_infra.network.component import Network
from gridops_infra.testing import Plan, ResourceRecord, preview


def _after(*deps: pulumi.Resource) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(depends_on=list(deps))


def chain_program() -> None:
    """queue -> db -> cache, one after another, plus an unrelated role."""
    queue = aws.sqs.Queue("a-queue")
    db = aws.rds.Instance(
        "b-db",
        engine="postgres",
        instance_class="db.t4g.small",
        allocated_storage=20,
        username="app",
        opts=_after(queue),
    )
    aws.elasticache.ReplicationGroup(
        "c-cache",
        description="c",
        node_type="cache.t4g.small",
        num_cache_clusters=1,
        opts=_after(db),
    )
    aws.iam.Role("unrelated", assume_role_policy="{}")


@pytest.fixture(scope="module")
def chain_plan():
    return preview(chain_program)


def _seconds(plan: Plan, name: str) -> float:
    return create_seconds(plan.by_name(name))[0]


def test_a_chain_gives_the_sum_of_its_create_times(chain_plan):
    report = estimate_timing(chain_plan)
    names = [s.name for s in report.path]
    assert names == ["a-queue", "b-db", "c-cache"]
    expected = sum(_seconds(chain_plan, n) for n in names)
    assert report.total_seconds == pytest.approx(expected)
    assert [s.start_seconds for s in report.path] == pytest.approx(
        [0, _seconds(chain_plan, "a-queue"), expected - _seconds(chain_plan, "c-cache")]
    )


def test_a_long_chain_is_named_when_the_path_exceeds_one_and_a_half_floors(chain_plan):
    report = estimate_timing(chain_plan)
    floor = max(_seconds(chain_plan, n) for n in ("a-queue", "b-db", "c-cache"))
    assert report.floor_seconds == floor
    assert report.ratio == pytest.approx(report.total_seconds / floor)
    assert report.ratio > 1.5
    assert [s.name for s in report.chain] == ["b-db", "c-cache"]  # the 25 s queue is left out
    assert report.chain_note is not None and "b-db" in report.chain_note
    assert "c-cache" in report.render_text()


def parallel_program() -> None:
    aws.rds.Instance(
        "db", engine="postgres", instance_class="db.t4g.small", allocated_storage=20, username="a"
    )
    aws.sqs.Queue("queue")
    aws.iam.Role("role", assume_role_policy="{}")


def test_independent_resources_run_in_parallel_so_the_floor_sets_the_pace():
    plan = preview(parallel_program)
    report = estimate_timing(plan)
    assert report.total_seconds == report.floor_seconds == _seconds(plan, "db")
    assert report.ratio == 1.0
    assert report.chain == [] and report.chain_note is None
    assert report.floor_resource is not None and report.floor_resource.name == "db"


def network_then_db() -> None:
    net = Network("prod", {"az_count": 2, "nat": "per-az", "flow_logs": False})
    aws.rds.Instance(
        "db",
        engine="postgres",
        instance_class="db.t4g.small",
        allocated_storage=20,
        username="app",
        multi_az=True,
        opts=_after(net),
    )


def test_depending_on_a_component_waits_for_all_of_its_resources():
    plan = preview(network_then_db)
    report = estimate_timing(plan)
    types = [s.type for s in report.path]
    assert types[-1] == "aws:rds/instance:Instance"
    assert "aws:ec2/natGateway:NatGateway" in types
    nat = durations_for("aws:ec2/natGateway:NatGateway")
    assert nat is not None
    assert report.total_seconds >= _seconds(plan, "db") + nat.create
    rds = durations_for("aws:rds/instance:Instance")
    assert rds is not None and _seconds(plan, "db") > rds.create  # Multi-AZ


def _record(name: str, type_: str, parent: str | None, custom: bool, deps=()) -> ResourceRecord:
    return ResourceRecord(
        type=type_,
        name=name,
        urn=f"urn:pulumi:dev::p::{type_}::{name}",
        parent=parent,
        custom=custom,
        inputs={},
        dependencies=list(deps),
    )


def test_a_dependency_on_a_component_urn_expands_to_its_descendants():
    """The Python SDK expands depends_on=[component] itself; a Plan recorded from an SDK
    that sends the component's URN must give the same graph."""
    stack = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"
    comp = _record("net", "gridops:aws:Network", stack, custom=False)
    inner = _record("inner", "gridops:aws:Inner", comp.urn, custom=False)
    nat = _record("nat", "aws:ec2/natGateway:NatGateway", inner.urn, custom=True)
    vpc = _record("vpc", "aws:ec2/vpc:Vpc", comp.urn, custom=True)
    db = _record("db", "aws:rds/instance:Instance", stack, custom=True, deps=[comp.urn])
    plan = Plan("p", "dev", [comp, inner, nat, vpc, db], {}, stack)
    assert PlanIndex(plan).dependencies_of(db) == {nat.urn, vpc.urn}
    report = estimate_timing(plan)
    assert [s.name for s in report.path] == ["nat", "db"]
    assert report.path[-1].component == "(none)"
    assert report.path[0].component == "Inner/inner"


def parent_program() -> None:
    db = aws.rds.Instance(
        "db", engine="postgres", instance_class="db.t4g.small", allocated_storage=20, username="a"
    )
    aws.sqs.Queue("child-of-db", opts=pulumi.ResourceOptions(parent=db))


def test_a_child_does_not_wait_for_its_parent():
    plan = preview(parent_program)
    assert plan.by_name("child-of-db").parent == plan.by_name("db").urn
    report = estimate_timing(plan)
    assert report.total_seconds == _seconds(plan, "db")


def test_untimed_types_are_listed_not_hidden():
    def program() -> None:
        aws.cloudtrail.Trail("trail", s3_bucket_name="audit")

    report = estimate_timing(preview(program))
    assert report.untimed == {"aws:cloudtrail/trail:Trail": 1}
    assert "Untimed" in report.render_text()


def test_timing_json_keys_are_stable(chain_plan):
    data = json.loads(estimate_timing(chain_plan).dumps())
    assert tuple(data) == TIMING_REPORT_KEYS
    assert all(tuple(s) == PATH_STEP_KEYS for s in data["path"])


def test_cycles_are_reported_not_looped():
    with pytest.raises(ValueError, match="cycle"):
        topological_order({"a": {"b"}, "b": {"a"}})


def test_format_seconds():
    assert format_seconds(45) == "45s"
    assert format_seconds(120) == "2m"
    assert format_seconds(750) == "12m 30s"
    assert format_seconds(3900) == "1h 05m"


def versioned_program(storage: int = 20, tags: dict | None = None, engine: str = "postgres"):
    def program() -> None:
        net = Network("prod", {"az_count": 2, "nat": "single", "flow_logs": False})
        aws.rds.Instance(
            "db",
            engine=engine,
            instance_class="db.t4g.small",
            allocated_storage=storage,
            username="app",
            tags=tags,
            opts=_after(net),
        )
        aws.sqs.Queue("jobs")

    return program


@pytest.fixture(scope="module")
def base_plan():
    return preview(versioned_program())


def test_changing_one_input_touches_only_that_resource(base_plan):
    report = estimate_update(base_plan, preview(versioned_program(storage=50)))
    assert [(c.action, c.name, c.changed_keys) for c in report.changes] == [
        ("update", "db", ["allocatedStorage"])
    ]
    rds = durations_for("aws:rds/instance:Instance")
    assert rds is not None
    assert report.total_seconds == rds.update_seconds
    assert [s.name for s in report.path] == ["db"]


def test_no_change_means_no_time(base_plan):
    report = estimate_update(base_plan, preview(versioned_program()))
    assert report.changes == [] and report.total_seconds == 0
    assert "No changes" in report.render_text()


def test_tag_only_changes_are_quick(base_plan):
    report = estimate_update(base_plan, preview(versioned_program(tags={"team": "core"})))
    assert [c.name for c in report.changes] == ["db"]
    assert report.total_seconds == 5


def test_a_replacing_input_costs_a_create(base_plan):
    after = preview(versioned_program(engine="postgres-next"))
    report = estimate_update(base_plan, after)
    assert [(c.action, c.name) for c in report.changes] == [("replace", "db")]
    assert report.total_seconds == _seconds(after, "db")


def test_added_and_removed_resources_are_created_and_deleted(base_plan):
    def program() -> None:
        versioned_program()()
        aws.sqs.Queue("extra")

    grown = preview(program)
    added = estimate_update(base_plan, grown)
    assert [(c.action, c.name) for c in added.changes] == [("create", "extra")]
    assert added.total_seconds == _seconds(grown, "extra")
    removed = estimate_update(grown, base_plan)
    assert [(c.action, c.name) for c in removed.changes] == [("delete", "extra")]
    queue = durations_for("aws:sqs/queue:Queue")
    assert queue is not None
    assert removed.total_seconds == removed.delete_seconds == queue.delete_seconds
    data = json.loads(removed.dumps())
    assert tuple(data) == UPDATE_REPORT_KEYS


def service_program(image: str):
    def program() -> None:
        td = aws.ecs.TaskDefinition(
            "api-td",
            family="api",
            cpu="256",
            memory="512",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            container_definitions=json.dumps([{"name": "api", "image": image, "essential": True}]),
        )
        tg = aws.lb.TargetGroup(
            "api-tg",
            port=8080,
            protocol="HTTP",
            target_type="ip",
            deregistration_delay=45,
            health_check={"interval": 10, "healthy_threshold": 3},
        )
        aws.ecs.Service(
            "api",
            task_definition=td.arn,
            desired_count=2,
            wait_for_steady_state=True,
            load_balancers=[
                {"target_group_arn": tg.arn, "container_name": "api", "container_port": 8080}
            ],
        )
        aws.ecs.Service("other", desired_count=1)

    return program


def test_a_new_image_is_a_task_definition_revision_then_a_rolling_deploy():
    before = preview(service_program("ghcr.io/acme/api:1.0"))
    after = preview(service_program("ghcr.io/acme/api:1.1"))
    report = estimate_update(before, after)
    assert [(c.action, c.name) for c in report.changes] == [
        ("replace", "api-td"),
        ("update", "api"),
    ]
    assert report.changes[1].changed_keys == ["taskDefinition"]
    revision = durations_for("aws:ecs/taskDefinition:TaskDefinition")
    assert revision is not None
    # New tasks start and pass one 10 s health check, then the old ones drain for the
    # target group's 45 s deregistration delay.
    task_start = timing_sources.FARGATE_TASK_START.create
    assert report.total_seconds == revision.create + task_start + 10 + 45
    assert [s.name for s in report.path] == ["api-td", "api"]


def test_a_service_waits_for_steady_state_only_when_it_starts_tasks():
    """Steady state means the running tasks are healthy: with none to start (a worker
    scaling from zero) ECS reports it at once."""

    def program() -> None:
        aws.ecs.Service("api", desired_count=2, wait_for_steady_state=True)
        aws.ecs.Service("worker", desired_count=0, wait_for_steady_state=True)

    plan = preview(program)
    api, worker = (plan.one("aws:ecs/service:Service", n) for n in ("api", "worker"))
    service = durations_for("aws:ecs/service:Service")
    assert service is not None
    assert create_seconds(api) == (timing_sources.FARGATE_TASK_START.create, True)
    assert create_seconds(worker) == (service.create, True)
