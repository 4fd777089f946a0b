"""GridopsMocks (realistic outputs) and the monitor that records a Plan while they answer."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Mapping
from typing import Any

from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import provider_pb2, resource_pb2
from pulumi.runtime.settings import get_project, get_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from gridops_infra.testing.functions import answer
from gridops_infra.testing.outputs import DEFAULT_REGION, resource_outputs, short_hash
from gridops_infra.testing.plan import UNKNOWN, ResourceRecord, SecretValue

_SECRET_SIG = rpc._special_secret_sig
_UNTOLD = "?"  # a qualified type the monitor cannot know (see RecordingMonitor._claim_urn)
_SIG_KEY = rpc._special_sig_key


class StackReferenceError(LookupError):
    """A StackReference whose stack's outputs the offline engine was not given."""


class DuplicateResourceError(RuntimeError):
    """Two resources with the same URN (type, name and parent types): `pulumi up` refuses
    the second with "Duplicate resource URN", so the offline preview does too."""


class GridopsMocks(Mocks):
    """Pulumi mocks that answer like AWS would: realistic ids, ARNs, endpoints, DNS names.

    Use it in your own tests with `pulumi.runtime.set_mocks(GridopsMocks(), ...)`, or let
    `gridops_infra.testing.preview` drive it and hand you a Plan.

    `region` is the default provider's region; explicit `aws.Provider` resources keep
    their own region, so a us-east-1 certificate gets a us-east-1 ARN.
    """

    def __init__(
        self,
        region: str = DEFAULT_REGION,
        stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.region = region
        self.stack_outputs = {k: dict(v) for k, v in (stack_outputs or {}).items()}
        self._provider_regions: dict[str, str] = {}
        self._lock = threading.Lock()

    def _region_for(self, provider_ref: str | None) -> str:
        if provider_ref:
            provider_id = provider_ref.rsplit("::", 1)[-1]
            return self._provider_regions.get(provider_id, self.region)
        return self.region

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ.startswith("pulumi:providers:"):
            provider_id = f"{args.name}-{short_hash(args.typ, args.name, length=8)}"
            region = _plain(args.inputs.get("region"))
            if isinstance(region, str) and region:
                with self._lock:
                    self._provider_regions[provider_id] = region
            return provider_id, dict(args.inputs)
        if args.typ == "pulumi:pulumi:StackReference":
            return self._stack_reference(args)
        if not args.custom:
            return f"{args.name}-component", {}
        return resource_outputs(args.typ, args.name, args.inputs, self._region_for(args.provider))

    def _stack_reference(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        target = str(args.resource_id or _plain(args.inputs.get("name")) or args.name)
        if target not in self.stack_outputs:
            known = ", ".join(sorted(self.stack_outputs)) or "none"
            raise StackReferenceError(
                f"stack reference {target!r} has no outputs offline (known: {known}); preview "
                "the referenced project first and pass its outputs: "
                "preview(..., stack_references={name: plan}) or gridops preview --reference NAME=DIR"
            )
        outputs = self.stack_outputs[target]
        secret_names = sorted(k for k, v in outputs.items() if isinstance(v, SecretValue))
        plain = {k: (v.value if isinstance(v, SecretValue) else v) for k, v in outputs.items()}
        return target, {"name": target, "outputs": plain, "secretOutputNames": secret_names}

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        region = self._region_for(args.provider)
        requested = args.args.get("region") if isinstance(args.args, dict) else None
        if isinstance(requested, str) and requested:
            region = requested
        return answer(args.token, args.args, region), []


_PLAIN_SCALARS = (str, int, float, bool, type(None))


def _is_plain(value: Any) -> bool:
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        return all(type(k) is str and _is_plain(v) for k, v in value.items())
    if kind is list or kind is tuple:
        return all(_is_plain(v) for v in value)
    return False


def serialize_now(properties: dict[str, Any]) -> struct_pb2.Struct:
    """What `rpc.serialize_properties(properties, {})` returns, without an event loop.

    The mocks answer with plain data (str, numbers, lists, dicts, secrets as wire dicts).
    For plain data Pulumi's serializer only drops top-level None values and hands the rest
    to the Struct unchanged, which is done here directly (a quarter of its cost). Anything
    else (a Resource, an Output, an Enum in a custom Mocks' answer) goes through Pulumi's
    serializer, pumping the loop as Pulumi's MockMonitor does.
    """
    if _is_plain(properties):
        struct = struct_pb2.Struct()
        struct.update({k: v for k, v in properties.items() if v is not None})
        return struct
    return _sync_await(rpc.serialize_properties(properties, {}))


def _plain(value: Any) -> Any:
    if rpc.is_rpc_secret(value):
        return rpc.unwrap_rpc_secret(value)
    return value


def to_plan_value(value: Any) -> Any:
    """Wire values -> Plan values: secrets become SecretValue, unknowns UNKNOWN."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return SecretValue(to_plan_value(value.get("value")))
        return {k: to_plan_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plan_value(v) for v in value]
    if value == rpc.UNKNOWN or type(value).__name__ == "Unknown":
        return UNKNOWN
    return value


class RecordingMonitor(MockMonitor):
    """A MockMonitor that keeps what `Mocks.new_resource` never sees: the register request's
    parent, dependencies, protect, retainOnDelete and provider, and every registered output.
    """

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.records: list[ResourceRecord] = []
        self._by_urn: dict[str, ResourceRecord] = {}
        self.stack_urn = ""
        self.stack_outputs: dict[str, Any] = {}
        self._lock = threading.Lock()
        # The Plan keeps Pulumi's mock URNs (parent's last type only); the engine's URNs
        # carry every ancestor's type, so duplicates are found by those.
        self._qualified_types: dict[str, set[str]] = {}
        self._engine_urns: set[str] = set()

    def _claim_urn(self, urn: str, parent: str, type_: str, name: str) -> None:
        """Refuse a second resource with the engine URN of an earlier one, as `pulumi up`
        does, and remember this one's qualified type for its children."""
        if not parent or parent == self.stack_urn:
            qualified = type_
        else:
            parent_types = self._qualified_types.get(parent, {_UNTOLD})
            if len(parent_types) != 1 or _UNTOLD in parent_types:
                # Two parents behind one mock URN (their engine URNs differ), or an unknown
                # one: which engine URN this child has cannot be told, nor its children's.
                with self._lock:
                    self._qualified_types.setdefault(urn, set()).add(_UNTOLD)
                return
            qualified = f"{next(iter(parent_types))}${type_}"
        engine_urn = f"urn:pulumi:{get_stack()}::{get_project()}::{qualified}::{name}"
        with self._lock:
            if engine_urn in self._engine_urns:
                raise DuplicateResourceError(
                    f"Duplicate resource URN '{engine_urn}'; try giving it a unique name (a "
                    f"{type_} named {name!r} under the same parents is already registered)"
                )
            self._engine_urns.add(engine_urn)
            self._qualified_types.setdefault(urn, set()).add(qualified)

    def RegisterResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == "pulumi:pulumi:Stack":
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
        self._claim_urn(urn, request.parent, request.type, request.name)
        _ensure_event_loop()
        inputs = rpc.deserialize_properties(request.object)
        resource_args = MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        id_, state = self.mocks.new_resource(resource_args)
        obj_proto = serialize_now(state)
        record = ResourceRecord(
            type=request.type,
            name=request.name,
            urn=urn,
            parent=request.parent or None,
            custom=bool(request.custom),
            inputs=to_plan_value(inputs),
            outputs=to_plan_value(state) if request.custom else {},
            id=id_ if request.custom else None,
            dependencies=list(request.dependencies),
            property_dependencies={
                k: list(v.urns) for k, v in request.propertyDependencies.items()
            },
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            delete_before_replace=bool(request.deleteBeforeReplace),
            ignore_changes=list(request.ignoreChanges),
            provider=request.provider or None,
            aliases=[*request.aliasURNs, *(_alias_text(a) for a in request.aliases)],
        )
        with self._lock:
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_ or "", state)
            self.records.append(record)
            self._by_urn[urn] = record
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_ or "", object=obj_proto)

    def ReadResource(self, request):
        # A read resource (`Resource.get`, a StackReference) takes its URN like any other.
        urn = self.make_urn(request.parent, request.type, request.name)
        self._claim_urn(urn, request.parent, request.type, request.name)
        return super().ReadResource(request)

    def Invoke(self, request):
        if request.tok == "pulumi:pulumi:getResource":
            return super().Invoke(request)
        _ensure_event_loop()
        args = rpc.deserialize_properties(request.args)
        answered = self.mocks.call(
            MockCallArgs(token=request.tok, args=args, provider=request.provider)
        )
        result, failures = (answered, None) if isinstance(answered, dict) else answered
        response = resource_pb2.ResourceInvokeResponse(
            failures=[
                provider_pb2.CheckFailure(property=prop, reason=reason)
                for prop, reason in failures or []
            ]
        )
        getattr(response, "return").CopyFrom(serialize_now(result))  # `return` is a keyword
        return response

    def RegisterResourceOutputs(self, request):
        _ensure_event_loop()
        outputs = to_plan_value(rpc.deserialize_properties(request.outputs))
        with self._lock:
            if request.urn == self.stack_urn:
                self.stack_outputs = outputs
            elif request.urn in self._by_urn:
                self._by_urn[request.urn].outputs = outputs
        return empty_pb2.Empty()


