"""CdnFrontend in front of a StatelessService on a SingleServer: the origin is the host's
proxy at the Elastic IP's public DNS name (or the server's domain), and a SingleServer
`behind_cdn` locks the host to CloudFront the way the clusters do: only CloudFront's
origin-facing prefix list admitted (port 80), and a secret `X-Origin-Verify` header the
proxy requires, which it reads from an SSM SecureString at start."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cdn_programs import API_IMAGE, CLOUDFRONT_PREFIX_LIST_ID, ZONE, ingress_of, origins

from gridops_infra import CdnFrontend, Network, SingleServer, StatelessService
from gridops_infra.platforms.single_server.compose import render_caddyfile
from gridops_infra.testing import Plan, SecretValue, preview, reveal

PARAMETER = "aws:ssm/parameter:Parameter"
PASSWORD = "random:index/randomPassword:RandomPassword"


def _program() -> None:
    net = Network("mvp", {"az_count": 2, "nat": "none"})
    locked = SingleServer("mvp", {"network": net, "behind_cdn": True})
    api = StatelessService("api", {"platform": locked, "image": API_IMAGE, "port": 8080})
    CdnFrontend("web", {"api_origin": api})

    open_server = SingleServer("open", {"network": net, "database": False})
    blog = StatelessService("blog", {"platform": open_server, "image": API_IMAGE})
    CdnFrontend("news", {"api_origin": blog})


@pytest.fixture(scope="module")
def plan() -> Plan:
    return preview(_program)


def _base_fragment(plan: Plan, server: str) -> dict:
    return json.loads(plan.one(PARAMETER, f"{server}-compose-base").inputs["insecureValue"])


def test_the_locked_host_admits_only_cloudfront_on_port_80(plan: Plan) -> None:
    assert ingress_of(plan, "mvp-") == [(80, None, CLOUDFRONT_PREFIX_LIST_ID)]
    # The open server serves HTTPS on its own address (ip_certificate).
    assert ingress_of(plan, "open-") == [(80, "0.0.0.0/0", None), (443, "0.0.0.0/0", None)]


def test_the_origin_is_the_hosts_public_dns_name_over_http(plan: Plan) -> None:
    eip = plan.one("aws:ec2/eip:Eip", "mvp-eip")
    api = origins(plan, "web")["api"]
    assert api["domainName"] == eip.outputs["publicDns"]
    assert api["domainName"].endswith(".compute-1.amazonaws.com")
    assert api["customOriginConfig"]["originProtocolPolicy"] == "http-only"


def test_cloudfront_sends_the_secret_the_proxy_requires(plan: Plan) -> None:
    secret = plan.one(PASSWORD, "mvp-origin-verify")
    value = reveal(secret.outputs["result"])
    assert len(value) == 48 and value.isalnum()
    (header,) = origins(plan, "web")["api"]["customHeaders"]
    assert header == {"name": "X-Origin-Verify", "value": value}
    parameter = plan.one(PARAMETER, "mvp-origin-verify-parameter")
    assert parameter.inputs["type"] == "SecureString"
    assert isinstance(parameter.inputs["value"], SecretValue)
    assert reveal(parameter.inputs["value"]) == value
    base = _base_fragment(plan, "mvp")
    variable = "GRIDOPS_SECRET__PROXY__GRIDOPS_ORIGIN_VERIFY"
    assert base["services"]["proxy"]["environment"]["GRIDOPS_ORIGIN_VERIFY"] == f"${{{variable}}}"
    assert base["x-gridops"]["secrets"][variable] == parameter.outputs["arn"]
    caddyfile = base["x-gridops"]["files"]["caddy/Caddyfile"]
    assert "@not_through_cdn not header X-Origin-Verify {$GRIDOPS_ORIGIN_VERIFY}" in caddyfile
    assert value not in json.dumps(base)


def test_the_host_may_read_the_origin_secret(plan: Plan) -> None:
    parameter = plan.one(PARAMETER, "mvp-origin-verify-parameter")
    policy = json.loads(plan.one("aws:iam/rolePolicy:RolePolicy", "mvp-role-host").inputs["policy"])
    readable = [
        arn
        for statement in policy["Statement"]
        if "ssm:GetParameter" in statement["Action"]
        for arn in statement["Resource"]
    ]
    assert parameter.outputs["arn"] in readable


def test_the_secret_appears_only_as_a_pulumi_secret(plan: Plan) -> None:
    value = reveal(plan.one(PASSWORD, "mvp-origin-verify").outputs["result"])
    assert value not in plan.dumps()


def test_an_open_host_gets_a_warning_and_no_secret(plan: Plan) -> None:
    warnings = [text for _, text in plan.diagnostics if "behind_cdn" in text]
    assert len(warnings) == 1 and "SingleServer 'open' is not behind_cdn" in warnings[0]
    assert "customHeaders" not in origins(plan, "news")["api"]
    caddyfile = _base_fragment(plan, "open")["x-gridops"]["files"]["caddy/Caddyfile"]
    assert "X-Origin-Verify" not in caddyfile


def test_a_host_with_a_domain_is_reached_over_https_at_it() -> None:
    def program() -> None:
        net = Network("mvp", {"az_count": 2, "nat": "none"})
        server = SingleServer("mvp", {"network": net, "domain": "app.example.com", "zone_id": ZONE})
        api = StatelessService("api", {"platform": server, "image": API_IMAGE})
        CdnFrontend("web", {"api_origin": api})

    api = origins(preview(program), "web")["api"]
    assert api["domainName"] == "app.example.com"
    assert api["customOriginConfig"]["originProtocolPolicy"] == "https-only"


@pytest.mark.parametrize(
    ("server_args", "cdn_args", "message"),
    [
        (
            {"behind_cdn": True, "domain": "app.example.com", "zone_id": ZONE},
            {},
            r"domain='app.example.com' is not allowed; not with behind_cdn",
        ),
        (
            {"behind_cdn": True, "ingress_cidrs": ["10.0.0.0/8"]},
            {},
            r"ingress_cidrs=\['10.0.0.0/8'\] is not allowed; not with behind_cdn",
        ),
        (
            {"behind_cdn": True},
            {"api_origin_domain": "api.example.com"},
            r"api_origin_domain='api.example.com' is not allowed; not for a service on SingleServer",
        ),
    ],
)
def test_bad_input_is_refused_before_anything_is_registered(
    server_args: dict, cdn_args: dict, message: str
) -> None:
    errors: list[str] = []

    def program() -> None:
        net = Network("mvp", {"az_count": 2, "nat": "none"})
        try:
            server = SingleServer("mvp", {"network": net, **server_args})
            api = StatelessService("api", {"platform": server, "image": API_IMAGE})
            CdnFrontend("web", {"api_origin": api, **cdn_args})
        except ValueError as exc:
            errors.append(str(exc))

    plan = preview(program)
    assert len(errors) == 1
    assert re.search(message, errors[0]), errors[0]
    failed = "gridops:aws:SingleServer" if not cdn_args else "gridops:aws:CdnFrontend"
    assert plan.of_type(failed) == []


# -- the proxy itself -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_rendered_proxy_answers_403_without_the_secret(tmp_path: Path, caddy: str) -> None:
    """Caddy itself, on the Caddyfile the server renders: without the header, or with a
    wrong one, 403; with the secret the request reaches the routes (none here: 404)."""
    port = _free_port()
    routes = tmp_path / "routes"
    routes.mkdir()
    caddyfile = render_caddyfile(f":{port}", origin_verify=True)
    caddyfile = caddyfile.replace("/etc/caddy/routes", str(routes)).replace(
        "admin localhost:2019", "admin off"
    )
    (tmp_path / "Caddyfile").write_text(caddyfile)
    secret = "s3cretFromSsm0123456789"
    env = {"GRIDOPS_ORIGIN_VERIFY": secret, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/orders"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        assert _status(url, {}) == 403
        assert _status(url, {"X-Origin-Verify": "guess"}) == 403
        assert _status(url, {"X-Origin-Verify": secret}) == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)
