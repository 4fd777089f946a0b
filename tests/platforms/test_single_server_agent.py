"""The host agent, run against a fake AWS CLI and docker: what it writes, resolves, runs,
and what makes it refuse to apply anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gridops_infra.platforms.single_server import agent
from gridops_infra.platforms.single_server.compose import (
    NETWORKS,
    ContainerSpec,
    ProxyRoute,
    dumps,
    postgres_container,
    proxy_container,
    render_caddyfile,
    render_compose,
)

REGION = "eu-west-1"
PATH = "/gridops/app/prod/mvp/compose"
PASSWORD_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/gridops/app/prod/mvp/database/password"
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/api-AbCdEf"
ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/api:1.4.2"


def fragments(image: str = ECR_IMAGE) -> dict[str, str]:
    base = render_compose(
        [
            proxy_container(),
            postgres_container(
                version="16", database="app", user="app", password_ref=PASSWORD_ARN, memory_mb=512
            ),
        ],
        region=REGION,
        log_group="/logs",
        networks=NETWORKS,
        files={"caddy/Caddyfile": render_caddyfile(":80"), "backup/pg-backup.sh": "#!/bin/bash\n"},
    )
    api = render_compose(
        [
            ContainerSpec(
                name="api",
                image=image,
                port=8080,
                routes=(ProxyRoute(),),
                secrets={"API_TOKEN": f"{SECRET_ARN}:token::", "RAW": SECRET_ARN},
            )
        ],
        region=REGION,
        log_group="/logs",
    )
    return {"00-base": dumps(base), "api": dumps(api)}


class FakeHost:
    """Answers the AWS CLI calls from memory and records every command."""

    def __init__(self, parameters: dict[str, str]) -> None:
        self.parameters = parameters
        self.calls: list[list[str]] = []
        self.envs: list[dict[str, str] | None] = []
        self.fail_on: str | None = None

    def __call__(self, args: list[str], env: dict[str, str] | None = None) -> str:
        self.calls.append(args)
        self.envs.append(env)
        if self.fail_on and self.fail_on in " ".join(args):
            raise agent.AgentError(f"{self.fail_on} failed")
        if args[:3] == ["aws", "ssm", "get-parameters-by-path"]:
            assert args[args.index("--path") + 1] == PATH and "--recursive" in args
            return json.dumps(
                {
                    "Parameters": [
                        {"Name": f"{PATH}/{k}", "Value": v} for k, v in self.parameters.items()
                    ]
                }
            )
        if args[:3] == ["aws", "ssm", "get-parameter"]:
            assert "--with-decryption" in args
            assert args[args.index("--name") + 1] == PASSWORD_ARN
            return json.dumps({"Parameter": {"Value": "pg-password"}})
        if args[:3] == ["aws", "secretsmanager", "get-secret-value"]:
            assert args[args.index("--secret-id") + 1] == SECRET_ARN
            return json.dumps({"SecretString": json.dumps({"token": "t0k3n"})})
        return ""

    def commands(self, prefix: list[str]) -> list[list[str]]:
        return [c for c in self.calls if c[: len(prefix)] == prefix]


def run_main(tmp_path: Path, host: FakeHost, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("GRIDOPS_PARAMETER_PATH", PATH)
    monkeypatch.setenv("GRIDOPS_REGION", REGION)
    monkeypatch.setenv("GRIDOPS_ROOT", str(tmp_path / "opt"))
    monkeypatch.setenv("GRIDOPS_STATE", str(tmp_path / "run" / "applied.sha256"))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    return agent.main(list(argv), run=host)


def test_applies_fragments_files_and_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = FakeHost(fragments())
    assert run_main(tmp_path, host, monkeypatch) == 0
    root = tmp_path / "opt"
    assert (
        json.loads((root / "compose" / "api.json").read_text())["services"]["api"]["image"]
        == ECR_IMAGE
    )
    assert (root / "files" / "caddy" / "Caddyfile").read_text().startswith("# Rendered by gridops")
    script = root / "files" / "backup" / "pg-backup.sh"
    assert script.stat().st_mode & 0o777 == 0o755
    (up,) = host.commands(["docker", "compose"])
    assert up[:6] == ["docker", "compose", "-p", "gridops", "--project-directory", str(root)]
    files = [up[i + 1] for i, a in enumerate(up) if a == "-f"]
    assert files == [str(root / "compose" / "00-base.json"), str(root / "compose" / "api.json")]
    assert up[-3:] == ["up", "-d", "--remove-orphans"]
    env = host.envs[host.calls.index(up)]
    assert env is not None
    assert env["GRIDOPS_SECRET__POSTGRES__POSTGRES_PASSWORD"] == "pg-password"
    assert env["GRIDOPS_SECRET__API__API_TOKEN"] == "t0k3n"  # the json-key suffix
    assert env["GRIDOPS_SECRET__API__RAW"] == json.dumps({"token": "t0k3n"})
    # secrets reach docker compose's environment only: nothing on disk holds them
    on_disk = "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert "pg-password" not in on_disk and "t0k3n" not in on_disk
    assert host.commands(["docker", "exec", "gridops-proxy", "caddy", "reload"])
    helpers = json.loads((tmp_path / "docker" / "config.json").read_text())["credHelpers"]
    assert helpers == {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}


def test_does_nothing_until_a_fragment_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = FakeHost(fragments())
    assert run_main(tmp_path, host, monkeypatch) == 0
    assert run_main(tmp_path, host, monkeypatch) == 0
    assert len(host.commands(["docker", "compose"])) == 1
    assert run_main(tmp_path, host, monkeypatch, "--force") == 0
    assert len(host.commands(["docker", "compose"])) == 2
    host.parameters = fragments(image="ghcr.io/acme/api:1.5.0")
    assert run_main(tmp_path, host, monkeypatch) == 0
    assert len(host.commands(["docker", "compose"])) == 3
    api = json.loads((tmp_path / "opt" / "compose" / "api.json").read_text())
    assert api["services"]["api"]["image"] == "ghcr.io/acme/api:1.5.0"


def test_removed_fragments_and_their_files_go_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = FakeHost(fragments())
    run_main(tmp_path, host, monkeypatch)
    routes = list((tmp_path / "opt" / "files" / "caddy" / "routes").iterdir())
    assert [p.name for p in routes] == ["1998-api-0.caddy"]
    host.parameters = {"00-base": fragments()["00-base"]}
    assert run_main(tmp_path, host, monkeypatch) == 0
    assert not (tmp_path / "opt" / "compose" / "api.json").exists()
    assert not routes[0].exists()
    last_up = host.commands(["docker", "compose"])[-1]
    assert str(tmp_path / "opt" / "compose" / "api.json") not in last_up


def test_a_failed_run_applies_nothing_and_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    host = FakeHost(fragments())
    host.fail_on = "get-secret-value"
    assert run_main(tmp_path, host, monkeypatch) == 1
    assert "get-secret-value failed" in capsys.readouterr().out
    assert not host.commands(["docker", "compose"])
    assert not (tmp_path / "run" / "applied.sha256").exists()
    host.fail_on = None
    assert run_main(tmp_path, host, monkeypatch) == 0  # the next minute
    assert len(host.commands(["docker", "compose"])) == 1


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("api", "{not json", "not JSON"),
        ("api", "[]", "JSON object"),
        ("api", json.dumps({"services": {}, "volumes": {}, "secrets": {}}), "unexpected top-level"),
        ("../etc", json.dumps({"services": {}}), "not a compose file name"),
        (
            "api",
            json.dumps({"x-gridops": {"files": {"../../etc/cron.d/x": "boom"}}}),
            "must stay inside",
        ),
        ("api", json.dumps({"x-gridops": {"files": {"/etc/passwd": "boom"}}}), "must stay inside"),
        ("api", json.dumps({"x-gridops": {"secrets": {"X": "plaintext"}}}), "neither an SSM"),
    ],
)
def test_bad_fragments_are_refused(tmp_path: Path, name: str, text: str, problem: str) -> None:
    host = FakeHost({})
    with pytest.raises(agent.AgentError, match=problem):
        agent.apply(
            {name: text},
            root=tmp_path / "opt",
            region=REGION,
            run=host,
            docker_config=tmp_path / "docker" / "config.json",
            base_env={},
        )
    assert not host.commands(["docker"])
    assert not (tmp_path / "etc").exists()


def test_a_secret_reference_that_is_no_arn_is_refused_without_printing_it(tmp_path: Path) -> None:
    fragment = json.dumps({"x-gridops": {"secrets": {"API_KEY": "s3cr3t-agent-value"}}})
    with pytest.raises(agent.AgentError) as caught:
        agent.apply(
            {"api": fragment},
            root=tmp_path / "opt",
            region=REGION,
            run=FakeHost({}),
            docker_config=tmp_path / "docker" / "config.json",
            base_env={},
        )
    assert "secret API_KEY" in str(caught.value)
    assert "s3cr3t-agent-value" not in str(caught.value)


def test_no_fragments_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_main(tmp_path, FakeHost({}), monkeypatch) == 1


def test_secret_reference_forms() -> None:
    calls: list[list[str]] = []

    def run(args: list[str], env: Any = None) -> str:
        calls.append(args)
        return json.dumps({"SecretString": json.dumps({"k": 1})})

    assert agent.resolve_secret(f"{SECRET_ARN}:k:AWSPREVIOUS:", REGION, run) == "1"
    assert calls[-1][-2:] == ["--version-stage", "AWSPREVIOUS"]
    agent.resolve_secret(f"{SECRET_ARN}::AWSCURRENT:v-123", REGION, run)
    assert "--version-id" in calls[-1] and "v-123" in calls[-1]
    with pytest.raises(agent.AgentError, match="no JSON key"):
        agent.resolve_secret(f"{SECRET_ARN}:missing::", REGION, run)
