"""Service level objectives and their multiwindow, multi-burn-rate alerting tiers.

The math follows the Google SRE Workbook, chapter "Alerting on SLOs", section
"Multiwindow, Multi-Burn-Rate Alerts": an alert tier fires when the error ratio over a
long window *and* over a short window (1/12 of the long one) both exceed
``burn_rate * error_budget``, where ``burn_rate = budget_consumed * slo_window / long_window``.

Pure Python: nothing here imports Pulumi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, get_args

SloKind = Literal["availability", "latency", "custom"]
Severity = Literal["page", "ticket"]

MIN_WINDOW_DAYS = 1
MAX_WINDOW_DAYS = 90

#: (severity, fraction of the error budget consumed, long window) per the SRE Workbook.
STANDARD_TIER_SPECS: tuple[tuple[Severity, float, timedelta], ...] = (
    ("page", 0.02, timedelta(hours=1)),
    ("page", 0.05, timedelta(hours=6)),
    ("ticket", 0.10, timedelta(days=1)),
    ("ticket", 0.10, timedelta(days=3)),
)

#: The short window of every tier is this fraction of its long window.
SHORT_WINDOW_DIVISOR = 12


def _clean(value: float) -> float:
    """Round away binary noise (``1 - 0.999 == 0.0010000000000000009``) to 12 significant digits."""
    return float(f"{value:.12g}")


def format_duration(duration: timedelta) -> str:
    """Format a duration the way Prometheus writes it: ``5m``, ``2h``, ``3d`` (largest whole unit)."""
    seconds = int(duration.total_seconds())
    if seconds <= 0 or seconds != duration.total_seconds():
        raise ValueError(f"duration={duration!r} must be a positive whole number of seconds")
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class BurnRateTier:
    """One alerting tier of a multiwindow, multi-burn-rate SLO alert.

    ``long_window`` and ``short_window`` are timedeltas (``*_seconds`` / ``*_label`` give
    other forms); ``budget_consumed`` and ``error_ratio_threshold`` are fractions (0.02 = 2%).
    """

    severity: Severity
    budget_consumed: float
    long_window: timedelta
    short_window: timedelta
    burn_rate: float
    error_ratio_threshold: float

    @property
    def long_window_seconds(self) -> int:
        """The long window in seconds."""
        return int(self.long_window.total_seconds())

    @property
    def short_window_seconds(self) -> int:
        """The short window in seconds."""
        return int(self.short_window.total_seconds())

    @property
    def long_window_label(self) -> str:
        """The long window as a Prometheus duration, e.g. ``"1h"``."""
        return format_duration(self.long_window)

    @property
    def short_window_label(self) -> str:
        """The short window as a Prometheus duration, e.g. ``"5m"``."""
        return format_duration(self.short_window)

    @property
    def can_fire(self) -> bool:
        """False when the threshold is >= 1 (very low objectives): no error ratio can exceed it."""
        return self.error_ratio_threshold < 1


def _check_objective(objective: object) -> float:
    if (
        isinstance(objective, bool)
        or not isinstance(objective, int | float)
        or not math.isfinite(objective)
        or not 0 < objective < 1
    ):
        raise ValueError(
            f"objective={objective!r} is not allowed: use a fraction in the open interval (0, 1), "
            "e.g. 0.999 for 99.9%"
        )
    return float(objective)


def _check_window_days(window_days: object) -> int:
    longest = max(spec[2] for spec in STANDARD_TIER_SPECS)
    if (
        isinstance(window_days, bool)
        or not isinstance(window_days, int)
        or not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS
    ):
        raise ValueError(
            f"window_days={window_days!r} is not allowed: use an int from {MIN_WINDOW_DAYS} to "
            f"{MAX_WINDOW_DAYS} (days), at least {format_duration(longest)} for the burn-rate tiers"
        )
    if timedelta(days=window_days) < longest:
        raise ValueError(
            f"window_days={window_days!r} is shorter than the {format_duration(longest)} long "
            f"window of the slowest burn-rate tier; allowed: an int from {longest.days} to "
            f"{MAX_WINDOW_DAYS} (days)"
        )
    return window_days


def burn_rate_tiers(objective: float = 0.999, window_days: int = 30) -> tuple[BurnRateTier, ...]:
    """The four standard SRE Workbook tiers for an objective and an SLO window.

    ``objective`` is a fraction (default 0.999); ``window_days`` the SLO window in days
    (default 30). For 99.9% over 30 days: page 14.4x over 1h/5m and 6x over 6h/30m,
    ticket 3x over 1d/2h and 1x over 3d/6h.
    """
    objective = _check_objective(objective)
    window = timedelta(days=_check_window_days(window_days))
    error_budget = _clean(1 - objective)
    tiers = []
    for severity, consumed, long_window in STANDARD_TIER_SPECS:
        burn_rate = _clean(consumed * (window / long_window))
        tiers.append(
            BurnRateTier(
                severity=severity,
                budget_consumed=consumed,
                long_window=long_window,
                short_window=long_window / SHORT_WINDOW_DIVISOR,
                burn_rate=burn_rate,
                error_ratio_threshold=_clean(burn_rate * error_budget),
            )
        )
    return tuple(tiers)


def service_name_of(service: object) -> str:
    """The name a service runs under: its spec's workload name (the component name, or the
    DNS label derived from a long one), else its ``name`` or ``_name``, else ``"service"``."""
    workload = getattr(getattr(service, "spec", None), "name", None)
    if isinstance(workload, str) and workload:
        return workload
    for attribute in ("name", "_name"):
        value = getattr(service, attribute, None)
        if isinstance(value, str) and value:
            return value
    return "service"


@dataclass(frozen=True)
class Slo:
    """A service level objective over a rolling window.

    ``objective`` is a fraction in (0, 1) (0.999 = 99.9%); ``window_days`` the rolling
    window in days (default 30); ``target`` the component the SLO is about (None for a
    custom SLO); ``threshold_ms`` the latency threshold in milliseconds (latency SLOs
    only); ``good_query``/``total_query`` the good and total event queries (custom SLOs
    only; for Prometheus, PromQL with ``{{.window}}`` where the range goes).
    """

    name: str
    kind: SloKind
    objective: float
    window_days: int = 30
    target: object = field(default=None, repr=False)
    threshold_ms: float | None = None
    good_query: str | None = None
    total_query: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name={self.name!r} is not allowed: use a non-empty string")
        if self.kind not in get_args(SloKind):
            raise ValueError(
                f"kind={self.kind!r} is not allowed: use one of {', '.join(get_args(SloKind))}"
            )
        object.__setattr__(self, "objective", _check_objective(self.objective))
        _check_window_days(self.window_days)
        self._check_threshold()
        self._check_queries()

    def _check_threshold(self) -> None:
        threshold = self.threshold_ms
        if self.kind != "latency":
            if threshold is not None:
                raise ValueError(
                    f"threshold_ms={threshold!r} is not allowed on a {self.kind} SLO: "
                    "it applies only to latency SLOs (leave it None)"
                )
            return
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not math.isfinite(threshold)
            or threshold <= 0
        ):
            raise ValueError(
                f"threshold_ms={threshold!r} is not allowed: a latency SLO needs a threshold in "
                "milliseconds greater than 0, e.g. 300"
            )

    def _check_queries(self) -> None:
        for field_name in ("good_query", "total_query"):
            query = getattr(self, field_name)
            if self.kind != "custom":
                if query is not None:
                    raise ValueError(
                        f"{field_name}={query!r} is not allowed on a {self.kind} SLO: "
                        "queries apply only to custom SLOs (use Slo.custom)"
                    )
            elif not isinstance(query, str) or not query.strip():
                raise ValueError(
                    f"{field_name}={query!r} is not allowed: a custom SLO needs a non-empty "
                    "query string"
                )

    @classmethod
    def availability(
        cls,
        service: object,
        objective: float = 0.999,
        window_days: int = 30,
        name: str | None = None,
    ) -> Slo:
        """Share of requests that do not fail (5xx) must stay >= ``objective`` (default 0.999).

        ``window_days`` defaults to 30; ``name`` to ``"<service>-availability"``.
        """
        service_name = service_name_of(service)
        return cls(
            name=name if name is not None else f"{service_name}-availability",
            kind="availability",
            objective=objective,
            window_days=window_days,
            target=service,
        )

    @classmethod
    def latency(
        cls,
        service: object,
        threshold_ms: float,
        objective: float = 0.99,
        window_days: int = 30,
        name: str | None = None,
    ) -> Slo:
        """Share of requests faster than ``threshold_ms`` (milliseconds) must stay >= ``objective``.

        ``objective`` defaults to 0.99, ``window_days`` to 30, ``name`` to ``"<service>-latency"``.
        """
        service_name = service_name_of(service)
        return cls(
            name=name if name is not None else f"{service_name}-latency",
            kind="latency",
            objective=objective,
            window_days=window_days,
            target=service,
            threshold_ms=threshold_ms,
        )

    @classmethod
    def custom(
        cls,
        name: str,
        good_query: str,
        total_query: str,
        objective: float,
        window_days: int = 30,
        target: object = None,
    ) -> Slo:
        """An SLO on any good/total event ratio; ``window_days`` defaults to 30."""
        return cls(
            name=name,
            kind="custom",
            objective=objective,
            window_days=window_days,
            target=target,
            good_query=good_query,
            total_query=total_query,
        )

    @property
    def service_name(self) -> str:
        """The target's name (``"service"`` when it has none)."""
        return service_name_of(self.target)

    @property
    def window(self) -> timedelta:
        """The SLO window as a timedelta."""
        return timedelta(days=self.window_days)

    @property
    def error_budget(self) -> float:
        """The allowed error ratio, ``1 - objective`` (0.001 for 99.9%)."""
        return _clean(1 - self.objective)

    def error_budget_minutes(self, window: timedelta | float | None = None) -> float:
        """Minutes of full outage the budget allows over ``window``.

        ``window`` is a timedelta or a number of days; default: the SLO window
        (99.9% over 30 days = 43.2 minutes).
        """
        if window is None:
            span = self.window
        elif isinstance(window, timedelta):
            span = window
        elif isinstance(window, int | float) and not isinstance(window, bool) and window > 0:
            span = timedelta(days=window)
        else:
            raise ValueError(
                f"window={window!r} is not allowed: use a timedelta or a number of days > 0"
            )
        return _clean(self.error_budget * span.total_seconds() / 60)

    def tiers(self) -> tuple[BurnRateTier, ...]:
        """The four standard burn-rate tiers for this SLO's objective and window."""
        return burn_rate_tiers(self.objective, self.window_days)
