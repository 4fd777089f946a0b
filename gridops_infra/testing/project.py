"""Reading a Pulumi project directory the way the Pulumi CLI does: Pulumi.yaml + stack config."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SECRET_PLACEHOLDER_VALUE = "gridops-offline-secret-placeholder"


class ProjectError(ValueError):
    """A Pulumi project directory that cannot be previewed (one clear line for the user)."""


@dataclass
class ProjectSpec:
    name: str
    directory: Path
    main: Path
    stack: str
    config: dict[str, str] = field(default_factory=dict)
    secret_keys: set[str] = field(default_factory=set)
    stack_file: Path | None = None


def qualify(key: str, project: str) -> str:
    """`stage` -> `project:stage`; keys with a namespace stay as they are."""
    return key if ":" in key else f"{project}:{key}"


def config_value(value: Any) -> str:
    """Pulumi hands config to programs as strings; structured values travel as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def normalize_config(raw: dict[str, Any], project: str) -> tuple[dict[str, str], set[str]]:
    """Config as a program sees it, and the keys that are secret.

    `{"secure": "..."}` values (encrypted in a stack file) become a placeholder secret:
    offline there is no key to decrypt them, and a preview must not fail on them.
    """
    config: dict[str, str] = {}
    secrets: set[str] = set()
    for key, value in raw.items():
        full = qualify(str(key), project)
        if isinstance(value, dict) and set(value) == {"secure"}:
            config[full] = SECRET_PLACEHOLDER_VALUE
            secrets.add(full)
        else:
            config[full] = config_value(value)
    return config, secrets


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise ProjectError(f"{path}: expected a mapping at the top level")
    return data


def _project_defaults(settings: dict[str, Any]) -> dict[str, Any]:
    """Project-level `config:` entries with a `default` or `value`."""
    out: dict[str, Any] = {}
    for key, spec in (settings.get("config") or {}).items():
        if isinstance(spec, dict):
            for field_name in ("value", "default"):
                if field_name in spec:
                    out[key] = spec[field_name]
                    break
        else:
            out[key] = spec
    return out


def load_project(directory: str | Path, stack: str) -> ProjectSpec:
    """The project in `directory` with `stack`'s config (honours `main` and `stackConfigDir`)."""
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise ProjectError(f"no such project directory: {directory}")
    project_file = next(
        (directory / n for n in ("Pulumi.yaml", "Pulumi.yml") if (directory / n).exists()), None
    )
    if project_file is None:
        raise ProjectError(f"{directory} is not a Pulumi project (no Pulumi.yaml)")
    settings = _read_yaml(project_file)
    name = settings.get("name")
    if not isinstance(name, str) or not name:
        raise ProjectError(f"{project_file}: `name` is required")
    runtime = settings.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ProjectError(f"{project_file}: runtime is {runtime_name!r}; only python runs offline")
    main = directory / str(settings.get("main") or ".")
    if main.is_dir():
        main = main / "__main__.py"
    if not main.exists():
        raise ProjectError(f"{project_file}: program {main} does not exist")

    config_dir = directory / str(settings.get("stackConfigDir") or ".")
    stack_file = config_dir / f"Pulumi.{stack}.yaml"
    raw: dict[str, Any] = _project_defaults(settings)
    if stack_file.exists():
        raw.update(_read_yaml(stack_file).get("config") or {})
    else:
        stack_file = None
    config, secrets = normalize_config(raw, name)
    return ProjectSpec(
        name=name,
        directory=directory,
        main=main,
        stack=stack,
        config=config,
        secret_keys=secrets,
        stack_file=stack_file,
    )


def available_stacks(directory: str | Path) -> list[str]:
    directory = Path(directory)
    settings = _read_yaml(directory / "Pulumi.yaml")
    config_dir = directory / str(settings.get("stackConfigDir") or ".")
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in config_dir.glob("Pulumi.*.yaml"))
