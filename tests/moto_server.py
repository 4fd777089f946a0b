"""AWS's APIs as moto's server answers them on loopback, for tests of code that calls boto3
(the queue drain, `gridops baseline`): a real HTTP endpoint, no hand-written fake."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
#: moto accepts any key pair; these name themselves as test keys.
TEST_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@contextmanager
def moto_endpoint() -> Iterator[str]:
    """A moto server on 127.0.0.1 (a free port), with no resources, for the duration of
    the block; stopped (its thread joined, the port closed) when the block ends, however
    it ends. One at a time per process: moto's state is shared by every server in it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its backends per process, not per server: a server started after another
    # in the same test process would see that one's resources unless they are reset.
    moto_api(endpoint, "reset", b"")
    try:
        yield endpoint
    finally:
        server.stop()


def aws_client(endpoint: str, service: str, region: str = REGION, **keys: str) -> Any:
    """A boto3 client of `service` talking to the moto server at `endpoint`."""
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **(keys or TEST_KEYS))


def moto_api(endpoint: str, path: str, body: Any) -> None:
    """POST to moto's own configuration API (``/moto-api/...``), e.g. Cost Explorer results."""
    raw = isinstance(body, bytes)
    request = urllib.request.Request(
        f"{endpoint}/moto-api/{path}",
        data=body if raw else json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "text/plain" if raw else "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        reply.read()
