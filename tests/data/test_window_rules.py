"""AWS window and size rules that RDS and ElastiCache enforce only at deploy time, refused
up front: RDS backup/maintenance windows (>= 30 minutes, no overlap), ElastiCache
snapshot/maintenance windows (>= 60 minutes, no overlap) and nodes per replication group
(<= 500). One preview runs every bad call (each caught inside the program)."""

from __future__ import annotations

import pytest

from gridops_infra.core import maintenance_windows as mw
from gridops_infra.data.postgres.component import ManagedPostgresWithReplicas
from gridops_infra.data.postgres.settings import parse_postgres_args
from gridops_infra.data.redis.component import RedisCache
from gridops_infra.data.redis.settings import parse_cache_args
from gridops_infra.network.component import Network
from gridops_infra.testing import preview

AURORA = {"engine_mode": "aurora"}
PG = "ManagedPostgresWithReplicas 'db': "
CACHE = "RedisCache 'cache': "
RDS_INSTANCE = "aws:rds/instance:Instance"
GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"

# -- the window arithmetic ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "minutes"),
    [
        ("03:00-04:00", 180, 60),
        ("23:30-00:30", 23 * 60 + 30, 60),  # crosses midnight
        ("00:00-23:59", 0, 1439),  # the longest a daily window can be
        ("03:00-03:00", 180, 0),  # empty, not a whole day
    ],
)
def test_daily_windows_are_minute_ranges_of_the_day(text, start, minutes) -> None:
    window = mw.parse_daily(text)
    assert window == mw.Window(text, start, minutes, mw.MINUTES_PER_DAY)
    assert window is not None
    assert window.week_starts() == [start + day * mw.MINUTES_PER_DAY for day in range(7)]


@pytest.mark.parametrize(
    ("text", "start", "minutes"),
    [
        ("mon:00:00-mon:00:30", 0, 30),
        ("sun:04:30-sun:05:30", 6 * 1440 + 270, 60),
        ("sat:23:00-sun:01:00", 5 * 1440 + 1380, 120),  # crosses midnight into Sunday
        ("sun:23:00-mon:01:00", 6 * 1440 + 1380, 120),  # crosses the week's end
        ("mon:01:00-mon:00:00", 60, mw.MINUTES_PER_WEEK - 60),
    ],
)
def test_weekly_windows_are_minute_ranges_of_the_week(text, start, minutes) -> None:
    window = mw.parse_weekly(text)
    assert window == mw.Window(text, start, minutes, mw.MINUTES_PER_WEEK)
    assert window is not None
    assert window.week_starts() == [start]


@pytest.mark.parametrize(
    "text", ["24:00-01:00", "3:00-04:00", "03:60-04:00", "03:00-04:00 ", "sun:03:00-sun:04:00"]
)
def test_malformed_daily_windows_parse_to_none(text) -> None:
    assert mw.parse_daily(text) is None


@pytest.mark.parametrize(
    "text", ["Sun:04:30-Sun:05:30", "sun:4:30-sun:5:30", "sunday:04:30-sunday:05:30", "04:30-05:30"]
)
def test_malformed_weekly_windows_parse_to_none(text) -> None:
    assert mw.parse_weekly(text) is None


