"""Every argument has a description, a default (or `Required.`) and an example, and the
examples are real: each parses as Python, and for the components below every example is
accepted by the component (a preview builds a program from them)."""

from __future__ import annotations

import ast
import functools
import re
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import gridops_infra
from gridops_infra.core.args_help import FieldDoc, field_docs, split_field_doc
from gridops_infra.testing import preview

REGION_CONFIG = {"aws:region": "eu-west-1"}
"""The examples name eu-west-1 ARNs and zones, so the programs run there."""


def _resolve(typed_dict: type, name: str) -> Any:
    """`name` as the TypedDict's module sees it, else (for a field inherited from a base
    in another module) a TypedDict of that name in a loaded gridops_infra module."""
    found = getattr(sys.modules[typed_dict.__module__], name, None)
    if found is not None:
        return found
    return _typed_dicts_by_name(len(sys.modules)).get(name)


@functools.cache
def _typed_dicts_by_name(modules_loaded: int) -> dict[str, type]:
    """Every TypedDict the loaded gridops_infra modules define or import, by name (cached
    until more modules are loaded)."""
    found: dict[str, type] = {}
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("gridops_infra"):
            continue
        for name, candidate in list(vars(module).items()):
            if isinstance(candidate, type) and typing.is_typeddict(candidate):
                found.setdefault(name, candidate)
    return found


def _nested(typed_dict: type, annotation: str) -> Iterator[type]:
    """The TypedDicts an annotation (as written) names; an `...Args` name that does not
    resolve fails, so a nested TypedDict is never skipped unnoticed."""
    for name in re.findall(r"\b[A-Za-z_]\w*\b", annotation):
        found = _resolve(typed_dict, name)
        if isinstance(found, type) and typing.is_typeddict(found):
            yield found
        else:
            assert not name.endswith("Args"), f"{typed_dict.__name__}: cannot resolve {name}"


def documented_typed_dicts() -> list[type]:
    """Every Args TypedDict `gridops_infra` exports and every TypedDict their fields use."""
    found: list[type] = []

    def walk(typed_dict: type) -> None:
        if typed_dict in found:
            return
        found.append(typed_dict)
        for annotation, _ in field_docs(typed_dict).values():
            for nested in _nested(typed_dict, annotation):
                walk(nested)

    for name in gridops_infra.__all__:
        if name.endswith("Args"):
            walk(getattr(gridops_infra, name))
    return found


TYPED_DICTS = documented_typed_dicts()


def docs_of(typed_dict: type) -> dict[str, FieldDoc]:
    return {field: split_field_doc(text) for field, (_, text) in field_docs(typed_dict).items()}


def problems(typed_dict: type) -> list[str]:
    """What is missing from each field docstring, as `Args.field: problem`."""
    found = []
    for field, doc in docs_of(typed_dict).items():
        where = f"{typed_dict.__name__}.{field}"
        if not doc.description:
            found.append(f"{where}: no description")
        if doc.default is None and not doc.required:
            found.append(f"{where}: no `Default:` line (nor `Required.`)")
        if doc.example is None:
            found.append(f"{where}: the last line is not Example: ``<python>``")
            continue
        try:
            ast.parse(doc.example, mode="eval")
        except SyntaxError as exc:
            found.append(f"{where}: the example is not a Python expression ({exc.msg})")
    return found


def test_the_walk_reaches_nested_typed_dicts() -> None:
    names = {t.__name__ for t in TYPED_DICTS}
    exported = {n for n in gridops_infra.__all__ if n.endswith("Args")}
    assert exported <= names
    assert {"SidecarArgs", "ScheduledScalingArgs", "SpotArgs"} <= names
    assert {"ReaderAutoscalingArgs", "ServerlessV2Args"} <= names


@pytest.mark.parametrize("typed_dict", TYPED_DICTS, ids=lambda t: t.__name__)
def test_every_field_has_a_description_a_default_and_an_example(typed_dict: type) -> None:
    assert problems(typed_dict) == []


def test_the_check_names_the_field_and_what_it_lacks() -> None:
    class DemoArgs(typing.TypedDict, total=False):
        size: int
        """Disk size in GiB.

        Default: 50.
        Example: ``100``"""
        name: str
        """The name."""
        owner: str
        """Who owns it.

        Required.
        Example: ``acme shop``"""

    assert problems(DemoArgs) == [
        "DemoArgs.name: no `Default:` line (nor `Required.`)",
        "DemoArgs.name: the last line is not Example: ``<python>``",
        "DemoArgs.owner: the example is not a Python expression (invalid syntax)",
    ]


def test_help_shows_default_and_example_on_their_own_lines() -> None:
    import pydoc

    shown = pydoc.plain(pydoc.render_doc(gridops_infra.SqsWorkerQueue))
    assert "platform: Platform | LambdaPlatform  (required)" in shown
    assert re.search(
        r"max_workers: int\n[ |]*Most worker tasks\.(?:.*\n)+?[ |]*Default: 10\.\n"
        r"[ |]*Example: 50\n",
        shown,
    )


