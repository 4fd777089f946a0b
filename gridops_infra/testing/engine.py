"""The offline engine: run a Pulumi program under recording mocks and return its Plan."""

from __future__ import annotations

import asyncio
import contextvars
import os
import runpy
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime import config as pulumi_config
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.mocks import MockEngine, Mocks, MockSettings
from pulumi.runtime.stack import run_in_stack

from .mocks import DiagnosticsLogger, GridopsMocks, RecordingMonitor
from .outputs import DEFAULT_REGION
from .plan import Plan
from .project import ProjectSpec, load_project, normalize_config

Program = Callable[[], Any]

DEFAULT_TIMEOUT_SECONDS = 300.0


class PreviewTimeoutError(RuntimeError):
    """The program never finished: its Outputs wait on each other."""


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

    with _project_process_state(spec):
        contextvars.Context().run(in_fresh_context)

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
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Pulumi gives every executor thread an event loop of its own; creating them here
    # lets the preview close them all instead of leaking one per thread.
    thread_loops: list[asyncio.AbstractEventLoop] = []

    def thread_init() -> None:
        thread_loop = asyncio.new_event_loop()
        asyncio.set_event_loop(thread_loop)
        thread_loops.append(thread_loop)

    loop.set_default_executor(ThreadPoolExecutor(max_workers=4, initializer=thread_init))
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
            for thread_loop in thread_loops:
                thread_loop.close()
            asyncio.set_event_loop(None)
            loop.close()


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
