"""The move from the single server to the managed stage, in one program on one VPC:
PostgresReplication needs the SingleServer and the ManagedPostgresWithReplicas objects
themselves, and DMS must reach both databases from one network.

Each step of the move is one config change under `move:` (README.md):
`move:replication` on/off, then `move:weight` through `move:weights`, then `move:done`.
"""

import pulumi

from gridops_infra import (
    CdnFrontend,
    FargateCluster,
    ManagedPostgresWithReplicas,
    Network,
    PostgresReplication,
    SingleServer,
    StatelessService,
    TrafficCutover,
)

move = pulumi.Config("move")
image = move.require("image")
domain = move.require("domain")
zone_id = move.require("zone_id")
replication = move.get("replication") or "off"
if replication not in ("on", "off"):
    raise ValueError(f"config move:replication={replication!r}: expected on or off")
cutover_started = move.get("weight") is not None

net = Network("shop", {"az_count": 2, "nat": "single"})

# The old side: the running single server. It holds the public name's A record until the
# cut-over's weighted records take the name over.
server = SingleServer(
    "mvp",
    {
        "network": net,
        "domain": domain,
        "zone_id": zone_id,
        "dns_record": not cutover_started,
        **({"replication_source": {}} if replication == "on" else {}),
    },
)
assert server.database is not None  # the server keeps its own PostgreSQL
StatelessService(
    "mvp-api",
    {"platform": server, "image": image, "port": 8080, "links": [server.database]},
)

# The new side: the managed stage. DMS reads the target's host and port from its secret,
# which only credentials="random" writes.
cluster = FargateCluster("prod", {"network": net, "behind_cdn": True})
db = ManagedPostgresWithReplicas(
    "db", {"network": net, "instance_class": "db.t4g.medium", "credentials": "random"}
)
api = StatelessService(
    "api",
    {
        "platform": cluster,
        "image": image,
        "port": 8080,
        "min_count": 2,
        "max_count": 6,
        "health_check_path": "/healthz",
        "links": [db],
    },
)
# CloudFront serves the public name (its certificate and alternate domain name) without
# holding its record: the cut-over's weighted records do.
cdn = CdnFrontend(
    "web", {"api_origin": api, "domain": domain, "zone_id": zone_id, "alias_records": False}
)

if replication == "on":
    copy = PostgresReplication("move", {"source": server, "target": db})
    pulumi.export("replication_config_arn", copy.replication_config_arn)

if cutover_started:
    cutover = TrafficCutover(
        "shop",
        {
            "zone_id": zone_id,
            "record_name": domain,
            "old": {"ip": server.public_ip, "set_identifier": "single-server"},
            "new": {
                "alias": {"dns_name": cdn.domain_name, "zone_id": cdn.distribution.hosted_zone_id},
                "set_identifier": "fargate",
            },
            "weight_percent": move.require_int("weight"),
            "steps": move.get_object("weights") or [0, 10, 50, 100],
            "done": move.get_bool("done") or False,
            "rollback": {"cloudfront_distribution_id": cdn.distribution_id},
        },
    )
    pulumi.export("weights", cutover.weights)
    pulumi.export("health_check_id", cutover.health_check_id)

pulumi.export("old_url", server.url)
pulumi.export("new_url", cdn.url)
pulumi.export("db_writer_endpoint", db.writer_endpoint)