@pytest.mark.parametrize(
    ("daily", "weekly", "expected"),
    [
        ("04:00-05:00", "sun:04:30-sun:05:30", True),
        ("03:00-04:30", "sun:04:30-sun:05:30", False),  # touches the start
        ("05:30-06:00", "sun:04:30-sun:05:30", False),  # touches the end
        ("05:29-06:00", "sun:04:30-sun:05:30", True),
        ("23:30-00:30", "sun:00:00-sun:00:15", True),  # Saturday's run spills into Sunday
        ("23:30-00:30", "mon:00:30-mon:01:30", False),
        ("00:00-00:30", "sun:23:00-mon:00:15", True),  # maintenance crosses the week's end
        ("00:15-00:45", "sun:23:00-mon:00:15", False),
        ("00:30-01:30", "sat:23:00-sun:01:00", True),
        ("01:00-02:00", "sat:23:00-sun:01:00", False),
        ("10:00-11:00", "wed:09:00-wed:12:00", True),  # inside it
        ("08:00-13:00", "wed:09:00-wed:12:00", True),  # around it
        ("03:00-03:00", "sun:03:00-sun:04:00", False),  # an empty window overlaps nothing
    ],
)
def test_daily_window_overlaps_weekly_window_on_any_day(daily, weekly, expected) -> None:
    d, w = mw.parse_daily(daily), mw.parse_weekly(weekly)
    assert d is not None and w is not None
    assert mw.overlaps(d, w) is expected
    assert mw.overlaps(w, d) is expected


# -- refusals -----------------------------------------------------------------------------

PG_BAD: list[tuple[str, dict, str, str]] = [
    (
        "backup overlaps the default maintenance window",
        {"backup_window": "04:00-05:00"},
        "backup_window",
        "overlaps maintenance_window='sun:04:30-sun:05:30'",
    ),
    (
        "aurora backup overlaps the default maintenance window",
        {**AURORA, "backup_window": "04:00-05:00"},
        "backup_window",
        "overlaps maintenance_window",
    ),
    ("backup of 10 minutes", {"backup_window": "03:00-03:10"}, "backup_window", "is 10"),
    ("backup of 29 minutes", {"backup_window": "03:00-03:29"}, "backup_window", "is 29"),
    ("empty backup window", {"backup_window": "03:00-03:00"}, "backup_window", "is 0"),
    (
        "maintenance of 5 minutes",
        {"maintenance_window": "sun:04:30-sun:04:35"},
        "maintenance_window",
        "RDS requires at least 30 minutes",
    ),
    (
        "aurora maintenance of 5 minutes",
        {**AURORA, "maintenance_window": "sun:04:30-sun:04:35"},
        "maintenance_window",
        "at least 30 minutes",
    ),
    (
        "maintenance alone overlaps the default backup window",
        {"maintenance_window": "mon:03:30-mon:04:30"},
        "maintenance_window",
        "overlaps backup_window='03:00-04:00'",
    ),
    (
        "backup across midnight into Sunday maintenance",
        {"backup_window": "23:45-00:15", "maintenance_window": "sun:00:00-sun:01:00"},
        "backup_window",
        "overlaps maintenance_window",
    ),
    (
        "maintenance across the week's end over the backup",
        {"backup_window": "00:00-00:30", "maintenance_window": "sun:23:00-mon:00:15"},
        "backup_window",
        "overlaps maintenance_window",
    ),
    (
        "backup inside a Saturday-to-Sunday maintenance window",
        {"backup_window": "00:30-01:30", "maintenance_window": "sat:23:00-sun:01:00"},
        "backup_window",
        "overlaps maintenance_window",
    ),
]

CACHE_BAD: list[tuple[str, dict, str, str]] = [
    ("1000 nodes", {"shards": 500, "replicas": 1}, "shards", "500 x (1 + 1) = 1000 nodes"),
    ("501 nodes", {"shards": 167, "replicas": 2}, "shards", "must be <= 500"),
    ("504 nodes", {"shards": 84, "replicas": 5}, "shards", "= 504 nodes"),
    (
        "maintenance of 10 minutes",
        {"maintenance_window": "sun:05:00-sun:05:10"},
        "maintenance_window",
        "ElastiCache requires at least 60 minutes, this window is 10",
    ),
    (
        "maintenance of 59 minutes",
        {"maintenance_window": "sun:05:00-sun:05:59"},
        "maintenance_window",
        "is 59",
    ),
    ("snapshot of 30 minutes", {"snapshot_window": "02:00-02:30"}, "snapshot_window", "is 30"),
    (
        "snapshot overlaps the default maintenance window",
        {"snapshot_window": "05:30-06:30"},
        "snapshot_window",
        "overlaps maintenance_window='sun:05:00-sun:06:00'",
    ),
    (
        "maintenance alone overlaps the default snapshot window",
        {"maintenance_window": "wed:02:30-wed:03:30"},
        "maintenance_window",
        "overlaps snapshot_window='02:00-03:00'",
    ),
    (
        "snapshot across midnight over week-wrapping maintenance",
        {"snapshot_window": "23:30-00:30", "maintenance_window": "sun:23:00-mon:00:00"},
        "snapshot_window",
        "overlaps maintenance_window",
    ),
]


