"""Stage 1, single-server: the honest MVP on one EC2 host.

One Graviton host in a public subnet behind an Elastic IP (80/443 only, SSM instead of
SSH; HTTPS on the address itself with a Let's Encrypt IP-address certificate, or on
`gridops:domain`), the API and the SQS job worker as containers, PostgreSQL in a container
on an encrypted data volume with daily EBS snapshots and a nightly pg_dump to a versioned,
encrypted S3 bucket whose requests are access-logged to a bucket of their own.
Keys: stacks/README.md.
"""

from __future__ import annotations

import pulumi

from gridops_infra import Network, SingleServer, SingleServerArgs, SqsWorkerQueue, StatelessService

from .app import api_args, export_cutover_outputs, stack_budget
from .config import StageConfig, nat_strategy
from .environment import read_environment
from .images import workload_images


def build(cfg: StageConfig) -> None:
    env = read_environment(cfg)
    net = Network(
        cfg.text("network_name", "mvp"),
        {
            "az_count": cfg.integer("az_count", 2),
            "nat": nat_strategy(cfg, "none"),
            "tags": env.tags,
        },
    )
    server = SingleServer(
        cfg.text("server_name", "mvp"),
        {
            "network": net,
            "instance_type": cfg.text("instance_type", "t4g.medium"),
            "data_volume_gb": cfg.integer("data_volume_gb", 50),
            "tags": env.tags,
            **_domain_args(cfg),
        },
    )
    database = server.database
    assert database is not None  # the stage keeps the host's own PostgreSQL
    images = workload_images(cfg)
    # One host cannot autoscale: the API runs min_count replicas and the worker
    # max(min_workers, 1); the maxima are recorded on the containers for the next stage.
    jobs = SqsWorkerQueue(
        "jobs",
        {
            "platform": server,
            "image": images.worker,
            "max_workers": cfg.integer("worker_max_count", 20),
            "links": [database, *images.worker_links],
            "tags": env.tags,
        },
    )
    api = StatelessService(
        "api",
        api_args(
            cfg,
            env,
            server,
            [database, jobs, *images.api_links],
            counts=(1, 1),
            image=images.api,
        ),
    )
    # No ObservabilityStack on this stage: the budget alerts the server's alarm topic.
    stack_budget(cfg, env, server)
    pulumi.export("url", api.url)
    pulumi.export("jobs_queue_url", jobs.queue_url)
    pulumi.export("vpc_id", net.vpc_id)
    pulumi.export("instance_id", server.instance_id)
    pulumi.export("backup_bucket", server.backup_bucket)
    export_cutover_outputs({"ip": server.public_ip}, jobs)


def _domain_args(cfg: StageConfig) -> SingleServerArgs:
    """With `gridops:domain`, Caddy serves HTTPS there (Let's Encrypt) and HTTP redirects;
    without it, HTTPS on the Elastic IP (SingleServer `ip_certificate`, its default). The A
    record is the stage's own unless `gridops:domain_records` is false."""
    domain = cfg.domain()
    if domain is None:
        return {}
    records = cfg.flag("domain_records", True)
    return {"domain": domain.name, "zone_id": domain.zone_id, "dns_record": records}
