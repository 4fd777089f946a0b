"""A static site: files uploaded from ./site to an encrypted, private bucket that only
this CloudFront distribution can read (Origin Access Control), HTTPS only, HTTP/2 and 3,
security headers, access logs with retention."""

from pathlib import Path

import pulumi

from gridops_infra import CdnFrontend

site = CdnFrontend(
    "www",
    {
        "static_site": True,
        "static_dir": str(Path(__file__).parent / "site"),
    },
)

pulumi.export("url", site.url)
pulumi.export("distribution_id", site.distribution_id)