@pytest.fixture(scope="module")
def refusals():
    errors: dict[str, str | None] = {}

    def attempt(key: str, component: type, name: str, args: dict) -> None:
        try:
            component(name, args)
        except ValueError as exc:
            errors[key] = str(exc)
        else:
            errors[key] = None

    def program() -> None:
        net = Network("prod", {"az_count": 3})
        for case, args, _, _ in PG_BAD:
            attempt(f"pg {case}", ManagedPostgresWithReplicas, "db", {"network": net, **args})
        for case, args, _, _ in CACHE_BAD:
            attempt(f"cache {case}", RedisCache, "cache", {"network": net, **args})

    return preview(program, stack="fargate"), errors


@pytest.mark.parametrize(("case", "args", "field", "detail"), PG_BAD, ids=[c for c, *_ in PG_BAD])
def test_postgres_refuses_windows_rds_would_refuse(refusals, case, args, field, detail) -> None:
    message = refusals[1][f"pg {case}"]
    assert message is not None, f"{case}: {args} was accepted"
    assert message.startswith(f"{PG}{field}=")
    assert detail in message


@pytest.mark.parametrize(
    ("case", "args", "field", "detail"), CACHE_BAD, ids=[c for c, *_ in CACHE_BAD]
)
def test_cache_refuses_what_elasticache_would_refuse(refusals, case, args, field, detail) -> None:
    message = refusals[1][f"cache {case}"]
    assert message is not None, f"{case}: {args} was accepted"
    assert message.startswith(f"{CACHE}{field}=")
    assert detail in message


def test_refusal_messages_say_what_is_allowed(refusals) -> None:
    errors = refusals[1]
    assert errors["pg backup overlaps the default maintenance window"] == (
        f"{PG}backup_window='04:00-05:00' is not allowed; it overlaps "
        "maintenance_window='sun:04:30-sun:05:30'; RDS requires the backup_window and the "
        "maintenance_window not to overlap (they may touch: one ending at 04:00, the other "
        "starting at 04:00)"
    )
    assert errors["cache 1000 nodes"] == (
        f"{CACHE}shards=500 is not allowed; shards x (replicas + 1) must be <= 500 "
        "(ElastiCache's limit of nodes per cluster-mode replication group); "
        "500 x (1 + 1) = 1000 nodes"
    )


def test_nothing_was_registered_for_any_refused_call(refusals) -> None:
    plan, _ = refusals
    assert plan.of_type("gridops:aws:Network")  # the program did run
    leaked = [r.name for r in plan.resources if not r.urn.split("::")[-1].startswith("prod")]
    assert leaked == []


# -- edge cases that must pass ------------------------------------------------------------

PG_GOOD: list[tuple[str, dict]] = [
    ("backup of exactly 30 minutes", {"backup_window": "03:00-03:30"}),
    ("maintenance of exactly 30 minutes", {"maintenance_window": "sun:04:30-sun:05:00"}),
    ("aurora windows of exactly 30 minutes", {**AURORA, "backup_window": "03:00-03:30",
                                              "maintenance_window": "sun:04:30-sun:05:00"}),
    ("backup across midnight", {"backup_window": "23:30-00:30"}),
    ("maintenance across the week's end", {"maintenance_window": "sun:23:00-mon:01:00"}),
    ("backup ends as maintenance starts", {"backup_window": "04:00-04:30"}),
    ("backup starts as maintenance ends", {"backup_window": "05:30-06:00"}),
    (
        "backup right after a Saturday-to-Sunday maintenance",
        {"backup_window": "01:00-02:00", "maintenance_window": "sat:23:00-sun:01:00"},
    ),
    (
        "backup across midnight ending as maintenance starts",
        {"backup_window": "23:30-00:30", "maintenance_window": "mon:00:30-mon:01:00"},
    ),
]  # fmt: skip

