#!/usr/bin/env python3
"""gridops host agent: runs a SingleServer's containers from SSM Parameter Store.

Installed once by the server's user data (this file, unchanged, as
/usr/local/bin/gridops-agent) and started by a systemd timer every minute and at boot.
Each run reads every compose fragment under the server's parameter path, and when their
content changed since the last successful run (or after a reboot) it:

1. writes each fragment to /opt/gridops/compose/<fragment>.json and the files its
   `x-gridops.files` declares under /opt/gridops/files/ (removing files no fragment
   declares any more);
2. resolves the secret references of `x-gridops.secrets` (SSM SecureString parameters,
   Secrets Manager secrets with an optional `:json-key:stage:version` suffix) into the
   environment of the `docker compose` process only: nothing secret is written to disk;
3. points docker's ECR credential helper at the ECR registries the images come from
   (short-lived tokens from the instance role, none stored);
4. runs `docker compose -p gridops -f base -f ... up -d --remove-orphans` and reloads
   the proxy's routes.

A failed run leaves the running containers as they were and is retried a minute later.
Runs on the host's Python 3.9 with the standard library and the AWS CLI only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

Runner = Callable[..., str]

PROJECT = "gridops"
PROXY_CONTAINER = "gridops-proxy"
ECR_REGISTRY = re.compile(r"^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?)/")
SECRETS_MANAGER_ARN = re.compile(
    r"^(arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(?::(.*))?$"
)
SSM_PARAMETER_ARN = re.compile(r"^arn:[^:]+:ssm:[^:]+:\d{12}:parameter/.+$")
ALLOWED_KEYS = {"services", "networks", "volumes", "x-gridops"}


class AgentError(Exception):
    """A run that must not apply anything (bad fragment, unresolvable secret)."""


def run_command(args: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise AgentError(
            f"{' '.join(args[:3])} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return result.stdout


def fetch_fragments(path: str, region: str, run: Runner) -> dict[str, str]:
    """Fragment name (last path segment) -> its JSON text; the CLI pages through all."""
    out = run(
        [
            "aws",
            "ssm",
            "get-parameters-by-path",
            "--region",
            region,
            "--path",
            path,
            "--recursive",
            "--output",
            "json",
        ]
    )
    fragments = {}
    for parameter in json.loads(out).get("Parameters", []):
        fragments[parameter["Name"].rsplit("/", 1)[-1]] = parameter["Value"]
    return dict(sorted(fragments.items()))


def digest(fragments: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(fragments, sort_keys=True).encode()).hexdigest()


def parse_fragment(name: str, text: str) -> dict:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise AgentError(f"fragment name {name!r} is not a compose file name")
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise AgentError(f"fragment {name}: not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise AgentError(f"fragment {name}: expected a JSON object")
    unknown = sorted(set(doc) - ALLOWED_KEYS)
    if unknown:
        raise AgentError(f"fragment {name}: unexpected top-level keys {unknown}")
    return doc


def safe_path(root: Path, relative: str) -> Path:
    """A file under `root`; absolute paths and `..` are refused."""
    parts = Path(relative).parts
    if not parts or Path(relative).is_absolute() or ".." in parts:
        raise AgentError(f"file path {relative!r} must stay inside {root}")
    return root.joinpath(*parts)


def write_file(path: Path, content: str) -> None:
    """Write in place (tmp + rename), so directories bind-mounted into containers see it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(content)
    tmp.chmod(0o755 if path.suffix == ".sh" else 0o644)
    tmp.replace(path)


def sync_files(root: Path, wanted: dict[str, str]) -> None:
    paths = {safe_path(root, rel): content for rel, content in wanted.items()}
    for path, content in paths.items():
        if not path.exists() or path.read_text() != content:
            write_file(path, content)
    if root.exists():
        for existing in root.rglob("*"):
            if existing.is_file() and existing not in paths:
                existing.unlink()


