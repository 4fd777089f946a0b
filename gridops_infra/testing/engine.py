"""The offline engine: run a Pulumi program under recording mocks and return its Plan."""

from __future__ import annotations

import asyncio
import collections
import contextvars
import functools
import gc
import importlib
import itertools
import os
import runpy
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, redirect_stdout
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import empty_pb2
from pulumi.runtime import config as pulumi_config
from pulumi.runtime import resource as pulumi_resource
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockEngine, Mocks, MockSettings
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop

from gridops_infra.testing.mocks import (
    DiagnosticsLogger,
    GridopsMocks,
    ProgramOutput,
    RecordingMonitor,
)
from gridops_infra.testing.outputs import DEFAULT_REGION
from gridops_infra.testing.plan import Plan
from gridops_infra.testing.project import ProjectSpec, load_project, normalize_config

Program = Callable[[], Any]

DEFAULT_TIMEOUT_SECONDS = 300.0


class PreviewTimeoutError(RuntimeError):
    """The program never finished: its Outputs wait on each other."""


class _InlineExecutor(ThreadPoolExecutor):
    """Runs the mock monitor's calls at once, on the event loop's own thread.

    Pulumi hands every monitor call (register, invoke, log) to the loop's default executor
    because a real monitor is a gRPC server. The mock monitor answers in microseconds, so
    worker threads only add hand-offs and GIL contention (about a tenth of a preview on two
    cores), and make the registration order vary from run to run. (asyncio accepts only a
    ThreadPoolExecutor as default executor; this one never starts a thread.)
    """

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to the awaiting task, as a pool's worker would
            future.set_exception(exc)
        return future


# Pulumi walks and formats the Python stack of every registration to send its source
# position to the engine. A Plan never shows it, so inside a preview the walk is skipped.
_IN_PREVIEW: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gridops_in_preview", default=False
)
_full_stack_trace = pulumi_resource._get_stack_trace


def _stack_trace_unless_previewing() -> source_pb2.StackTrace:
    if _IN_PREVIEW.get():
        return source_pb2.StackTrace()
    return _full_stack_trace()


pulumi_resource._get_stack_trace = _stack_trace_unless_previewing


# Pulumi keeps what a resource depends on in sets of Resources (an Output's resources, its
# `depends_on`, a component's children) and awaits their URNs one after another in the set's
# order. Each await puts the registration's wake-up behind whatever else already waits on that
# URN, so the set's order decides which registration goes first. A Resource hashed by its
# address, which differs from process to process, and so did the registration order. Inside a
# preview a Resource hashes by its creation index instead: the same program builds the same
# sets in the same order, and registers in the same order. (Hash and equality stay per
# object; outside a preview nothing changes.)
_CREATION_INDEX: contextvars.ContextVar[Iterator[int] | None] = contextvars.ContextVar(
    "gridops_creation_index", default=None
)
_resource_init = pulumi.Resource.__init__


@functools.wraps(_resource_init)
def _init_with_creation_index(self: pulumi.Resource, *args: Any, **kwargs: Any) -> None:
    counter = _CREATION_INDEX.get()
    if counter is not None:
        self._gridops_creation_index = next(counter)  # type: ignore[attr-defined]
    _resource_init(self, *args, **kwargs)


def _hash_by_creation_index(self: pulumi.Resource) -> int:
    index = self._gridops_creation_index  # type: ignore[attr-defined]
    return object.__hash__(self) if index is None else index


pulumi.Resource._gridops_creation_index = None  # type: ignore[attr-defined]
pulumi.Resource.__init__ = _init_with_creation_index  # type: ignore[method-assign]
pulumi.Resource.__hash__ = _hash_by_creation_index  # type: ignore[method-assign,assignment]


