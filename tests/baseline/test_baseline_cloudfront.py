"""An account with CloudFront and no Application Load Balancer (moto's server on loopback,
filled through the AWS API): the error rate is CloudFront's 5xxErrorRate weighted by
requests, read from us-east-1 with Region=Global; the given stage is kept as given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from gridops_infra.analysis.baseline import Aws, Options, Window, read_baseline
from tests.moto_server import REGION, TEST_KEYS, aws_client, moto_endpoint

#: days ago -> (requests, 5xx rate in percent)
DAYS = {3: (9000.0, 1.0), 2: (1000.0, 10.0)}


def distribution(cloudfront: Any) -> str:
    config = {
        "CallerReference": "shop",
        "Comment": "shop",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "origin",
                    "DomainName": "origin.example.com",
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "origin",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


@pytest.fixture(scope="module")
def cdn_account() -> Iterator[tuple[str, dt.datetime]]:
    with moto_endpoint() as endpoint:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        distribution_id = distribution(aws_client(endpoint, "cloudfront"))
        cw = aws_client(endpoint, "cloudwatch", region="us-east-1")
        dims = [
            {"Name": "DistributionId", "Value": distribution_id},
            {"Name": "Region", "Value": "Global"},
        ]
        for days_ago, (requests, rate) in DAYS.items():
            moment = now - dt.timedelta(days=days_ago)
            cw.put_metric_data(
                Namespace="AWS/CloudFront",
                MetricData=[
                    {
                        "MetricName": "Requests",
                        "Dimensions": dims,
                        "Timestamp": moment,
                        "Value": requests,
                    },
                    {
                        "MetricName": "5xxErrorRate",
                        "Dimensions": dims,
                        "Timestamp": moment,
                        "Value": rate,
                    },
                ],
            )
        yield endpoint, now


def test_cloudfront_error_rate_weighted_by_requests(
    cdn_account: tuple[str, dt.datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    endpoint, now = cdn_account
    # The account's own Region is elsewhere: CloudFront's metrics are still read in us-east-1.
    aws = Aws(boto3.Session(region_name="eu-west-1", **TEST_KEYS), "eu-west-1", endpoint)
    window = Window(now - dt.timedelta(days=7), now + dt.timedelta(minutes=1))
    reading = read_baseline(aws, Options(window=window, stage="express"))
    failed = sum(requests * rate / 100 for requests, rate in DAYS.values())
    total = sum(requests for requests, _ in DAYS.values())
    assert reading.values["error_rate_percent"] == round(100 * failed / total, 4) == 1.9
    assert (
        "5xxErrorRate Average weighted by Requests Sum"
        in reading.sources["error_rate_percent"]["source"]
    )
    assert reading.values["current_stage"] == "express"
    assert reading.given["current_stage"] == "given: --stage"
    assert "current_stage" not in reading.sources
    assert "additional metrics" in reading.missing["p95_latency_ms"]
    assert "cloudfront:ListDistributions" in aws.called


def test_a_call_outside_the_policy_is_refused_before_it_is_made(
    cdn_account: tuple[str, dt.datetime],
) -> None:
    endpoint, _ = cdn_account
    aws = Aws(boto3.Session(region_name=REGION, **TEST_KEYS), REGION, endpoint)
    with pytest.raises(RuntimeError, match="iam:ListUsers is not in the shipped read-only policy"):
        aws.call("iam", "ListUsers")
    assert aws.called == []