def resolve_secret(ref: str, region: str, run: Runner) -> str:
    if SSM_PARAMETER_ARN.match(ref):
        out = run(
            [
                "aws",
                "ssm",
                "get-parameter",
                "--region",
                region,
                "--name",
                ref,
                "--with-decryption",
                "--output",
                "json",
            ]
        )
        return json.loads(out)["Parameter"]["Value"]
    match = SECRETS_MANAGER_ARN.match(ref)
    if not match:
        # Not printed: a reference that is no ARN may be the secret itself.
        raise AgentError("a secret reference is neither an SSM parameter nor a secret ARN")
    arn, suffix = match.group(1), match.group(2) or ""
    key, stage, version = [*suffix.split(":"), "", "", ""][:3]
    args = [
        "aws",
        "secretsmanager",
        "get-secret-value",
        "--region",
        region,
        "--secret-id",
        arn,
        "--output",
        "json",
    ]
    if stage:
        args += ["--version-stage", stage]
    if version:
        args += ["--version-id", version]
    value = json.loads(run(args))["SecretString"]
    if not key:
        return value
    try:
        return str(json.loads(value)[key])
    except (ValueError, KeyError, TypeError):
        raise AgentError(f"secret {arn} has no JSON key {key!r}") from None


def ecr_registries(docs: dict[str, dict]) -> list[str]:
    hosts = set()
    for doc in docs.values():
        for service in (doc.get("services") or {}).values():
            match = ECR_REGISTRY.match(str(service.get("image", "")))
            if match:
                hosts.add(match.group(1))
    return sorted(hosts)


def use_ecr_credential_helper(config_path: Path, registries: list[str]) -> None:
    """`credHelpers` entries so docker pulls from these registries with the instance role
    (amazon-ecr-credential-helper): no `docker login`, no token on disk."""
    if not registries:
        return
    config = json.loads(config_path.read_text()) if config_path.exists() else {}
    helpers = config.setdefault("credHelpers", {})
    if all(helpers.get(r) == "ecr-login" for r in registries):
        return
    for registry in registries:
        helpers[registry] = "ecr-login"
    write_file(config_path, json.dumps(config, indent=2, sort_keys=True) + "\n")


def apply(
    fragments: dict[str, str],
    *,
    root: Path,
    region: str,
    run: Runner,
    docker_config: Path,
    base_env: dict[str, str] | None = None,
) -> None:
    """Write, resolve, log in, `docker compose up`: everything but deciding whether to."""
    docs = {name: parse_fragment(name, text) for name, text in fragments.items()}
    files: dict[str, str] = {}
    secrets: dict[str, str] = {}
    for doc in docs.values():
        extension = doc.get("x-gridops") or {}
        files.update(extension.get("files") or {})
        secrets.update(extension.get("secrets") or {})
    env = dict(base_env if base_env is not None else os.environ)
    for variable, ref in sorted(secrets.items()):
        try:
            env[variable] = resolve_secret(ref, region, run)
        except AgentError as exc:
            raise AgentError(f"secret {variable}: {exc}") from None
    compose_dir = root / "compose"
    sync_files(root / "files", files)
    sync_files(compose_dir, {f"{name}.json": text for name, text in fragments.items()})
    use_ecr_credential_helper(docker_config, ecr_registries(docs))
    command = ["docker", "compose", "-p", PROJECT, "--project-directory", str(root)]
    for name in fragments:
        command += ["-f", str(compose_dir / f"{name}.json")]
    run([*command, "up", "-d", "--remove-orphans"], env=env)
    if any(rel.startswith("caddy/") for rel in files):
        run(
            [
                "docker",
                "exec",
                PROXY_CONTAINER,
                "caddy",
                "reload",
                "--config",
                "/etc/caddy/Caddyfile",
                "--adapter",
                "caddyfile",
            ]
        )


def main(argv: list[str], run: Runner = run_command) -> int:
    path = os.environ["GRIDOPS_PARAMETER_PATH"]
    region = os.environ["GRIDOPS_REGION"]
    root = Path(os.environ.get("GRIDOPS_ROOT", "/opt/gridops"))
    # On tmpfs: after a reboot the first run always applies.
    applied = Path(os.environ.get("GRIDOPS_STATE", "/run/gridops/applied.sha256"))
    try:
        fragments = fetch_fragments(path, region, run)
        if not fragments:
            raise AgentError(f"no compose fragments under {path}")
        current = digest(fragments)
        if "--force" not in argv and applied.exists() and applied.read_text() == current:
            return 0
        docker_config = Path(os.environ.get("DOCKER_CONFIG", "/root/.docker")) / "config.json"
        apply(fragments, root=root, region=region, run=run, docker_config=docker_config)
    except AgentError as exc:
        print(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} gridops-agent: {exc}")
        return 1
    applied.parent.mkdir(parents=True, exist_ok=True)
    applied.write_text(current)
    print(f"gridops-agent: applied {len(fragments)} fragment(s), sha256 {current[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
