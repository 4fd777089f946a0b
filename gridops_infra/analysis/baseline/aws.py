"""Every AWS call `gridops baseline` makes goes through :class:`Aws`: one place that names
the IAM action of each call (the shipped read-only policy is checked against the calls in
this package's code), records what was called, and turns botocore's errors into one line.

Two outcomes of a failed call:

- :class:`BaselineError` (nothing can be read): no credentials, credentials AWS rejects, no
  Region, an endpoint that cannot be reached. The command stops with that one line.
- :class:`NotMeasured` (this figure cannot be read): access denied to one action, throttling
  that outlasted the retries, an action the endpoint does not offer or fails on. The figure
  is left out and listed with the reason; the other figures are still read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

IAM_PREFIX = {"elbv2": "elasticloadbalancing"}
"""boto3 client names whose IAM service prefix differs from the client name."""

CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "ExpiredToken",
        "ExpiredTokenException",
        "AuthFailure",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "InvalidSignatureException",
    }
)
DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"}
)
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "LimitExceededException",
    }
)


class BaselineError(ValueError):
    """Nothing can be read (credentials, Region, endpoint); the message is one line."""


class NotMeasured(Exception):
    """One figure cannot be read; the message (one line) says why."""


def iam_action(service: str, operation: str) -> str:
    """``cloudwatch``/``GetMetricData`` -> ``cloudwatch:GetMetricData``."""
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


@cache
def _allowed() -> frozenset[str]:
    from gridops_infra.analysis.baseline.policy import actions

    return frozenset(actions())


def _first_line(text: str) -> str:
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    return line[:200]


@dataclass
class Aws:
    """boto3 clients on one session (the user's profile, Region, optional endpoint)."""

    session: Any
    region: str
    endpoint_url: str | None = None
    called: list[str] = field(default_factory=list)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)

    def client(self, service: str, region: str | None = None) -> Any:
        from botocore.config import Config

        key = (service, region or self.region)
        if key not in self._clients:
            # Standard retries back off on throttling; AWS_MAX_ATTEMPTS still sets how often.
            config = Config(retries={"mode": "standard"}, connect_timeout=5, read_timeout=30)
            self._clients[key] = self.session.client(
                service, region_name=key[1], endpoint_url=self.endpoint_url, config=config
            )
        return self._clients[key]

    def call(
        self, service: str, operation: str, /, region: str | None = None, **params: Any
    ) -> Any:
        """One AWS API call, e.g. ``aws.call("ecs", "ListServices", cluster=arn)``."""
        from botocore import xform_name

        action = iam_action(service, operation)
        if action not in _allowed():
            raise RuntimeError(f"{action} is not in the shipped read-only policy: add it there")
        self.called.append(action)
        method = getattr(self.client(service, region), xform_name(operation))
        try:
            return method(**params)
        except Exception as exc:
            raise _translated(exc, action, self.endpoint_url) from None

    def pages(
        self,
        service: str,
        operation: str,
        key: str,
        /,
        token: str = "NextToken",
        next_token: str | None = None,
        region: str | None = None,
        **params: Any,
    ) -> Iterator[Any]:
        """The items under `key` over every page (the request's token parameter is
        `token`, the reply's `next_token`, by default the same name)."""
        reply_token = next_token or token
        while True:
            reply = self.call(service, operation, region=region, **params)
            yield from reply.get(key, [])
            following = reply.get(reply_token)
            if not following:
                return
            params[token] = following


def _translated(exc: Exception, action: str, endpoint_url: str | None) -> Exception:
    from botocore import exceptions as boto

    where = endpoint_url or "AWS"
    if isinstance(exc, boto.NoCredentialsError | boto.PartialCredentialsError):
        return BaselineError(
            "no AWS credentials found: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY, or run `aws configure`"
        )
    if isinstance(exc, boto.NoRegionError):
        return BaselineError("no AWS Region: pass --region or set AWS_REGION")
    if isinstance(exc, boto.ProfileNotFound):
        return BaselineError(f"AWS profile not found: {exc}")
    if isinstance(exc, boto.EndpointConnectionError | boto.ConnectTimeoutError):
        return BaselineError(f"cannot reach {where} ({action}): {_first_line(str(exc))}")
    if isinstance(exc, boto.ReadTimeoutError):
        return NotMeasured(f"{action} timed out at {where}")
    if isinstance(exc, boto.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = _first_line(error.get("Message", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code.isdigit() and "<Code>" in str(error.get("Message", "")):
            # An XML error body on a JSON-protocol service: botocore kept it as the message.
            body = str(error.get("Message", ""))
            code = body.split("<Code>", 1)[1].split("</Code>", 1)[0]
            if "<Message>" in body:
                message = body.split("<Message>", 1)[1].split("</Message>", 1)[0]
        if code in CREDENTIAL_CODES:
            return BaselineError(f"AWS refused the credentials ({code}): {message}")
        if code in DENIED_CODES or status == 403:
            return NotMeasured(
                f"access denied to {action} (grant it: gridops baseline --print-policy)"
            )
        if code in THROTTLING_CODES or status == 429:
            return NotMeasured(f"{action} was throttled and the retries ran out ({code})")
        if isinstance(status, int) and status >= 500:
            return NotMeasured(
                f"{action} failed at {where} with HTTP {status} (a server error, or an action "
                "this endpoint does not implement)"
            )
        return NotMeasured(f"{action} failed: {code}: {message}")
    if isinstance(exc, boto.BotoCoreError):
        return NotMeasured(f"{action} failed: {_first_line(str(exc))}")
    return exc


def utc(value: Any) -> dt.datetime:
    """A timestamp from a reply (datetime, epoch seconds or ISO text) in UTC."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    text = str(value).replace("Z", "+00:00")
    moment = dt.datetime.fromisoformat(text)
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