CACHE_GOOD: list[tuple[str, dict]] = [
    ("250 shards x 2 nodes", {"shards": 250, "replicas": 1}),
    ("100 shards x 5 nodes", {"shards": 100, "replicas": 4}),
    ("500 shards without replicas", {"shards": 500, "replicas": 0, "multi_az": False}),
    ("83 shards x 6 nodes", {"shards": 83, "replicas": 5}),
    ("maintenance of exactly 60 minutes", {"maintenance_window": "tue:10:00-tue:11:00"}),
    ("snapshot of exactly 60 minutes across midnight", {"snapshot_window": "23:30-00:30"}),
    (
        "snapshot right after maintenance across the week's end",
        {"snapshot_window": "00:30-01:30", "maintenance_window": "sun:23:30-mon:00:30"},
    ),
    ("snapshot ends as maintenance starts", {"snapshot_window": "04:00-05:00"}),
]


@pytest.fixture(scope="module")
def accepted():
    """Each edge case through the component's own argument checks (what the constructor
    runs before registering), plus one full build of each component with edge windows."""
    outcome: dict[str, object] = {}

    def program() -> None:
        net = Network("prod", {"az_count": 3})
        for case, args in PG_GOOD:
            outcome[f"pg {case}"] = parse_postgres_args("db", {"network": net, **args})[0]
        for case, args in CACHE_GOOD:
            outcome[f"cache {case}"] = parse_cache_args("cache", {"network": net, **args})[0]
        pg_edge = dict(PG_GOOD)["backup across midnight ending as maintenance starts"]
        ManagedPostgresWithReplicas("db", {"network": net, **pg_edge})
        cache_edge = dict(CACHE_GOOD)["snapshot right after maintenance across the week's end"]
        RedisCache("cache", {"network": net, **cache_edge})

    return preview(program, stack="fargate"), outcome


@pytest.mark.parametrize(("case", "args"), PG_GOOD, ids=[c for c, _ in PG_GOOD])
def test_postgres_accepts_edge_windows(accepted, case, args) -> None:
    settings = accepted[1][f"pg {case}"]
    assert settings.backup_window == args.get("backup_window", "03:00-04:00")
    assert settings.maintenance_window == args.get("maintenance_window", "sun:04:30-sun:05:30")


@pytest.mark.parametrize(("case", "args"), CACHE_GOOD, ids=[c for c, _ in CACHE_GOOD])
def test_cache_accepts_edge_windows_and_node_counts(accepted, case, args) -> None:
    settings = accepted[1][f"cache {case}"]
    assert settings.snapshot_window == args.get("snapshot_window", "02:00-03:00")
    assert settings.maintenance_window == args.get("maintenance_window", "sun:05:00-sun:06:00")
    assert settings.shards == args.get("shards")
    assert settings.replicas == args.get("replicas", 1)


def test_edge_windows_reach_the_resources(accepted) -> None:
    plan, _ = accepted
    db = plan.one(RDS_INSTANCE, "db-primary")
    assert db.inputs["backupWindow"] == "23:30-00:30"
    assert db.inputs["maintenanceWindow"] == "mon:00:30-mon:01:00"
    group = plan.one(GROUP)
    assert group.inputs["snapshotWindow"] == "00:30-01:30"
    assert group.inputs["maintenanceWindow"] == "sun:23:30-mon:00:30"
