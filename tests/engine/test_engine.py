"""The offline engine itself: isolation, dependencies, options, config, secrets."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pulumi_random as random
import pytest

from gridops_infra.testing import (
    GridopsMocks,
    Plan,
    ProjectError,
    SecretValue,
    UnmockedInvokeError,
    contains_secret,
    preview,
    reveal,
)


def vpc_and_subnet() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    aws.ec2.Subnet("subnet", vpc_id=vpc.id, cidr_block="10.0.1.0/24")
    pulumi.export("vpc_id", vpc.id)


def test_dependencies_are_recorded_from_inputs() -> None:
    plan = preview(vpc_and_subnet)
    vpc = plan.one("aws:ec2/vpc:Vpc")
    subnet = plan.one("aws:ec2/subnet:Subnet")
    assert subnet.dependencies == [vpc.urn]
    assert subnet.property_dependencies["vpcId"] == [vpc.urn]
    assert subnet.inputs["vpcId"] == vpc.id
    assert vpc.dependencies == []


def test_explicit_depends_on_is_recorded() -> None:
    def program() -> None:
        a = aws.sqs.Queue("a")
        aws.sqs.Queue("b", opts=pulumi.ResourceOptions(depends_on=[a]))

    plan = preview(program)
    assert plan.one("aws:sqs/queue:Queue", "b").dependencies == [
        plan.one("aws:sqs/queue:Queue", "a").urn
    ]


def test_protect_and_retain_on_delete_are_recorded() -> None:
    def program() -> None:
        aws.s3.Bucket("kept", opts=pulumi.ResourceOptions(protect=True, retain_on_delete=True))
        aws.s3.Bucket("plain")

    plan = preview(program)
    kept = plan.one("aws:s3/bucket:Bucket", "kept")
    plain = plan.one("aws:s3/bucket:Bucket", "plain")
    assert (kept.protect, kept.retain_on_delete) == (True, True)
    assert (plain.protect, plain.retain_on_delete) == (False, False)


def test_parent_and_component_outputs_are_recorded() -> None:
    class Box(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("test:index:Box", name)
            queue = aws.sqs.Queue(f"{name}-q", opts=pulumi.ResourceOptions(parent=self))
            self.register_outputs({"queue_url": queue.url})

    plan = preview(lambda: Box("box"))
    box = plan.one("test:index:Box")
    queue = plan.one("aws:sqs/queue:Queue")
    assert queue.parent == box.urn
    assert plan.children_of(box.urn) == [queue]
    assert box.outputs["queue_url"].startswith(
        "https://sqs.us-east-1.amazonaws.com/123456789012/box-q-"
    )
    assert box.is_component and not queue.is_component


def test_previews_are_isolated() -> None:
    first = preview(lambda: aws.sqs.Queue("only-in-first"))
    second = preview(lambda: aws.sqs.Queue("only-in-second"))
    assert [r.name for r in first] == ["only-in-first"]
    assert [r.name for r in second] == ["only-in-second"]
    assert first.outputs == {} and second.outputs == {}


def test_a_program_failing_inside_an_apply_does_not_break_the_next_preview() -> None:
    """The failed Outputs a broken program leaves behind belong to its own preview."""

    def broken() -> None:
        vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")

        def fail(vpc_id: str) -> str:
            raise ValueError(f"no subnet for {vpc_id}")

        for i in range(3):
            aws.ec2.Subnet(f"subnet-{i}", vpc_id=vpc.id.apply(fail), cidr_block="10.0.0.0/24")

    for _ in range(2):
        with pytest.raises(ValueError, match="no subnet for"):
            preview(broken)
        plan = preview(lambda: aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16"))
        assert [r.name for r in plan if r.custom] == ["vpc"]


def test_hundreds_of_previews_stay_isolated_and_do_not_leak_threads() -> None:
    threads_before = threading.active_count()
    for i in range(200):
        plan = preview(lambda i=i: aws.sqs.Queue(f"q{i}"))
        assert [r.name for r in plan] == [f"q{i}"]
    assert threading.active_count() <= threads_before + 1


def test_outputs_are_realistic_and_deterministic() -> None:
    def program() -> None:
        queue = aws.sqs.Queue("jobs")
        role = aws.iam.Role("role", assume_role_policy="{}")
        lb = aws.lb.LoadBalancer("alb")
        pulumi.export("queue_arn", queue.arn)
        pulumi.export("role_arn", role.arn)
        pulumi.export("lb_dns", lb.dns_name)

    a, b = preview(program), preview(program)
    assert a.outputs == b.outputs
    assert a.outputs["queue_arn"].startswith("arn:aws:sqs:us-east-1:123456789012:jobs-")
    assert a.outputs["role_arn"].startswith("arn:aws:iam::123456789012:role/role-")
    assert a.outputs["lb_dns"].endswith(".us-east-1.elb.amazonaws.com")


def fan_in() -> None:
    """Leaves that each wait on several resources, some through a component: Pulumi awaits
    their URNs in the order of a set of Resources, which used to follow memory addresses."""

    class Hubs(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("test:index:Hubs", name)
            child = pulumi.ResourceOptions(parent=self)
            self.queues = [aws.sqs.Queue(f"{name}-{i}", opts=child) for i in range(4)]
            self.register_outputs({})

    hubs = [aws.sqs.Queue(f"hub-{i}") for i in range(6)]
    group = Hubs("group")
    for i in range(30):
        deps: list[pulumi.Resource] = [hubs[(i + k * (1 + i % 5)) % 6] for k in range(4)]
        if i % 3 == 0:
            deps.append(group)
        aws.sqs.Queue(f"leaf-{i}", opts=pulumi.ResourceOptions(depends_on=deps))


def names_in_order(plan: Plan) -> list[str]:
    return [r.name for r in plan.resources]


def test_registration_order_does_not_depend_on_memory_addresses() -> None:
    first = names_in_order(preview(fan_in))
    assert len(first) == 6 + 1 + 4 + 30
    kept_alive = []
    for shift in (1, 7, 40, 333):
        kept_alive.append([object() for _ in range(shift)])  # moves the next Resources
        assert names_in_order(preview(fan_in)) == first


def test_registration_order_is_the_same_in_another_process() -> None:
    script = (
        "import runpy, sys\n"
        "from gridops_infra.testing import preview\n"
        "program = runpy.run_path(sys.argv[1])['fan_in']\n"
        "print('\\n'.join(r.name for r in preview(program).resources))\n"
    )
    other = subprocess.Popen([sys.executable, "-c", script, __file__], stdout=subprocess.PIPE)
    here = names_in_order(preview(fan_in))
    there = other.communicate(timeout=60)[0].decode().split()
    assert other.returncode == 0
    assert there == here


def test_region_comes_from_config_and_explicit_providers_keep_theirs() -> None:
    def program() -> None:
        us_east_1 = aws.Provider("us-east-1", region="us-east-1")
        pulumi.export("local", aws.sqs.Queue("local").arn)
        pulumi.export(
            "virginia",
            aws.sqs.Queue("virginia", opts=pulumi.ResourceOptions(provider=us_east_1)).arn,
        )

    plan = preview(program, config={"aws:region": "eu-west-1"})
    assert ":eu-west-1:" in plan.outputs["local"]
    assert ":us-east-1:" in plan.outputs["virginia"]


def test_config_from_dict_is_namespaced_by_project() -> None:
    def program() -> None:
        cfg = pulumi.Config()
        pulumi.export("size", cfg.require_int("size"))
        pulumi.export("tags", pulumi.Config("other").require_object("tags"))

    plan = preview(program, config={"size": 3, "other:tags": {"team": "core"}}, project="shop")
    assert plan.outputs == {"size": 3, "tags": {"team": "core"}}


def test_missing_required_config_is_an_error_naming_the_key() -> None:
    def program() -> None:
        pulumi.Config().require("image")

    with pytest.raises(pulumi.ConfigMissingError, match="gridops:image"):
        preview(program)


def test_secrets_stay_secret_in_plan_json() -> None:
    def program() -> None:
        password = random.RandomPassword("pw", length=24, special=False)
        aws.secretsmanager.SecretVersion("v", secret_id="arn:x", secret_string=password.result)
        pulumi.export("password", password.result)
        pulumi.export("config_secret", pulumi.Config().require_secret("token"))

    plan = preview(program, config={"token": "hunter2-very-secret"})
    version = plan.one("aws:secretsmanager/secretVersion:SecretVersion")
    assert isinstance(version.inputs["secretString"], SecretValue)
    real_password = reveal(plan.outputs["password"])
    assert len(real_password) == 24
    dumped = plan.dumps()
    assert real_password not in dumped
    assert "hunter2-very-secret" not in dumped
    assert json.loads(dumped)["outputs"]["password"] == "[secret]"
    assert contains_secret(plan.outputs["config_secret"])


def write_project(tmp_path: Path, stack_config: str, main: str, extra: str = "") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(f"name: shop\nruntime: python\n{extra}")
    config_dir = tmp_path / ("deploy" if "stackConfigDir" in extra else "")
    config_dir.mkdir(exist_ok=True)
    (config_dir / "Pulumi.prod.yaml").write_text(stack_config)
    (tmp_path / "__main__.py").write_text(main)
    return tmp_path


MAIN = """
import pulumi
import pulumi_aws as aws
cfg = pulumi.Config()
aws.sqs.Queue(cfg.require("queue"))
pulumi.export("queue", cfg.require("queue"))
pulumi.export("token", cfg.require_secret("token"))
"""

STACK = """config:
  shop:queue: orders
  shop:token:
    secure: v1:AAAAAAAAAAAAAAAA:encrypted-with-a-key-we-do-not-have
