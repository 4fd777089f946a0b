"""Burn-rate math against the SRE Workbook table, and every bad SLO input refused."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import timedelta

import pytest

from gridops_infra.observability import BurnRateTier, Slo, burn_rate_tiers, format_duration


class _Service:
    """A stand-in for a service component: only its name matters here."""

    def __init__(self, name: str) -> None:
        self.name = name


API = _Service("api")

# SRE Workbook, "Alerting on SLOs", table 5-8 (99.9% over 30 days):
# severity, budget consumed, long window, short window, burn rate, error-ratio threshold.
WORKBOOK_999_30D = [
    ("page", 0.02, "1h", "5m", 14.4, 0.0144),
    ("page", 0.05, "6h", "30m", 6.0, 0.006),
    ("ticket", 0.10, "1d", "2h", 3.0, 0.003),
    ("ticket", 0.10, "3d", "6h", 1.0, 0.001),
]


def _table(tiers: tuple[BurnRateTier, ...]) -> list[tuple[str, float, str, str, float, float]]:
    return [
        (
            t.severity,
            t.budget_consumed,
            t.long_window_label,
            t.short_window_label,
            t.burn_rate,
            t.error_ratio_threshold,
        )
        for t in tiers
    ]


def test_workbook_table_999_over_30_days() -> None:
    slo = Slo.availability(API, objective=0.999)
    assert _table(slo.tiers()) == WORKBOOK_999_30D
    assert _table(burn_rate_tiers(0.999, 30)) == WORKBOOK_999_30D


def test_tier_windows_in_seconds_and_timedelta() -> None:
    page_fast = Slo.availability(API).tiers()[0]
    assert page_fast.long_window == timedelta(hours=1)
    assert page_fast.short_window == timedelta(minutes=5)
    assert (page_fast.long_window_seconds, page_fast.short_window_seconds) == (3600, 300)
    for tier in Slo.availability(API).tiers():
        assert tier.short_window * 12 == tier.long_window
        assert tier.can_fire


def test_99_percent_scales_thresholds_not_burn_rates() -> None:
    tiers = Slo.latency(API, threshold_ms=300, objective=0.99).tiers()
    assert [t.burn_rate for t in tiers] == [14.4, 6.0, 3.0, 1.0]
    assert [t.error_ratio_threshold for t in tiers] == [0.144, 0.06, 0.03, 0.01]


def test_28_day_window_scales_burn_rates() -> None:
    tiers = Slo.availability(API, objective=0.999, window_days=28).tiers()
    # burn_rate = budget_consumed * window_hours / long_window_hours
    assert tiers[0].burn_rate == pytest.approx(0.02 * 672 / 1) == 13.44
    assert tiers[1].burn_rate == pytest.approx(0.05 * 672 / 6) == 5.6
    assert tiers[2].burn_rate == pytest.approx(0.10 * 672 / 24) == 2.8
    assert tiers[3].burn_rate == pytest.approx(0.10 * 672 / 72)
    assert tiers[0].error_ratio_threshold == pytest.approx(0.01344)
    assert [t.long_window_label for t in tiers] == ["1h", "6h", "1d", "3d"]


def test_error_budget_and_minutes() -> None:
    slo = Slo.availability(API, objective=0.999)
    assert slo.error_budget == 0.001
    assert slo.error_budget_minutes() == 43.2
    assert slo.error_budget_minutes(timedelta(days=7)) == pytest.approx(10.08)
    assert slo.error_budget_minutes(28) == pytest.approx(40.32)
    assert Slo.availability(API, objective=0.99).error_budget_minutes() == 432
    with pytest.raises(ValueError, match="window=-1"):
        slo.error_budget_minutes(-1)


def test_low_objective_page_tier_cannot_fire() -> None:
    page_fast = Slo.availability(API, objective=0.9).tiers()[0]
    assert page_fast.error_ratio_threshold == pytest.approx(1.44)
    assert not page_fast.can_fire


def test_constructors_defaults_and_names() -> None:
    availability = Slo.availability(API)
    assert (availability.name, availability.kind, availability.objective) == (
        "api-availability",
        "availability",
        0.999,
    )
    assert availability.window_days == 30
    assert availability.target is API
    assert availability.service_name == "api"

    latency = Slo.latency(API, threshold_ms=300)
    assert (latency.name, latency.objective, latency.threshold_ms) == ("api-latency", 0.99, 300)

    named = Slo.availability(API, name="checkout")
    assert named.name == "checkout"

    custom = Slo.custom("jobs", "sum(rate(ok[{{.window}}]))", "sum(rate(all[{{.window}}]))", 0.99)
    assert (custom.kind, custom.target, custom.service_name) == ("custom", None, "service")

    generic = Slo(name="x", kind="availability", objective=0.95, window_days=7, target=API)
    assert generic.tiers()[0].burn_rate == pytest.approx(0.02 * 168)


def test_service_name_fallbacks() -> None:
    class Private:
        _name = "worker"

    class OutputName:
        name = object()  # e.g. a pulumi.Output: not a str, so ignored
        _name = "cdn"

    assert Slo.availability(Private()).name == "worker-availability"
    assert Slo.availability(OutputName()).name == "cdn-availability"
    assert Slo.availability(object()).name == "service-availability"
    assert Slo.availability(None).name == "service-availability"


def test_slo_is_frozen() -> None:
    slo = Slo.availability(API)
    with pytest.raises(FrozenInstanceError):
        slo.objective = 0.5  # type: ignore[misc]


def test_format_duration() -> None:
    assert [
        format_duration(timedelta(seconds=s)) for s in (30, 300, 1800, 3600, 7200, 86400, 259200)
    ] == ["30s", "5m", "30m", "1h", "2h", "1d", "3d"]
    with pytest.raises(ValueError, match="duration"):
        format_duration(timedelta(0))


@pytest.mark.parametrize("objective", [0, 1, 1.5, -0.1, 0.0, 1.0, float("nan"), True, "0.99"])
def test_bad_objective_refused(objective: object) -> None:
    with pytest.raises(ValueError, match=r"objective=.*\(0, 1\)") as info:
        Slo.availability(API, objective=objective)  # type: ignore[arg-type]
    assert repr(objective) in str(info.value)
    with pytest.raises(ValueError, match="objective="):
        burn_rate_tiers(objective, 30)  # type: ignore[arg-type]


@pytest.mark.parametrize("threshold_ms", [0, -1, -300.5, float("inf"), None, "300"])
def test_bad_threshold_refused(threshold_ms: object) -> None:
    with pytest.raises(ValueError, match=r"threshold_ms=.*greater than 0") as info:
        Slo.latency(API, threshold_ms=threshold_ms)  # type: ignore[arg-type]
    assert repr(threshold_ms) in str(info.value)


@pytest.mark.parametrize("window_days", [0, 100, 91, -30, 30.0, True])
def test_bad_window_days_refused(window_days: object) -> None:
    with pytest.raises(ValueError, match=r"window_days=.*1 to 90") as info:
        Slo.availability(API, window_days=window_days)  # type: ignore[arg-type]
    assert repr(window_days) in str(info.value)


@pytest.mark.parametrize("window_days", [1, 2])
def test_window_too_short_for_3d_tier_refused(window_days: int) -> None:
    with pytest.raises(ValueError, match=rf"window_days={window_days} is shorter than the 3d"):
        Slo.availability(API, window_days=window_days)
    with pytest.raises(ValueError, match="window_days="):
        burn_rate_tiers(0.999, window_days)
    assert Slo.availability(API, window_days=3).tiers()[3].burn_rate == pytest.approx(0.1)
    assert Slo.availability(API, window_days=90).window_days == 90


@pytest.mark.parametrize(
    ("good", "total", "field"),
    [
        ("", "sum(rate(all[{{.window}}]))", "good_query"),
        ("sum(rate(ok[{{.window}}]))", "   ", "total_query"),
        (None, "sum(rate(all[{{.window}}]))", "good_query"),
    ],
)
def test_empty_custom_query_refused(good: object, total: object, field: str) -> None:
    with pytest.raises(ValueError, match=rf"{field}=.*non-empty"):
        Slo.custom("jobs", good, total, 0.99)  # type: ignore[arg-type]


def test_fields_of_other_kinds_refused() -> None:
    with pytest.raises(ValueError, match=r"threshold_ms=300 .*only to latency"):
        Slo(name="a", kind="availability", objective=0.999, threshold_ms=300)
    with pytest.raises(ValueError, match=r"good_query='x' .*only to custom"):
        Slo(name="a", kind="latency", objective=0.99, threshold_ms=300, good_query="x")


def test_bad_name_and_kind_refused() -> None:
    with pytest.raises(ValueError, match="name=''"):
        Slo(name="", kind="availability", objective=0.999)
    with pytest.raises(ValueError, match=r"kind='throughput' .*availability, latency, custom"):
        Slo(name="a", kind="throughput", objective=0.999)  # type: ignore[arg-type]
