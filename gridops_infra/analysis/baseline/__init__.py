"""`gridops baseline`: the measured baseline, read from a live AWS account (read-only, with
the user's own credentials) over a time window, written as the metrics file `gridops
assess` reads.

Every figure names its source and window under ``sources``; a figure that cannot be read
is left out and listed, with the reason, in the file's header comments (and on the
terminal): never guessed. One reader per source:

=================================  =====================================================
field                              read from
=================================  =====================================================
``current_stage``                  ``--stage``, else detected (:mod:`.stage`)
``p95_latency_ms``                 ALB TargetResponseTime p95 (CloudWatch's own p95 over
                                   the window), or CloudFront OriginLatency p95 when the
                                   account has no ALB (:mod:`.alb`, :mod:`.cloudfront`)
``error_rate_percent``             ALB (target 5xx + load-balancer 5xx) / requests, or
                                   CloudFront 5xxErrorRate weighted by requests
``error_rate_during_campaigns_     the same over ``--campaign START/END`` only
percent``
``slo_objective``                  ``--slo`` only
``db_p95_query_ms``                Aurora MySQL SelectLatency; no other engine publishes a
                                   query latency (:mod:`.rds` says why)
``mttr_minutes``                   mean ALARM -> next OK in CloudWatch alarm history
                                   (:mod:`.alarms`)
``deploy_lead_time_minutes``,      ECS ListServiceDeployments (:mod:`.ecs`), or GitHub's
``deploys_per_week``               deployments API with ``--github`` (:mod:`.github`)
``monthly_cost_usd``               Cost Explorer GetCostAndUsage (:mod:`.cost`)
``drills``,                        FIS experiments of ResilienceDrills' templates
``drill_recovery_minutes``         (:mod:`.drills`)
``utilization``                    ECS services and workers, RDS instances, ElastiCache
                                   clusters: CPU, memory, connections (p95 of 5-minute
                                   averages; :mod:`.metrics`)
=================================  =====================================================

``utilization`` rows: ``kind`` (service | worker | database | cache), ``name``, then
``cpu_units`` and ``memory_mib`` (service/worker, the task definition's task size),
``instance_class`` (database), ``node_type`` (cache), ``cpu_p95_percent``,
``memory_p95_percent``, ``connections_max`` (database, cache); a figure without
datapoints is left out of its row. ``drills`` rows: ``template``, ``started`` (ISO),
``state``, ``recovery_minutes`` (finished drills only). ``sources``: field ->
``{source, window}`` (``window`` is ``<ISO start>/<ISO end>``; absent for given values).
"""

from gridops_infra.analysis.baseline.aws import Aws, BaselineError, NotMeasured
from gridops_infra.analysis.baseline.document import render
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.run import STEPS, Options, read_baseline
from gridops_infra.analysis.baseline.window import Window, WindowError, campaign_window, window_for

__all__ = [
    "STEPS",
    "Aws",
    "BaselineError",
    "NotMeasured",
    "Options",
    "Reading",
    "Window",
    "WindowError",
    "campaign_window",
    "read_baseline",
    "render",
    "window_for",
]
