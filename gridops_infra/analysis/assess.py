"""Growth assessment: measured baseline metrics -> fired growth triggers -> stage -> first steps.

The engine behind ``gridops assess METRICS.yaml``. Pure Python: nothing here imports Pulumi.

Metrics file (YAML, one mapping; unknown keys are refused so typos do not go unnoticed)
=====================================================================================

Only ``current_stage`` is required. A partial baseline is assessed: each growth trigger is
judged when its inputs are given and listed as not judged otherwise, with the field (or the
``gridops baseline`` option, or the team) that would give it. ``gridops baseline`` writes
this file from a live account.

Required:

``current_stage`` (text)
    Where the app runs today: ``single-server``, ``express``, ``fargate`` or ``eks``.

The growth-trigger inputs (each optional; a trigger without its input is not judged):

``conversion_change_after_peak_percent`` (percent, >= -100)
    Relative change of the conversion rate in the hours after traffic peaks against
    normal traffic. Negative is a drop: ``-7.5`` means conversion fell 7.5% after peaks.
    Not in any AWS metric: ask the product team (analytics).
``error_rate_during_campaigns_percent`` (percent of requests, 0-100)
    Share of requests that failed (5xx, timeouts) during marketing campaigns or launches;
    judged against the SLO, so it needs ``slo_objective`` or ``slo_error_budget_percent``.
    ``gridops baseline --campaign START/END`` measures it.
``error_rate_during_campaigns_slo_multiple`` (multiple, >= 0)
    The same trigger given directly as a multiple of the SLO's allowed error rate
    (``3`` = the error budget burned at 3x during campaigns); needs no SLO. Give one of the
    two campaign forms, not both.
``slo_objective`` (fraction, 0 < x < 1) *or* ``slo_error_budget_percent`` (percent, 0 < x < 100)
    The availability SLO, given one way, not both: ``slo_objective: 0.999`` is the same
    as ``slo_error_budget_percent: 0.1``. The allowed error rate is ``(1 - objective) * 100``
    percent.
``deploy_lead_time_minutes`` (minutes, >= 0)
    Time from a merged change to that change serving production traffic
    (``gridops baseline`` reads it from ECS deployments or the GitHub deployments API).
``incident_time_share_percent`` (percent of engineering time, 0-100)
    Share of engineering time spent on incidents (firefighting, hotfixes, postmortems).
    Not in any AWS metric: ask the product team (time tracking, the incident log).

The rest of the baseline (reported, and named when missing, never a trigger):

``p95_latency_ms`` (milliseconds, >= 0)
    95th percentile response time of the main user-facing endpoint.
``db_p95_query_ms`` (milliseconds, >= 0)
    95th percentile database query time.
``error_rate_percent`` (percent of requests, 0-100)
    Share of requests answered with a 5xx over the whole window.
``mttr_minutes`` (minutes, >= 0)
    Mean time to restore service after an incident (from alarm history: ALARM to OK).
``deploys_per_week`` (deployments a week, >= 0)
    Deployment frequency.
``monthly_cost_usd`` (US dollars a month, >= 0)
    The current infrastructure bill.
``drill_recovery_minutes`` (minutes, >= 0)
    Mean recovery time measured in FIS drills; reported beside ``mttr_minutes``.
``name`` (text)
    What was measured, e.g. ``acme-shop``; printed in the report.

Structured (optional):

``drills`` (list)
    FIS experiment runs, each ``{template, started, state, recovery_minutes}``: the
    template id or name, the ISO 8601 start time with a time zone, the FIS state
    (``completed``, ``stopped``, ``failed``, ...) and the minutes until the service
    recovered (optional). Reported beside the MTTR from alarms; when
    ``drill_recovery_minutes`` is not given, the mean of the drills' recovery times is shown.
``utilization`` (list)
    One entry per sized thing: ``{kind, name, ...}`` with ``kind`` ``service`` or
    ``worker`` (Fargate; ``cpu_units`` and ``memory_mib``, a size Fargate accepts),
    ``database`` (``instance_class``, e.g. ``db.t4g.large``) or ``cache`` (``node_type``,
    e.g. ``cache.t4g.medium``), and the optional measured ``cpu_p95_percent``,
    ``memory_p95_percent`` (0-100) and ``connections_max``. The right-sizing review
    (:mod:`gridops_infra.analysis.rightsizing`) applies its rules to each: p95 CPU below 30%
    and memory below 40% -> one size down; CPU or memory above 75% -> one size up;
    otherwise keep; the monthly difference comes from the dated price table, and a size
    the table does not know is never recommended.
``sources`` (mapping)
    Field -> ``{source, window}``: where the figure came from (e.g. ``CloudWatch
    AWS/ApplicationELB TargetResponseTime p95``) and the window it covers
    (``START/END`` in ISO 8601 with time zones). Shown beside each figure in the report.

Numbers are YAML ints or floats (``45``, ``0.999``); ``"45"``, ``45%`` and booleans are
refused. An empty value (``key:`` or ``null``) counts as missing. Every problem in a file is
reported at once in one line (:class:`AssessError`, a ``ValueError``).

Growth triggers (each fires only when the measured value is *greater than* its threshold;
equal does not fire):

- ``conversion_drop_after_peaks``: the drop, ``-conversion_change_after_peak_percent``
  (percent), above 5.
- ``campaign_error_rate``: ``error_rate_during_campaigns_percent`` above 2x the SLO's
  allowed error rate (0.2% for an objective of 0.999); given as
  ``error_rate_during_campaigns_slo_multiple``, the multiple above 2.
- ``deploy_lead_time``: ``deploy_lead_time_minutes`` above 30.
- ``incident_time_share``: ``incident_time_share_percent`` above 40.

Recommendation rule (:data:`RULE`): any trigger fires -> move one stage up
(single-server -> express -> fargate -> eks; from single-server straight to fargate when a
trigger other than ``deploy_lead_time`` fired, since the CDN and SLO alerting they call
for start there); no trigger fires -> stay; already on eks -> stay and fix
within (there is no stage above it). When triggers were not judged, the recommendation
says how many were (``Stay on fargate (2 of 4 triggers judged) ...``) and which are missing:
a fired trigger is reason enough to move, but "stay" then only means "nothing judged fired".

First steps, in the growth plan's order (phase 1 CDN and caching; phase 2 CI/CD and basic
autoscaling; phase 3 observability and infrastructure as code). A step is listed only when
a trigger it answers fired, and its reason names that trigger's measured value and limit:

- ``cdn_and_caching`` (phase 1; CdnFrontend, RedisCache): conversion drop, campaign errors.
- ``ci_cd`` (phase 2; GithubDeployRole, deploy workflow templates): deploy lead time.
- ``autoscaling`` (phase 2; StatelessService autoscaling, SqsWorkerQueue): conversion drop,
  campaign errors.
- ``observability`` (phase 3; ObservabilityStack, Slo): incident share, campaign errors.
- ``infrastructure_as_code`` (phase 3; the stage stack ``stacks/Pulumi.<stage>.yaml``):
  deploy lead time, incident share, and every stage move (the move is made by deploying the
  next stage's stack, so its ``triggered_by`` then lists every fired trigger).

The 90-day checklist (SLOs and baseline metrics; one automated deployment path with
rollback; dashboards and alerts tied to SLOs; managed services plus caching/CDN) is marked
covered or not by the recommended stage, as DESIGN.md section 6 defines the stages.

JSON
====

``Assessment.to_json()`` keys (``schema_version`` 2; keys are only ever added, and the
version goes up on any change a reader of the previous version could trip on). Version 2
(partial baselines): an unjudged trigger has ``measured`` null (and ``threshold`` null when
the SLO is missing), and ``slo``'s values are null when no SLO was given; a complete
baseline gives the same values as version 1.

``schema_version``, ``name``, ``source``, ``current_stage``, ``recommended_stage``,
``action`` (``move_up`` | ``stay`` | ``stay_and_fix_within``), ``rule``, ``recommendation``,
``fired`` (trigger names), ``triggers`` (always the four, in the order above; each
``name``, ``title``, ``metric`` (the input field), ``measured`` and ``threshold`` (floats,
null when not judged), ``unit`` (``percent`` | ``minutes`` | ``multiple``), ``comparison``
(always ``greater_than``), ``fired``, ``explanation``, ``summary``, ``judged``, ``needs``
(the fields that would judge it, empty when judged), ``how_to_measure``, ``source`` (the
input's ``{source, window}`` or null)), ``slo`` (``objective``,
``allowed_error_rate_percent``, ``given_as``), ``steps`` (list of ``order``, ``phase``,
``key``, ``title``, ``components``, ``triggered_by``, ``reason``), ``checklist`` (list of
``key``, ``title``, ``covered``, ``delivered_by``, ``note``), ``baseline`` (every metric
field, ``null`` when not given), ``baseline_missing`` (optional baseline fields not
given), ``judged_count``, ``unjudged`` (names of the triggers not judged), ``recovery``
(``mttr_minutes``, ``drill_recovery_minutes``, ``drill_recovery_from`` (``field``,
``drills`` or null), ``drills`` (each ``template``, ``started``, ``state``,
``recovery_minutes``)), ``rightsizing`` (``rules``, ``items`` (each ``kind``, ``name``,
``current_size``, ``recommended_size``, ``decision`` (``down`` | ``up`` | ``keep`` |
``no_smaller_priced_size`` | ``no_larger_priced_size`` | ``unpriced``),
``current_monthly_usd``, ``recommended_monthly_usd``, ``monthly_delta_usd``, ``reason``,
``cpu_p95_percent``, ``memory_p95_percent``, ``connections_max``),
``total_monthly_delta_usd``, ``price_table`` (``region``, ``as_of``)), ``sources``
(field -> ``{source, window}``).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from gridops_infra.analysis.assess_records import (
    Drill,
    Source,
    UtilizationItem,
    parse_drills,
    parse_sources,
    parse_utilization,
)
from gridops_infra.analysis.cost.prices import load_prices
from gridops_infra.analysis.rightsizing import RULES as RIGHTSIZING_RULES
from gridops_infra.analysis.rightsizing import Recommendation, review, total_monthly_delta

Stage = Literal["single-server", "express", "fargate", "eks"]
Action = Literal["move_up", "stay", "stay_and_fix_within"]

STAGES: tuple[Stage, ...] = ("single-server", "express", "fargate", "eks")
SCHEMA_VERSION = 2

RULE = (
    "any trigger fires -> move one stage up (single-server -> express -> fargate -> eks), "
    "from single-server to fargate when a fired trigger needs the CDN or SLO alerting "
    "(anything but the deploy lead time), which express lacks; no trigger fires -> stay; already on eks -> "
    "stay and fix within"
)
EXPRESS_ANSWERS = frozenset({"deploy_lead_time"})
"""The triggers the express stage answers: ECS's canary deployments with rollback cut the
lead time. A conversion drop's first step is the CDN, and campaign error rates and
incident time need SLO burn-rate alerting: express has neither (ECS Express Mode cannot
restrict its endpoint to CloudFront nor expose load-balancer metrics)."""

CONVERSION_DROP_LIMIT_PERCENT = 5.0
CAMPAIGN_ERROR_MULTIPLE_OF_SLO = 2.0
DEPLOY_LEAD_TIME_LIMIT_MINUTES = 30.0
INCIDENT_SHARE_LIMIT_PERCENT = 40.0


class AssessError(ValueError):
    """A metrics file or Metrics value that cannot be assessed; the message is one line."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems

    @property
    def fields(self) -> tuple[str, ...]:
        """The field names the problems are about, in file order."""
        return tuple(p.field for p in self.problems)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field: ``kind`` is missing, type, range, conflict or unknown."""

    field: str
    kind: Literal["missing", "type", "range", "conflict", "unknown"]
    message: str


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    unit: str
    required: bool
    kind: Literal["number", "stage", "text"] = "number"
    low: float | None = None
    high: float | None = None
    open_low: bool = False  # True: the value must be strictly above `low`
    open_high: bool = False


FIELD_SPECS: tuple[_FieldSpec, ...] = (
    _FieldSpec("current_stage", "stage", True, kind="stage"),
    _FieldSpec("conversion_change_after_peak_percent", "percent", False, low=-100),
    _FieldSpec("error_rate_during_campaigns_percent", "percent", False, low=0, high=100),
    _FieldSpec("error_rate_during_campaigns_slo_multiple", "multiple of the SLO", False, low=0),
    _FieldSpec("slo_objective", "fraction", False, low=0, high=1, open_low=True, open_high=True),
    _FieldSpec(
        "slo_error_budget_percent", "percent", False, low=0, high=100, open_low=True, open_high=True
    ),
    _FieldSpec("deploy_lead_time_minutes", "minutes", False, low=0),
    _FieldSpec("incident_time_share_percent", "percent", False, low=0, high=100),
    _FieldSpec("p95_latency_ms", "milliseconds", False, low=0),
    _FieldSpec("db_p95_query_ms", "milliseconds", False, low=0),
    _FieldSpec("error_rate_percent", "percent", False, low=0, high=100),
    _FieldSpec("mttr_minutes", "minutes", False, low=0),
    _FieldSpec("deploys_per_week", "deploys a week", False, low=0),
    _FieldSpec("monthly_cost_usd", "USD a month", False, low=0),
    _FieldSpec("drill_recovery_minutes", "minutes", False, low=0),
    _FieldSpec("name", "text", False, kind="text"),
)
_SPECS_BY_NAME = {spec.name: spec for spec in FIELD_SPECS}
#: The list and mapping fields (parsed by :mod:`gridops_infra.analysis.assess_records`).
STRUCTURED_FIELDS = ("drills", "utilization", "sources")
ALL_FIELDS = (*_SPECS_BY_NAME, *STRUCTURED_FIELDS)
SLO_FIELDS = ("slo_objective", "slo_error_budget_percent")
CAMPAIGN_FIELDS = (
    "error_rate_during_campaigns_percent",
    "error_rate_during_campaigns_slo_multiple",
)
#: Optional fields that complete the baseline (``name``, the SLO pair, the trigger inputs
#: and the drill figures are not baseline gaps).
BASELINE_OPTIONAL = (
    "p95_latency_ms",
    "db_p95_query_ms",
    "error_rate_percent",
    "mttr_minutes",
    "deploys_per_week",
    "monthly_cost_usd",
)


def _clean(value: float) -> float:
    """Round away binary noise (``(1 - 0.999) * 100 == 0.10000000000000009``)."""
    return float(f"{value:.12g}")


def _num(value: float) -> str:
    return f"{value:g}"


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _range_text(spec: _FieldSpec) -> str:
    low = None if spec.low is None else ("> " if spec.open_low else ">= ") + _num(spec.low)
    high = None if spec.high is None else ("< " if spec.open_high else "<= ") + _num(spec.high)
    return " and ".join(part for part in (low, high) if part)


def _check_value(spec: _FieldSpec, value: Any) -> Problem | None:
    if spec.kind == "stage":
        if value in STAGES:
            return None
        close = difflib.get_close_matches(str(value), STAGES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return Problem(
            spec.name,
            "type",
            f"{spec.name}={value!r} is not a stage: use one of {', '.join(STAGES)}{hint}",
        )
    if spec.kind == "text":
        if isinstance(value, str) and value.strip():
            return None
        return Problem(spec.name, "type", f"{spec.name}={value!r} must be non-empty text")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Problem(
            spec.name,
            "type",
            f"{spec.name} must be a number ({spec.unit}), got {_describe(value)}",
        )
    if not math.isfinite(value):
        return Problem(spec.name, "range", f"{spec.name}={value!r} must be a finite number")
    too_low = spec.low is not None and (value <= spec.low if spec.open_low else value < spec.low)
    too_high = spec.high is not None and (
        value >= spec.high if spec.open_high else value > spec.high
    )
    if not (too_low or too_high):
        return None
    if too_low and spec.low == 0 and value < 0:
        what = "is negative"
    elif too_low:
        what = f"is {'not above' if spec.open_low else 'below'} {_num(cast(float, spec.low))}"
    else:
        what = f"is {'not below' if spec.open_high else 'above'} {_num(cast(float, spec.high))}"
    hint = ""
    if spec.name == "slo_objective" and 1 < value < 100:
        hint = f": {value}% is {_clean(value / 100)}"
    return Problem(
        spec.name,
        "range",
        f"{spec.name}={value!r} {what}: use {_range_text(spec)} ({spec.unit}{hint})",
    )


def _problems_in(data: Mapping[Any, Any]) -> list[Problem]:
    """Every problem of a raw metrics mapping, in field order, unknown keys last."""
    problems: list[Problem] = []
    for spec in FIELD_SPECS:
        value = data.get(spec.name)
        if value is None:
            if spec.required:
                problems.append(Problem(spec.name, "missing", spec.name))
            continue
        problem = _check_value(spec, value)
        if problem:
            problems.append(problem)
    if all(data.get(name) is not None for name in CAMPAIGN_FIELDS):
        problems.append(
            Problem(
                "error_rate_during_campaigns_slo_multiple",
                "conflict",
                "error_rate_during_campaigns_percent and error_rate_during_campaigns_slo_multiple "
                "are both given: keep one (the percent is judged against the SLO, the multiple "
                "is the percent divided by the SLO's allowed error rate)",
            )
        )
    if all(data.get(name) is not None for name in SLO_FIELDS):
        problems.append(
            Problem(
                "slo_error_budget_percent",
                "conflict",
                "slo_objective and slo_error_budget_percent are both given: keep one "
                "(slo_objective 0.999 is slo_error_budget_percent 0.1)",
            )
        )
    for key in data:
        if key in ALL_FIELDS:
            continue
        close = difflib.get_close_matches(str(key), list(ALL_FIELDS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(Problem(str(key), "unknown", f"unknown field {key!r}{hint}"))
    return problems


def _error_for(source: str, problems: list[Problem]) -> AssessError:
    missing = [p.message for p in problems if p.kind == "missing"]
    parts = [p.message for p in problems if p.kind != "missing"]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        parts.insert(0, f"missing required field{plural} {', '.join(missing)}")
    count = len(problems)
    message = f"{source}: {count} problem{'s' if count > 1 else ''}: {'; '.join(parts)}"
    return AssessError(message, tuple(problems))


@dataclass(frozen=True)
class Metrics:
    """The measured baseline (fields, units and ranges: see the module docstring).

    Construction validates every field at once and raises :class:`AssessError` naming all
    problems; ``source`` is where the values came from (a file path) and is not a metric.
    """

    current_stage: Stage
    conversion_change_after_peak_percent: float | None = None
    error_rate_during_campaigns_percent: float | None = None
    deploy_lead_time_minutes: float | None = None
    incident_time_share_percent: float | None = None
    slo_objective: float | None = None
    slo_error_budget_percent: float | None = None
    error_rate_during_campaigns_slo_multiple: float | None = None
    p95_latency_ms: float | None = None
    db_p95_query_ms: float | None = None
    error_rate_percent: float | None = None
    mttr_minutes: float | None = None
    deploys_per_week: float | None = None
    monthly_cost_usd: float | None = None
    drill_recovery_minutes: float | None = None
    name: str | None = None
    drills: tuple[Drill, ...] = ()
    utilization: tuple[UtilizationItem, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict[str, Source])
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        values = {spec.name: getattr(self, spec.name) for spec in FIELD_SPECS}
        problems = _problems_in(values)
        if problems:
            raise _error_for(self.source or "metrics", problems)

    @property
    def has_slo(self) -> bool:
        return self.slo_objective is not None or self.slo_error_budget_percent is not None

    @property
    def allowed_error_rate_percent(self) -> float | None:
        """The SLO's allowed error rate in percent (0.1 for an objective of 0.999); None
        without an SLO."""
        if self.slo_error_budget_percent is not None:
            return _clean(self.slo_error_budget_percent)
        if self.slo_objective is None:
            return None
        return _clean((1 - self.slo_objective) * 100)

    @property
    def objective(self) -> float | None:
        """The SLO objective as a fraction, however it was given; None without an SLO."""
        if self.slo_objective is not None:
            return _clean(self.slo_objective)
        if self.slo_error_budget_percent is None:
            return None
        return _clean(1 - self.slo_error_budget_percent / 100)

    def baseline(self) -> dict[str, Any]:
        """Every metric field (``None`` when not given), in schema order."""
        return {spec.name: getattr(self, spec.name) for spec in FIELD_SPECS if spec.name != "name"}


def parse_metrics(data: object, source: str = "metrics") -> Metrics:
    """Validate a parsed metrics mapping; every problem is reported in one :class:`AssessError`."""
    if data is None:
        raise AssessError(
            f"{source}: is empty: expected a mapping of field: value, "
            "e.g. 'deploy_lead_time_minutes: 45'"
        )
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else _describe(data)
        raise AssessError(
            f"{source}: the top level is {kind}: expected a mapping of field: value, "
            "e.g. 'deploy_lead_time_minutes: 45'"
        )
    problems = _problems_in(data)
    structured: dict[str, Any] = {}
    raw_problems = []
    if data.get("drills") is not None:
        structured["drills"], found = parse_drills(data["drills"])
        raw_problems += found
    if data.get("utilization") is not None:
        structured["utilization"], found = parse_utilization(data["utilization"])
        raw_problems += found
    if data.get("sources") is not None:
        fields = [n for n in ALL_FIELDS if n not in ("current_stage", "name", "sources")]
        structured["sources"], found = parse_sources(data["sources"], fields)
        raw_problems += found
    problems += [Problem(f, cast(Any, kind), message) for f, kind, message in raw_problems]
    if problems:
        raise _error_for(source, problems)
    values: dict[str, Any] = {spec.name: data.get(spec.name) for spec in FIELD_SPECS}
    return Metrics(**values, **structured, source=source)


class _NoDuplicateKeysLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice (PyYAML would silently keep the last one)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str | int | float | bool):
            continue  # unhashable keys are left to construct_mapping's own error
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"field {key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_NoDuplicateKeysLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _mapping_without_duplicates,  # type: ignore[arg-type]
)


def _yaml_error_line(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        what = exc.problem or exc.context or "cannot parse"
        return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {what}"
    return "not valid YAML: " + " ".join(str(exc).split())


def load_metrics(path: str | Path) -> Metrics:
    """Read and validate a metrics YAML file; any problem raises one :class:`AssessError`."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssessError(f"{source}: metrics file not found") from None
    except IsADirectoryError:
        raise AssessError(f"{source}: is a directory, not a metrics file") from None
    except UnicodeDecodeError:
        raise AssessError(f"{source}: not UTF-8 text") from None
    except OSError as exc:
        raise AssessError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        data = yaml.load(text, Loader=_NoDuplicateKeysLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise AssessError(f"{source}: {_yaml_error_line(exc)}") from None
    return parse_metrics(data, source)


# ---------------------------------------------------------------------------------------------
# The assessment
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """One growth trigger: fires when ``measured > threshold`` (equal does not fire); not
    judged (``measured`` None, ``needs`` non-empty) when its inputs were not given."""

    name: str
    title: str
    metric: str
    measured: float | None
    threshold: float | None
    unit: str
    fired: bool
    explanation: str
    #: a few words naming the measured value and the limit, used in step reasons
    summary: str
    comparison: str = "greater_than"
    #: what would judge it (field names; alternatives joined by "or"); empty when judged
    needs: tuple[str, ...] = ()
    how_to_measure: str = ""
    source: Source | None = None

    @property
    def judged(self) -> bool:
        return not self.needs


@dataclass(frozen=True)
class Step:
    """One first step: what to do, which gridops components deliver it, and why."""

    order: int
    phase: int
    key: str
    title: str
    components: tuple[str, ...]
    triggered_by: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the 90-day checklist and whether the recommended stage delivers it."""

    key: str
    title: str
    covered: bool
    delivered_by: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Assessment:
    """The triggers, the recommended stage, the ordered first steps and the 90-day checklist."""

    metrics: Metrics
    triggers: tuple[Trigger, ...]
    recommended_stage: Stage
    action: Action
    recommendation: str
    steps: tuple[Step, ...]
    checklist: tuple[ChecklistItem, ...]
    rightsizing: tuple[Recommendation, ...] = ()
    rule: str = RULE

    @property
    def unjudged(self) -> tuple[str, ...]:
        """Names of the triggers the metrics could not judge, in trigger order."""
        return tuple(t.name for t in self.triggers if not t.judged)

    @property
    def judged_count(self) -> int:
        return len(self.triggers) - len(self.unjudged)

    @property
    def drill_recovery(self) -> tuple[float | None, str | None]:
        """Mean drill recovery in minutes and where it came from (``field``: the metrics
        file's ``drill_recovery_minutes``; ``drills``: the mean of the drills listed)."""
        m = self.metrics
        if m.drill_recovery_minutes is not None:
            return float(m.drill_recovery_minutes), "field"
        times = [d.recovery_minutes for d in m.drills if d.recovery_minutes is not None]
        if times:
            return _clean(sum(times) / len(times)), "drills"
        return None, None

    @property
    def current_stage(self) -> Stage:
        return self.metrics.current_stage

    @property
    def fired(self) -> tuple[str, ...]:
        """Names of the triggers that fired, in trigger order."""
        return tuple(t.name for t in self.triggers if t.fired)

    @property
    def baseline_missing(self) -> tuple[str, ...]:
        """Optional baseline fields the metrics file did not give."""
        return tuple(n for n in BASELINE_OPTIONAL if getattr(self.metrics, n) is None)

    def to_dict(self) -> dict[str, Any]:
        """The documented, schema-stable shape (see the module docstring)."""
        m = self.metrics
        return {
            "schema_version": SCHEMA_VERSION,
            "name": m.name,
            "source": m.source,
            "current_stage": self.current_stage,
            "recommended_stage": self.recommended_stage,
            "action": self.action,
            "rule": self.rule,
            "recommendation": self.recommendation,
            "fired": list(self.fired),
            "triggers": [
                {
                    "name": t.name,
                    "title": t.title,
                    "metric": t.metric,
                    "measured": t.measured,
                    "threshold": t.threshold,
                    "unit": t.unit,
                    "comparison": t.comparison,
                    "fired": t.fired,
                    "explanation": t.explanation,
                    "summary": t.summary,
                    "judged": t.judged,
                    "needs": list(t.needs),
                    "how_to_measure": t.how_to_measure,
                    "source": _source_dict(t.source),
                }
                for t in self.triggers
            ],
            "slo": {
                "objective": m.objective,
                "allowed_error_rate_percent": m.allowed_error_rate_percent,
                "given_as": "slo_objective"
                if m.slo_objective is not None
                else "slo_error_budget_percent"
                if m.slo_error_budget_percent is not None
                else None,
            },
            "steps": [
                {
                    "order": s.order,
                    "phase": s.phase,
                    "key": s.key,
                    "title": s.title,
                    "components": list(s.components),
                    "triggered_by": list(s.triggered_by),
                    "reason": s.reason,
                }
                for s in self.steps
            ],
            "checklist": [
                {
                    "key": c.key,
                    "title": c.title,
                    "covered": c.covered,
                    "delivered_by": list(c.delivered_by),
                    "note": c.note,
                }
                for c in self.checklist
            ],
            "baseline": m.baseline(),
            "baseline_missing": list(self.baseline_missing),
            "judged_count": self.judged_count,
            "unjudged": list(self.unjudged),
            "recovery": self._recovery_dict(),
            "rightsizing": self._rightsizing_dict(),
            "sources": {k: _source_dict(v) for k, v in m.sources.items()},
        }

    def _recovery_dict(self) -> dict[str, Any]:
        m = self.metrics
        mean, origin = self.drill_recovery
        return {
            "mttr_minutes": m.mttr_minutes,
            "drill_recovery_minutes": mean,
            "drill_recovery_from": origin,
            "drills": [
                {
                    "template": d.template,
                    "started": d.started,
                    "state": d.state,
                    "recovery_minutes": d.recovery_minutes,
                }
                for d in m.drills
            ],
        }

    def _rightsizing_dict(self) -> dict[str, Any]:
        table = load_prices()
        items = []
        for r, used in zip(self.rightsizing, self.metrics.utilization, strict=True):
            items.append(
                {
                    "kind": r.kind,
                    "name": r.name,
                    "current_size": r.current_size,
                    "recommended_size": r.recommended_size,
                    "decision": r.decision,
                    "current_monthly_usd": r.current_monthly_usd,
                    "recommended_monthly_usd": r.recommended_monthly_usd,
                    "monthly_delta_usd": r.monthly_delta_usd,
                    "reason": r.reason,
                    "cpu_p95_percent": used.cpu_p95_percent,
                    "memory_p95_percent": used.memory_p95_percent,
                    "connections_max": used.connections_max,
                }
            )
        return {
            "rules": RIGHTSIZING_RULES,
            "items": items,
            "total_monthly_delta_usd": total_monthly_delta(self.rightsizing),
            "price_table": {"region": table.region, "as_of": table.as_of},
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON (keys in schema order)."""
        return json.dumps(self.to_dict(), indent=indent)

    def render_text(self) -> str:
        """Plain text for a terminal: triggers, recommendation, steps, checklist, baseline."""
        return _render_text(self)


def _source_dict(source: Source | None) -> dict[str, str] | None:
    return None if source is None else {"source": source.source, "window": source.window}


def _relation(measured: float, threshold: float) -> str:
    if measured > threshold:
        return "above"
    return "at" if measured == threshold else "within"


#: Where each trigger's input comes from, for the report and for triggers not judged.
HOW_TO_MEASURE: Mapping[str, str] = {
    "conversion_drop_after_peaks": "ask the product team: the conversion rate in the hours "
    "after traffic peaks against normal traffic (web analytics; no AWS metric has it)",
    "campaign_error_rate": "`gridops baseline --campaign START/END` measures the 5xx share of "
    "a campaign window (judged with slo_objective or slo_error_budget_percent), or give "
    "error_rate_during_campaigns_slo_multiple",
    "deploy_lead_time": "`gridops baseline` reads it from ECS deployments or the GitHub "
    "deployments API",
    "incident_time_share": "ask the product team: the share of engineering time on incidents "
    "(time tracking, the incident log; no AWS metric has it)",
}
_TRIGGER_TITLES: Mapping[str, str] = {
    "conversion_drop_after_peaks": "conversion drop after traffic peaks",
    "campaign_error_rate": "error rate during campaigns vs SLO",
    "deploy_lead_time": "deploy lead time",
    "incident_time_share": "engineering time on incidents",
}


def _judged(
    m: Metrics,
    name: str,
    metric: str,
    measured: float,
    limit: float,
    unit: str,
    explanation: str,
    summary: str,
) -> Trigger:
    """A trigger its inputs judged: it fires when the measured value exceeds the limit."""
    return Trigger(
        name=name,
        title=_TRIGGER_TITLES[name],
        metric=metric,
        measured=measured,
        threshold=limit,
        unit=unit,
        fired=measured > limit,
        explanation=explanation,
        summary=summary,
        how_to_measure=HOW_TO_MEASURE[name],
        source=m.sources.get(metric),
    )


def _unjudged(
    m: Metrics,
    name: str,
    metric: str,
    needs: tuple[str, ...],
    unit: str,
    threshold: float | None,
) -> Trigger:
    how = HOW_TO_MEASURE[name]
    return Trigger(
        name=name,
        title=_TRIGGER_TITLES[name],
        metric=metric,
        measured=None,
        threshold=threshold,
        unit=unit,
        fired=False,
        explanation=f"Not judged: give {'; '.join(needs)} ({how}).",
        summary=f"{_TRIGGER_TITLES[name]} not judged",
        needs=needs,
        how_to_measure=how,
        source=m.sources.get(metric),
    )


def _conversion_trigger(m: Metrics) -> Trigger:
    name, metric = "conversion_drop_after_peaks", "conversion_change_after_peak_percent"
    limit = CONVERSION_DROP_LIMIT_PERCENT
    if m.conversion_change_after_peak_percent is None:
        return _unjudged(m, name, metric, (metric,), "percent", limit)
    drop = _clean(-m.conversion_change_after_peak_percent) + 0.0  # + 0.0 turns -0.0 into 0.0
    if drop < 0:
        said = f"Conversion rose {_num(-drop)}% after traffic peaks: no drop."
    elif drop == 0:
        said = "Conversion held steady after traffic peaks: no drop."
    else:
        said = (
            f"Conversion fell {_num(drop)}% after traffic peaks, {_relation(drop, limit)} the "
            f"{_num(limit)}% limit."
        )
    if drop > limit:
        said += " Peak load is costing sales (slow or failing pages under load)."
    return _judged(
        m,
        name,
        metric,
        drop,
        limit,
        "percent",
        said,
        f"conversion fell {_num(drop)}% after peaks (limit {_num(limit)}%)",
    )


def _campaign_error_trigger(m: Metrics) -> Trigger:
    name = "campaign_error_rate"
    multiple = m.error_rate_during_campaigns_slo_multiple
    if multiple is not None:
        return _campaign_multiple_trigger(m, float(multiple))
    metric = "error_rate_during_campaigns_percent"
    allowed, objective = m.allowed_error_rate_percent, m.objective
    slo = "slo_objective or slo_error_budget_percent"
    if m.error_rate_during_campaigns_percent is None:
        either = f"{metric} or error_rate_during_campaigns_slo_multiple"
        needs = (
            (either,)
            if m.has_slo
            else (f"{metric} with {slo}, or error_rate_during_campaigns_slo_multiple",)
        )
        limit = None if allowed is None else _clean(CAMPAIGN_ERROR_MULTIPLE_OF_SLO * allowed)
        return _unjudged(m, name, metric, needs, "percent", limit)
    if allowed is None or objective is None:
        return _unjudged(m, name, metric, (slo,), "percent", None)
    limit = _clean(CAMPAIGN_ERROR_MULTIPLE_OF_SLO * allowed)
    rate = float(m.error_rate_during_campaigns_percent)
    said = (
        f"Errors during campaigns were {_num(rate)}% of requests, {_relation(rate, limit)} the "
        f"limit of {_num(limit)}% (2x the {_num(allowed)}% the SLO of {_num(objective)} "
        f"allows): the error budget burns at {_num(round(rate / allowed, 2))}x."
    )
    if rate > limit:
        said += " Campaigns are when the most users arrive and the most fail."
    return _judged(
        m,
        name,
        metric,
        rate,
        limit,
        "percent",
        said,
        f"campaign errors {_num(rate)}% (limit {_num(limit)}%, 2x the SLO's allowance)",
    )


def _campaign_multiple_trigger(m: Metrics, multiple: float) -> Trigger:
    name, metric = "campaign_error_rate", "error_rate_during_campaigns_slo_multiple"
    limit = CAMPAIGN_ERROR_MULTIPLE_OF_SLO
    said = (
        f"Errors during campaigns burned the error budget at {_num(multiple)}x the SLO's "
        f"allowed error rate, {_relation(multiple, limit)} the {_num(limit)}x limit."
    )
    if multiple > limit:
        said += " Campaigns are when the most users arrive and the most fail."
    return _judged(
        m,
        name,
        metric,
        multiple,
        limit,
        "multiple",
        said,
        f"campaign errors at {_num(multiple)}x the SLO's allowance (limit {_num(limit)}x)",
    )


def _deploy_trigger(m: Metrics) -> Trigger:
    name, metric = "deploy_lead_time", "deploy_lead_time_minutes"
    limit = DEPLOY_LEAD_TIME_LIMIT_MINUTES
    if m.deploy_lead_time_minutes is None:
        return _unjudged(m, name, metric, (metric,), "minutes", limit)
    lead = float(m.deploy_lead_time_minutes)
    said = (
        f"A merged change takes {_num(lead)} min to reach production, {_relation(lead, limit)} "
        f"the {_num(limit)}-minute limit."
    )
    if lead > limit:
        said += " Slow, manual releases batch changes up and make each one riskier."
    return _judged(
        m,
        name,
        metric,
        lead,
        limit,
        "minutes",
        said,
        f"deploy lead time {_num(lead)} min (limit {_num(limit)} min)",
    )


def _incident_trigger(m: Metrics) -> Trigger:
    name, metric = "incident_time_share", "incident_time_share_percent"
    limit = INCIDENT_SHARE_LIMIT_PERCENT
    if m.incident_time_share_percent is None:
        return _unjudged(m, name, metric, (metric,), "percent", limit)
    share = float(m.incident_time_share_percent)
    said = (
        f"{_num(share)}% of engineering time goes to incidents, {_relation(share, limit)} the "
        f"{_num(limit)}% limit."
    )
    if share > limit:
        said += " Firefighting is crowding out product work."
    return _judged(
        m,
        name,
        metric,
        share,
        limit,
        "percent",
        said,
        f"{_num(share)}% of engineering time on incidents (limit {_num(limit)}%)",
    )


@dataclass(frozen=True)
class _StepSpec:
    key: str
    phase: int
    title: str
    components: tuple[str, ...]
    #: trigger name -> what this step does about it
    answers: Mapping[str, str]


#: The growth plan's order: CDN and caching; CI/CD and basic autoscaling; observability and IaC.
STEP_CATALOG: tuple[_StepSpec, ...] = (
    _StepSpec(
        "cdn_and_caching",
        1,
        "CDN and caching",
        ("CdnFrontend", "RedisCache"),
        {
            "conversion_drop_after_peaks": "serve static assets and cacheable pages from the CDN edge and hot reads from Redis, so peak load stops "
            "reaching the app and the database",
            "campaign_error_rate": "the CDN and cache absorb the campaign read spike before it "
            "overloads the origin",
        },
    ),
    _StepSpec(
        "ci_cd",
        2,
        "CI/CD: one automated deployment path with rollback",
        ("GithubDeployRole", "deploy workflow templates"),
        {
            "deploy_lead_time": "one pipeline (OIDC deploy role, build, deploy, health check, automatic rollback) ships each merge in minutes",
        },
    ),
    _StepSpec(
        "autoscaling",
        2,
        "Basic autoscaling",
        ("StatelessService autoscaling (min_count/max_count)", "SqsWorkerQueue"),
        {
            "conversion_drop_after_peaks": "add capacity with the load (min_count..max_count) instead of slowing down",
            "campaign_error_rate": "scale out for the spike and move slow work onto a queue with its own workers",
        },
    ),
    _StepSpec(
        "observability",
        3,
        "Observability: SLOs, dashboards, alerts tied to SLOs",
        ("ObservabilityStack", "Slo"),
        {
            "incident_time_share": "SLO burn-rate alerts page on what users feel and dashboards shorten diagnosis",
            "campaign_error_rate": "burn-rate alerts catch the error-budget burn during the campaign, not after it",
        },
    ),
    _StepSpec(
        "infrastructure_as_code",
        3,
        "Infrastructure as code",
        ("stage stack",),
        {
            "deploy_lead_time": "environments built from code remove the hand-made steps from each release",
            "incident_time_share": "hand-built servers drift; rebuild them from reviewed code",
        },
    ),
)

_BASELINE_CONTEXT: dict[str, tuple[tuple[str, str], ...]] = {
    "cdn_and_caching": (
        ("p95_latency_ms", "p95 latency {} ms"),
        ("db_p95_query_ms", "db p95 {} ms"),
    ),
    "observability": (("mttr_minutes", "MTTR {} min"),),
}


def _stage_stack(stage: Stage) -> str:
    return f"{stage} stage stack (stacks/Pulumi.{stage}.yaml)"


def _steps(
    m: Metrics, triggers: tuple[Trigger, ...], target: Stage, moving: bool
) -> tuple[Step, ...]:
    by_name = {t.name: t for t in triggers}
    fired = tuple(t.name for t in triggers if t.fired)
    steps: list[Step] = []
    for spec in STEP_CATALOG:
        answered = tuple(name for name in fired if name in spec.answers)
        reasons = [f"{by_name[name].summary}: {spec.answers[name]}" for name in answered]
        components = spec.components
        if spec.key == "infrastructure_as_code":
            components = (_stage_stack(target),)
            if moving:
                reasons.insert(
                    0,
                    f"the move from {m.current_stage} to {target} is made by deploying the {target} "
                    "stage stack, reviewed and repeatable like code",
                )
                answered = fired
        if not reasons:
            continue
        context = [
            label.format(_num(getattr(m, metric)))
            for metric, label in _BASELINE_CONTEXT.get(spec.key, ())
            if getattr(m, metric) is not None
        ]
        reason = "; ".join(reasons)
        if context:
            reason += f" (baseline: {', '.join(context)})"
        steps.append(
            Step(len(steps) + 1, spec.phase, spec.key, spec.title, components, answered, reason)
        )
    return tuple(steps)


_CHECKLIST: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("slos_and_baseline", "SLOs and baseline metrics", ("Slo", "ObservabilityStack")),
    (
        "automated_deploy_with_rollback",
        "One automated deployment path with rollback",
        ("GithubDeployRole", "deploy workflow templates", "StatelessService deployment rollback"),
    ),
    (
        "slo_dashboards_and_alerts",
        "Dashboards and alerts tied to SLOs",
        ("ObservabilityStack", "Slo"),
    ),
    (
        "managed_services_and_caching",
        "Managed services plus caching/CDN",
        ("ManagedPostgresWithReplicas", "RedisCache", "CdnFrontend"),
    ),
)

#: Which checklist items each stage delivers (DESIGN.md section 6): the single server has
#: basic alarms and volume backups only; express adds ECS's canary deployments with
#: rollback, managed Postgres and Redis, but no CDN and no SLOs (ECS Express Mode exposes
#: no load-balancer metrics); fargate and eks carry SLO alarms, automated rollback,
#: managed Postgres, Redis and the CDN.
STAGE_COVERAGE: Mapping[Stage, frozenset[str]] = {
    "single-server": frozenset(),
    "express": frozenset({"automated_deploy_with_rollback", "managed_services_and_caching"}),
    "fargate": frozenset(key for key, _, _ in _CHECKLIST),
    "eks": frozenset(key for key, _, _ in _CHECKLIST),
}


def _first_stage_with(key: str) -> Stage | None:
    return next((stage for stage in STAGES if key in STAGE_COVERAGE[stage]), None)


def _checklist(target: Stage, missing: tuple[str, ...]) -> tuple[ChecklistItem, ...]:
    items = []
    for key, title, delivered_by in _CHECKLIST:
        covered = key in STAGE_COVERAGE[target]
        if covered:
            note = f"in the {target} stage"
        else:
            arrives = _first_stage_with(key)
            note = f"not in the {target} stage" + (
                f"; the {arrives} stage has it" if arrives else ""
            )
        if key == "slos_and_baseline":
            note += (
                f"; baseline incomplete: also measure {', '.join(missing)}"
                if missing
                else "; baseline complete"
            )
        items.append(ChecklistItem(key, title, covered, delivered_by, note))
    return tuple(items)


def assess(metrics: Metrics) -> Assessment:
    """Apply the four growth triggers and :data:`RULE` to a validated baseline."""
    m = metrics
    triggers = (
        _conversion_trigger(m),
        _campaign_error_trigger(m),
        _deploy_trigger(m),
        _incident_trigger(m),
    )
    fired = tuple(t.name for t in triggers if t.fired)
    unjudged = tuple(t.name for t in triggers if not t.judged)
    judged = len(triggers) - len(unjudged)
    index = STAGES.index(m.current_stage)
    count = f"{len(fired)} of {len(triggers)} growth triggers fired"
    sureness = f" ({judged} of {len(triggers)} triggers judged)" if unjudged else ""
    if not fired:
        target, action = m.current_stage, "stay"
        if judged == 0:
            text = (
                f"Stay on {target}{sureness}: no trigger could be judged "
                f"({', '.join(unjudged)}), so this is no assessment yet; measure "
                f"{_needed(triggers)}."
            )
        elif unjudged:
            text = (
                f"Stay on {target}{sureness}: none of the judged triggers fired; not judged: "
                f"{', '.join(unjudged)} (measure {_needed(triggers)}), which could still call "
                "for a move."
            )
        else:
            text = f"Stay on {target}: no growth trigger fired; re-measure the baseline monthly."
    elif index == len(STAGES) - 1:
        target, action = m.current_stage, "stay_and_fix_within"
        text = (
            f"Stay on {target} (the last stage) and fix within{sureness}: {count} "
            f"({', '.join(fired)})."
        )
    else:
        target, action = STAGES[index + 1], "move_up"
        if target == "express" and not set(fired) <= EXPRESS_ANSWERS:
            target = "fargate"
        text = f"Move from {m.current_stage} to {target}{sureness}: {count} ({', '.join(fired)})."
        if unjudged:
            text += f" Not judged: {', '.join(unjudged)}."
    missing = tuple(n for n in BASELINE_OPTIONAL if getattr(m, n) is None)
    return Assessment(
        metrics=m,
        triggers=triggers,
        recommended_stage=target,
        action=action,
        recommendation=text,
        steps=_steps(m, triggers, target, moving=action == "move_up"),
        checklist=_checklist(target, missing),
        rightsizing=review(m.utilization),
    )


def _needed(triggers: tuple[Trigger, ...]) -> str:
    return "; ".join(need for t in triggers for need in t.needs)


_UNIT_SUFFIX = {
    "percent": "%",
    "minutes": " min",
    "multiple": "x",
    "milliseconds": " ms",
    "USD a month": " USD/month",
}


def _from(source: Source | None) -> str:
    return f"  [{source.source}, {source.window}]" if source else ""


def _usd(value: float) -> str:
    return f"{'-' if value < 0 else '+' if value > 0 else ''}${abs(value):,.2f}"


def _render_text(a: Assessment) -> str:
    m = a.metrics
    title = f"Growth assessment: {m.name}" if m.name else "Growth assessment"
    lines = [title + (f" ({m.source})" if m.source else "")]
    lines.append(f"Current stage: {a.current_stage}   Recommended stage: {a.recommended_stage}")
    lines.append(a.recommendation)
    judged = f"{a.judged_count} of {len(a.triggers)} judged; " if a.unjudged else ""
    lines += [
        "",
        f"Growth triggers ({judged}each fires only when the measured value is above its limit)",
    ]
    width = max(len(t.title) for t in a.triggers)
    for t in a.triggers:
        unit = _UNIT_SUFFIX[t.unit]
        if t.measured is None:
            lines.append(f"  [ --- ] {t.title:<{width}}  not judged")
        else:
            mark = "FIRED" if t.fired else "ok"
            limit = f" (fires above {_num(t.threshold)}{unit})" if t.threshold is not None else ""
            lines.append(
                f"  [{mark:^5}] {t.title:<{width}}  {_num(t.measured)}{unit}{limit}{_from(t.source)}"
            )
        lines.append(f"          {t.explanation}")
    lines += ["", f"Rule: {a.rule}", ""]
    if a.steps:
        lines.append("First steps (growth-plan order)")
        for s in a.steps:
            lines.append(f"  {s.order}. [phase {s.phase}] {s.title} -> {', '.join(s.components)}")
            lines.append(f"     why: {s.reason}")
    else:
        lines.append("First steps: none needed now; keep the baseline measured.")
    lines += ["", f"90-day checklist ([x] = the {a.recommended_stage} stage covers it)"]
    for c in a.checklist:
        lines.append(f"  [{'x' if c.covered else ' '}] {c.title} ({', '.join(c.delivered_by)})")
        lines.append(f"      {c.note}")
    lines += _recovery_lines(a)
    lines += _rightsizing_lines(a)
    lines += ["", "Baseline"]
    lines += [
        f"  {name}: {value}{_from(m.sources.get(name))}"
        for name, value in m.baseline().items()
        if value is not None and name != "current_stage"
    ]
    if a.baseline_missing:
        lines.append(f"  not measured yet: {', '.join(a.baseline_missing)}")
    return "\n".join(lines) + "\n"


def _recovery_lines(a: Assessment) -> list[str]:
    m = a.metrics
    mean, origin = a.drill_recovery
    if m.mttr_minutes is None and mean is None and not m.drills:
        return []
    mttr = "not measured" if m.mttr_minutes is None else f"{_num(m.mttr_minutes)} min"
    if mean is None:
        drills = "not measured"
    else:
        drills = f"{_num(mean)} min"
        if origin == "drills":
            counted = sum(1 for d in m.drills if d.recovery_minutes is not None)
            drills += f" (mean of {counted} drill{'s' if counted != 1 else ''})"
    lines = [
        "",
        "Recovery: MTTR from alarms beside recovery measured in drills",
        f"  MTTR from alarms (ALARM to OK): {mttr}{_from(m.sources.get('mttr_minutes'))}",
        f"  drill recovery (FIS):           {drills}"
        f"{_from(m.sources.get('drill_recovery_minutes') or m.sources.get('drills'))}",
    ]
    for d in m.drills:
        took = "-" if d.recovery_minutes is None else f"{_num(d.recovery_minutes)} min"
        lines.append(f"    {d.started}  {d.template}  {d.state}  recovered in {took}")
    return lines


def _rightsizing_lines(a: Assessment) -> list[str]:
    if not a.rightsizing:
        return []
    source = _from(a.metrics.sources.get("utilization"))
    lines = ["", f"Right-sizing (monthly delta from the price table){source}"]
    lines.append(f"  rules: {RIGHTSIZING_RULES}")
    rows = [("item", "current", "recommended", "delta/month")]
    for r in a.rightsizing:
        if r.recommended_size is None:
            recommended = r.decision.replace("_", " ")
        elif r.decision == "keep":
            recommended = "keep"
        else:
            recommended = f"{r.recommended_size} ({r.decision})"
        rows.append((f"{r.kind} {r.name}", r.current_size, recommended, _usd(r.monthly_delta_usd)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        lines.append(
            f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
        )
    for r in a.rightsizing:
        lines.append(f"    {r.kind} {r.name}: {r.reason}")
    lines.append(f"  total: {_usd(total_monthly_delta(a.rightsizing))} a month")
    return lines
