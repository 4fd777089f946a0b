"""What a SingleServer ships to its host, checked by the tools that will read it: the compose
fragments (compose spec schema, docker-compose's own merge and interpolation), the Caddy
routes (`caddy adapt`), the bootstrap and backup scripts (shellcheck). Each tool-backed
test skips, naming the Debian package, when the tool is missing."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gridops_infra import FeatureFlags, Network, SingleServer, StatelessService
from gridops_infra.flags.agent import AGENT_IMAGE
from gridops_infra.platforms.single_server.backup import render_backup_script
from gridops_infra.platforms.single_server.compose import (
    NETWORKS,
    ContainerSpec,
    ProxyRoute,
    check_container,
    dumps,
    postgres_container,
    proxy_container,
    render_caddyfile,
    render_compose,
    route_file_name,
)
from gridops_infra.platforms.single_server.userdata import (
    AGENT_SOURCE,
    HostSettings,
    encode_user_data,
    render_user_data,
    systemd_units,
)
from gridops_infra.testing import preview

REGION = "us-east-1"
LOG_GROUP = "/gridops/app/prod/mvp"
PASSWORD_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/gridops/app/prod/mvp/database/password"
TOKEN_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/api-AbCdEf:token::"
COMPOSE_SCHEMA = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")


def api(**overrides: Any) -> ContainerSpec:
    fields: dict[str, Any] = {
        "name": "api",
        "image": "ghcr.io/acme/api:1.4.2",
        "port": 8080,
        "routes": (ProxyRoute(path_patterns=("/api/*",)),),
        "health_check_path": "/healthz",
        "environment": {"GREETING": "costs $5", "LOG_LEVEL": "info"},
        "secrets": {"API_TOKEN": TOKEN_ARN},
        "command": ("serve", "--price=$PRICE"),
        "replicas": 2,
        "cpus": 0.5,
        "memory_mb": 512,
        "read_only": True,
        "tmpfs": ("/tmp",),
        "user": "1000:1000",
        "healthcheck": ("CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"),
    }
    fields.update(overrides)
    return ContainerSpec(**fields)


def base_fragment() -> dict[str, Any]:
    script = render_backup_script(
        bucket="mvp-backups-abc",
        region=REGION,
        database="app",
        user="app",
        server_dimension="app-prod-mvp",
    )
    return render_compose(
        [
            proxy_container(),
            postgres_container(
                version="16", database="app", user="app", password_ref=PASSWORD_ARN, memory_mb=1024
            ),
        ],
        region=REGION,
        log_group=LOG_GROUP,
        networks=NETWORKS,
        files={"caddy/Caddyfile": render_caddyfile(":80"), "backup/pg-backup.sh": script},
    )


@pytest.fixture(scope="module")
def flagged_fragment() -> dict[str, Any]:
    """The fragment of a service that links FeatureFlags, as a SingleServer stores it:
    the app and the AppConfig agent as its own compose service."""
    plan = preview(flagged_program)
    parameter = next(
        r for r in plan.of_type("aws:ssm/parameter:Parameter") if r.name == "api-compose"
    )
    return json.loads(parameter.inputs["insecureValue"])


def flagged_program() -> None:
    net = Network("prod", {"az_count": 2, "nat": "single"})
    server = SingleServer("mvp", {"network": net, "instance_type": "t4g.large"})
    flags = FeatureFlags("flags", {"flags": {"new-checkout": {}}})
    StatelessService(
        "api",
        {"platform": server, "image": "ghcr.io/acme/api:1", "port": 8080, "links": [flags]},
    )


def api_fragment() -> dict[str, Any]:
    return render_compose([api()], region=REGION, log_group=LOG_GROUP)


def require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (Debian package {package})")
    return path


# -- rendering --------------------------------------------------------------------------


def test_render_is_pure_and_stable() -> None:
    assert dumps(api_fragment()) == dumps(api_fragment())
    assert json.loads(dumps(api_fragment())) == api_fragment()


def test_dollar_signs_are_escaped_and_secrets_are_placeholders() -> None:
    svc = api_fragment()["services"]["api"]
    assert svc["environment"]["GREETING"] == "costs $$5"
    assert svc["command"] == ["serve", "--price=$$PRICE"]
    assert svc["environment"]["API_TOKEN"] == "${GRIDOPS_SECRET__API__API_TOKEN}"
    assert api_fragment()["x-gridops"]["secrets"] == {"GRIDOPS_SECRET__API__API_TOKEN": TOKEN_ARN}


def test_limits_replicas_restart_and_logs() -> None:
    svc = api_fragment()["services"]["api"]
    assert svc["restart"] == "always"
    assert svc["deploy"] == {
        "replicas": 2,
        "resources": {"limits": {"cpus": "0.5", "memory": "512M"}},
    }
    assert svc["logging"]["driver"] == "awslogs"
    assert svc["logging"]["options"]["awslogs-group"] == LOG_GROUP
    assert svc["read_only"] is True and svc["tmpfs"] == ["/tmp"]
    assert "ports" not in svc  # only the proxy publishes ports
    assert svc["networks"] == ["web"]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (api(name="API"), "DNS label"),
        (api(replicas=-1), "replicas"),
        (api(replicas=2, container_name="fixed"), "replicas"),
        (api(environment={"1BAD": "x"}), "environment name"),
        (api(environment={"API_TOKEN": "x"}), "both environment and secrets"),
        (api(port=None), "routes need the container port"),
        (api(routes=(ProxyRoute(path_patterns=()),)), "at least one path"),
        (api(routes=(ProxyRoute(hosts=("bad host",)),)), "host"),
        (api(routes=(ProxyRoute(path_patterns=("api",)),)), "path pattern"),
        (api(memory_mb=4), "memory_mb"),
        (api(cpus=0), "cpus"),
        (api(networks=("internet",)), "networks"),
    ],
)
def test_check_container_names_the_problem(spec: ContainerSpec, problem: str) -> None:
    found = check_container(spec)
    assert found is not None and problem in found
    with pytest.raises(ValueError, match=r"container '(a|A)"):
        render_compose([spec], region=REGION, log_group=LOG_GROUP)


def test_route_files_sort_host_routes_then_longer_prefixes_first() -> None:
    names = [
        route_file_name("web", 0, (), "/*"),
        route_file_name("api", 0, (), "/api/*"),
        route_file_name("v2", 0, (), "/api/v2/*"),
        route_file_name("admin", 0, ("admin.example.com",), "/*"),
    ]
    assert [n.split("-", 1)[1] for n in sorted(names)] == [
        "admin-0.caddy",
        "v2-0.caddy",
        "api-0.caddy",
        "web-0.caddy",
    ]


# -- the tools that read it -------------------------------------------------------------


def test_fragments_match_the_compose_spec_schema(flagged_fragment: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not COMPOSE_SCHEMA.exists():
        pytest.skip("compose spec schema not installed (Debian package docker-compose)")
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    for fragment in (base_fragment(), api_fragment(), flagged_fragment):
        errors = [e.message for e in validator.iter_errors(fragment)]
        assert errors == []
    broken = api_fragment()
    broken["services"]["api"]["restrt"] = "always"
    assert list(validator.iter_errors(broken))  # the schema does catch a typo


def test_docker_compose_merges_the_fragments_and_fills_secrets(tmp_path: Path) -> None:
    compose = require("docker-compose", "docker-compose")
    (tmp_path / "00-base.json").write_text(dumps(base_fragment()))
    (tmp_path / "api.json").write_text(dumps(api_fragment()))
    env = {
        "PATH": os.environ["PATH"],
        "GRIDOPS_SECRET__POSTGRES__POSTGRES_PASSWORD": "pw-from-ssm",
        "GRIDOPS_SECRET__API__API_TOKEN": "token-from-secrets-manager",
    }
    args = [compose, "-p", "gridops", "-f", "00-base.json", "-f", "api.json", "config"]
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    merged = yaml.safe_load(result.stdout)
    assert set(merged["services"]) == {"proxy", "postgres", "api"}
    assert set(merged["networks"]) == {"web", "db"}
    postgres = merged["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_PASSWORD"] == "pw-from-ssm"
    api_env = merged["services"]["api"]["environment"]
    assert api_env["API_TOKEN"] == "token-from-secrets-manager"
    # `config` prints a re-usable file, so it escapes the literal `$` again; the variable
    # that an unescaped `$5` would be (an empty interpolation, "costs ") is not there.
    assert api_env["GREETING"] == "costs $$5"


def test_docker_compose_merges_the_flags_agent_next_to_the_app(
    tmp_path: Path, flagged_fragment: dict[str, Any]
) -> None:
    compose = require("docker-compose", "docker-compose")
    (tmp_path / "00-base.json").write_text(dumps(base_fragment()))
    (tmp_path / "api.json").write_text(dumps(flagged_fragment))
    env = {"PATH": os.environ["PATH"], "GRIDOPS_SECRET__POSTGRES__POSTGRES_PASSWORD": "pw"}
    args = [compose, "-p", "gridops", "-f", "00-base.json", "-f", "api.json", "config"]
    result = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"proxy", "postgres", "api", "api-appconfig-agent"}
    agent, app = services["api-appconfig-agent"], services["api"]
    assert agent["image"] == AGENT_IMAGE
    assert "ports" not in agent  # reached by its service name on `web`, never from outside
    assert list(agent["networks"]) == ["web"] and "web" in app["networks"]
    assert agent["read_only"] is True and agent["tmpfs"] == ["/tmp"]
    assert agent["user"] == "1000" and agent["restart"] == app["restart"] == "always"
    # compose normalizes the list form to {service: {condition: service_started}}
    assert set(app["depends_on"]) == {"api-appconfig-agent"}
    url = app["environment"]["GRIDOPS_FLAGS_URL"]
    assert url.startswith("http://api-appconfig-agent:2772/applications/")
    assert agent["environment"]["PREFETCH_LIST"] == url.split(":2772", 1)[1]


def test_caddy_adapts_the_routes_in_precedence_order(tmp_path: Path, caddy: str) -> None:
    specs = [
        api(name="web", routes=(ProxyRoute(),), port=3000, replicas=1),
        api(),
        api(name="apiv2", routes=(ProxyRoute(path_patterns=("/api/v2/*",)),)),
        api(name="admin", routes=(ProxyRoute(hosts=("admin.example.com",)),), replicas=1),
    ]
    routes = tmp_path / "routes"
    routes.mkdir()
    for spec in specs:  # registration order must not matter
        for name, text in render_compose([spec], region=REGION, log_group=LOG_GROUP)["x-gridops"][
            "files"
        ].items():
            (tmp_path / name.removeprefix("caddy/")).write_text(text)
    caddyfile = render_caddyfile(":80").replace("/etc/caddy/routes", str(routes))
    (tmp_path / "Caddyfile").write_text(caddyfile)
    result = subprocess.run(
        [caddy, "adapt", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    (site,) = config["apps"]["http"]["servers"]["srv0"]["routes"]
    order = []
    for route in site["handle"][0]["routes"]:
        match = (route.get("match") or [{}])[0]
        order.append((tuple(match.get("host", ())), tuple(match.get("path", ()))))
    assert order == [
        (("admin.example.com",), ("/*",)),
        ((), ("/api/v2/*",)),
        ((), ("/api/*",)),
        ((), ("/*",)),
        ((), ()),  # the 404
    ]
    text = json.dumps(config)
    assert "gridops-api-1:8080" in text and "gridops-api-2:8080" in text
    assert '"uri": "/healthz"' in text
    assert '"handler": "log_append", "key": "gridops_service", "value": "api"' in text


def test_caddy_asks_lets_encrypt_for_a_shortlived_certificate_of_the_address(
    tmp_path: Path, caddy: str
) -> None:
    """Caddy's own default for an IP address is its internal CA (browsers refuse it):
    only an explicit ACME issuer with Let's Encrypt's `shortlived` profile gets a public
    certificate for one, and the site is served on 443."""
    caddyfile = render_caddyfile(
        "203.0.113.10", acme_email="ops@acme.io", ip_certificate=True
    ).replace("/etc/caddy/routes", str(tmp_path))
    (tmp_path / "Caddyfile").write_text(caddyfile)
    result = subprocess.run(
        [caddy, "adapt", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]
    (route,) = server["routes"]
    assert route["match"] == [{"host": ["203.0.113.10"]}]
    (policy,) = config["apps"]["tls"]["automation"]["policies"]
    assert policy["subjects"] == ["203.0.113.10"]
    (issuer,) = policy["issuers"]
    assert issuer["module"] == "acme"
    assert issuer["profile"] == "shortlived"
    assert issuer["email"] == "ops@acme.io"
    assert issuer.get("ca") in (None, "https://acme-v02.api.letsencrypt.org/directory")


def test_without_the_ip_certificate_the_proxy_keeps_plain_http(tmp_path: Path, caddy: str) -> None:
    caddyfile = render_caddyfile(":80").replace("/etc/caddy/routes", str(tmp_path))
    assert "tls" not in caddyfile and "profile" not in caddyfile
    (tmp_path / "Caddyfile").write_text(caddyfile)
    result = subprocess.run(
        [caddy, "adapt", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["listen"] == [":80"]
    assert "tls" not in config["apps"]


def test_user_data_passes_shellcheck_and_fits_ec2(tmp_path: Path) -> None:
    settings = HostSettings(
        region=REGION,
        data_volume_id="vol-0123456789abcdef0",
        parameter_path="/gridops/app/prod/mvp/compose",
        log_group=LOG_GROUP,
        backup_time_utc="03:00",
    )
    script = render_user_data(settings)
    assert len(encode_user_data(script)) * 3 // 4 <= 16384
    assert AGENT_SOURCE.read_text() in script
    assert "nvme-Amazon_Elastic_Block_Store_${DATA_VOLUME_ID//-/}" in script
    assert "DATA_VOLUME_ID=vol-0123456789abcdef0" in script
    assert "sha256sum -c" in script  # the compose binary is verified
    shellcheck = require("shellcheck", "shellcheck")
    path = tmp_path / "user-data.sh"
    path.write_text(script)
    result = subprocess.run([shellcheck, "-s", "bash", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_backup_script_passes_shellcheck(tmp_path: Path) -> None:
    script = base_fragment()["x-gridops"]["files"]["backup/pg-backup.sh"]
    shellcheck = require("shellcheck", "shellcheck")
    path = tmp_path / "pg-backup.sh"
    path.write_text(script)
    result = subprocess.run([shellcheck, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_systemd_timers() -> None:
    units = systemd_units("02:30")
    assert "OnUnitActiveSec=60s" in units["gridops-agent.timer"]
    assert "OnCalendar=*-*-* 02:30:00 UTC" in units["gridops-db-backup.timer"]
    assert "Persistent=true" in units["gridops-db-backup.timer"]
    assert (
        "ConditionPathExists=/opt/gridops/files/backup/pg-backup.sh"
        in units["gridops-db-backup.service"]
    )


def test_agent_runs_on_the_hosts_python_3_9() -> None:
    ast.parse(AGENT_SOURCE.read_text(), feature_version=(3, 9))