class DiagnosticsLogger(logging.Logger):
    """Collects the engine's log lines (warnings from the program or providers)."""

    def __init__(self) -> None:
        super().__init__("gridops.preview", level=logging.INFO)
        self.messages: list[tuple[str, str]] = []

    def handle(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelname.lower(), record.getMessage()))


class ProgramOutput(io.TextIOBase):
    """What a project's program prints, kept as info diagnostics, as the Pulumi engine keeps
    a program's stdout: `gridops ... --json` then prints only JSON on stdout."""

    def __init__(self, logger: DiagnosticsLogger) -> None:
        self.logger = logger
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        self.logger.messages.extend(("info", line) for line in lines if line.strip())
        return len(text)

    def flush(self) -> None:
        if self.pending.strip():
            self.logger.messages.append(("info", self.pending))
        self.pending = ""


def _alias_text(alias: Any) -> str:
    """An alias the SDK sent as a spec (the monitor supports alias specs), as one string:
    its URN, or its given parts (`name=old-name`, `type=...`)."""
    if alias.urn:
        return str(alias.urn)
    spec = alias.spec
    parts = [f"{key}={getattr(spec, key)}" for key in ("name", "type", "stack", "project")]
    if spec.parentUrn:
        parts.append(f"parentUrn={spec.parentUrn}")
    if spec.noParent:
        parts.append("noParent=true")
    return ", ".join(p for p in parts if not p.endswith("="))