# --- The examples are accepted by the components -------------------------------------

EXAMPLES_KEPT_APART: dict[str, list[tuple[set[str], set[str]]]] = {
    # (fields tried apart from the other examples, with the examples of these too)
    "ManagedPostgresWithReplicasArgs": [
        # Instance mode's own fields (the example `engine_mode` is "aurora"), and a key
        # of your own, refused together with `customer_managed_key`.
        (
            {
                "allocated_storage_gb",
                "max_allocated_storage_gb",
                "blue_green_update",
                "kms_key_arn",
            },
            set(),
        ),
        # Serverless v2 instances are all `db.serverless`: no `instance_class`.
        ({"serverless_v2"}, {"engine_mode"}),
    ],
    "RedisCacheArgs": [({"kms_key_arn"}, set())],
    # Disabled drills register nothing.
    "ResilienceDrillsArgs": [({"enabled"}, set())],
    # Either a certificate of your own or `domain`'s; behind a CDN no ingress_cidrs, and
    # origin_access only there.
    "FargateClusterArgs": [({"certificate_arn"}, set()), ({"behind_cdn", "origin_access"}, set())],
    # Behind a CDN the host has no domain and admits only CloudFront; ip_certificate says
    # how a host without a domain serves.
    "SingleServerArgs": [
        ({"behind_cdn"}, set()),
        ({"replication_source"}, set()),
        ({"ip_certificate"}, set()),
    ],
    # A branch instead of an environment.
    "GithubDeployRoleArgs": [({"branch"}, set())],
    # Karpenter keeps no Spot minimum; Auto Mode keeps no minimum at all and builds its
    # own disks, storage and scaling (the node-group arguments it refuses stay out).
    "EksClusterArgs": [
        ({"spot_min"}, {"spot"}),
        (
            {"compute"},
            {"node_architecture", "node_instance_types", "node_max", "spot", "spot_max"},
        ),
    ],
    # Only one of `base` and `on_demand_base` may be above 0.
    "SpotArgs": [({"base"}, set())],
}


EXAMPLES_ON_ANOTHER_PLATFORM: dict[str, set[str]] = {
    # A Lambda function's own settings: refused elsewhere, tried on a LambdaPlatform below.
    "SqsWorkerQueueArgs": {
        "batch_size",
        "max_batching_window_seconds",
        "reserved_concurrency",
        "ephemeral_storage_mb",
    },
}


def example_variants(typed_dict: type, names: dict[str, Any]) -> list[dict[str, Any]]:
    """Argument dicts made of the examples: the first holds every example but those kept
    apart, each further one the required fields plus one group kept apart. Fields whose
    type is a TypedDict (or a list of one) are also tried with the values their own
    fields' examples make, in place of their examples."""
    elsewhere = EXAMPLES_ON_ANOTHER_PLATFORM.get(typed_dict.__name__, set())
    docs = {f: d for f, d in docs_of(typed_dict).items() if f not in elsewhere}
    groups = EXAMPLES_KEPT_APART.get(typed_dict.__name__, [])
    held = set().union(*(apart for apart, _ in groups))

    def value(field: str) -> Any:
        return eval(str(docs[field].example), {}, names)

    def wrap(field: str, nested_args: dict[str, Any]) -> Any:
        listed = field_docs(typed_dict)[field][0].startswith("list[")
        return [nested_args] if listed else nested_args

    required = {f: value(f) for f, doc in docs.items() if doc.required}
    variants = [{f: value(f) for f in docs if f not in held}]
    variants += [{**required, **{f: value(f) for f in apart | also}} for apart, also in groups]
    for variant in list(variants):
        made = {
            field: example_variants(nested, names)
            for field, (annotation, _) in field_docs(typed_dict).items()
            if field in variant
            for nested in _nested(typed_dict, annotation)
        }
        if made:
            variants.append({**variant, **{f: wrap(f, values[0]) for f, values in made.items()}})
        variants += [
            {**variant, f: wrap(f, nested_args)}
            for f, values in made.items()
            for nested_args in values[1:]
        ]
    return variants


def accepts_every_example(component: type, make_names: Callable[[str], dict[str, Any]]) -> None:
    """One preview: each example variant is given to the component, beside what
    `make_names(suffix)` builds for the names its examples use (once per variant, so
    variants never compete for a load balancer's routes); every refusal is reported."""
    typed_dict = getattr(gridops_infra, f"{component.__name__}Args")
    refused: list[str] = []

    def program() -> None:
        variants = example_variants(typed_dict, make_names(""))
        for i in range(len(variants)):
            args = variants[i] if i == 0 else example_variants(typed_dict, make_names(f"-{i}"))[i]
            try:
                component(f"example-{i}", args)
            except ValueError as exc:
                refused.append(f"variant {i}: {exc} (args: {', '.join(sorted(args))})")

    plan = preview(program, config=REGION_CONFIG)
    assert not refused, "\n".join(refused)
    built = {r.name for r in plan.resources if r.is_component}
    assert "example-0" in built, "the program of every example registered nothing"


