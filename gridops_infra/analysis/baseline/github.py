"""Deploy frequency and lead time from GitHub's deployments API, for ``--github
OWNER/REPO`` (a token from GITHUB_TOKEN or GH_TOKEN).

A deployment counts when it reached the ``success`` state; its lead time is from the
deployment's creation to its first ``success`` status (what GitHub records; the time from
merge to the deployment's creation is not in it). Deployments are read newest first,
100 a page, until one was created before the window.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from statistics import fmean
from typing import Any

from gridops_infra.analysis.baseline.aws import NotMeasured, utc
from gridops_infra.analysis.baseline.reading import Reading
from gridops_infra.analysis.baseline.window import Window

API = "https://api.github.com"
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")


def token() -> str:
    for name in TOKEN_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    raise NotMeasured("--github needs a token in GITHUB_TOKEN or GH_TOKEN")


def _get(url: str, secret: str) -> Any:
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {secret}",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as reply:
            return json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        raise NotMeasured(f"GitHub answered HTTP {exc.code} for {url.split('?')[0]}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise NotMeasured(f"cannot reach GitHub ({url.split('?')[0]}): {exc}") from None


def lead_times(
    deployments: list[dict[str, Any]], statuses: dict[int, list[dict[str, Any]]], window: Window
) -> list[float]:
    """Minutes from creation to first success, for deployments created in the window."""
    minutes = []
    for deployment in deployments:
        created = utc(deployment["created_at"])
        if not window.contains(created):
            continue
        successes = [
            utc(s["created_at"])
            for s in statuses.get(deployment["id"], [])
            if s.get("state") == "success"
        ]
        if successes:
            minutes.append((min(successes) - created).total_seconds() / 60)
    return minutes


def read(repository: str, environment: str, window: Window, reading: Reading) -> None:
    secret = token()
    deployments: list[dict[str, Any]] = []
    page = 1
    while True:
        batch = _get(
            f"{API}/repos/{repository}/deployments?environment={urllib.parse.quote(environment)}"
            f"&per_page=100&page={page}",
            secret,
        )
        deployments += batch
        if len(batch) < 100 or utc(batch[-1]["created_at"]) < window.start:
            break
        page += 1
    in_window = [d for d in deployments if window.contains(utc(d["created_at"]))]
    statuses = {
        d["id"]: _get(
            f"{API}/repos/{repository}/deployments/{d['id']}/statuses?per_page=100", secret
        )
        for d in in_window
    }
    record(lead_times(in_window, statuses, window), repository, environment, window, reading)


def record(
    minutes: list[float], repository: str, environment: str, window: Window, reading: Reading
) -> None:
    source = f"GitHub deployments API, {repository} environment {environment}, deployments with a success status"
    reading.put("deploys_per_week", round(len(minutes) / window.weeks, 2), source, window)
    if not minutes:
        raise NotMeasured(f"no deployment of {repository} to {environment} succeeded in the window")
    reading.put(
        "deploy_lead_time_minutes",
        round(fmean(minutes), 1),
        source + f"; mean of creation -> first success over {len(minutes)} deployments",
        window,
    )
