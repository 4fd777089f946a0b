"""The structured parts of a metrics file `gridops assess` reads: ``drills`` (FIS drill
history), ``utilization`` (per service, worker, database and cache) and ``sources`` (where
each figure came from and over which window).

Each parser takes the raw YAML value and returns the parsed records plus every problem
found, as ``(field, kind, message)`` triples the assessment turns into its own problems.
Formats: see the module docstring of :mod:`gridops_infra.analysis.assess`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from gridops_infra.core.aws_rules.ecs import FARGATE_TASK_SIZES
from gridops_infra.service.spec.checks import fargate_size_error

RawProblem = tuple[str, str, str]
UtilizationKind = Literal["service", "worker", "database", "cache"]
UTILIZATION_KINDS: tuple[UtilizationKind, ...] = ("service", "worker", "database", "cache")

#: The states an AWS FIS experiment reports (GetExperiment ``state.status``).
FIS_STATES = (
    "pending",
    "initiating",
    "running",
    "completed",
    "stopping",
    "stopped",
    "failed",
    "cancelled",
)

_DRILL_KEYS = ("template", "started", "state", "recovery_minutes")
_UTILIZATION_KEYS = (
    "kind",
    "name",
    "cpu_units",
    "memory_mib",
    "instance_class",
    "node_type",
    "cpu_p95_percent",
    "memory_p95_percent",
    "connections_max",
)
#: The field that says how big an item is, per kind.
SIZE_FIELDS: Mapping[UtilizationKind, tuple[str, ...]] = {
    "service": ("cpu_units", "memory_mib"),
    "worker": ("cpu_units", "memory_mib"),
    "database": ("instance_class",),
    "cache": ("node_type",),
}
_SOURCE_KEYS = ("source", "window")


@dataclass(frozen=True)
class Drill:
    """One FIS experiment run: which template, when it started, how it ended, and how long
    the service took to recover (None when not measured)."""

    template: str
    started: str
    state: str
    recovery_minutes: float | None


@dataclass(frozen=True)
class UtilizationItem:
    """Measured p95 utilization of one sized thing (a Fargate service or worker, an RDS
    instance, an ElastiCache node type); figures not measured are None."""

    kind: UtilizationKind
    name: str
    cpu_units: int | None = None
    memory_mib: int | None = None
    instance_class: str | None = None
    node_type: str | None = None
    cpu_p95_percent: float | None = None
    memory_p95_percent: float | None = None
    connections_max: float | None = None

    @property
    def size(self) -> str:
        """The current size as text: ``1024 cpu / 2048 MiB``, ``db.t4g.large``."""
        if self.kind in ("service", "worker"):
            return fargate_size_text(self.cpu_units or 0, self.memory_mib or 0)
        return str(self.instance_class if self.kind == "database" else self.node_type)


@dataclass(frozen=True)
class Source:
    """Where one figure came from (``source``) and the time window it covers."""

    source: str
    window: str


def fargate_size_text(cpu: int, memory: int) -> str:
    return f"{cpu} cpu / {memory} MiB"


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _unknown_keys(where: str, item: Mapping[Any, Any], allowed: Iterable[str]) -> list[str]:
    allowed = tuple(allowed)
    out = []
    for key in item:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        out.append(f"{where}: unknown key {key!r}{hint}")
    return out


def _number_error(label: str, value: Any, low: float, high: float | None) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{label} must be a number, got {_describe(value)}"
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        upper = f" and <= {high:g}" if high is not None else ""
        return f"{label}={value!r} is out of range: use >= {low:g}{upper}"
    return None


def _text_error(label: str, value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"{label}={value!r} must be non-empty text"


def iso_time_error(label: str, value: Any) -> str | None:
    """Why `value` is not an ISO 8601 date-time with a time zone (``2026-12-01T10:00:00Z``)."""
    if isinstance(value, datetime):  # YAML reads an unquoted timestamp as a datetime
        return None if value.tzinfo is not None else f"{label}={value} has no time zone"
    if not isinstance(value, str):
        return f"{label} must be an ISO 8601 time, got {_describe(value)}"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return f"{label}={value!r} is not an ISO 8601 time such as 2026-12-01T10:00:00Z"
    if parsed.tzinfo is None:
        return f"{label}={value!r} has no time zone: add Z or an offset such as +01:00"
    return None


def _as_time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _time_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _list_of_mappings(field: str, value: Any) -> tuple[list[Mapping[Any, Any]], list[RawProblem]]:
    if not isinstance(value, list):
        return [], [(field, "type", f"{field} must be a list of mappings, got {_describe(value)}")]
    problems: list[RawProblem] = []
    items = []
    for index, item in enumerate(value):
        if isinstance(item, Mapping):
            items.append(item)
        else:
            problems.append(
                (field, "type", f"{field}[{index}] must be a mapping, got {_describe(item)}")
            )
    return items, problems


def parse_drills(value: Any) -> tuple[tuple[Drill, ...], list[RawProblem]]:
    """``drills``: a list of ``{template, started, state, recovery_minutes}``."""
    items, problems = _list_of_mappings("drills", value)
    drills = []
    for index, item in enumerate(items):
        where = f"drills[{index}]"
        errors = _unknown_keys(where, item, _DRILL_KEYS)
        for key in ("template", "started", "state"):
            if item.get(key) is None:
                errors.append(f"{where}: missing {key}")
        if item.get("template") is not None:
            errors.append(_text_error(f"{where}.template", item["template"]) or "")
        if item.get("started") is not None:
            errors.append(iso_time_error(f"{where}.started", item["started"]) or "")
        state = item.get("state")
        if state is not None and state not in FIS_STATES:
            close = difflib.get_close_matches(str(state), FIS_STATES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.append(
                f"{where}.state={state!r} is not an FIS experiment state: use one of "
                f"{', '.join(FIS_STATES)}{hint}"
            )
        recovery = item.get("recovery_minutes")
        if recovery is not None:
            errors.append(_number_error(f"{where}.recovery_minutes", recovery, 0, None) or "")
        errors = [e for e in errors if e]
        problems += [("drills", "type", e) for e in errors]
        if not errors:
            drills.append(
                Drill(
                    template=str(item["template"]),
                    started=_time_text(item["started"]),
                    state=str(state),
                    recovery_minutes=None if recovery is None else float(recovery),
                )
            )
    return tuple(drills), problems


def parse_utilization(value: Any) -> tuple[tuple[UtilizationItem, ...], list[RawProblem]]:
    """``utilization``: a list of ``{kind, name, <size field(s)>, cpu_p95_percent,
    memory_p95_percent, connections_max}``; a Fargate size must be one Fargate accepts."""
    items, problems = _list_of_mappings("utilization", value)
    parsed = []
    for index, item in enumerate(items):
        where = f"utilization[{index}]"
        errors = _unknown_keys(where, item, _UTILIZATION_KEYS)
        kind, name = item.get("kind"), item.get("name")
        if kind not in UTILIZATION_KINDS:
            errors.append(
                f"{where}.kind={kind!r}: use one of {', '.join(UTILIZATION_KINDS)}"
                if kind is not None
                else f"{where}: missing kind ({', '.join(UTILIZATION_KINDS)})"
            )
        if name is None:
            errors.append(f"{where}: missing name")
        else:
            errors.append(_text_error(f"{where}.name", name) or "")
        if kind in UTILIZATION_KINDS:
            errors += _size_errors(where, kind, item)
        for key, high in (("cpu_p95_percent", 100), ("memory_p95_percent", 100)):
            if item.get(key) is not None:
                errors.append(_number_error(f"{where}.{key}", item[key], 0, high) or "")
        if item.get("connections_max") is not None:
            errors.append(
                _number_error(f"{where}.connections_max", item["connections_max"], 0, None) or ""
            )
        errors = [e for e in errors if e]
        problems += [("utilization", "type", e) for e in errors]
        if not errors:
            parsed.append(
                UtilizationItem(**{k: item.get(k) for k in _UTILIZATION_KEYS})  # type: ignore[arg-type]
            )
    return tuple(parsed), problems


def _size_errors(where: str, kind: UtilizationKind, item: Mapping[Any, Any]) -> list[str]:
    errors = []
    own = SIZE_FIELDS[kind]
    for key in ("cpu_units", "memory_mib", "instance_class", "node_type"):
        if key not in own and item.get(key) is not None:
            errors.append(f"{where}.{key} does not apply to a {kind} (give {', '.join(own)})")
    missing = [key for key in own if item.get(key) is None]
    if missing:
        return [*errors, f"{where}: a {kind} needs {' and '.join(missing)}"]
    if kind in ("service", "worker"):
        cpu, memory = item["cpu_units"], item["memory_mib"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (cpu, memory)):
            return [*errors, f"{where}: cpu_units and memory_mib must be whole numbers"]
        reason = fargate_size_error(cpu, memory)
        if reason:
            errors.append(
                f"{where}: {fargate_size_text(cpu, memory)} is not a Fargate size: {reason}"
            )
        return errors
    prefix = "db." if kind == "database" else "cache."
    value = item[own[0]]
    if not isinstance(value, str) or not value.startswith(prefix) or value.count(".") != 2:
        errors.append(f"{where}.{own[0]}={value!r}: expected {prefix}<family>.<size>")
    return errors


def parse_sources(value: Any, fields: Iterable[str]) -> tuple[dict[str, Source], list[RawProblem]]:
    """``sources``: a mapping of field -> ``{source, window}``, the window ``START/END`` in
    ISO 8601 with a time zone and START not after END."""
    if not isinstance(value, Mapping):
        return {}, [("sources", "type", f"sources must be a mapping, got {_describe(value)}")]
    known = tuple(fields)
    problems: list[RawProblem] = []
    out: dict[str, Source] = {}
    for key, entry in value.items():
        where = f"sources.{key}"
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(("sources", "unknown", f"{where}: no such field{hint}"))
            continue
        if not isinstance(entry, Mapping):
            problems.append(
                ("sources", "type", f"{where} must be {{source, window}}, got {_describe(entry)}")
            )
            continue
        errors = _unknown_keys(where, entry, _SOURCE_KEYS)
        errors.append(_text_error(f"{where}.source", entry.get("source")) or "")
        errors.append(_window_error(f"{where}.window", entry.get("window")) or "")
        errors = [e for e in errors if e]
        problems += [("sources", "type", e) for e in errors]
        if not errors:
            out[str(key)] = Source(str(entry["source"]).strip(), str(entry["window"]))
    return out, problems


def _window_error(label: str, value: Any) -> str | None:
    if not isinstance(value, str) or value.count("/") != 1:
        return f"{label}={value!r} must be START/END in ISO 8601, e.g. 2026-11-01T00:00:00Z/2026-12-01T00:00:00Z"
    start, end = value.split("/")
    for part in (start, end):
        error = iso_time_error(label, part)
        if error:
            return error
    if _as_time(start) > _as_time(end):
        return f"{label}={value!r} ends before it starts"
    return None


__all__ = [
    "FARGATE_TASK_SIZES",
    "FIS_STATES",
    "SIZE_FIELDS",
    "UTILIZATION_KINDS",
    "Drill",
    "Source",
    "UtilizationItem",
    "fargate_size_text",
    "iso_time_error",
    "parse_drills",
    "parse_sources",
    "parse_utilization",
]
