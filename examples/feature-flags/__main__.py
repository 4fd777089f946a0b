"""Feature flags for an API on Fargate: the flags live in AWS AppConfig, a change rolls out
to 20% more of the API's tasks every interval over 10 minutes and is watched 10 more; if
the API's 5xx alarm or its SLO alarm fires meanwhile, AppConfig rolls the flags back. The
API reads them from the AppConfig Agent beside it at GRIDOPS_FLAGS_URL."""

import pulumi

from gridops_infra import (
    FargateCluster,
    FeatureFlags,
    Network,
    ObservabilityStack,
    Slo,
    StatelessService,
)

net = Network("shop", {"az_count": 2, "nat": "single"})
cluster = FargateCluster("shop", {"network": net})
flags = FeatureFlags(
    "shop-flags",
    {
        "flags": {
            "new-checkout": {"enabled": False, "description": "The new checkout flow"},
            "search": {
                "enabled": True,
                "description": "Search results",
                "attributes": {
                    "page-size": {"value": 25, "minimum": 1, "maximum": 100},
                    "ranking": {"value": "relevance", "enum": ["relevance", "newest"]},
                },
            },
        },
        "strategy": {"growth_factor": 20, "deployment_minutes": 10, "final_bake_minutes": 10},
    },
)
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "cpu": 256,
        "memory": 512,
        "min_count": 2,
        "max_count": 4,
        "health_check_path": "/healthz",
        "slo_rollback": True,
        "links": [flags],
    },
)
ObservabilityStack(
    "shop",
    {
        "resources": [api],
        # Its fast-burn page alarms form the composite the API rolls back on
        # (slo_rollback), which also watches every flag rollout.
        "slos": [Slo.availability(api, objective=0.999)],
        "alert_emails": ["oncall@example.com"],
    },
)

pulumi.export("url", api.url)
pulumi.export("flags_url", flags.url)
pulumi.export("flags_application_id", flags.application_id)
