"""Access denied against moto's own IAM evaluation (its server checks each request's
signature and the caller's policies once `/moto-api/reset-auth` turns that on): Cost
Explorer denied -> the monthly cost is left out with one line, the rest still reads.

moto 5.2's IAM evaluation is used for Cost Explorer only: it names CloudWatch's actions
``monitoring:*`` (the signing name) and rejects the signatures of EKS's and FIS's REST
calls, so the whole shipped policy cannot be exercised through it."""

from __future__ import annotations

import datetime as dt
import json

import boto3
import pytest

from gridops_infra.analysis.baseline import Aws, Window, cost, ecs
from gridops_infra.analysis.baseline.reading import Reading
from tests.moto_server import REGION, aws_client, moto_api, moto_endpoint

DENY_COST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "NotAction": "ce:GetCostAndUsage", "Resource": "*"}],
}


def test_denied_cost_explorer_is_left_out_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with moto_endpoint() as endpoint:
        aws_client(endpoint, "ecs").create_cluster(clusterName="shop")
        iam = aws_client(endpoint, "iam")
        iam.create_user(UserName="reader")
        iam.put_user_policy(
            UserName="reader", PolicyName="read", PolicyDocument=json.dumps(DENY_COST)
        )
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        session = boto3.Session(
            region_name=REGION,
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"],
        )
        aws = Aws(session, REGION, endpoint)
        now = dt.datetime.now(dt.UTC)
        window = Window(now - dt.timedelta(days=7), now)
        reading = Reading()
        moto_api(endpoint, "reset-auth", b"0")  # every request from here on is authorized
        try:
            reading.attempt(("monthly_cost_usd",), lambda: cost.read(aws, window, reading))
            services = ecs.find(aws)  # allowed by the same policy
        finally:
            moto_api(endpoint, "reset-auth", b"inf")
    assert reading.missing == {
        "monthly_cost_usd": "access denied to ce:GetCostAndUsage (grant it: gridops baseline --print-policy)"
    }
    assert "monthly_cost_usd" not in reading.values
    assert services == []
