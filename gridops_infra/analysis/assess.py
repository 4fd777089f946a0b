"""Growth assessment: measured baseline metrics -> fired growth triggers -> stage -> first steps.

The engine behind ``gridops assess METRICS.yaml``. Pure Python: nothing here imports Pulumi.

Metrics file (YAML, one mapping; unknown keys are refused so typos do not go unnoticed)
=====================================================================================

Required (the four growth-trigger inputs, the SLO, the current stage):

``current_stage`` (text)
    Where the app runs today: ``single-server``, ``express``, ``fargate`` or ``eks``.
``conversion_change_after_peak_percent`` (percent, >= -100)
    Relative change of the conversion rate in the hours after traffic peaks against
    normal traffic. Negative is a drop: ``-7.5`` means conversion fell 7.5% after peaks.
``error_rate_during_campaigns_percent`` (percent of requests, 0-100)
    Share of requests that failed (5xx, timeouts) during marketing campaigns or launches.
``slo_objective`` (fraction, 0 < x < 1) *or* ``slo_error_budget_percent`` (percent, 0 < x < 100)
    The availability SLO, given one way, not both: ``slo_objective: 0.999`` is the same
    as ``slo_error_budget_percent: 0.1``. The allowed error rate is ``(1 - objective) * 100``
    percent.
``deploy_lead_time_minutes`` (minutes, >= 0)
    Time from a merged change to that change serving production traffic.
``incident_time_share_percent`` (percent of engineering time, 0-100)
    Share of engineering time spent on incidents (firefighting, hotfixes, postmortems).

Optional (the rest of the baseline; reported, and named when missing, never a trigger):

``p95_latency_ms`` (milliseconds, >= 0)
    95th percentile response time of the main user-facing endpoint.
``db_p95_query_ms`` (milliseconds, >= 0)
    95th percentile database query time.
``mttr_minutes`` (minutes, >= 0)
    Mean time to restore service after an incident.
``monthly_cost_usd`` (US dollars a month, >= 0)
    The current infrastructure bill.
``name`` (text)
    What was measured, e.g. ``acme-shop``; printed in the report.

Numbers are YAML ints or floats (``45``, ``0.999``); ``"45"``, ``45%`` and booleans are
refused. An empty value (``key:`` or ``null``) counts as missing. Every problem in a file is
reported at once in one line (:class:`AssessError`, a ``ValueError``).

Growth triggers (each fires only when the measured value is *greater than* its threshold;
equal does not fire):

- ``conversion_drop_after_peaks``: the drop, ``-conversion_change_after_peak_percent``
  (percent), above 5.
- ``campaign_error_rate``: ``error_rate_during_campaigns_percent`` above 2x the SLO's
  allowed error rate (0.2% for an objective of 0.999).
- ``deploy_lead_time``: ``deploy_lead_time_minutes`` above 30.
- ``incident_time_share``: ``incident_time_share_percent`` above 40.

Recommendation rule (:data:`RULE`): any trigger fires -> move one stage up
(single-server -> express -> fargate -> eks; from single-server straight to fargate when a
trigger other than ``deploy_lead_time`` fired, since the CDN and SLO alerting they call
for start there); no trigger fires -> stay; already on eks -> stay and fix
within (there is no stage above it).

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

``Assessment.to_json()`` keys (``schema_version`` 1; keys are only ever added):
``schema_version``, ``name``, ``source``, ``current_stage``, ``recommended_stage``,
``action`` (``move_up`` | ``stay`` | ``stay_and_fix_within``), ``rule``, ``recommendation``,
``fired`` (trigger names), ``triggers`` (always the four, in the order above; each
``name``, ``title``, ``metric`` (the input field), ``measured`` and ``threshold`` (floats),
``unit`` (``percent`` | ``minutes``), ``comparison`` (always ``greater_than``), ``fired``,
``explanation``, ``summary``), ``slo`` (``objective``, ``allowed_error_rate_percent``, ``given_as``),
``steps`` (list of ``order``, ``phase``, ``key``, ``title``, ``components``,
``triggered_by``, ``reason``), ``checklist`` (list of ``key``, ``title``, ``covered``,
``delivered_by``, ``note``), ``baseline`` (every metric field, ``null`` when not given),
``baseline_missing`` (optional baseline fields not given).
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

Stage = Literal["single-server", "express", "fargate", "eks"]
Action = Literal["move_up", "stay", "stay_and_fix_within"]

STAGES: tuple[Stage, ...] = ("single-server", "express", "fargate", "eks")
SCHEMA_VERSION = 1

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
    _FieldSpec("conversion_change_after_peak_percent", "percent", True, low=-100),
    _FieldSpec("error_rate_during_campaigns_percent", "percent", True, low=0, high=100),
    _FieldSpec("slo_objective", "fraction", False, low=0, high=1, open_low=True, open_high=True),
    _FieldSpec(
        "slo_error_budget_percent", "percent", False, low=0, high=100, open_low=True, open_high=True
    ),
    _FieldSpec("deploy_lead_time_minutes", "minutes", True, low=0),
    _FieldSpec("incident_time_share_percent", "percent", True, low=0, high=100),
    _FieldSpec("p95_latency_ms", "milliseconds", False, low=0),
    _FieldSpec("db_p95_query_ms", "milliseconds", False, low=0),
    _FieldSpec("mttr_minutes", "minutes", False, low=0),
    _FieldSpec("monthly_cost_usd", "USD a month", False, low=0),
    _FieldSpec("name", "text", False, kind="text"),
)
_SPECS_BY_NAME = {spec.name: spec for spec in FIELD_SPECS}
SLO_FIELDS = ("slo_objective", "slo_error_budget_percent")
#: Optional fields that complete the baseline (``name`` and the SLO pair are not baseline gaps).
BASELINE_OPTIONAL = ("p95_latency_ms", "db_p95_query_ms", "mttr_minutes", "monthly_cost_usd")


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
    if all(data.get(name) is None for name in SLO_FIELDS):
        problems.append(
            Problem("slo_objective", "missing", "slo_objective (or slo_error_budget_percent)")
        )
    elif all(data.get(name) is not None for name in SLO_FIELDS):
        problems.append(
            Problem(
                "slo_error_budget_percent",
                "conflict",
                "slo_objective and slo_error_budget_percent are both given: keep one "
                "(slo_objective 0.999 is slo_error_budget_percent 0.1)",
            )
        )
    for key in data:
        if key in _SPECS_BY_NAME:
            continue
        close = difflib.get_close_matches(str(key), list(_SPECS_BY_NAME), n=1)
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
    conversion_change_after_peak_percent: float
    error_rate_during_campaigns_percent: float
    deploy_lead_time_minutes: float
    incident_time_share_percent: float
    slo_objective: float | None = None
    slo_error_budget_percent: float | None = None
    p95_latency_ms: float | None = None
    db_p95_query_ms: float | None = None
    mttr_minutes: float | None = None
    monthly_cost_usd: float | None = None
    name: str | None = None
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        values = {spec.name: getattr(self, spec.name) for spec in FIELD_SPECS}
        problems = _problems_in(values)
        if problems:
            raise _error_for(self.source or "metrics", problems)

    @property
    def allowed_error_rate_percent(self) -> float:
        """The SLO's allowed error rate in percent (0.1 for an objective of 0.999)."""
        if self.slo_error_budget_percent is not None:
            return _clean(self.slo_error_budget_percent)
        return _clean((1 - cast(float, self.slo_objective)) * 100)

    @property
    def objective(self) -> float:
        """The SLO objective as a fraction, however it was given."""
        if self.slo_objective is not None:
            return _clean(self.slo_objective)
        return _clean(1 - cast(float, self.slo_error_budget_percent) / 100)

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
    if problems:
        raise _error_for(source, problems)
    values: dict[str, Any] = {spec.name: data.get(spec.name) for spec in FIELD_SPECS}
    return Metrics(**values, source=source)


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
    """One growth trigger: fires when ``measured > threshold`` (equal does not fire)."""

    name: str
    title: str
    metric: str
    measured: float
    threshold: float
    unit: str
    fired: bool
    explanation: str
    #: a few words naming the measured value and the limit, used in step reasons
    summary: str
    comparison: str = "greater_than"


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
    rule: str = RULE

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
                }
                for t in self.triggers
            ],
            "slo": {
                "objective": m.objective,
                "allowed_error_rate_percent": m.allowed_error_rate_percent,
                "given_as": "slo_objective"
                if m.slo_objective is not None
                else "slo_error_budget_percent",
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
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON (keys in schema order)."""
        return json.dumps(self.to_dict(), indent=indent)

    def render_text(self) -> str:
        """Plain text for a terminal: triggers, recommendation, steps, checklist, baseline."""
        return _render_text(self)


def _relation(measured: float, threshold: float) -> str:
    if measured > threshold:
        return "above"
    return "at" if measured == threshold else "within"


def _conversion_trigger(m: Metrics) -> Trigger:
    drop = _clean(-m.conversion_change_after_peak_percent) + 0.0  # + 0.0 turns -0.0 into 0.0
    limit = CONVERSION_DROP_LIMIT_PERCENT
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
    return Trigger(
        name="conversion_drop_after_peaks",
        title="conversion drop after traffic peaks",
        metric="conversion_change_after_peak_percent",
        measured=drop,
        threshold=limit,
        unit="percent",
        fired=drop > limit,
        explanation=said,
        summary=f"conversion fell {_num(drop)}% after peaks (limit {_num(limit)}%)",
    )


def _campaign_error_trigger(m: Metrics) -> Trigger:
    allowed = m.allowed_error_rate_percent
    limit = _clean(CAMPAIGN_ERROR_MULTIPLE_OF_SLO * allowed)
    rate = float(m.error_rate_during_campaigns_percent)
    said = (
        f"Errors during campaigns were {_num(rate)}% of requests, {_relation(rate, limit)} the "
        f"limit of {_num(limit)}% (2x the {_num(allowed)}% the SLO of {_num(m.objective)} "
        f"allows): the error budget burns at {_num(round(rate / allowed, 2))}x."
    )
    if rate > limit:
        said += " Campaigns are when the most users arrive and the most fail."
    return Trigger(
        name="campaign_error_rate",
        title="error rate during campaigns vs SLO",
        metric="error_rate_during_campaigns_percent",
        measured=rate,
        threshold=limit,
        unit="percent",
        fired=rate > limit,
        explanation=said,
        summary=f"campaign errors {_num(rate)}% (limit {_num(limit)}%, 2x the SLO's allowance)",
    )


def _deploy_trigger(m: Metrics) -> Trigger:
    lead = float(m.deploy_lead_time_minutes)
    limit = DEPLOY_LEAD_TIME_LIMIT_MINUTES
    said = (
        f"A merged change takes {_num(lead)} min to reach production, {_relation(lead, limit)} "
        f"the {_num(limit)}-minute limit."
    )
    if lead > limit:
        said += " Slow, manual releases batch changes up and make each one riskier."
    return Trigger(
        name="deploy_lead_time",
        title="deploy lead time",
        metric="deploy_lead_time_minutes",
        measured=lead,
        threshold=limit,
        unit="minutes",
        fired=lead > limit,
        explanation=said,
        summary=f"deploy lead time {_num(lead)} min (limit {_num(limit)} min)",
    )


def _incident_trigger(m: Metrics) -> Trigger:
    share = float(m.incident_time_share_percent)
    limit = INCIDENT_SHARE_LIMIT_PERCENT
    said = (
        f"{_num(share)}% of engineering time goes to incidents, {_relation(share, limit)} the "
        f"{_num(limit)}% limit."
    )
    if share > limit:
        said += " Firefighting is crowding out product work."
    return Trigger(
        name="incident_time_share",
        title="engineering time on incidents",
        metric="incident_time_share_percent",
        measured=share,
        threshold=limit,
        unit="percent",
        fired=share > limit,
        explanation=said,
        summary=f"{_num(share)}% of engineering time on incidents (limit {_num(limit)}%)",
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
    index = STAGES.index(m.current_stage)
    count = f"{len(fired)} of {len(triggers)} growth triggers fired"
    if not fired:
        target, action = m.current_stage, "stay"
        text = f"Stay on {target}: no growth trigger fired; re-measure the baseline monthly."
    elif index == len(STAGES) - 1:
        target, action = m.current_stage, "stay_and_fix_within"
        text = f"Stay on {target} (the last stage) and fix within: {count} ({', '.join(fired)})."
    else:
        target, action = STAGES[index + 1], "move_up"
        if target == "express" and not set(fired) <= EXPRESS_ANSWERS:
            target = "fargate"
        text = f"Move from {m.current_stage} to {target}: {count} ({', '.join(fired)})."
    missing = tuple(n for n in BASELINE_OPTIONAL if getattr(m, n) is None)
    return Assessment(
        metrics=m,
        triggers=triggers,
        recommended_stage=target,
        action=action,
        recommendation=text,
        steps=_steps(m, triggers, target, moving=action == "move_up"),
        checklist=_checklist(target, missing),
    )


_UNIT_SUFFIX = {
    "percent": "%",
    "minutes": " min",
    "milliseconds": " ms",
    "USD a month": " USD/month",
}


def _render_text(a: Assessment) -> str:
    m = a.metrics
    title = f"Growth assessment: {m.name}" if m.name else "Growth assessment"
    lines = [title + (f" ({m.source})" if m.source else "")]
    lines.append(f"Current stage: {a.current_stage}   Recommended stage: {a.recommended_stage}")
    lines.append(a.recommendation)
    lines += ["", "Growth triggers (each fires only when the measured value is above its limit)"]
    width = max(len(t.title) for t in a.triggers)
    for t in a.triggers:
        unit = _UNIT_SUFFIX[t.unit]
        mark = "FIRED" if t.fired else "ok"
        lines.append(
            f"  [{mark:^5}] {t.title:<{width}}  {_num(t.measured)}{unit}"
            f" (fires above {_num(t.threshold)}{unit})"
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
    lines += ["", "Baseline"]
    lines += [
        f"  {name}: {value}"
        for name, value in m.baseline().items()
        if value is not None and name != "current_stage"
    ]
    if a.baseline_missing:
        lines.append(f"  not measured yet: {', '.join(a.baseline_missing)}")
    return "\n".join(lines) + "\n"