# A synchronous provider function call (`aws.get_region()`) pumps the event loop from inside
# the running program (Pulumi's `_sync_await`). Afterwards Pulumi pads the loop's ready queue
# with cancelled handles so that the loop iteration it interrupted finds as many handles as
# it expects to pop; the padding counts towards the next call's padding, so a program with
# many calls created ever more handles: 50 services took over 250x the time of one. A
# preview's loop tolerates a short ready queue instead, and its calls pump without padding.
class _ReadyQueue(collections.deque):  # type: ignore[type-arg]
    """The loop's ready queue; popping it when empty yields a cancelled handle, which the
    loop skips, as it would skip Pulumi's padding."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._spent = asyncio.Handle(lambda: None, (), loop)
        self._spent.cancel()

    def popleft(self) -> Any:
        return super().popleft() if self else self._spent


class _PreviewEventLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self._ready = _ReadyQueue(self)  # type: ignore[assignment]


# (`pulumi.runtime.invoke` the attribute is the function; the module is looked up by name.)
pulumi_invoke = importlib.import_module("pulumi.runtime.invoke")
_pulumi_sync_await = pulumi_invoke._sync_await


def _sync_await_without_padding(awaitable: Any) -> Any:
    """Pulumi's `_sync_await` minus the padding, on a preview's loop; Pulumi's elsewhere."""
    loop = _ensure_event_loop()
    if not (isinstance(loop, _PreviewEventLoop) and loop.is_running()):
        return _pulumi_sync_await(awaitable)
    future = asyncio.ensure_future(awaitable, loop=loop)
    task = asyncio.current_task(loop)
    if task is not None:
        asyncio.tasks._leave_task(loop, task)  # type: ignore[attr-defined]
    while not future.done():
        loop._run_once()  # type: ignore[attr-defined]
    if task is not None:
        asyncio.tasks._enter_task(loop, task)  # type: ignore[attr-defined]
    return future.result()


setattr(pulumi_invoke, "_sync_await", _sync_await_without_padding)  # noqa: B010


# A preview allocates hundreds of thousands of short-lived objects (Pulumi gives every
# output property its own futures and Output), which starts many full collections, and each
# full collection walks every object the imports left behind (~330,000 once the stages'
# pulumi_aws modules are loaded). Inside a preview those are frozen and young collections
# run less often; that more than halves a preview's time. Leaving, the preview's own
# garbage is collected while the imports are still frozen (cheap), so memory stays flat
# from one preview to the next.
_GC_LOCK = threading.Lock()
_gc_users = 0
_gc_saved: tuple[tuple[int, int, int], bool] = ((700, 10, 10), False)
PREVIEW_GC_THRESHOLD = (10_000, 20, 20)


@contextmanager
def _collect_garbage_sparingly() -> Iterator[None]:
    global _gc_users, _gc_saved
    with _GC_LOCK:
        if _gc_users == 0:
            # Someone else's freeze (a pre-fork server) is theirs to undo: leave it alone.
            we_freeze = gc.get_freeze_count() == 0
            _gc_saved = (gc.get_threshold(), we_freeze)
            if we_freeze:
                gc.freeze()
            gc.set_threshold(*PREVIEW_GC_THRESHOLD)
        _gc_users += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_users -= 1
            if _gc_users == 0:
                threshold, we_froze = _gc_saved
                gc.collect()
                gc.set_threshold(*threshold)
                if we_froze:
                    gc.unfreeze()


# Running a project directory changes the working directory and sys.path, which are
# process-wide: previews of directories run one at a time.
_PROCESS_STATE = threading.Lock()


def preview(
    program: Program | str | os.PathLike[str],
    *,
    config: dict[str, Any] | None = None,
    stack: str = "dev",
    project: str = "gridops",
    mocks: Mocks | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    stack_references: Mapping[str, Plan | Mapping[str, Any]] | None = None,
) -> Plan:
    """Run `program` offline and return the Plan of everything it would register.

    `program` is a callable (a Pulumi program as a function) or the path of a Pulumi
    project directory, whose `Pulumi.yaml`, `Pulumi.<stack>.yaml` (in `stackConfigDir`)
    and `main` are honoured. `config` keys without a namespace belong to the project
    (`{"stage": "fargate"}` is `gridops:stage`); they override the stack file's values.

    Every call is isolated: it runs in a fresh context with its own event loop, settings,
    config and monitor, so previews never see each other's resources. A program still
    running after `timeout_seconds` (a dependency cycle never resolves) is stopped with
    a PreviewTimeoutError.

    `stack_references` answers `pulumi.StackReference(name)`: the referenced stack's
    outputs, or its Plan from an earlier preview (e.g. of a network/platform project).
    """
    if callable(program):
        spec = None
        raw_config, secret_keys = normalize_config(dict(config or {}), project)
        run = program
    else:
        spec = load_project(Path(program), stack)
        project = spec.name
        overrides, override_secrets = normalize_config(dict(config or {}), project)
        raw_config = {**spec.config, **overrides}
        secret_keys = spec.secret_keys | override_secrets
        run = _project_runner(spec)

    region = raw_config.get("aws:region", DEFAULT_REGION)
    references = {
        name: (value.outputs if isinstance(value, Plan) else dict(value))
        for name, value in (stack_references or {}).items()
    }
    mocks = mocks or GridopsMocks(region=region, stack_outputs=references)
    monitor = RecordingMonitor(mocks)
    logger = DiagnosticsLogger()

    def in_fresh_context() -> None:
        _run(run, monitor, logger, project, stack, raw_config, secret_keys, timeout_seconds)

    printed = ProgramOutput(logger)
    with _project_process_state(spec), _collect_garbage_sparingly():
        # A project's prints become diagnostics (Pulumi shows them the same way); a
        # callable's go where the caller's do, so print-debugging a test still works.
        with redirect_stdout(printed) if spec is not None else nullcontext():
            contextvars.Context().run(in_fresh_context)
        printed.flush()

    plan = Plan(
        project=project,
        stack=stack,
        resources=list(monitor.records),
        outputs=dict(monitor.stack_outputs),
        stack_urn=monitor.stack_urn,
        diagnostics=list(logger.messages),
    )
    return plan


