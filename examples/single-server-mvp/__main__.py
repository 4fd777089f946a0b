"""The MVP on one host: the API and a queue worker as containers on a SingleServer, its
own PostgreSQL, and CloudFront in front (the host admits nothing else)."""

import pulumi

from gridops_infra import CdnFrontend, Network, SingleServer, SqsWorkerQueue, StatelessService

net = Network("mvp", {"az_count": 2, "nat": "none"})
server = SingleServer("mvp", {"network": net, "instance_type": "t4g.medium", "behind_cdn": True})
emails = SqsWorkerQueue(
    "emails",
    {
        "platform": server,
        "image": "ghcr.io/acme/mailer:0.9.0",
        "links": [server.database],
    },
)
api = StatelessService(
    "api",
    {
        "platform": server,
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "health_check_path": "/healthz",
        "links": [server.database, emails],
    },
)
web = CdnFrontend("web", {"api_origin": api})

pulumi.export("url", web.url)
pulumi.export("instance_id", server.instance_id)
pulumi.export("backup_bucket", server.backup_bucket)
