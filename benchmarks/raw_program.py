"""Write a raw Pulumi program that registers, with pulumi_aws (and pulumi_random) classes
under `pulumi.runtime` mocks, one resource for every custom resource of a Plan: the same
types, counts, names and inputs, without gridops_infra. It is what someone would write by
hand to get the same resources into a mocks unit test, so timing it beside a gridops
preview of that Plan shows what the library and its offline engine add."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

from gridops_infra.testing import Plan
from gridops_infra.testing.plan import SecretValue, Unknown

PACKAGES = {"aws": ("pulumi_aws", "aws"), "random": ("pulumi_random", "random")}

# Like `gridops`, the program freezes what is left at exit instead of letting the
# interpreter's final collections walk it (most of a second): the comparison is about the
# program and the libraries, not about finalisation.
HEADER = '''"""Registers {count} resources under pulumi.runtime mocks (generated)."""

import atexit
import gc

import pulumi
{imports}

atexit.register(gc.freeze)


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "-id", args.inputs]

    def call(self, args):
        return {{}}


pulumi.runtime.set_mocks(Mocks(), project="raw", stack="{stack}", preview=True)


@pulumi.runtime.test
def program():
    registered = []
'''

FOOTER = """    return pulumi.Output.all(*(resource.urn for resource in registered))


program()
print({count})
"""


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", camel).lower()


def _class_of(type_token: str) -> tuple[str, str, type]:
    """`aws:ec2/vpc:Vpc` -> ("aws.ec2", "Vpc", the class)."""
    package, module_path, class_name = type_token.split(":")
    python_package, alias = PACKAGES[package]
    module = module_path.split("/")[0]
    if module == "index":
        return alias, class_name, getattr(importlib.import_module(python_package), class_name)
    found = importlib.import_module(f"{python_package}.{module}")
    return f"{alias}.{module}", class_name, getattr(found, class_name)


def _parameters(resource_class: type) -> dict[str, str]:
    """The Pulumi property names the class's constructor takes -> its Python names."""
    names = inspect.signature(resource_class._internal_init).parameters  # type: ignore[attr-defined]
    by_camel = {}
    for name in names:
        if name in ("self", "resource_name", "opts", "__props__"):
            continue
        head, *rest = name.split("_")
        by_camel[head + "".join(part.title() for part in rest)] = name
    return by_camel


def _literal(value: Any) -> str:
    """Python source for an input value: secrets as `pulumi.Output.secret`, nested
    dictionaries keep Pulumi's property names (the SDK passes them through unchanged)."""
    if isinstance(value, SecretValue):
        return f"pulumi.Output.secret({_literal(value.value)})"
    if isinstance(value, Unknown):
        raise ValueError("the Plan has an unknown input; a raw program cannot write it")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value)


def write_raw_program(plan: Plan, stack: str, path: Path) -> int:
    """Write the program to `path`; returns how many resources it registers."""
    lines: list[str] = []
    used: set[str] = set()
    for resource in plan.custom_resources:
        module, class_name, resource_class = _class_of(resource.type)
        used.add(resource.type.split(":")[0])
        names = _parameters(resource_class)
        arguments = [repr(resource.name)] + [
            f"{names.get(key, _snake(key))}={_literal(value)}"
            for key, value in resource.inputs.items()
            if key in names
        ]
        lines.append(f"    registered.append({module}.{class_name}({', '.join(arguments)}))")
    imports = "\n".join(
        f"import {PACKAGES[package][0]} as {PACKAGES[package][1]}" for package in sorted(used)
    )
    count = len(lines)
    source = HEADER.format(count=count, imports=imports, stack=stack)
    path.write_text(source + "\n".join(lines) + "\n" + FOOTER.format(count=count))
    return count