"""


def test_project_directory_with_stack_file_and_secure_values(tmp_path: Path) -> None:
    project = write_project(tmp_path, STACK, MAIN)
    plan = preview(project, stack="prod")
    assert plan.project == "shop" and plan.stack == "prod"
    assert [r.name for r in plan] == ["orders"]
    assert isinstance(plan.outputs["token"], SecretValue)
    assert "encrypted-with" not in plan.dumps()


def test_project_directory_honours_stack_config_dir_and_overrides(tmp_path: Path) -> None:
    project = write_project(tmp_path, STACK, MAIN, extra="stackConfigDir: deploy\n")
    plan = preview(project, stack="prod", config={"queue": "payments"})
    assert [r.name for r in plan] == ["payments"]


def test_bad_project_directories_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project directory"):
        preview(tmp_path / "missing")
    with pytest.raises(ProjectError, match="not a Pulumi project"):
        preview(tmp_path)


def test_unmocked_invoke_names_the_function() -> None:
    def program() -> None:
        aws.ec2.get_vpc(default=True)

    with pytest.raises(UnmockedInvokeError, match="aws:ec2/getVpc:getVpc"):
        preview(program)


def test_gridops_mocks_work_with_plain_set_mocks() -> None:
    mocks = GridopsMocks(region="eu-west-1")
    from pulumi.runtime.mocks import MockResourceArgs

    rid, state = mocks.new_resource(MockResourceArgs("aws:sqs/queue:Queue", "q", {}, custom=True))
    assert state["arn"].startswith("arn:aws:sqs:eu-west-1:123456789012:q-")
    assert state["url"].endswith(state["name"])
    assert rid == state["url"]


def test_a_program_that_never_finishes_times_out_with_a_clear_error() -> None:
    from gridops_infra.testing import PreviewTimeoutError

    def program() -> None:
        never, _resolve = pulumi.deferred_output()
        aws.sqs.Queue("waits-forever", name=never)

    with pytest.raises(PreviewTimeoutError, match="dependency cycle"):
        preview(program, timeout_seconds=1)
    assert [r.name for r in preview(vpc_and_subnet)] == ["vpc", "subnet"]


# When the mock refuses an unknown StackReference, the SDK's StackReference has already
# created coroutines for its outputs that the failed run never awaits; the warning is the
# SDK's, and only this deliberate failure causes it.
@pytest.mark.filterwarnings("ignore:coroutine 'Output.*' was never awaited:RuntimeWarning")
def test_stack_references_are_answered_from_another_plan() -> None:
    from gridops_infra.testing import StackReferenceError

    def platform() -> None:
        vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        pulumi.export("vpc_id", vpc.id)
        pulumi.export("token", pulumi.Output.secret("s3cr3t-value"))

    def app() -> None:
        ref = pulumi.StackReference("acme/platform/prod")
        aws.ec2.SecurityGroup("sg", vpc_id=ref.require_output("vpc_id"))
        pulumi.export("token", ref.require_output("token"))

    platform_plan = preview(platform)
    app_plan = preview(app, stack_references={"acme/platform/prod": platform_plan})
    assert (
        app_plan.one("aws:ec2/securityGroup:SecurityGroup").inputs["vpcId"]
        == platform_plan.outputs["vpc_id"]
    )
    assert isinstance(app_plan.outputs["token"], SecretValue)
    assert "s3cr3t-value" not in app_plan.dumps()
    with pytest.raises(StackReferenceError, match="acme/platform/prod"):
        preview(app)


def test_assets_appear_in_plan_json_by_what_they_hold(tmp_path: Path) -> None:
    """Not by object address: the same program gives the same JSON every run."""
    page = tmp_path / "index.html"
    page.write_text("<h1>hi</h1>")

    def program() -> None:
        bucket = aws.s3.Bucket("site")
        aws.s3.BucketObjectv2("page", bucket=bucket.id, source=pulumi.FileAsset(str(page)))
        aws.s3.BucketObjectv2("note", bucket=bucket.id, source=pulumi.StringAsset("hello"))

    first, second = preview(program), preview(program)
    assert first.dumps() == second.dumps()
    objects = {
        r["name"]: r["inputs"]["source"]
        for r in json.loads(first.dumps())["resources"]
        if r["type"] == "aws:s3/bucketObjectv2:BucketObjectv2"
    }
    assert objects == {"page": {"file": str(page)}, "note": {"text": "hello"}}