def _run(
    program: Program,
    monitor: RecordingMonitor,
    logger: DiagnosticsLogger,
    project: str,
    stack: str,
    config: dict[str, str],
    secret_keys: set[str],
    timeout_seconds: float,
) -> None:
    loop = _PreviewEventLoop()
    asyncio.set_event_loop(loop)
    loop.set_default_executor(_InlineExecutor())
    _IN_PREVIEW.set(True)
    _CREATION_INDEX.set(itertools.count())
    outputs: set[asyncio.Future[Any]] = set()
    loop.set_exception_handler(_quiet_about_unretrieved_failures)
    try:
        pulumi_settings.ROOT.set(None)
        pulumi_config.set_all_config(dict(config), sorted(secret_keys))
        features = set(monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures)
        pulumi_settings.configure(
            MockSettings(
                monitor=monitor,
                monitor_features=features,
                engine=MockEngine(logger),
                project=project,
                stack=stack,
                dry_run=True,
                organization="organization",
                callbacks=None,
                # Pulumi keeps the Outputs it must await in a set that MockSettings does
                # not renew; a failed program leaves its failed Outputs there, bound to
                # this preview's loop, and the next preview would await them.
                outputs=outputs,
                lock=threading.Lock(),
            )
        )
        try:
            loop.run_until_complete(asyncio.wait_for(run_in_stack(program), timeout_seconds))
        except TimeoutError:
            raise PreviewTimeoutError(
                f"the program did not finish within {timeout_seconds:g} s: look for a dependency "
                "cycle (depends_on a component whose children depend back on the resource) or an "
                "Output that never resolves"
            ) from None
    finally:
        try:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def _quiet_about_unretrieved_failures(
    loop: asyncio.AbstractEventLoop, context: dict[str, Any]
) -> None:
    """A failed program leaves failed Outputs nobody awaited; the program's error already
    says what failed, so their "exception was never retrieved" echoes are dropped."""
    if str(context.get("message", "")).endswith("exception was never retrieved"):
        return
    loop.default_exception_handler(context)


def _project_runner(spec: ProjectSpec) -> Program:
    def run() -> None:
        runpy.run_path(str(spec.main), run_name="__main__")

    return run


@contextmanager
def _project_process_state(spec: ProjectSpec | None) -> Iterator[None]:
    """For a project directory: its folder on sys.path and as working directory, as
    `pulumi up` would run it; the modules it imported from there forgotten afterwards
    so the next project's same-named modules are loaded fresh."""
    if spec is None:
        yield
        return
    with _PROCESS_STATE:
        directory = str(spec.directory)
        before = set(sys.modules)
        old_cwd = os.getcwd()
        sys.path.insert(0, directory)
        os.chdir(directory)
        try:
            yield
        finally:
            os.chdir(old_cwd)
            sys.path.remove(directory)
            for name in set(sys.modules) - before:
                if name == "gridops_infra" or name.startswith("gridops_infra."):
                    continue
                module_file = getattr(sys.modules[name], "__file__", None) or ""
                if (
                    module_file.startswith(directory + os.sep)
                    and "site-packages" not in module_file
                ):
                    del sys.modules[name]