def _network(suffix: str) -> Any:
    return gridops_infra.Network(f"net{suffix}", {"az_count": 3})


def _world(
    on_eks: bool = False, watched: bool = False, observed: bool = False
) -> Callable[[str], dict[str, Any]]:
    """What examples name: one network, database and cache; per variant its own
    platform (a load balancer's routes are per cluster) and the components on it: with
    `watched` a service, a queue and a CDN, with `observed` an ObservabilityStack."""
    shared: dict[str, Any] = {}

    def names(suffix: str) -> dict[str, Any]:
        if not shared:
            network = shared["network"] = _network("")
            shared["db"] = gridops_infra.ManagedPostgresWithReplicas("db", {"network": network})
            shared["cache"] = gridops_infra.RedisCache("cache", {"network": network})
        made = {**shared, "Slo": gridops_infra.Slo}
        if on_eks:
            made["eks"] = platform = gridops_infra.EksCluster(
                f"eks{suffix}", {"network": shared["network"]}
            )
        else:
            made["cluster"] = platform = gridops_infra.FargateCluster(
                f"cluster{suffix}", {"network": shared["network"]}
            )
        if watched:
            api = made["api"] = gridops_infra.StatelessService(
                f"api{suffix}", {"platform": platform, "image": "ghcr.io/acme/api:1.4.2"}
            )
            made["jobs"] = gridops_infra.SqsWorkerQueue(
                f"jobs{suffix}", {"platform": platform, "image": "ghcr.io/acme/worker:1.4.2"}
            )
            made["cdn"] = gridops_infra.CdnFrontend(f"cdn{suffix}", {"api_origin": api})
        if observed:
            made["observability"] = gridops_infra.ObservabilityStack(
                f"obs{suffix}",
                {"resources": [api], "slos": [gridops_infra.Slo.availability(api)]},
            )
        return made

    return names


def test_stateless_service_accepts_every_example() -> None:
    accepts_every_example(gridops_infra.StatelessService, _world())


def test_sqs_worker_queue_accepts_every_example() -> None:
    accepts_every_example(gridops_infra.SqsWorkerQueue, _world())


def test_sqs_worker_queue_on_lambda_accepts_the_lambda_examples() -> None:
    """The Lambda function's own settings, each at its documented example, on a
    LambdaPlatform (with an ECR image, which Lambda needs)."""
    docs = docs_of(gridops_infra.SqsWorkerQueueArgs)
    fields = EXAMPLES_ON_ANOTHER_PLATFORM["SqsWorkerQueueArgs"]
    refused: list[str] = []

    def program() -> None:
        platform = gridops_infra.LambdaPlatform("fn", {"network": _network("")})
        args = {f: eval(str(docs[f].example), {}, {}) for f in fields}
        try:
            gridops_infra.SqsWorkerQueue(
                "example",
                {
                    "platform": platform,
                    "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/worker:1.4.2",
                    **args,
                },
            )
        except ValueError as exc:
            refused.append(str(exc))

    plan = preview(program, config=REGION_CONFIG)
    assert not refused, refused
    assert any(r.type == "aws:lambda/eventSourceMapping:EventSourceMapping" for r in plan.resources)


def test_managed_postgres_accepts_every_example() -> None:
    accepts_every_example(
        gridops_infra.ManagedPostgresWithReplicas, lambda s: {"network": _network(s)}
    )


def test_redis_cache_accepts_every_example() -> None:
    accepts_every_example(gridops_infra.RedisCache, lambda s: {"network": _network(s)})


def test_cdn_frontend_accepts_every_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`static_dir`'s example names a build folder: the program runs where it exists."""
    site = tmp_path / "web" / "dist"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<h1>shop</h1>")
    monkeypatch.chdir(tmp_path)
    accepts_every_example(gridops_infra.CdnFrontend, _world(watched=True))


@pytest.mark.parametrize(
    "component",
    ["Network", "FargateCluster", "SingleServer", "GithubDeployRole", "LambdaPlatform"],
)
def test_foundations_accept_every_example(component: str) -> None:
    accepts_every_example(getattr(gridops_infra, component), lambda s: {"network": _network(s)})


@pytest.mark.parametrize(
    "component", ["EksCluster", "ArgoCdGitOps", "ObservabilityStack", "ResilienceDrills"]
)
def test_eks_and_operations_components_accept_every_example(component: str) -> None:
    """On EKS, where every observability and drill option applies."""
    observed = component == "ResilienceDrills"
    world = _world(on_eks=True, watched=True, observed=observed)
    accepts_every_example(getattr(gridops_infra, component), world)
